//! `graph.json`: networkx node-link JSON (`"edges"` key), a directed multigraph, and
//! [`read_graph`], which reads it back into a [`KnowledgeGraph`].
//!
//! The layout keeps one node or edge per line (its long nested lists on continuation lines), so
//! exports diff well: `json.load` / `networkx.node_link_graph(data, edges="edges")` read it.

use std::borrow::Cow;
use std::io::{self, Read, Write};

use serde::{Deserialize, Serialize};

use super::common::{
    Clean, Escape, Spaced, fmt_f64_into, json_str_into, push_items, push_uint, write_json,
};
use super::evidence::{EvidenceCache, EvidenceStyle};
use super::{Meta, clean_item, clean_name};
use crate::graph::{
    AttackInfo, DocumentInfo, Edge, Evidence, Figure, Frame, KnowledgeGraph, Merge, MergeEvidence,
    Node, NodeKind, Perpetrator, PlaceInfo, TextRef, edge_id,
};

/// Writes `graph.json`.
pub struct JsonWriter<W: Write> {
    w: W,
}

impl<W: Write> JsonWriter<W> {
    pub fn new(w: W) -> JsonWriter<W> {
        JsonWriter { w }
    }

    pub fn into_inner(self) -> W {
        self.w
    }

    /// Writes the whole document.
    pub fn write_graph(&mut self, graph: &KnowledgeGraph, meta: &Meta) -> io::Result<()> {
        let w = &mut self.w;
        w.write_all(b"{\"directed\": true, \"multigraph\": true,\n \"graph\": ")?;
        let mut header = Obj::new(w);
        header.kv("name", "newsgraph")?;
        header.kv("schema_version", &meta.schema_version)?;
        header.kv("generator", &clean_name(meta.generator))?;
        header.end()?;
        w.write_all(b",\n \"nodes\": [")?;
        for (i, node) in graph.nodes().enumerate() {
            w.write_all(if i == 0 { b"\n  " } else { b",\n  " })?;
            write_node(w, node)?;
        }
        w.write_all(b"\n ],\n \"edges\": [")?;
        let mut evidence = EvidenceCache::new(EvidenceStyle::Spaced);
        for (i, edge) in graph.edges().enumerate() {
            w.write_all(if i == 0 { b"\n  " } else { b",\n  " })?;
            write_edge(w, edge, &mut evidence)?;
        }
        w.write_all(b"\n ]}\n")
    }
}

/// Writes the members of one JSON object: `", "` between them, or `",\n   "` after
/// [`Obj::line_break`]. Strings, numbers and string lists are written directly (the bytes
/// serde_json writes for them through [`Clean`], see [`json_str_into`]); other values go
/// through serde.
struct Obj<'w, W: Write> {
    w: &'w mut W,
    first: bool,
    break_next: bool,
    /// Reused buffer of directly written members.
    buf: String,
}

impl<'w, W: Write> Obj<'w, W> {
    fn new(w: &'w mut W) -> Obj<'w, W> {
        Obj {
            w,
            first: true,
            break_next: false,
            buf: String::new(),
        }
    }

    /// Appends the separator and `"key": ` to `buf` (`key` is one of ours: no escapes).
    fn push_key(&mut self, key: &str) {
        self.buf.push_str(match (self.first, self.break_next) {
            (true, _) => "{",
            (false, true) => ",\n   ",
            (false, false) => ", ",
        });
        self.first = false;
        self.break_next = false;
        self.buf.push('"');
        self.buf.push_str(key);
        self.buf.push_str("\": ");
    }

    /// Writes out `buf`.
    fn flush(&mut self) -> io::Result<()> {
        self.w.write_all(self.buf.as_bytes())?;
        self.buf.clear();
        Ok(())
    }

    fn key(&mut self, key: &str) -> io::Result<()> {
        self.push_key(key);
        self.flush()
    }

    fn kv<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> io::Result<()> {
        self.key(key)?;
        write_json(self.w, value, Clean::new(Spaced, Escape::Standard))
    }

    fn opt<T: Serialize>(&mut self, key: &str, value: Option<T>) -> io::Result<()> {
        match value {
            Some(v) => self.kv(key, &v),
            None => Ok(()),
        }
    }

    /// A string member.
    fn str(&mut self, key: &str, value: &str) {
        self.push_key(key);
        json_str_into(&mut self.buf, value, Escape::Standard);
    }

    fn opt_str(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.str(key, v);
        }
    }

    fn uint(&mut self, key: &str, n: u64) {
        self.push_key(key);
        push_uint(&mut self.buf, n);
    }

