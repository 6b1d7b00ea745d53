//! The subcommands, one file each: argument structs (clap derive), validation into library
//! settings, the library call, and what is printed to the terminal.

pub mod build;
pub mod extract;
pub mod merge;
pub mod stats;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use std::time::Duration;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use newsgraph::export::ExportOptions;
use newsgraph::report::{InputRecord, InputStatus, Report};
use newsgraph::resolve::MergeOptions;
use newsgraph::resolve::stable::PreviousIds;

/// Options every subcommand has.
#[derive(Debug, Clone, Copy)]
pub struct Global {
    pub quiet: bool,
    pub verbose: bool,
}

/// The exit code of a run that wrote its output: 1 when some inputs were skipped or partly read.
pub fn exit_code(records: &[InputRecord]) -> u8 {
    u8::from(records.iter().any(|r| r.status != InputStatus::Ok))
}

/// Options of the export (`build` and `merge`).
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output directory.
    #[arg(short, long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Add Document nodes and MENTIONS edges.
    #[arg(long)]
    pub with_documents: bool,
    /// Leave out CO_OCCURS edges.
    #[arg(long)]
    pub no_cooccurrence: bool,
    /// Replace an output directory that holds files newsgraph did not write.
    #[arg(long)]
    pub force: bool,
    /// Formats to write, comma-separated (report.json is always written).
    #[arg(
        long,
        value_name = "FORMATS",
        value_enum,
        value_delimiter = ',',
        default_value = "graphml,json,gephi,neo4j,gexf,html"
    )]
    pub format: Vec<Format>,
    /// Add node color (#rrggbb) and size keys to graph.graphml, for Gephi and yEd.
    #[arg(long)]
    pub graphml_viz: bool,
    /// In the Gephi CSV files, put a ' before cells a spreadsheet would run as a formula.
    #[arg(long)]
    pub csv_safe: bool,
    /// Your own alias and do-not-merge rules (tab-separated `same|different`, kind, names...;
    /// see docs/formats.md), which override the merge rules.
    #[arg(long, value_name = "FILE")]
    pub aliases: Option<PathBuf>,
    /// An earlier export (its directory, or its graph.json) whose node ids are kept: nodes
    /// that hold its nodes' mentions get their ids, joined ones are listed in report.json's
    /// redirects (see docs/formats.md, "Incremental batches").
    #[arg(long, value_name = "DIR")]
    pub previous: Option<PathBuf>,
}

impl ExportArgs {
    pub fn merge_options(&self) -> anyhow::Result<MergeOptions> {
        let rules = match &self.aliases {
            Some(path) => newsgraph::resolve::user::UserRules::load(path)?,
            None => Default::default(),
        };
        let previous = match &self.previous {
            Some(path) => Some(std::sync::Arc::new(read_previous(path)?)),
            None => None,
        };
        Ok(MergeOptions {
            cooccurrence: !self.no_cooccurrence,
            document_nodes: self.with_documents,
            rules,
            previous,
        })
    }

    pub fn export_options(&self) -> ExportOptions {
        ExportOptions {
            graphml: self.format.contains(&Format::Graphml),
            json: self.format.contains(&Format::Json),
            gephi: self.format.contains(&Format::Gephi),
            neo4j: self.format.contains(&Format::Neo4j),
            gexf: self.format.contains(&Format::Gexf),
            html: self.format.contains(&Format::Html),
            graphml_viz: self.graphml_viz,
            force: self.force,
            csv_safe: self.csv_safe,
        }
    }
}

/// Reads the node ids of an earlier export: `path` is its directory or its `graph.json`.
fn read_previous(path: &Path) -> anyhow::Result<PreviousIds> {
    let file = if path.is_dir() {
        path.join("graph.json")
    } else {
        path.to_path_buf()
    };
    let f = std::fs::File::open(&file).with_context(|| {
        if path.is_dir() {
            format!(
                "--previous {}: cannot open its graph.json (an export written with --format json, the default)",
                path.display()
            )
        } else {
            format!("--previous: cannot open {}", file.display())
        }
    })?;
    let graph = newsgraph::export::json::read_graph(std::io::BufReader::with_capacity(1 << 16, f))
        .with_context(|| format!("--previous: cannot read {} as a graph.json", file.display()))?;
    Ok(PreviousIds::from_graph(&graph))
}

/// An export format of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// graph.graphml
    Graphml,
    /// graph.json (networkx node-link)
    Json,
    /// gephi/nodes.csv and gephi/edges.csv
    Gephi,
    /// neo4j/nodes.csv, neo4j/relationships.csv, neo4j/load.cypher and neo4j/import.sh
    Neo4j,
    /// graph.gexf (Gephi, with colours, sizes and a timeline)
    Gexf,
    /// graph.html (a self-contained preview page)
    Html,
}

/// A progress bar on stderr, shown only when stderr is a terminal and `-q` is not given.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn new(global: Global, what: &str) -> Progress {
        let bar = (!global.quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(
                "{msg} [{bar:30}] {pos}/{len} inputs, {elapsed_precise} (eta {eta})",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(what.to_string());
            bar
        });
        Progress { bar }
    }

    /// `done` of `total` inputs are read and extracted.
    pub fn update(&self, done: usize, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Prints each input that is skipped or partly read (unless `-q`).
pub fn print_problems<'a>(
    global: Global,
    records: impl IntoIterator<Item = &'a InputRecord>,
) -> std::io::Result<()> {
    if global.quiet {
        return Ok(());
    }
    let mut err = std::io::stderr().lock();
    for p in records {
        let status = match p.status {
            InputStatus::Ok => continue,
            InputStatus::Skipped => "skipped",
            InputStatus::Partial => "partly read",
        };
        let line = p.line.map(|l| format!(" line {l}")).unwrap_or_default();
        writeln!(
            err,
            "newsgraph: {status}: {}{line}: {}",
            p.path,
            p.reason.as_deref().unwrap_or("")
        )?;
    }
    Ok(())
}

/// What `build` and `merge` print after writing an export: the skipped or partly read inputs,
/// the one-line summary (unless `-q`) and the timings (with `-v`); returns the exit code.
pub fn finish_export(
    global: Global,
    report: &Report,
    out: &Path,
    timings: &[(&str, Duration)],
) -> anyhow::Result<u8> {
    print_problems(global, &report.inputs)?;
    if !global.quiet {
        writeln!(
            std::io::stderr(),
            "newsgraph: {} documents ({} skipped): {} nodes, {} edges -> {}",
            report.counts.documents,
            report.counts.skipped,
            report.counts.nodes,
            report.counts.edges,
            out.display()
        )?;
    }
    print_timings(global, timings)?;
    Ok(exit_code(&report.inputs))
}

/// Prints the time of each stage (with `-v`).
pub fn print_timings(global: Global, timings: &[(&str, Duration)]) -> std::io::Result<()> {
    if !global.verbose {
        return Ok(());
    }
    let mut err = std::io::stderr().lock();
    let total: Duration = timings.iter().map(|(_, d)| *d).sum();
    let width = timings.iter().map(|(s, _)| s.len()).max().unwrap_or(0);
    for (stage, d) in timings {
        writeln!(err, "newsgraph: {stage:<width$}  {:8.3} s", d.as_secs_f64())?;
    }
    writeln!(
        err,
        "newsgraph: {:<width$}  {:8.3} s",
        "took",
        total.as_secs_f64()
    )
}
