//! Name lists compiled into the model as hashed phrases (gazetteer places, groups, first names,
//! person titles) and the per-token flags computed from them ([`PhraseLists::add_flags`]); the
//! flags are features of the model (bits 20..24 of `TokFeat::ext`).
//!
//! The lists are read at training time from newsgraph's `data/` files (see
//! [`PhraseLists::from_dir`]); the model file stores only 32-bit phrase fingerprints, so inference
//! needs no file.

use super::features::{CLS_LOWER, CLS_PUNCT, CLS_UPPER, TokFeat, mix, word_feat};
use super::model::Lexicon;
use super::tokenize::tokenize;

/// Token is inside a place-name phrase (gazetteer, regions).
pub const EXT_PLACE: u32 = 1 << 20;
/// Token is inside a group name / alias.
pub const EXT_GROUP: u32 = 1 << 21;
/// Token is a known first name.
pub const EXT_FIRST: u32 = 1 << 22;
/// Token is (part of) a person title ("Gen.", "Attorney General").
pub const EXT_TITLE: u32 = 1 << 23;
/// The token right before is the end of a person title.
pub const EXT_TITLE_PREV: u32 = 1 << 24;
pub const EXT_LIST_MASK: u32 = EXT_PLACE | EXT_GROUP | EXT_FIRST | EXT_TITLE | EXT_TITLE_PREV;

const V_PLACE: u16 = 1;
const V_GROUP: u16 = 2;
const V_FIRST: u16 = 4;
const V_TITLE: u16 = 8;
/// some longer phrase starts with this one
const V_PREFIX: u16 = 0x100;
/// key salt of case-sensitive (all-caps) aliases such as `=IS`
const CASE_SALT: u64 = 0x5151_7A7A_3C3C_0F0F;
/// longest phrase looked up, in tokens
pub const MAX_PHRASE: usize = 6;

#[inline(always)]
fn phrase_step(h: u64, w: u64) -> u64 {
    mix(h.rotate_left(17) ^ w)
}

/// Hashed phrases -> list bits.
#[derive(Clone)]
pub struct PhraseLists {
    pub(crate) lex: Lexicon,
}

impl Default for PhraseLists {
    fn default() -> Self {
        PhraseLists {
            lex: Lexicon::new(Vec::new()),
        }
    }
}

/// Builder of [`PhraseLists`] from phrases.
#[derive(Default)]
pub struct PhraseListsBuilder {
    entries: std::collections::HashMap<u32, u16>,
}

impl PhraseListsBuilder {
    /// Adds `phrase` (tokenized like text; case-folded) with list bits `v`; a leading `=` marks a
    /// case-sensitive alias, matched only when written in capitals.
    fn add(&mut self, phrase: &str, v: u16) {
        let (phrase, salt) = match phrase.strip_prefix('=') {
            Some(p) => {
                if !p.chars().any(|c| c.is_uppercase()) || p.chars().any(|c| c.is_lowercase()) {
                    return; // only all-caps case-sensitive aliases are supported
                }
                (p, CASE_SALT)
            }
            None => (phrase, 0),
        };
        let phrase = phrase.trim();
        if phrase.is_empty() {
            return;
        }
        let toks = tokenize(phrase);
        if toks.is_empty() || toks.len() > MAX_PHRASE {
            return;
        }
        let mut h = salt;
        for (k, t) in toks.iter().enumerate() {
            if k > 0 {
                *self
                    .entries
                    .entry(super::model::fingerprint(h))
                    .or_insert(0) |= V_PREFIX;
            }
            h = phrase_step(h, word_feat(t.text(phrase), true).w);
        }
        *self
            .entries
            .entry(super::model::fingerprint(h))
            .or_insert(0) |= v;
    }

    pub fn build(self) -> PhraseLists {
        PhraseLists {
            lex: Lexicon::new(self.entries.into_iter().collect()),
        }
    }

