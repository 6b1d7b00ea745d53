//! Per-document extraction: mentions of people, groups and places, within-document
//! coreference, relations with their evidence sentence, and attack frames.
//!
//! Extraction is pure: [`extract`] takes one prepared document and returns a
//! [`DocExtraction`], which holds everything the merge step needs (and nothing that depends
//! on other documents). It is serialisable, so that extraction results can be written as JSONL
//! and merged later or elsewhere.

pub mod attacks;
pub mod dates;
pub mod entities;
pub mod lex;
pub mod relations;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::graph::{Evidence, Merge, NodeKind, PlaceInfo, Qualifier, Span};
use crate::text::Prepared;

/// An entity as one document knows it: all its mentions in that document are one thing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalEntity {
    pub kind: NodeKind,
    /// The fullest name the document uses.
    pub name: String,
    /// The lexicon entry (group slug or GeoNames id as `gn:<id>`) when the name is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lexicon: Option<String>,
    /// Canonical name from the lexicon, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    /// Every surface form used in the document, sorted.
    pub aliases: Vec<String>,
    /// Why surface forms were merged within the document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merges: Vec<Merge>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<PlaceInfo>,
    /// Lexicon slug of the parent group (a branch's parent), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// One mention of a local entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// Index into [`DocExtraction::entities`].
    pub entity: usize,
    /// Character offsets into the document text.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Index into [`DocExtraction::sentences`].
    pub sentence: usize,
}

/// One end of a relation: a local entity or a local attack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Endpoint {
    Entity(usize),
    Attack(usize),
}

/// A relation stated by one sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationMention {
    pub rel: std::borrow::Cow<'static, str>,
    pub source: Endpoint,
    pub target: Endpoint,
    /// Index into [`DocExtraction::sentences`].
    pub sentence: usize,
}

/// A sentence of the document: character offsets and its text (the evidence quote).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceRef {
    pub start: usize,
    pub end: usize,
    /// Shared with every [`Evidence`] that quotes the sentence.
    pub text: std::sync::Arc<str>,
}

/// One reported figure (a death or injury toll) with its place in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Casualty {
    pub value: u64,
    pub qualifier: Qualifier,
    /// The figure as written ("at least 60", "hundreds"), character offsets.
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Index into [`DocExtraction::sentences`].
    pub sentence: usize,
}

/// How a document links an actor to an attack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Responsibility {
    Perpetrated,
    Claimed,
    Suspected,
    Denied,
}

/// An attack as one document reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalAttack {
    /// Every trigger ("attack", "opened fire", "bombing"), in text order; the first names it.
    pub triggers: Vec<Span>,
    /// The date when the document gives one (ISO 8601, reduced precision allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<dates::PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_source: Option<Span>,
    /// Local place entities where it happened, most specific first.
    pub places: Vec<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    pub killed: Vec<Casualty>,
    pub injured: Vec<Casualty>,
    /// Role fillers: spans of this document.
    pub attacker: Vec<Span>,
    pub target: Vec<Span>,
    pub victim: Vec<Span>,
    pub place: Vec<Span>,
    pub instrument: Vec<Span>,
    /// Actors and what the document says of their part.
    pub actors: Vec<(usize, Responsibility)>,
}

/// Maps the sentences of a prepared document to [`DocExtraction::sentences`], adding each
/// the first time it is needed.
#[derive(Debug, Default, Clone)]
pub struct SentenceIndex {
    map: BTreeMap<usize, usize>,
}

impl SentenceIndex {
    pub fn get(&mut self, prepared: &Prepared<'_>, out: &mut DocExtraction, si: usize) -> usize {
        *self.map.entry(si).or_insert_with(|| {
            let s = &prepared.sentences[si];
            out.sentences.push(SentenceRef {
                start: s.start,
                end: s.end,
                text: prepared.text()[s.byte_start..s.byte_end].into(),
            });
            out.sentences.len() - 1
        })
    }

    /// The extraction's index of prepared sentence `si`, if it was added.
    pub fn lookup(&self, si: usize) -> Option<usize> {
        self.map.get(&si).copied()
    }
}

