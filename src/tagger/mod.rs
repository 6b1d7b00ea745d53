//! Statistical named-entity tagger (people, organisations, places, misc) for news text.
//!
//! A first-order structured (averaged) perceptron over IOB2 tags, decoded with Viterbi under BIO
//! constraints, trained on CoNLL-2003 English. Two linear models share one file: a *cased* model
//! and a *lower* model for caseless text (all lower or all upper case, e.g. wire copy, MUC-4),
//! chosen by [`is_caseless`] in [`Tagger::tag_document`]. Features are 64-bit hashes (see
//! [`features`]), looked up in a quantised (i8) open-addressing table; no per-token allocation.
//!
//! ```
//! use newsgraph::tagger::{EntityType, Tagger};
//!
//! let text = "Vladimir Putin spoke in Moscow on Friday.";
//! let found: Vec<(EntityType, &str)> = Tagger::shared()
//!     .tag_document(text)
//!     .iter()
//!     .map(|e| (e.ty, &text[e.byte_start..e.byte_end]))
//!     .collect();
//! assert!(found.contains(&(EntityType::Per, "Vladimir Putin")), "{found:?}");
//! assert!(found.contains(&(EntityType::Loc, "Moscow")), "{found:?}");
//! ```

// numeric code over fixed-size tag arrays reads better with index loops
#![allow(clippy::needless_range_loop)]

pub mod demonyms;
pub mod features;
pub mod lists;
pub mod model;
pub mod tokenize;
pub mod train;

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

pub use demonyms::is_demonym;
use features::{
    CLS_LOWER, CLS_MIXED, CLS_PUNCT, CLS_TITLE, CLS_UPPER, EXT_DOC_CAP_MID, EXT_DOC_LOWER, NT,
    PAD_LEFT, PAD_RIGHT, SENT_NORMAL, TokFeat, USED_OFFSETS, WORD_OFFSETS, case_inputs,
    for_each_case_feature, for_each_local_feature, for_each_shape_feature,
    for_each_word_ctx_feature, mix, sentence_class, shape_inputs, word_at_feature, word_feat,
};
pub use model::ModelError;
use model::{Lexicon, LinearModel, MAGIC, Reader};
pub use tokenize::{Token, split_sentences, tokenize, tokenize_into};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityType {
    Per,
    Org,
    Loc,
    Misc,
}

impl EntityType {
    /// From a tag index (1..=8).
    fn from_tag(t: usize) -> EntityType {
        match (t - 1) / 2 {
            0 => EntityType::Per,
            1 => EntityType::Org,
            2 => EntityType::Loc,
            _ => EntityType::Misc,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
            EntityType::Misc => "MISC",
        }
    }
}

/// An entity over token indexes `start_tok..end_tok` (end exclusive) of the tagged sentence.
/// `score` in (0, 1): a logistic of the smallest per-token emission margin of the span's tags over
/// tag O, divided by a temperature (0.5 = tie); a ranking signal, not a calibrated probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaggedSpan {
    pub start_tok: usize,
    pub end_tok: usize,
    pub ty: EntityType,
    pub score: f32,
}

/// An entity in a document: char offsets `start..end` (Python `text[start:end]`), byte offsets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entity {
    pub start: usize,
    pub end: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    pub ty: EntityType,
    pub score: f32,
}

pub struct Tagger {
    /// unique per instance: salts the per-thread word cache
    pub(crate) id: u64,
    pub(crate) cased: LinearModel,
    pub(crate) lower: LinearModel,
    pub(crate) lex: Lexicon,
    pub(crate) lists: lists::PhraseLists,
}

#[derive(Default)]
struct Scratch {
    feats: Vec<TokFeat>,
    hashes: Vec<u64>,
    hoff: Vec<u32>,
    emis: Vec<[i32; NT]>,
    lattice: Vec<[i32; NT]>,
    tags: Vec<u8>,
    tokens: Vec<Token>,
    sents: Vec<(usize, usize)>,
    spans: Vec<TaggedSpan>,
    doc: DocCounts,
    cache: WordCache,
    shape_cache: GroupCache,
    case_cache: GroupCache,
    info: InfoCache,
    tok: TokCache,
}

const TOK_BITS: u32 = 11;
/// Longest token (bytes) kept in [`TokCache`].
const TOK_MAX: usize = 24;

/// Direct-mapped per-thread cache: (tagger, mode, token text of at most [`TOK_MAX`] bytes) ->
/// its [`TokFeat`] with the word-lexicon and name-list values filled in. Exact: the whole token
/// is the key.
struct TokCache {
    keys: Vec<([u64; 3], u64)>,
    vals: Vec<TokFeat>,
}

impl Default for TokCache {
    fn default() -> Self {
        TokCache {
            keys: vec![([0; 3], 0); 1 << TOK_BITS],
            vals: vec![TokFeat::default(); 1 << TOK_BITS],
        }
    }
}

