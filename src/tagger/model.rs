//! Model storage: a quantised (i8) weight table keyed by 32-bit feature fingerprints in an
//! open-addressing hash table, BIO transition scores, and the case lexicon. Serialised as a small
//! little-endian binary file (see [`Tagger::to_bytes`](crate::tagger::Tagger::to_bytes)).

use super::features::NT;

pub const MAGIC: &[u8; 8] = b"NGTAG\x03\0\0";
/// Score of a forbidden BIO transition.
pub const FORBID: i32 = -(1 << 28);

#[derive(Debug)]
pub enum ModelError {
    BadMagic,
    Truncated,
    Invalid(&'static str),
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelError::BadMagic => write!(f, "not a newsgraph tagger model (bad magic)"),
            ModelError::Truncated => write!(f, "tagger model file is truncated"),
            ModelError::Invalid(m) => write!(f, "invalid tagger model: {m}"),
        }
    }
}
impl std::error::Error for ModelError {}

/// 32-bit table key of a 64-bit feature hash (its high half; never 0).
#[inline(always)]
pub fn fingerprint(h: u64) -> u32 {
    let f = (h >> 32) as u32;
    if f == 0 { 1 } else { f }
}

/// Slots per bucket (one 64-byte cache line).
pub const BUCKET: usize = 4;

/// Is the transition `prev -> cur` allowed by IOB2 (`prev == NT` = sentence start)?
#[inline]
pub fn allowed(prev: usize, cur: usize) -> bool {
    if cur == 0 || cur % 2 == 1 {
        return true;
    }
    prev == cur || prev + 1 == cur
}

/// One hash-table slot: key and the NT weights in 16 bytes (4 slots per cache line).
#[derive(Clone, Copy, Default)]
#[repr(C, align(16))]
pub struct Slot {
    key: u32,
    w: [i8; NT],
    _pad: [u8; 3],
}

/// One linear model (weights for the NT tags of each feature + transitions).
pub struct LinearModel {
    mask: usize,
    slots: Vec<Slot>,
    /// `trans[prev][cur]`, row NT = sentence start; forbidden transitions hold [`FORBID`].
    pub trans: [[i32; NT]; NT + 1],
    /// `trans` transposed: `trans_t[cur][prev]`
    pub trans_t: [[i32; NT + 1]; NT],
    /// `trans_v[prev][cur]`: `trans` without the start row, with [`FORBID`] wherever IOB2
    /// forbids the transition, padded to 16 lanes (0): the rows of the vectorised Viterbi.
    pub trans_v: [[i32; 16]; NT],
    /// float value of one weight unit
    pub scale: f32,
    n: usize,
    dropped: usize,
    // the sorted (key, row) list as stored in the file, kept for re-serialisation
    sorted: Vec<(u32, [i8; NT])>,
}

impl LinearModel {
    /// Builds from float weights: `feats` = (feature hash, weights), `trans[prev][cur]` (row NT =
    /// start). Weights are quantised to i8 with a common scale; features whose weights all round to 0
    /// are dropped.
    pub fn quantise(
        feats: &[(u64, [f32; NT])],
        trans: &[[f32; NT]; NT + 1],
        clip_quantile: f32,
    ) -> LinearModel {
        let mut mags: Vec<f32> = feats
            .iter()
            .flat_map(|(_, w)| w.iter().map(|x| x.abs()))
            .filter(|&x| x > 0.0)
            .collect();
        let maxw = if mags.is_empty() {
            1.0
        } else {
            let k = ((mags.len() as f32 - 1.0) * clip_quantile) as usize;
            let (_, v, _) = mags.select_nth_unstable_by(k, |a, b| a.partial_cmp(b).unwrap());
            *v
        };
        let scale = maxw / 127.0;
        let mut sorted: Vec<(u32, [i8; NT])> = Vec::with_capacity(feats.len());
        for (h, w) in feats {
            let mut q = [0i8; NT];
            let mut nz = false;
            for k in 0..NT {
                let v = (w[k] / scale).round().clamp(-127.0, 127.0) as i8;
                q[k] = v;
                nz |= v != 0;
            }
            if nz {
                sorted.push((fingerprint(*h), q));
            }
        }
        sorted.sort_by_key(|x| x.0);
        sorted.dedup_by_key(|x| x.0);
        let mut t = [[0i32; NT]; NT + 1];
        for p in 0..=NT {
            for c in 0..NT {
                t[p][c] = if allowed(p, c) {
                    (trans[p][c] / scale).round() as i32
                } else {
                    FORBID
                };
            }
        }
        Self::from_sorted(sorted, t, scale)
    }