    /// A list of strings, `["a", "b"]`; returns its length.
    fn strs<'s>(&mut self, key: &str, items: impl IntoIterator<Item = &'s str>) -> usize {
        self.push_key(key);
        self.buf.push('[');
        let mut n = 0;
        for item in items {
            if n > 0 {
                self.buf.push_str(", ");
            }
            json_str_into(&mut self.buf, item, Escape::Standard);
            n += 1;
        }
        self.buf.push(']');
        n
    }

    /// A list attribute: [`clean_items`] as a JSON list; returns its length.
    fn items(&mut self, key: &str, items: &[String]) -> usize {
        self.push_key(key);
        self.buf.push('[');
        let n = push_items(&mut self.buf, items, |out, item| {
            // `push_items` separates items with `;`: turn it into the list separator.
            if out.ends_with(';') {
                out.pop();
                out.push_str(", ");
            }
            json_str_into(out, item, Escape::Standard);
        });
        self.buf.push(']');
        n
    }

    /// The next member starts a new line.
    fn line_break(&mut self) {
        self.break_next = !self.first;
    }

    fn end(mut self) -> io::Result<()> {
        self.buf.push_str(if self.first { "{}" } else { "}" });
        self.flush()
    }
}

/// A [`Merge`] as written, borrowed: serializes as the merge with its alias cleaned.
#[derive(Serialize)]
struct MergeOut<'a> {
    alias: Cow<'a, str>,
    rule: &'a str,
    evidence: &'a MergeEvidence,
}

/// `refs` as serde_json writes them through [`Clean`] with the [`Spaced`] layout:
/// `[{"doc": "d", "start": 0, "end": 1, "text": "x"}, ...]`.
fn push_text_refs(out: &mut String, refs: &[TextRef]) {
    out.push('[');
    for (i, r) in refs.iter().enumerate() {
        out.push_str(if i == 0 { "{\"doc\": " } else { ", {\"doc\": " });
        json_str_into(out, &r.doc, Escape::Standard);
        out.push_str(", \"start\": ");
        push_uint(out, r.start as u64);
        out.push_str(", \"end\": ");
        push_uint(out, r.end as u64);
        out.push_str(", \"text\": ");
        json_str_into(out, &r.text, Escape::Standard);
        out.push('}');
    }
    out.push(']');
}

fn finite(x: Option<f64>) -> Option<f64> {
    x.filter(|x| x.is_finite())
}

fn cleaned(s: &Option<String>) -> Option<Cow<'_, str>> {
    s.as_deref().map(clean_name)
}

fn write_node<W: Write>(w: &mut W, node: &Node) -> io::Result<()> {
    let mut o = Obj::new(w);
    o.str("id", &node.id);
    o.str("label", &clean_name(&node.label));
    o.str("kind", node.kind.as_str());
    o.strs("labels", node.kind.labels());
    o.items("aliases", &node.aliases);
    let sources = o.items("sources", &node.sources);
    o.uint("source_count", sources as u64);
    let entity = node.mention_count().is_some();
    if let Some(n) = node.mention_count() {
        o.uint("mention_count", n as u64);
    }
    if entity || !node.mentions.is_empty() {
        o.line_break();
        o.push_key("mentions");
        push_text_refs(&mut o.buf, &node.mentions);
    }
    if entity || !node.merges.is_empty() {
        if !node.merges.is_empty() {
            o.line_break();
        }
        let merges: Vec<MergeOut> = node
            .merges
            .iter()
            .map(|m| MergeOut {
                alias: clean_item(&m.alias),
                rule: &m.rule,
                evidence: &m.evidence,
            })
            .collect();
        o.kv("merges", &merges)?;
    }
    if !node.former_ids.is_empty() {
        o.items("former_ids", &node.former_ids);
    }
    if let Some(p) = &node.place {
        let (lat, lon) = (finite(p.lat), finite(p.lon));
        if p.country.is_some() || lat.is_some() || lon.is_some() || p.geonames_id.is_some() {
            o.line_break();
        }
        o.opt_str("country", cleaned(&p.country).as_deref());
        o.opt("lat", lat)?;
        o.opt("lon", lon)?;
        o.opt("geonames_id", p.geonames_id)?;
    }
    let mut attack_date = false;
    if let Some(a) = &node.attack {
        o.line_break();
        attack_date = a.date.is_some();
        o.opt_str("date", cleaned(&a.date).as_deref());
        o.opt("date_source", a.date_source.as_ref())?;
        o.opt_str("place", cleaned(&a.place).as_deref());
        o.opt_str("method", cleaned(&a.method).as_deref());
        o.opt_str("responsibility", cleaned(&a.responsibility).as_deref());
        if !a.claimed_via.is_empty() {
            o.items("claimed_via", &a.claimed_via);
        }
        if !a.perpetrators.is_empty() {
            o.line_break();
            o.kv("perpetrators", &a.perpetrators)?;
        }
        for (key, figure) in [("killed", &a.killed), ("injured", &a.injured)] {
            if let Some(f) = figure {
                o.line_break();
                o.kv(key, f)?;
            }
        }
        o.line_break();
        o.key("frames")?;
        o.w.write_all(b"[")?;
        for (i, frame) in a.frames.iter().enumerate() {
            o.w.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
            write_json(o.w, frame, Clean::new(Spaced, Escape::Standard))?;
        }
        o.w.write_all(b"]")?;
    }
    if let Some(d) = &node.document {
        o.line_break();
        o.str("doc", &clean_name(&d.doc));
        o.opt_str("title", cleaned(&d.title).as_deref());
        if !attack_date {
            o.opt_str("date", cleaned(&d.date).as_deref());
        }
        o.opt_str("url", cleaned(&d.url).as_deref());
    }
    o.end()
}

