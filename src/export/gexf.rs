//! `graph.gexf`: GEXF 1.3, Gephi's native format, with colours, sizes and a timeline.
//!
//! The graph is directed and `mode="dynamic"` with `timeformat="date"`: an attack node whose
//! date is a full ISO date (`2024-03-22`) carries `start="2024-03-22"`, so Gephi's timeline
//! shows it from that day on; every other node (and every edge) has no time bounds and is always
//! present. Node attributes (`<attvalues>`) mirror the GraphML keys; every node has a
//! `viz:color` by kind ([`kind_color`], the palette of `graph.html` too) and a `viz:size` from
//! its mention count ([`node_size`]). Every edge has its stable id (so parallel edges of
//! different types survive), its relation type as `label` and `kind` (Gephi's edge type), its
//! `weight`, and `sources`, `source_count` and `evidence` (JSON text) as attvalues.
//!
//! Valid against the RELAX NG grammar of GEXF 1.3 (`shared/schemas/gexf-1.3/gexf.rng`); the
//! XSD generated from it puts `viz:` elements in the wrong namespace and rejects every file
//! with colours, Gephi's own included.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::common::{
    Attr, AttrType, AttrValue, Escape, XmlEscape, fmt_f64, fmt_f64_into, present_attrs, push_items,
    push_uint, xml_escape_into,
};
use super::evidence::{EvidenceCache, EvidenceStyle};
use super::{Meta, clean, clean_name};
use crate::graph::{Edge, KnowledgeGraph, Node, NodeKind};

const NS: &str = "http://gexf.net/1.3";
const NS_VIZ: &str = "http://gexf.net/1.3/viz";

/// The colour of a kind of node, from the Okabe-Ito palette (distinguishable with every common
/// colour-vision deficiency): person blue, group reddish purple, place bluish green, attack
/// vermillion, document grey.
pub fn kind_color(kind: NodeKind) -> [u8; 3] {
    match kind {
        NodeKind::Person => [0x00, 0x72, 0xb2],
        NodeKind::Group => [0xcc, 0x79, 0xa7],
        NodeKind::Place => [0x00, 0x9e, 0x73],
        NodeKind::Attack => [0xd5, 0x5e, 0x00],
        NodeKind::Document => [0x99, 0x99, 0x99],
    }
}

/// [`kind_color`] as `#rrggbb`.
pub fn kind_hex(kind: NodeKind) -> String {
    let [r, g, b] = kind_color(kind);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The display size of a node: `5 + 3 * sqrt(mention_count)` (5 for documents), rounded to two
/// decimals so that it prints the same everywhere.
pub fn node_size(node: &Node) -> f64 {
    let mentions = node.mention_count().unwrap_or(0) as f64;
    ((5.0 + 3.0 * mentions.sqrt()) * 100.0).round() / 100.0
}

/// [`node_size`] as written (`5.0`, `10.2`).
pub fn node_size_text(node: &Node) -> String {
    fmt_f64(node_size(node)).unwrap_or_else(|| "5.0".to_string())
}

/// `s` when it is a full ISO 8601 calendar date (`YYYY-MM-DD`, a real day, year 0001-9999): a
/// valid `xs:date` that Gephi's timeline reads with `timeformat="date"`.
pub fn full_date(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape || &s[..4] == "0000" {
        return None;
    }
    s.parse::<jiff::civil::Date>().ok().map(|_| s)
}

/// The GEXF attribute type of an optional attribute.
fn gexf_type(attr: Attr) -> &'static str {
    match attr.ty() {
        AttrType::Double => "double",
        AttrType::Long => "long",
        AttrType::String | AttrType::Json | AttrType::List => "string",
    }
}

/// Writes `graph.gexf`.
pub struct GexfWriter<W: Write> {
    xml: Writer<W>,
    /// Reused buffer: the text of one node or edge.
    buf: String,
}

impl<W: Write> GexfWriter<W> {
    pub fn new(w: W) -> GexfWriter<W> {
        GexfWriter {
            xml: Writer::new_with_indent(w, b' ', 2),
            buf: String::with_capacity(4096),
        }
    }

    pub fn into_inner(self) -> W {
        self.xml.into_inner()
    }

