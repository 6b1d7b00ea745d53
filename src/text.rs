//! The text layer: document header (date, title), page boilerplate, sentences, tokens, and the
//! map from byte offsets to character offsets.
//!
//! Nothing here changes the text: boilerplate is *excluded* by listing its byte ranges, so that
//! every offset still indexes the document as read.

use std::sync::LazyLock;

use regex::Regex;

use crate::corpus::Document;

/// Maps byte offsets of a text to character (Unicode scalar) offsets.
#[derive(Debug, Clone)]
pub struct CharMap {
    /// `None` when the text is ASCII (bytes are characters).
    checkpoints: Option<Vec<u32>>,
}

const CHECKPOINT: usize = 64;

impl CharMap {
    pub fn new(text: &str) -> CharMap {
        if text.is_ascii() {
            return CharMap { checkpoints: None };
        }
        let bytes = text.as_bytes();
        let mut checkpoints = Vec::with_capacity(bytes.len() / CHECKPOINT + 1);
        let mut chars = 0u32;
        for (i, &b) in bytes.iter().enumerate() {
            if i % CHECKPOINT == 0 {
                checkpoints.push(chars);
            }
            if (b & 0xC0) != 0x80 {
                chars += 1;
            }
        }
        CharMap {
            checkpoints: Some(checkpoints),
        }
    }

    /// The character offset of byte offset `byte` (which must be on a char boundary).
    pub fn char_offset(&self, text: &str, byte: usize) -> usize {
        match &self.checkpoints {
            None => byte,
            Some(cp) => {
                let k = byte / CHECKPOINT;
                let Some(&base) = cp.get(k) else {
                    return text.chars().count();
                };
                let from = k * CHECKPOINT;
                let extra = text.as_bytes()[from..byte]
                    .iter()
                    .filter(|&&b| (b & 0xC0) != 0x80)
                    .count();
                base as usize + extra
            }
        }
    }

    /// The byte offset of character offset `char_offset`: the inverse of [`Self::char_offset`].
    /// The text's length for the offset just past its last character, `None` beyond that.
    pub fn byte_offset(&self, text: &str, char_offset: usize) -> Option<usize> {
        let Some(cp) = &self.checkpoints else {
            return (char_offset <= text.len()).then_some(char_offset);
        };
        // The last checkpoint at or before the character (every 64-byte block starts at least
        // 16 characters, so checkpoints strictly increase; the first is 0).
        let k = cp
            .partition_point(|&c| c as usize <= char_offset)
            .saturating_sub(1);
        let bytes = text.as_bytes();
        let mut chars = cp[k] as usize;
        for (i, &b) in bytes.iter().enumerate().skip(k * CHECKPOINT) {
            if (b & 0xC0) != 0x80 {
                if chars == char_offset {
                    return Some(i);
                }
                chars += 1;
            }
        }
        (chars == char_offset).then_some(bytes.len())
    }
}

/// Metadata found at the top (or bottom) of a document's text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub title: Option<String>,
    /// ISO date (`2024-03-23`).
    pub date: Option<String>,
}

/// A sentence: byte and character ranges into the document text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub byte_start: usize,
    pub byte_end: usize,
    pub start: usize,
    pub end: usize,
}

/// A document prepared for extraction.
#[derive(Debug, Clone)]
pub struct Prepared<'a> {
    pub doc: &'a Document,
    pub title: Option<String>,
    pub date: Option<String>,
    /// Byte ranges excluded from extraction (metadata lines, page boilerplate, bylines).
    pub excluded: Vec<(usize, usize)>,
    pub sentences: Vec<Sentence>,
    pub chars: CharMap,
    /// True when the text has (almost) no upper-case letters: wire copy, transcripts.
    pub lowercase: bool,
}

impl Prepared<'_> {
    pub fn text(&self) -> &str {
        &self.doc.text
    }

    pub fn char_offset(&self, byte: usize) -> usize {
        self.chars.char_offset(&self.doc.text, byte)
    }

    pub fn sentence_text(&self, s: &Sentence) -> &str {
        &self.doc.text[s.byte_start..s.byte_end]
    }
}

/// The environment variable of the test hook that makes [`prepare`] panic: when it is set to a
/// non-empty string, a document whose text contains that string panics. It exists only so that
/// tests can prove that a panic while extracting one document is contained and reported
/// (`tests/reliability.rs`); it does nothing unless set.
pub const TEST_PANIC_MARKER_ENV: &str = "NEWSGRAPH_TEST_PANIC_MARKER";

static TEST_PANIC_MARKER: LazyLock<Option<String>> = LazyLock::new(|| {
    std::env::var(TEST_PANIC_MARKER_ENV)
        .ok()
        .filter(|m| !m.is_empty())
});

/// Splits a document into sentences, finds its header and boilerplate, with the default
/// sentence limit ([`MAX_SENTENCE_BYTES`]).
pub fn prepare(doc: &Document) -> Prepared<'_> {
    prepare_with(doc, MAX_SENTENCE_BYTES)
}

/// [`prepare`] with sentences cut at `max_sentence_bytes` (see [`split_sentences`]).
pub fn prepare_with(doc: &Document, max_sentence_bytes: usize) -> Prepared<'_> {
    if let Some(marker) = TEST_PANIC_MARKER.as_deref()
        && doc.text.contains(marker)
    {
        panic!("test panic: the document contains the marker set in {TEST_PANIC_MARKER_ENV}");
    }
    let text = doc.text.as_str();
    let chars = CharMap::new(text);
    let mut excluded = Vec::new();
    let mut header = Header::default();
    let letters = LetterStats::of(text);
    let latin_doc = letters.mostly_latin();
    let mut title_candidate: Option<String> = None;
    let mut seen_content = false;

    for (ls, le) in lines(text) {
        let line = &text[ls..le];
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        // `date 2024-03-22` at the start of a line (possibly followed by text).
        if let Some(m) = DATE_MARKER.captures(line) {
            let whole = m.get(0).map(|g| g.range()).unwrap_or(0..0);
            if header.date.is_none() {
                header.date = m.get(1).map(|g| g.as_str().to_string());
            }
            excluded.push((ls + whole.start, ls + whole.end));
            let rest = line[whole.end..].trim();
            if rest.is_empty() || is_boilerplate(rest, latin_doc) {
                excluded.push((ls, le));
                continue;
            }
            seen_content = true;
            continue;
        }
        if let Some(date) = dated_metadata_line(trimmed) {
            if header.date.is_none() || trimmed.to_lowercase().starts_with("published") {
                header.date = Some(date);
            }
            excluded.push((ls, le));
            continue;
        }
        if is_boilerplate(trimmed, latin_doc) {
            excluded.push((ls, le));
            continue;
        }
        if !seen_content {
            seen_content = true;
            let t = trimmed;
            if t.chars().count() <= 200 && !ends_sentence(t) {
                title_candidate = Some(t.to_string());
            }
        }
    }
    header.title = title_candidate;
    excluded.sort_unstable();
    let excluded = merge_ranges(excluded);
    let sentences = split_sentences(text, &excluded, &chars, max_sentence_bytes);
    let lowercase = letters.lowercase();
    Prepared {
        doc,
        title: doc.title.clone().or(header.title),
        date: doc.date.clone().or(header.date),
        excluded,
        sentences,
        chars,
        lowercase,
    }
}