fn write_edge<'g, W: Write>(
    w: &mut W,
    edge: &'g Edge,
    evidence: &mut EvidenceCache<'g>,
) -> io::Result<()> {
    let mut o = Obj::new(w);
    o.str("source", &edge.source);
    o.str("target", &edge.target);
    o.str("key", &edge.id);
    o.str("type", &edge.rel);
    if edge.weight.is_finite() {
        o.push_key("weight");
        fmt_f64_into(&mut o.buf, edge.weight);
    }
    let sources = o.items("sources", &edge.sources);
    o.uint("source_count", sources as u64);
    o.line_break();
    o.push_key("evidence");
    o.buf.push_str(evidence.list(&edge.evidence));
    o.end()
}

/// Errors while reading `graph.json`.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("not a newsgraph node-link JSON graph: {0}")]
    Json(#[from] serde_json::Error),
    #[error("edge {edge} refers to node {node}, which is not in the graph")]
    MissingNode { edge: String, node: String },
}

#[derive(Deserialize)]
struct NodeLink {
    nodes: Vec<NodeRecord>,
    #[serde(alias = "links")]
    edges: Vec<EdgeRecord>,
}

#[derive(Deserialize)]
struct NodeRecord {
    id: String,
    label: Option<String>,
    kind: NodeKind,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    mentions: Vec<TextRef>,
    #[serde(default)]
    merges: Vec<Merge>,
    #[serde(default)]
    former_ids: Vec<String>,
    country: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    geonames_id: Option<u64>,
    date: Option<String>,
    date_source: Option<TextRef>,
    place: Option<String>,
    method: Option<String>,
    killed: Option<Figure>,
    injured: Option<Figure>,
    frames: Option<Vec<Frame>>,
    responsibility: Option<String>,
    #[serde(default)]
    perpetrators: Vec<Perpetrator>,
    #[serde(default)]
    claimed_via: Vec<String>,
    doc: Option<String>,
    title: Option<String>,
    url: Option<String>,
}

#[derive(Deserialize)]
struct EdgeRecord {
    source: String,
    target: String,
    key: Option<String>,
    #[serde(rename = "type")]
    rel: String,
    weight: Option<f64>,
    sources: Option<Vec<String>>,
    #[serde(default)]
    evidence: Vec<Evidence>,
}

impl NodeRecord {
    fn into_node(self) -> Node {
        let mut node = Node::new(
            self.id.clone(),
            self.kind,
            self.label.unwrap_or_else(|| self.id.clone()),
        );
        node.aliases = self.aliases;
        node.sources = self.sources;
        node.mentions = self.mentions;
        node.merges = self.merges;
        node.former_ids = self.former_ids;
        if self.country.is_some()
            || self.lat.is_some()
            || self.lon.is_some()
            || self.geonames_id.is_some()
        {
            node.place = Some(PlaceInfo {
                country: self.country,
                lat: self.lat,
                lon: self.lon,
                geonames_id: self.geonames_id,
            });
        }
        // `date` belongs to the document when the node is one, else to the attack.
        let document_date = self.doc.is_some() && self.kind != NodeKind::Attack;
        let (attack_date, doc_date) = if document_date {
            (None, self.date)
        } else {
            (self.date, None)
        };
        if attack_date.is_some()
            || self.date_source.is_some()
            || self.place.is_some()
            || self.method.is_some()
            || self.killed.is_some()
            || self.injured.is_some()
            || self.frames.is_some()
            || self.responsibility.is_some()
        {
            node.attack = Some(AttackInfo {
                date: attack_date,
                date_source: self.date_source,
                place: self.place,
                method: self.method,
                killed: self.killed,
                injured: self.injured,
                frames: self.frames.unwrap_or_default(),
                responsibility: self.responsibility,
                perpetrators: self.perpetrators,
                claimed_via: self.claimed_via,
            });
        }
        if let Some(doc) = self.doc {
            node.document = Some(DocumentInfo {
                doc,
                title: self.title,
                date: doc_date,
                url: self.url,
            });
        }
        node
    }
}

