//! `newsgraph stats`: a readable summary of an export, from its `graph.json` and `report.json`.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use serde::Serialize;

use newsgraph::export::{self, read_graph};
use newsgraph::graph::{Figure, KnowledgeGraph, NodeKind};
use newsgraph::report::{Report, Warning};

use super::Global;

pub const AFTER_HELP: &str = "Examples:
  newsgraph stats                     # the export in out/
  newsgraph stats graph --top 25      # 25 most connected entities
  newsgraph stats --json | jq .warning_counts
  newsgraph stats --all-edges         # count CO_OCCURS and MENTIONS in the degree too

Reads DIR/graph.json (written by --format json, the default) and DIR/report.json.

Exit codes: 0 success, 2 usage or fatal error (no export in DIR).";

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The export directory.
    #[arg(value_name = "DIR", default_value = "out")]
    pub dir: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// How many of the most connected entities (and of other lists) to show.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
    /// Count CO_OCCURS and MENTIONS edges in the degree of an entity.
    #[arg(long)]
    pub all_edges: bool,
}

#[derive(Debug, Serialize)]
struct Stats {
    dir: String,
    generator: String,
    documents: usize,
    skipped: usize,
    nodes: usize,
    edges: usize,
    mentions: usize,
    nodes_by_kind: BTreeMap<String, usize>,
    edges_by_type: BTreeMap<String, usize>,
    /// Whether CO_OCCURS and MENTIONS count in `degree`.
    degree_counts_all_edges: bool,
    most_connected: Vec<Connected>,
    attacks: usize,
    attacks_with_conflicts: Vec<AttackSummary>,
    merges: usize,
    merges_by_rule: Vec<RuleSummary>,
    warning_counts: BTreeMap<String, usize>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Serialize)]
struct Connected {
    id: String,
    label: String,
    kind: String,
    degree: usize,
}

#[derive(Debug, Serialize)]
struct AttackSummary {
    id: String,
    label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place: Option<String>,
    sources: usize,
    figures: Vec<FigureSummary>,
}

#[derive(Debug, Serialize)]
struct FigureSummary {
    field: String,
    values: Vec<u64>,
    reconciled: u64,
    rule: String,
}

#[derive(Debug, Serialize)]
struct RuleSummary {
    rule: String,
    count: usize,
    examples: Vec<String>,
}

fn read_export(dir: &Path) -> anyhow::Result<(KnowledgeGraph, Report)> {
    if !dir.is_dir() {
        bail!("{} is not an export directory", dir.display());
    }
    let open = |rel: &str| -> anyhow::Result<BufReader<File>> {
        let path = dir.join(rel);
        let f = File::open(&path).with_context(|| {
            format!(
                "cannot open {} (stats reads graph.json and report.json of an export)",
                path.display()
            )
        })?;
        Ok(BufReader::new(f))
    };
    let report: Report = serde_json::from_reader(open(export::REPORT)?)
        .with_context(|| format!("reading {}", dir.join(export::REPORT).display()))?;
    let graph = read_graph(open(export::JSON)?)
        .with_context(|| format!("reading {}", dir.join(export::JSON).display()))?;
    Ok((graph, report))
}

