//! Entity extraction (`extract::entities::extract_entities`: tagger, lexicons, coreference) on
//! prepared documents.
mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use newsgraph::extract::{DocExtraction, SentenceIndex, entities};
use newsgraph::text;

fn empty(doc: &str) -> DocExtraction {
    // Through serde, so that fields added later (with serde defaults) need no change here.
    serde_json::from_value(serde_json::json!({
        "doc": doc, "sentences": [], "entities": [], "mentions": [], "relations": []
    }))
    .expect("an empty extraction")
}

fn bench(c: &mut Criterion) {
    let Some(docs) = common::sample_documents() else {
        return;
    };
    let prepared: Vec<_> = docs.iter().map(text::prepare).collect();
    let mut g = c.benchmark_group("extract");
    g.throughput(Throughput::Bytes(common::text_bytes(&docs)));
    g.bench_function("entities", |b| {
        b.iter(|| {
            let mut n = 0;
            for p in &prepared {
                let mut out = empty(&p.doc.id);
                let mut sidx = SentenceIndex::default();
                entities::extract_entities(p, &mut out, &mut sidx);
                n += out.entities.len();
            }
            n
        })
    });
    g.bench_function("whole_document", |b| {
        b.iter(|| {
            prepared
                .iter()
                .map(|p| newsgraph::extract::extract(p).relations.len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
