//! Feature extraction shared by training and inference: per-token precomputed hashes
//! ([`TokFeat`]) and the feature templates ([`for_each_feature`]), each feature a 64-bit hash.

/// Number of BIO tags: O, B-PER, I-PER, B-ORG, I-ORG, B-LOC, I-LOC, B-MISC, I-MISC.
pub const NT: usize = 9;
pub const TAG_NAMES: [&str; NT] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];

/// External-flag bits reserved by the tagger for document-level features (see
/// [`crate::tagger::add_doc_flags`]); bits 0..16 are free for caller lexicons (gazetteers etc).
pub const EXT_DOC_CAP_MID: u32 = 1 << 16;
pub const EXT_DOC_LOWER: u32 = 1 << 17;
pub const EXT_DOC_MASK: u32 = EXT_DOC_CAP_MID | EXT_DOC_LOWER;

/// Token case class.
pub const CLS_LOWER: u8 = 0;
pub const CLS_TITLE: u8 = 1;
pub const CLS_UPPER: u8 = 2;
pub const CLS_MIXED: u8 = 3; // letters with odd capitalisation (iPhone, McDonald)
pub const CLS_DIGIT: u8 = 4; // has digits, no letters
pub const CLS_ALNUM: u8 = 5; // letters and digits
pub const CLS_PUNCT: u8 = 6;

/// Sentence case class.
pub const SENT_NORMAL: u8 = 0;
pub const SENT_ALLCAPS: u8 = 1;
pub const SENT_TITLE: u8 = 2;
pub const SENT_SHORT: u8 = 3;

#[inline(always)]
pub fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

const K: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline(always)]
fn step(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(K)
}

/// Precomputed per-token values.
#[derive(Clone, Copy, Default, Debug)]
pub struct TokFeat {
    /// lower-cased word, digits mapped to 0
    pub w: u64,
    pub pre: [u64; 4],
    pub suf: [u64; 4],
    /// collapsed shape (Xx, X.X., d-d)
    pub shape: u64,
    /// shape with runs capped at 3 (Xxxx, dddd)
    pub lshape: u64,
    pub cls: u8,
    pub len: u8,
    /// case-lexicon bucket, see [`lex_bucket`]
    pub lex: u8,
    /// type-lexicon bucket, see [`type_bucket`]
    pub tlex: u8,
    /// name-list values of the one-token phrase (plain, all-caps alias), see `lists`
    pub list1: u16,
    pub list1c: u16,
    pub ext: u32,
}

#[inline(always)]
fn lower_char(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else if c.is_uppercase() {
        c.to_lowercase().next().unwrap_or(c)
    } else {
        c
    }
}

#[inline(always)]
fn norm_punct(c: char) -> char {
    match c {
        '\u{2019}' | '\u{2018}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        _ => c,
    }
}

