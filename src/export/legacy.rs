//! The GraphML, GEXF and JSON writers as they were before nodes and edges were written as
//! plain bytes (quick-xml events, serde), kept to test that the output did not change.

pub(crate) mod graphml {
    use std::io::{self, Write};

    use quick_xml::Writer;
    use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

    use crate::export::common::{
        Attr, AttrType, Escape, XmlEscape, fmt_f64, present_attrs, start_tag_into, xml_escape_into,
    };
    use crate::export::evidence::{EvidenceCache, EvidenceStyle};
    use crate::export::gexf::{kind_hex, node_size_text};
    use crate::export::{Meta, clean, clean_items, clean_name};
    use crate::graph::{Edge, KnowledgeGraph, Node};

    const NS: &str = "http://graphml.graphdrawing.org/xmlns";
    const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
    const SCHEMA_LOCATION: &str = "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd";

    /// Writes `graph.graphml`.
    pub struct GraphmlWriter<W: Write> {
        xml: Writer<W>,
        viz: bool,
        /// Reused buffers: start-tag content, escaped text.
        tag: String,
        text: String,
    }

    impl<W: Write> GraphmlWriter<W> {
        pub fn new(w: W) -> GraphmlWriter<W> {
            GraphmlWriter {
                xml: Writer::new_with_indent(w, b' ', 2),
                viz: false,
                tag: String::new(),
                text: String::new(),
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

        /// `<data key="..">text</data>`, the text [`clean`]ed and escaped (`<`, `>`, `&`, CR).
        fn data(&mut self, key: &str, text: &str) -> io::Result<()> {
            let text = clean(text);
            let mut escaped = std::mem::take(&mut self.text);
            escaped.clear();
            xml_escape_into(&mut escaped, text.as_ref(), XmlEscape::Text);
            let written = self.data_escaped(key, &escaped);
            self.text = escaped;
            written
        }

        /// `<data key="..">text</data>` with `text` already cleaned and escaped.
        fn data_escaped(&mut self, key: &str, text: &str) -> io::Result<()> {
            // The events of quick-xml's `create_element("data").with_attribute(("key", key))
            // .write_text_content(..)`, built in reused buffers.
            start_tag_into(&mut self.tag, "data", &[("key", key)]);
            self.xml.write_event(Event::Start(BytesStart::from_content(
                self.tag.as_str(),
                "data".len(),
            )))?;
            self.xml
                .write_event(Event::Text(BytesText::from_escaped(text)))?;
            self.xml.write_event(Event::End(BytesEnd::new("data")))?;
            Ok(())
        }

        fn node(&mut self, node: &Node, attrs: &[Attr]) -> io::Result<()> {
            let mut start = BytesStart::new("node");
            start.push_attribute(("id", clean(&node.id).as_ref()));
            self.xml.write_event(Event::Start(start))?;
            let [entity, kind_label] = node.kind.labels();
            self.data("labels", &format!(":{entity}:{kind_label}"))?;
            self.data("n_label", &clean_name(&node.label))?;
            self.data("n_kind", node.kind.as_str())?;
            let aliases = clean_items(&node.aliases);
            if !aliases.is_empty() {
                self.data("n_aliases", &aliases.join(";"))?;
            }
            let sources = clean_items(&node.sources);
            if !sources.is_empty() {
                self.data("n_sources", &sources.join(";"))?;
            }
            self.data("n_source_count", &sources.len().to_string())?;
            if let Some(n) = node.mention_count() {
                self.data("n_mention_count", &n.to_string())?;
            }
            for &attr in attrs {
                if let Some(value) = attr.value(node) {
                    let text = value.render(Escape::Standard)?;
                    self.data(&format!("n_{}", attr.name()), &text)?;
                }
            }
            if self.viz {
                self.data("n_color", &kind_hex(node.kind))?;
                self.data("n_size", &node_size_text(node))?;
            }
            self.xml.write_event(Event::End(BytesEnd::new("node")))?;
            Ok(())
        }

        fn edge<'g>(&mut self, edge: &'g Edge, evidence: &mut EvidenceCache<'g>) -> io::Result<()> {
            start_tag_into(
                &mut self.tag,
                "edge",
                &[
                    ("id", clean(&edge.id).as_ref()),
                    ("source", clean(&edge.source).as_ref()),
                    ("target", clean(&edge.target).as_ref()),
                ],
            );
            self.xml.write_event(Event::Start(BytesStart::from_content(
                self.tag.as_str(),
                "edge".len(),
            )))?;
            self.data("label", &edge.rel)?;
            self.data("e_type", &edge.rel)?;
            if let Some(w) = fmt_f64(edge.weight) {
                self.data("e_weight", &w)?;
            }
            let sources = clean_items(&edge.sources);
            if !sources.is_empty() {
                self.data("e_sources", &sources.join(";"))?;
            }
            self.data("e_source_count", &sources.len().to_string())?;
            if !edge.evidence.is_empty() {
                self.data_escaped("e_evidence", evidence.list(&edge.evidence))?;
            }
            self.xml.write_event(Event::End(BytesEnd::new("edge")))?;
            Ok(())
        }
    }
}

pub(crate) mod gexf {
    use std::io::{self, Write};

