//! Reading documents: directories (recursive, `.txt` and `.md`), single files, JSONL files and
//! JSONL on stdin.
//!
//! Every input ends up either as a [`Document`] or as a skipped [`InputRecord`] with its reason,
//! so nothing is dropped silently. Reading is streaming: [`Corpus::plan`] lists the inputs
//! (cheap), and [`Corpus::read`] reads one input when it is needed, so a caller can extract and
//! drop documents one by one.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

use crate::report::{InputRecord, InputStatus};

/// Errors that stop a run (as opposed to one bad input, which is skipped and reported).
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("input {path} does not exist")]
    NotFound { path: String },
    #[error("cannot read input {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
}

/// The default of [`ReadLimits::max_document_bytes`] (`--max-document-bytes`): 1 MiB, some
/// twenty times a long news article, and a few seconds of extraction.
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 1024 * 1024;

/// Limits applied while reading and splitting documents. Every limit that cuts something is
/// reported (status `partial` and its reason in `report.json`).
#[derive(Debug, Clone)]
pub struct ReadLimits {
    /// Documents larger than this many bytes are truncated at a line boundary (status `partial`).
    pub max_document_bytes: u64,
    /// Sentences are cut at this many bytes (see [`crate::text::split_sentences`]).
    pub max_sentence_bytes: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
            max_sentence_bytes: crate::text::MAX_SENTENCE_BYTES,
        }
    }
}

/// One input text with its metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The document id (path relative to the input root without extension, or the JSONL `id`).
    pub id: String,
    /// The text as read; offsets index it in Unicode scalars.
    pub text: String,
    pub title: Option<String>,
    /// The publication date as given in metadata (`2024-03-23`), when known. Header lines in
    /// the text itself are read later, by [`crate::text::prepare`].
    pub date: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
}

impl Document {
    /// A document with only an id and a text (no title, date, url or source).
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Document {
        Document {
            id: id.into(),
            text: text.into(),
            title: None,
            date: None,
            url: None,
            source: None,
        }
    }
}

/// Where an input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    /// A text file; `id` derived from its path.
    File {
        path: PathBuf,
        display: String,
        id: String,
    },
    /// A JSONL file (each line one document).
    Jsonl { path: PathBuf, display: String },
    /// JSONL on standard input.
    Stdin,
    /// Something found while listing that cannot be read as a document.
    Unsupported {
        display: String,
        id: String,
        bytes: u64,
        reason: String,
    },
}

/// The planned inputs, in a deterministic order.
#[derive(Debug, Clone)]
pub struct Corpus {
    origins: Vec<Origin>,
    limits: ReadLimits,
}

/// What reading one input gave: documents and report entries, in input order.
#[derive(Debug, Default)]
pub struct ReadOutcome {
    pub documents: Vec<Document>,
    pub records: Vec<InputRecord>,
}

fn is_text_ext(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("txt") | Some("md") | Some("text") | Some("markdown")
    )
}

fn is_jsonl_ext(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("jsonl") | Some("ndjson")
    )
}

/// A document id from a path relative to the input root: `/`-separated, extension removed,
/// `;` (the list separator of the exports) replaced by `_`.
pub fn doc_id_from_relative(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.last_mut()
        && let Some(stem) = Path::new(last.as_str()).file_stem()
    {
        *last = stem.to_string_lossy().into_owned();
    }
    sanitize_doc_id(&parts.join("/"))
}

/// Makes a document id safe for the exports: no `;`, no control characters, trimmed.
pub fn sanitize_doc_id(id: &str) -> String {
    id.trim()
        .chars()
        .map(|c| if c == ';' || c.is_control() { '_' } else { c })
        .collect()
}