fn merge_ranges(ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Line ranges (without the line terminator), splitting on LF, CRLF and lone CR.
pub fn lines(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        match memchr::memchr2(b'\n', b'\r', &bytes[pos..]) {
            Some(off) => {
                let end = pos + off;
                pos = end + 1;
                if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                    pos += 1;
                }
                Some((start, end))
            }
            None => {
                pos = bytes.len();
                Some((start, bytes.len()))
            }
        }
    })
}

static DATE_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:date:?\s+)?(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?\S*)?(?:\s|$)")
        .expect("date marker regex")
});

static METADATA_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:published|updated|last updated|posted|first published|date|dated)\s*(?:on|at)?\s*:?\s*(.+)$",
    )
    .expect("metadata regex")
});

/// A `Published: March 23rd, 2024 at 08:49 IST` style line: its date.
fn dated_metadata_line(line: &str) -> Option<String> {
    if line.chars().count() > 100 {
        return None;
    }
    let caps = METADATA_LINE.captures(line)?;
    parse_date(caps.get(1)?.as_str())
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month number (1-12) of an English month name or its abbreviation.
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&w) && (w.len() >= 3) && (w.len() == m.len() || w.len() <= 4))
        .map(|i| i as u32 + 1)
}

static DATE_ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})\b").expect("iso date regex"));
static DATE_MDY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
        .expect("mdy regex")
});
static DATE_DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
        .expect("dmy regex")
});

/// Parses the first full date in `s`: ISO, `March 23rd, 2024`, `23 March 2024`.
pub fn parse_date(s: &str) -> Option<String> {
    let valid = |y: i32, m: u32, d: u32| -> Option<String> {
        jiff::civil::Date::new(y as i16, m as i8, d as i8)
            .ok()
            .map(|date| date.to_string())
    };
    if let Some(c) = DATE_ISO.captures(s) {
        let y = c[1].parse().ok()?;
        let m = c[2].parse().ok()?;
        let d = c[3].parse().ok()?;
        return valid(y, m, d);
    }
    if let Some(c) = DATE_MDY.captures(s)
        && let Some(m) = month_number(&c[1])
    {
        return valid(c[3].parse().ok()?, m, c[2].parse().ok()?);
    }
    if let Some(c) = DATE_DMY.captures(s)
        && let Some(m) = month_number(&c[2])
    {
        return valid(c[3].parse().ok()?, m, c[1].parse().ok()?);
    }
    None
}

static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            share(?:\s+(?:it|this(?:\s+(?:article|story|post))?|on\s+\w+))?
          | tweet | email | print | save | copy\s+link | whatsapp | facebook | twitter | linkedin | telegram
          | comments? | \d+\s+comments? | leave\s+a\s+(?:reply|comment) | post\s+a\s+comment | add\s+a\s+comment
          | your\s+email\s+address\s+will\s+not\s+be\s+published.* | required\s+fields\s+are\s+marked.*
          | related(?:\s+(?:articles|posts|stories|news|topics))? | read\s+more.* | see\s+also | more\s+from.*
          | advertisement | sponsored(?:\s+content)? | subscribe.* | sign\s+up.* | follow\s+us.* | click\s+here.*
          | skip\s+to\s+(?:main\s+)?content | cookie.* | accept(?:\s+all)?(?:\s+cookies)? | close | menu | home | search | next | previous
          | (?:reported|written|edited|compiled)\s+by\b.* | by\s+\p{Lu}[\p{L}.'-]+(?:\s+\p{Lu}[\p{L}.'-]+){0,3}
          | (?:photo|image|picture|video)s?(?:\s+credits?)?\s*:.* | (?:©|\(c\)|copyright\b).*
          | all\s+rights\s+reserved.* | explained | watch | listen | live | breaking
        )\W*$",
    )
    .expect("boilerplate regex")
});

/// Words of page furniture: share buttons, players, navigation.
const UI_WORDS: &[&str] = &[
    "share",
    "shares",
    "email",
    "e-mail",
    "facebook",
    "twitter",
    "whatsapp",
    "tumblr",
    "pinterest",
    "reddit",
    "linkedin",
    "telegram",
    "print",
    "permalink",
    "newsvine",
    "autoplay",
    "close",
    "skip",
    "ad",
    "ads",
    "full",
    "screen",
    "fullscreen",
    "comments",
    "comment",
    "embed",
    "copy",
    "link",
    "next",
    "previous",
    "prev",
    "more",
    "menu",
    "home",
    "search",
    "subscribe",
    "login",
    "log",
    "in",
    "sign",
    "up",
    "video",
    "photo",
    "photos",
    "gallery",
    "play",
    "replay",
    "mute",
    "unmute",
    "x",
    "vk",
    "messenger",
    "sms",
    "google",
    "digg",
    "stumbleupon",
    "mail",
    "enditem",
    "top",
    "back",
    "to",
    "loading",
    "advertisement",
    "related",
    "read",
    "watch",
    "listen",
];

/// A short line made of page-furniture words ("Full screen Autoplay Close Skip ad").
fn is_ui_line(t: &str) -> bool {
    // Stops at the first word that is not page furniture (most lines: the first word), and
    // lower-cases without allocating (ASCII words; the UI words are ASCII).
    let mut n = 0usize;
    for w in t
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
    {
        n += 1;
        if n > 12 || !is_ui_word(w) {
            return false;
        }
    }
    n > 0
}

fn is_ui_word(w: &str) -> bool {
    if w.is_ascii() {
        UI_WORDS.iter().any(|u| u.eq_ignore_ascii_case(w))
    } else {
        // Non-ASCII letters may lower-case to ASCII (the Kelvin sign to `k`).
        UI_WORDS.contains(&w.to_lowercase().as_str())
    }
}

fn is_boilerplate(line: &str, latin_doc: bool) -> bool {
    let t = line.trim();
    if !t.chars().any(|c| c.is_alphanumeric()) {
        return true;
    }
    if is_ui_line(t) {
        return true;
    }
    // A line of more than 480 bytes has more than 120 characters.
    if t.len() <= 480 && t.chars().count() <= 120 && BOILERPLATE.is_match(t) {
        return true;
    }
    // Navigation text in another script on a page written in Latin script: short lines
    // that are not sentences. (Cheapest tests first; all are pure.)
    if latin_doc
        && t.len() <= 240
        && t.chars().count() <= 60
        && !ends_sentence(t)
        && !mostly_latin(t)
    {
        return true;
    }
    false
}

fn ends_sentence(t: &str) -> bool {
    let t = t.trim_end_matches(['"', '”', '’', '\'', ')', '»']);
    t.ends_with(['.', '!', '?', '。', '؟', '…'])
}

