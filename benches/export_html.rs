//! Writer benchmark: graph.html of the sample's graph, into memory.
mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use newsgraph::export::{HtmlWriter, Meta};

fn bench(c: &mut Criterion) {
    common::bench_writer(c, "html", |graph, report, buf| {
        let _meta = Meta::from_report(report);
        HtmlWriter::new(buf).write_graph(graph, &_meta)
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
