//! The `build` pipeline: read every input, extract each document in parallel, merge, export.

use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::corpus::{Corpus, CorpusError, DuplicateFilter, ReadLimits, ReadOutcome};
use crate::export::{self, ExportError, ExportOptions};
use crate::extract::{self, DocExtraction};
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
    panic::catch_unwind(AssertUnwindSafe(|| {
        let prepared = text::prepare(doc);
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

/// Reads and extracts every input. Results are in input order whatever the thread count.
pub fn extract_corpus(corpus: &Corpus) -> (Vec<InputRecord>, Vec<DocExtraction>) {
    let per_input: Vec<(ReadOutcome, Vec<Result<DocExtraction, String>>)> = (0..corpus.len())
        .into_par_iter()
        .map(|i| {
            let outcome = corpus.read(i);
            let results = outcome.documents.iter().map(extract_document).collect();
            (outcome, results)
        })
        .collect();
    let mut records = Vec::new();
    let mut extractions = Vec::new();
    let mut dedup = DuplicateFilter::default();
    for (mut outcome, results) in per_input {
        let kept = dedup.apply(&mut outcome);
        let kept_results = results.into_iter().zip(kept).filter(|(_, k)| *k);
        let mut recs = outcome
            .records
            .iter_mut()
            .filter(|r| r.status != InputStatus::Skipped);
        for ((result, _), doc) in kept_results.zip(&outcome.documents) {
            // The record of this document is the next one that is not skipped.
            let rec = recs.find(|r| r.doc == doc.id);
            match result {
                Ok(x) => extractions.push(x),
                Err(reason) => {
                    if let Some(rec) = rec {
                        rec.status = InputStatus::Skipped;
                        rec.reason = Some(reason);
                    }
                }
            }
        }
        records.append(&mut outcome.records);
    }
    (records, extractions)
}

/// Runs a whole build and writes the export.
pub fn build(settings: &BuildSettings) -> Result<BuildSummary, BuildError> {
    let corpus = Corpus::plan(&settings.inputs, settings.limits.clone())?;
    let (records, extractions) = extract_corpus(&corpus);
    let report_options = ReportOptions {
        input: settings
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        document_nodes: settings.merge.document_nodes,
        cooccurrence: settings.merge.cooccurrence,
    };
    let (graph, report) = assemble(records, &extractions, &settings.merge, report_options);
    export::write_export(&graph, &report, &settings.out, &settings.export)?;
    Ok(BuildSummary { report })
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
    let report = Report {
        generator: crate::report::generator(),
        schema_version: crate::report::SCHEMA_VERSION,
        options,
        inputs: records,
        counts,
        merges: merged.merges,
        conflicts: merged.conflicts,
        warnings: merged.warnings,
    };
    (merged.graph, report)
}