/// Letter counts of a text, for [`mostly_latin`] and [`is_lowercase_text`].
#[derive(Debug, Default, Clone, Copy)]
struct LetterStats {
    /// Alphabetic characters that are ASCII or in U+00C0..U+024F.
    latin: usize,
    /// Other alphabetic characters.
    other: usize,
    /// Upper-case alphabetic characters.
    upper: usize,
}

/// (ASCII letters, ASCII upper-case letters) in `run`, which is all ASCII: eight bytes at a
/// time (SWAR: each byte's high bit flags a letter; no carry crosses bytes below 0x80).
fn ascii_letter_counts(run: &[u8]) -> (usize, usize) {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    debug_assert!(run.is_ascii());
    let (mut letters, mut upper) = (0usize, 0usize);
    let mut chunks = run.chunks_exact(8);
    // Per-byte counters (0/1 added per byte), summed across bytes every 255 chunks at most.
    let (mut acc_l, mut acc_u, mut pending) = (0u64, 0u64, 0u32);
    let flush = |acc: &mut u64| -> usize {
        let total = (*acc & 0x00FF_00FF_00FF_00FF) + ((*acc >> 8) & 0x00FF_00FF_00FF_00FF);
        *acc = 0;
        (total.wrapping_mul(0x0001_0001_0001_0001) >> 48) as usize
    };
    for c in &mut chunks {
        let x = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        let y = x | (LO * 0x20); // lower-case letters (other bytes move, never into a-z from outside A-Z/a-z)
        let alpha = (y + LO * (0x80 - b'a' as u64)) & !(y + LO * (0x80 - b'z' as u64 - 1)) & HI;
        let up = (x + LO * (0x80 - b'A' as u64)) & !(x + LO * (0x80 - b'Z' as u64 - 1)) & HI;
        acc_l += alpha >> 7;
        acc_u += up >> 7;
        pending += 1;
        if pending == 255 {
            letters += flush(&mut acc_l);
            upper += flush(&mut acc_u);
            pending = 0;
        }
    }
    letters += flush(&mut acc_l);
    upper += flush(&mut acc_u);
    let rest = chunks.remainder();
    letters += rest.iter().filter(|x| x.is_ascii_alphabetic()).count();
    upper += rest.iter().filter(|x| x.is_ascii_uppercase()).count();
    (letters, upper)
}

impl LetterStats {
    fn of(s: &str) -> LetterStats {
        let mut st = LetterStats::default();
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            // A run of ASCII bytes, counted in a loop the compiler vectorises.
            let mut j = i;
            while j + 8 <= b.len()
                && u64::from_le_bytes(b[j..j + 8].try_into().unwrap()) & 0x8080_8080_8080_8080 == 0
            {
                j += 8;
            }
            while j < b.len() && b[j] < 0x80 {
                j += 1;
            }
            let (letters, upper) = ascii_letter_counts(&b[i..j]);
            st.latin += letters;
            st.upper += upper;
            i = j;
            if i < b.len() {
                let Some((c, len)) = char_at(s, i) else { break };
                i += len;
                if c.is_alphabetic() {
                    if ('\u{00C0}'..='\u{024F}').contains(&c) {
                        st.latin += 1;
                    } else {
                        st.other += 1;
                    }
                    if c.is_uppercase() {
                        st.upper += 1;
                    }
                }
            }
        }
        st
    }

    fn mostly_latin(&self) -> bool {
        self.latin >= self.other
    }

    fn lowercase(&self) -> bool {
        let letters = self.latin + self.other;
        letters > 0 && self.upper * 100 < letters
    }
}

/// True when most letters of `s` are Latin script (or there are no letters).
pub fn mostly_latin(s: &str) -> bool {
    LetterStats::of(s).mostly_latin()
}

/// True when the text has letters and fewer than 1% of them are upper case.
pub fn is_lowercase_text(text: &str) -> bool {
    LetterStats::of(text).lowercase()
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "cpl", "pvt",
    "adm", "cmdr", "sen", "rep", "gov", "pres", "st", "jr", "sr", "rev", "hon", "no", "vs", "etc",
    "inc", "ltd", "co", "corp", "dept", "univ", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "mt", "ft", "fig", "approx", "est", "brig", "lieut",
    "supt", "insp", "det", "cf", "al", "e.g", "i.e", "u.s", "u.k", "u.n", "a.m", "p.m",
];

/// True when the word ending at a period is an abbreviation or an initial (`B.` in `Colin B. Clark`).
fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    if w.is_empty() {
        return false;
    }
    let mut chars = w.chars();
    let first = chars.next();
    if chars.next().is_none() && first.is_some_and(|c| c.is_uppercase()) {
        return true; // an initial
    }
    // Dotted acronyms: U.S, U.N, e.g
    if w.contains('.') && w.split('.').all(|p| p.chars().count() <= 2) {
        return true;
    }
    is_listed_abbreviation(w)
}

/// Splits the text into sentences, skipping excluded ranges. Boundaries: `.`, `!`, `?` (and
/// their closing quotes) followed by space and an upper-case letter, digit or quote; blank
/// lines; a line break after a line that does not end in a sentence mark (headline) when the
/// next line starts with an upper-case letter, digit, bullet or quote.
///
/// No sentence is longer than `max_sentence_bytes` (at least [`MIN_SENTENCE_BYTES`]): a longer
/// run is cut at its last space before the limit, or at the limit itself (on a character
/// boundary) when it has no space, so that a megabyte-long line without punctuation costs
/// linear time and gives bounded sentences.
pub fn split_sentences(
    text: &str,
    excluded: &[(usize, usize)],
    chars: &CharMap,
    max_sentence_bytes: usize,
) -> Vec<Sentence> {
    let max = max_sentence_bytes.max(MIN_SENTENCE_BYTES);
    let mut out = Vec::new();
    let mut segments = Vec::new();
    // Included segments: the complement of `excluded`.
    let mut pos = 0usize;
    for &(s, e) in excluded {
        if s > pos {
            segments.push((pos, s));
        }
        pos = pos.max(e);
    }
    if pos < text.len() {
        segments.push((pos, text.len()));
    }
    for (seg_start, seg_end) in segments {
        split_segment(text, seg_start, seg_end, max, &mut |s, e| {
            // A run longer than the limit that the splitter could not cut (a long run of
            // sentence marks) is cut here.
            let mut s = s;
            while s < e {
                let piece_end = if e - s > max {
                    cut_point(text, s, s + max)
                } else {
                    e
                };
                // trim
                let slice = &text[s..piece_end];
                let lead = slice.len() - slice.trim_start().len();
                let trail = slice.len() - slice.trim_end().len();
                let (ts, te) = (s + lead, piece_end - trail);
                if ts < te && text[ts..te].chars().any(|c| c.is_alphanumeric()) {
                    out.push(Sentence {
                        byte_start: ts,
                        byte_end: te,
                        start: chars.char_offset(text, ts),
                        end: chars.char_offset(text, te),
                    });
                }
                s = piece_end;
            }
        });
    }
    out
}

