//! `newsgraph extract`: the map step. Reads and extracts documents and writes the partial
//! extraction (JSONL) to stdout, streaming, in input order.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use newsgraph::corpus::{Corpus, ReadLimits};
use newsgraph::partial;
use newsgraph::pipeline::{self, Shard};
use newsgraph::report::{InputRecord, InputStatus};

use super::{Global, Progress, print_problems, print_timings};

pub const AFTER_HELP: &str = "Examples:
  newsgraph extract corpus > corpus.jsonl           # then: newsgraph merge corpus.jsonl
  newsgraph extract feed.jsonl | gzip > part.jsonl.gz
  newsgraph extract corpus --shard 1/3 > s1.jsonl   # one of three shards (s2, s3 elsewhere),
  newsgraph merge s1.jsonl s2.jsonl s3.jsonl        # ... merged: the same export as build
  newsgraph extract corpus | head -1                # the header line

Output: a header line, then one line per input (in input order) with its report.json entry
and, for a document in the graph, its extraction: entities, mentions, sentences, relations
and attack frames, with character offsets (docs/formats.md, \"Partial extraction files\").
The output is the same for any --jobs.

Exit codes: 0 success, 1 some inputs skipped (listed on stderr, and in the output),
2 usage or fatal error. A closed stdout (| head) ends the run quietly with 0.";

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Input directories (recursive; .txt and .md), files, JSONL files, or - for JSONL on stdin.
    #[arg(value_name = "INPUT", default_value = "corpus")]
    pub inputs: Vec<PathBuf>,
    /// Largest document read, in bytes; larger ones are truncated and reported.
    #[arg(long, value_name = "BYTES", default_value_t = newsgraph::corpus::DEFAULT_MAX_DOCUMENT_BYTES)]
    pub max_document_bytes: u64,
    /// Longest sentence, in bytes; longer runs of text are cut (at a space when there is one).
    #[arg(long, value_name = "BYTES", default_value_t = newsgraph::text::MAX_SENTENCE_BYTES)]
    pub max_sentence_bytes: usize,
    /// Extract only shard K of N (1-based): the inputs whose index i has i % N == K - 1.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<ShardArg>,
}

/// `K/N` of `--shard`.
#[derive(Debug, Clone, Copy)]
pub struct ShardArg(pub Shard);

impl FromStr for ShardArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("expected K/N with 1 <= K <= N (like 2/3), got {s:?}");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k: usize = k.trim().parse().map_err(|_| bad())?;
        let n: usize = n.trim().parse().map_err(|_| bad())?;
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(ShardArg(Shard {
            index: k - 1,
            count: n,
        }))
    }
}

pub fn run(args: &ExtractArgs, global: Global) -> anyhow::Result<u8> {
    let t = Instant::now();
    let limits = ReadLimits {
        max_document_bytes: args.max_document_bytes,
        max_sentence_bytes: args.max_sentence_bytes,
    };
    let corpus = Corpus::plan(&args.inputs, limits)?;
    let mut timings = vec![("plan inputs", t.elapsed())];
    let t = Instant::now();
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    partial::write_header(&mut out, &[pipeline::run_of(&args.inputs)])
        .context("writing to stdout")?;
    let progress = Progress::new(global, "extracting");
    let mut problems: Vec<InputRecord> = Vec::new();
    let (mut documents, mut skipped) = (0usize, 0usize);
    let shard = args.shard.map(|s| s.0).unwrap_or(Shard::ALL);
    let written = pipeline::extract_stream(
        &corpus,
        shard,
        &mut |done, total| progress.update(done, total),
        |entry| {
            match entry.input.status {
                InputStatus::Skipped => skipped += 1,
                _ => documents += 1,
            }
            if entry.input.status != InputStatus::Ok {
                problems.push(entry.input.clone());
            }
            partial::write_entry(&mut out, &entry)
        },
    )
    .and_then(|()| out.flush());
    progress.finish();
    written.context("writing to stdout")?;
    drop(out);
    timings.push(("read, extract and write", t.elapsed()));
    print_problems(global, &problems)?;
    if !global.quiet {
        writeln!(
            std::io::stderr(),
            "newsgraph: {documents} documents ({skipped} skipped) extracted"
        )?;
    }
    print_timings(global, &timings)?;
    Ok(u8::from(skipped > 0))
}