impl TokCache {
    /// `word_feat(tok, lower)` with [`InfoCache::fill`] applied.
    #[inline(always)]
    fn get(&mut self, t: &Tagger, info: &mut InfoCache, tok: &str, lower: bool) -> TokFeat {
        let b = tok.as_bytes();
        if b.len() > TOK_MAX || b.is_empty() {
            let mut f = word_feat(tok, lower);
            info.fill(t, &mut f);
            return f;
        }
        let mut buf = [0u8; TOK_MAX];
        buf[..b.len()].copy_from_slice(b);
        let words = [
            u64::from_le_bytes(buf[0..8].try_into().unwrap()),
            u64::from_le_bytes(buf[8..16].try_into().unwrap()),
            u64::from_le_bytes(buf[16..24].try_into().unwrap()),
        ];
        // Never 0 (the empty slot): the length is at least 1.
        let meta = (t.id << 16) | (lower as u64) << 8 | b.len() as u64;
        let h = (words[0] ^ words[1].rotate_left(21) ^ words[2].rotate_left(42) ^ meta)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let slot = (h >> (64 - TOK_BITS)) as usize;
        if self.keys[slot] == (words, meta) {
            return self.vals[slot];
        }
        let mut f = word_feat(tok, lower);
        info.fill(t, &mut f);
        self.keys[slot] = (words, meta);
        self.vals[slot] = f;
        f
    }
}

const INFO_BITS: u32 = 13;

/// Direct-mapped per-thread cache: (tagger, lower-cased word) -> word-lexicon value and the
/// one-token name-list values.
struct InfoCache {
    keys: Vec<u64>,
    vals: Vec<[u16; 3]>,
}

impl Default for InfoCache {
    fn default() -> Self {
        InfoCache {
            keys: vec![0; 1 << INFO_BITS],
            vals: vec![[0; 3]; 1 << INFO_BITS],
        }
    }
}

impl InfoCache {
    #[inline(always)]
    fn fill(&mut self, t: &Tagger, f: &mut TokFeat) {
        let key = (f.w ^ t.id.wrapping_mul(K3)) | 1;
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - INFO_BITS)) as usize;
        if self.keys[slot] != key {
            let (a, b) = t.lists.first(f.w);
            self.keys[slot] = key;
            self.vals[slot] = [t.lex.get(f.w), a, b];
        }
        let [v, a, b] = self.vals[slot];
        f.lex = v as u8;
        f.tlex = (v >> 8) as u8;
        f.list1 = a;
        f.list1c = b;
    }
}

const CACHE_BITS: u32 = 13;
const K3: u64 = 0xA24B_AED4_963E_E407;

/// Direct-mapped per-thread cache: (tagger, mode, word, shape) -> summed weights of the
/// token-local features. Exact (64-bit keys), so it only saves time.
struct WordCache {
    keys: Vec<u64>,
    vals: Vec<model::Acc>,
}

impl Default for WordCache {
    fn default() -> Self {
        WordCache {
            keys: vec![0; 1 << CACHE_BITS],
            vals: vec![model::Acc::new(); 1 << CACHE_BITS],
        }
    }
}

/// Direct-mapped per-thread cache of summed group weights, keyed by a 64-bit key of the group's
/// inputs (salted per tagger and mode). Exact up to 64-bit key collisions.
struct GroupCache {
    keys: Vec<u64>,
    vals: Vec<model::Acc>,
}

const GROUP_BITS: u32 = 12;

impl Default for GroupCache {
    fn default() -> Self {
        GroupCache {
            keys: vec![0; 1 << GROUP_BITS],
            vals: vec![model::Acc::new(); 1 << GROUP_BITS],
        }
    }
}

impl GroupCache {
    #[inline(always)]
    fn add(&mut self, key: u64, acc: &mut model::Acc, fill: impl FnOnce(&mut model::Acc)) {
        let key = key | 1;
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - GROUP_BITS)) as usize;
        if self.keys[slot] != key {
            let mut a = model::Acc::new();
            fill(&mut a);
            self.keys[slot] = key;
            self.vals[slot] = a;
        }
        acc.add(&self.vals[slot]);
    }
}

static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn new_id() -> u64 {
    NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Identity hasher for keys that are already hashes.
#[derive(Default)]
pub struct IdHasher(u64);
impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!()
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}
pub type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

#[derive(Default)]
pub struct DocCounts {
    map: IdMap<(u32, u32)>,
    normal: Vec<bool>,
}

/// Is `text` caseless (almost no upper-case letters, or almost no lower-case ones)? Such text is
/// tagged with the lower-case model.
pub fn is_caseless(text: &str) -> bool {
    // ASCII letters only (fast; enough for English news)
    let (mut up, mut low) = (0usize, 0usize);
    for &b in text.as_bytes() {
        up += b.is_ascii_uppercase() as usize;
        low += b.is_ascii_lowercase() as usize;
    }
    let letters = up + low;
    letters > 0 && (up * 200 < letters || low * 20 < letters)
}

#[inline]
fn is_cap_mid(feats: &[TokFeat], s: usize, i: usize) -> bool {
    i > s
        && matches!(feats[i].cls, CLS_TITLE | CLS_UPPER | CLS_MIXED)
        && feats[i - 1].cls != CLS_PUNCT
}

/// ORs the document-level flag bits ([`features::EXT_DOC_CAP_MID`], [`features::EXT_DOC_LOWER`])
/// into `feats[i].ext`: the same word (case-folded) occurs elsewhere in the document capitalised
/// in the middle of a normally-cased sentence / in lower case. `sents`: sentence token ranges.
pub fn add_doc_flags(feats: &mut [TokFeat], sents: &[(usize, usize)], counts: &mut DocCounts) {
    let map = &mut counts.map;
    map.clear();
    counts.normal.clear();
    // capitalised words first (few), then count lower-case occurrences of those words only
    for &(s, e) in sents {
        let normal = sentence_class(&feats[s..e]) == SENT_NORMAL;
        counts.normal.push(normal);
        for i in s..e {
            let f = &feats[i];
            if matches!(f.cls, CLS_TITLE | CLS_UPPER | CLS_MIXED) {
                let c = map.entry(f.w).or_insert((0, 0));
                if normal && is_cap_mid(feats, s, i) {
                    c.0 += 1;
                }
            }
        }
    }
    if map.is_empty() {
        return;
    }
    for f in feats.iter() {
        if f.cls == CLS_LOWER
            && let Some(c) = map.get_mut(&f.w)
        {
            c.1 += 1;
        }
    }
    for (k, &(s, e)) in sents.iter().enumerate() {
        let normal = counts.normal[k];
        for i in s..e {
            if feats[i].cls == CLS_LOWER || feats[i].cls > CLS_MIXED {
                continue;
            }
            if let Some(&(cap, low)) = map.get(&feats[i].w) {
                let own_cap = (normal && is_cap_mid(feats, s, i)) as u32;
                if cap > own_cap {
                    feats[i].ext |= EXT_DOC_CAP_MID;
                }
                if low > 0 {
                    feats[i].ext |= EXT_DOC_LOWER;
                }
            }
        }
    }
}