/// The default maximum sentence length in bytes (`--max-sentence-bytes`); longer runs are cut
/// at a space, or at the limit when there is none.
pub const MAX_SENTENCE_BYTES: usize = 4096;

/// The smallest sentence limit honoured (a smaller setting is raised to it).
pub const MIN_SENTENCE_BYTES: usize = 64;

/// Where to cut a sentence that starts at `start` and must end by `limit` (> `start`): just
/// after the last space or tab in `start..limit` when there is one past `start`, otherwise at
/// `limit` moved back to a character boundary (but always past `start`).
fn cut_point(text: &str, start: usize, limit: usize) -> usize {
    let bytes = text.as_bytes();
    if let Some(p) = memchr::memrchr2(b' ', b'\t', &bytes[start..limit])
        && p > 0
    {
        return start + p + 1;
    }
    let mut cut = limit;
    while cut > start && !text.is_char_boundary(cut) {
        cut -= 1;
    }
    if cut == start {
        // Not reachable for limits of at least 4 bytes; move forward to stay in progress.
        cut = limit;
        while cut < text.len() && !text.is_char_boundary(cut) {
            cut += 1;
        }
    }
    cut
}

/// Bytes where [`split_segment`] has more to do than check the length limit: line breaks,
/// `.` `!` `?`, and the lead bytes of `…` (E2), `。` (E3) and `؟` (D8).
static SPLIT_STOP: [bool; 256] = {
    let mut t = [false; 256];
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t[b'.' as usize] = true;
    t[b'!' as usize] = true;
    t[b'?' as usize] = true;
    t[0xD8] = true;
    t[0xE2] = true;
    t[0xE3] = true;
    t
};

fn split_segment(
    text: &str,
    start: usize,
    end: usize,
    max: usize,
    emit: &mut dyn FnMut(usize, usize),
) {
    let bytes = text.as_bytes();
    let mut sent_start = start;
    let mut i = start;
    while i < end {
        let b = bytes[i];
        if !SPLIT_STOP[b as usize] {
            // A run of bytes that neither break a line nor can start a sentence mark: only the
            // length limit applies to them. Find the end of the run, then the first position
            // in it (on a character boundary) where the sentence reaches the limit.
            let mut p = i + 1;
            while p < end && !SPLIT_STOP[bytes[p] as usize] {
                p += 1;
            }
            let mut q = i.max(sent_start + max);
            while q < p && !text.is_char_boundary(q) {
                q += 1;
            }
            if q < p {
                let cut = cut_point(text, sent_start, q);
                emit(sent_start, cut);
                sent_start = cut;
                i = q + 1;
            } else {
                i = p;
            }
            continue;
        }
        if b == b'\n' || b == b'\r' {
            // Find the extent of this line-break run.
            let mut j = i;
            let mut newlines = 0;
            while j < end
                && (bytes[j] == b'\n' || bytes[j] == b'\r' || bytes[j] == b' ' || bytes[j] == b'\t')
            {
                if bytes[j] == b'\n' || (bytes[j] == b'\r' && bytes.get(j + 1) != Some(&b'\n')) {
                    newlines += 1;
                }
                j += 1;
            }
            let prev = text[sent_start..i].trim_end();
            let next_char = text[j..end].chars().next();
            let heading = !prev.is_empty()
                && !ends_sentence(prev)
                && !prev.ends_with([',', ';', ':', '-', '–'])
                && next_char.is_some_and(|c| {
                    c.is_uppercase() || c.is_ascii_digit() || "\"“'‘«•*–-".contains(c)
                });
            if newlines >= 2
                || heading
                || ends_sentence(prev) && next_char.is_some_and(|c| !c.is_lowercase())
            {
                emit(sent_start, i);
                sent_start = j;
            }
            i = j;
            continue;
        }
        if matches!(b, b'.' | b'!' | b'?')
            || (b >= 0xC0 && text.is_char_boundary(i) && text[i..].starts_with(['…', '。', '؟']))
        {
            let clen = text[i..].chars().next().map(char::len_utf8).unwrap_or(1);
            let mut j = i + clen;
            // Include runs of terminal marks and closing quotes/brackets.
            while j < end {
                let c = text[j..].chars().next().unwrap_or(' ');
                if matches!(
                    c,
                    '.' | '!' | '?' | '"' | '”' | '’' | '\'' | ')' | ']' | '»'
                ) {
                    j += c.len_utf8();
                } else {
                    break;
                }
            }
            if j >= end {
                i = j;
                continue;
            }
            let after = text[j..].chars().next().unwrap_or(' ');
            if after == ' ' || after == '\t' || after == '\u{a0}' {
                let mut k = j;
                while k < end && matches!(bytes[k], b' ' | b'\t') || text[k..].starts_with('\u{a0}')
                {
                    k += text[k..].chars().next().map(char::len_utf8).unwrap_or(1);
                    if k >= end {
                        break;
                    }
                }
                let next = text[k.min(end)..end].chars().next();
                let boundary = match next {
                    None => false,
                    Some(c) => c.is_uppercase() || c.is_ascii_digit() || "\"“'‘«(–-".contains(c),
                };
                let word_before = text[sent_start..i]
                    .rsplit(|c: char| c.is_whitespace() || c == '(')
                    .next()
                    .unwrap_or("");
                if boundary && !(b == b'.' && is_abbreviation(word_before)) {
                    emit(sent_start, j);
                    sent_start = k;
                    i = k;
                    continue;
                }
            }
            i = j;
            continue;
        }
        if i - sent_start >= max && text.is_char_boundary(i) {
            let cut = cut_point(text, sent_start, i);
            emit(sent_start, cut);
            sent_start = cut;
        }
        i += 1;
    }
    if sent_start < end {
        emit(sent_start, end);
    }
}