    /// Builds the bucketed table: each key lives in one bucket of [`BUCKET`] slots (a cache line),
    /// so a lookup is a branch-free compare of 4 slots. Buckets hold at most 4 keys: when more map
    /// to one bucket, the ones with the smallest weights are left out of the table (rare: the
    /// table has at least 2 slots per feature). Keys are kept in `sorted` either way.
    fn from_sorted(
        sorted: Vec<(u32, [i8; NT])>,
        trans: [[i32; NT]; NT + 1],
        scale: f32,
    ) -> LinearModel {
        let n = sorted.len();
        let nb = ((n * 2 + BUCKET * 4) / BUCKET).next_power_of_two();
        let mask = nb - 1;
        let mut slots = vec![Slot::default(); nb * BUCKET];
        let norm = |w: &[i8; NT]| w.iter().map(|&x| (x as i32).abs()).sum::<i32>();
        // Largest weights first, then by key (keys are unique, so the order is total).
        let mut order: Vec<(std::cmp::Reverse<i32>, u32, u32)> = sorted
            .iter()
            .enumerate()
            .map(|(i, (k, w))| (std::cmp::Reverse(norm(w)), *k, i as u32))
            .collect();
        order.sort_unstable();
        let mut dropped = 0;
        for (_, _, i) in order {
            let (k, w) = &sorted[i as usize];
            let b = bucket_of(*k, mask);
            match (0..BUCKET).find(|&j| slots[b * BUCKET + j].key == 0) {
                Some(j) => {
                    slots[b * BUCKET + j].key = *k;
                    slots[b * BUCKET + j].w = *w;
                }
                None => dropped += 1,
            }
        }
        let mut trans_t = [[0i32; NT + 1]; NT];
        for p in 0..=NT {
            for c in 0..NT {
                trans_t[c][p] = trans[p][c];
            }
        }
        let mut trans_v = [[0i32; 16]; NT];
        for p in 0..NT {
            for c in 0..NT {
                trans_v[p][c] = if allowed(p, c) { trans[p][c] } else { FORBID };
            }
        }
        LinearModel {
            mask,
            slots,
            trans,
            trans_t,
            trans_v,
            scale,
            n,
            dropped,
            sorted,
        }
    }

    /// Features left out of the table because their bucket was full.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Weights of feature `h`, if present (scalar version, for tests and other targets).
    #[inline(always)]
    pub fn get(&self, h: u64) -> Option<&[i8; NT]> {
        let k = fingerprint(h);
        let b = bucket_of(k, self.mask) * BUCKET;
        self.slots[b..b + BUCKET]
            .iter()
            .find(|s| s.key == k)
            .map(|s| &s.w)
    }