/// Computes the word hashes of one token. `lower_mode`: the text is caseless (all characters are
/// treated as lower case, so shapes carry no case information).
pub fn word_feat(tok: &str, lower_mode: bool) -> TokFeat {
    let mut w: u64 = 0x1234_5678;
    let mut pre = [0u64; 4];
    let mut last = ['\0'; 4];
    let mut n = 0usize;
    let mut shape: u64 = 0x55;
    let mut lshape: u64 = 0x77;
    let mut prev_cls = 0u32;
    let mut run = 0u32;
    let (mut n_up, mut n_low, mut n_dig, mut n_other) = (0u32, 0u32, 0u32, 0u32);
    let mut first_up = false;
    // "Mr." and "Mr", "Gen." and "Gen" share word / affix features (the shape still differs)
    let body = match tok.strip_suffix('.') {
        Some(b) if !b.is_empty() && b.bytes().any(|x| x.is_ascii_alphabetic()) => b,
        _ => tok,
    };
    let mut push = |lc: char, kind: u32| {
        match kind {
            1 => n_low += 1,
            2 => {
                if n == 0 {
                    first_up = true;
                }
                n_up += 1
            }
            3 => n_dig += 1,
            _ => n_other += 1,
        }
        w = step(w, lc as u64);
        if n < 4 {
            pre[n] = w;
        }
        last[n & 3] = lc;
        n += 1;
        if kind != prev_cls {
            shape = step(shape, kind as u64);
            lshape = step(lshape, kind as u64);
            run = 1;
        } else {
            run += 1;
            if run <= 3 {
                lshape = step(lshape, kind as u64);
            }
        }
        prev_cls = kind;
    };
    if body.is_ascii() {
        // fast path, same values as the general loop below
        for b in body.bytes() {
            match b {
                b'a'..=b'z' => push(b as char, 1),
                b'A'..=b'Z' => push((b | 0x20) as char, if lower_mode { 1 } else { 2 }),
                b'0'..=b'9' => push('0', 3),
                b'`' => push('\'', 0x100 + '\'' as u32),
                _ => push(b as char, 0x100 + b as u32),
            }
        }
    } else {
        for c in body.chars() {
            let c = norm_punct(c);
            let (lc, kind) = if c.is_ascii_lowercase() {
                (c, 1u32)
            } else if c.is_ascii_uppercase() {
                if lower_mode {
                    (c.to_ascii_lowercase(), 1)
                } else {
                    (c.to_ascii_lowercase(), 2)
                }
            } else if c.is_ascii_digit() {
                ('0', 3)
            } else if c.is_ascii() {
                (c, 0x100 + c as u32)
            } else if c.is_alphabetic() {
                if c.is_uppercase() && !lower_mode {
                    (lower_char(c), 2)
                } else {
                    (lower_char(c), 1)
                }
            } else if c.is_numeric() {
                ('0', 3)
            } else {
                (c, 0x100 + (c as u32 & 0xFFFF))
            };
            push(lc, kind);
        }
    }
    // suffixes: last k chars
    if body.len() != tok.len() {
        // the final period: shape only
        shape = step(shape, 0x100 + '.' as u64);
        lshape = step(lshape, 0x100 + '.' as u64);
        n_other += 1;
    }
    let mut suf = [0u64; 4];
    let m = n.min(4);
    // suffix of length k = hash of the last k chars read backwards (incremental)
    let mut h: u64 = 0xABCD;
    for k in 1..=m {
        h = step(h, last[(n - k) & 3] as u64);
        suf[k - 1] = h;
    }
    for k in m..4 {
        suf[k] = suf[m.max(1) - 1] ^ 0xFF;
        pre[k] = pre[m.max(1) - 1] ^ 0xFF;
    }
    let letters = n_up + n_low;
    let cls = if letters == 0 {
        if n_dig > 0 { CLS_DIGIT } else { CLS_PUNCT }
    } else if n_dig > 0 {
        CLS_ALNUM
    } else if n_up == 0 {
        CLS_LOWER
    } else if n_low == 0 {
        CLS_UPPER
    } else if first_up && n_up == 1 {
        CLS_TITLE
    } else if first_up && n_other > 0 {
        // O'Neil, Jean-Pierre
        CLS_TITLE
    } else {
        CLS_MIXED
    };
    TokFeat {
        w: mix(w),
        pre,
        suf,
        shape: mix(shape),
        lshape: mix(lshape),
        cls,
        len: n.min(255) as u8,
        lex: 0,
        tlex: 0,
        list1: 0,
        list1c: 0,
        ext: 0,
    }
}

/// Sentence case class from the tokens' classes.
pub fn sentence_class(toks: &[TokFeat]) -> u8 {
    let mut alpha = 0u32;
    let mut upper = 0u32;
    let mut long = 0u32;
    let mut long_cap = 0u32;
    for t in toks {
        if t.cls <= CLS_MIXED {
            alpha += 1;
            if t.cls == CLS_UPPER && t.len >= 2 {
                upper += 1;
            }
            if t.len >= 4 {
                long += 1;
                if t.cls != CLS_LOWER {
                    long_cap += 1;
                }
            }
        }
    }
    if alpha < 3 {
        return SENT_SHORT;
    }
    if upper * 10 >= alpha * 7 {
        return SENT_ALLCAPS;
    }
    if long >= 3 && long_cap * 10 >= long * 8 {
        return SENT_TITLE;
    }
    SENT_NORMAL
}

