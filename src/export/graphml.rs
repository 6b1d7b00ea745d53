//! `graph.graphml`: GraphML 1.0, for Gephi, networkx, igraph, yEd and APOC.
//!
//! Keys are declared before the graph, node keys `n_*` and edge keys `e_*`, except the literal
//! ids APOC looks for: node key `labels` (`:Entity:Group`) and edge key `label` (the relation
//! type), which is the first `<data>` of every edge. No `<default>`s, all nodes before all
//! edges; nested values are JSON text.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::common::{
    Attr, AttrType, AttrValue, Escape, XmlEscape, fmt_f64_into, present_attrs, push_items,
    push_uint, xml_escape_into,
};
use super::evidence::{EvidenceCache, EvidenceStyle};
use super::gexf::{kind_hex, node_size_text};
use super::{Meta, clean, clean_name};
use crate::graph::{Edge, KnowledgeGraph, Node};

const NS: &str = "http://graphml.graphdrawing.org/xmlns";
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
const SCHEMA_LOCATION: &str =
    "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd";

/// Writes `graph.graphml`.
pub struct GraphmlWriter<W: Write> {
    xml: Writer<W>,
    viz: bool,
    /// Reused buffer: the text of one node or edge.
    buf: String,
}

impl<W: Write> GraphmlWriter<W> {
    pub fn new(w: W) -> GraphmlWriter<W> {
        GraphmlWriter {
            xml: Writer::new_with_indent(w, b' ', 2),
            viz: false,
            buf: String::with_capacity(4096),
        }
    }

    /// With `viz`, nodes also get a `color` (`#rrggbb`, by kind) and a `size` (double, from the
    /// mention count): the colours and sizes of `graph.gexf`, for Gephi and yEd.
    pub fn with_viz(mut self, viz: bool) -> GraphmlWriter<W> {
        self.viz = viz;
        self
    }

    pub fn into_inner(self) -> W {
        self.xml.into_inner()
    }

    /// Writes the whole document.
    pub fn write_graph(&mut self, graph: &KnowledgeGraph, meta: &Meta) -> io::Result<()> {
        let attrs = present_attrs(graph);
        self.xml
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        // A comment may not hold `--` nor end with `-`.
        let mut comment = format!(
            "{}, schema_version {}",
            clean_name(meta.generator),
            meta.schema_version
        );
        while comment.contains("--") {
            comment = comment.replace("--", "-");
        }
        self.xml
            .write_event(Event::Comment(BytesText::from_escaped(format!(
                " {comment} "
            ))))?;
        let mut root = BytesStart::new("graphml");
        root.push_attribute(("xmlns", NS));
        root.push_attribute(("xmlns:xsi", XSI));
        root.push_attribute(("xsi:schemaLocation", SCHEMA_LOCATION));
        self.xml.write_event(Event::Start(root))?;

        self.key("labels", "node", "labels", "string")?;
        for (name, ty) in [
            ("label", "string"),
            ("kind", "string"),
            ("aliases", "string"),
            ("sources", "string"),
            ("source_count", "int"),
            ("mention_count", "int"),
        ] {
            self.key(&format!("n_{name}"), "node", name, ty)?;
        }
        for &attr in &attrs {
            let ty = match attr.ty() {
                AttrType::Double => "double",
                AttrType::Long => "long",
                AttrType::String | AttrType::Json | AttrType::List => "string",
            };
            self.key(&format!("n_{}", attr.name()), "node", attr.name(), ty)?;
        }
        if self.viz {
            self.key("n_color", "node", "color", "string")?;
            self.key("n_size", "node", "size", "double")?;
        }
        self.key("label", "edge", "label", "string")?;
        for (name, ty) in [
            ("type", "string"),
            ("weight", "double"),
            ("sources", "string"),
            ("source_count", "int"),
            ("evidence", "string"),
        ] {
            self.key(&format!("e_{name}"), "edge", name, ty)?;
        }

        let mut g = BytesStart::new("graph");
        g.push_attribute(("id", "G"));
        g.push_attribute(("edgedefault", "directed"));
        self.xml.write_event(Event::Start(g))?;
        for node in graph.nodes() {
            self.node(node, &attrs)?;
        }
        let mut evidence = EvidenceCache::new(EvidenceStyle::XmlText);
        for edge in graph.edges() {
            self.edge(edge, &mut evidence)?;
        }
        self.xml.write_event(Event::End(BytesEnd::new("graph")))?;
        self.xml.write_event(Event::End(BytesEnd::new("graphml")))?;
        self.xml.get_mut().write_all(b"\n")
    }

