//! Writers for every file of the export contract (`docs/formats.md`).
//!
//! Each writer is a small struct over `W: Write` that walks the graph in id order, so the output
//! is byte-identical for the same graph. [`write_export`] writes every file into a temporary
//! directory beside the target and renames it into place.
//!
//! Every string goes through [`clean`] (characters illegal in XML 1.0 removed) in every format;
//! names and other one-line values (labels, aliases, document ids in `sources`, dates, ...) go
//! through [`clean_name`] as well, so they read back identically from every file.

use std::borrow::Cow;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::graph::KnowledgeGraph;
use crate::report::Report;

mod common;
mod evidence;
pub mod gephi;
pub mod gexf;
pub mod graphml;
pub mod html;
pub mod json;
pub mod neo4j;
pub mod report;

pub use gephi::GephiWriter;
pub use gexf::GexfWriter;
pub use graphml::GraphmlWriter;
pub use html::HtmlWriter;
pub use json::{JsonWriter, ReadError, read_graph};
pub use neo4j::Neo4jWriter;
pub use report::ReportWriter;

/// Errors while writing an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the export to {path}: {source}")]
    NotWritable {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the export to {path}: it is an existing file, not a directory")]
    NotADirectory { path: String },
    #[error("cannot write the export to {path}: not a directory name")]
    BadPath { path: String },
    #[error(
        "refusing to write the export into {dir}: it holds {file}, which newsgraph did not \
         write (choose another output directory, or force it: files newsgraph did not write are \
         kept)"
    )]
    ForeignFile { dir: String, file: String },
    #[error("invalid id {id:?}: ids must match [A-Za-z0-9._:-]+")]
    InvalidId { id: String },
    #[error("invalid relation type {rel:?}: types must match [A-Z][A-Z0-9_]*")]
    InvalidRelType { rel: String },
}

/// Which files to write (`report.json` is always written).
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub graphml: bool,
    pub json: bool,
    pub gephi: bool,
    pub neo4j: bool,
    /// `graph.gexf` (GEXF 1.3 for Gephi, with colours, sizes and attack dates).
    pub gexf: bool,
    /// `graph.html` (a self-contained preview page).
    pub html: bool,
    /// Add node `color` (`#rrggbb`) and `size` keys to `graph.graphml` (off by default).
    pub graphml_viz: bool,
    /// Write into an existing directory that holds files newsgraph did not write. Those files
    /// are kept (moved into the new export directory), never deleted.
    pub force: bool,
    /// Spreadsheet safety in the Gephi CSV files (`--csv-safe`): cells a spreadsheet would run
    /// as a formula get a `'` in front (see [`GephiWriter::csv_safe`]).
    pub csv_safe: bool,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            graphml: true,
            json: true,
            gephi: true,
            neo4j: true,
            gexf: true,
            html: true,
            graphml_viz: false,
            force: false,
            csv_safe: false,
        }
    }
}

/// What the writers put in headers and comments: the generator and the schema version.
#[derive(Debug, Clone, Copy)]
pub struct Meta<'a> {
    /// `newsgraph 0.1.0`.
    pub generator: &'a str,
    pub schema_version: u32,
}

impl<'a> Meta<'a> {
    pub fn from_report(report: &'a Report) -> Meta<'a> {
        Meta {
            generator: &report.generator,
            schema_version: report.schema_version,
        }
    }
}

/// Is `c` one of the characters XML 1.0 does not allow (U+0000-U+0008, U+000B, U+000C,
/// U+000E-U+001F, U+FFFE, U+FFFF)?
pub fn is_xml_illegal(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'
    )
}

/// Does `s` hold a character that [`is_xml_illegal`]? Works on bytes: the illegal characters
/// are ASCII controls (other than tab, LF, CR) and U+FFFE/U+FFFF (`EF BF BE`, `EF BF BF`).
pub(crate) fn has_xml_illegal(s: &str) -> bool {
    let b = s.as_bytes();
    if !has_byte_where(s, |x| (x < 0x20) | (x == 0xEF)) {
        return false;
    }
    b.iter().enumerate().any(|(i, &x)| {
        (x < 0x20 && !matches!(x, b'\t' | b'\n' | b'\r'))
            || (x == 0xEF
                && b.get(i + 1) == Some(&0xBF)
                && matches!(b.get(i + 2), Some(0xBE | 0xBF)))
    })
}