/// The byte-at-a-time splitter that [`split_segment`] must agree with (tests only).
#[cfg(test)]
fn split_segment_reference(
    text: &str,
    start: usize,
    end: usize,
    max: usize,
    emit: &mut dyn FnMut(usize, usize),
) {
    let bytes = text.as_bytes();
    let mut sent_start = start;
    let mut i = start;
    while i < end {
        let b = bytes[i];
        if b == b'\n' || b == b'\r' {
            // Find the extent of this line-break run.
            let mut j = i;
            let mut newlines = 0;
            while j < end
                && (bytes[j] == b'\n' || bytes[j] == b'\r' || bytes[j] == b' ' || bytes[j] == b'\t')
            {
                if bytes[j] == b'\n' || (bytes[j] == b'\r' && bytes.get(j + 1) != Some(&b'\n')) {
                    newlines += 1;
                }
                j += 1;
            }
            let prev = text[sent_start..i].trim_end();
            let next_char = text[j..end].chars().next();
            let heading = !prev.is_empty()
                && !ends_sentence(prev)
                && !prev.ends_with([',', ';', ':', '-', '–'])
                && next_char.is_some_and(|c| {
                    c.is_uppercase() || c.is_ascii_digit() || "\"“'‘«•*–-".contains(c)
                });
            if newlines >= 2
                || heading
                || ends_sentence(prev) && next_char.is_some_and(|c| !c.is_lowercase())
            {
                emit(sent_start, i);
                sent_start = j;
            }
            i = j;
            continue;
        }
        if matches!(b, b'.' | b'!' | b'?')
            || (b >= 0xC0 && text.is_char_boundary(i) && text[i..].starts_with(['…', '。', '؟']))
        {
            let clen = text[i..].chars().next().map(char::len_utf8).unwrap_or(1);
            let mut j = i + clen;
            // Include runs of terminal marks and closing quotes/brackets.
            while j < end {
                let c = text[j..].chars().next().unwrap_or(' ');
                if matches!(
                    c,
                    '.' | '!' | '?' | '"' | '”' | '’' | '\'' | ')' | ']' | '»'
                ) {
                    j += c.len_utf8();
                } else {
                    break;
                }
            }
            if j >= end {
                i = j;
                continue;
            }
            let after = text[j..].chars().next().unwrap_or(' ');
            if after == ' ' || after == '\t' || after == '\u{a0}' {
                let mut k = j;
                while k < end && matches!(bytes[k], b' ' | b'\t') || text[k..].starts_with('\u{a0}')
                {
                    k += text[k..].chars().next().map(char::len_utf8).unwrap_or(1);
                    if k >= end {
                        break;
                    }
                }
                let next = text[k.min(end)..end].chars().next();
                let boundary = match next {
                    None => false,
                    Some(c) => c.is_uppercase() || c.is_ascii_digit() || "\"“'‘«(–-".contains(c),
                };
                let word_before = text[sent_start..i]
                    .rsplit(|c: char| c.is_whitespace() || c == '(')
                    .next()
                    .unwrap_or("");
                if boundary && !(b == b'.' && is_abbreviation(word_before)) {
                    emit(sent_start, j);
                    sent_start = k;
                    i = k;
                    continue;
                }
            }
            i = j;
            continue;
        }
        if i - sent_start >= max && text.is_char_boundary(i) {
            let cut = cut_point(text, sent_start, i);
            emit(sent_start, cut);
            sent_start = cut;
        }
        i += 1;
    }
    if sent_start < end {
        emit(sent_start, end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::new("d", text)
    }

    fn sentences(text: &str) -> Vec<String> {
        let d = doc(text);
        let p = prepare(&d);
        p.sentences
            .iter()
            .map(|s| p.sentence_text(s).to_string())
            .collect()
    }

    #[test]
    fn char_map_counts_scalars() {
        let t = "aé€😀b";
        let m = CharMap::new(t);
        assert_eq!(m.char_offset(t, 0), 0);
        assert_eq!(m.char_offset(t, 1), 1);
        assert_eq!(m.char_offset(t, 3), 2);
        assert_eq!(m.char_offset(t, 6), 3);
        assert_eq!(m.char_offset(t, 10), 4);
        let long = "é".repeat(100) + "x";
        let m = CharMap::new(&long);
        assert_eq!(m.char_offset(&long, 200), 100);
    }

    #[test]
    fn splits_on_periods_but_not_abbreviations_or_initials() {
        assert_eq!(
            sentences(
                "Gen. Erik Kurilla spoke. Colin B. Clark said the U.S. Army left. Then it ended."
            ),
            vec![
                "Gen. Erik Kurilla spoke.",
                "Colin B. Clark said the U.S. Army left.",
                "Then it ended."
            ]
        );
    }

    #[test]
    fn blank_lines_and_headlines_end_sentences_single_breaks_do_not() {
        assert_eq!(
            sentences(
                "What do we know\n\nThe group said it named Islamic State\nas the parent group.\nHeadline here\nNext one."
            ),
            vec![
                "What do we know",
                "The group said it named Islamic State\nas the parent group.",
                "Headline here",
                "Next one."
            ]
        );
    }

    #[test]
    fn header_date_title_and_boilerplate() {
        let d = doc(
            " date 2024-03-23 ×\n\nUpdated March 23rd, 2024 at 08:50 IST\n\nWhat Is It | Explained\n\nThe attack killed 60.\n\nReported by: Jane Doe\nShare it...\n\nLeave a Reply\n\nاظهر المزيد\n",
        );
        let p = prepare(&d);
        assert_eq!(p.date.as_deref(), Some("2024-03-23"));
        assert_eq!(p.title.as_deref(), Some("What Is It | Explained"));
        let s: Vec<_> = p.sentences.iter().map(|s| p.sentence_text(s)).collect();
        assert_eq!(s, vec!["What Is It | Explained", "The attack killed 60."]);
    }

    #[test]
    fn date_marker_followed_by_text_keeps_the_text() {
        let d = doc(" date 2024-03-22 The organization said it. Then more.");
        let p = prepare(&d);
        assert_eq!(p.date.as_deref(), Some("2024-03-22"));
        let s: Vec<_> = p.sentences.iter().map(|s| p.sentence_text(s)).collect();
        assert_eq!(s, vec!["The organization said it.", "Then more."]);
        assert_eq!(p.sentences[0].start, 17);
    }

    #[test]
    fn parses_dates() {
        assert_eq!(
            parse_date("March 23rd, 2024 at 08:49 IST").as_deref(),
            Some("2024-03-23")
        );
        assert_eq!(parse_date("23 March 2024").as_deref(), Some("2024-03-23"));
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(month_number("May"), Some(5));
        assert_eq!(month_number("Mayday"), None);
    }

    #[test]
    fn full_sentence_in_another_script_is_kept() {
        let d = doc(
            "2024-03-25\nقالت ولاية خراسان إن الدولة الإسلامية تقف وراء الهجوم.\nInvestigators suspect Islamic State.",
        );
        let p = prepare(&d);
        assert_eq!(p.sentences.len(), 2);
        assert_eq!(p.sentences[0].start, 11);
        assert_eq!(p.sentences[0].end, 65);
    }

    #[test]
    fn page_furniture_lines_are_boilerplate() {
        assert!(is_boilerplate("Full screen Autoplay Close Skip ad", true));
        assert!(is_boilerplate("WhatsApp Tumblr Newsvine Permalink", true));
        assert!(is_boilerplate("Enditem", true));
        assert!(!is_boilerplate("Share prices fell in Tokyo.", true));
    }

    #[test]
    fn detects_lowercase_text() {
        assert!(is_lowercase_text(
            "the guerrillas attacked the town of la paz."
        ));
        assert!(!is_lowercase_text("The guerrillas attacked La Paz."));
    }
}

/// A token: byte range into the text it was cut from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
}

fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '-' | '\'' | '’' | '.' | '&' | '‐' | '‑' | ',' | '/' | ':'
    )
}

/// The character at byte `i` of `s` (a char boundary) and its length, `None` at the end.
#[inline(always)]
fn char_at(s: &str, i: usize) -> Option<(char, usize)> {
    let b = *s.as_bytes().get(i)?;
    if b < 0x80 {
        Some((b as char, 1))
    } else {
        s[i..].chars().next().map(|c| (c, c.len_utf8()))
    }
}

#[inline(always)]
fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