    /// Writes the whole document.
    pub fn write_graph(&mut self, graph: &KnowledgeGraph, meta: &Meta) -> io::Result<()> {
        let attrs = present_attrs(graph);
        self.xml
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let generator = clean_name(meta.generator);
        let mut root = BytesStart::new("gexf");
        root.push_attribute(("xmlns", NS));
        root.push_attribute(("xmlns:viz", NS_VIZ));
        root.push_attribute(("version", "1.3"));
        self.xml.write_event(Event::Start(root))?;

        self.xml
            .write_event(Event::Start(BytesStart::new("meta")))?;
        self.xml
            .create_element("creator")
            .write_text_content(BytesText::new(&generator))?;
        self.xml
            .create_element("description")
            .write_text_content(BytesText::new(&format!(
                "newsgraph knowledge graph, schema_version {}",
                meta.schema_version
            )))?;
        self.xml.write_event(Event::End(BytesEnd::new("meta")))?;

        let mut g = BytesStart::new("graph");
        g.push_attribute(("defaultedgetype", "directed"));
        g.push_attribute(("mode", "dynamic"));
        g.push_attribute(("timeformat", "date"));
        self.xml.write_event(Event::Start(g))?;

        let mut node_keys: Vec<(&str, &str)> = vec![
            ("kind", "string"),
            ("aliases", "string"),
            ("sources", "string"),
            ("source_count", "integer"),
            ("mention_count", "integer"),
        ];
        node_keys.extend(attrs.iter().map(|&a| (a.name(), gexf_type(a))));
        self.attributes("node", &node_keys)?;
        self.attributes(
            "edge",
            &[
                ("sources", "string"),
                ("source_count", "integer"),
                ("evidence", "string"),
            ],
        )?;

        let mut nodes = BytesStart::new("nodes");
        nodes.push_attribute(("count", graph.node_count().to_string().as_str()));
        self.xml.write_event(Event::Start(nodes))?;
        for node in graph.nodes() {
            self.node(node, &attrs)?;
        }
        self.xml.write_event(Event::End(BytesEnd::new("nodes")))?;
        let mut edges = BytesStart::new("edges");
        edges.push_attribute(("count", graph.edge_count().to_string().as_str()));
        self.xml.write_event(Event::Start(edges))?;
        let mut evidence = EvidenceCache::new(EvidenceStyle::XmlAttr);
        for edge in graph.edges() {
            self.edge(edge, &mut evidence)?;
        }
        self.xml.write_event(Event::End(BytesEnd::new("edges")))?;
        self.xml.write_event(Event::End(BytesEnd::new("graph")))?;
        self.xml.write_event(Event::End(BytesEnd::new("gexf")))?;
        self.xml.get_mut().write_all(b"\n")
    }

    /// `<attributes class=".." mode="static">` with one `<attribute>` per (id = title, type).
    fn attributes(&mut self, class: &str, keys: &[(&str, &str)]) -> io::Result<()> {
        let mut start = BytesStart::new("attributes");
        start.push_attribute(("class", class));
        start.push_attribute(("mode", "static"));
        self.xml.write_event(Event::Start(start))?;
        for (name, ty) in keys {
            self.xml
                .create_element("attribute")
                .with_attributes([("id", *name), ("title", *name), ("type", *ty)])
                .write_empty()?;
        }
        self.xml
            .write_event(Event::End(BytesEnd::new("attributes")))?;
        Ok(())
    }

