//! Loading the lexicons (gazetteer, groups, titles, word lists: the fixed start-up cost of every
//! run) and looking up gazetteer names. Needs no corpus.
use criterion::{Criterion, criterion_group, criterion_main};
use newsgraph::lexicon::Lexicon;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("lexicon");
    g.sample_size(10);
    g.bench_function("load", |b| b.iter(Lexicon::load));
    let lexicon = Lexicon::load();
    let names: Vec<String> = lexicon
        .places
        .entries
        .iter()
        .take(20_000)
        .map(|e| e.name.to_string())
        .collect();
    g.bench_function("place_lookup_20000", |b| {
        b.iter(|| {
            names
                .iter()
                .filter(|n| lexicon.places.lookup(n).is_some())
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