/// External-flag bits set by the tagger itself (document flags, name lists); masked out of
/// caller flags.
pub const RESERVED_EXT: u32 = features::EXT_DOC_MASK | lists::EXT_LIST_MASK;

/// The model shipped with the crate (`data/model/ner.bin`), embedded at compile time.
pub static EMBEDDED_MODEL: &[u8] = include_bytes!("../../data/model/ner.bin");

impl Tagger {
    /// The tagger of the embedded model ([`EMBEDDED_MODEL`]).
    pub fn embedded() -> Result<Tagger, ModelError> {
        Tagger::from_bytes(EMBEDDED_MODEL)
    }

    /// A process-wide tagger of the embedded model, loaded on first use.
    ///
    /// # Panics
    /// If the embedded model is invalid (the tests check it is not).
    pub fn shared() -> &'static Tagger {
        static T: std::sync::OnceLock<Tagger> = std::sync::OnceLock::new();
        T.get_or_init(|| Tagger::embedded().expect("embedded tagger model"))
    }

    pub fn from_bytes(b: &[u8]) -> Result<Tagger, ModelError> {
        if b.len() < 8 || &b[..8] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let mut r = Reader { b, pos: 8 };
        let n = r.u32()?;
        if n != 2 {
            return Err(ModelError::Invalid("expected two models"));
        }
        let (l1, m1) = LinearModel::read(&mut r)?;
        let (l2, m2) = LinearModel::read(&mut r)?;
        if l1 || !l2 {
            return Err(ModelError::Invalid("model order"));
        }
        let lex = Lexicon::read(&mut r)?;
        let lists = lists::PhraseLists {
            lex: Lexicon::read(&mut r)?,
        };
        if r.pos != b.len() {
            return Err(ModelError::Invalid("trailing bytes"));
        }
        Ok(Tagger {
            id: new_id(),
            cased: m1,
            lower: m2,
            lex,
            lists,
        })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&2u32.to_le_bytes());
        self.cased.write(false, &mut out);
        self.lower.write(true, &mut out);
        self.lex.write(&mut out);
        self.lists.lex.write(&mut out);
        out
    }

    /// Number of stored features (cased, lower), word-lexicon entries and list phrases.
    pub fn sizes(&self) -> (usize, usize, usize, usize) {
        (
            self.cased.len(),
            self.lower.len(),
            self.lex.len(),
            self.lists.len(),
        )
    }

    /// Features that did not fit in the lookup table (cased, lower); should be ~0.
    pub fn dropped(&self) -> (usize, usize) {
        (self.cased.dropped(), self.lower.dropped())
    }

    /// Tags one sentence of tokens; `out` is cleared and receives the entity spans.
    /// `lowercase_mode`: the text is caseless (use the lower-case model).
    pub fn tag_sentence(&self, tokens: &[&str], lowercase_mode: bool, out: &mut Vec<TaggedSpan>) {
        self.tag_sentence_with_flags(tokens, lowercase_mode, None, out)
    }

    /// As [`Tagger::tag_sentence`], with optional per-token external feature flags (bit 0..16 for
    /// caller lexicons, e.g. bit 0 place gazetteer, bit 1 group lexicon, bit 2 first name, bit 3
    /// person title precedes; bits 16, 17 = document flags, see [`add_doc_flags`]). Flags the model
    /// was not trained with have no weights and are ignored.
    pub fn tag_sentence_with_flags(
        &self,
        tokens: &[&str],
        lowercase_mode: bool,
        flags: Option<&[u32]>,
        out: &mut Vec<TaggedSpan>,
    ) {
        out.clear();
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            let s = &mut *s;
            s.feats.clear();
            for (i, t) in tokens.iter().enumerate() {
                let mut f = word_feat(t, lowercase_mode);
                s.info.fill(self, &mut f);
                if let Some(fl) = flags {
                    f.ext = fl.get(i).copied().unwrap_or(0) & !RESERVED_EXT;
                }
                s.feats.push(f);
            }
            self.lists.add_flags(&mut s.feats, lowercase_mode);
            let model = if lowercase_mode {
                &self.lower
            } else {
                &self.cased
            };
            let salt = mix(self.id * 2 + lowercase_mode as u64);
            decode(
                model,
                salt,
                &s.feats,
                &mut s.hashes,
                &mut s.hoff,
                &mut s.cache,
                &mut s.shape_cache,
                &mut s.case_cache,
                &mut s.emis,
                &mut s.lattice,
                &mut s.tags,
            );
            spans_from_tags(&s.tags, &s.emis, model.scale, 0, out);
            split_titles(out, lowercase_mode, |i| tokens[i]);
            if !lowercase_mode {
                out.retain(|sp| {
                    !(sp.end_tok - sp.start_tok == 1 && is_common_acronym(tokens[sp.start_tok]))
                });
            }
        });
    }

    /// Tokenizes, splits and tags a whole document. The lower-case model is used when the text
    /// [`is_caseless`]; document-level features are computed over the whole text.
    pub fn tag_document(&self, text: &str) -> Vec<Entity> {
        let mut out = Vec::new();
        self.tag_document_into(text, None, &mut out);
        out
    }

    /// As [`Tagger::tag_document`], appending to `out`; `lowercase_mode` overrides the automatic
    /// choice.
    pub fn tag_document_into(
        &self,
        text: &str,
        lowercase_mode: Option<bool>,
        out: &mut Vec<Entity>,
    ) {
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            let s = &mut *s;
            let lower = lowercase_mode.unwrap_or_else(|| is_caseless(text));
            let mut tokens = std::mem::take(&mut s.tokens);
            tokenize_into(text, &mut tokens);
            let mut sents = std::mem::take(&mut s.sents);
            split_sentences(text, &tokens, lower, &mut sents);
            let first = out.len();
            self.tag_tokens(text, &tokens, &sents, lower, None, s, out);
            harmonize(text, &mut out[first..]);
            s.tokens = tokens;
            s.sents = sents;
        });
    }

    /// Tags a document already tokenized and split by the caller (`sents` = token ranges),
    /// with optional per-token external flags (indexed like `tokens`); appends to `out`. Same
    /// document features and post-processing as [`Tagger::tag_document`].
    pub fn tag_tokenized(
        &self,
        text: &str,
        tokens: &[Token],
        sents: &[(usize, usize)],
        lowercase_mode: bool,
        flags: Option<&[u32]>,
        out: &mut Vec<Entity>,
    ) {
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            let first = out.len();
            self.tag_tokens(text, tokens, sents, lowercase_mode, flags, &mut s, out);
            harmonize(text, &mut out[first..]);
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn tag_tokens(
        &self,
        text: &str,
        tokens: &[Token],
        sents: &[(usize, usize)],
        lower: bool,
        flags: Option<&[u32]>,
        s: &mut Scratch,
        out: &mut Vec<Entity>,
    ) {
        s.feats.clear();
        for (i, t) in tokens.iter().enumerate() {
            let mut f = s.tok.get(self, &mut s.info, t.text(text), lower);
            if let Some(fl) = flags {
                f.ext = fl.get(i).copied().unwrap_or(0) & !RESERVED_EXT;
            }
            s.feats.push(f);
        }
        for &(a, b) in sents {
            self.lists.add_flags(&mut s.feats[a..b], lower);
        }
        if !lower {
            add_doc_flags(&mut s.feats, sents, &mut s.doc);
        }
        let model = if lower { &self.lower } else { &self.cased };
        let salt = mix(self.id * 2 + lower as u64);
        let mut spans = std::mem::take(&mut s.spans);
        for &(a, b) in sents {
            if a >= b {
                continue;
            }
            decode(
                model,
                salt,
                &s.feats[a..b],
                &mut s.hashes,
                &mut s.hoff,
                &mut s.cache,
                &mut s.shape_cache,
                &mut s.case_cache,
                &mut s.emis,
                &mut s.lattice,
                &mut s.tags,
            );
            spans.clear();
            spans_from_tags(&s.tags, &s.emis, model.scale, a, &mut spans);
            split_titles(&mut spans, lower, |i| tokens[i].text(text));
            if !lower {
                spans.retain(|sp| {
                    !(sp.end_tok - sp.start_tok == 1
                        && is_common_acronym(tokens[sp.start_tok].text(text)))
                });
            }
            for sp in &spans {
                let t0 = &tokens[sp.start_tok];
                let t1 = &tokens[sp.end_tok - 1];
                out.push(Entity {
                    start: t0.start,
                    end: t1.end,
                    byte_start: t0.byte_start,
                    byte_end: t1.byte_end,
                    ty: sp.ty,
                    score: sp.score,
                });
            }
        }
        s.spans = spans;
    }
}