impl Corpus {
    /// Lists the inputs. A directory is walked recursively (sorted by path; symbolic links are
    /// followed, loops reported); `-` is JSONL on stdin. A missing input is an error that stops
    /// the run.
    pub fn plan(inputs: &[PathBuf], limits: ReadLimits) -> Result<Corpus, CorpusError> {
        let mut origins = Vec::new();
        for input in inputs {
            if input.as_os_str() == "-" {
                origins.push(Origin::Stdin);
                continue;
            }
            let meta = fs::metadata(input).map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => CorpusError::NotFound {
                    path: input.display().to_string(),
                },
                _ => CorpusError::Io {
                    path: input.display().to_string(),
                    source: e,
                },
            })?;
            if meta.is_dir() {
                Self::plan_dir(input, &mut origins)?;
            } else if is_jsonl_ext(input) {
                origins.push(Origin::Jsonl {
                    path: input.clone(),
                    display: input.display().to_string(),
                });
            } else {
                let id = input
                    .file_name()
                    .map(|n| doc_id_from_relative(Path::new(n)))
                    .unwrap_or_default();
                origins.push(Origin::File {
                    path: input.clone(),
                    display: input.display().to_string(),
                    id,
                });
            }
        }
        Ok(Corpus { origins, limits })
    }

    fn plan_dir(root: &Path, origins: &mut Vec<Origin>) -> Result<(), CorpusError> {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    if entry.file_type().is_dir() {
                        continue;
                    }
                    let path = entry.path();
                    let rel = path.strip_prefix(root).unwrap_or(path);
                    let display = rel.display().to_string();
                    let hidden = rel
                        .components()
                        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
                    if hidden {
                        continue;
                    }
                    if !entry.file_type().is_file() {
                        // A FIFO would block the run forever; sockets and devices are no text.
                        origins.push(Origin::Unsupported {
                            id: doc_id_from_relative(rel),
                            display,
                            bytes: 0,
                            reason: format!(
                                "not a regular file ({}): not read",
                                special_kind(&entry.file_type())
                            ),
                        });
                        continue;
                    }
                    if is_text_ext(path) {
                        origins.push(Origin::File {
                            path: path.to_path_buf(),
                            display,
                            id: doc_id_from_relative(rel),
                        });
                    } else if is_jsonl_ext(path) {
                        origins.push(Origin::Jsonl {
                            path: path.to_path_buf(),
                            display,
                        });
                    } else {
                        let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
                        origins.push(Origin::Unsupported {
                            id: doc_id_from_relative(rel),
                            display,
                            bytes,
                            reason: "not a text file (only .txt, .md and .jsonl are read)"
                                .to_string(),
                        });
                    }
                }
                Err(err) => {
                    let display = err
                        .path()
                        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
                        .unwrap_or_else(|| root.display().to_string());
                    let reason = if let Some(ancestor) = err.loop_ancestor() {
                        format!(
                            "symbolic link loop (it leads back to {}): not followed",
                            ancestor.display()
                        )
                    } else {
                        format!("cannot read: {}", io_reason(&err.to_string()))
                    };
                    origins.push(Origin::Unsupported {
                        id: doc_id_from_relative(Path::new(&display)),
                        display,
                        bytes: 0,
                        reason,
                    });
                }
            }
        }
        Ok(())
    }

    /// Number of planned inputs (a JSONL file counts once).
    pub fn len(&self) -> usize {
        self.origins.len()
    }

    pub fn is_empty(&self) -> bool {
        self.origins.is_empty()
    }

    /// The limits this corpus is read with.
    pub fn limits(&self) -> &ReadLimits {
        &self.limits
    }

    /// Reads input `i`. Problems with that input become skipped/partial records.
    pub fn read(&self, i: usize) -> ReadOutcome {
        let mut out = ReadOutcome::default();
        match &self.origins[i] {
            Origin::File { path, display, id } => {
                read_text_file(path, display, id, &self.limits, &mut out)
            }
            Origin::Jsonl { path, display } => match fs::File::open(path) {
                Ok(f) => read_jsonl(io::BufReader::new(f), display, &self.limits, &mut out),
                Err(e) => out.records.push(skipped(
                    &doc_id_from_relative(Path::new(display)),
                    display,
                    0,
                    format!("cannot open: {}", io_reason(&e.to_string())),
                )),
            },
            Origin::Stdin => {
                let stdin = io::stdin();
                read_jsonl(stdin.lock(), "-", &self.limits, &mut out)
            }
            Origin::Unsupported {
                display,
                id,
                bytes,
                reason,
            } => out
                .records
                .push(skipped(id, display, *bytes, reason.clone())),
        }
        out
    }

    /// Reads every input, marking repeated document ids as skipped duplicates.
    pub fn read_all(&self) -> ReadOutcome {
        let mut all = ReadOutcome::default();
        let mut dedup = DuplicateFilter::default();
        for i in 0..self.len() {
            let mut one = self.read(i);
            dedup.apply(&mut one);
            all.documents.append(&mut one.documents);
            all.records.append(&mut one.records);
        }
        all
    }
}

