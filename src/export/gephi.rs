//! `gephi/nodes.csv` and `gephi/edges.csv`: Gephi's spreadsheet import (Apache Commons CSV with
//! `\` as escape character).
//!
//! RFC 4180 quoting, every `\` doubled, `Type=Directed`, `Label` and `Kind` = the relation type.
//! Lists are `;`-joined; nested values are JSON text whose `"`, `\` and control characters are
//! written `\u0022`, `\u005c`, `\u00XX` (so no field holds `\` followed by `"`). With
//! [`GephiWriter::csv_safe`], cells a spreadsheet would run as formulas get a `'` in front.

use std::io::{self, Write};

use super::common::{Attr, CsvFields, Escape, fmt_f64, present_attrs};
use super::evidence::{EvidenceCache, EvidenceStyle};
use super::{clean_items, clean_name};
use crate::graph::{KnowledgeGraph, Node};

/// Writes one Gephi table (nodes or edges) to `W`.
pub struct GephiWriter<W: Write> {
    csv: CsvFields<W>,
}

impl<W: Write> GephiWriter<W> {
    pub fn new(w: W) -> GephiWriter<W> {
        GephiWriter {
            csv: CsvFields::new(w, true),
        }
    }

    /// Spreadsheet safety (`--csv-safe`): a cell that a spreadsheet would run as a formula
    /// (it starts with `=`, `+`, `-`, `@`, a tab or a CR, and is not a plain number) is written
    /// with a `'` in front, which spreadsheets read as "text" and Gephi keeps as part of the
    /// value. Off by default, so that the values read back unchanged.
    pub fn csv_safe(mut self, on: bool) -> GephiWriter<W> {
        self.csv.set_formula_safe(on);
        self
    }

    pub fn into_inner(self) -> W {
        self.csv.into_inner()
    }

    /// Writes `nodes.csv`: `Id,Label,kind,labels,aliases,sources,source_count,mention_count`,
    /// then a column per optional attribute that at least one node has.
    pub fn write_nodes(&mut self, graph: &KnowledgeGraph) -> io::Result<()> {
        let attrs = present_attrs(graph);
        for h in [
            "Id",
            "Label",
            "kind",
            "labels",
            "aliases",
            "sources",
            "source_count",
            "mention_count",
        ] {
            self.csv.field(h)?;
        }
        for attr in &attrs {
            self.csv.field(attr.name())?;
        }
        self.csv.end_record()?;
        for node in graph.nodes() {
            self.node(node, &attrs)?;
        }
        Ok(())
    }

    fn node(&mut self, node: &Node, attrs: &[Attr]) -> io::Result<()> {
        let csv = &mut self.csv;
        csv.field(&node.id)?;
        csv.field(&clean_name(&node.label))?;
        csv.field(node.kind.as_str())?;
        csv.field(&node.kind.labels().join(";"))?;
        csv.field(&clean_items(&node.aliases).join(";"))?;
        let sources = clean_items(&node.sources);
        csv.field(&sources.join(";"))?;
        csv.field(&sources.len().to_string())?;
        csv.opt(node.mention_count().map(|n| n.to_string()).as_deref())?;
        for &attr in attrs {
            match attr.value(node) {
                Some(v) => csv.field(&v.render(Escape::Unicode)?)?,
                None => csv.field("")?,
            }
        }
        csv.end_record()
    }

    /// Writes `edges.csv`:
    /// `Source,Target,Type,Id,Label,Kind,Weight,sources,source_count,evidence`.
    pub fn write_edges(&mut self, graph: &KnowledgeGraph) -> io::Result<()> {
        let csv = &mut self.csv;
        for h in [
            "Source",
            "Target",
            "Type",
            "Id",
            "Label",
            "Kind",
            "Weight",
            "sources",
            "source_count",
            "evidence",
        ] {
            csv.field(h)?;
        }
        csv.end_record()?;
        let mut evidence = EvidenceCache::new(EvidenceStyle::Csv { gephi: true });
        for edge in graph.edges() {
            csv.field(&edge.source)?;
            csv.field(&edge.target)?;
            csv.field("Directed")?;
            csv.field(&edge.id)?;
            csv.field(&edge.rel)?;
            csv.field(&edge.rel)?;
            csv.opt(fmt_f64(edge.weight).as_deref())?;
            let sources = clean_items(&edge.sources);
            csv.field(&sources.join(";"))?;
            csv.field(&sources.len().to_string())?;
            if edge.evidence.is_empty() {
                csv.field("")?;
            } else {
                // Never empty and always holding `"`, so always quoted; it starts with `[`, which
                // no spreadsheet reads as a formula.
                csv.quoted_escaped(evidence.list(&edge.evidence))?;
            }
            csv.end_record()?;
        }
        Ok(())
    }
}
