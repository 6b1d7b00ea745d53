//! `graph.html`: a self-contained preview page that opens in any browser without a network.
//!
//! The page inlines cytoscape.js (`assets/cytoscape.min.js`, MIT; see `assets/README.md`), its
//! own script and style (`assets/preview.js`, `assets/preview.css`), and the graph as JSON in a
//! `<script type="application/json" id="graph-data">` block. Nodes are coloured by kind with the
//! palette of `graph.gexf` ([`kind_hex`]) and shaped by kind; there is a legend, a search box
//! (label or alias), and a details panel for the clicked node (aliases, sources, attack date,
//! place, method, casualty reports) or edge (type, sources, evidence quotes with their
//! documents). The layout is deterministic, and so are the bytes.
//!
//! Inside the JSON block `</` is written `<\/`, `<!--` as `<\u0021--`, and U+2028/U+2029 as
//! `\u2028`/`\u2029`, so no string from the news can end the script element early.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::CompactFormatter;

use super::common::{
    Clean, Escape, fmt_f64_into, json_str_into, json_text, push_items, push_uint, write_json,
};
use super::evidence::{EvidenceCache, EvidenceStyle};
use super::gexf::{kind_hex, node_size};
use super::{Meta, clean_items, clean_name};
use crate::graph::{Edge, Figure, KnowledgeGraph, Node, NodeKind, TextRef};

/// cytoscape.js, minified, as published on npm (version in `assets/README.md`).
const CYTOSCAPE_JS: &str = include_str!("../../assets/cytoscape.min.js");
const PREVIEW_JS: &str = include_str!("../../assets/preview.js");
const PREVIEW_CSS: &str = include_str!("../../assets/preview.css");

/// The page's graph data, `{"generator", "schema_version", "kinds", "nodes", "edges"}`, but
/// for the edges, which [`write_data`] writes one by one.
struct PageData<'a> {
    generator: Cow<'a, str>,
    schema_version: u32,
    kinds: Vec<PageKind>,
    nodes: Vec<PageNode<'a>>,
}

#[derive(Serialize)]
struct PageKind {
    kind: &'static str,
    label: &'static str,
    color: String,
    count: usize,
}

#[derive(Serialize)]
struct PageNode<'a> {
    id: &'a str,
    label: Cow<'a, str>,
    kind: &'static str,
    aliases: Vec<Cow<'a, str>>,
    sources: Vec<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mention_count: Option<usize>,
    size: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lon: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    geonames_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_source: Option<&'a TextRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    killed: Option<&'a Figure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    injured: Option<&'a Figure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    doc: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<Cow<'a, str>>,
}

/// An edge of the page but its evidence, which [`write_data`] appends from an
/// [`EvidenceCache`]: what [`push_page_edge`] writes (kept to test it).
#[cfg(test)]
#[derive(Serialize)]
struct PageEdge<'a> {
    id: &'a str,
    source: &'a str,
    target: &'a str,
    #[serde(rename = "type")]
    rel: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<f64>,
    sources: Vec<Cow<'a, str>>,
}

fn name(s: Option<&String>) -> Option<Cow<'_, str>> {
    s.map(|s| clean_name(s))
}

fn page_node(node: &Node) -> PageNode<'_> {
    let place = node.place.as_ref();
    let attack = node.attack.as_ref();
    let document = node.document.as_ref();
    PageNode {
        id: &node.id,
        label: clean_name(&node.label),
        kind: node.kind.as_str(),
        aliases: clean_items(&node.aliases),
        sources: clean_items(&node.sources),
        mention_count: node.mention_count(),
        size: node_size(node),
        country: name(place.and_then(|p| p.country.as_ref())),
        lat: place.and_then(|p| p.lat).filter(|x| x.is_finite()),
        lon: place.and_then(|p| p.lon).filter(|x| x.is_finite()),
        geonames_id: place.and_then(|p| p.geonames_id),
        date: name(
            attack
                .and_then(|a| a.date.as_ref())
                .or_else(|| document.and_then(|d| d.date.as_ref())),
        ),
        date_source: attack.and_then(|a| a.date_source.as_ref()),
        place: name(attack.and_then(|a| a.place.as_ref())),
        method: name(attack.and_then(|a| a.method.as_ref())),
        killed: attack.and_then(|a| a.killed.as_ref()),
        injured: attack.and_then(|a| a.injured.as_ref()),
        doc: name(document.map(|d| &d.doc)),
        title: name(document.and_then(|d| d.title.as_ref())),
        url: name(document.and_then(|d| d.url.as_ref())),
    }
}

