//! Deterministic training of the two linear models (cased and lower-case) with an averaged
//! structured perceptron (first-order Viterbi under IOB2 constraints), from CoNLL-format data.
//!
//! * case lexicon: per lower-cased word, counts of lower-case / capitalised-mid-sentence /
//!   other-capitalised occurrences in the training data; while training, each sentence sees the
//!   counts of the *other* folds only (5-fold jackknife over contiguous blocks), so that the
//!   feature behaves as it will on unseen text;
//! * document features: CoNLL train has no document markers; pseudo-documents of
//!   [`TrainConfig::pseudo_doc`] consecutive sentences are used;
//! * sentence order shuffled each epoch with a fixed-seed xorshift generator.

use super::features::{
    CLS_LOWER, CLS_MIXED, CLS_PUNCT, CLS_TITLE, CLS_UPPER, NT, SENT_NORMAL, TAG_NAMES, TokFeat,
    for_each_feature, lex_bucket, sentence_class, type_bucket, word_feat,
};
use super::lists::{PhraseLists, PhraseListsBuilder};
use super::model::{FORBID, Lexicon, LinearModel, allowed, fingerprint};
use super::{DocCounts, IdMap, Tagger, add_doc_flags, viterbi};

#[derive(Clone)]
pub struct Sentence {
    pub words: Vec<String>,
    pub tags: Vec<u8>,
    /// jackknife fold (set by [`train`])
    pub fold: u8,
    /// a case-augmented copy (used for the cased model only)
    pub augmented: bool,
}

/// Reads `TOKEN [POS ...] TAG` lines (IOB2 or IOB1 tags; converted to IOB2), blank line between
/// sentences; `-DOCSTART-` lines are skipped.
pub fn read_conll(text: &str) -> Result<Vec<Sentence>, String> {
    let mut out = Vec::new();
    let mut cur = Sentence {
        words: Vec::new(),
        tags: Vec::new(),
        fold: 0,
        augmented: false,
    };
    for (ln, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with("-DOCSTART-") {
            if !cur.words.is_empty() {
                out.push(std::mem::replace(
                    &mut cur,
                    Sentence {
                        words: Vec::new(),
                        tags: Vec::new(),
                        fold: 0,
                        augmented: false,
                    },
                ));
            }
            continue;
        }
        let mut parts = line.split_whitespace();
        let word = parts.next().unwrap();
        let tag = parts
            .last()
            .ok_or_else(|| format!("line {}: no tag", ln + 1))?;
        let t = TAG_NAMES
            .iter()
            .position(|&x| x == tag)
            .ok_or_else(|| format!("line {}: unknown tag {tag}", ln + 1))?;
        cur.words.push(word.to_string());
        cur.tags.push(t as u8);
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    // IOB1 -> IOB2
    for s in &mut out {
        for i in 0..s.tags.len() {
            let t = s.tags[i] as usize;
            let prev = if i == 0 { NT } else { s.tags[i - 1] as usize };
            if !allowed(prev, t) {
                s.tags[i] = (t - 1) as u8;
            }
        }
    }
    Ok(out)
}

#[derive(Clone, Debug)]
pub struct TrainConfig {
    pub epochs: usize,
    pub seed: u64,
    pub folds: usize,
    pub pseudo_doc: usize,
    /// drop features seen fewer times than this in training
    pub min_count: u32,
    /// |weight| quantile that maps to i8 127 (larger weights are clipped)
    pub clip_quantile: f32,
    /// after averaging, drop features whose largest |weight| is below this fraction of the
    /// quantisation step (0 = keep everything that does not round to zero)
    pub prune: f32,
    /// save extra snapshots after these epochs (path suffix `.eN`)
    pub snapshots: Vec<usize>,
    pub verbose: bool,
    /// folder with newsgraph's name lists (gazetteer.tsv, regions.tsv, groups.tsv,
    /// person_first_names.txt, titles.tsv); compiled into the model as list features
    pub lists_dir: Option<std::path::PathBuf>,
    /// add a Title-Cased copy of every n-th normally-cased sentence (0 = none), so that the model
    /// sees headline-style capitalisation (CoNLL headlines are all upper case)
    pub title_case_every: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 12,
            seed: 0x5EED_2003,
            folds: 5,
            pseudo_doc: 15,
            min_count: 1,
            clip_quantile: 0.9999,
            prune: 6.0,
            snapshots: Vec::new(),
            verbose: true,
            title_case_every: 8,
            lists_dir: None,
        }
    }
}

/// Counts per lower-cased word: [lower, capitalised mid-sentence, other capitalised, then tagged
/// O, PER, ORG, LOC, MISC].
type Counts = IdMap<[u32; 8]>;

