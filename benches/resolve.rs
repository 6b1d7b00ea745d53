//! Cross-document resolution and merge (`resolve::merge`) of the sample's extractions.
mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use newsgraph::resolve::{self, MergeOptions};

fn bench(c: &mut Criterion) {
    let Some((corpus, extractions)) = common::sample_extractions() else {
        return;
    };
    let bytes = common::text_bytes(&corpus.read_all().documents);
    let mut g = c.benchmark_group("resolve");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(20);
    g.bench_function("merge", |b| {
        b.iter(|| {
            resolve::merge(&extractions, &MergeOptions::default())
                .graph
                .edge_count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
