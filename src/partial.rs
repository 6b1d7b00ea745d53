//! Partial extraction files (JSONL): the output of `newsgraph extract` and the input of
//! `newsgraph merge` (format in `docs/formats.md`, "Partial extraction files (JSONL)").
//!
//! A partial is a header line naming the *runs* it holds (one run = one `extract` invocation,
//! named by its command-line inputs), then one line per input record, each with its run, its
//! position in that run (`at`: input index, record index within the input) and, for a document
//! that is in the graph, its [`DocExtraction`].
//!
//! [`combine`] puts any number of partials together in a canonical order that depends only on
//! the *set* of lines: runs sorted by their input list, lines by (run, `at`, ...). A document id
//! seen twice keeps its first line in that order; the others become `skipped` duplicates. That
//! makes merging associative and order-independent, and a single run keeps its input order,
//! which is what `build` writes.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::io::{self, BufRead, Write};

use serde::{Deserialize, Serialize};

use crate::extract::{DocExtraction, Endpoint, LocalEntity, Mention, RelationMention, SentenceRef};
use crate::report::{InputRecord, InputStatus};

/// The `format` value of the header line.
pub const FORMAT: &str = "newsgraph-partial";
/// The version of the partial format.
pub const VERSION: u32 = 1;

/// One `extract` run: the inputs as given on its command line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Run {
    pub input: Vec<String>,
}

/// One input record with its place and, for a document in the graph, its extraction.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Index into [`Partial::runs`].
    pub run: usize,
    /// Position in the run: (input index, record index within the input).
    pub at: [u64; 2],
    pub input: InputRecord,
    pub doc: Option<DocExtraction>,
}

/// A whole partial extraction, in memory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Partial {
    pub runs: Vec<Run>,
    pub entries: Vec<Entry>,
}