    use quick_xml::Writer;
    use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

    use crate::export::common::{Attr, AttrType, Escape, fmt_f64, present_attrs, start_tag_into};
    use crate::export::evidence::{EvidenceCache, EvidenceStyle};
    use crate::export::gexf::{full_date, kind_color, node_size_text};
    use crate::export::{Meta, clean, clean_items, clean_name};
    use crate::graph::{Edge, KnowledgeGraph, Node};

    const NS: &str = "http://gexf.net/1.3";
    const NS_VIZ: &str = "http://gexf.net/1.3/viz";

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
        /// Reused buffer of start-tag content.
        tag: String,
    }

    impl<W: Write> GexfWriter<W> {
        pub fn new(w: W) -> GexfWriter<W> {
            GexfWriter {
                xml: Writer::new_with_indent(w, b' ', 2),
                tag: String::new(),
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

        /// Writes the `<attvalues>` element for `values` (none when empty); values are [`clean`]ed
        /// and escaped as quick-xml escapes attribute values (`&#10;` and friends for whitespace,
        /// which attribute-value normalisation would otherwise turn into spaces).
        fn attvalues(&mut self, values: &[(&str, String)]) -> io::Result<()> {
            if values.is_empty() {
                return Ok(());
            }
            self.xml
                .write_event(Event::Start(BytesStart::new("attvalues")))?;
            for (key, value) in values {
                self.attvalue(key, value)?;
            }
            self.xml
                .write_event(Event::End(BytesEnd::new("attvalues")))?;
            Ok(())
        }

        /// `<attvalue for=".." value=".."/>`, the value [`clean`]ed and escaped.
        fn attvalue(&mut self, key: &str, value: &str) -> io::Result<()> {
            // As quick-xml's element writer builds it, in a reused buffer.
            start_tag_into(
                &mut self.tag,
                "attvalue",
                &[("for", key), ("value", clean(value).as_ref())],
            );
            self.xml.write_event(Event::Empty(BytesStart::from_content(
                self.tag.as_str(),
                "attvalue".len(),
            )))?;
            Ok(())
        }

        /// `<attvalue for=".." value=".."/>` with the value already cleaned and escaped.
        fn attvalue_escaped(&mut self, key: &str, escaped: &str) -> io::Result<()> {
            start_tag_into(&mut self.tag, "attvalue", &[("for", key)]);
            self.tag.push_str(" value=\"");
            self.tag.push_str(escaped);
            self.tag.push('"');
            self.xml.write_event(Event::Empty(BytesStart::from_content(
                self.tag.as_str(),
                "attvalue".len(),
            )))?;
            Ok(())
        }

        fn node(&mut self, node: &Node, attrs: &[Attr]) -> io::Result<()> {
            let mut start = BytesStart::new("node");
            start.push_attribute(("id", clean(&node.id).as_ref()));
            start.push_attribute(("label", clean_name(&node.label).as_ref()));
            let date = node
                .attack
                .as_ref()
                .and_then(|a| a.date.as_deref())
                .and_then(full_date);
            if let Some(date) = date {
                start.push_attribute(("start", date));
            }
            self.xml.write_event(Event::Start(start))?;

            let [r, g, b] = kind_color(node.kind);
            let (r, g, b) = (r.to_string(), g.to_string(), b.to_string());
            self.xml
                .create_element("viz:color")
                .with_attributes([("r", r.as_str()), ("g", g.as_str()), ("b", b.as_str())])
                .write_empty()?;
            self.xml
                .create_element("viz:size")
                .with_attribute(("value", node_size_text(node).as_str()))
                .write_empty()?;

            let mut values: Vec<(&str, String)> = vec![("kind", node.kind.as_str().to_string())];
            let aliases = clean_items(&node.aliases);
            if !aliases.is_empty() {
                values.push(("aliases", aliases.join(";")));
            }
            let sources = clean_items(&node.sources);
            if !sources.is_empty() {
                values.push(("sources", sources.join(";")));
            }
            values.push(("source_count", sources.len().to_string()));
            if let Some(n) = node.mention_count() {
                values.push(("mention_count", n.to_string()));
            }
            for &attr in attrs {
                if let Some(value) = attr.value(node) {
                    values.push((attr.name(), value.render(Escape::Standard)?));
                }
            }
            self.attvalues(&values)?;
            self.xml.write_event(Event::End(BytesEnd::new("node")))?;
            Ok(())
        }

        fn edge<'g>(&mut self, edge: &'g Edge, evidence: &mut EvidenceCache<'g>) -> io::Result<()> {
            let weight = fmt_f64(edge.weight);
            let (id, source, target) = (clean(&edge.id), clean(&edge.source), clean(&edge.target));
            let mut attrs = vec![
                ("id", id.as_ref()),
                ("source", source.as_ref()),
                ("target", target.as_ref()),
                ("label", edge.rel.as_str()),
                ("kind", edge.rel.as_str()),
            ];
            if let Some(w) = &weight {
                attrs.push(("weight", w.as_str()));
            }
            start_tag_into(&mut self.tag, "edge", &attrs);
            self.xml.write_event(Event::Start(BytesStart::from_content(
                self.tag.as_str(),
                "edge".len(),
            )))?;
            // Always at least `source_count`: the `<attvalues>` element is never empty.
            self.xml
                .write_event(Event::Start(BytesStart::new("attvalues")))?;
            let sources = clean_items(&edge.sources);
            if !sources.is_empty() {
                self.attvalue("sources", &sources.join(";"))?;
            }
            self.attvalue("source_count", &sources.len().to_string())?;
            if !edge.evidence.is_empty() {
                self.attvalue_escaped("evidence", evidence.list(&edge.evidence))?;
            }
            self.xml
                .write_event(Event::End(BytesEnd::new("attvalues")))?;
            self.xml.write_event(Event::End(BytesEnd::new("edge")))?;
            Ok(())
        }
    }
}

pub(crate) mod json {
    use std::borrow::Cow;
    use std::io::{self, Write};