    /// Adds the weights of feature `h` (if present) to the 16 i16 lanes of `acc`: lanes 4..13 =
    /// tags 0..8 (lanes 0..3 hold garbage). Branch-free.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    pub fn add_to(&self, h: u64, acc: &mut Acc) {
        use std::arch::x86_64::*;
        let k = fingerprint(h);
        let b = bucket_of(k, self.mask) * BUCKET;
        // SAFETY: b + 3 < slots.len() (bucket index masked); slots are 16-byte aligned; SSE2 is
        // part of the x86_64 baseline.
        unsafe {
            let p = self.slots.as_ptr().add(b) as *const __m128i;
            let kv = _mm_set1_epi32(k as i32);
            let mut sel = _mm_setzero_si128();
            for j in 0..BUCKET {
                let v = _mm_load_si128(p.add(j));
                let m = _mm_shuffle_epi32(_mm_cmpeq_epi32(v, kv), 0);
                sel = _mm_or_si128(sel, _mm_and_si128(v, m));
            }
            let lo = _mm_srai_epi16(_mm_unpacklo_epi8(sel, sel), 8);
            let hi = _mm_srai_epi16(_mm_unpackhi_epi8(sel, sel), 8);
            acc.lo = _mm_add_epi16(acc.lo, lo);
            acc.hi = _mm_add_epi16(acc.hi, hi);
        }
    }

    /// Hints the CPU to load the bucket of feature `h`.
    #[inline(always)]
    pub fn prefetch(&self, h: u64) {
        #[cfg(target_arch = "x86_64")]
        {
            let b = bucket_of(fingerprint(h), self.mask) * BUCKET;
            // SAFETY: prefetch of an in-bounds address; no memory is accessed architecturally
            unsafe {
                use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
                _mm_prefetch(self.slots.as_ptr().add(b) as *const i8, _MM_HINT_T0);
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = h;
    }

    pub fn write(&self, lower: bool, out: &mut Vec<u8>) {
        out.push(lower as u8);
        out.extend_from_slice(&[0, 0, 0]);
        out.extend_from_slice(&self.scale.to_le_bytes());
        for row in &self.trans {
            for &v in row {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out.extend_from_slice(&(self.sorted.len() as u32).to_le_bytes());
        for (k, _) in &self.sorted {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for (_, w) in &self.sorted {
            out.extend(w.iter().map(|&x| x as u8));
        }
    }

    pub fn read(r: &mut Reader) -> Result<(bool, LinearModel), ModelError> {
        let lower = r.bytes(4)?[0] != 0;
        let scale = r.f32()?;
        if !(scale.is_finite() && scale > 0.0) {
            return Err(ModelError::Invalid("scale"));
        }
        let mut trans = [[0i32; NT]; NT + 1];
        for row in trans.iter_mut() {
            for v in row.iter_mut() {
                *v = r.i32()?;
            }
        }
        let n = r.u32()? as usize;
        let kb = r.bytes(n * 4)?;
        let wb = r.bytes(n * NT)?;
        let mut sorted = Vec::with_capacity(n);
        for i in 0..n {
            let k = u32::from_le_bytes(kb[i * 4..i * 4 + 4].try_into().unwrap());
            if k == 0 {
                return Err(ModelError::Invalid("zero key"));
            }
            let mut w = [0i8; NT];
            for j in 0..NT {
                w[j] = wb[i * NT + j] as i8;
            }
            sorted.push((k, w));
        }
        Ok((lower, Self::from_sorted(sorted, trans, scale)))
    }
}

#[inline(always)]
fn slot_from_key(k: u32, mask: usize) -> usize {
    // keys are already hash bits; scramble once more so that clustering in the low bits is broken
    ((k.wrapping_mul(0x9E37_79B1)) >> 8) as usize & mask
}

#[inline(always)]
fn bucket_of(k: u32, mask: usize) -> usize {
    (k.wrapping_mul(0x85EB_CA6B) >> 4) as usize & mask
}

/// Portable accumulator of emission scores (non-x86_64 targets).
#[cfg(not(target_arch = "x86_64"))]
#[derive(Clone, Copy)]
pub struct Acc {
    e: [i32; NT],
}

#[cfg(not(target_arch = "x86_64"))]
impl Acc {
    pub fn new() -> Acc {
        Acc { e: [0; NT] }
    }
    pub fn scores(&self) -> [i32; NT] {
        self.e
    }
    #[inline(always)]
    pub fn add(&mut self, o: &Acc) {
        for k in 0..NT {
            self.e[k] += o.e[k];
        }
    }
}

#[cfg(not(target_arch = "x86_64"))]
impl LinearModel {
    #[inline(always)]
    pub fn add_to(&self, h: u64, acc: &mut Acc) {
        if let Some(w) = self.get(h) {
            for k in 0..NT {
                acc.e[k] += w[k] as i32;
            }
        }
    }
}

/// SIMD accumulator of emission scores (see [`LinearModel::add_to`]).
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy)]
pub struct Acc {
    pub lo: std::arch::x86_64::__m128i,
    pub hi: std::arch::x86_64::__m128i,
}

impl Default for Acc {
    fn default() -> Self {
        Acc::new()
    }
}

#[cfg(target_arch = "x86_64")]
impl Acc {
    #[inline(always)]
    pub fn new() -> Acc {
        // SAFETY: SSE2 is baseline on x86_64
        unsafe {
            Acc {
                lo: std::arch::x86_64::_mm_setzero_si128(),
                hi: std::arch::x86_64::_mm_setzero_si128(),
            }
        }
    }
    #[inline(always)]
    pub fn add(&mut self, o: &Acc) {
        // SAFETY: SSE2 is baseline on x86_64
        unsafe {
            use std::arch::x86_64::*;
            self.lo = _mm_add_epi16(self.lo, o.lo);
            self.hi = _mm_add_epi16(self.hi, o.hi);
        }
    }
    /// The NT tag scores.
    #[inline(always)]
    pub fn scores(&self) -> [i32; NT] {
        let mut a = [0i16; 16];
        // SAFETY: 32 bytes written into a 32-byte array
        unsafe {
            use std::arch::x86_64::*;
            _mm_storeu_si128(a.as_mut_ptr() as *mut __m128i, self.lo);
            _mm_storeu_si128(a.as_mut_ptr().add(8) as *mut __m128i, self.hi);
        }
        let mut e = [0i32; NT];
        for k in 0..NT {
            e[k] = a[4 + k] as i32;
        }
        e
    }
}

#[derive(Clone)]
/// Word lexicon: fingerprint of a lower-cased word -> case bucket (low byte, see
/// `features::lex_bucket`) and type bucket (high byte, see `features::type_bucket`).
pub struct Lexicon {
    mask: usize,
    keys: Vec<u32>,
    vals: Vec<u16>,
    sorted: Vec<(u32, u16)>,
}

impl Lexicon {
    pub fn new(mut entries: Vec<(u32, u16)>) -> Lexicon {
        entries.sort_by_key(|x| x.0);
        entries.dedup_by_key(|x| x.0);
        let cap = (entries.len() * 3 / 2 + 16).next_power_of_two();
        let mask = cap - 1;
        let mut keys = vec![0u32; cap];
        let mut vals = vec![0u16; cap];
        for &(k, v) in &entries {
            let mut s = slot_from_key(k, mask);
            while keys[s] != 0 {
                s = (s + 1) & mask;
            }
            keys[s] = k;
            vals[s] = v;
        }
        Lexicon {
            mask,
            keys,
            vals,
            sorted: entries,
        }
    }

    #[inline(always)]
    pub fn get(&self, word_hash: u64) -> u16 {
        let k = fingerprint(word_hash);
        let mut s = slot_from_key(k, self.mask);
        loop {
            let x = self.keys[s];
            if x == k {
                return self.vals[s];
            }
            if x == 0 {
                return 0;
            }
            s = (s + 1) & self.mask;
        }
    }

    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.sorted.len() as u32).to_le_bytes());
        for (k, _) in &self.sorted {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for (_, v) in &self.sorted {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }

    pub fn read(r: &mut Reader) -> Result<Lexicon, ModelError> {
        let n = r.u32()? as usize;
        let kb = r.bytes(n * 4)?;
        let vb = r.bytes(n * 2)?;
        let mut e = Vec::with_capacity(n);
        for i in 0..n {
            let k = u32::from_le_bytes(kb[i * 4..i * 4 + 4].try_into().unwrap());
            if k == 0 {
                return Err(ModelError::Invalid("zero lexicon key"));
            }
            e.push((k, u16::from_le_bytes([vb[2 * i], vb[2 * i + 1]])));
        }
        Ok(Lexicon::new(e))
    }
}

pub struct Reader<'a> {
    pub b: &'a [u8],
    pub pos: usize,
}

impl<'a> Reader<'a> {
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        if self.pos + n > self.b.len() {
            return Err(ModelError::Truncated);
        }
        let s = &self.b[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    pub fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.bytes(4)?.try_into().unwrap()))
    }
    pub fn i32(&mut self) -> Result<i32, ModelError> {
        Ok(i32::from_le_bytes(self.bytes(4)?.try_into().unwrap()))
    }
    pub fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.bytes(4)?.try_into().unwrap()))
    }
}