fn count_case(sents: &[Sentence], folds: usize) -> (Counts, Vec<Counts>) {
    let mut total: Counts = IdMap::default();
    let mut per: Vec<Counts> = (0..folds).map(|_| IdMap::default()).collect();
    let n = sents.len();
    let mut feats = Vec::new();
    for (si, s) in sents.iter().enumerate() {
        let fold = si * folds / n;
        feats.clear();
        feats.extend(s.words.iter().map(|w| word_feat(w, false)));
        let normal = sentence_class(&feats) == SENT_NORMAL;
        for i in 0..feats.len() {
            let f = &feats[i];
            let ty = 3 + (s.tags[i] as usize).div_ceil(2);
            total.entry(f.w).or_insert([0; 8])[ty] += 1;
            per[fold].entry(f.w).or_insert([0; 8])[ty] += 1;
            let k = if f.cls == CLS_LOWER {
                0
            } else if matches!(f.cls, CLS_TITLE | CLS_UPPER | CLS_MIXED) {
                if normal && i > 0 && feats[i - 1].cls != CLS_PUNCT {
                    1
                } else {
                    2
                }
            } else {
                continue;
            };
            total.entry(f.w).or_insert([0; 8])[k] += 1;
            per[fold].entry(f.w).or_insert([0; 8])[k] += 1;
        }
    }
    (total, per)
}

fn bucket_of(c: [u32; 8]) -> u16 {
    lex_bucket(c[0], c[1], c[2]) as u16 | (type_bucket(&[c[3], c[4], c[5], c[6], c[7]]) as u16) << 8
}

/// Pre-extracted features of a training set for one mode.
struct Extracted {
    /// feature indexes, token i's features are `feat[tok_off[i]..tok_off[i+1]]`
    feat: Vec<u32>,
    tok_off: Vec<u32>,
    /// sentence token ranges
    sent: Vec<(usize, usize)>,
    gold: Vec<u8>,
    hashes: Vec<u64>,
}

fn extract(
    sents: &[Sentence],
    lower: bool,
    total: &Counts,
    per: &[Counts],
    lists: &PhraseLists,
    cfg: &TrainConfig,
) -> Extracted {
    let n = sents.len();
    // pass 1: all feature hashes per token
    let mut raw: Vec<u64> = Vec::new();
    let mut tok_off: Vec<u32> = vec![0];
    let mut sent_r = Vec::with_capacity(n);
    let mut gold = Vec::new();
    let mut feats: Vec<TokFeat> = Vec::new();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut dc = DocCounts::default();
    let mut ntok = 0usize;
    let mut d0 = 0;
    while d0 < n {
        let d1 = (d0 + cfg.pseudo_doc).min(n);
        feats.clear();
        ranges.clear();
        for si in d0..d1 {
            let s = &sents[si];
            let fold = s.fold as usize;
            let a = feats.len();
            for w in &s.words {
                let lw;
                let w: &str = if lower {
                    lw = w.to_lowercase();
                    &lw
                } else {
                    w
                };
                let mut f = word_feat(w, lower);
                let mut c = total.get(&f.w).copied().unwrap_or([0; 8]);
                if let Some(x) = per[fold].get(&f.w) {
                    for k in 0..8 {
                        c[k] -= x[k];
                    }
                }
                let v = bucket_of(c);
                f.lex = v as u8;
                f.tlex = (v >> 8) as u8;
                (f.list1, f.list1c) = lists.first(f.w);
                feats.push(f);
            }
            lists.add_flags(&mut feats[a..], lower);
            ranges.push((a, feats.len()));
        }
        if !lower {
            add_doc_flags(&mut feats, &ranges, &mut dc);
        }
        for (k, &(a, b)) in ranges.iter().enumerate() {
            let s = &sents[d0 + k];
            let sf = &feats[a..b];
            let sc = sentence_class(sf);
            for i in 0..sf.len() {
                for_each_feature(sf, i, sc, |h| raw.push(h));
                tok_off.push(raw.len() as u32);
            }
            sent_r.push((ntok, ntok + sf.len()));
            ntok += sf.len();
            gold.extend_from_slice(&s.tags);
        }
        d0 = d1;
    }
    // pass 2: dictionary
    let mut cnt: IdMap<u32> = IdMap::default();
    for &h in &raw {
        *cnt.entry(h).or_insert(0) += 1;
    }
    let mut keys: Vec<u64> = cnt
        .iter()
        .filter(|x| *x.1 >= cfg.min_count)
        .map(|x| *x.0)
        .collect();
    keys.sort_unstable();
    let idx: IdMap<u32> = keys
        .iter()
        .enumerate()
        .map(|(i, &h)| (h, i as u32))
        .collect();
    let mut feat = Vec::with_capacity(raw.len());
    let mut new_off = Vec::with_capacity(tok_off.len());
    new_off.push(0u32);
    for t in 0..tok_off.len() - 1 {
        for &h in &raw[tok_off[t] as usize..tok_off[t + 1] as usize] {
            if let Some(&i) = idx.get(&h) {
                feat.push(i);
            }
        }
        new_off.push(feat.len() as u32);
    }
    Extracted {
        feat,
        tok_off: new_off,
        sent: sent_r,
        gold,
        hashes: keys,
    }
}