/// Case-lexicon bucket from counts of a lower-cased word in the training data:
/// `low` = occurrences written in lower case, `cap` = occurrences capitalised in the middle of a
/// normally-cased sentence, `other` = occurrences capitalised only at a sentence start / headline.
pub fn lex_bucket(low: u32, cap: u32, other: u32) -> u8 {
    if low == 0 && cap == 0 {
        return if other == 0 { 0 } else { 1 };
    }
    if low == 0 {
        return match cap {
            1 => 2,
            2..=4 => 3,
            _ => 4,
        };
    }
    if cap == 0 {
        return if low == 1 {
            5
        } else if low < 10 {
            6
        } else {
            7
        };
    }
    let r = cap as f32 / (cap + low) as f32;
    if r >= 0.8 {
        8
    } else if r >= 0.5 {
        9
    } else if r >= 0.2 {
        10
    } else {
        11
    }
}

/// Type-lexicon bucket from the tags of a lower-cased word in the training data (counts of O,
/// PER, ORG, LOC, MISC): 0 unseen; 1 + 4 * type + fraction bucket for the most frequent entity
/// type; 17 / 18 never an entity (seen < 3 / >= 3 times).
pub fn type_bucket(c: &[u32; 5]) -> u8 {
    let total: u32 = c.iter().sum();
    if total == 0 {
        return 0;
    }
    let mut dom = 1;
    for k in 2..5 {
        if c[k] > c[dom] {
            dom = k;
        }
    }
    if c[dom] == 0 {
        return if total < 3 { 17 } else { 18 };
    }
    let fr = c[dom] as f32 / total as f32;
    let fb = if fr >= 0.9 {
        0
    } else if fr >= 0.5 {
        1
    } else if fr >= 0.1 {
        2
    } else {
        3
    };
    (1 + 4 * (dom - 1) + fb) as u8
}

// template ids
const T_BIAS: u64 = 1;
const T_W0: u64 = 2;
const T_WM1: u64 = 3;
const T_WP1: u64 = 4;
const T_WM2: u64 = 5;
const T_WP2: u64 = 6;
const T_WM1W0: u64 = 7;
// 8 (T_W0WP1, word bigram w0 w+1) was dropped: no gain on the devsets, one more cold lookup
const T_SH0: u64 = 9;
const T_LSH0: u64 = 10;
const T_SHM1: u64 = 11;
const T_SHP1: u64 = 12;
const T_SHM1SH0: u64 = 13;
const T_SH0SHP1: u64 = 14;
const T_SH3: u64 = 15;
const T_PRE: u64 = 16; // +k
const T_SUF: u64 = 20; // +k
const T_START: u64 = 24;
const T_LEX0: u64 = 25;
const T_LEX0X: u64 = 26;
const T_LEX0S: u64 = 27;
const T_LEXM1: u64 = 28;
const T_LEXP1: u64 = 29;
const T_SENT: u64 = 30;
const T_EXT: u64 = 31;
const T_EXTSH: u64 = 32;
const T_WM1SH0: u64 = 33;
const T_SH0WP1: u64 = 34;
const T_CLSRUN: u64 = 35;
const T_W0SENT: u64 = 36;
const T_SUFM1: u64 = 37;
const T_EXTW: u64 = 38;
const T_TLEX0: u64 = 39;
const T_TLEXM1: u64 = 40;
const T_TLEXP1: u64 = 41;

// Feature hash = (values combined with a template constant) * K: one multiply; the high 32 bits
// (which depend on every input bit) are used as the table key.
const K2: u64 = 0xD6E8_FEB8_6659_FD93;
#[inline(always)]
fn f1(t: u64, a: u64) -> u64 {
    (a ^ t.wrapping_mul(K2)).wrapping_mul(K)
}
#[inline(always)]
fn f2(t: u64, a: u64, b: u64) -> u64 {
    (a ^ b.rotate_left(23) ^ t.wrapping_mul(K2)).wrapping_mul(K)
}
#[inline(always)]
fn f3(t: u64, a: u64, b: u64, c: u64) -> u64 {
    (a ^ b.rotate_left(23) ^ c.rotate_left(41) ^ t.wrapping_mul(K2)).wrapping_mul(K)
}

const PAD_L: u64 = 0x5A5A_0001;
const PAD_R: u64 = 0x5A5A_0002;