/// A set of short words, looked up ASCII-case-insensitively by a binary search of packed keys
/// built and sorted at compile time. A word of at most 7 bytes is one `u64`: its bytes
/// (ASCII-lower-cased, little-endian) and its length in the top byte, so that words that differ
/// other than in ASCII case have different keys. Longer entries can never be found.
pub(crate) struct ShortWords<const N: usize> {
    keys: [u64; N],
}

impl<const N: usize> ShortWords<N> {
    const fn key(w: &[u8]) -> u64 {
        let mut key = (w.len() as u64) << 56;
        let mut k = 0;
        while k < w.len() {
            key |= (w[k].to_ascii_lowercase() as u64) << (8 * k);
            k += 1;
        }
        key
    }

    /// The set of `words` (exactly `N` of them).
    pub(crate) const fn new(words: &[&str]) -> Self {
        assert!(words.len() == N);
        let mut keys = [u64::MAX; N];
        let mut i = 0;
        while i < N {
            if words[i].len() <= 7 {
                keys[i] = Self::key(words[i].as_bytes());
            }
            i += 1;
        }
        // Insertion sort (const context).
        let mut i = 1;
        while i < N {
            let mut j = i;
            while j > 0 && keys[j - 1] > keys[j] {
                let t = keys[j];
                keys[j] = keys[j - 1];
                keys[j - 1] = t;
                j -= 1;
            }
            i += 1;
        }
        ShortWords { keys }
    }

    /// Is `w` one of the words, ignoring ASCII case?
    pub(crate) fn contains(&self, w: &[u8]) -> bool {
        w.len() <= 7 && self.keys.binary_search(&Self::key(w)).is_ok()
    }
}

/// [`ABBREVIATIONS`] as a [`ShortWords`] set.
const ABBREVIATION_SET: ShortWords<{ ABBREVIATIONS.len() }> = ShortWords::new(ABBREVIATIONS);

/// The linear search [`is_listed_abbreviation`] replaced (reference for its test).
#[cfg(test)]
fn is_listed_abbreviation_linear(word: &str) -> bool {
    if word.is_ascii() {
        word.len() <= 6 && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
    } else {
        ABBREVIATIONS.contains(&word.to_lowercase().as_str())
    }
}

/// Is `word` (followed by a period) one of [`ABBREVIATIONS`], case-insensitively?
fn is_listed_abbreviation(word: &str) -> bool {
    if word.is_ascii() {
        word.len() <= 6 && ABBREVIATION_SET.contains(word.as_bytes())
    } else {
        // Non-ASCII letters may lower-case to ASCII (the Kelvin sign to `k`).
        ABBREVIATIONS.contains(&word.to_lowercase().as_str())
    }
}

/// Cuts `s` into tokens (CoNLL-like): words with inner hyphens, apostrophes and dots kept
/// together (`ISIS-K`, `O'Neill`, `U.S.`), numbers with separators (`2,000`, `3.5`), a possessive
/// `'s` split off, every other non-space character alone. Offsets are bytes of `s`.
pub fn tokenize(s: &str, out: &mut Vec<Token>) {
    out.clear();
    let mut pos = 0usize;
    while let Some((c, clen)) = char_at(s, pos) {
        let i = pos;
        if c.is_whitespace() {
            pos += clen;
            continue;
        }
        if !is_alnum(c) {
            out.push(Token {
                start: i,
                end: i + clen,
            });
            pos += clen;
            continue;
        }
        let mut end = i + clen;
        let mut numeric = c.is_ascii_digit();
        let bytes = s.as_bytes();
        loop {
            // ASCII letters and digits: the common case, a byte at a time.
            while let Some(&x) = bytes.get(end)
                && x.is_ascii_alphanumeric()
            {
                numeric &= x.is_ascii_digit();
                end += 1;
            }
            let Some((n, nlen)) = char_at(s, end) else {
                break;
            };
            if is_alnum(n) {
                if !n.is_ascii_digit() {
                    numeric = false;
                }
                end += nlen;
                continue;
            }
            if is_joiner(n) {
                let after = char_at(s, end + nlen);
                let joins = match n {
                    ',' | ':' | '/' => numeric && after.is_some_and(|(a, _)| a.is_ascii_digit()),
                    '\'' | '’' => {
                        // possessive 's / s' is split off; O'Neill, don't stay whole
                        let poss = matches!(after, Some(('s', _)) | Some(('S', _)))
                            && !char_at(s, end + nlen + 1).is_some_and(|(a, _)| is_alnum(a));
                        !poss && after.is_some_and(|(a, _)| a.is_alphabetic())
                    }
                    _ => after.is_some_and(|(a, _)| is_alnum(a)),
                };
                if joins {
                    end += nlen;
                    continue;
                }
            }
            break;
        }
        // Keep the final dot of dotted acronyms (U.S.), initials (B.) and abbreviations (Gen.).
        if s.as_bytes().get(end) == Some(&b'.') {
            let word = &s[i..end];
            let single_upper = end - i == clen && c.is_uppercase();
            let dotted = memchr::memchr(b'.', word.as_bytes()).is_some()
                && word.split('.').all(|p| p.chars().count() <= 2);
            if single_upper || dotted || is_listed_abbreviation(word) {
                end += 1;
            }
        }
        out.push(Token { start: i, end });
        pos = end;
        // A possessive split off: 's / ’s
        let rest = &s.as_bytes()[end..];
        let apo = if rest.first() == Some(&b'\'') {
            1
        } else if rest.starts_with("’".as_bytes()) {
            3
        } else {
            0
        };
        if apo > 0
            && matches!(rest.get(apo), Some(b's' | b'S'))
            && !char_at(s, end + apo + 1).is_some_and(|(a, _)| a.is_alphanumeric())
        {
            let len = apo + 1;
            out.push(Token {
                start: end,
                end: end + len,
            });
            pos = end + len;
        }
    }
}

/// The [`tokenize`] tokens of every sentence of a prepared document, computed once and shared
/// by the extractors (offsets are bytes of the sentence text, as [`tokenize`] gives them), with
/// the lower-cased form of every token on request (built once, in one buffer).
#[derive(Debug, Default)]
pub struct SentenceTokens {
    tokens: Vec<Token>,
    /// Token range of each sentence.
    ranges: Vec<(u32, u32)>,
    lower: std::sync::OnceLock<(String, Vec<(u32, u32)>)>,
    /// Byte start of each sentence in the document.
    starts: Vec<usize>,
    text_ptr: usize,
}

impl SentenceTokens {
    pub fn new(prepared: &Prepared<'_>) -> SentenceTokens {
        let text = prepared.text();
        let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
        let mut ranges = Vec::with_capacity(prepared.sentences.len());
        let mut buf = Vec::new();
        for sent in &prepared.sentences {
            tokenize(&text[sent.byte_start..sent.byte_end], &mut buf);
            let a = tokens.len() as u32;
            tokens.extend_from_slice(&buf);
            ranges.push((a, tokens.len() as u32));
        }
        SentenceTokens {
            tokens,
            ranges,
            lower: std::sync::OnceLock::new(),
            starts: prepared.sentences.iter().map(|s| s.byte_start).collect(),
            text_ptr: text.as_ptr() as usize,
        }
    }