/// Does some byte of `s` satisfy `pred`? Tests 32 bytes at a time, or-ing the results into a
/// byte without early exit inside a block, which the compiler vectorises (a `bool` fold it does
/// not).
#[inline(always)]
pub(crate) fn has_byte_where(s: &str, pred: impl Fn(u8) -> bool) -> bool {
    let b = s.as_bytes();
    let mut chunks = b.chunks_exact(32);
    for c in &mut chunks {
        if block_has(c, &pred) {
            return true;
        }
    }
    chunks.remainder().iter().any(|&x| pred(x))
}

#[inline(always)]
fn block_has(c: &[u8], pred: impl Fn(u8) -> bool) -> bool {
    let mut acc = 0u8;
    for &x in c {
        acc |= u8::from(pred(x));
    }
    acc != 0
}

/// The index of the first byte of `b[from..]` that satisfies `pred`, or `b.len()`, where
/// `table[x] == pred(x)` for every byte: 32-byte blocks are tested with `pred` as
/// [`has_byte_where`] tests them (vectorised), the rest byte by byte in the table, which short
/// strings (ids, names) are all of.
#[inline(always)]
pub(crate) fn find_byte_in(
    b: &[u8],
    from: usize,
    pred: impl Fn(u8) -> bool,
    table: &[bool; 256],
) -> usize {
    let mut i = from;
    while let Some(c) = b.get(i..i + 32) {
        if block_has(c, &pred) {
            break;
        }
        i += 32;
    }
    while let Some(&x) = b.get(i) {
        if table[usize::from(x)] {
            return i;
        }
        i += 1;
    }
    b.len()
}