/// Marks documents whose id was already seen as skipped (first one wins, in input order).
#[derive(Debug, Default)]
pub struct DuplicateFilter {
    seen: BTreeSet<String>,
}

impl DuplicateFilter {
    /// Drops documents whose id was seen before and marks their records skipped. Returns, for
    /// each document the outcome had, whether it was kept. Each record that is not skipped
    /// belongs to the next document of the outcome, in order.
    pub fn apply(&mut self, outcome: &mut ReadOutcome) -> Vec<bool> {
        let mut docs = std::mem::take(&mut outcome.documents).into_iter();
        let mut kept = Vec::new();
        for rec in outcome.records.iter_mut() {
            if rec.status == InputStatus::Skipped {
                continue;
            }
            let Some(doc) = docs.next() else { break };
            if self.seen.insert(doc.id.clone()) {
                outcome.documents.push(doc);
                kept.push(true);
            } else {
                rec.status = InputStatus::Skipped;
                rec.reason = Some(format!(
                    "duplicate document id {:?} (the first input with this id is used)",
                    rec.doc
                ));
                kept.push(false);
            }
        }
        kept
    }
}

fn io_reason(s: &str) -> String {
    s.to_string()
}

/// What kind of special file `t` is, for messages.
fn special_kind(t: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    let _ = t;
    "a special file"
}

fn skipped(id: &str, display: &str, bytes: u64, reason: String) -> InputRecord {
    InputRecord {
        doc: id.to_string(),
        path: display.to_string(),
        bytes,
        status: InputStatus::Skipped,
        reason: Some(reason),
        line: None,
    }
}

/// The result of decoding raw bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum Decoded {
    Text { text: String, note: Option<String> },
    Binary,
}

/// Decodes bytes: UTF-8 (a BOM is removed), UTF-16 with a BOM, and invalid UTF-8 with the
/// bad bytes replaced (and a note saying so). Files with NUL bytes and no UTF-16 BOM are binary.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match std::str::from_utf8(rest) {
            Ok(s) => Decoded::Text {
                text: s.to_string(),
                note: None,
            },
            Err(_) => lossy(rest),
        };
    }
    if bytes.len() >= 2 && (bytes[..2] == [0xFF, 0xFE] || bytes[..2] == [0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units = bytes[2..].chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        let mut bad = false;
        let text: String = char::decode_utf16(units)
            .map(|r| {
                r.unwrap_or_else(|_| {
                    bad = true;
                    '\u{FFFD}'
                })
            })
            .collect();
        let odd = bytes.len() % 2 == 1;
        // Junk that merely starts with FF FE (or FE FF) is binary, not UTF-16 text.
        let total = text.chars().count().max(1);
        let junk = text
            .chars()
            .filter(|&c| c == '\u{FFFD}' || (c.is_control() && !c.is_whitespace()))
            .count();
        if junk * 10 > total {
            return Decoded::Binary;
        }
        let note = if bad || odd {
            Some("invalid UTF-16 replaced with U+FFFD".to_string())
        } else {
            None
        };
        return Decoded::Text { text, note };
    }
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return Decoded::Binary;
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Decoded::Text {
            text: s.to_string(),
            note: None,
        },
        Err(_) => lossy(bytes),
    }
}

fn lossy(bytes: &[u8]) -> Decoded {
    let text = String::from_utf8_lossy(bytes).into_owned();
    // Mostly-undecodable input is binary, not text with a few bad bytes.
    let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
    let total = text.chars().count().max(1);
    if bad * 10 > total {
        return Decoded::Binary;
    }
    Decoded::Text {
        text,
        note: Some(format!(
            "invalid UTF-8: {bad} undecodable byte sequence(s) replaced with U+FFFD"
        )),
    }
}