    /// The tokens of sentence `si` (what `tokenize(sentence_text, ..)` gives).
    pub fn get(&self, si: usize) -> &[Token] {
        let (a, b) = self.ranges[si];
        &self.tokens[a as usize..b as usize]
    }

    /// The lower-cased text (`str::to_lowercase`) of every token of sentence `si`, in order.
    /// `prepared` must be the document these tokens were made from.
    pub fn lower<'s>(
        &'s self,
        prepared: &Prepared<'_>,
        si: usize,
    ) -> impl ExactSizeIterator<Item = &'s str> + 's {
        let text = prepared.text();
        assert_eq!(
            text.as_ptr() as usize,
            self.text_ptr,
            "tokens of another document"
        );
        let (buf, offs) = self.lower.get_or_init(|| {
            // The whole text with ASCII letters lower-cased (one vectorised pass): an ASCII
            // token's lower-case form sits at its own offsets. Other tokens are lower-cased
            // one by one and appended after the text.
            let mut buf = text.to_ascii_lowercase();
            let mut offs = Vec::with_capacity(self.tokens.len());
            for (k, &(a, b)) in self.ranges.iter().enumerate() {
                let base = self.starts[k];
                for t in &self.tokens[a as usize..b as usize] {
                    let (s, e) = (base + t.start, base + t.end);
                    let w = &text[s..e];
                    if w.is_ascii() {
                        offs.push((s as u32, e as u32));
                    } else {
                        let start = buf.len() as u32;
                        buf.push_str(&w.to_lowercase());
                        offs.push((start, buf.len() as u32));
                    }
                }
            }
            (buf, offs)
        });
        let (a, b) = self.ranges[si];
        offs[a as usize..b as usize]
            .iter()
            .map(move |&(x, y)| &buf[x as usize..y as usize])
    }
}

#[cfg(test)]
mod token_tests {
    use super::*;

    #[test]
    fn sentence_tokens_are_the_tokens_of_each_sentence() {
        let d = Document {
            id: "d".into(),
            text: "ISIS-K’s fighters attacked Kabul. The \u{212A}elvin ÉTAT said O'Neill's men left.\n\nΣΟΦΙΑΣ wrote."
                .into(),
            title: None,
            date: None,
            url: None,
            source: None,
        };
        let p = prepare(&d);
        let st = SentenceTokens::new(&p);
        let mut toks = Vec::new();
        for (si, sent) in p.sentences.iter().enumerate() {
            let s = p.sentence_text(sent);
            tokenize(s, &mut toks);
            assert_eq!(st.get(si), toks.as_slice());
            let lower: Vec<String> = toks
                .iter()
                .map(|t| s[t.start..t.end].to_lowercase())
                .collect();
            assert_eq!(st.lower(&p, si).collect::<Vec<_>>(), lower);
        }
    }

    fn toks(s: &str) -> Vec<&str> {
        let mut v = Vec::new();
        tokenize(s, &mut v);
        v.iter().map(|t| &s[t.start..t.end]).collect()
    }

    #[test]
    fn tokens_follow_conll_conventions() {
        assert_eq!(
            toks("ISIS-K’s fighters, the U.S. Army and Gen. Kurilla killed 2,000."),
            vec![
                "ISIS-K", "’s", "fighters", ",", "the", "U.S.", "Army", "and", "Gen.", "Kurilla",
                "killed", "2,000", "."
            ]
        );
        assert_eq!(
            toks("O'Neill's “commandos”"),
            vec!["O'Neill", "'s", "“", "commandos", "”"]
        );
        assert_eq!(
            toks("at 08:50 on 3.5 km"),
            vec!["at", "08:50", "on", "3.5", "km"]
        );
        assert_eq!(toks("Taliban."), vec!["Taliban", "."]);
    }
}

#[cfg(test)]
mod prop_tests {
    use proptest::prelude::*;

    use super::*;

    /// Text made of the characters that matter to the splitter: marks, quotes, line breaks,
    /// spaces, capitals, multi-byte letters, combining marks and right-to-left text.
    fn texty() -> impl Strategy<Value = String> {
        let special = prop::sample::select(vec![
            '.', '!', '?', '…', '。', '؟', '"', '“', '”', '\'', '’', ')', ']', '»', '«', '(', ' ',
            ' ', ' ', '\t', '\n', '\n', '\r', '\u{a0}', ',', ';', ':', '-', '–', '•', 'A', 'B',
            'U', 'S', 'a', 'b', 's', 'x', '1', '9', 'é', 'ß', 'İ', '\u{301}', 'ا', 'ل', '\u{202e}',
            '😀', '\u{0}', '\u{b}', '\u{fffd}',
        ]);
        prop::collection::vec(prop_oneof![4 => special, 1 => any::<char>()], 0..200)
            .prop_map(|v| v.into_iter().collect())
    }

    fn check_sentences(text: &str, max: usize) -> Result<(), TestCaseError> {
        let doc = Document::new("d", text);
        let p = prepare_with(&doc, max);
        let mut prev_end = 0;
        for s in &p.sentences {
            prop_assert!(s.byte_start < s.byte_end && s.byte_end <= text.len());
            prop_assert!(text.is_char_boundary(s.byte_start) && text.is_char_boundary(s.byte_end));
            prop_assert!(
                s.byte_start >= prev_end,
                "sentences overlap or are out of order"
            );
            prop_assert!(s.byte_end - s.byte_start <= max.max(MIN_SENTENCE_BYTES));
            prop_assert_eq!(s.start, text[..s.byte_start].chars().count());
            prop_assert_eq!(s.end, text[..s.byte_end].chars().count());
            prev_end = s.byte_end;
        }
        for &(a, b) in &p.excluded {
            prop_assert!(a <= b && b <= text.len());
            prop_assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
        }
        Ok(())
    }

    fn check_tokens(text: &str) -> Result<(), TestCaseError> {
        let mut toks = Vec::new();
        tokenize(text, &mut toks);
        let mut prev_end = 0;
        for t in &toks {
            prop_assert!(t.start < t.end && t.end <= text.len());
            prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            prop_assert!(t.start >= prev_end, "tokens overlap or are out of order");
            prop_assert!(!text[t.start..t.end].trim().is_empty());
            prev_end = t.end;
        }
        Ok(())
    }