/// `s` without the characters that are illegal in XML 1.0; applied to every string in every
/// format (so a `quote` may be shorter than `end - start`).
pub fn clean(s: &str) -> Cow<'_, str> {
    if has_xml_illegal(s) {
        Cow::Owned(s.chars().filter(|&c| !is_xml_illegal(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// A name as written in every format: [`clean`]ed, CR and LF turned into spaces, trimmed.
///
/// Two more rules keep every CSV reader on the same bytes (the contract: no field anywhere holds
/// `\` followed by `"`, which Neo4j's `LOAD CSV` reads as an escaped quote): a `\` directly
/// before a `"` is dropped (in scraped text it is an escaping artefact: `\"Amaq\"`), and so are
/// trailing `\`s (they would precede the closing quote of a quoted field).
pub fn clean_name(s: &str) -> Cow<'_, str> {
    // Most names need nothing: they start and end with a printable ASCII character other than
    // `\` and hold no control character, no `\` and no U+FFFE/U+FFFF (whose UTF-8 starts with
    // 0xEF). Then neither the rewrite nor the trims below change them.
    let b = s.as_bytes();
    let plain_ends = matches!(
        (b.first(), b.last()),
        (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() && *l != b'\\'
    );
    if plain_ends && !has_byte_where(s, |x| (x < 0x20) | (x == 0xEF) | (x == b'\\')) {
        return Cow::Borrowed(s);
    }
    clean_name_general(s)
}

/// [`clean_name`] without its shortcut.
fn clean_name_general(s: &str) -> Cow<'_, str> {
    let rewrite = has_byte_where(s, |b| (b == b'\r') | (b == b'\n'))
        || has_xml_illegal(s)
        || s.contains("\\\"");
    let trim = |t: &str| -> (usize, usize) {
        let end = t
            .trim_end_matches(|c: char| c.is_whitespace() || c == '\\')
            .len();
        let start = end - t[..end].trim_start().len();
        (start, end)
    };
    if !rewrite {
        let (start, end) = trim(s);
        return Cow::Borrowed(&s[start..end]);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            c if is_xml_illegal(c) => {}
            '\r' | '\n' => out.push(' '),
            '"' => {
                while out.ends_with('\\') {
                    out.pop();
                }
                out.push('"');
            }
            c => out.push(c),
        }
    }
    let (start, end) = trim(&out);
    Cow::Owned(out[start..end].to_string())
}

/// An item of a `;`-joined list (an alias, a document id in `sources`): [`clean_name`], with `;`
/// (which no alias or id should hold) turned into `,` so that the list splits back correctly.
pub fn clean_item(s: &str) -> Cow<'_, str> {
    match clean_name(s) {
        Cow::Borrowed(b) if !b.contains(';') => Cow::Borrowed(b),
        c => Cow::Owned(c.replace(';', ",")),
    }
}

/// The items of a list attribute as written in every format: [`clean_item`]ed, empty ones left
/// out.
pub fn clean_items(items: &[String]) -> Vec<Cow<'_, str>> {
    items
        .iter()
        .map(|s| clean_item(s))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Checks what the writers rely on: NMTOKEN-safe node and edge ids and upper snake case
/// relation types.
pub fn validate(graph: &KnowledgeGraph) -> Result<(), ExportError> {
    let bad_id = |id: &str| ExportError::InvalidId { id: id.to_string() };
    for node in graph.nodes() {
        if !common::is_nmtoken(&node.id) {
            return Err(bad_id(&node.id));
        }
    }
    for edge in graph.edges() {
        for id in [&edge.id, &edge.source, &edge.target] {
            if !common::is_nmtoken(id) {
                return Err(bad_id(id));
            }
        }
        let rel = edge.rel.as_bytes();
        let ok = rel.first().is_some_and(u8::is_ascii_uppercase)
            && rel
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_');
        if !ok {
            return Err(ExportError::InvalidRelType {
                rel: edge.rel.clone(),
            });
        }
    }
    Ok(())
}

/// The files of an export, relative to its directory.
pub const GRAPHML: &str = "graph.graphml";
pub const JSON: &str = "graph.json";
pub const GEPHI_NODES: &str = "gephi/nodes.csv";
pub const GEPHI_EDGES: &str = "gephi/edges.csv";
pub const NEO4J_NODES: &str = "neo4j/nodes.csv";
pub const NEO4J_RELATIONSHIPS: &str = "neo4j/relationships.csv";
pub const NEO4J_CYPHER: &str = "neo4j/load.cypher";
pub const NEO4J_IMPORT_SH: &str = "neo4j/import.sh";
pub const REPORT: &str = "report.json";
pub const GEXF: &str = "graph.gexf";
pub const HTML: &str = "graph.html";

/// Top-level files newsgraph writes (or may write), and its two subdirectories with their files.
const OWN_FILES: [&str; 5] = [GRAPHML, JSON, REPORT, GEXF, HTML];
const OWN_DIRS: [(&str, &[&str]); 2] = [
    ("gephi", &["nodes.csv", "edges.csv"]),
    (
        "neo4j",
        &["nodes.csv", "relationships.csv", "load.cypher", "import.sh"],
    ),
];

/// The test hook that simulates a full disk: when this environment variable holds a number N,
/// writing the export fails with "no space left on device" once N bytes of it were written
/// (counted over all its files). It exists only so that tests can prove that a failed export
/// leaves the previous one intact and no temporary directory behind (`tests/reliability.rs`).
pub const TEST_FAIL_AFTER_BYTES_ENV: &str = "NEWSGRAPH_TEST_FAIL_AFTER_BYTES";

/// The byte budget of [`TEST_FAIL_AFTER_BYTES_ENV`], if set.
fn test_byte_budget() -> Option<u64> {
    std::env::var(TEST_FAIL_AFTER_BYTES_ENV)
        .ok()
        .and_then(|v| v.trim().parse().ok())
}

/// A file writer that fails once the shared byte budget (the test hook) is spent.
struct Metered<'a> {
    file: File,
    budget: &'a Mutex<Option<u64>>,
}