impl Partial {
    /// The command-line inputs of every run, in run order (what `report.json` records).
    pub fn inputs(&self) -> Vec<String> {
        self.runs.iter().flat_map(|r| r.input.clone()).collect()
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum HeaderKind {
    Header,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum InputKind {
    Input,
}

#[derive(Debug, Serialize, Deserialize)]
struct HeaderLine {
    kind: HeaderKind,
    format: String,
    version: u32,
    generator: String,
    runs: Vec<Run>,
}

#[derive(Serialize)]
struct InputLineRef<'a> {
    kind: InputKind,
    run: usize,
    at: [u64; 2],
    input: &'a InputRecord,
    #[serde(skip_serializing_if = "Option::is_none")]
    doc: Option<&'a DocExtraction>,
}

#[derive(Deserialize)]
struct InputLine {
    #[allow(dead_code)]
    kind: InputKind,
    run: usize,
    at: [u64; 2],
    input: InputRecord,
    #[serde(default)]
    doc: Option<DocExtraction>,
}

#[derive(Deserialize)]
struct KindOnly {
    kind: String,
}

/// Errors while reading a partial file.
#[derive(Debug, thiserror::Error)]
pub enum PartialError {
    #[error("{name}: cannot read: {source}")]
    Io {
        name: String,
        #[source]
        source: io::Error,
    },
    #[error("{name} line {line}: {message}")]
    Format {
        name: String,
        line: u64,
        message: String,
    },
}

/// Writes the header line of a partial holding `runs`.
pub fn write_header<W: Write>(w: &mut W, runs: &[Run]) -> io::Result<()> {
    let header = HeaderLine {
        kind: HeaderKind::Header,
        format: FORMAT.to_string(),
        version: VERSION,
        generator: crate::report::generator(),
        runs: runs.to_vec(),
    };
    serde_json::to_writer(&mut *w, &header)?;
    w.write_all(b"\n")
}

/// Writes one entry line.
pub fn write_entry<W: Write>(w: &mut W, entry: &Entry) -> io::Result<()> {
    thread_local! {
        static LINE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    LINE.with_borrow_mut(|line| {
        line.clear();
        entry_line_into(line, entry);
        line.push(b'\n');
        w.write_all(line)
    })
}

/// The JSON line of `entry`, byte for byte what `serde_json::to_writer(&entry_line(entry))`
/// writes, built directly: the bulky members of the document (sentences, mentions, relations,
/// entities, fingerprint) are written by hand with a vectorised string escape; the small or rare
/// ones (the input record, node kinds, merges, places, attacks) still go through serde_json.
fn entry_line_into(out: &mut Vec<u8>, entry: &Entry) {
    out.extend_from_slice(b"{\"kind\":");
    to_json(out, &InputKind::Input);
    out.extend_from_slice(b",\"run\":");
    push_u64(out, entry.run as u64);
    out.extend_from_slice(b",\"at\":[");
    push_u64(out, entry.at[0]);
    out.push(b',');
    push_u64(out, entry.at[1]);
    out.extend_from_slice(b"],\"input\":");
    to_json(out, &entry.input);
    if let Some(doc) = &entry.doc {
        out.extend_from_slice(b",\"doc\":");
        doc_into(out, doc);
    }
    out.push(b'}');
}

/// `serde_json::to_writer` into a `Vec` (which cannot fail for these types).
fn to_json<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    serde_json::to_writer(&mut *out, v).expect("serialising into a Vec");
}

fn doc_into(out: &mut Vec<u8>, d: &DocExtraction) {
    // Exhaustive patterns: a member added to these types does not compile until it is
    // written here too (in serde's order, with its skip rule).
    let DocExtraction {
        doc: _,
        title: _,
        date: _,
        url: _,
        sentences: _,
        entities: _,
        mentions: _,
        relations: _,
        attacks: _,
        fingerprint: _,
    } = d;
    out.extend_from_slice(b"{\"doc\":");
    json_str(out, &d.doc);
    for (key, v) in [
        (&b",\"title\":"[..], &d.title),
        (&b",\"date\":"[..], &d.date),
        (&b",\"url\":"[..], &d.url),
    ] {
        if let Some(v) = v {
            out.extend_from_slice(key);
            json_str(out, v);
        }
    }
    out.extend_from_slice(b",\"sentences\":[");
    for (i, s) in d.sentences.iter().enumerate() {
        let SentenceRef {
            start: _,
            end: _,
            text: _,
        } = s;
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"start\":");
        push_u64(out, s.start as u64);
        out.extend_from_slice(b",\"end\":");
        push_u64(out, s.end as u64);
        out.extend_from_slice(b",\"text\":");
        json_str(out, &s.text);
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"entities\":[");
    for (i, e) in d.entities.iter().enumerate() {
        let LocalEntity {
            kind: _,
            name: _,
            lexicon: _,
            canonical: _,
            aliases: _,
            merges: _,
            place: _,
            parent: _,
        } = e;
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"kind\":");
        to_json(out, &e.kind);
        out.extend_from_slice(b",\"name\":");
        json_str(out, &e.name);
        if let Some(v) = &e.lexicon {
            out.extend_from_slice(b",\"lexicon\":");
            json_str(out, v);
        }
        if let Some(v) = &e.canonical {
            out.extend_from_slice(b",\"canonical\":");
            json_str(out, v);
        }
        out.extend_from_slice(b",\"aliases\":[");
        for (j, a) in e.aliases.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            json_str(out, a);
        }
        out.push(b']');
        if !e.merges.is_empty() {
            out.extend_from_slice(b",\"merges\":");
            to_json(out, &e.merges);
        }
        if let Some(v) = &e.place {
            out.extend_from_slice(b",\"place\":");
            to_json(out, v);
        }
        if let Some(v) = &e.parent {
            out.extend_from_slice(b",\"parent\":");
            json_str(out, v);
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"mentions\":[");
    for (i, m) in d.mentions.iter().enumerate() {
        let Mention {
            entity: _,
            start: _,
            end: _,
            text: _,
            sentence: _,
        } = m;
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"entity\":");
        push_u64(out, m.entity as u64);
        out.extend_from_slice(b",\"start\":");
        push_u64(out, m.start as u64);
        out.extend_from_slice(b",\"end\":");
        push_u64(out, m.end as u64);
        out.extend_from_slice(b",\"text\":");
        json_str(out, &m.text);
        out.extend_from_slice(b",\"sentence\":");
        push_u64(out, m.sentence as u64);
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"relations\":[");
    for (i, r) in d.relations.iter().enumerate() {
        let RelationMention {
            rel: _,
            source: _,
            target: _,
            sentence: _,
        } = r;
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"rel\":");
        json_str(out, &r.rel);
        out.extend_from_slice(b",\"source\":");
        endpoint_into(out, r.source);
        out.extend_from_slice(b",\"target\":");
        endpoint_into(out, r.target);
        out.extend_from_slice(b",\"sentence\":");
        push_u64(out, r.sentence as u64);
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"attacks\":");
    to_json(out, &d.attacks);
    if !d.fingerprint.is_empty() {
        out.extend_from_slice(b",\"fingerprint\":[");
        for (i, &x) in d.fingerprint.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_u64(out, x);
        }
        out.push(b']');
    }
    out.push(b'}');
}