    fn key(&mut self, id: &str, domain: &str, name: &str, ty: &str) -> io::Result<()> {
        self.xml
            .create_element("key")
            .with_attributes([
                ("id", id),
                ("for", domain),
                ("attr.name", name),
                ("attr.type", ty),
            ])
            .write_empty()?;
        Ok(())
    }

    fn node(&mut self, node: &Node, attrs: &[Attr]) -> io::Result<()> {
        // Written as plain bytes, as quick-xml's indenting writer lays out the events of
        // `<node>` (two spaces a level; `<data>` text inline).
        let out = &mut self.buf;
        out.clear();
        out.push_str("\n    <node id=\"");
        xml_escape_into(out, &clean(&node.id), XmlEscape::Attr);
        out.push_str("\">");
        let [entity, kind_label] = node.kind.labels();
        open_data(out, "labels");
        out.push(':');
        push_text(out, entity);
        out.push(':');
        push_text(out, kind_label);
        out.push_str(CLOSE_DATA);
        data(out, "n_label", &clean_name(&node.label));
        data(out, "n_kind", node.kind.as_str());
        items_data(out, "n_aliases", &node.aliases);
        let sources = items_data(out, "n_sources", &node.sources);
        open_data(out, "n_source_count");
        push_uint(out, sources as u64);
        out.push_str(CLOSE_DATA);
        if let Some(n) = node.mention_count() {
            open_data(out, "n_mention_count");
            push_uint(out, n as u64);
            out.push_str(CLOSE_DATA);
        }
        for &attr in attrs {
            if let Some(value) = attr.value(node) {
                out.push_str("\n      <data key=\"n_");
                out.push_str(attr.name());
                out.push_str("\">");
                match value {
                    AttrValue::Str(text) => push_text(out, &text),
                    value => push_text(out, &value.render(Escape::Standard)?),
                }
                out.push_str(CLOSE_DATA);
            }
        }
        if self.viz {
            data(out, "n_color", &kind_hex(node.kind));
            data(out, "n_size", &node_size_text(node));
        }
        out.push_str("\n    </node>");
        self.xml.get_mut().write_all(out.as_bytes())
    }

    fn edge<'g>(&mut self, edge: &'g Edge, evidence: &mut EvidenceCache<'g>) -> io::Result<()> {
        let out = &mut self.buf;
        out.clear();
        out.push_str("\n    <edge id=\"");
        xml_escape_into(out, &clean(&edge.id), XmlEscape::Attr);
        out.push_str("\" source=\"");
        xml_escape_into(out, &clean(&edge.source), XmlEscape::Attr);
        out.push_str("\" target=\"");
        xml_escape_into(out, &clean(&edge.target), XmlEscape::Attr);
        out.push_str("\">");
        data(out, "label", &edge.rel);
        data(out, "e_type", &edge.rel);
        let mark = out.len();
        open_data(out, "e_weight");
        if fmt_f64_into(out, edge.weight) {
            out.push_str(CLOSE_DATA);
        } else {
            out.truncate(mark);
        }
        let sources = items_data(out, "e_sources", &edge.sources);
        open_data(out, "e_source_count");
        push_uint(out, sources as u64);
        out.push_str(CLOSE_DATA);
        if !edge.evidence.is_empty() {
            open_data(out, "e_evidence");
            out.push_str(evidence.list(&edge.evidence));
            out.push_str(CLOSE_DATA);
        }
        out.push_str("\n    </edge>");
        self.xml.get_mut().write_all(out.as_bytes())
    }
}

const CLOSE_DATA: &str = "</data>";

/// `\n      <data key="key">`: a `<data>` start tag at its indentation (`key` is one of ours,
/// which needs no escaping).
fn open_data(out: &mut String, key: &str) {
    out.push_str("\n      <data key=\"");
    out.push_str(key);
    out.push_str("\">");
}

/// `text` as `<data>` content: [`clean`]ed and escaped (`<`, `>`, `&`, CR).
fn push_text(out: &mut String, text: &str) {
    xml_escape_into(out, &clean(text), XmlEscape::Text);
}

/// A whole `<data key="..">text</data>` element.
fn data(out: &mut String, key: &str, text: &str) {
    open_data(out, key);
    push_text(out, text);
    out.push_str(CLOSE_DATA);
}

/// `<data>` with a list attribute ([`clean_items`](super::clean_items) joined with `;`), left
/// out when the list is empty; returns the number of items.
fn items_data(out: &mut String, key: &str, items: &[String]) -> usize {
    let mark = out.len();
    open_data(out, key);
    let n = push_items(out, items, |out, item| {
        xml_escape_into(out, item, XmlEscape::Text);
    });
    if n == 0 {
        out.truncate(mark);
    } else {
        out.push_str(CLOSE_DATA);
    }
    n
}