impl Write for Metered<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut budget = self.budget.lock().unwrap_or_else(|e| e.into_inner());
        let Some(left) = *budget else {
            drop(budget);
            return self.file.write(buf);
        };
        if left == 0 && !buf.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::StorageFull,
                format!("no space left on device (simulated by {TEST_FAIL_AFTER_BYTES_ENV})"),
            ));
        }
        let n = self
            .file
            .write(&buf[..buf.len().min(usize::try_from(left).unwrap_or(usize::MAX))])?;
        *budget = Some(left - n as u64);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Writes the export of `graph` and `report` into `out`, atomically: every file is written and
/// synced in `.<name>.tmp-<pid>` beside `out`, then the old `out` (if any) is renamed aside, the
/// new one renamed in, and the old one removed. When anything fails before the swap, the
/// temporary directory is removed and `out` is left as it was, byte for byte.
///
/// An existing `out` that holds files newsgraph did not write is refused unless
/// `options.force`; with it those files are moved into the new export, never deleted.
///
/// Leftovers of an earlier run that was killed (`.<name>.tmp-<pid>`, `.<name>.old-<pid>` of a
/// process that no longer runs) are cleaned up first when they hold nothing but newsgraph's own
/// files; an old export left aside while `out` is missing is put back.
pub fn write_export(
    graph: &KnowledgeGraph,
    report: &Report,
    out: &Path,
    options: &ExportOptions,
) -> Result<(), ExportError> {
    validate(graph)?;
    let io_err = |path: &Path| {
        let path = path.display().to_string();
        move |source| ExportError::Io { path, source }
    };

    // Resolve the target: follow a symlink to its directory, refuse a file.
    let exists = match fs::symlink_metadata(out) {
        Ok(_) => true,
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(io_err(out)(e)),
    };
    let target: PathBuf = if exists {
        let meta = fs::metadata(out).map_err(io_err(out))?;
        if !meta.is_dir() {
            return Err(ExportError::NotADirectory {
                path: out.display().to_string(),
            });
        }
        fs::canonicalize(out).map_err(io_err(out))?
    } else {
        out.to_path_buf()
    };
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Err(ExportError::BadPath {
            path: out.display().to_string(),
        });
    };
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let not_writable = |source| ExportError::NotWritable {
        path: out.display().to_string(),
        source,
    };
    fs::create_dir_all(&parent).map_err(not_writable)?;
    let exists = recover_stale(&parent, &name, &target, exists);

    let foreign = if exists {
        foreign_entries(&target)?
    } else {
        Vec::new()
    };
    if let Some(first) = foreign.first()
        && !options.force
    {
        return Err(ExportError::ForeignFile {
            dir: out.display().to_string(),
            file: out.join(first).display().to_string(),
        });
    }

    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.tmp-{pid}"));
    if fs::symlink_metadata(&tmp).is_ok() {
        fs::remove_dir_all(&tmp).map_err(io_err(&tmp))?;
    }
    fs::create_dir(&tmp).map_err(not_writable)?;
    let budget = Mutex::new(test_byte_budget());
    let written = write_files(graph, report, &tmp, options, &budget).and_then(|()| {
        // Keep what newsgraph did not write (only with `force`).
        for rel in &foreign {
            let (from, to) = (target.join(rel), tmp.join(rel));
            if fs::symlink_metadata(&to).is_ok() {
                continue; // A name of ours, of the wrong type: replaced.
            }
            if let Some(dir) = to.parent() {
                fs::create_dir_all(dir).map_err(io_err(dir))?;
            }
            fs::rename(&from, &to).map_err(io_err(&from))?;
        }
        Ok(())
    });
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }

    if exists {
        let aside = parent.join(format!(".{name}.old-{pid}"));
        if fs::symlink_metadata(&aside).is_ok() {
            fs::remove_dir_all(&aside).map_err(io_err(&aside))?;
        }
        if let Err(e) = fs::rename(&target, &aside) {
            let _ = fs::remove_dir_all(&tmp);
            return Err(io_err(&target)(e));
        }
        if let Err(e) = fs::rename(&tmp, &target) {
            let _ = fs::rename(&aside, &target);
            let _ = fs::remove_dir_all(&tmp);
            return Err(io_err(&target)(e));
        }
        // The new export is in place; a leftover of the old one is not worth failing for.
        let _ = fs::remove_dir_all(&aside);
    } else {
        fs::rename(&tmp, &target).map_err(|e| {
            let _ = fs::remove_dir_all(&tmp);
            io_err(&target)(e)
        })?;
    }
    sync_dir(&parent);
    Ok(())
}