fn endpoint_into(out: &mut Vec<u8>, e: Endpoint) {
    let (key, i): (&[u8], usize) = match e {
        Endpoint::Entity(i) => (b"{\"entity\":", i),
        Endpoint::Attack(i) => (b"{\"attack\":", i),
    };
    out.extend_from_slice(key);
    push_u64(out, i as u64);
    out.push(b'}');
}

/// Two-digit pairs "00" to "99".
const DIGIT_PAIRS: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Decimal digits of `x`, as serde_json (itoa) writes them; four digits per division.
#[inline]
fn push_u64(out: &mut Vec<u8>, mut x: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    while x >= 10_000 {
        let r = (x % 10_000) as usize;
        x /= 10_000;
        i -= 4;
        buf[i..i + 2].copy_from_slice(&DIGIT_PAIRS[r / 100 * 2..r / 100 * 2 + 2]);
        buf[i + 2..i + 4].copy_from_slice(&DIGIT_PAIRS[r % 100 * 2..r % 100 * 2 + 2]);
    }
    let mut x = x as usize;
    if x >= 100 {
        i -= 2;
        buf[i..i + 2].copy_from_slice(&DIGIT_PAIRS[x % 100 * 2..x % 100 * 2 + 2]);
        x /= 100;
    }
    if x < 10 {
        i -= 1;
        buf[i] = b'0' + x as u8;
    } else {
        i -= 2;
        buf[i..i + 2].copy_from_slice(&DIGIT_PAIRS[x * 2..x * 2 + 2]);
    }
    out.extend_from_slice(&buf[i..]);
}

/// Does byte `b` need escaping in a JSON string (as serde_json escapes)?
#[inline(always)]
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Position of the first byte of `b` at or after `from` that needs escaping (or `b.len()`),
/// 16 bytes at a time.
#[inline]
fn next_escape(b: &[u8], mut from: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of the x86_64 baseline; every load reads 16 bytes inside `b`.
    unsafe {
        use std::arch::x86_64::*;
        let quote = _mm_set1_epi8(b'"' as i8);
        let bslash = _mm_set1_epi8(b'\\' as i8);
        let ctl = _mm_set1_epi8(0x1F);
        while from + 16 <= b.len() {
            let v = _mm_loadu_si128(b.as_ptr().add(from) as *const __m128i);
            let m = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
                // v <= 0x1F (unsigned)
                _mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v),
            );
            let mask = _mm_movemask_epi8(m) as u32;
            if mask != 0 {
                return from + mask.trailing_zeros() as usize;
            }
            from += 16;
        }
    }
    while from < b.len() && !needs_escape(b[from]) {
        from += 1;
    }
    from
}

/// `s` as a JSON string, byte for byte as serde_json writes it (short escapes for `"`, `\\`,
/// `\b`, `\f`, `\n`, `\r`, `\t`; `\u00xx` with lower-case hex for the other control bytes).
pub(crate) fn json_str(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    out.push(b'"');
    let mut start = 0;
    loop {
        let i = next_escape(b, start);
        out.extend_from_slice(&b[start..i]);
        if i == b.len() {
            break;
        }
        let c = b[i];
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(c >> 4) as usize]);
                out.push(HEX[(c & 15) as usize]);
            }
        }
        start = i + 1;
    }
    out.push(b'"');
}