    use serde::Serialize;

    use crate::export::common::{Clean, Escape, Spaced, write_json};
    use crate::export::evidence::{EvidenceCache, EvidenceStyle};
    use crate::export::{Meta, clean_item, clean_items, clean_name};
    use crate::graph::{Edge, KnowledgeGraph, Merge, Node};

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
    /// [`Obj::line_break`].
    struct Obj<'w, W: Write> {
        w: &'w mut W,
        first: bool,
        break_next: bool,
    }

    impl<'w, W: Write> Obj<'w, W> {
        fn new(w: &'w mut W) -> Obj<'w, W> {
            Obj {
                w,
                first: true,
                break_next: false,
            }
        }

        fn key(&mut self, key: &str) -> io::Result<()> {
            let sep: &[u8] = match (self.first, self.break_next) {
                (true, _) => b"{",
                (false, true) => b",\n   ",
                (false, false) => b", ",
            };
            self.w.write_all(sep)?;
            self.first = false;
            self.break_next = false;
            write_json(self.w, key, Clean::new(Spaced, Escape::Standard))?;
            self.w.write_all(b": ")
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

        /// The next member starts a new line.
        fn line_break(&mut self) {
            self.break_next = !self.first;
        }

        fn end(self) -> io::Result<()> {
            self.w.write_all(if self.first { b"{}" } else { b"}" })
        }
    }

    fn finite(x: Option<f64>) -> Option<f64> {
        x.filter(|x| x.is_finite())
    }

    fn cleaned(s: &Option<String>) -> Option<Cow<'_, str>> {
        s.as_deref().map(clean_name)
    }

