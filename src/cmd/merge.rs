//! `newsgraph merge`: the reduce step. Reads partial extraction files, merges them into the
//! graph and writes the export (or, with `--partial`, the merged partial file).

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;
use rayon::prelude::*;

use newsgraph::partial::{self, Partial};
use newsgraph::pipeline;

use super::{ExportArgs, Global, exit_code, finish_export, print_problems, print_timings};

pub const AFTER_HELP: &str = "Examples:
  newsgraph extract corpus > c.jsonl && newsgraph merge c.jsonl   # = newsgraph build corpus
  newsgraph merge a.jsonl b.jsonl c.jsonl --out graph              # shards, in any order
  newsgraph merge a.jsonl b.jsonl --partial > ab.jsonl             # a tree of merges:
  newsgraph merge ab.jsonl c.jsonl                                 # = merge a b c
  newsgraph extract corpus | newsgraph merge - --format neo4j

Merging depends only on the set of input lines: shards merged in any order or grouping give
the same bytes. Runs (one per extract command line) are ordered by their input list, inputs
by their place in their run; a document id seen twice keeps its first input, and the others
are reported as skipped duplicates.

Exit codes: 0 success, 1 some inputs skipped (listed in report.json), 2 usage or fatal error.";

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Partial extraction files written by `newsgraph extract` (or `merge --partial`), or - for
    /// standard input.
    #[arg(value_name = "PARTIAL.jsonl", required = true)]
    pub partials: Vec<PathBuf>,
    #[command(flatten)]
    pub export: ExportArgs,
    /// Write the merged partial extraction (JSONL) to stdout instead of the export.
    #[arg(long, conflicts_with = "out")]
    pub partial: bool,
}

/// Reads every partial file, in parallel (`-` is standard input, once).
fn read_all(paths: &[PathBuf]) -> anyhow::Result<Vec<Partial>> {
    if paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        bail!("- (standard input) is given more than once");
    }
    paths
        .par_iter()
        .map(|path| {
            if path.as_os_str() == "-" {
                let stdin = std::io::stdin();
                return Ok(partial::read(stdin.lock(), "-")?);
            }
            let name = path.display().to_string();
            let f = File::open(path).with_context(|| format!("cannot open {name}"))?;
            Ok(partial::read(BufReader::with_capacity(1 << 16, f), &name)?)
        })
        .collect()
}

pub fn run(args: &MergeArgs, global: Global) -> anyhow::Result<u8> {
    let t = Instant::now();
    let parts = read_all(&args.partials)?;
    let mut timings = vec![("read partial files", t.elapsed())];
    if args.partial {
        let t = Instant::now();
        let combined = partial::combine(parts);
        let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        partial::write(&mut out, &combined)
            .and_then(|()| out.flush())
            .context("writing to stdout")?;
        drop(out);
        timings.push(("combine and write", t.elapsed()));
        let records: Vec<_> = combined.entries.iter().map(|e| e.input.clone()).collect();
        print_problems(global, &records)?;
        print_timings(global, &timings)?;
        return Ok(exit_code(&records));
    }
    let out = &args.export.out;
    let mut summary = pipeline::merge_and_export(
        parts,
        out,
        &args.export.merge_options()?,
        &args.export.export_options(),
    )
    .with_context(|| format!("merging into {}", out.display()))?;
    timings.append(&mut summary.timings);
    finish_export(global, &summary.report, out, &timings)
}