fn page_data<'a>(graph: &'a KnowledgeGraph, meta: &'a Meta) -> PageData<'a> {
    let mut kinds = Vec::new();
    for kind in [
        NodeKind::Person,
        NodeKind::Group,
        NodeKind::Place,
        NodeKind::Attack,
        NodeKind::Document,
    ] {
        let count = graph.nodes().filter(|n| n.kind == kind).count();
        if count > 0 {
            kinds.push(PageKind {
                kind: kind.as_str(),
                label: kind.label(),
                color: kind_hex(kind),
                count,
            });
        }
    }
    PageData {
        generator: clean_name(meta.generator),
        schema_version: meta.schema_version,
        kinds,
        nodes: graph.nodes().map(page_node).collect(),
    }
}

/// Appends `node` as compact JSON: the bytes serde_json writes for the [`PageNode`] struct
/// through [`Clean`] (`None` members left out), strings written by [`json_str_into`].
fn push_page_node(out: &mut String, node: &PageNode) -> io::Result<()> {
    fn key(out: &mut String, key: &str) {
        out.push_str(",\"");
        out.push_str(key);
        out.push_str("\":");
    }
    fn str(out: &mut String, k: &str, v: Option<&str>) {
        if let Some(v) = v {
            key(out, k);
            json_str_into(out, v, Escape::Standard);
        }
    }
    fn list(out: &mut String, k: &str, items: &[Cow<str>]) {
        key(out, k);
        out.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_str_into(out, item, Escape::Standard);
        }
        out.push(']');
    }
    fn float(out: &mut String, k: &str, x: Option<f64>) {
        if let Some(x) = x {
            key(out, k);
            if !fmt_f64_into(out, x) {
                out.push_str("null");
            }
        }
    }
    fn json<T: Serialize>(out: &mut String, k: &str, v: Option<&T>) -> io::Result<()> {
        if let Some(v) = v {
            key(out, k);
            out.push_str(&json_text(v, Escape::Standard)?);
        }
        Ok(())
    }
    out.push_str("{\"id\":");
    json_str_into(out, node.id, Escape::Standard);
    str(out, "label", Some(&node.label));
    str(out, "kind", Some(node.kind));
    list(out, "aliases", &node.aliases);
    list(out, "sources", &node.sources);
    if let Some(n) = node.mention_count {
        key(out, "mention_count");
        push_uint(out, n as u64);
    }
    float(out, "size", Some(node.size));
    str(out, "country", node.country.as_deref());
    float(out, "lat", node.lat);
    float(out, "lon", node.lon);
    if let Some(n) = node.geonames_id {
        key(out, "geonames_id");
        push_uint(out, n);
    }
    str(out, "date", node.date.as_deref());
    json(out, "date_source", node.date_source)?;
    str(out, "place", node.place.as_deref());
    str(out, "method", node.method.as_deref());
    json(out, "killed", node.killed)?;
    json(out, "injured", node.injured)?;
    str(out, "doc", node.doc.as_deref());
    str(out, "title", node.title.as_deref());
    str(out, "url", node.url.as_deref());
    out.push('}');
    Ok(())
}

