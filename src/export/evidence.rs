//! An edge's evidence list as each format writes it, with the text of every distinct evidence
//! record rendered (cleaned, JSON-escaped, then escaped for the format that holds the JSON
//! text) once per writer instead of once per edge.
//!
//! One sentence that names several entities is the evidence of every `CO_OCCURS` edge between
//! them: its records (same `doc`, `start`, `end`, and the same shared `Arc<str>` quote) repeat
//! across edges. Every escaping involved (JSON string escapes, [`clean`], XML text and attribute
//! escapes, CSV quote doubling) works character by character, so the escaped text of a list is
//! the concatenation of the escaped texts of its records and separators.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use std::fmt::Write as _;

use super::clean;
use super::common::{Escape, XmlEscape, json_str_into, xml_escape_into};
use crate::graph::Evidence;

/// How an evidence list is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EvidenceStyle {
    /// `graph.json`: `[{"doc": "d", "start": 0, ...}, {...}]`, `\n`-style escapes.
    Spaced,
    /// Compact JSON text, `\n`-style escapes (`graph.html`, whose writer makes it script-safe).
    Compact,
    /// Compact JSON text escaped as XML text content (`graph.graphml` `<data>`).
    XmlText,
    /// Compact JSON text escaped as an XML attribute value (`graph.gexf` `<attvalue>`).
    XmlAttr,
    /// Compact JSON text with `\u0022`-style escapes, as the inside of a quoted CSV field: `"`
    /// doubled, and with `gephi` every `\` doubled as well.
    Csv { gephi: bool },
}

/// An evidence record as a key: equal keys are the same record (same quote allocation, offsets
/// and document), so they have the same text.
struct Key<'g>(&'g Evidence);

impl Hash for Key<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (Arc::as_ptr(&self.0.quote) as *const u8).hash(state);
        self.0.start.hash(state);
        self.0.end.hash(state);
    }
}

impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0, other.0);
        Arc::ptr_eq(&a.quote, &b.quote) && a.start == b.start && a.end == b.end && a.doc == b.doc
    }
}

impl Eq for Key<'_> {}

/// The hasher of [`Key`]s, which hash three words (quote pointer, start, end): a multiply-rotate
/// mix (as FxHash) instead of SipHash. Only the map's layout depends on it, not the output.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl KeyHasher {
    #[inline(always)]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0xf135_7aea_2e62_a9c5);
    }
}

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.add(u64::from(b));
        }
    }

    #[inline(always)]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    #[inline(always)]
    fn finish(&self) -> u64 {
        // The multiply leaves the low bits, which pick the bucket, the weakest.
        self.0.rotate_left(26)
    }
}

/// Renders evidence lists in one [`EvidenceStyle`], each distinct record once.
pub(crate) struct EvidenceCache<'g> {
    style: EvidenceStyle,
    /// Where each record's text lies in `arena`.
    records: HashMap<Key<'g>, Range<usize>, BuildHasherDefault<KeyHasher>>,
    arena: String,
    scratch: String,
    list: String,
}

impl<'g> EvidenceCache<'g> {
    pub(crate) fn new(style: EvidenceStyle) -> EvidenceCache<'g> {
        EvidenceCache {
            style,
            records: HashMap::default(),
            arena: String::new(),
            scratch: String::with_capacity(1024),
            list: String::with_capacity(4096),
        }
    }

    /// The text of `evidence` as a JSON array (`[]` when empty), escaped as the style says.
    pub(crate) fn list(&mut self, evidence: &'g [Evidence]) -> &str {
        self.list.clear();
        self.list.push('[');
        let sep = if self.style == EvidenceStyle::Spaced {
            ", "
        } else {
            ","
        };
        for (i, ev) in evidence.iter().enumerate() {
            if i > 0 {
                self.list.push_str(sep);
            }
            let range = match self.records.get(&Key(ev)) {
                Some(r) => r.clone(),
                None => {
                    let from = self.arena.len();
                    render(self.style, ev, &mut self.scratch, &mut self.arena);
                    let r = from..self.arena.len();
                    self.records.insert(Key(ev), r.clone());
                    r
                }
            };
            self.list.push_str(&self.arena[range]);
        }
        self.list.push(']');
        &self.list
    }
}