/// Upper-case abbreviations of common nouns that a CoNLL-trained model tends to tag as
/// organisations ("CCTV", "IED", "HIV"); dropped when they form a whole entity.
const COMMON_ACRONYMS: &[&str] = &[
    "CCTV",
    "IED",
    "IEDs",
    "SIM",
    "OK",
    "HIV",
    "AIDS",
    "DNA",
    "GDP",
    "CEO",
    "CFO",
    "COO",
    "CTO",
    "TV",
    "PC",
    "SMS",
    "GPS",
    "ATM",
    "PIN",
    "VAT",
    "AM",
    "PM",
    "UTC",
    "GMT",
    "FAQ",
    "ID",
    "IQ",
    "PR",
    "RPG",
    "RPGs",
    "SUV",
    "MRI",
    "ICU",
    "USB",
    "URL",
    "PDF",
    "HTML",
    "CD",
    "DVD",
    "PhD",
    "NB",
    "PS",
    "WMD",
    "LGBT",
    "CV",
    "HR",
    "AI",
    "VIP",
    "ENDITEM",
    "ADVERTISEMENT",
    "PHOTO",
    "VIDEO",
    "UPDATE",
    "UPDATED",
    "BREAKING",
    "COVID",
    "SARS",
    "TNT",
    "IT",
    "IPO",
    "LNG",
    "GMO",
    "EMS",
    "EMT",
    "SWAT",
];

fn is_common_acronym(t: &str) -> bool {
    t.len() <= 13 && COMMON_ACRONYMS.contains(&t)
}