/// Does process `pid` still run? (Only known on Linux; elsewhere every process is assumed to.)
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Cleans up after an earlier run into `parent/name` that was killed: its temporary directory
/// `.<name>.tmp-<pid>` and its old export `.<name>.old-<pid>` (pid no longer running) are
/// removed when they hold only newsgraph's own files, and an old export whose replacement never
/// arrived (`target` missing) is renamed back into place. Returns whether `target` exists now.
/// Best effort: anything it cannot do is left as it is.
fn recover_stale(parent: &Path, name: &str, target: &Path, exists: bool) -> bool {
    let Ok(entries) = fs::read_dir(parent) else {
        return exists;
    };
    let mut exists = exists;
    let mut stale: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let rest = file.strip_prefix('.')?.strip_prefix(name)?;
            let (kind, pid) = rest
                .strip_prefix(".tmp-")
                .map(|p| ("tmp", p))
                .or_else(|| rest.strip_prefix(".old-").map(|p| ("old", p)))?;
            let pid: u32 = pid.parse().ok()?;
            (!process_alive(pid)).then(|| (kind.to_string(), e.path()))
        })
        .collect();
    // Old exports first, so that a missing target is restored before temporaries go.
    stale.sort();
    for (kind, path) in stale {
        if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        if kind == "old" && !exists {
            if fs::rename(&path, target).is_ok() {
                exists = true;
            }
            continue;
        }
        if foreign_entries(&path).is_ok_and(|f| f.is_empty()) {
            let _ = fs::remove_dir_all(&path);
        }
    }
    exists
}

/// The entries of an existing export directory that newsgraph did not write, as paths relative
/// to it, sorted (top level first by name, descending into `gephi/` and `neo4j/` in place).
fn foreign_entries(dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    let mut foreign = Vec::new();
    for (name, is_dir) in sorted_entries(dir)? {
        let own_dir = OWN_DIRS.iter().find(|(d, _)| *d == name);
        match own_dir {
            Some((sub, files)) if is_dir => {
                for (inner, inner_is_dir) in sorted_entries(&dir.join(sub))? {
                    if inner_is_dir || !files.contains(&inner.as_str()) {
                        foreign.push(Path::new(sub).join(inner));
                    }
                }
            }
            _ if !is_dir && OWN_FILES.contains(&name.as_str()) => {}
            _ => foreign.push(PathBuf::from(name)),
        }
    }
    Ok(foreign)
}

/// The names in `dir`, sorted, each with whether it is a directory (symlinks are not).
fn sorted_entries(dir: &Path) -> Result<Vec<(String, bool)>, ExportError> {
    let io_err = |source| ExportError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_err)? {
        let entry = entry.map_err(io_err)?;
        let is_dir = entry.file_type().map_err(io_err)?.is_dir();
        entries.push((entry.file_name().to_string_lossy().into_owned(), is_dir));
    }
    entries.sort();
    Ok(entries)
}

