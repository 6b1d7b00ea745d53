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

use crate::extract::DocExtraction;
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
    serde_json::to_writer(&mut *w, &entry_line(entry))?;
    w.write_all(b"\n")
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