/// Person titles and ranks ("Mr", "Gen.", "Attorney General", "Staff Sergeant"), lower case,
/// without the final period.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "dame",
    "lord",
    "lady",
    "gen",
    "general",
    "col",
    "colonel",
    "lt",
    "lieutenant",
    "maj",
    "major",
    "capt",
    "captain",
    "sgt",
    "sergeant",
    "cpl",
    "corporal",
    "pvt",
    "private",
    "adm",
    "admiral",
    "cmdr",
    "commander",
    "brig",
    "brigadier",
    "president",
    "vice",
    "prime",
    "minister",
    "secretary",
    "senator",
    "sen",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "gov",
    "governor",
    "mayor",
    "judge",
    "justice",
    "magistrate",
    "prosecutor",
    "attorney",
    "agent",
    "officer",
    "chief",
    "inspector",
    "detective",
    "det",
    "insp",
    "supt",
    "superintendent",
    "constable",
    "sheriff",
    "deputy",
    "ambassador",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "rev",
    "reverend",
    "father",
    "bishop",
    "archbishop",
    "cardinal",
    "imam",
    "sheikh",
    "ayatollah",
    "chancellor",
    "premier",
    "chairman",
    "chairwoman",
    "spokesman",
    "spokeswoman",
    "director",
    "commissioner",
    "staff",
    "special",
    "sergeant-major",
    "marshal",
    "field",
    "airman",
    "pfc",
    "spc",
    "sgt.",
    "warrant",
    "petty",
    "seaman",
    "ensign",
    "emir",
    "sultan",
    "mullah",
    "rabbi",
    "pastor",
    "coach",
    "manager",
];

fn is_title(tok: &str, caseless: bool) -> bool {
    let t = tok.strip_suffix('.').unwrap_or(tok);
    if t.is_empty() || t.len() > 16 || !(caseless || t.as_bytes()[0].is_ascii_uppercase()) {
        return false;
    }
    let mut buf = [0u8; 16];
    for (i, b) in t.bytes().enumerate() {
        buf[i] = b.to_ascii_lowercase();
    }
    let l = &buf[..t.len()];
    TITLES.iter().any(|x| x.as_bytes() == l)
}

fn is_name_token(tok: &str, caseless: bool) -> bool {
    let c = tok.chars().next().unwrap_or(' ');
    (c.is_uppercase() || (caseless && c.is_alphabetic())) && !is_title(tok, caseless)
}

/// Removes person titles from entity spans: leading titles of a person ("Mr Whitelaw" ->
/// "Whitelaw"); a non-person span that ends with title + name ("US Army Col. Myles Caggins III")
/// is split into the part before the titles (keeps its type, dropped if empty) and a person.
pub fn split_titles<'t>(
    spans: &mut Vec<TaggedSpan>,
    caseless: bool,
    tok: impl Fn(usize) -> &'t str,
) {
    let is_title = |t: &str| is_title(t, caseless);
    let is_name_token = |t: &str| is_name_token(t, caseless);
    let n0 = spans.len();
    for k in 0..n0 {
        let sp = spans[k];
        if sp.end_tok - sp.start_tok < 2 {
            continue;
        }
        if sp.ty == EntityType::Per {
            let mut a = sp.start_tok;
            while a + 1 < sp.end_tok && is_title(tok(a)) {
                a += 1;
            }
            spans[k].start_tok = a;
            continue;
        }
        // last title whose followers are all name tokens
        let mut p = None;
        for i in (sp.start_tok..sp.end_tok - 1).rev() {
            if is_title(tok(i)) {
                p = Some(i);
                break;
            }
            if !is_name_token(tok(i + 1)) && !is_name_token(tok(i)) {
                break;
            }
        }
        let Some(p) = p else { continue };
        if !(p + 1..sp.end_tok).all(|i| is_name_token(tok(i))) {
            continue;
        }
        let mut q = p; // start of the title block
        while q > sp.start_tok && is_title(tok(q - 1)) {
            q -= 1;
        }
        let person = TaggedSpan {
            start_tok: p + 1,
            end_tok: sp.end_tok,
            ty: EntityType::Per,
            score: sp.score,
        };
        if q > sp.start_tok {
            spans[k].end_tok = q;
            spans.push(person);
        } else {
            spans[k] = person;
        }
    }
    if spans.len() > n0 {
        spans.sort_by_key(|s| s.start_tok);
    }
}

/// Document-level consistency of entity types (called by [`Tagger::tag_document`]): every mention
/// of the same string gets the type with the largest summed vote among its mentions (vote = the
/// logistic of the raw margin, so unsure mentions barely count), and a
/// one-token mention equal to the last token of a multi-token person name (e.g. "Matanov" after
/// "Khairullozhon Matanov") becomes a person.
pub fn harmonize(text: &str, ents: &mut [Entity]) {
    if ents.len() < 2 {
        return;
    }
    let key = |e: &Entity| &text[e.byte_start..e.byte_end];
    // Only looked up, never iterated: the hasher does not affect the result.
    let mut by_text: crate::lexicon::FxMap<&str, [f32; 4]> =
        crate::lexicon::FxMap::with_capacity_and_hasher(ents.len(), Default::default());
    let mut surnames: crate::lexicon::FxMap<&str, ()> = Default::default();
    for e in ents.iter() {
        // vote with the sharpened score (the raw margin's logistic): unsure mentions barely count
        let s = e.score.clamp(1e-6, 1.0 - 1e-6);
        let vote = 1.0 / (1.0 + (-(s / (1.0 - s)).ln() * SCORE_TEMPERATURE).exp());
        by_text.entry(key(e)).or_insert([0.0; 4])[e.ty as usize] += vote;
        if e.ty == EntityType::Per {
            let s = key(e);
            if let Some(p) = s.rfind(' ') {
                surnames.insert(&s[p + 1..], ());
            }
        }
    }
    const TYPES: [EntityType; 4] = [
        EntityType::Per,
        EntityType::Org,
        EntityType::Loc,
        EntityType::Misc,
    ];
    for e in ents.iter_mut() {
        let k = key(e);
        if !k.contains(' ') && surnames.contains_key(k) {
            e.ty = EntityType::Per;
            continue;
        }
        let v = by_text[k];
        let mut best = e.ty as usize;
        for t in 0..4 {
            if v[t] > v[best] {
                best = t;
            }
        }
        e.ty = TYPES[best];
    }
}

