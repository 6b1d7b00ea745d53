//! `neo4j/nodes.csv`, `neo4j/relationships.csv` (neo4j-admin import header format, also read by
//! `LOAD CSV`) and `neo4j/load.cypher` (Neo4j 5 `LOAD CSV` + `MERGE`, idempotent).
//!
//! RFC 4180 quoting; lists are `;`-joined (`string[]` columns); nested values are JSON text
//! whose `"`, `\` and control characters are written `\u0022`, `\u005c`, `\u00XX`, so that
//! `LOAD CSV` (legacy quote escaping), neo4j-admin and Gephi all read the same bytes.

use std::collections::BTreeSet;
use std::io::{self, Write};

use super::common::{Attr, AttrType, CsvFields, Escape, fmt_f64, present_attrs};
use super::evidence::{EvidenceCache, EvidenceStyle};
use super::{Meta, clean_items, clean_name};
use crate::graph::{KnowledgeGraph, Node, NodeKind};

/// The body of `import.sh`, after its first two lines.
const IMPORT_SH: &str = r#"#
# Usage: sh import.sh [DATABASE]        (DATABASE defaults to neo4j)
#
#   1. Stop the server: neo4j stop
#   2. Run this script as the user that owns the Neo4j data directory, with neo4j-admin on the
#      PATH (or NEO4J_ADMIN=/path/to/neo4j-admin sh import.sh). It REPLACES the database
#      DATABASE (--overwrite-destination) with the contents of the two CSV files.
#   3. Start the server: neo4j start. With Neo4j Community the database must be the default
#      one (neo4j); with Enterprise, create a new one first: CREATE DATABASE news.
#   4. Optional: create the uniqueness constraint at the top of load.cypher:
#      cypher-shell -d DATABASE "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE"
#
# Lists (aliases, sources, labels) are ';'-separated, as the CSV headers declare (string[]).
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
database=${1:-neo4j}
exec "${NEO4J_ADMIN:-neo4j-admin}" database import full \
  --nodes="$here/nodes.csv" \
  --relationships="$here/relationships.csv" \
  --array-delimiter=';' \
  --overwrite-destination \
  "$database"
"#;

/// The widest line of the `SET` clauses in `load.cypher`.
const WIDTH: usize = 100;

/// Writes one of the Neo4j files to `W`.
pub struct Neo4jWriter<W: Write> {
    w: W,
}

impl<W: Write> Neo4jWriter<W> {
    pub fn new(w: W) -> Neo4jWriter<W> {
        Neo4jWriter { w }
    }

    pub fn into_inner(self) -> W {
        self.w
    }

    /// Writes `nodes.csv`: `id:ID(Entity),:LABEL,name,kind,aliases:string[],sources:string[],
    /// source_count:int,mention_count:int`, then a typed column per optional attribute that at
    /// least one node has.
    pub fn write_nodes(&mut self, graph: &KnowledgeGraph) -> io::Result<()> {
        let attrs = present_attrs(graph);
        let mut csv = CsvFields::new(&mut self.w, false);
        for h in [
            "id:ID(Entity)",
            ":LABEL",
            "name",
            "kind",
            "aliases:string[]",
            "sources:string[]",
            "source_count:int",
            "mention_count:int",
        ] {
            csv.field(h)?;
        }
        for attr in &attrs {
            csv.field(&attr.neo4j_header())?;
        }
        csv.end_record()?;
        for node in graph.nodes() {
            write_node(&mut csv, node, &attrs)?;
        }
        Ok(())
    }

