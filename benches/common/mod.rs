//! Shared setup of the stage benchmarks: a fixed sample of the BBC bench corpus
//! (`<repo>/../shared/bench-corpus/bbc`, every 10th file in sorted order, about 220
//! documents and 0.5 MB). When the corpus is absent every benchmark prints a note and returns.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use newsgraph::corpus::{Corpus, Document, ReadLimits};
use newsgraph::extract::DocExtraction;
use newsgraph::graph::KnowledgeGraph;
use newsgraph::pipeline;
use newsgraph::report::{Report, ReportOptions};
use newsgraph::resolve::MergeOptions;

/// Take every `STRIDE`-th file of the corpus.
pub const STRIDE: usize = 10;

/// The bench corpus directory, if present.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench-corpus/bbc");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "bench corpus {} not found: skipping (see BENCHMARKS.md)",
            dir.display()
        );
        None
    }
}

/// The sample's files, sorted.
pub fn sample_files() -> Option<Vec<PathBuf>> {
    let dir = corpus_dir()?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    Some(files.into_iter().step_by(STRIDE).collect())
}

/// The planned corpus of the sample (one input per file).
pub fn sample_corpus() -> Option<Corpus> {
    let files = sample_files()?;
    Some(Corpus::plan(&files, ReadLimits::default()).expect("plan the sample"))
}

/// The sample's documents, read.
pub fn sample_documents() -> Option<Vec<Document>> {
    let corpus = sample_corpus()?;
    Some(corpus.read_all().documents)
}

/// Total bytes of the documents' text (for MB/s throughput).
pub fn text_bytes(docs: &[Document]) -> u64 {
    docs.iter().map(|d| d.text.len() as u64).sum()
}

/// The sample, extracted.
pub fn sample_extractions() -> Option<(Corpus, Vec<DocExtraction>)> {
    let corpus = sample_corpus()?;
    let (_, x) = pipeline::extract_corpus(&corpus);
    Some((corpus, x))
}

/// The sample's graph and report, as the writers get them.
pub fn sample_graph() -> Option<(KnowledgeGraph, Report, u64)> {
    let corpus = sample_corpus()?;
    let bytes = text_bytes(&corpus.read_all().documents);
    let (records, x) = pipeline::extract_corpus(&corpus);
    let options = ReportOptions {
        input: vec!["bbc-sample".into()],
        document_nodes: false,
        cooccurrence: true,
    };
    let (graph, report) = pipeline::assemble(records, &x, &MergeOptions::default(), options);
    Some((graph, report, bytes))
}

/// Benchmarks one writer on the sample's graph: `write` writes the file into the given buffer.
pub fn bench_writer(
    c: &mut criterion::Criterion,
    name: &str,
    write: impl Fn(&KnowledgeGraph, &Report, &mut Vec<u8>) -> std::io::Result<()>,
) {
    let Some((graph, report, _)) = sample_graph() else {
        return;
    };
    let mut probe = Vec::new();
    write(&graph, &report, &mut probe).expect("write");
    let mut g = c.benchmark_group("export");
    // Throughput is of the bytes written.
    g.throughput(criterion::Throughput::Bytes(probe.len() as u64));
    g.bench_function(name, |b| {
        let mut buf = Vec::with_capacity(probe.len());
        b.iter(|| {
            buf.clear();
            write(&graph, &report, &mut buf).unwrap();
            buf.len()
        })
    });
    g.finish();
}
