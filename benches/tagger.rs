//! The averaged-perceptron tagger alone (`Tagger::tag_document_into`) on whole documents.
mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use newsgraph::tagger::Tagger;
use newsgraph::text;

fn bench(c: &mut Criterion) {
    let Some(docs) = common::sample_documents() else {
        return;
    };
    let tagger = Tagger::shared();
    let lower: Vec<bool> = docs.iter().map(|d| text::prepare(d).lowercase).collect();
    let mut g = c.benchmark_group("tagger");
    g.throughput(Throughput::Bytes(common::text_bytes(&docs)));
    g.bench_function("tag_document", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            let mut n = 0;
            for (d, &l) in docs.iter().zip(&lower) {
                out.clear();
                tagger.tag_document_into(&d.text, Some(l), &mut out);
                n += out.len();
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
