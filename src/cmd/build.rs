//! `newsgraph build`: read articles, build the graph and write the export (`extract` and
//! `merge` in one process).

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use newsgraph::corpus::ReadLimits;
use newsgraph::pipeline::{self, BuildSettings};

use super::{ExportArgs, Global, Progress, finish_export};

pub const AFTER_HELP: &str = "Examples:
  newsgraph build                       # corpus/ -> out/
  newsgraph build articles/ --out graph # a folder of .txt/.md files
  newsgraph build feed.jsonl            # one {\"id\",\"text\",...} per line
  cat feed.jsonl | newsgraph build -    # JSONL on stdin
  newsgraph build --format neo4j        # only the Neo4j files (and report.json)

The same as: newsgraph extract INPUT... > p.jsonl && newsgraph merge p.jsonl --out DIR

Exit codes: 0 success, 1 some inputs skipped or partly read (listed in report.json), 2 usage or
fatal error.";

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Input directories (recursive; .txt and .md), files, JSONL files, or - for JSONL on stdin.
    #[arg(value_name = "INPUT", default_value = "corpus")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub export: ExportArgs,
    /// Largest document read, in bytes; larger ones are truncated and reported.
    #[arg(long, value_name = "BYTES", default_value_t = newsgraph::corpus::DEFAULT_MAX_DOCUMENT_BYTES)]
    pub max_document_bytes: u64,
    /// Longest sentence, in bytes; longer runs of text are cut (at a space when there is one).
    #[arg(long, value_name = "BYTES", default_value_t = newsgraph::text::MAX_SENTENCE_BYTES)]
    pub max_sentence_bytes: usize,
}

impl BuildArgs {
    pub fn settings(&self) -> anyhow::Result<BuildSettings> {
        Ok(BuildSettings {
            inputs: self.inputs.clone(),
            out: self.export.out.clone(),
            limits: ReadLimits {
                max_document_bytes: self.max_document_bytes,
                max_sentence_bytes: self.max_sentence_bytes,
            },
            merge: self.export.merge_options()?,
            export: self.export.export_options(),
        })
    }
}

pub fn run(args: &BuildArgs, global: Global) -> anyhow::Result<u8> {
    let settings = args.settings()?;
    let progress = Progress::new(global, "extracting");
    let result =
        pipeline::build_with_progress(&settings, &mut |done, total| progress.update(done, total));
    progress.finish();
    let summary = result.with_context(|| format!("building {}", settings.out.display()))?;
    finish_export(global, &summary.report, &settings.out, &summary.timings)
}