/// Reads a node-link JSON graph (as written by [`JsonWriter`]) back into a graph. Edge keys,
/// weights and sources are kept as written; a missing `key` is derived with [`edge_id`], missing
/// `weight`/`sources` from the evidence.
pub fn read_graph<R: Read>(reader: R) -> Result<KnowledgeGraph, ReadError> {
    let data: NodeLink = serde_json::from_reader(reader)?;
    let mut graph = KnowledgeGraph::new();
    for record in data.nodes {
        graph.upsert_node(record.into_node());
    }
    for e in data.edges {
        let id = e
            .key
            .unwrap_or_else(|| edge_id(&e.rel, &e.source, &e.target));
        for node in [&e.source, &e.target] {
            if graph.node(node).is_none() {
                return Err(ReadError::MissingNode {
                    edge: id,
                    node: node.clone(),
                });
            }
        }
        let sources = e.sources.unwrap_or_else(|| {
            let mut docs: Vec<String> = e.evidence.iter().map(|ev| ev.doc.clone()).collect();
            docs.sort();
            docs.dedup();
            docs
        });
        let edge = Edge {
            id,
            weight: e.weight.unwrap_or(e.evidence.len() as f64),
            rel: e.rel,
            source: e.source,
            target: e.target,
            sources,
            evidence: e.evidence,
        };
        graph.insert_edge(edge);
    }
    Ok(graph)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_graph() {
        let mut w = JsonWriter::new(Vec::new());
        let meta = Meta {
            generator: "newsgraph 0.1.0",
            schema_version: 1,
        };
        w.write_graph(&KnowledgeGraph::new(), &meta).unwrap();
        let text = String::from_utf8(w.into_inner()).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["nodes"], serde_json::json!([]));
        assert_eq!(v["edges"], serde_json::json!([]));
        let g = read_graph(text.as_bytes()).unwrap();
        assert_eq!(g.node_count(), 0);
    }

    #[test]
    fn missing_node_is_an_error() {
        let text = r#"{"nodes": [{"id": "group:a", "kind": "group"}],
            "edges": [{"source": "group:a", "target": "group:b", "type": "BRANCH_OF"}]}"#;
        assert!(matches!(
            read_graph(text.as_bytes()),
            Err(ReadError::MissingNode { .. })
        ));
    }

    #[test]
    fn document_date_and_attack_date() {
        let mut g = KnowledgeGraph::new();
        let mut d = Node::new("document:a", NodeKind::Document, "A");
        d.document = Some(DocumentInfo {
            doc: "a".into(),
            title: Some("A\ntitle".into()),
            date: Some("2024-03-23".into()),
            url: None,
        });
        g.upsert_node(d);
        let mut a = Node::new("attack:x", NodeKind::Attack, "X");
        a.attack = Some(AttackInfo {
            date: Some("2024-03-22".into()),
            ..AttackInfo::default()
        });
        g.upsert_node(a);
        let mut w = JsonWriter::new(Vec::new());
        let meta = Meta {
            generator: "g",
            schema_version: 1,
        };
        w.write_graph(&g, &meta).unwrap();
        let text = String::from_utf8(w.into_inner()).unwrap();
        let back = read_graph(text.as_bytes()).unwrap();
        let doc = back.node("document:a").unwrap().document.clone().unwrap();
        assert_eq!(doc.date.as_deref(), Some("2024-03-23"));
        assert_eq!(doc.title.as_deref(), Some("A title"));
        let attack = back.node("attack:x").unwrap().attack.clone().unwrap();
        assert_eq!(attack.date.as_deref(), Some("2024-03-22"));
        assert!(attack.frames.is_empty());
    }
}