/// Writes the files selected by `options` into the directory `dir`, each synced to disk.
fn write_files(
    graph: &KnowledgeGraph,
    report: &Report,
    dir: &Path,
    options: &ExportOptions,
    budget: &Mutex<Option<u64>>,
) -> Result<(), ExportError> {
    let meta = Meta::from_report(report);
    // Every file is independent: they are written in parallel (the biggest first), each
    // synced, and the first error in this order is reported. The bytes do not depend on it.
    type Job<'j> = (
        &'static str,
        Box<dyn Fn(&mut Out<'_>) -> io::Result<()> + Sync + 'j>,
    );
    let meta = &meta;
    let mut jobs: Vec<Job> = Vec::new();
    if options.gexf {
        jobs.push((
            GEXF,
            Box::new(|w| GexfWriter::new(w).write_graph(graph, meta)),
        ));
    }
    if options.graphml {
        jobs.push((
            GRAPHML,
            Box::new(|w| {
                GraphmlWriter::new(w)
                    .with_viz(options.graphml_viz)
                    .write_graph(graph, meta)
            }),
        ));
    }
    if options.json {
        jobs.push((
            JSON,
            Box::new(|w| JsonWriter::new(w).write_graph(graph, meta)),
        ));
    }
    if options.html {
        jobs.push((
            HTML,
            Box::new(|w| HtmlWriter::new(w).write_graph(graph, meta)),
        ));
    }
    if options.gephi {
        let safe = options.csv_safe;
        jobs.push((
            GEPHI_EDGES,
            Box::new(move |w| GephiWriter::new(w).csv_safe(safe).write_edges(graph)),
        ));
        jobs.push((
            GEPHI_NODES,
            Box::new(move |w| GephiWriter::new(w).csv_safe(safe).write_nodes(graph)),
        ));
    }
    if options.neo4j {
        jobs.push((
            NEO4J_RELATIONSHIPS,
            Box::new(|w| Neo4jWriter::new(w).write_relationships(graph)),
        ));
        jobs.push((
            NEO4J_NODES,
            Box::new(|w| Neo4jWriter::new(w).write_nodes(graph)),
        ));
        jobs.push((
            NEO4J_CYPHER,
            Box::new(|w| Neo4jWriter::new(w).write_load_cypher(graph, meta)),
        ));
        jobs.push((
            NEO4J_IMPORT_SH,
            Box::new(|w| Neo4jWriter::new(w).write_import_sh(meta)),
        ));
    }
    jobs.push((
        REPORT,
        Box::new(|w| ReportWriter::new(w).write_report(report)),
    ));
    {
        use rayon::prelude::*;
        let results: Vec<Result<(), ExportError>> = jobs
            .par_iter()
            .with_max_len(1)
            .map(|(rel, f)| write_file(dir, rel, budget, f.as_ref()))
            .collect();
        results.into_iter().collect::<Result<(), ExportError>>()?;
    }
    if options.neo4j {
        make_executable(&dir.join(NEO4J_IMPORT_SH))?;
    }
    for sub in ["gephi", "neo4j"] {
        let sub = dir.join(sub);
        if sub.is_dir() {
            sync_dir(&sub);
        }
    }
    sync_dir(dir);
    Ok(())
}

/// The writer every export file is written through.
type Out<'a> = BufWriter<Metered<'a>>;

/// Creates `dir/rel` (and its directory), writes it through a buffer with `f`, and syncs it.
fn write_file(
    dir: &Path,
    rel: &str,
    budget: &Mutex<Option<u64>>,
    f: &dyn Fn(&mut Out<'_>) -> io::Result<()>,
) -> Result<(), ExportError> {
    let path = dir.join(rel);
    let io_err = |source| ExportError::Io {
        path: path.display().to_string(),
        source,
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_err)?;
    }
    let file = File::create(&path).map_err(io_err)?;
    let mut w = BufWriter::with_capacity(1 << 16, Metered { file, budget });
    f(&mut w).map_err(io_err)?;
    w.flush().map_err(io_err)?;
    let metered = w.into_inner().map_err(|e| io_err(e.into_error()))?;
    metered.file.sync_all().map_err(io_err)
}

/// Sets the executable bits of a script (Unix only; elsewhere run it with `sh`).
fn make_executable(path: &Path) -> Result<(), ExportError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).map_err(|source| {
            ExportError::Io {
                path: path.display().to_string(),
                source,
            }
        })?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Syncs a directory's entries to disk, where the platform allows it (best effort).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod legacy;
#[cfg(test)]
mod tests;