fn entry_line(entry: &Entry) -> InputLineRef<'_> {
    InputLineRef {
        kind: InputKind::Input,
        run: entry.run,
        at: entry.at,
        input: &entry.input,
        doc: entry.doc.as_ref(),
    }
}

/// Writes a whole partial: header, then every entry.
pub fn write<W: Write>(w: &mut W, partial: &Partial) -> io::Result<()> {
    write_header(w, &partial.runs)?;
    for e in &partial.entries {
        write_entry(w, e)?;
    }
    Ok(())
}

/// Reads one partial file (`name` is used in error messages). Several partial files
/// concatenated into one stream are read as one (each header starts a new section), and blank
/// lines are ignored.
pub fn read<R: BufRead>(reader: R, name: &str) -> Result<Partial, PartialError> {
    let mut out = Partial::default();
    // Index into `out.runs` of each run of the current section.
    let mut section: Option<Vec<usize>> = None;
    let mut line_no = 0u64;
    let err = |line: u64, message: String| PartialError::Format {
        name: name.to_string(),
        line,
        message,
    };
    for line in reader.lines() {
        let line = line.map_err(|source| PartialError::Io {
            name: name.to_string(),
            source,
        })?;
        line_no += 1;
        if line.trim().is_empty() {
            continue;
        }
        let kind: KindOnly = serde_json::from_str(&line)
            .map_err(|e| err(line_no, format!("not a partial extraction line: {e}")))?;
        match kind.kind.as_str() {
            "header" => {
                let h: HeaderLine = serde_json::from_str(&line)
                    .map_err(|e| err(line_no, format!("bad header: {e}")))?;
                if h.format != FORMAT || h.version != VERSION {
                    return Err(err(
                        line_no,
                        format!(
                            "unsupported partial format {:?} version {} (this newsgraph reads {FORMAT:?} version {VERSION})",
                            h.format, h.version
                        ),
                    ));
                }
                let map = h
                    .runs
                    .into_iter()
                    .map(|run| match out.runs.iter().position(|r| *r == run) {
                        Some(i) => i,
                        None => {
                            out.runs.push(run);
                            out.runs.len() - 1
                        }
                    })
                    .collect();
                section = Some(map);
            }
            "input" => {
                let Some(map) = &section else {
                    return Err(err(
                        line_no,
                        "input line before the header line (is this a file written by `newsgraph extract`?)".into(),
                    ));
                };
                let l: InputLine = serde_json::from_str(&line)
                    .map_err(|e| err(line_no, format!("bad input line: {e}")))?;
                let Some(&run) = map.get(l.run) else {
                    return Err(err(line_no, format!("run {} is not in the header", l.run)));
                };
                if let Some(doc) = &l.doc
                    && doc.doc != l.input.doc
                {
                    return Err(err(
                        line_no,
                        format!(
                            "extraction of {:?} on the input line of {:?}",
                            doc.doc, l.input.doc
                        ),
                    ));
                }
                out.entries.push(Entry {
                    run,
                    at: l.at,
                    input: l.input,
                    doc: l.doc,
                });
            }
            other => return Err(err(line_no, format!("unknown line kind {other:?}"))),
        }
    }
    if section.is_none() {
        return Err(err(
            line_no,
            "no header line: empty or not a partial extraction file".into(),
        ));
    }
    Ok(out)
}

/// The reason given to an input whose document id was seen before (the same words as
/// [`crate::corpus::DuplicateFilter`]).
pub fn duplicate_reason(doc: &str) -> String {
    format!("duplicate document id {doc:?} (the first input with this id is used)")
}