    /// Writes `relationships.csv`: `:START_ID(Entity),:END_ID(Entity),:TYPE,rel_id,weight:double,
    /// sources:string[],source_count:int,evidence_json`.
    pub fn write_relationships(&mut self, graph: &KnowledgeGraph) -> io::Result<()> {
        let mut csv = CsvFields::new(&mut self.w, false);
        for h in [
            ":START_ID(Entity)",
            ":END_ID(Entity)",
            ":TYPE",
            "rel_id",
            "weight:double",
            "sources:string[]",
            "source_count:int",
            "evidence_json",
        ] {
            csv.field(h)?;
        }
        csv.end_record()?;
        let mut evidence = EvidenceCache::new(EvidenceStyle::Csv { gephi: false });
        for edge in graph.edges() {
            csv.field(&edge.source)?;
            csv.field(&edge.target)?;
            csv.field(&edge.rel)?;
            csv.field(&edge.id)?;
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

    /// Writes `import.sh`: a POSIX shell script running `neo4j-admin database import full` on
    /// `nodes.csv` and `relationships.csv` (found beside the script) into a database.
    pub fn write_import_sh(&mut self, meta: &Meta) -> io::Result<()> {
        writeln!(
            self.w,
            "#!/bin/sh\n# {}: bulk import of nodes.csv and relationships.csv with neo4j-admin (Neo4j 5).",
            clean_name(meta.generator)
        )?;
        self.w.write_all(IMPORT_SH.as_bytes())
    }

    /// Writes `load.cypher`: the uniqueness constraint (which is also the index `MERGE` uses),
    /// one `MERGE` of the nodes on `id` with
    /// the kind label set per kind, and one `MERGE` per relationship type present, keyed on
    /// `rel_id`, each batched with `CALL { WITH row ... } IN TRANSACTIONS`.
    pub fn write_load_cypher(&mut self, graph: &KnowledgeGraph, meta: &Meta) -> io::Result<()> {
        let attrs = present_attrs(graph);
        let w = &mut self.w;
        writeln!(
            w,
            "// {}: load nodes.csv and relationships.csv (copy them into Neo4j's import directory).",
            clean_name(meta.generator)
        )?;
        w.write_all(
            b"// Neo4j 5 Cypher, no plugins. Nodes are merged on id and relationships on rel_id, so running the\n\
              // script again changes nothing and parallel relationships of different types are all kept.\n\
              CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;\n\
              \n\
              LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row\n\
              CALL {\n  WITH row\n  MERGE (n:Entity {id: row.`id:ID(Entity)`})\n",
        )?;

        // The SET clause: groups of assignments, each group starting a line, filled up to WIDTH.
        let mut items: Vec<(u8, String)> = vec![
            (0, "n.name = row.name".into()),
            (0, "n.kind = row.kind".into()),
            (1, "n.aliases = split(row.`aliases:string[]`, ';')".into()),
            (1, "n.sources = split(row.`sources:string[]`, ';')".into()),
            (
                1,
                "n.source_count = toInteger(row.`source_count:int`)".into(),
            ),
            (
                1,
                "n.mention_count = toInteger(row.`mention_count:int`)".into(),
            ),
        ];
        for &attr in &attrs {
            items.push((2 + attr.group(), assignment(attr)));
        }
        for line in fill_lines(&items, "  SET ", WIDTH) {
            writeln!(w, "{line}")?;
        }
        for kind in NodeKind::ALL {
            writeln!(
                w,
                "  FOREACH (_ IN CASE WHEN row.kind = '{}' THEN [1] ELSE [] END | SET n:{})",
                kind.as_str(),
                kind.label()
            )?;
        }
        w.write_all(b"} IN TRANSACTIONS OF 10000 ROWS;\n")?;

        let types: BTreeSet<&str> = graph.edges().map(|e| e.rel.as_str()).collect();
        if !types.is_empty() {
            w.write_all(
                b"\n// One statement per relationship type (a type cannot be a parameter before Neo4j 5.26).\n",
            )?;
        }
        for (i, rel) in types.into_iter().enumerate() {
            if i > 0 {
                w.write_all(b"\n")?;
            }
            // `rel` is upper snake case (checked by `export::validate`): safe in a literal and
            // as a bare type name.
            write!(
                w,
                "LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row\n\
                 WITH row WHERE row.`:TYPE` = '{rel}'\n\
                 CALL {{\n  WITH row\n  \
                 MATCH (a:Entity {{id: row.`:START_ID(Entity)`}}), (b:Entity {{id: row.`:END_ID(Entity)`}})\n  \
                 MERGE (a)-[r:{rel} {{rel_id: row.rel_id}}]->(b)\n  \
                 SET r.weight = toFloat(row.`weight:double`), r.sources = split(row.`sources:string[]`, ';'),\n      \
                 r.source_count = toInteger(row.`source_count:int`), r.evidence_json = row.evidence_json\n\
                 }} IN TRANSACTIONS OF 10000 ROWS;\n"
            )?;
        }
        write_sweep(w, &export_stamp(graph), graph.edge_count() > 0)
    }
}

/// A stamp of what the export holds: `g-` and the first 16 hex digits of the SHA-256 of every
/// node id and edge id (in id order, each ended by U+001F). Two exports with the same nodes and
/// edges have the same stamp.
pub fn export_stamp(graph: &KnowledgeGraph) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for n in graph.nodes() {
        h.update(n.id.as_bytes());
        h.update([0x1f]);
    }
    h.update([0x1e]);
    for e in graph.edges() {
        h.update(e.id.as_bytes());
        h.update([0x1f]);
    }
    let digest = h.finalize();
    let mut out = String::from("g-");
    for b in &digest[..8] {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The end of `load.cypher`: stamps every node and relationship of this export, then deletes the
/// `Entity` nodes and relationships an earlier load left that this export no longer has (nodes
/// joined into others by a later batch, and the relationships that moved with them), so that
/// loading batch 2 on top of batch 1 gives the graph of batch 2's export.
fn write_sweep<W: Write>(w: &mut W, stamp: &str, edges: bool) -> io::Result<()> {
    // `stamp` is `g-` and hex digits: safe in a literal.
    write!(
        w,
        "\n// An export holds the whole graph (a later batch's export includes the earlier ones): stamp what\n\
         // it holds, then delete what an earlier load left that it no longer has (nodes joined into others,\n\
         // listed in report.json's redirects, and relationships whose ends moved).\n\
         LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row\n\
         CALL {{\n  WITH row\n  \
         MATCH (n:Entity {{id: row.`id:ID(Entity)`}})\n  \
         SET n.newsgraph_export = '{stamp}'\n\
         }} IN TRANSACTIONS OF 10000 ROWS;\n"
    )?;
    if edges {
        write!(
            w,
            "\n\
         LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row\n\
         CALL {{\n  WITH row\n  \
         MATCH (:Entity {{id: row.`:START_ID(Entity)`}})-[r {{rel_id: row.rel_id}}]->(:Entity {{id: row.`:END_ID(Entity)`}})\n  \
         SET r.newsgraph_export = '{stamp}'\n\
         }} IN TRANSACTIONS OF 10000 ROWS;\n"
        )?;
    }
    write!(
        w,
        "\n\
         MATCH (n:Entity) WHERE n.newsgraph_export <> '{stamp}'\n\
         CALL {{\n  WITH n\n  DETACH DELETE n\n}} IN TRANSACTIONS OF 10000 ROWS;\n\
         \n\
         MATCH (:Entity)-[r]->(:Entity) WHERE r.newsgraph_export <> '{stamp}'\n\
         CALL {{\n  WITH r\n  DELETE r\n}} IN TRANSACTIONS OF 10000 ROWS;\n"
    )
}

fn write_node<W: Write>(csv: &mut CsvFields<W>, node: &Node, attrs: &[Attr]) -> io::Result<()> {
    csv.field(&node.id)?;
    csv.field(&node.kind.labels().join(";"))?;
    csv.field(&clean_name(&node.label))?;
    csv.field(node.kind.as_str())?;
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

/// `n.<property> = <value of the column>`, converted by the column's type.
fn assignment(attr: Attr) -> String {
    let header = attr.neo4j_header();
    let column = if header
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        format!("row.{header}")
    } else {
        format!("row.`{header}`")
    };
    let value = match attr.ty() {
        AttrType::Double => format!("toFloat({column})"),
        AttrType::Long => format!("toInteger({column})"),
        AttrType::List => format!("split({column}, ';')"),
        AttrType::String | AttrType::Json => column,
    };
    format!("n.{} = {value}", attr.property())
}

/// Lays out `items` as `first` + items separated by `, `: a new line (indented as wide as
/// `first`) at each change of group, and whenever the line would grow wider than `width`.
fn fill_lines(items: &[(u8, String)], first: &str, width: usize) -> Vec<String> {
    let indent = " ".repeat(first.len());
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut group = None;
    for (i, (g, item)) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() {
            format!("{item},")
        } else {
            item.clone()
        };
        let fits = indent.len() + line.chars().count() + 1 + piece.chars().count() <= width;
        if group == Some(*g) && fits {
            line.push(' ');
            line.push_str(&piece);
        } else {
            if group.is_some() {
                lines.push(line);
            }
            line = piece;
            group = Some(*g);
        }
    }
    if group.is_some() {
        lines.push(line);
    }
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| format!("{}{l}", if i == 0 { first } else { &indent }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_breaks_at_groups_and_width() {
        let items = vec![
            (0, "a = 1".to_string()),
            (0, "b = 2".to_string()),
            (1, "c = 3".to_string()),
            (1, "d".repeat(20)),
        ];
        assert_eq!(
            fill_lines(&items, "  SET ", 20),
            vec![
                "  SET a = 1, b = 2,".to_string(),
                "      c = 3,".to_string(),
                format!("      {}", "d".repeat(20)),
            ]
        );
    }

    #[test]
    fn empty_graph_cypher_has_no_relationship_statements() {
        let mut w = Neo4jWriter::new(Vec::new());
        let meta = Meta {
            generator: "newsgraph 0.1.0",
            schema_version: 1,
        };
        w.write_load_cypher(&KnowledgeGraph::new(), &meta).unwrap();
        let text = String::from_utf8(w.into_inner()).unwrap();
        assert!(text.contains("MERGE (n:Entity"));
        assert!(!text.contains("relationships.csv' AS row"));
        assert!(text.ends_with("  DELETE r\n} IN TRANSACTIONS OF 10000 ROWS;\n"));
    }
}
