//! Writer benchmark: neo4j/nodes.csv, relationships.csv and load.cypher of the sample's graph, into memory.
mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use newsgraph::export::{Meta, Neo4jWriter};

fn bench(c: &mut Criterion) {
    common::bench_writer(c, "neo4j", |graph, report, buf| {
        let _meta = Meta::from_report(report);
        Neo4jWriter::new(&mut *buf).write_nodes(graph)?;
        Neo4jWriter::new(&mut *buf).write_relationships(graph)?;
        Neo4jWriter::new(buf).write_load_cypher(graph, &_meta)
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