/// Emission scores + Viterbi; fills `tags`. The contextual feature hashes of the sentence are
/// computed first and their table buckets prefetched a few tokens ahead of the lookups; the
/// token-local part of each emission comes from the word cache when possible.
#[allow(clippy::too_many_arguments)]
fn decode(
    model: &LinearModel,
    salt: u64,
    feats: &[TokFeat],
    hashes: &mut Vec<u64>,
    hoff: &mut Vec<u32>,
    cache: &mut WordCache,
    shape_cache: &mut GroupCache,
    case_cache: &mut GroupCache,
    emis: &mut Vec<[i32; NT]>,
    lattice: &mut Vec<[i32; NT]>,
    tags: &mut Vec<u8>,
) {
    let n = feats.len();
    emis.clear();
    tags.clear();
    if n == 0 {
        return;
    }
    let sc = sentence_class(feats);
    hashes.clear();
    hoff.clear();
    hoff.push(0);
    for i in 0..n {
        for d in USED_OFFSETS {
            let j = i as isize + WORD_OFFSETS[d];
            let w = if j < 0 {
                PAD_LEFT
            } else if j as usize >= n {
                PAD_RIGHT
            } else {
                feats[j as usize].w
            };
            hashes.push(word_at_feature(d, w));
        }
        for_each_word_ctx_feature(feats, i, |h| hashes.push(h));
        hoff.push(hashes.len() as u32);
    }
    const AHEAD: usize = 2;
    for i in 0..n.min(AHEAD) {
        for &h in &hashes[hoff[i] as usize..hoff[i + 1] as usize] {
            model.prefetch(h);
        }
    }
    let word_slot = |t: &TokFeat, i: usize| {
        let key = (t.w
            ^ t.lshape.rotate_left(29)
            ^ salt
            ^ ((t.ext as u64) << 16 | (sc as u64) << 8 | (i == 0) as u64).wrapping_mul(K3))
            | 1;
        (
            key,
            (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - CACHE_BITS)) as usize,
        )
    };
    for i in 0..n.min(AHEAD) {
        prefetch(&cache.keys[word_slot(&feats[i], i).1]);
        prefetch(&cache.vals[word_slot(&feats[i], i).1]);
    }
    for i in 0..n {
        if i + AHEAD < n {
            for &h in &hashes[hoff[i + AHEAD] as usize..hoff[i + AHEAD + 1] as usize] {
                model.prefetch(h);
            }
            let (_, ws) = word_slot(&feats[i + AHEAD], i + AHEAD);
            prefetch(&cache.keys[ws]);
            prefetch(&cache.vals[ws]);
        }
        let t = &feats[i];
        let (key, slot) = word_slot(t, i);
        let mut acc = if cache.keys[slot] == key {
            cache.vals[slot]
        } else {
            let mut a = model::Acc::new();
            for_each_local_feature(t, i == 0, sc, |h| model.add_to(h, &mut a));
            cache.keys[slot] = key;
            cache.vals[slot] = a;
            a
        };
        let si = shape_inputs(feats, i, sc);
        shape_cache.add(si.key() ^ salt, &mut acc, |a| {
            for_each_shape_feature(&si, |h| model.add_to(h, a))
        });
        let ci = case_inputs(feats, i, sc);
        case_cache.add(mix(ci) ^ salt, &mut acc, |a| {
            for_each_case_feature(&ci, |h| model.add_to(h, a))
        });
        for &h in &hashes[hoff[i] as usize..hoff[i + 1] as usize] {
            model.add_to(h, &mut acc);
        }
        emis.push(acc.scores());
    }
    viterbi_i32(&model.trans_t, &model.trans_v, emis, lattice, tags);
}

/// The forward pass of [`viterbi_i32`] after the first token, vectorised: for every previous
/// tag, the scores of all current tags at once (16 lanes, AVX2). A forbidden transition adds
/// [`model::FORBID`], so it never wins over an allowed one and every maximum equals the scalar
/// loop's (which skips forbidden predecessors of I- tags instead).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn viterbi_forward_avx2(
    trans_v: &[[i32; 16]; NT],
    emis: &[[i32; NT]],
    lattice: &mut Vec<[i32; NT]>,
) {
    viterbi_forward(trans_v, emis, lattice)
}

/// The forward pass of [`viterbi_i32`] after the first token (which `lattice` holds), scalar.
fn viterbi_forward_scalar(
    trans_t: &[[i32; NT + 1]; NT],
    emis: &[[i32; NT]],
    lattice: &mut Vec<[i32; NT]>,
) {
    let Some(&first) = lattice.last() else {
        return;
    };
    let mut cur = first;
    for e in &emis[1..] {
        let mut nxt = [0i32; NT];
        for k in 0..NT {
            let t = &trans_t[k];
            let best = if k > 0 && k.is_multiple_of(2) {
                // I-X: only B-X and I-X may precede (the others are FORBID)
                (cur[k - 1] + t[k - 1]).max(cur[k] + t[k])
            } else {
                let mut best = cur[0] + t[0];
                for j in 1..NT {
                    best = best.max(cur[j] + t[j]);
                }
                best
            };
            nxt[k] = best + e[k];
        }
        lattice.push(nxt);
        cur = nxt;
    }
}