fn stats(dir: &Path, graph: &KnowledgeGraph, report: &Report, args: &StatsArgs) -> Stats {
    let mut nodes_by_kind = BTreeMap::new();
    for n in graph.nodes() {
        *nodes_by_kind
            .entry(n.kind.as_str().to_string())
            .or_insert(0) += 1;
    }
    let mut edges_by_type = BTreeMap::new();
    let mut degree: BTreeMap<&str, usize> = BTreeMap::new();
    for e in graph.edges() {
        *edges_by_type.entry(e.rel.clone()).or_insert(0) += 1;
        if args.all_edges || (e.rel != "CO_OCCURS" && e.rel != "MENTIONS") {
            *degree.entry(&e.source).or_insert(0) += 1;
            *degree.entry(&e.target).or_insert(0) += 1;
        }
    }
    let mut ranked: Vec<(&str, usize)> = degree
        .into_iter()
        .filter(|(id, _)| graph.node(id).is_some_and(|n| n.kind != NodeKind::Document))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let most_connected = ranked
        .into_iter()
        .take(args.top)
        .filter_map(|(id, degree)| {
            graph.node(id).map(|n| Connected {
                id: n.id.clone(),
                label: n.label.clone(),
                kind: n.kind.as_str().to_string(),
                degree,
            })
        })
        .collect();

    let attacks = graph.nodes().filter(|n| n.kind == NodeKind::Attack).count();
    let mut conflicting: BTreeMap<&str, Vec<FigureSummary>> = BTreeMap::new();
    for c in &report.conflicts {
        conflicting.entry(&c.node).or_default().push(FigureSummary {
            field: c.field.clone(),
            values: c.values.clone(),
            reconciled: c.reconciled,
            rule: c.rule.clone(),
        });
    }
    let attacks_with_conflicts = conflicting
        .into_iter()
        .map(|(id, figures)| {
            let node = graph.node(id);
            let info = node.and_then(|n| n.attack.as_ref());
            AttackSummary {
                id: id.to_string(),
                label: node.map(|n| n.label.clone()).unwrap_or_default(),
                date: info.and_then(|a| a.date.clone()),
                place: info.and_then(|a| a.place.clone()),
                sources: node.map(|n| n.sources.len()).unwrap_or(0),
                figures,
            }
        })
        .collect();

    let mut by_rule: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for m in &report.merges {
        by_rule
            .entry(&m.rule)
            .or_default()
            .push(format!("{:?} -> {}", m.alias, m.node));
    }
    let mut merges_by_rule: Vec<RuleSummary> = by_rule
        .into_iter()
        .map(|(rule, examples)| RuleSummary {
            rule: rule.to_string(),
            count: examples.len(),
            examples: examples.into_iter().take(3).collect(),
        })
        .collect();
    merges_by_rule.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(&b.rule)));

    // The summary warning of each kind (no node, no edge) starts with the count.
    let mut warning_counts = BTreeMap::new();
    for w in &report.warnings {
        let n = if w.node.is_none() && w.edge.is_none() {
            w.message
                .split(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(1)
        } else {
            0
        };
        let entry = warning_counts.entry(w.kind.clone()).or_insert(0);
        *entry += n;
    }
    // Kinds without a summary count their entries.
    for (kind, count) in warning_counts.iter_mut() {
        if *count == 0 {
            *count = report.warnings.iter().filter(|w| &w.kind == kind).count();
        }
    }

    Stats {
        dir: dir.display().to_string(),
        generator: report.generator.clone(),
        documents: report.counts.documents,
        skipped: report.counts.skipped,
        nodes: graph.node_count(),
        edges: graph.edge_count(),
        mentions: report.counts.mentions,
        nodes_by_kind,
        edges_by_type,
        degree_counts_all_edges: args.all_edges,
        most_connected,
        attacks,
        attacks_with_conflicts,
        merges: report.merges.len(),
        merges_by_rule,
        warning_counts,
        warnings: report.warnings.clone(),
    }
}

/// Rows laid out in columns: text left-aligned, numbers right-aligned.
fn table(w: &mut impl Write, rows: &[Vec<String>]) -> std::io::Result<()> {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width = |c: usize| {
        rows.iter()
            .filter_map(|r| r.get(c))
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..cols).map(width).collect();
    for row in rows {
        let mut line = String::from("  ");
        for (c, cell) in row.iter().enumerate() {
            let numeric = !cell.is_empty() && cell.chars().all(|ch| ch.is_ascii_digit());
            let pad = widths[c] - cell.chars().count();
            if c + 1 == row.len() && !numeric {
                line.push_str(cell);
            } else if numeric {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
            if c + 1 < row.len() {
                line.push_str("  ");
            }
        }
        writeln!(w, "{}", line.trim_end())?;
    }
    Ok(())
}

fn short(s: &str, max: usize) -> String {
    let s = newsgraph::resolve::collapse_ws(s);
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max - 3).collect();
    out.push_str("...");
    out
}

fn figure_text(f: &Figure) -> String {
    format!("{}..{} ({})", f.min, f.max, f.reconciled)
}