/// Appends `edge` as compact JSON without its evidence member and closing brace:
/// `{"id":..,"source":..,"target":..,"type":..,"weight":..,"sources":[..]`, the bytes serde
/// wrote for a [`PageEdge`] (weight left out when not finite).
fn push_page_edge(out: &mut String, e: &Edge) {
    out.push_str("{\"id\":");
    json_str_into(out, &e.id, Escape::Standard);
    out.push_str(",\"source\":");
    json_str_into(out, &e.source, Escape::Standard);
    out.push_str(",\"target\":");
    json_str_into(out, &e.target, Escape::Standard);
    out.push_str(",\"type\":");
    json_str_into(out, &e.rel, Escape::Standard);
    if e.weight.is_finite() {
        out.push_str(",\"weight\":");
        fmt_f64_into(out, e.weight);
    }
    out.push_str(",\"sources\":[");
    push_items(out, &e.sources, |out, item| {
        // `push_items` separates items with `;`: turn it into the list separator.
        if out.ends_with(';') {
            out.pop();
            out.push(',');
        }
        json_str_into(out, item, Escape::Standard);
    });
    out.push(']');
}

/// Writes the page's graph data as compact JSON, strings cleaned and escaped (`\n`-style):
/// the bytes serde writes for the struct `{"generator", "schema_version", "kinds", "nodes",
/// "edges"}`, with each edge `{"id", "source", "target", "type", "weight", "sources",
/// "evidence"}`.
fn write_data<W: Write>(w: &mut W, graph: &KnowledgeGraph, data: &PageData) -> io::Result<()> {
    let fmt = || Clean::new(CompactFormatter, Escape::Standard);
    w.write_all(b"{\"generator\":")?;
    write_json(w, &data.generator, fmt())?;
    w.write_all(b",\"schema_version\":")?;
    write_json(w, &data.schema_version, fmt())?;
    w.write_all(b",\"kinds\":")?;
    write_json(w, &data.kinds, fmt())?;
    w.write_all(b",\"nodes\":[")?;
    let mut node_buf = String::with_capacity(1024);
    for (i, node) in data.nodes.iter().enumerate() {
        node_buf.clear();
        if i > 0 {
            node_buf.push(',');
        }
        push_page_node(&mut node_buf, node)?;
        w.write_all(node_buf.as_bytes())?;
    }
    w.write_all(b"]")?;
    w.write_all(b",\"edges\":[")?;
    let mut evidence = EvidenceCache::new(EvidenceStyle::Compact);
    let mut buf = String::with_capacity(4096);
    for (i, e) in graph.edges().enumerate() {
        buf.clear();
        if i > 0 {
            buf.push(',');
        }
        push_page_edge(&mut buf, e);
        buf.push_str(",\"evidence\":");
        buf.push_str(evidence.list(&e.evidence));
        buf.push('}');
        w.write_all(buf.as_bytes())?;
    }
    w.write_all(b"]}")
}

