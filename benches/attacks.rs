//! Attack frames (`extract::attacks::extract_attacks`) after entity extraction.
mod common;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use newsgraph::extract::{DocExtraction, SentenceIndex, attacks, entities};
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
    // The state attack extraction starts from: entities found, sentence index filled.
    let after_entities: Vec<(DocExtraction, SentenceIndex)> = prepared
        .iter()
        .map(|p| {
            let mut out = empty(&p.doc.id);
            let mut sidx = SentenceIndex::default();
            entities::extract_entities(p, &mut out, &mut sidx);
            (out, sidx)
        })
        .collect();
    let mut g = c.benchmark_group("extract");
    g.throughput(Throughput::Bytes(common::text_bytes(&docs)));
    g.bench_function("attacks", |b| {
        b.iter_batched(
            || {
                // The sentence tokens are cut once per document and shared with entity
                // extraction, so they are made outside the measurement (their lower-cased
                // forms, built on first use, are measured).
                after_entities
                    .iter()
                    .zip(&prepared)
                    .map(|((x, s), p)| (x.clone(), s.clone(), text::SentenceTokens::new(p)))
                    .collect::<Vec<_>>()
            },
            |mut state| {
                let mut n = 0;
                for (p, (out, sidx, tokens)) in prepared.iter().zip(state.iter_mut()) {
                    attacks::extract_attacks(p, out, sidx, tokens);
                    n += out.attacks.len();
                }
                n
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