    #[test]
    fn listed_abbreviations_match_the_linear_search() {
        for a in ABBREVIATIONS {
            for w in [
                a.to_string(),
                a.to_uppercase(),
                format!("{a}x"),
                a[1..].to_string(),
            ] {
                assert_eq!(
                    is_listed_abbreviation(&w),
                    is_listed_abbreviation_linear(&w),
                    "{w:?}"
                );
            }
            assert!(is_listed_abbreviation(a));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn listed_abbreviation_search_is_the_linear_one(w in "[a-zA-Z.\\x00-\\x7f\u{212a}\u{e9}]{0,8}") {
            prop_assert_eq!(is_listed_abbreviation(&w), is_listed_abbreviation_linear(&w));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The SWAR letter counts agree with counting byte by byte (long runs cross the
        /// 255-chunk flush).
        #[test]
        fn ascii_letter_counts_agree(v in prop::collection::vec(0u8..0x80, 0..2600)) {
            let naive = (
                v.iter().filter(|x| x.is_ascii_alphabetic()).count(),
                v.iter().filter(|x| x.is_ascii_uppercase()).count(),
            );
            prop_assert_eq!(ascii_letter_counts(&v), naive);
        }
    }

    #[test]
    fn ascii_letter_counts_of_every_byte() {
        let all: Vec<u8> = (0u8..0x80).cycle().take(128 * 40).collect();
        assert_eq!(ascii_letter_counts(&all), (52 * 40, 26 * 40));
    }

    /// The tokenizer before the byte-loop rewrite: [`tokenize`] must agree with it.
    fn tokenize_reference(s: &str, out: &mut Vec<Token>) {
        out.clear();
        let mut it = s.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            if c.is_whitespace() {
                continue;
            }
            if !c.is_alphanumeric() {
                out.push(Token {
                    start: i,
                    end: i + c.len_utf8(),
                });
                continue;
            }
            let mut end = i + c.len_utf8();
            let mut numeric = c.is_ascii_digit();
            loop {
                let rest = &s[end..];
                let mut chars = rest.chars();
                let Some(n) = chars.next() else { break };
                if n.is_alphanumeric() {
                    if !n.is_ascii_digit() {
                        numeric = false;
                    }
                    end += n.len_utf8();
                    continue;
                }
                if is_joiner(n) {
                    let after = chars.next();
                    let joins = match n {
                        ',' | ':' | '/' => numeric && after.is_some_and(|a| a.is_ascii_digit()),
                        '\'' | '’' => {
                            // possessive 's / s' is split off; O'Neill, don't stay whole
                            let poss = matches!(after, Some('s') | Some('S'))
                                && !chars.next().is_some_and(|a| a.is_alphanumeric());
                            !poss && after.is_some_and(|a| a.is_alphabetic())
                        }
                        _ => after.is_some_and(|a| a.is_alphanumeric()),
                    };
                    if joins {
                        end += n.len_utf8();
                        continue;
                    }
                }
                break;
            }
            // Keep the final dot of dotted acronyms (U.S.), initials (B.) and abbreviations (Gen.).
            if s[end..].starts_with('.') {
                let word = &s[i..end];
                let single_upper = word.chars().count() == 1 && c.is_uppercase();
                let dotted = word.contains('.') && word.split('.').all(|p| p.chars().count() <= 2);
                if single_upper || dotted || ABBREVIATIONS.contains(&word.to_lowercase().as_str()) {
                    end += 1;
                }
            }
            out.push(Token { start: i, end });
            // A possessive split off: 's / ’s
            let rest = &s[end..];
            for apo in ['\'', '’'] {
                if let Some(r) = rest.strip_prefix(apo)
                    && r.starts_with(['s', 'S'])
                    && !r[1..].starts_with(|a: char| a.is_alphanumeric())
                {
                    let len = apo.len_utf8() + 1;
                    out.push(Token {
                        start: end,
                        end: end + len,
                    });
                    // advance the iterator past the possessive
                    while it.peek().is_some_and(|&(j, _)| j < end + len) {
                        it.next();
                    }
                }
            }
            while it.peek().is_some_and(|&(j, _)| j < end) {
                it.next();
            }
        }
    }

    fn check_same_as_reference(text: &str, max: usize) -> Result<(), TestCaseError> {
        let mut a = Vec::new();
        let mut b = Vec::new();
        tokenize(text, &mut a);
        tokenize_reference(text, &mut b);
        prop_assert_eq!(a, b);
        let max = max.max(MIN_SENTENCE_BYTES);
        let (mut x, mut y) = (Vec::new(), Vec::new());
        split_segment(text, 0, text.len(), max, &mut |s, e| x.push((s, e)));
        split_segment_reference(text, 0, text.len(), max, &mut |s, e| y.push((s, e)));
        prop_assert_eq!(x, y);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn tokens_and_sentences_as_before(text in texty(), max in 0usize..200) {
            check_same_as_reference(&text, max)?;
        }

        #[test]
        fn tokens_and_sentences_of_arbitrary_strings_as_before(
            text in any::<String>(),
            max in 0usize..300,
        ) {
            check_same_as_reference(&text, max)?;
        }

        #[test]
        fn long_lines_split_as_before(
            words in prop::collection::vec(
                prop_oneof![
                    "[a-zA-Z0-9é\u{212A}…。؟.!?'’\\- \n]{0,12}",
                    prop::sample::select(vec!["Gen.", "u.s.", "U.S", "Mr", "\u{212A}o.", "B.", "x's", "’S"])
                        .prop_map(str::to_string),
                ],
                0..120,
            ),
            max in 0usize..160,
        ) {
            check_same_as_reference(&words.join(" "), max)?;
        }

        #[test]
        fn sentences_are_ordered_bounded_char_ranges(text in texty(), max in 0usize..200) {
            check_sentences(&text, max)?;
        }

        #[test]
        fn sentences_of_arbitrary_strings(text in any::<String>()) {
            check_sentences(&text, MAX_SENTENCE_BYTES)?;
        }

        #[test]
        fn tokens_are_ordered_char_ranges(text in texty()) {
            check_tokens(&text)?;
        }

        #[test]
        fn tokens_of_arbitrary_strings(text in any::<String>()) {
            check_tokens(&text)?;
        }

        #[test]
        fn char_map_agrees_with_counting(text in prop_oneof![texty(), any::<String>()]) {
            let map = CharMap::new(&text);
            for (c, (b, _)) in text
                .char_indices()
                .chain(std::iter::once((text.len(), ' ')))
                .enumerate()
            {
                prop_assert_eq!(map.char_offset(&text, b), c);
                prop_assert_eq!(map.byte_offset(&text, c), Some(b));
            }
            let n = text.chars().count();
            prop_assert_eq!(map.byte_offset(&text, n + 1), None);
        }
    }

    #[test]
    fn a_long_line_without_punctuation_is_cut_at_the_limit() {
        let text = "word ".repeat(200_000) + &"x".repeat(100_000) + &"é".repeat(50_000);
        let started = std::time::Instant::now();
        let doc = Document::new("d", text.clone());
        let p = prepare(&doc);
        assert!(
            started.elapsed().as_secs() < 20,
            "took {:?}",
            started.elapsed()
        );
        assert!(p.sentences.len() > text.len() / MAX_SENTENCE_BYTES);
        assert!(
            p.sentences
                .iter()
                .all(|s| s.byte_end - s.byte_start <= MAX_SENTENCE_BYTES)
        );
        let p = prepare_with(&doc, 1000);
        assert!(
            p.sentences
                .iter()
                .all(|s| s.byte_end - s.byte_start <= 1000)
        );
    }
}