/// Everything extracted from one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocExtraction {
    pub doc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Sentences that are the evidence of a relation or hold a mention, by index.
    pub sentences: Vec<SentenceRef>,
    pub entities: Vec<LocalEntity>,
    pub mentions: Vec<Mention>,
    pub relations: Vec<RelationMention>,
    #[serde(default)]
    pub attacks: Vec<LocalAttack>,
    /// MinHash signature of the document's word 5-grams, to find syndicated copies and
    /// near-duplicates across documents (empty for very short documents).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fingerprint: Vec<u64>,
}

impl DocExtraction {
    /// The evidence record of sentence `i`.
    pub fn evidence(&self, i: usize) -> Option<Evidence> {
        self.sentences.get(i).map(|s| Evidence {
            doc: self.doc.clone(),
            start: s.start,
            end: s.end,
            quote: s.text.clone(),
        })
    }
}

/// Can two place entities be where one attack happened? The same place, one name inside the
/// other ("Kabul International Airport" and "Kabul"), or a place and its country ("Kerman" and
/// "Iran"). Places that are not in the gazetteer are compatible with everything.
pub fn place_compatible(a: &LocalEntity, b: &LocalEntity) -> bool {
    if a.lexicon.is_some() && a.lexicon == b.lexicon {
        return true;
    }
    let ka = crate::resolve::name_key(&a.name);
    let kb = crate::resolve::name_key(&b.name);
    if ka == kb || contains_words(&ka, &kb) || contains_words(&kb, &ka) {
        return true;
    }
    let country = |e: &LocalEntity| e.place.as_ref().and_then(|p| p.country.clone());
    match (country(a), country(b)) {
        (Some(ca), Some(cb)) => ca == cb && (is_country(a) || is_country(b)),
        // Outside the gazetteer (a venue, a facility): no evidence of a conflict.
        _ => a.lexicon.is_none() || b.lexicon.is_none(),
    }
}

/// Is this place entity a country of the gazetteer?
pub fn is_country(e: &LocalEntity) -> bool {
    let cc = e.place.as_ref().and_then(|p| p.country.as_deref());
    e.lexicon.as_deref().is_some_and(|l| {
        cc.is_some_and(|cc| {
            crate::lexicon::lexicon()
                .places
                .country(cc)
                .is_some_and(|c| c.id() == l)
        })
    })
}

fn contains_words(hay: &str, needle: &str) -> bool {
    format!(" {hay} ").contains(&format!(" {needle} "))
}

/// Extracts one document.
pub fn extract(prepared: &Prepared<'_>) -> DocExtraction {
    let doc = prepared.doc;
    let mut out = DocExtraction {
        doc: doc.id.clone(),
        title: prepared.title.clone(),
        date: prepared.date.clone(),
        url: doc.url.clone(),
        sentences: Vec::new(),
        entities: Vec::new(),
        mentions: Vec::new(),
        relations: Vec::new(),
        attacks: Vec::new(),
        fingerprint: fingerprint(prepared),
    };
    let mut sidx = SentenceIndex::default();
    // Cut once, shared by the entity and attack extractors.
    let tokens = crate::text::SentenceTokens::new(prepared);
    entities::extract_entities_with(prepared, &tokens, &mut out, &mut sidx);
    cooccurrences(&mut out);
    relations::extract_relations(&mut out);
    attacks::extract_attacks(prepared, &mut out, &mut sidx, &tokens);
    // Extractions are held until the merge: no spare capacity.
    out.sentences.shrink_to_fit();
    out.entities.shrink_to_fit();
    out.mentions.shrink_to_fit();
    out.relations.shrink_to_fit();
    out.attacks.shrink_to_fit();
    out
}

/// Number of MinHash values in a fingerprint.
pub const FINGERPRINT_LEN: usize = 32;

/// The MinHash signature of a document's word 5-grams (lower-cased words of its sentences).
pub fn fingerprint(prepared: &Prepared<'_>) -> Vec<u64> {
    let text = prepared.text();
    let mut words: Vec<u64> = Vec::new();
    for s in &prepared.sentences {
        fingerprint_words(&text[s.byte_start..s.byte_end], &mut words);
    }
    if words.len() < 20 {
        return Vec::new();
    }
    let mut mins = [u64::MAX; FINGERPRINT_LEN];
    minhash(&words, &mut mins);
    mins.to_vec()
}