type FloatWeights = Vec<(u64, [f32; NT])>;

struct Perceptron {
    w: Vec<f32>,
    u: Vec<f64>,
    tw: [[f32; NT]; NT + 1],
    tu: [[f64; NT]; NT + 1],
    c: f64,
}

impl Perceptron {
    #[inline]
    fn upd(&mut self, f: usize, k: usize, d: f32) {
        self.w[f * NT + k] += d;
        self.u[f * NT + k] += self.c * d as f64;
    }
    fn averaged(&self, hashes: &[u64]) -> (FloatWeights, [[f32; NT]; NT + 1]) {
        let mut feats = Vec::with_capacity(hashes.len());
        for (i, &h) in hashes.iter().enumerate() {
            let mut a = [0f32; NT];
            let mut nz = false;
            for k in 0..NT {
                a[k] = (self.w[i * NT + k] as f64 - self.u[i * NT + k] / self.c) as f32;
                nz |= a[k] != 0.0;
            }
            if nz {
                feats.push((h, a));
            }
        }
        let mut t = [[0f32; NT]; NT + 1];
        for p in 0..=NT {
            for k in 0..NT {
                t[p][k] = (self.tw[p][k] as f64 - self.tu[p][k] / self.c) as f32;
            }
        }
        (feats, t)
    }
}

fn xorshift(s: &mut u64) -> u64 {
    let mut x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    x
}