fn read_text_file(
    path: &Path,
    display: &str,
    id: &str,
    limits: &ReadLimits,
    out: &mut ReadOutcome,
) {
    let bytes = match fs::File::open(path).and_then(|f| {
        let mut buf = Vec::new();
        f.take(limits.max_document_bytes.saturating_add(1))
            .read_to_end(&mut buf)?;
        Ok(buf)
    }) {
        Ok(b) => b,
        Err(e) => {
            let len = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
            out.records.push(skipped(
                id,
                display,
                len,
                format!("cannot read: {}", io_reason(&e.to_string())),
            ));
            return;
        }
    };
    let full_len = fs::metadata(path)
        .map(|m| m.len())
        .unwrap_or(bytes.len() as u64);
    let mut bytes = bytes;
    let mut notes = Vec::new();
    if bytes.len() as u64 > limits.max_document_bytes {
        let cut = truncate_at_line(&bytes, limits.max_document_bytes as usize);
        bytes.truncate(cut);
        notes.push(format!(
            "document larger than the limit of {} bytes: truncated at byte {cut}",
            limits.max_document_bytes
        ));
    }
    push_decoded(id, display, full_len, None, &bytes, notes, out);
}

/// The largest cut at or below `max` that ends a line (or `max` itself when there is none),
/// never inside a UTF-8 sequence.
fn truncate_at_line(bytes: &[u8], max: usize) -> usize {
    let max = max.min(bytes.len());
    if let Some(nl) = memchr::memrchr(b'\n', &bytes[..max])
        && nl > 0
    {
        return nl + 1;
    }
    let mut cut = max;
    while cut > 0 && cut < bytes.len() && (bytes[cut] & 0xC0) == 0x80 {
        cut -= 1;
    }
    cut
}

fn push_decoded(
    id: &str,
    display: &str,
    bytes_len: u64,
    line: Option<u64>,
    bytes: &[u8],
    mut notes: Vec<String>,
    out: &mut ReadOutcome,
) {
    let text = match decode(bytes) {
        Decoded::Binary => {
            let mut rec = skipped(id, display, bytes_len, "binary file (not text)".to_string());
            rec.line = line;
            out.records.push(rec);
            return;
        }
        Decoded::Text { text, note } => {
            notes.extend(note);
            text
        }
    };
    push_text(id, display, bytes_len, line, text, None, notes, out);
}

#[allow(clippy::too_many_arguments)]
fn push_text(
    id: &str,
    display: &str,
    bytes_len: u64,
    line: Option<u64>,
    text: String,
    meta: Option<JsonlMeta>,
    notes: Vec<String>,
    out: &mut ReadOutcome,
) {
    if text.trim().is_empty() {
        let reason = if text.is_empty() {
            "empty document"
        } else {
            "whitespace-only document"
        };
        let mut rec = skipped(id, display, bytes_len, reason.to_string());
        rec.line = line;
        out.records.push(rec);
        return;
    }
    let meta = meta.unwrap_or_default();
    let doc = Document {
        id: id.to_string(),
        title: meta.title,
        date: meta.date,
        url: meta.url,
        source: meta.source,
        text,
    };
    out.records.push(InputRecord {
        doc: id.to_string(),
        path: display.to_string(),
        bytes: bytes_len,
        status: if notes.is_empty() {
            InputStatus::Ok
        } else {
            InputStatus::Partial
        },
        reason: if notes.is_empty() {
            None
        } else {
            Some(notes.join("; "))
        },
        line,
    });
    out.documents.push(doc);
}

#[derive(Debug, Default)]
struct JsonlMeta {
    title: Option<String>,
    date: Option<String>,
    url: Option<String>,
    source: Option<String>,
}

fn read_jsonl(reader: impl BufRead, display: &str, limits: &ReadLimits, out: &mut ReadOutcome) {
    let before = out.records.len();
    read_jsonl_lines(reader, display, limits, out);
    if out.records.len() == before {
        // An input that gave nothing is still listed.
        out.records.push(skipped(
            &doc_id_from_relative(Path::new(display)),
            display,
            0,
            "empty JSONL input (no records)".to_string(),
        ));
    }
}

