//! The `newsgraph` command line: parses arguments and calls the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};

use newsgraph::corpus::ReadLimits;
use newsgraph::export::ExportOptions;
use newsgraph::pipeline::{self, BuildSettings};
use newsgraph::report::InputStatus;
use newsgraph::resolve::MergeOptions;

/// Build a source-tagged knowledge graph of people, groups, places and attacks from news
/// articles, and export it for Gephi, Neo4j, networkx/igraph and scripts.
#[derive(Debug, Parser)]
#[command(name = "newsgraph", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print nothing but errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Print timings and every skipped input to stderr.
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Number of worker threads (default: all cores).
    #[arg(short, long, global = true, value_name = "N")]
    jobs: Option<usize>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read articles, build the graph and write every export.
    #[command(after_help = "Examples:
  newsgraph build                       # corpus/ -> out/
  newsgraph build articles/ --out graph # a folder of .txt/.md files
  newsgraph build feed.jsonl            # one {\"id\",\"text\",...} per line
  cat feed.jsonl | newsgraph build -    # JSONL on stdin

Exit codes: 0 success, 1 some inputs skipped (listed in report.json), 2 usage or fatal error.")]
    Build(BuildArgs),
}

#[derive(Debug, Args)]
struct BuildArgs {
    /// Input directories (recursive; .txt and .md), files, JSONL files, or - for JSONL on stdin.
    #[arg(value_name = "INPUT", default_value = "corpus")]
    inputs: Vec<PathBuf>,
    /// Output directory.
    #[arg(short, long, value_name = "DIR", default_value = "out")]
    out: PathBuf,
    /// Add Document nodes and MENTIONS edges.
    #[arg(long)]
    with_documents: bool,
    /// Leave out CO_OCCURS edges.
    #[arg(long)]
    no_cooccurrence: bool,
    /// Replace an output directory that holds files newsgraph did not write.
    #[arg(long)]
    force: bool,
    /// Largest document read, in bytes; larger ones are truncated and reported.
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024)]
    max_document_bytes: u64,
    /// Formats to write, comma-separated (report.json is always written).
    #[arg(
        long,
        value_name = "FORMATS",
        value_enum,
        value_delimiter = ',',
        default_value = "graphml,json,gephi,neo4j,gexf,html"
    )]
    format: Vec<Format>,
    /// Add node color (#rrggbb) and size keys to graph.graphml, for Gephi and yEd.
    #[arg(long)]
    graphml_viz: bool,
}

/// An export format of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// graph.graphml
    Graphml,
    /// graph.json (networkx node-link)
    Json,
    /// gephi/nodes.csv and gephi/edges.csv
    Gephi,
    /// neo4j/nodes.csv, neo4j/relationships.csv and neo4j/load.cypher
    Neo4j,
    /// graph.gexf (Gephi, with colours, sizes and a timeline)
    Gexf,
    /// graph.html (a self-contained preview page)
    Html,
}

impl BuildArgs {
    fn settings(&self) -> BuildSettings {
        BuildSettings {
            inputs: self.inputs.clone(),
            out: self.out.clone(),
            limits: ReadLimits {
                max_document_bytes: self.max_document_bytes,
            },
            merge: MergeOptions {
                cooccurrence: !self.no_cooccurrence,
                document_nodes: self.with_documents,
            },
            export: ExportOptions {
                graphml: self.format.contains(&Format::Graphml),
                json: self.format.contains(&Format::Json),
                gephi: self.format.contains(&Format::Gephi),
                neo4j: self.format.contains(&Format::Neo4j),
                gexf: self.format.contains(&Format::Gexf),
                html: self.format.contains(&Format::Html),
                graphml_viz: self.graphml_viz,
                force: self.force,
            },
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("newsgraph: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: &Cli) -> anyhow::Result<u8> {
    if let Some(jobs) = cli.jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global()
            .context("cannot start the worker threads")?;
    }
    match &cli.command {
        Command::Build(args) => {
            let started = std::time::Instant::now();
            let settings = args.settings();
            let summary = pipeline::build(&settings)
                .with_context(|| format!("building {}", settings.out.display()))?;
            let report = &summary.report;
            let mut err = std::io::stderr().lock();
            let problems: Vec<_> = summary.problems().collect();
            if !cli.quiet {
                for p in &problems {
                    let status = match p.status {
                        InputStatus::Skipped => "skipped",
                        _ => "partly read",
                    };
                    let line = p.line.map(|l| format!(" line {l}")).unwrap_or_default();
                    writeln!(
                        err,
                        "newsgraph: {status}: {}{line}: {}",
                        p.path,
                        p.reason.as_deref().unwrap_or("")
                    )?;
                }
                writeln!(
                    err,
                    "newsgraph: {} documents ({} skipped): {} nodes, {} edges -> {}",
                    report.counts.documents,
                    report.counts.skipped,
                    report.counts.nodes,
                    report.counts.edges,
                    settings.out.display()
                )?;
            }
            if cli.verbose {
                writeln!(
                    err,
                    "newsgraph: took {:.3} s",
                    started.elapsed().as_secs_f64()
                )?;
            }
            Ok(if report.counts.skipped > 0 { 1 } else { 0 })
        }
    }
}