#[inline(always)]
fn viterbi_forward(trans_v: &[[i32; 16]; NT], emis: &[[i32; NT]], lattice: &mut Vec<[i32; NT]>) {
    let Some(&first) = lattice.last() else {
        return;
    };
    let mut cur = first;
    for e in &emis[1..] {
        let mut best = [i32::MIN; 16];
        for (j, row) in trans_v.iter().enumerate() {
            let c = cur[j];
            for k in 0..16 {
                best[k] = best[k].max(c.wrapping_add(row[k]));
            }
        }
        let mut nxt = [0i32; NT];
        for k in 0..NT {
            nxt[k] = best[k] + e[k];
        }
        lattice.push(nxt);
        cur = nxt;
    }
}

/// Branch-free Viterbi for the integer model: `trans_t[cur][prev]` (column NT = start). The
/// forward pass keeps only maxima (the lattice of scores); the backtrack recomputes the argmax
/// along the best path.
fn viterbi_i32(
    trans_t: &[[i32; NT + 1]; NT],
    trans_v: &[[i32; 16]; NT],
    emis: &[[i32; NT]],
    lattice: &mut Vec<[i32; NT]>,
    tags: &mut Vec<u8>,
) {
    let n = emis.len();
    tags.clear();
    lattice.clear();
    if n == 0 {
        return;
    }
    let mut cur = [0i32; NT];
    for k in 0..NT {
        cur[k] = trans_t[k][NT] + emis[0][k];
    }
    lattice.push(cur);
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2 (checked just above).
        unsafe { viterbi_forward_avx2(trans_v, emis, lattice) };
        cur = *lattice.last().expect("the first column was pushed");
    }
    if lattice.len() < n {
        viterbi_forward_scalar(trans_t, emis, lattice);
        cur = *lattice.last().expect("the first column was pushed");
    }
    let mut best = 0usize;
    for k in 1..NT {
        if cur[k] > cur[best] {
            best = k;
        }
    }
    tags.resize(n, 0);
    tags[n - 1] = best as u8;
    for i in (1..n).rev() {
        let k = tags[i] as usize;
        let prev = &lattice[i - 1];
        let t = &trans_t[k];
        let bj = if k > 0 && k.is_multiple_of(2) {
            // I-X: B-X or I-X (ties go to the lower index, as in the general loop)
            if prev[k] + t[k] > prev[k - 1] + t[k - 1] {
                k
            } else {
                k - 1
            }
        } else {
            let mut bj = 0usize;
            let mut bv = prev[0] + t[0];
            for j in 1..NT {
                let v = prev[j] + t[j];
                if v > bv {
                    bv = v;
                    bj = j;
                }
            }
            bj
        };
        tags[i - 1] = bj as u8;
    }
}

#[inline(always)]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetch hint of a valid reference's address
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch(x as *const T as *const i8, _MM_HINT_T0);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// Generic first-order Viterbi over `emis` with `trans[prev][cur]` (row NT = start).
pub fn viterbi<T>(
    trans: &[[T; NT]; NT + 1],
    emis: &[[T; NT]],
    back: &mut Vec<[u8; NT]>,
    tags: &mut Vec<u8>,
) where
    T: Copy + PartialOrd + std::ops::Add<Output = T>,
{
    let n = emis.len();
    tags.clear();
    back.clear();
    if n == 0 {
        return;
    }
    let mut cur = emis[0];
    for k in 0..NT {
        cur[k] = trans[NT][k] + emis[0][k];
    }
    back.push([0; NT]);
    for i in 1..n {
        let mut nxt = cur;
        let mut bp = [0u8; NT];
        for k in 0..NT {
            let mut best = cur[0] + trans[0][k];
            let mut bj = 0u8;
            for j in 1..NT {
                let v = cur[j] + trans[j][k];
                if v > best {
                    best = v;
                    bj = j as u8;
                }
            }
            nxt[k] = best + emis[i][k];
            bp[k] = bj;
        }
        back.push(bp);
        cur = nxt;
    }
    let mut best = 0usize;
    for k in 1..NT {
        if cur[k] > cur[best] {
            best = k;
        }
    }
    tags.resize(n, 0);
    let mut t = best;
    for i in (0..n).rev() {
        tags[i] = t as u8;
        t = back[i][t] as usize;
    }
}

/// Margin (in float weight units) that maps to a span score of 1/(1+e^-1) = 0.73; chosen so that
/// scores spread over (0, 1) on the conll2003 devset (precision rises with the score).
const SCORE_TEMPERATURE: f32 = 80.0;