/// JSON text that is safe inside an HTML `<script>` element: `</` as `<\/`, `<!--` as
/// `<\u0021--`, U+2028/U+2029 escaped (`<` only occurs inside JSON strings, where both
/// escapes mean the same characters).
pub fn script_safe_json(json: &str) -> String {
    json.replace("</", "<\\/")
        .replace("<!--", "<\\u0021--")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// A writer that applies [`script_safe_json`] to the bytes passing through, so that the JSON
/// block is streamed to the file instead of being built (and rewritten four times) in memory.
/// The patterns are at most four bytes long; bytes that may start one are held back until the
/// next write shows whether they do. Call [`ScriptSafe::finish`] at the end.
struct ScriptSafe<W: Write> {
    w: W,
    buf: Vec<u8>,
    /// Bytes collected before rewriting them.
    chunk: usize,
}

/// Bytes [`ScriptSafe`] collects before rewriting them.
const SCRIPT_SAFE_CHUNK: usize = 1 << 16;

impl<W: Write> ScriptSafe<W> {
    fn new(w: W) -> ScriptSafe<W> {
        ScriptSafe::with_chunk(w, SCRIPT_SAFE_CHUNK)
    }

    fn with_chunk(w: W, chunk: usize) -> ScriptSafe<W> {
        ScriptSafe {
            w,
            buf: Vec::with_capacity(chunk + 1024),
            chunk,
        }
    }

    /// Rewrites and writes `buf`, all of it when `last`, else all but a possible pattern start.
    fn drain(&mut self, last: bool) -> io::Result<()> {
        let buf = &self.buf;
        let n = buf.len();
        // Patterns starting before `limit` are wholly inside `buf` (they are at most 4 bytes).
        let limit = if last { n } else { n.saturating_sub(3) };
        let mut done = 0;
        let mut i = 0;
        while let Some(off) = memchr::memchr2(b'<', 0xe2, &buf[i..limit.max(i)]) {
            let at = i + off;
            let rest = &buf[at..];
            let (len, rep): (usize, &[u8]) = if rest.starts_with(b"</") {
                (2, b"<\\/")
            } else if rest.starts_with(b"<!--") {
                (4, b"<\\u0021--")
            } else if rest.starts_with("\u{2028}".as_bytes()) {
                (3, b"\\u2028")
            } else if rest.starts_with("\u{2029}".as_bytes()) {
                (3, b"\\u2029")
            } else {
                i = at + 1;
                continue;
            };
            self.w.write_all(&buf[done..at])?;
            self.w.write_all(rep)?;
            done = at + len;
            i = done;
        }
        let keep_from = if last { n } else { limit.max(done) };
        self.w.write_all(&buf[done..keep_from])?;
        self.buf.drain(..keep_from);
        Ok(())
    }

    fn finish(mut self) -> io::Result<W> {
        self.drain(true)?;
        Ok(self.w)
    }
}

impl<W: Write> Write for ScriptSafe<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= self.chunk {
            self.drain(false)?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Text for an HTML element or a double-quoted attribute value.
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Writes `graph.html`.
pub struct HtmlWriter<W: Write> {
    w: W,
}

impl<W: Write> HtmlWriter<W> {
    pub fn new(w: W) -> HtmlWriter<W> {
        HtmlWriter { w }
    }

    pub fn into_inner(self) -> W {
        self.w
    }

    /// Writes the whole page.
    pub fn write_graph(&mut self, graph: &KnowledgeGraph, meta: &Meta) -> io::Result<()> {
        let data = page_data(graph, meta);
        let generator = html_escape(&data.generator);
        let w = &mut self.w;
        write!(
            w,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"{generator}\">\n\
             <title>newsgraph preview</title>\n<style>\n"
        )?;
        w.write_all(PREVIEW_CSS.as_bytes())?;
        w.write_all(b"</style>\n</head>\n<body>\n")?;
        // Errors are caught from the start, so that the test (and a reader) sees them.
        w.write_all(
            b"<div id=\"errors\" role=\"alert\" hidden></div>\n<script>\n\
(function () {\n\
  var box = document.getElementById(\"errors\");\n\
  function report(msg) {\n\
    box.hidden = false;\n\
    var line = document.createElement(\"p\");\n\
    line.textContent = msg;\n\
    box.appendChild(line);\n\
  }\n\
  window.addEventListener(\"error\", function (e) {\n\
    report(\"error: \" + e.message + \" (\" + (e.filename || \"\") + \":\" + e.lineno + \")\");\n\
  });\n\
  window.addEventListener(\"unhandledrejection\", function (e) {\n\
    report(\"unhandled rejection: \" + e.reason);\n\
  });\n\
  var consoleError = console.error;\n\
  console.error = function () {\n\
    report(\"console.error: \" + Array.prototype.join.call(arguments, \" \"));\n\
    return consoleError.apply(console, arguments);\n\
  };\n\
})();\n\
</script>\n",
        )?;
        write!(
            w,
            "<header>\n<h1>newsgraph</h1>\n\
             <p id=\"status\" data-ready=\"false\" data-node-count=\"\" data-edge-count=\"\">\
             Loading\u{2026}</p>\n\
             <div id=\"search-box\"><input id=\"search\" type=\"search\" autocomplete=\"off\" \
             placeholder=\"Search a name or alias\" aria-label=\"Search a name or alias\">\
             <ul id=\"results\"></ul></div>\n\
             <ul id=\"legend\" aria-label=\"Node kinds\"></ul>\n</header>\n\
             <main>\n<div id=\"cy\"></div>\n<aside id=\"details\"></aside>\n</main>\n\
             <noscript>This preview needs JavaScript.</noscript>\n\
             <script type=\"application/json\" id=\"graph-data\">"
        )?;
        let mut json = ScriptSafe::new(&mut *w);
        write_data(&mut json, graph, &data)?;
        json.finish()?;
        w.write_all(b"</script>\n<script>\n")?;
        w.write_all(CYTOSCAPE_JS.trim_end().as_bytes())?;
        w.write_all(b"\n</script>\n<script>\n")?;
        w.write_all(PREVIEW_JS.as_bytes())?;
        w.write_all(b"</script>\n</body>\n</html>\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{AttackInfo, Evidence};

    proptest::proptest! {
        /// [`push_page_edge`] writes what serde wrote for the [`PageEdge`].
        #[test]
        fn page_edges_as_serde_wrote_them(
            s in "\\PC*|[\\x00-\\x20<>&'\"\\\\/;\u{fffe}\u{ffff}\u{2028}a]{0,12}",
            weight in proptest::prelude::any::<f64>(),
        ) {
            let e = Edge {
                id: "e-1".into(),
                rel: "REL".into(),
                source: "a:b".into(),
                target: "c:d".into(),
                weight,
                sources: vec![s.clone(), String::new(), "x;y".into(), s.clone()],
                evidence: Vec::new(),
            };
            let edge = PageEdge {
                id: &e.id,
                source: &e.source,
                target: &e.target,
                rel: &e.rel,
                weight: Some(e.weight).filter(|w| w.is_finite()),
                sources: clean_items(&e.sources),
            };
            let mut want = json_text(&edge, Escape::Standard).unwrap();
            want.pop();
            let mut out = String::new();
            push_page_edge(&mut out, &e);
            proptest::prop_assert_eq!(out, want);
        }
    }

    proptest::proptest! {
        /// [`push_page_node`] writes what serde wrote for the [`PageNode`].
        #[test]
        fn page_nodes_as_serde_wrote_them(
            s in "\\PC*|[\\x00-\\x20<>&'\"\\\\/;\u{fffe}\u{ffff}\u{2028}a]{0,12}",
            lat in proptest::prelude::any::<f64>(),
            lon in proptest::prelude::any::<f64>(),
            attack in proptest::prelude::any::<bool>(),
        ) {
            let mut n = Node::new("place:x", NodeKind::Place, &s);
            n.aliases = vec![s.clone(), String::new(), "a;b".into()];
            n.sources = vec![s.clone()];
            n.place = Some(crate::graph::PlaceInfo {
                country: Some(s.clone()),
                lat: Some(lat),
                lon: Some(lon),
                geonames_id: Some(42),
            });
            if attack {
                n.attack = Some(AttackInfo {
                    date: Some(s.clone()),
                    method: Some(s.clone()),
                    place: Some(s.clone()),
                    ..AttackInfo::default()
                });
            }
            n.document = Some(crate::graph::DocumentInfo {
                doc: s.clone(),
                title: Some(s.clone()),
                date: Some(s.clone()),
                url: Some(s.clone()),
            });
            let page = page_node(&n);
            let mut out = String::new();
            push_page_node(&mut out, &page).unwrap();
            proptest::prop_assert_eq!(out, json_text(&page, Escape::Standard).unwrap());
        }
    }

    fn meta() -> Meta<'static> {
        Meta {
            generator: "newsgraph 0.1.0",
            schema_version: 1,
        }
    }

    fn page(g: &KnowledgeGraph) -> String {
        let mut w = HtmlWriter::new(Vec::new());
        w.write_graph(g, &meta()).unwrap();
        String::from_utf8(w.into_inner()).unwrap()
    }

    /// The text of the JSON block.
    fn data_block(html: &str) -> &str {
        let start = html.find("id=\"graph-data\">").unwrap() + "id=\"graph-data\">".len();
        let end = start + html[start..].find("</script>").unwrap();
        &html[start..end]
    }

    #[test]
    fn inlined_assets_cannot_end_their_elements() {
        for (name, text) in [
            ("cytoscape.min.js", CYTOSCAPE_JS),
            ("preview.js", PREVIEW_JS),
        ] {
            let lower = text.to_ascii_lowercase();
            assert!(!lower.contains("</script"), "{name} holds </script");
            assert!(!lower.contains("<!--"), "{name} holds <!--");
            assert!(!text.contains('\r'), "{name} holds CR");
        }
        assert!(!PREVIEW_CSS.to_ascii_lowercase().contains("</style"));
    }

    #[test]
    fn hostile_strings_stay_inside_the_json_block() {
        let mut g = KnowledgeGraph::new();
        let evil = "</script>\u{2028}<script>alert(1)\u{2029}</script><!--<script>\u{1}x";
        let mut a = Node::new("group:a", NodeKind::Group, evil);
        a.aliases = vec![evil.to_string()];
        g.upsert_node(a);
        let mut b = Node::new("attack:b", NodeKind::Attack, "B");
        b.attack = Some(AttackInfo {
            date: Some("2024-03-22".into()),
            ..AttackInfo::default()
        });
        g.upsert_node(b);
        g.add_edge_evidence(
            "PERPETRATED",
            "group:a",
            "attack:b",
            [Evidence {
                doc: "d".into(),
                start: 0,
                end: 3,
                quote: evil.into(),
            }],
        );
        let html = page(&g);
        // The error catcher, the JSON block, cytoscape and the page script: four in all.
        assert_eq!(
            html.matches("</script>").count(),
            4,
            "{}",
            data_block(&html)
        );
        let block = data_block(&html);
        assert!(!block.contains("<!--") && !block.contains('\u{2028}'));
        let v: serde_json::Value = serde_json::from_str(block).unwrap();
        let label = v["nodes"][1]["label"].as_str().unwrap();
        assert_eq!(label, evil.replace('\u{1}', ""));
        assert_eq!(v["edges"][0]["evidence"][0]["quote"], label);
        assert_eq!(v["edges"][0]["type"], "PERPETRATED");
        assert_eq!(v["kinds"][0]["color"], "#cc79a7");
        assert_eq!(v["nodes"][0]["date"], "2024-03-22");
        assert_eq!(html, page(&g), "deterministic");
        assert!(html.ends_with("</html>\n") && !html.contains('\r'));
    }

    #[test]
    fn empty_graph_page() {
        let html = page(&KnowledgeGraph::new());
        let v: serde_json::Value = serde_json::from_str(data_block(&html)).unwrap();
        assert_eq!(v["nodes"], serde_json::json!([]));
        assert_eq!(v["kinds"], serde_json::json!([]));
        assert!(html.contains("<meta name=\"generator\" content=\"newsgraph 0.1.0\">"));
    }

    #[test]
    fn streamed_script_safe_matches_script_safe_json() {
        let text = "\"a</b><!--x\u{2028}y\u{2029}<<!-</<!<!--é\u{2028}</\"".repeat(50);
        for (step, chunk) in [(1, 1), (1, 4), (2, 3), (3, 5), (5, 8), (7, 16), (64, 100)] {
            let mut s = ScriptSafe::with_chunk(Vec::new(), chunk);
            for chunk in text.as_bytes().chunks(step) {
                s.write_all(chunk).unwrap();
            }
            let out = String::from_utf8(s.finish().unwrap()).unwrap();
            assert_eq!(
                out,
                script_safe_json(&text),
                "writes of {step}, chunk {chunk}"
            );
        }
    }

    #[test]
    fn script_safe_json_escapes() {
        assert_eq!(
            script_safe_json("\"</b><!--x\u{2028}\""),
            "\"<\\/b><\\u0021--x\\u2028\""
        );
    }
}