fn read_jsonl_lines(
    reader: impl BufRead,
    display: &str,
    limits: &ReadLimits,
    out: &mut ReadOutcome,
) {
    let mut line_no = 0u64;
    let mut buf = Vec::new();
    let mut reader = reader;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                let mut rec = skipped(
                    &format!("{display}#{}", line_no + 1),
                    display,
                    0,
                    format!("cannot read: {e}"),
                );
                rec.line = Some(line_no + 1);
                out.records.push(rec);
                break;
            }
        }
        line_no += 1;
        let raw = trim_line_end(&buf);
        if raw.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        let fallback_id = sanitize_doc_id(&format!("{display}#{line_no}"));
        let bytes_len = raw.len() as u64;
        let line_text = match std::str::from_utf8(raw) {
            Ok(s) => s,
            Err(_) => {
                let mut rec = skipped(
                    &fallback_id,
                    display,
                    bytes_len,
                    "line is not valid UTF-8".into(),
                );
                rec.line = Some(line_no);
                out.records.push(rec);
                continue;
            }
        };
        let parsed = serde_json::from_str::<serde_json::Value>(line_text);
        let mut rec = match parsed {
            Ok(serde_json::Value::Object(map)) => map,
            other => {
                let why = match other {
                    Err(e) => format!("line is not JSON: {e}"),
                    Ok(v) => format!("line is not a JSON object (it is {})", json_kind(&v)),
                };
                let mut rec = skipped(&fallback_id, display, bytes_len, why);
                rec.line = Some(line_no);
                out.records.push(rec);
                continue;
            }
        };
        let id = match &rec.get("id") {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => sanitize_doc_id(s),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => {
                let mut r = skipped(
                    &fallback_id,
                    display,
                    bytes_len,
                    "record has no \"id\" (a non-empty string)".into(),
                );
                r.line = Some(line_no);
                out.records.push(r);
                continue;
            }
        };
        let mut text = match rec.remove("text") {
            Some(serde_json::Value::String(t)) => t,
            other => {
                let why = match other {
                    None | Some(serde_json::Value::Null) => {
                        "record has no \"text\" string".to_string()
                    }
                    Some(v) => format!(
                        "record has no \"text\" string (\"text\" is {})",
                        json_kind(&v)
                    ),
                };
                let mut r = skipped(&id, display, bytes_len, why);
                r.line = Some(line_no);
                out.records.push(r);
                continue;
            }
        };
        let mut notes = Vec::new();
        let mut meta_field = |name: &str| match rec.remove(name) {
            Some(serde_json::Value::String(v)) => Some(v),
            None | Some(serde_json::Value::Null) => None,
            Some(v) => {
                notes.push(format!(
                    "\"{name}\" is {}, not a string: ignored",
                    json_kind(&v)
                ));
                None
            }
        };
        let meta = JsonlMeta {
            title: meta_field("title"),
            date: meta_field("date"),
            url: meta_field("url"),
            source: meta_field("source"),
        };
        if text.len() as u64 > limits.max_document_bytes {
            let cut = truncate_at_line(text.as_bytes(), limits.max_document_bytes as usize);
            text.truncate(cut);
            notes.push(format!(
                "document larger than the limit of {} bytes: truncated",
                limits.max_document_bytes
            ));
        }
        push_text(
            &id,
            display,
            bytes_len,
            Some(line_no),
            text,
            Some(meta),
            notes,
            out,
        );
    }
}

/// `a string`, `an array`, ... for messages.
fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

