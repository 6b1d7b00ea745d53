//! Writer benchmark: graph.json of the sample's graph, into memory.
mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use newsgraph::export::{JsonWriter, Meta};

fn bench(c: &mut Criterion) {
    common::bench_writer(c, "json", |graph, report, buf| {
        let _meta = Meta::from_report(report);
        JsonWriter::new(buf).write_graph(graph, &_meta)
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
