//! Writer benchmark: graph.graphml of the sample's graph, into memory.
mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use newsgraph::export::{GraphmlWriter, Meta};

fn bench(c: &mut Criterion) {
    common::bench_writer(c, "graphml", |graph, report, buf| {
        let _meta = Meta::from_report(report);
        GraphmlWriter::new(buf).write_graph(graph, &_meta)
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