/// Appends the text of one record in `style` to `out`: the JSON text serde_json writes for it
/// through [`Clean`](super::common::Clean) (`{"doc":..,"start":..,"end":..,"quote":..}`,
/// spaced as Python's `json.dumps` in the `Spaced` style), then escaped for its format.
fn render(style: EvidenceStyle, ev: &Evidence, json: &mut String, out: &mut String) {
    let (escape, [doc, start, end, quote]) = match style {
        EvidenceStyle::Spaced => (
            Escape::Standard,
            [
                "{\"doc\": ",
                ", \"start\": ",
                ", \"end\": ",
                ", \"quote\": ",
            ],
        ),
        EvidenceStyle::Csv { .. } => (
            Escape::Unicode,
            ["{\"doc\":", ",\"start\":", ",\"end\":", ",\"quote\":"],
        ),
        EvidenceStyle::Compact | EvidenceStyle::XmlText | EvidenceStyle::XmlAttr => (
            Escape::Standard,
            ["{\"doc\":", ",\"start\":", ",\"end\":", ",\"quote\":"],
        ),
    };
    json.clear();
    json.push_str(doc);
    json_str_into(json, &ev.doc, escape);
    // Writing into a String cannot fail.
    let _ = write!(json, "{start}{}{end}{}{quote}", ev.start, ev.end);
    json_str_into(json, &ev.quote, escape);
    json.push('}');
    match style {
        EvidenceStyle::Spaced | EvidenceStyle::Compact => out.push_str(json),
        EvidenceStyle::XmlText => xml_escape_into(out, &clean(json), XmlEscape::Text),
        EvidenceStyle::XmlAttr => xml_escape_into(out, &clean(json), XmlEscape::Attr),
        EvidenceStyle::Csv { gephi } => {
            let b = json.as_bytes();
            let mut from = 0;
            loop {
                let next = if gephi {
                    memchr::memchr2(b'"', b'\\', &b[from..])
                } else {
                    memchr::memchr(b'"', &b[from..])
                };
                let Some(p) = next else {
                    out.push_str(&json[from..]);
                    break;
                };
                // The byte itself, and once more: `""`, or `\\` in Gephi mode.
                out.push_str(&json[from..=from + p]);
                out.push_str(&json[from + p..=from + p]);
                from += p + 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::common::{Clean, CsvFields, Spaced, json_text, write_json};
    use proptest::prelude::*;

    /// The text each writer wrote before the cache: the whole list through serde, then the
    /// format's escaping.
    fn uncached(style: EvidenceStyle, evidence: &[Evidence]) -> String {
        let compact = |escape| json_text(evidence, escape).unwrap();
        let mut out = String::new();
        match style {
            EvidenceStyle::Spaced => {
                let mut buf = Vec::new();
                write_json(&mut buf, evidence, Clean::new(Spaced, Escape::Standard)).unwrap();
                out = String::from_utf8(buf).unwrap();
            }
            EvidenceStyle::Compact => out = compact(Escape::Standard),
            EvidenceStyle::XmlText => xml_escape_into(
                &mut out,
                &clean(&compact(Escape::Standard)),
                XmlEscape::Text,
            ),
            EvidenceStyle::XmlAttr => xml_escape_into(
                &mut out,
                &clean(&compact(Escape::Standard)),
                XmlEscape::Attr,
            ),
            EvidenceStyle::Csv { gephi } => {
                let mut csv = CsvFields::new(Vec::new(), gephi);
                csv.set_formula_safe(true);
                csv.field(&compact(Escape::Unicode)).unwrap();
                out = String::from_utf8(csv.into_inner()).unwrap();
            }
        }
        out
    }

    /// A list's text as the writer writes it: a CSV field between quotes, else as it is.
    fn as_written(style: EvidenceStyle, list: &str) -> String {
        match style {
            EvidenceStyle::Csv { gephi } => {
                let mut csv = CsvFields::new(Vec::new(), gephi);
                csv.set_formula_safe(true);
                csv.quoted_escaped(list).unwrap();
                String::from_utf8(csv.into_inner()).unwrap()
            }
            _ => list.to_string(),
        }
    }

    const STYLES: [EvidenceStyle; 6] = [
        EvidenceStyle::Spaced,
        EvidenceStyle::Compact,
        EvidenceStyle::XmlText,
        EvidenceStyle::XmlAttr,
        EvidenceStyle::Csv { gephi: true },
        EvidenceStyle::Csv { gephi: false },
    ];

    fn hostile() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(vec![
                    '"', '\\', '\n', '\r', '\t', '\u{0}', '\u{1}', '\u{8}', '\u{c}', '\u{1f}',
                    '\u{7f}', '<', '>', '&', '\'', ',', ';', '/', ' ', 'a', 'é', '€',
                    '\u{2028}', '\u{fffe}', '\u{ffff}', '\u{10ffff}',
                ]),
                1 => any::<char>(),
            ],
            0..40,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        /// Lists of records drawn from a few shared quotes (as one sentence is the evidence of
        /// many edges), some with equal text in separate allocations, written through one cache
        /// per style: every list reads as the uncached path wrote it.
        #[test]
        fn cached_lists_match_the_uncached_path(
            quotes in prop::collection::vec(hostile(), 1..5),
            docs in prop::collection::vec(hostile(), 1..3),
            picks in prop::collection::vec(
                prop::collection::vec((0usize..8, 0usize..3, 0usize..3), 0..5),
                1..8,
            ),
        ) {
            let arcs: Vec<Arc<str>> = quotes.iter().map(|q| Arc::from(q.as_str())).collect();
            // A second allocation of each quote: equal text, another key.
            let copies: Vec<Arc<str>> = quotes.iter().map(|q| Arc::from(q.as_str())).collect();
            let lists: Vec<Vec<Evidence>> = picks
                .iter()
                .map(|list| {
                    list.iter()
                        .map(|&(q, d, start)| Evidence {
                            doc: docs[d % docs.len()].clone(),
                            start,
                            end: start + q,
                            quote: if q % 2 == 0 { &arcs } else { &copies }[q % arcs.len()]
                                .clone(),
                        })
                        .collect()
                })
                .collect();
            for style in STYLES {
                let mut cache = EvidenceCache::new(style);
                for _round in 0..2 {
                    for list in &lists {
                        let want = uncached(style, list);
                        let text = cache.list(list).to_string();
                        let got = if list.is_empty() {
                            // Writers do not call the CSV path for an empty list.
                            match style {
                                EvidenceStyle::Csv { .. } => continue,
                                _ => text,
                            }
                        } else {
                            as_written(style, &text)
                        };
                        prop_assert_eq!(got, want, "{:?}", style);
                    }
                }
            }
        }
    }
}