fn write_text(
    w: &mut impl Write,
    s: &Stats,
    graph: &KnowledgeGraph,
    top: usize,
) -> std::io::Result<()> {
    writeln!(w, "Export {} ({})", s.dir, s.generator)?;
    table(
        w,
        &[
            vec![
                "documents".into(),
                s.documents.to_string(),
                format!("({} skipped)", s.skipped),
            ],
            vec!["nodes".into(), s.nodes.to_string(), String::new()],
            vec!["edges".into(), s.edges.to_string(), String::new()],
            vec!["mentions".into(), s.mentions.to_string(), String::new()],
        ],
    )?;

    writeln!(w, "\nNodes by kind")?;
    let rows: Vec<Vec<String>> = s
        .nodes_by_kind
        .iter()
        .map(|(k, n)| vec![k.clone(), n.to_string()])
        .collect();
    table(w, &rows)?;

    writeln!(w, "\nEdges by type")?;
    let mut types: Vec<(&String, &usize)> = s.edges_by_type.iter().collect();
    types.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let rows: Vec<Vec<String>> = types
        .iter()
        .map(|(k, n)| vec![k.to_string(), n.to_string()])
        .collect();
    table(w, &rows)?;

    let what = if s.degree_counts_all_edges {
        "all edges"
    } else {
        "CO_OCCURS and MENTIONS not counted"
    };
    writeln!(w, "\nMost connected entities (degree; {what})")?;
    let rows: Vec<Vec<String>> = s
        .most_connected
        .iter()
        .enumerate()
        .map(|(i, c)| {
            vec![
                (i + 1).to_string(),
                c.degree.to_string(),
                c.kind.clone(),
                c.id.clone(),
                short(&c.label, 40),
            ]
        })
        .collect();
    if rows.is_empty() {
        writeln!(w, "  (none)")?;
    }
    table(w, &rows)?;

    writeln!(
        w,
        "\nAttacks: {} ({} with conflicting figures)",
        s.attacks,
        s.attacks_with_conflicts.len()
    )?;
    let mut rows = Vec::new();
    for a in s.attacks_with_conflicts.iter().take(top) {
        let node = graph.node(&a.id);
        let figures: Vec<String> = a
            .figures
            .iter()
            .map(|f| {
                let fig = node.and_then(|n| n.attack.as_ref()).and_then(|x| {
                    if f.field == "killed" {
                        x.killed.as_ref()
                    } else {
                        x.injured.as_ref()
                    }
                });
                let vals: Vec<String> = f.values.iter().map(u64::to_string).collect();
                match fig {
                    Some(fig) => format!(
                        "{} {} -> {} ({})",
                        f.field,
                        vals.join("/"),
                        figure_text(fig),
                        f.rule
                    ),
                    None => format!(
                        "{} {} -> {} ({})",
                        f.field,
                        vals.join("/"),
                        f.reconciled,
                        f.rule
                    ),
                }
            })
            .collect();
        rows.push(vec![
            a.id.clone(),
            a.date.clone().unwrap_or_else(|| "-".into()),
            format!("{} sources", a.sources),
            figures.join("; "),
        ]);
    }
    table(w, &rows)?;
    if s.attacks_with_conflicts.len() > top {
        writeln!(
            w,
            "  ... and {} more (--top)",
            s.attacks_with_conflicts.len() - top
        )?;
    }

    writeln!(w, "\nMerges: {}", s.merges)?;
    let rows: Vec<Vec<String>> = s
        .merges_by_rule
        .iter()
        .map(|r| {
            vec![
                r.count.to_string(),
                short(&r.rule, 50),
                short(&format!("e.g. {}", r.examples.join(", ")), 90),
            ]
        })
        .collect();
    table(w, &rows)?;

    let total: usize = s.warning_counts.values().sum();
    writeln!(w, "\nWarnings: {total}")?;
    let rows: Vec<Vec<String>> = s
        .warning_counts
        .iter()
        .map(|(k, n)| vec![n.to_string(), k.clone()])
        .collect();
    table(w, &rows)?;
    for kind in s.warning_counts.keys() {
        let items: Vec<&Warning> = s
            .warnings
            .iter()
            .filter(|x| &x.kind == kind && (x.node.is_some() || x.edge.is_some()))
            .take(top.min(5))
            .collect();
        if items.is_empty() {
            continue;
        }
        writeln!(w, "  {kind}:")?;
        for x in items {
            writeln!(w, "    {}", short(&x.message, 110))?;
        }
    }
    Ok(())
}

pub fn run(args: &StatsArgs, _global: Global) -> anyhow::Result<u8> {
    let (graph, report) = read_export(&args.dir)?;
    let s = stats(&args.dir, &graph, &report, args);
    let mut out = BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &s).context("writing to stdout")?;
        writeln!(out)?;
    } else {
        write_text(&mut out, &s, &graph, args.top)?;
    }
    out.flush()?;
    Ok(0)
}