/// The MinHash seeds: `(k + 1) * golden ratio`.
const SEEDS: [u64; FINGERPRINT_LEN] = {
    let mut s = [0u64; FINGERPRINT_LEN];
    let mut k = 0;
    while k < FINGERPRINT_LEN {
        s[k] = (k as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        k += 1;
    }
    s
};

/// Lowers `mins[k]` to the smallest `mix(h ^ SEEDS[k])` over the hashes `h` of the word
/// 5-grams of `words`. Vectorised where the CPU allows (same values on every path).
fn minhash(words: &[u64], mins: &mut [u64; FINGERPRINT_LEN]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512dq")
            && std::arch::is_x86_feature_detected!("avx512vl")
        {
            // SAFETY: the CPU supports the enabled features (checked just above).
            return unsafe { minhash_avx512(words, mins) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 (checked just above).
            return unsafe { minhash_avx2(words, mins) };
        }
    }
    minhash_generic(words, mins)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl")]
unsafe fn minhash_avx512(words: &[u64], mins: &mut [u64; FINGERPRINT_LEN]) {
    minhash_generic(words, mins)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn minhash_avx2(words: &[u64], mins: &mut [u64; FINGERPRINT_LEN]) {
    minhash_generic(words, mins)
}

#[inline(always)]
fn minhash_generic(words: &[u64], mins: &mut [u64; FINGERPRINT_LEN]) {
    for win in words.windows(5) {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for w in win {
            h = (h ^ w).wrapping_mul(0x0000_0100_0000_01b3);
        }
        for k in 0..FINGERPRINT_LEN {
            let mut x = h ^ SEEDS[k];
            x ^= x >> 33;
            x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
            x ^= x >> 33;
            mins[k] = mins[k].min(x);
        }
    }
}

/// Lower-case form of each ASCII byte that is alphanumeric, 0 for every other byte.
static WORD_BYTE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

/// Appends the hash of every word of `s` (maximal run of alphanumeric characters): FNV-1a of
/// its lower-cased UTF-8 bytes. ASCII words are hashed as they are read, without allocating;
/// a word with a non-ASCII character is lower-cased as a whole.
fn fingerprint_words(s: &str, words: &mut Vec<u64>) {
    const FNV0: u64 = 0xcbf2_9ce4_8422_2325;
    const FNVP: u64 = 0x0000_0100_0000_01b3;
    let b = s.as_bytes();
    let n = b.len();
    let mut i = 0;
    // The alphanumeric character at byte `i` (non-ASCII), with its length.
    let alnum_at = |i: usize| -> Option<usize> {
        let c = s[i..].chars().next()?;
        c.is_alphanumeric().then(|| c.len_utf8())
    };
    while i < n {
        // Between words: skip ASCII separators, then a non-ASCII separator.
        while i < n && b[i] < 0x80 && WORD_BYTE[b[i] as usize] == 0 {
            i += 1;
        }
        if i >= n {
            break;
        }
        if b[i] >= 0x80 && alnum_at(i).is_none() {
            i += s[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        // A word starts at `i`.
        let start = i;
        let mut ascii = true;
        let mut h = FNV0;
        loop {
            while i < n {
                let l = WORD_BYTE[b[i] as usize];
                if l == 0 {
                    break;
                }
                h = (h ^ u64::from(l)).wrapping_mul(FNVP);
                i += 1;
            }
            if i < n
                && b[i] >= 0x80
                && let Some(len) = alnum_at(i)
            {
                ascii = false;
                i += len;
                continue;
            }
            break;
        }
        words.push(if ascii {
            h
        } else {
            crate::graph::fnv1a64(s[start..i].to_lowercase().as_bytes())
        });
    }
}

#[cfg(test)]
/// [`fingerprint_words`] before the table-driven loop (the reference of its tests).
///
/// Appends the hash of every word of `s` (maximal run of alphanumeric characters): FNV-1a of
/// its lower-cased UTF-8 bytes. ASCII words are hashed as they are read, without allocating.
fn fingerprint_words_reference(s: &str, words: &mut Vec<u64>) {
    const FNV0: u64 = 0xcbf2_9ce4_8422_2325;
    const FNVP: u64 = 0x0000_0100_0000_01b3;
    let b = s.as_bytes();
    let mut i = 0;
    // Current word: start, ASCII so far, hash of its lower-cased bytes so far.
    let mut start: Option<usize> = None;
    let mut ascii = true;
    let mut h = FNV0;
    let mut end_word = |start: &mut Option<usize>, ascii: &mut bool, h: &mut u64, at: usize| {
        if let Some(ws) = start.take() {
            words.push(if *ascii {
                *h
            } else {
                crate::graph::fnv1a64(s[ws..at].to_lowercase().as_bytes())
            });
        }
        *ascii = true;
        *h = FNV0;
    };
    while i < b.len() {
        let x = b[i];
        if x < 0x80 {
            if x.is_ascii_alphanumeric() {
                if start.is_none() {
                    start = Some(i);
                }
                h ^= u64::from(x.to_ascii_lowercase());
                h = h.wrapping_mul(FNVP);
            } else {
                end_word(&mut start, &mut ascii, &mut h, i);
            }
            i += 1;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or('\0');
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
            ascii = false;
        } else {
            end_word(&mut start, &mut ascii, &mut h, i);
        }
        i += c.len_utf8();
    }
    end_word(&mut start, &mut ascii, &mut h, b.len());
}

/// The share of equal MinHash values: an estimate of the Jaccard similarity of two documents'
/// word 5-grams.
pub fn similarity(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
}

/// Sentences naming more distinct entities than this give no `CO_OCCURS` edges.
pub const MAX_COOCCURRING: usize = 20;

/// `CO_OCCURS` between every pair of distinct entities mentioned in one sentence.
fn cooccurrences(out: &mut DocExtraction) {
    let mut by_sentence: Vec<Vec<usize>> = vec![Vec::new(); out.sentences.len()];
    for m in &out.mentions {
        let ents = &mut by_sentence[m.sentence];
        if !ents.contains(&m.entity) {
            ents.push(m.entity);
        }
    }
    for (s, ents) in by_sentence.iter_mut().enumerate() {
        // A list of names (a table, a roll of victims) says nothing about any pair in it.
        if ents.len() > MAX_COOCCURRING {
            continue;
        }
        ents.sort_unstable();
        for (i, &a) in ents.iter().enumerate() {
            for &b in &ents[i + 1..] {
                out.relations.push(RelationMention {
                    rel: "CO_OCCURS".into(),
                    source: Endpoint::Entity(a),
                    target: Endpoint::Entity(b),
                    sentence: s,
                });
            }
        }
    }
}

#[cfg(test)]
mod relation_tests {
    use super::*;

    /// `rel` is a borrowed static name when extracted and an owned one when read back; both
    /// serialise as the plain string they were before.
    #[test]
    fn relation_names_serialise_as_strings() {
        let r = RelationMention {
            rel: "CO_OCCURS".into(),
            source: Endpoint::Entity(1),
            target: Endpoint::Attack(2),
            sentence: 3,
        };
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(
            json,
            r#"{"rel":"CO_OCCURS","source":{"entity":1},"target":{"attack":2},"sentence":3}"#
        );
        let back: RelationMention = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
        assert!(matches!(back.rel, std::borrow::Cow::Owned(_)));
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
    }
}

#[cfg(test)]
mod fingerprint_tests {
    use proptest::prelude::*;

    use super::*;

    fn texty() -> impl Strategy<Value = String> {
        let special = prop::sample::select(vec![
            ' ', ' ', ',', '.', '\'', '-', 'a', 'b', 'Z', 'Q', '1', '9', 'é', 'É', 'ß', 'İ',
            '\u{301}', 'ا', 'Σ', '\u{a0}', '😀', '_', '\u{0}', '\u{7f}', '½', '²',
        ]);
        prop::collection::vec(prop_oneof![4 => special, 1 => any::<char>()], 0..120)
            .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn fingerprint_words_agrees_with_reference(s in texty()) {
            let (mut a, mut b) = (vec![7], vec![7]);
            fingerprint_words(&s, &mut a);
            fingerprint_words_reference(&s, &mut b);
            prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn words_are_hashed_lower_case() {
        let mut a = Vec::new();
        fingerprint_words("The état, THE x", &mut a);
        assert_eq!(a.len(), 4);
        assert_eq!(a[0], a[2]);
        assert_eq!(a[0], crate::graph::fnv1a64(b"the"));
        assert_eq!(a[1], crate::graph::fnv1a64("état".as_bytes()));
    }
}
