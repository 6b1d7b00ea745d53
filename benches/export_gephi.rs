//! Writer benchmark: gephi/nodes.csv and gephi/edges.csv of the sample's graph, into memory.
mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use newsgraph::export::{GephiWriter, Meta};

fn bench(c: &mut Criterion) {
    common::bench_writer(c, "gephi", |graph, report, buf| {
        let _meta = Meta::from_report(report);
        GephiWriter::new(&mut *buf).write_nodes(graph)?;
        GephiWriter::new(buf).write_edges(graph)
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