/// Trains one mode; returns the quantised model after the last epoch and at each snapshot epoch.
fn train_mode(
    sents: &[Sentence],
    lower: bool,
    total: &Counts,
    per: &[Counts],
    lists: &PhraseLists,
    cfg: &TrainConfig,
) -> Vec<(usize, LinearModel)> {
    let t0 = std::time::Instant::now();
    let own: Vec<Sentence>;
    let sents = if lower {
        own = sents.iter().filter(|s| !s.augmented).cloned().collect();
        &own[..]
    } else {
        sents
    };
    let ex = extract(sents, lower, total, per, lists, cfg);
    let nf = ex.hashes.len();
    if cfg.verbose {
        eprintln!(
            "[{}] {} sentences, {} tokens, {} features ({:.1}s)",
            if lower { "lower" } else { "cased" },
            ex.sent.len(),
            ex.gold.len(),
            nf,
            t0.elapsed().as_secs_f32()
        );
    }
    let mut p = Perceptron {
        w: vec![0.0; nf * NT],
        u: vec![0.0; nf * NT],
        tw: [[0.0; NT]; NT + 1],
        tu: [[0.0; NT]; NT + 1],
        c: 1.0,
    };
    let mut order: Vec<usize> = (0..ex.sent.len()).collect();
    let mut rng = cfg.seed ^ if lower { 0x1111 } else { 0 } | 1;
    let mut emis: Vec<[f32; NT]> = Vec::new();
    let mut back = Vec::new();
    let mut pred = Vec::new();
    let mut out = Vec::new();
    for epoch in 1..=cfg.epochs {
        for i in (1..order.len()).rev() {
            let j = (xorshift(&mut rng) % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut errs = 0usize;
        for &si in &order {
            let (a, b) = ex.sent[si];
            emis.clear();
            for t in a..b {
                let mut e = [0f32; NT];
                for &f in &ex.feat[ex.tok_off[t] as usize..ex.tok_off[t + 1] as usize] {
                    let row = &p.w[f as usize * NT..f as usize * NT + NT];
                    for k in 0..NT {
                        e[k] += row[k];
                    }
                }
                emis.push(e);
            }
            let mut tr = p.tw;
            for pp in 0..=NT {
                for k in 0..NT {
                    if !allowed(pp, k) {
                        tr[pp][k] = FORBID as f32 * 4.0;
                    }
                }
            }
            viterbi(&tr, &emis, &mut back, &mut pred);
            let gold = &ex.gold[a..b];
            if pred.as_slice() != gold {
                for i in 0..b - a {
                    let (g, q) = (gold[i] as usize, pred[i] as usize);
                    if g != q {
                        errs += 1;
                        let t = a + i;
                        for fi in ex.tok_off[t] as usize..ex.tok_off[t + 1] as usize {
                            let f = ex.feat[fi] as usize;
                            p.upd(f, g, 1.0);
                            p.upd(f, q, -1.0);
                        }
                    }
                    let gp = if i == 0 { NT } else { gold[i - 1] as usize };
                    let qp = if i == 0 { NT } else { pred[i - 1] as usize };
                    if (gp, g) != (qp, q) {
                        p.tw[gp][g] += 1.0;
                        p.tu[gp][g] += p.c;
                        p.tw[qp][q] -= 1.0;
                        p.tu[qp][q] -= p.c;
                    }
                }
            }
            p.c += 1.0;
        }
        if cfg.verbose {
            eprintln!(
                "[{}] epoch {epoch}: {errs} token errors ({:.1}s)",
                if lower { "lower" } else { "cased" },
                t0.elapsed().as_secs_f32()
            );
        }
        if epoch == cfg.epochs || cfg.snapshots.contains(&epoch) {
            let (mut feats, trans) = p.averaged(&ex.hashes);
            if cfg.prune > 0.0 {
                // scale as quantise() will compute it, then drop small rows
                let mut mags: Vec<f32> = feats
                    .iter()
                    .flat_map(|(_, w)| w.iter().map(|x| x.abs()))
                    .filter(|&x| x > 0.0)
                    .collect();
                let k = ((mags.len() as f32 - 1.0) * cfg.clip_quantile) as usize;
                let (_, v, _) = mags.select_nth_unstable_by(k, |a, b| a.partial_cmp(b).unwrap());
                let step = *v / 127.0;
                let thr = step * cfg.prune;
                feats.retain(|(_, w)| w.iter().any(|x| x.abs() >= thr));
            }
            out.push((
                epoch,
                LinearModel::quantise(&feats, &trans, cfg.clip_quantile),
            ));
        }
    }
    out
}

/// Trains both models (in parallel) and returns the tagger after the last epoch plus snapshots
/// `(epoch, tagger)` for the configured snapshot epochs.
pub fn train(sents: &[Sentence], cfg: &TrainConfig) -> std::io::Result<Vec<(usize, Tagger)>> {
    let (total, per) = count_case(sents, cfg.folds);
    let n = sents.len();
    let mut all: Vec<Sentence> = Vec::with_capacity(n + n / 4);
    let mut normal_seen = 0usize;
    let mut feats = Vec::new();
    for (si, s) in sents.iter().enumerate() {
        let mut s = s.clone();
        s.fold = (si * cfg.folds / n) as u8;
        feats.clear();
        feats.extend(s.words.iter().map(|w| word_feat(w, false)));
        let aug = cfg.title_case_every > 0
            && s.words.len() >= 5
            && sentence_class(&feats) == SENT_NORMAL
            && {
                normal_seen += 1;
                normal_seen.is_multiple_of(cfg.title_case_every)
            };
        let copy = if aug { Some(title_case(&s)) } else { None };
        all.push(s);
        if let Some(c) = copy {
            all.push(c);
        }
    }
    let sents = &all[..];
    let lists = match &cfg.lists_dir {
        Some(d) => PhraseListsBuilder::from_dir(d)?.build(),
        None => PhraseLists::default(),
    };
    if cfg.verbose {
        eprintln!("name lists: {} phrases", lists.len());
    }
    let (cased, lower) = std::thread::scope(|s| {
        let h = s.spawn(|| train_mode(sents, true, &total, &per, &lists, cfg));
        let c = train_mode(sents, false, &total, &per, &lists, cfg);
        (c, h.join().unwrap())
    });
    let mut lex_entries: Vec<(u32, u16)> = Vec::new();
    for (&w, &c) in total.iter() {
        let b = bucket_of(c);
        if b != 0 {
            lex_entries.push((fingerprint(w), b));
        }
    }
    let mut out = Vec::new();
    for ((e1, m1), (_, m2)) in cased.into_iter().zip(lower) {
        out.push((
            e1,
            Tagger {
                id: super::new_id(),
                cased: m1,
                lower: m2,
                lex: Lexicon::new(lex_entries.clone()),
                lists: lists.clone(),
            },
        ));
    }
    Ok(out)
}

const SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "by", "with",
    "from", "as", "vs",
];

/// Headline-style copy: lower-case words of 4+ letters (and other non-function words) capitalised.
fn title_case(s: &Sentence) -> Sentence {
    let words = s
        .words
        .iter()
        .map(|w| {
            if w.chars().all(|c| c.is_lowercase()) && !SMALL_WORDS.contains(&w.as_str()) {
                let mut c = w.chars();
                let f = c.next().unwrap();
                f.to_uppercase().chain(c).collect()
            } else {
                w.clone()
            }
        })
        .collect();
    Sentence {
        words,
        tags: s.tags.clone(),
        fold: s.fold,
        augmented: true,
    }
}

/// Splits CoNLL sentences' tokens (for tests / tools).
pub fn sentence_strs(s: &Sentence) -> Vec<&str> {
    s.words.iter().map(|w| w.as_str()).collect()
}