/// Calls `f` with every feature hash of token `i` of the sentence `toks` (sentence class `sc`):
/// the token-local ones ([`for_each_local_feature`]) and the contextual ones.
#[inline(always)]
pub fn for_each_feature(toks: &[TokFeat], i: usize, sc: u8, mut f: impl FnMut(u64)) {
    for_each_local_feature(&toks[i], i == 0, sc, &mut f);
    let n = toks.len();
    for d in USED_OFFSETS {
        let j = i as isize + WORD_OFFSETS[d];
        let w = if j < 0 {
            PAD_L
        } else if j as usize >= n {
            PAD_R
        } else {
            toks[j as usize].w
        };
        f(word_at_feature(d, w));
    }
    for_each_context_feature(toks, i, sc, f);
}

/// Offsets of the neighbour-word features (templates WM2, WM1, WP1, WP2).
pub const WORD_OFFSETS: [isize; 4] = [-2, -1, 1, 2];
/// The neighbour-word features in use: -1 and +1 (words at -2 / +2 gave no gain on the devsets
/// and cost ~6% of the tagging time).
pub const USED_OFFSETS: std::ops::Range<usize> = 1..3;
/// Word value used beyond the sentence edges.
pub const PAD_LEFT: u64 = PAD_L;
pub const PAD_RIGHT: u64 = PAD_R;

/// Hash of the feature "word `w` at offset `WORD_OFFSETS[d]`".
#[inline(always)]
pub fn word_at_feature(d: usize, w: u64) -> u64 {
    const T: [u64; 4] = [T_WM2, T_WM1, T_WP1, T_WP2];
    f1(T[d], w)
}

/// Features that depend on the token alone (its lower-cased word, shape, affixes, lexicon
/// buckets, external flags) and on whether it starts the sentence and the sentence class: their
/// summed weights can be cached per (word, shape, flags, start, class).
#[inline(always)]
pub fn for_each_local_feature(t: &TokFeat, start: bool, sc: u8, mut f: impl FnMut(u64)) {
    let mut ext = t.ext;
    while ext != 0 {
        let b = ext.trailing_zeros() as u64;
        ext &= ext - 1;
        f(f1(T_EXT, b));
        f(f3(T_EXTSH, b, t.cls as u64, start as u64));
        if b >= 16 {
            f(f3(T_EXTW, b, t.lex as u64, t.cls as u64));
        }
    }
    f(f2(T_W0SENT, t.w, sc as u64 | ((start as u64) << 4)));
    f(f1(T_W0, t.w));
    f(f1(T_SH0, t.shape));
    f(f1(T_LSH0, t.lshape));
    for k in 0..4 {
        f(f1(T_PRE + k as u64, t.pre[k]));
        f(f1(T_SUF + k as u64, t.suf[k]));
    }
    f(f1(T_LEX0, t.lex as u64));
    f(f2(T_TLEX0, t.tlex as u64, t.cls as u64));
}

/// Features that look at the neighbours, the sentence or the external flags (except the four
/// neighbour-word features, see [`word_at_feature`]): the shape group, the case group and the
/// word-context group.
#[inline(always)]
pub fn for_each_context_feature(toks: &[TokFeat], i: usize, sc: u8, mut f: impl FnMut(u64)) {
    for_each_shape_feature(&shape_inputs(toks, i, sc), &mut f);
    for_each_case_feature(&case_inputs(toks, i, sc), &mut f);
    for_each_word_ctx_feature(toks, i, f);
}

/// Inputs of the shape group: (shape -1, shape 0, shape +1, sentence start, sentence class).
#[derive(Clone, Copy)]
pub struct ShapeInputs {
    pub shm1: u64,
    pub sh: u64,
    pub shp1: u64,
    pub start: u64,
    pub sc: u64,
}

#[inline(always)]
pub fn shape_inputs(toks: &[TokFeat], i: usize, sc: u8) -> ShapeInputs {
    let n = toks.len();
    ShapeInputs {
        shm1: if i >= 1 { toks[i - 1].shape } else { PAD_L },
        sh: toks[i].shape,
        shp1: if i + 1 < n { toks[i + 1].shape } else { PAD_R },
        start: (i == 0) as u64,
        sc: sc as u64,
    }
}