    /// Reads newsgraph's list files from `dir` (those present): `gazetteer.tsv` and
    /// `regions.tsv` (name + `|`-separated alt_names -> place), `groups.tsv` (canonical_name +
    /// aliases -> group), `person_first_names.txt` (first names), `titles.tsv` (titles).
    pub fn from_dir(dir: &std::path::Path) -> std::io::Result<PhraseListsBuilder> {
        let mut b = PhraseListsBuilder::default();
        let rows = |name: &str| -> std::io::Result<Vec<Vec<String>>> {
            let p = dir.join(name);
            if !p.exists() {
                return Ok(Vec::new());
            }
            let text = std::fs::read_to_string(p)?;
            Ok(text
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(|l| l.split('\t').map(|s| s.to_string()).collect())
                .collect())
        };
        for file in ["gazetteer.tsv", "regions.tsv"] {
            for r in rows(file)?.iter().skip(1) {
                if let Some(n) = r.get(1) {
                    b.add(n, V_PLACE);
                }
                for a in r.get(7).map(|s| s.split('|')).into_iter().flatten() {
                    b.add(a, V_PLACE);
                }
            }
        }
        for r in rows("groups.tsv")?.iter().skip(1) {
            if let Some(n) = r.get(1) {
                b.add(n, V_GROUP);
            }
            for a in r.get(4).map(|s| s.split('|')).into_iter().flatten() {
                b.add(a, V_GROUP);
            }
        }
        for r in rows("person_first_names.txt")? {
            b.add(&r[0], V_FIRST);
        }
        for r in rows("titles.tsv")?.iter().skip(1) {
            b.add(&r[0], V_TITLE);
        }
        Ok(b)
    }
}

impl PhraseLists {
    pub fn len(&self) -> usize {
        self.lex.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lex.is_empty()
    }

    /// Values of the one-token phrase `w` (plain, all-caps alias); stored in
    /// `TokFeat::list1` / `list1c` before [`PhraseLists::add_flags`].
    #[inline]
    pub fn first(&self, w: u64) -> (u16, u16) {
        if self.lex.is_empty() {
            return (0, 0);
        }
        (
            self.lex.get(phrase_step(0, w)),
            self.lex.get(phrase_step(CASE_SALT, w)),
        )
    }

    /// ORs the list bits into `feats[..].ext` for one sentence. Matches start at capitalised tokens
    /// (any alphabetic token in `lower` mode); all matching lengths up to [`MAX_PHRASE`] count.
    pub fn add_flags(&self, feats: &mut [TokFeat], lower: bool) {
        if self.lex.is_empty() {
            return;
        }
        let n = feats.len();
        for i in 0..n {
            let c = feats[i].cls;
            let starts = if lower {
                c != CLS_PUNCT && feats[i].len >= 2
            } else {
                c != CLS_LOWER && c != CLS_PUNCT
            };
            if !starts {
                continue;
            }
            let mut h = 0u64;
            let mut hc = CASE_SALT;
            let mut caps = !lower;
            for l in 1..=MAX_PHRASE.min(n - i) {
                let f = &feats[i + l - 1];
                h = phrase_step(h, f.w);
                caps &= f.cls == CLS_UPPER;
                let mut v = if l == 1 { f.list1 } else { self.lex.get(h) };
                if caps {
                    hc = phrase_step(hc, f.w);
                    v |= if l == 1 { f.list1c } else { self.lex.get(hc) };
                }
                let more = v & V_PREFIX != 0;
                let v = v & !V_PREFIX;
                if v == 0 {
                    if !more {
                        break;
                    }
                    continue;
                }
                let mut bits = 0u32;
                if v & V_PLACE != 0 {
                    bits |= EXT_PLACE;
                }
                if v & V_GROUP != 0 {
                    bits |= EXT_GROUP;
                }
                if v & V_TITLE != 0 {
                    bits |= EXT_TITLE;
                    if i + l < n {
                        feats[i + l].ext |= EXT_TITLE_PREV;
                    }
                }
                if v & V_FIRST != 0 && l == 1 {
                    bits |= EXT_FIRST;
                }
                for f in &mut feats[i..i + l] {
                    f.ext |= bits;
                }
                if !more {
                    break;
                }
            }
        }
    }
}