fn trim_line_end(buf: &[u8]) -> &[u8] {
    let mut end = buf.len();
    while end > 0 && (buf[end - 1] == b'\n' || buf[end - 1] == b'\r') {
        end -= 1;
    }
    &buf[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_relative_paths_without_extension_and_without_semicolons() {
        assert_eq!(
            doc_id_from_relative(Path::new("bbc/business_001.txt")),
            "bbc/business_001"
        );
        assert_eq!(doc_id_from_relative(Path::new("a;b.md")), "a_b");
        assert_eq!(
            doc_id_from_relative(Path::new("19_VOA_EN_NW_2015.08.29.2937448.txt")),
            "19_VOA_EN_NW_2015.08.29.2937448"
        );
    }

    #[test]
    fn decodes_boms_utf16_and_binary() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFhello"),
            Decoded::Text {
                text: "hello".into(),
                note: None
            }
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("hé".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(
            decode(&utf16),
            Decoded::Text {
                text: "hé".into(),
                note: None
            }
        );
        assert_eq!(decode(b"ab\0cd"), Decoded::Binary);
        match decode(b"caf\xE9 au lait") {
            Decoded::Text { text, note } => {
                assert_eq!(text, "caf\u{FFFD} au lait");
                assert!(note.unwrap().contains("invalid UTF-8"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn jsonl_lines_become_documents_or_listed_skips() {
        let input = b"{\"id\":\"a\",\"text\":\"Hello world.\",\"date\":\"2024-01-02\"}\nnot json\n\n{\"id\":\"b\"}\n{\"text\":\"x\"}\n";
        let mut out = ReadOutcome::default();
        read_jsonl(&input[..], "in.jsonl", &ReadLimits::default(), &mut out);
        assert_eq!(out.documents.len(), 1);
        assert_eq!(out.documents[0].date.as_deref(), Some("2024-01-02"));
        let statuses: Vec<_> = out.records.iter().map(|r| (r.line, r.status)).collect();
        assert_eq!(
            statuses,
            vec![
                (Some(1), InputStatus::Ok),
                (Some(2), InputStatus::Skipped),
                (Some(4), InputStatus::Skipped),
                (Some(5), InputStatus::Skipped)
            ]
        );
        assert!(out.records[2].reason.as_ref().unwrap().contains("text"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
                               bom in 0usize..4) {
            let prefix: &[u8] = [&[][..], &[0xEF, 0xBB, 0xBF], &[0xFF, 0xFE], &[0xFE, 0xFF]][bom];
            let input = [prefix, &bytes[..]].concat();
            let decoded = decode(&input);
            if let (Ok(valid), Decoded::Text { text, note }) = (std::str::from_utf8(&bytes), &decoded)
                && bom <= 1
                && !bytes.contains(&0)
                && !bytes.starts_with(&[0xEF, 0xBB, 0xBF])
            {
                // Valid UTF-8 (after an optional BOM) comes back as it was, without a note.
                proptest::prop_assert_eq!(text.as_str(), valid);
                proptest::prop_assert!(note.is_none());
            }
        }

        #[test]
        fn jsonl_reading_never_panics_and_lists_every_line(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
        ) {
            let mut out = ReadOutcome::default();
            read_jsonl(&bytes[..], "in.jsonl", &ReadLimits::default(), &mut out);
            proptest::prop_assert!(!out.records.is_empty());
            let kept = out.records.iter().filter(|r| r.status != InputStatus::Skipped).count();
            proptest::prop_assert_eq!(kept, out.documents.len());
        }

        #[test]
        fn truncation_is_on_a_char_boundary(text in "\\PC{0,80}", max in 0usize..100) {
            let cut = truncate_at_line(text.as_bytes(), max);
            proptest::prop_assert!(cut <= max.min(text.len()));
            proptest::prop_assert!(text.is_char_boundary(cut));
        }
    }

    #[test]
    fn jsonl_fields_of_the_wrong_type_are_named() {
        let input =
            b"[1,2]\n{\"id\":\"a\",\"text\":5}\n{\"id\":\"b\",\"text\":\"Hi there.\",\"date\":7}\n";
        let mut out = ReadOutcome::default();
        read_jsonl(&input[..], "in.jsonl", &ReadLimits::default(), &mut out);
        let reasons: Vec<_> = out
            .records
            .iter()
            .map(|r| (r.status, r.reason.clone().unwrap_or_default()))
            .collect();
        assert_eq!(reasons[0].0, InputStatus::Skipped);
        assert!(reasons[0].1.contains("not a JSON object (it is an array)"));
        assert!(reasons[1].1.contains("\"text\" is a number"));
        assert_eq!(reasons[2].0, InputStatus::Partial);
        assert!(reasons[2].1.contains("\"date\" is a number"));
        let mut out = ReadOutcome::default();
        read_jsonl(&b"\n \n"[..], "e.jsonl", &ReadLimits::default(), &mut out);
        assert_eq!(out.records.len(), 1);
        assert!(
            out.records[0]
                .reason
                .as_ref()
                .unwrap()
                .contains("empty JSONL")
        );
    }

    #[test]
    fn truncation_happens_at_a_line_end() {
        assert_eq!(truncate_at_line(b"abc\ndef\nghi", 9), 8);
        assert_eq!(truncate_at_line("ééé".as_bytes(), 3), 2);
    }
}
