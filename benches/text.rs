//! Text layer: headers, boilerplate, sentences and character offsets (`text::prepare`), and the
//! rule tokenizer (`text::tokenize`) over every sentence.
mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use newsgraph::text;

fn bench(c: &mut Criterion) {
    let Some(docs) = common::sample_documents() else {
        return;
    };
    let mut g = c.benchmark_group("text");
    g.throughput(Throughput::Bytes(common::text_bytes(&docs)));
    g.bench_function("prepare", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| text::prepare(d).sentences.len())
                .sum::<usize>()
        })
    });
    let prepared: Vec<_> = docs.iter().map(text::prepare).collect();
    g.bench_function("tokenize_sentences", |b| {
        let mut tokens = Vec::new();
        b.iter(|| {
            let mut n = 0;
            for p in &prepared {
                for s in &p.sentences {
                    text::tokenize(&p.text()[s.byte_start..s.byte_end], &mut tokens);
                    n += tokens.len();
                }
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