fn spans_from_tags(
    tags: &[u8],
    emis: &[[i32; NT]],
    scale: f32,
    offset: usize,
    out: &mut Vec<TaggedSpan>,
) {
    let n = tags.len();
    let mut i = 0;
    while i < n {
        let t = tags[i] as usize;
        if t == 0 {
            i += 1;
            continue;
        }
        let b = if t % 2 == 1 { t } else { t - 1 };
        let mut j = i + 1;
        while j < n && tags[j] as usize == b + 1 {
            j += 1;
        }
        let mut m = i32::MAX;
        for k in i..j {
            let tk = tags[k] as usize;
            m = m.min(emis[k][tk] - emis[k][0]);
        }
        let score = 1.0 / (1.0 + (-(m as f32) * scale / SCORE_TEMPERATURE).exp());
        out.push(TaggedSpan {
            start_tok: offset + i,
            end_tok: offset + j,
            ty: EntityType::from_tag(b),
            score,
        });
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ents(text: &str) -> Vec<(String, EntityType)> {
        Tagger::shared()
            .tag_document(text)
            .into_iter()
            .map(|e| (text[e.byte_start..e.byte_end].to_string(), e.ty))
            .collect()
    }

    #[test]
    fn embedded_model_tags() {
        let e = ents(
            "German Chancellor Angela Merkel met officials of the European Union in Paris on Monday.",
        );
        assert!(
            e.contains(&("Angela Merkel".into(), EntityType::Per)),
            "{e:?}"
        );
        assert!(
            e.contains(&("European Union".into(), EntityType::Org)),
            "{e:?}"
        );
        assert!(e.contains(&("Paris".into(), EntityType::Loc)), "{e:?}");
        // lower-case text goes to the lower-case model
        let e = ents("the guatemalan army said president cerezo was in guatemala city on monday.");
        assert!(
            e.iter()
                .any(|(s, t)| s == "guatemala city" && *t == EntityType::Loc),
            "{e:?}"
        );
    }

    #[test]
    fn offsets_and_roundtrip() {
        let t = Tagger::shared();
        let text = "Zürich’s mayor met Khairullozhon Matanov in Boston.";
        let chars: Vec<char> = text.chars().collect();
        for e in t.tag_document(text) {
            let s: String = chars[e.start..e.end].iter().collect();
            assert_eq!(s, &text[e.byte_start..e.byte_end]);
        }
        let b = t.to_bytes();
        assert_eq!(Tagger::from_bytes(&b).unwrap().to_bytes(), b);
        assert!(Tagger::from_bytes(&b[..b.len() - 1]).is_err());
        assert!(Tagger::from_bytes(b"nonsense").is_err());
    }

    #[test]
    fn sentence_api_and_titles() {
        let t = Tagger::shared();
        let mut out = Vec::new();
        let toks = ["Mr", "Whitelaw", "visited", "Belfast", "."];
        t.tag_sentence(&toks, false, &mut out);
        let got: Vec<_> = out.iter().map(|s| (s.start_tok, s.end_tok, s.ty)).collect();
        assert_eq!(got, vec![(1, 2, EntityType::Per), (3, 4, EntityType::Loc)]);
        // external flags are accepted (unused bits have no weights)
        t.tag_sentence_with_flags(&toks, false, Some(&[0, 1, 0, 1, 0]), &mut out);
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(|s| s.score > 0.0 && s.score <= 1.0));
    }

    #[test]
    fn odd_inputs() {
        let t = Tagger::shared();
        for text in [
            "",
            " \n\t ",
            "...",
            "\u{1F600}\u{1F600} Émile Zola\r\nà Paris",
            "A",
            "x",
            "U.S.",
            "'s n't ’s",
            "ÀÉÎÕÜ ÇA VA",
            &"Supercalifragilistic".repeat(50),
            &"word ".repeat(5000),
        ] {
            let chars: Vec<char> = text.chars().collect();
            for e in t.tag_document(text) {
                let s: String = chars[e.start..e.end].iter().collect();
                assert_eq!(s, &text[e.byte_start..e.byte_end]);
            }
        }
        let mut out = Vec::new();
        t.tag_sentence(&[], false, &mut out);
        assert!(out.is_empty());
        t.tag_sentence(&["", "."], true, &mut out);
    }

    #[test]
    fn caseless() {
        assert!(is_caseless(
            "the guatemala army denied today that guerrillas attacked"
        ));
        assert!(is_caseless("THE GUATEMALA ARMY DENIED TODAY"));
        assert!(!is_caseless("The Guatemala army denied today"));
    }

    #[test]
    fn viterbi_bio() {
        // emissions prefer I-PER at position 0, which is forbidden at start
        let mut trans = [[0i32; NT]; NT + 1];
        for p in 0..=NT {
            for c in 0..NT {
                if !model::allowed(p, c) {
                    trans[p][c] = model::FORBID;
                }
            }
        }
        let emis = vec![[0, 1, 5, 0, 0, 0, 0, 0, 0], [0, 0, 5, 0, 0, 0, 0, 0, 0]];
        let (mut back, mut tags) = (Vec::new(), Vec::new());
        viterbi(&trans, &emis, &mut back, &mut tags);
        assert_eq!(tags, vec![1, 2]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// The vectorised forward pass gives the scalar pass's lattice, with the shared model's
        /// transitions and any emissions in the range of the i16 accumulators.
        #[test]
        fn vectorised_viterbi_forward_agrees_with_scalar(
            emis in proptest::collection::vec(
                proptest::array::uniform9(-40_000i32..40_000), 1..120),
            lower in proptest::prelude::any::<bool>(),
        ) {
            let t = Tagger::shared();
            let model = if lower { &t.lower } else { &t.cased };
            let mut first = [0i32; NT];
            for k in 0..NT {
                first[k] = model.trans_t[k][NT] + emis[0][k];
            }
            let (mut a, mut b) = (vec![first], vec![first]);
            viterbi_forward(&model.trans_v, &emis, &mut a);
            viterbi_forward_scalar(&model.trans_t, &emis, &mut b);
            proptest::prop_assert_eq!(a, b);
        }
    }
}