    fn node(&mut self, node: &Node, attrs: &[Attr]) -> io::Result<()> {
        // Written as plain bytes, as quick-xml's indenting writer lays out the events of
        // `<node>` (two spaces a level). Attribute values are [`clean`]ed and escaped as
        // quick-xml escapes them (`&#10;` and friends for whitespace, which attribute-value
        // normalisation would otherwise turn into spaces).
        let out = &mut self.buf;
        out.clear();
        out.push_str("\n      <node id=\"");
        xml_escape_into(out, &clean(&node.id), XmlEscape::Attr);
        out.push_str("\" label=\"");
        xml_escape_into(out, &clean_name(&node.label), XmlEscape::Attr);
        out.push('"');
        let date = node
            .attack
            .as_ref()
            .and_then(|a| a.date.as_deref())
            .and_then(full_date);
        if let Some(date) = date {
            out.push_str(" start=\"");
            xml_escape_into(out, date, XmlEscape::Attr);
            out.push('"');
        }
        out.push('>');
        let [r, g, b] = kind_color(node.kind);
        out.push_str("\n        <viz:color r=\"");
        push_uint(out, r.into());
        out.push_str("\" g=\"");
        push_uint(out, g.into());
        out.push_str("\" b=\"");
        push_uint(out, b.into());
        out.push_str("\"/>\n        <viz:size value=\"");
        if !fmt_f64_into(out, node_size(node)) {
            out.push_str("5.0");
        }
        out.push_str("\"/>\n        <attvalues>");
        attvalue(out, "kind", node.kind.as_str());
        items_attvalue(out, "aliases", &node.aliases);
        let sources = items_attvalue(out, "sources", &node.sources);
        open_attvalue(out, "source_count");
        push_uint(out, sources as u64);
        out.push_str(CLOSE_ATTVALUE);
        if let Some(n) = node.mention_count() {
            open_attvalue(out, "mention_count");
            push_uint(out, n as u64);
            out.push_str(CLOSE_ATTVALUE);
        }
        for &attr in attrs {
            if let Some(value) = attr.value(node) {
                match value {
                    AttrValue::Str(text) => attvalue(out, attr.name(), &text),
                    value => attvalue(out, attr.name(), &value.render(Escape::Standard)?),
                }
            }
        }
        out.push_str("\n        </attvalues>\n      </node>");
        self.xml.get_mut().write_all(out.as_bytes())
    }

    fn edge<'g>(&mut self, edge: &'g Edge, evidence: &mut EvidenceCache<'g>) -> io::Result<()> {
        let out = &mut self.buf;
        out.clear();
        out.push_str("\n      <edge id=\"");
        xml_escape_into(out, &clean(&edge.id), XmlEscape::Attr);
        out.push_str("\" source=\"");
        xml_escape_into(out, &clean(&edge.source), XmlEscape::Attr);
        out.push_str("\" target=\"");
        xml_escape_into(out, &clean(&edge.target), XmlEscape::Attr);
        out.push_str("\" label=\"");
        xml_escape_into(out, &edge.rel, XmlEscape::Attr);
        out.push_str("\" kind=\"");
        xml_escape_into(out, &edge.rel, XmlEscape::Attr);
        out.push('"');
        let mark = out.len();
        out.push_str(" weight=\"");
        if fmt_f64_into(out, edge.weight) {
            out.push('"');
        } else {
            out.truncate(mark);
        }
        // Always at least `source_count`: the `<attvalues>` element is never empty.
        out.push_str(">\n        <attvalues>");
        let sources = items_attvalue(out, "sources", &edge.sources);
        open_attvalue(out, "source_count");
        push_uint(out, sources as u64);
        out.push_str(CLOSE_ATTVALUE);
        if !edge.evidence.is_empty() {
            open_attvalue(out, "evidence");
            out.push_str(evidence.list(&edge.evidence));
            out.push_str(CLOSE_ATTVALUE);
        }
        out.push_str("\n        </attvalues>\n      </edge>");
        self.xml.get_mut().write_all(out.as_bytes())
    }
}

const CLOSE_ATTVALUE: &str = "\"/>";

/// `\n          <attvalue for="key" value="`: an `<attvalue>` up to its value, at its
/// indentation (`key` is one of ours, which needs no escaping).
fn open_attvalue(out: &mut String, key: &str) {
    out.push_str("\n          <attvalue for=\"");
    out.push_str(key);
    out.push_str("\" value=\"");
}

/// `<attvalue for=".." value=".."/>`, the value [`clean`]ed and escaped.
fn attvalue(out: &mut String, key: &str, value: &str) {
    open_attvalue(out, key);
    xml_escape_into(out, &clean(value), XmlEscape::Attr);
    out.push_str(CLOSE_ATTVALUE);
}