impl ShapeInputs {
    /// A 64-bit key determining every feature of the group (for caching their summed weights).
    #[inline(always)]
    pub fn key(&self) -> u64 {
        let h = (self.shm1 ^ self.sh.rotate_left(21)).wrapping_mul(K) ^ self.shp1.rotate_left(43);
        (h ^ (self.start << 3 | self.sc)).wrapping_mul(K2)
    }
}

#[inline(always)]
pub fn for_each_shape_feature(x: &ShapeInputs, mut f: impl FnMut(u64)) {
    f(f1(T_BIAS, 0));
    f(f1(T_SHM1, x.shm1));
    f(f1(T_SHP1, x.shp1));
    f(f2(T_SHM1SH0, x.shm1, x.sh));
    f(f2(T_SH0SHP1, x.sh, x.shp1));
    f(f3(T_SH3, x.shm1, x.sh, x.shp1));
    f(f2(T_START, x.start, x.sh ^ x.sc));
    f(f2(T_SENT, x.sc, x.sh));
}

/// Inputs of the case group: case-lexicon buckets and case classes of tokens -1, 0, +1, the run
/// of capitalised neighbours, sentence start and class; packed in one u64 (which is the key).
#[inline(always)]
pub fn case_inputs(toks: &[TokFeat], i: usize, sc: u8) -> u64 {
    let n = toks.len();
    let t = &toks[i];
    // 4 bits case bucket | 3 bits class | 5 bits type bucket
    let nb = |t: &TokFeat| t.lex as u64 | (t.cls as u64) << 4 | (t.tlex as u64) << 7;
    let lexm1 = if i >= 1 { nb(&toks[i - 1]) } else { 0xFFF };
    let lexp1 = if i + 1 < n { nb(&toks[i + 1]) } else { 0xFFE };
    let mut run = 0u64;
    if i >= 1 && matches!(toks[i - 1].cls, CLS_TITLE | CLS_UPPER | CLS_MIXED) {
        run |= 1;
    }
    if i + 1 < n && matches!(toks[i + 1].cls, CLS_TITLE | CLS_UPPER | CLS_MIXED) {
        run |= 2;
    }
    t.lex as u64
        | (t.cls as u64) << 8
        | ((i == 0) as u64) << 12
        | (sc as u64) << 13
        | run << 16
        | lexm1 << 20
        | lexp1 << 40
}

const CASE_NB_MASK: u64 = 0xFFF;

#[inline(always)]
pub fn for_each_case_feature(x: &u64, mut f: impl FnMut(u64)) {
    let x = *x;
    let lex = x & 0xFF;
    let cls = (x >> 8) & 0xF;
    let start = (x >> 12) & 1;
    let scu = (x >> 13) & 0x7;
    let run = (x >> 16) & 0xF;
    let lexm1 = (x >> 20) & CASE_NB_MASK;
    let lexp1 = (x >> 40) & CASE_NB_MASK;
    f(f3(T_LEX0X, lex, cls, start));
    f(f3(T_LEX0S, lex, cls, scu));
    f(f2(T_LEXM1, lexm1 & 0x7F, cls));
    f(f2(T_LEXP1, lexp1 & 0x7F, cls));
    f(f2(T_TLEXM1, lexm1 >> 7, cls));
    f(f2(T_TLEXP1, lexp1 >> 7, cls));
    f(f3(T_CLSRUN, run, cls, scu));
}

/// Word-context features (word pair, word x shape, previous suffix).
#[inline(always)]
pub fn for_each_word_ctx_feature(toks: &[TokFeat], i: usize, mut f: impl FnMut(u64)) {
    let n = toks.len();
    let t = &toks[i];
    let wm1 = if i >= 1 { toks[i - 1].w } else { PAD_L };
    let wp1 = if i + 1 < n { toks[i + 1].w } else { PAD_R };
    let sh = t.shape;
    f(f2(T_WM1W0, wm1, t.w));
    f(f2(T_WM1SH0, wm1, sh));
    f(f2(T_SH0WP1, sh, wp1));
    let sufm1 = if i >= 1 { toks[i - 1].suf[2] } else { PAD_L };
    f(f2(T_SUFM1, sufm1, t.cls as u64));
}