    fn write_node<W: Write>(w: &mut W, node: &Node) -> io::Result<()> {
        let mut o = Obj::new(w);
        o.kv("id", &node.id)?;
        o.kv("label", &clean_name(&node.label))?;
        o.kv("kind", &node.kind)?;
        o.kv("labels", &node.kind.labels())?;
        o.kv("aliases", &clean_items(&node.aliases))?;
        let sources = clean_items(&node.sources);
        o.kv("sources", &sources)?;
        o.kv("source_count", &sources.len())?;
        let entity = node.mention_count().is_some();
        o.opt("mention_count", node.mention_count())?;
        if entity || !node.mentions.is_empty() {
            o.line_break();
            o.kv("mentions", &node.mentions)?;
        }
        if entity || !node.merges.is_empty() {
            if !node.merges.is_empty() {
                o.line_break();
            }
            let merges: Vec<Merge> = node
                .merges
                .iter()
                .map(|m| Merge {
                    alias: clean_item(&m.alias).into_owned(),
                    ..m.clone()
                })
                .collect();
            o.kv("merges", &merges)?;
        }
        if !node.former_ids.is_empty() {
            o.kv("former_ids", &clean_items(&node.former_ids))?;
        }
        if let Some(p) = &node.place {
            let (lat, lon) = (finite(p.lat), finite(p.lon));
            if p.country.is_some() || lat.is_some() || lon.is_some() || p.geonames_id.is_some() {
                o.line_break();
            }
            o.opt("country", cleaned(&p.country))?;
            o.opt("lat", lat)?;
            o.opt("lon", lon)?;
            o.opt("geonames_id", p.geonames_id)?;
        }
        let mut attack_date = false;
        if let Some(a) = &node.attack {
            o.line_break();
            attack_date = a.date.is_some();
            o.opt("date", cleaned(&a.date))?;
            o.opt("date_source", a.date_source.as_ref())?;
            o.opt("place", cleaned(&a.place))?;
            o.opt("method", cleaned(&a.method))?;
            o.opt("responsibility", cleaned(&a.responsibility))?;
            if !a.claimed_via.is_empty() {
                o.kv("claimed_via", &clean_items(&a.claimed_via))?;
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
            o.kv("doc", &clean_name(&d.doc))?;
            o.opt("title", cleaned(&d.title))?;
            if !attack_date {
                o.opt("date", cleaned(&d.date))?;
            }
            o.opt("url", cleaned(&d.url))?;
        }
        o.end()
    }

    fn write_edge<'g, W: Write>(
        w: &mut W,
        edge: &'g Edge,
        evidence: &mut EvidenceCache<'g>,
    ) -> io::Result<()> {
        let mut o = Obj::new(w);
        o.kv("source", &edge.source)?;
        o.kv("target", &edge.target)?;
        o.kv("key", &edge.id)?;
        o.kv("type", &edge.rel)?;
        o.opt("weight", finite(Some(edge.weight)))?;
        let sources = clean_items(&edge.sources);
        o.kv("sources", &sources)?;
        o.kv("source_count", &sources.len())?;
        o.line_break();
        o.key("evidence")?;
        o.w.write_all(evidence.list(&edge.evidence).as_bytes())?;
        o.end()
    }
}
