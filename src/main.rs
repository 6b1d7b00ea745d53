//! The `newsgraph` command line: parses arguments and calls the library. Each subcommand lives
//! in its own file under `src/cmd/`.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

mod cmd;

use cmd::Global;

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
    /// Print timings per stage and every skipped input to stderr.
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Number of worker threads (default: all cores).
    #[arg(short, long, global = true, value_name = "N")]
    jobs: Option<usize>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read articles, build the graph and write every export.
    #[command(after_help = cmd::build::AFTER_HELP)]
    Build(cmd::build::BuildArgs),
    /// Extract documents into a partial extraction file (JSONL on stdout), to merge later.
    #[command(after_help = cmd::extract::AFTER_HELP)]
    Extract(cmd::extract::ExtractArgs),
    /// Merge partial extraction files into the graph and write the export.
    #[command(after_help = cmd::merge::AFTER_HELP)]
    Merge(cmd::merge::MergeArgs),
    /// Summarise an export: counts, most connected entities, conflicts, merges, warnings.
    #[command(after_help = cmd::stats::AFTER_HELP)]
    Stats(cmd::stats::StatsArgs),
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

/// A closed stdout (`newsgraph extract | head -1`) ends the run quietly.
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
    let global = Global {
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match &cli.command {
        Command::Build(args) => cmd::build::run(args, global),
        Command::Extract(args) => cmd::extract::run(args, global),
        Command::Merge(args) => cmd::merge::run(args, global),
        Command::Stats(args) => cmd::stats::run(args, global),
    }
}
