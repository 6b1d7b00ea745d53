//! Reading: planning and decoding the sample files of the BBC bench corpus.
mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use newsgraph::corpus::{Corpus, ReadLimits};

fn bench(c: &mut Criterion) {
    let Some(files) = common::sample_files() else {
        return;
    };
    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum();
    let mut g = c.benchmark_group("corpus");
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("plan_and_read", |b| {
        b.iter(|| {
            let corpus = Corpus::plan(&files, ReadLimits::default()).unwrap();
            corpus.read_all().documents.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
