//! The pipeline: read the inputs and extract each document in parallel, a chunk at a time
//! (`extract`), combine and merge the extractions into the graph (`merge`), export.
//!
//! `build` is `extract` then `merge` in one process, through the same code: the partial
//! extraction that `newsgraph extract` writes is exactly what `build` merges.

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::corpus::{Corpus, CorpusError, ReadLimits};
use crate::export::{self, ExportError, ExportOptions};
use crate::extract::{self, DocExtraction};
use crate::partial::{self, Entry, Partial, Run};
use crate::report::{Counts, InputRecord, InputStatus, Report, ReportOptions};
use crate::resolve::{self, MergeOptions};
use crate::text;

/// Validated settings of a build.
#[derive(Debug, Clone)]
pub struct BuildSettings {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub limits: ReadLimits,
    pub merge: MergeOptions,
    pub export: ExportOptions,
}

/// Errors that stop a build.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    #[error(transparent)]
    Export(#[from] ExportError),
}

/// What a build did, for the command line summary and exit code.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub report: Report,
    /// Time spent in each stage (never written into the export).
    pub timings: Timings,
}

impl BuildSummary {
    /// Inputs that are not (or not wholly) in the graph.
    pub fn problems(&self) -> impl Iterator<Item = &InputRecord> {
        self.report
            .inputs
            .iter()
            .filter(|r| r.status != InputStatus::Ok)
    }
}

/// Extracts one document, containing a panic so that one bad document cannot stop the run.
pub fn extract_document(doc: &crate::corpus::Document) -> Result<DocExtraction, String> {
    extract_document_with(doc, text::MAX_SENTENCE_BYTES)
}

/// [`extract_document`] with sentences cut at `max_sentence_bytes` (`--max-sentence-bytes`).
pub fn extract_document_with(
    doc: &crate::corpus::Document,
    max_sentence_bytes: usize,
) -> Result<DocExtraction, String> {
    panic::catch_unwind(AssertUnwindSafe(|| {
        let prepared = text::prepare_with(doc, max_sentence_bytes);
        extract::extract(&prepared)
    }))
    .map_err(|e| {
        let msg = e
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| e.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        format!("internal error while extracting: {msg}")
    })
}

/// How many inputs are read and extracted at a time: at most this many texts are in memory.
pub const CHUNK: usize = 256;

/// Which inputs of a run to read: every input, or shard `index` (0-based) of `count`, which
/// holds the inputs whose index `i` has `i % count == index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    fn holds(self, i: usize) -> bool {
        i % self.count.max(1) == self.index
    }
}

/// Reads and extracts the inputs of `corpus` (those of `shard`), `CHUNK` inputs at a time in
/// parallel, and hands every input record, with its extraction, to `sink` in input order
/// (whatever the thread count). Texts are dropped as soon as they are extracted. Repeated
/// document ids are marked as skipped duplicates (the first one wins). `progress` is told the
/// number of inputs done and the total after each chunk. Stops at the first error of `sink`.
pub fn extract_stream<E>(
    corpus: &Corpus,
    shard: Shard,
    progress: &mut dyn FnMut(usize, usize),
    mut sink: impl FnMut(Entry) -> Result<(), E>,
) -> Result<(), E> {
    let planned: Vec<usize> = (0..corpus.len()).filter(|&i| shard.holds(i)).collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut done = 0;
    progress(0, planned.len());
    if !planned.is_empty() {
        warm_up();
    }
    for chunk in planned.chunks(CHUNK) {
        type Extracted = (
            Vec<InputRecord>,
            Vec<(String, Result<DocExtraction, String>)>,
        );
        let results: Vec<(usize, Extracted)> = chunk
            .par_iter()
            .map(|&i| {
                let outcome = corpus.read(i);
                let docs = outcome
                    .documents
                    .iter()
                    .map(|d| {
                        let max = corpus.limits().max_sentence_bytes;
                        (d.id.clone(), extract_document_with(d, max))
                    })
                    .collect();
                (i, (outcome.records, docs))
            })
            .collect();
        for (i, (records, docs)) in results {
            let mut docs = docs.into_iter();
            for (k, mut rec) in records.into_iter().enumerate() {
                let mut doc = None;
                // Each record that is not skipped belongs to the next document, in order.
                if rec.status != InputStatus::Skipped
                    && let Some((id, result)) = docs.next()
                {
                    if !seen.insert(id) {
                        rec.status = InputStatus::Skipped;
                        rec.reason = Some(partial::duplicate_reason(&rec.doc));
                    } else {
                        match result {
                            Ok(x) => doc = Some(x),
                            Err(reason) => {
                                rec.status = InputStatus::Skipped;
                                rec.reason = Some(reason);
                            }
                        }
                    }
                }
                sink(Entry {
                    run: 0,
                    at: [i as u64, k as u64],
                    input: rec,
                    doc,
                })?;
            }
        }
        done += chunk.len();
        progress(done, planned.len());
    }
    Ok(())
}

/// Loads the lexicons and the tagger model side by side on the thread pool, instead of one
/// after the other when the first document needs them. Only a matter of time: both are loaded
/// on first use anyway, and a failure here (impossible with the embedded data) is left to
/// surface, contained, in the first document that needs them.
fn warm_up() {
    rayon::join(
        || {
            let _ = panic::catch_unwind(|| {
                crate::lexicon::lexicon();
            });
        },
        || {
            let _ = panic::catch_unwind(|| {
                crate::tagger::Tagger::shared();
            });
        },
    );
}