/// `<attvalue>` with a list attribute ([`clean_items`](super::clean_items) joined with `;`),
/// left out when the list is empty; returns the number of items.
fn items_attvalue(out: &mut String, key: &str, items: &[String]) -> usize {
    let mark = out.len();
    open_attvalue(out, key);
    let n = push_items(out, items, |out, item| {
        xml_escape_into(out, item, XmlEscape::Attr);
    });
    if n == 0 {
        out.truncate(mark);
    } else {
        out.push_str(CLOSE_ATTVALUE);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{AttackInfo, Evidence};

    fn meta() -> Meta<'static> {
        Meta {
            generator: "newsgraph 0.1.0",
            schema_version: 1,
        }
    }

    fn write(g: &KnowledgeGraph) -> String {
        let mut w = GexfWriter::new(Vec::new());
        w.write_graph(g, &meta()).unwrap();
        String::from_utf8(w.into_inner()).unwrap()
    }

    fn ev(doc: &str, quote: &str) -> Evidence {
        Evidence {
            doc: doc.into(),
            start: 0,
            end: quote.chars().count(),
            quote: quote.into(),
        }
    }

    fn sample() -> KnowledgeGraph {
        let mut g = KnowledgeGraph::new();
        let mut a = Node::new("group:a", NodeKind::Group, "A\u{1}\n<&>\"'");
        a.aliases = vec!["A".into(), "Ay;e".into()];
        a.sources = vec!["d1".into()];
        g.upsert_node(a);
        let mut b = Node::new("attack:b", NodeKind::Attack, "B");
        b.attack = Some(AttackInfo {
            date: Some("2024-03-22".into()),
            method: Some("shooting".into()),
            ..AttackInfo::default()
        });
        g.upsert_node(b);
        let mut c = Node::new("attack:c", NodeKind::Attack, "C");
        c.attack = Some(AttackInfo {
            date: Some("2024-03".into()),
            ..AttackInfo::default()
        });
        g.upsert_node(c);
        g.add_edge_evidence(
            "PERPETRATED",
            "group:a",
            "attack:b",
            [ev("d1", "q\t\"x\"\n")],
        );
        g.add_edge_evidence("CO_OCCURS", "group:a", "attack:b", [ev("d1", "q")]);
        g
    }

    #[test]
    fn palette_and_sizes() {
        assert_eq!(kind_hex(NodeKind::Person), "#0072b2");
        assert_eq!(kind_hex(NodeKind::Attack), "#d55e00");
        let mut n = Node::new("person:x", NodeKind::Person, "X");
        assert_eq!(node_size_text(&n), "5.0");
        n.mentions = vec![
            crate::graph::TextRef {
                doc: "d".into(),
                start: 0,
                end: 1,
                text: "X".into(),
            };
            2
        ];
        // 5 + 3 * sqrt(2) = 9.2426...
        assert_eq!(node_size_text(&n), "9.24");
    }

    #[test]
    fn full_dates_only() {
        assert_eq!(full_date("2024-03-22"), Some("2024-03-22"));
        for bad in [
            "2024",
            "2024-03",
            "2024-02-30",
            "0000-01-01",
            "24-03-22",
            "2024-3-22",
            "2024/03/22",
            "2024-03-22T10:00",
        ] {
            assert_eq!(full_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn writes_dynamic_gexf_with_viz_and_parallel_edges() {
        let text = write(&sample());
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" version=\"1.3\">"));
        assert!(
            text.contains(
                "<graph defaultedgetype=\"directed\" mode=\"dynamic\" timeformat=\"date\">"
            )
        );
        assert!(text.contains("<node id=\"attack:b\" label=\"B\" start=\"2024-03-22\">"));
        assert!(text.contains("<node id=\"attack:c\" label=\"C\">"));
        assert!(text.contains("<viz:color r=\"204\" g=\"121\" b=\"167\"/>"));
        assert!(text.contains("<viz:size value=\"5.0\"/>"));
        assert!(text.contains("label=\"A &lt;&amp;&gt;&quot;&apos;\""));
        assert!(!text.contains('\u{1}'));
        assert!(text.contains("<attvalue for=\"aliases\" value=\"A;Ay,e\"/>"));
        assert!(text.contains("<attvalue for=\"method\" value=\"shooting\"/>"));
        assert_eq!(text.matches("<edge id=\"e-").count(), 2);
        assert!(text.contains("label=\"PERPETRATED\" kind=\"PERPETRATED\" weight=\"1.0\">"));
        assert!(text.contains("label=\"CO_OCCURS\" kind=\"CO_OCCURS\" weight=\"1.0\">"));
        // Evidence is JSON text; its `\t`, `\n` are JSON escapes, `"` an XML entity.
        assert!(text.contains(
            "value=\"[{&quot;doc&quot;:&quot;d1&quot;,&quot;start&quot;:0,&quot;end&quot;:6,&quot;quote&quot;:&quot;q\\t\\&quot;x\\&quot;\\n&quot;}]\""
        ), "{text}");
        assert!(text.ends_with("</gexf>\n"), "{text}");
        assert_eq!(text, write(&sample()), "deterministic");
    }

    #[test]
    fn reads_back_with_quick_xml() {
        let text = write(&sample());
        let mut reader = quick_xml::Reader::from_str(&text);
        let (mut nodes, mut edges, mut label) = (0, 0, String::new());
        loop {
            match reader.read_event().unwrap() {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                    "node" => {
                        nodes += 1;
                        if nodes == 3 {
                            let a = e.try_get_attribute("label").unwrap().unwrap();
                            label = a
                                .normalized_value(quick_xml::XmlVersion::Explicit1_0)
                                .unwrap()
                                .into_owned();
                        }
                    }
                    "edge" => edges += 1,
                    _ => {}
                },
                _ => {}
            }
        }
        assert_eq!((nodes, edges), (3, 2));
        assert_eq!(label, "A <&>\"'");
    }

    /// A graph whose label, alias, title, evidence and casualty text are all `s`.
    fn hostile(s: &str) -> KnowledgeGraph {
        let mut g = sample();
        let mut d = Node::new("document:d", NodeKind::Document, s);
        d.aliases = vec![s.to_string()];
        d.document = Some(crate::graph::DocumentInfo {
            doc: "d".into(),
            title: Some(s.into()),
            date: Some(s.into()),
            url: None,
        });
        g.upsert_node(d);
        g.add_edge_evidence("MENTIONS", "document:d", "group:a", [ev("d", s)]);
        g
    }

    proptest::proptest! {
        #[test]
        fn labels_read_back_as_cleaned(s in "\\PC*|[\\x00-\\x20<>&'\"\\\\\u{fffe}\u{ffff}\u{2028}a]{0,12}") {
            let text = write(&hostile(&s));
            let mut reader = quick_xml::Reader::from_str(&text);
            let mut label = None;
            loop {
                match reader.read_event().unwrap() {
                    Event::Eof => break,
                    Event::Start(e) if e.name().as_ref() == "node" => {
                        let id = e.try_get_attribute("id").unwrap().unwrap();
                        if id.value == "document:d" {
                            let a = e.try_get_attribute("label").unwrap().unwrap();
                            label = Some(
                                a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                                    .unwrap()
                                    .into_owned(),
                            );
                        }
                    }
                    _ => {}
                }
            }
            let want = clean_name(&s);
            proptest::prop_assert_eq!(label.as_deref(), Some(want.as_ref()));
        }
    }

    /// xmllint with the GEXF 1.3 RELAX NG grammar, when both are there.
    #[test]
    fn hostile_strings_validate_against_the_grammar() {
        let rng = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/schemas/gexf-1.3/gexf.rng"
        );
        if !std::path::Path::new(rng).is_file() {
            eprintln!("skipped: {rng} not found");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("graph.gexf");
        let s = "\t<b>&amp; \"q\" 'a' ]]> \u{1}\u{fffe}\u{2028} \\\" \u{1F600}\r\nend  ";
        std::fs::write(&path, write(&hostile(s))).unwrap();
        match std::process::Command::new("xmllint")
            .args(["--noout", "--nonet", "--relaxng", rng])
            .arg(&path)
            .output()
        {
            Ok(out) => assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            ),
            Err(e) => eprintln!("skipped: xmllint: {e}"),
        }
    }

    #[test]
    fn empty_graph() {
        let text = write(&KnowledgeGraph::new());
        assert!(text.contains("<nodes count=\"0\">"));
        assert!(text.contains("<edges count=\"0\">"));
    }
}