/// Puts partials together: runs sorted and made unique, entries in canonical order, repeated
/// document ids marked as skipped duplicates (the first in that order is kept).
pub fn combine(parts: Vec<Partial>) -> Partial {
    let runs: Vec<Run> = parts
        .iter()
        .flat_map(|p| p.runs.iter().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut entries: Vec<Entry> = Vec::new();
    for p in parts {
        let map: Vec<usize> = p
            .runs
            .iter()
            .map(|r| runs.binary_search(r).expect("run listed"))
            .collect();
        entries.extend(p.entries.into_iter().map(|mut e| {
            e.run = map[e.run];
            e
        }));
    }
    entries.sort_by(compare_entries);
    let mut seen = BTreeSet::new();
    for e in &mut entries {
        if e.input.status == InputStatus::Skipped {
            continue;
        }
        if !seen.insert(e.input.doc.clone()) {
            e.input.status = InputStatus::Skipped;
            e.input.reason = Some(duplicate_reason(&e.input.doc));
            e.doc = None;
        }
    }
    Partial { runs, entries }
}

/// The canonical order: run, position in the run, then (for the same input extracted twice)
/// the record's path, line, document id and size, and last the whole line's JSON text.
fn compare_entries(a: &Entry, b: &Entry) -> Ordering {
    (
        a.run,
        a.at,
        &a.input.path,
        a.input.line,
        &a.input.doc,
        a.input.bytes,
    )
        .cmp(&(
            b.run,
            b.at,
            &b.input.path,
            b.input.line,
            &b.input.doc,
            b.input.bytes,
        ))
        .then_with(|| {
            let text = |e: &Entry| serde_json::to_string(&entry_line(e)).unwrap_or_default();
            text(a).cmp(&text(b))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn serde_line(e: &Entry) -> Vec<u8> {
        let mut v = serde_json::to_vec(&entry_line(e)).unwrap();
        v.push(b'\n');
        v
    }

    fn direct_line(e: &Entry) -> Vec<u8> {
        let mut v = Vec::new();
        write_entry(&mut v, e).unwrap();
        v
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn json_str_is_serde_json(s in "(\\PC|[\\x00-\\x1f\"\\\\\u{7f}\u{80}-\u{ff}])*") {
            let mut out = Vec::new();
            json_str(&mut out, &s);
            prop_assert_eq!(out, serde_json::to_vec(&s).unwrap());
        }

        #[test]
        fn push_u64_is_itoa(x in any::<u64>(), small in 0u64..100_000) {
            for v in [x, small, x >> 20, x >> 40] {
                let mut out = Vec::new();
                push_u64(&mut out, v);
                prop_assert_eq!(out, v.to_string().into_bytes());
            }
        }

        #[test]
        fn direct_line_is_serde_line(text in "([A-Z][a-z]{0,8}|[a-z]{1,8}|[0-9]{1,3}|[ ,.\"\\\n\t]){0,200}", title in proptest::option::of("\\PC{0,20}")) {
            let doc = crate::corpus::Document {
                id: "d\"1".into(),
                text: text.clone(),
                title,
                date: Some("2024-03-23".into()),
                url: None,
                source: None,
            };
            let mut e = entry(0, 3, "d\"1", InputStatus::Ok);
            e.doc = Some(crate::extract::extract(&crate::text::prepare(&doc)));
            prop_assert_eq!(direct_line(&e), serde_line(&e));
        }
    }

    #[test]
    fn direct_line_is_serde_line_on_corpus_and_odd_members() {
        let mut n = 0;
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
        for f in std::fs::read_dir(dir).unwrap() {
            let path = f.unwrap().path();
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let doc = crate::corpus::Document {
                id: "x".into(),
                text,
                title: Some("T \u{1}".into()),
                date: None,
                url: Some("http://a/\"b".into()),
                source: None,
            };
            let mut e = entry(1, 7, "x", InputStatus::Ok);
            let mut d = crate::extract::extract(&crate::text::prepare(&doc));
            if let Some(ent) = d.entities.first_mut() {
                ent.lexicon = Some("gn:1".into());
                ent.canonical = Some("Can\\on".into());
                ent.parent = Some("p".into());
                ent.place = Some(crate::graph::PlaceInfo {
                    country: Some("FR".into()),
                    lat: Some(48.8566),
                    lon: Some(-2.35),
                    geonames_id: Some(2988507),
                });
            }
            e.doc = Some(d.clone());
            assert_eq!(direct_line(&e), serde_line(&e));
            d.fingerprint.clear();
            d.relations.push(crate::extract::RelationMention {
                rel: "x\ty".into(),
                source: Endpoint::Attack(3),
                target: Endpoint::Entity(u32::MAX as usize + 5),
                sentence: 0,
            });
            e.doc = Some(d);
            assert_eq!(direct_line(&e), serde_line(&e));
            n += 1;
        }
        assert!(n > 0);
        let e = entry(2, u64::MAX, "y", InputStatus::Ok);
        assert_eq!(direct_line(&e), serde_line(&e));
    }

    fn entry(run: usize, at: u64, doc: &str, status: InputStatus) -> Entry {
        Entry {
            run,
            at: [at, 0],
            input: InputRecord {
                doc: doc.into(),
                path: format!("{doc}.txt"),
                bytes: 10,
                status,
                reason: None,
                line: None,
            },
            doc: None,
        }
    }

    fn part(input: &str, entries: Vec<Entry>) -> Partial {
        Partial {
            runs: vec![Run {
                input: vec![input.into()],
            }],
            entries,
        }
    }

    #[test]
    fn combine_is_associative_and_order_independent() {
        let a = part(
            "b",
            vec![
                entry(0, 0, "x", InputStatus::Ok),
                entry(0, 1, "y", InputStatus::Ok),
            ],
        );
        let b = part("a", vec![entry(0, 0, "y", InputStatus::Ok)]);
        let c = part(
            "c",
            vec![
                entry(0, 0, "z", InputStatus::Skipped),
                entry(0, 1, "x", InputStatus::Ok),
            ],
        );
        let flat = combine(vec![a.clone(), b.clone(), c.clone()]);
        assert_eq!(flat, combine(vec![c.clone(), a.clone(), b.clone()]));
        assert_eq!(
            flat,
            combine(vec![combine(vec![a.clone(), b.clone()]), c.clone()])
        );
        assert_eq!(flat, combine(vec![a, combine(vec![c, b])]));
        let order: Vec<(&str, InputStatus)> = flat
            .entries
            .iter()
            .map(|e| (e.input.doc.as_str(), e.input.status))
            .collect();
        assert_eq!(
            order,
            [
                ("y", InputStatus::Ok),
                ("x", InputStatus::Ok),
                ("y", InputStatus::Skipped),
                ("z", InputStatus::Skipped),
                ("x", InputStatus::Skipped),
            ]
        );
        assert_eq!(flat.inputs(), ["a", "b", "c"]);
    }

    #[test]
    fn write_then_read_gives_the_same_partial() {
        let p = part("corpus", vec![entry(0, 3, "x", InputStatus::Ok)]);
        let mut buf = Vec::new();
        write(&mut buf, &p).unwrap();
        let text = String::from_utf8(buf.clone()).unwrap();
        assert!(text.starts_with("{\"kind\":\"header\",\"format\":\"newsgraph-partial\""));
        assert_eq!(read(&buf[..], "p").unwrap(), p);
        // Two files concatenated read as their combination's parts.
        let mut two = buf.clone();
        two.extend_from_slice(&buf);
        let both = read(&two[..], "p").unwrap();
        assert_eq!(both.runs.len(), 1);
        assert_eq!(both.entries.len(), 2);
        assert!(read(&b"{\"kind\":\"input\"}\n"[..], "p").is_err());
        assert!(read(&b""[..], "p").is_err());
    }

    #[test]
    fn duplicate_reason_matches_the_corpus_reader() {
        use crate::corpus::{Document, DuplicateFilter, ReadOutcome};
        let doc = |id: &str| Document::new(id, "t");
        let mut out = ReadOutcome {
            documents: vec![doc("a"), doc("a")],
            records: vec![
                entry(0, 0, "a", InputStatus::Ok).input,
                entry(0, 1, "a", InputStatus::Ok).input,
            ],
        };
        DuplicateFilter::default().apply(&mut out);
        assert_eq!(
            out.records[1].reason.as_deref(),
            Some(&*duplicate_reason("a"))
        );
    }
}