/// Reads and extracts every input. Results are in input order whatever the thread count.
pub fn extract_corpus(corpus: &Corpus) -> (Vec<InputRecord>, Vec<DocExtraction>) {
    let mut records = Vec::new();
    let mut extractions = Vec::new();
    let _ = extract_stream::<()>(corpus, Shard::ALL, &mut |_, _| {}, |e| {
        records.push(e.input);
        extractions.extend(e.doc);
        Ok(())
    });
    (records, extractions)
}

/// The run of `inputs` as a partial extraction header records it.
pub fn run_of(inputs: &[PathBuf]) -> Run {
    Run {
        input: inputs.iter().map(|p| p.display().to_string()).collect(),
    }
}

/// Extracts a whole run into memory, as a partial extraction.
pub fn extract_partial(
    corpus: &Corpus,
    inputs: &[PathBuf],
    shard: Shard,
    progress: &mut dyn FnMut(usize, usize),
) -> Partial {
    let mut entries = Vec::new();
    let _ = extract_stream::<()>(corpus, shard, progress, |e| {
        entries.push(e);
        Ok(())
    });
    Partial {
        runs: vec![run_of(inputs)],
        entries,
    }
}

/// Time spent in each stage, for `-v`.
pub type Timings = Vec<(&'static str, Duration)>;

/// Runs a whole build and writes the export: `extract` and `merge` in one process.
pub fn build(settings: &BuildSettings) -> Result<BuildSummary, BuildError> {
    build_with_progress(settings, &mut |_, _| {})
}

/// [`build`], telling `progress` how many inputs are extracted.
pub fn build_with_progress(
    settings: &BuildSettings,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<BuildSummary, BuildError> {
    let t = Instant::now();
    let corpus = Corpus::plan(&settings.inputs, settings.limits.clone())?;
    let mut timings = vec![("plan inputs", t.elapsed())];
    let t = Instant::now();
    let partial = extract_partial(&corpus, &settings.inputs, Shard::ALL, progress);
    // The texts and per-document scratch are gone: free pages go back before the merge grows.
    release_free_memory();
    timings.push(("read and extract", t.elapsed()));
    let mut summary = merge_and_export(
        vec![partial],
        &settings.out,
        &settings.merge,
        &settings.export,
    )?;
    timings.append(&mut summary.timings);
    summary.timings = timings;
    Ok(summary)
}

/// Merges partial extractions and writes the export (`newsgraph merge`).
pub fn merge_and_export(
    parts: Vec<Partial>,
    out: &Path,
    merge: &MergeOptions,
    export_options: &ExportOptions,
) -> Result<BuildSummary, BuildError> {
    let t = Instant::now();
    let (graph, report) = assemble_partials(parts, merge);
    // The extractions are gone: give their memory back before the writers allocate theirs.
    release_free_memory();
    let mut timings = vec![("merge", t.elapsed())];
    let t = Instant::now();
    export::write_export(&graph, &report, out, export_options)?;
    timings.push(("write export", t.elapsed()));
    Ok(BuildSummary { report, timings })
}

/// Returns the heap's free pages to the operating system (glibc keeps them otherwise, so that
/// the peak resident size would be extraction + merge + export instead of their maximum).
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: glibc's malloc_trim only releases unused heap memory; any pad is valid.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// Combines partial extractions ([`partial::combine`]) and merges them into the graph and its
/// report. `options.input` of the report lists the inputs of every run, in run order.
pub fn assemble_partials(
    parts: Vec<Partial>,
    merge: &MergeOptions,
) -> (crate::graph::KnowledgeGraph, Report) {
    let combined = partial::combine(parts);
    let report_options = ReportOptions {
        input: combined.inputs(),
        document_nodes: merge.document_nodes,
        cooccurrence: merge.cooccurrence,
    };
    let mut records = Vec::with_capacity(combined.entries.len());
    let mut extractions = Vec::new();
    for e in combined.entries {
        records.push(e.input);
        extractions.extend(e.doc);
    }
    assemble(records, &extractions, merge, report_options)
}

/// Merges extraction results and builds the report.
pub fn assemble(
    records: Vec<InputRecord>,
    extractions: &[DocExtraction],
    merge: &MergeOptions,
    options: ReportOptions,
) -> (crate::graph::KnowledgeGraph, Report) {
    let merged = resolve::merge(extractions, merge);
    let mentions = merged.graph.nodes().map(|n| n.mentions.len()).sum();
    let counts = Counts {
        documents: records
            .iter()
            .filter(|r| r.status != InputStatus::Skipped)
            .count(),
        skipped: records
            .iter()
            .filter(|r| r.status == InputStatus::Skipped)
            .count(),
        nodes: merged.graph.node_count(),
        edges: merged.graph.edge_count(),
        mentions,
    };
    let mut warnings = merged.warnings;
    warnings.extend(crate::warnings::compute(&merged.graph, &merged.conflicts));
    let report = Report {
        generator: crate::report::generator(),
        schema_version: crate::report::SCHEMA_VERSION,
        options,
        inputs: records,
        counts,
        merges: merged.merges,
        conflicts: merged.conflicts,
        warnings,
        near_duplicates: merged.near_duplicates,
        redirects: merged.redirects,
    };
    (merged.graph, report)
}
