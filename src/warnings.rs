//! Quality warnings: things in the graph a reviewer should look at (`report.json` `warnings`,
//! `newsgraph stats`). Computed from the merged graph alone, so they are the same for `build`
//! and for `extract` + `merge`.
//!
//! Each kind found gives one summary warning (no `node`/`edge`; its message starts with the
//! count) and at most [`EXAMPLES`] example warnings, in a fixed order, so that `report.json`
//! stays small on a large corpus. The kinds are listed in [`KINDS`] and in `docs/formats.md`.

use crate::graph::{Edge, KnowledgeGraph, Node, NodeKind};
use crate::report::{Conflict, Warning};
use crate::resolve::collapse_ws;

/// At most this many example warnings per kind.
pub const EXAMPLES: usize = 10;

/// An entity with at least this many surface forms gets a `many-surface-forms` warning.
pub const MANY_SURFACE_FORMS: usize = 5;

/// Every warning kind, in the order they are written.
pub const KINDS: [&str; 5] = [
    "many-surface-forms",
    "single-source-edge",
    "conflicting-figures",
    "unresolved-place",
    "evidence-lacks-name",
];

/// Relation types that are not checked for single sources or names in their evidence:
/// `CO_OCCURS` (a sentence holding both names is its definition) and `MENTIONS` (document
/// nodes have no name in the text).
fn is_structural(rel: &str) -> bool {
    rel == "CO_OCCURS" || rel == "MENTIONS"
}

/// One kind's findings: (sort key, warning), sorted before the examples are cut.
struct Found {
    kind: &'static str,
    summary: String,
    items: Vec<(String, Warning)>,
}

impl Found {
    fn new(kind: &'static str, summary: String) -> Found {
        Found {
            kind,
            summary,
            items: Vec::new(),
        }
    }

    fn push(&mut self, key: String, node: Option<&str>, edge: Option<&str>, message: String) {
        self.items.push((
            key,
            Warning {
                kind: self.kind.to_string(),
                node: node.map(str::to_string),
                edge: edge.map(str::to_string),
                message,
            },
        ));
    }

    fn finish(mut self, out: &mut Vec<Warning>) {
        if self.items.is_empty() {
            return;
        }
        self.items.sort_by(|a, b| a.0.cmp(&b.0));
        let n = self.items.len();
        let listed = if n > EXAMPLES {
            format!("; the first {EXAMPLES} are listed")
        } else {
            String::new()
        };
        out.push(Warning {
            kind: self.kind.to_string(),
            node: None,
            edge: None,
            message: format!("{n} {}{listed}", self.summary),
        });
        out.extend(self.items.into_iter().take(EXAMPLES).map(|(_, w)| w));
    }
}

/// A descending count as a sort key (largest first), then `id`.
fn by_count_desc(count: usize, id: &str) -> String {
    format!("{:020}\u{1f}{id}", u64::MAX as u128 - count as u128)
}

/// Computes every warning of `graph` (and of its figure `conflicts`).
pub fn compute(graph: &KnowledgeGraph, conflicts: &[Conflict]) -> Vec<Warning> {
    let mut out = Vec::new();

    let mut many = Found::new(
        KINDS[0],
        format!(
            "entities have {MANY_SURFACE_FORMS} or more surface forms: check that they are one thing"
        ),
    );
    for node in graph.nodes() {
        if matches!(node.kind, NodeKind::Attack | NodeKind::Document) {
            continue;
        }
        let n = node.aliases.len();
        if n >= MANY_SURFACE_FORMS {
            let shown: Vec<&str> = node.aliases.iter().take(8).map(String::as_str).collect();
            let more = if n > shown.len() { ", ..." } else { "" };
            many.push(
                by_count_desc(n, &node.id),
                Some(&node.id),
                None,
                format!(
                    "{} has {n} surface forms: {}{more}",
                    node.id,
                    shown.join(", ")
                ),
            );
        }
    }
    many.finish(&mut out);

    let relations = graph.edges().filter(|e| !is_structural(&e.rel)).count();
    let mut single = Found::new(
        KINDS[1],
        format!(
            "of {relations} relation edges (CO_OCCURS and MENTIONS not counted) rest on one document only"
        ),
    );
    for edge in graph.edges() {
        if is_structural(&edge.rel) || edge.sources.len() != 1 {
            continue;
        }
        single.push(
            format!("{}\u{1f}{}\u{1f}{}", edge.rel, edge.source, edge.target),
            None,
            Some(&edge.id),
            format!(
                "{} {} -> {} rests on one document: {}",
                edge.rel, edge.source, edge.target, edge.sources[0]
            ),
        );
    }
    single.finish(&mut out);

    let mut conflicting = Found::new(
        KINDS[2],
        "attack figures are reported differently by different sources".into(),
    );
    for c in conflicts {
        let values: Vec<String> = c.values.iter().map(u64::to_string).collect();
        conflicting.push(
            format!("{}\u{1f}{}", c.node, c.field),
            Some(&c.node),
            None,
            format!(
                "{} {}: sources report {}; {} was kept ({})",
                c.node,
                c.field,
                values.join(", "),
                c.reconciled,
                c.rule
            ),
        );
    }
    conflicting.finish(&mut out);

    let mut unresolved = Found::new(KINDS[3], "places are not resolved to GeoNames".into());
    for node in graph.nodes() {
        if node.kind != NodeKind::Place {
            continue;
        }
        if node.place.as_ref().and_then(|p| p.geonames_id).is_none() {
            unresolved.push(
                by_count_desc(node.mentions.len(), &node.id),
                Some(&node.id),
                None,
                format!(
                    "{} ({:?}, {} mentions) has no GeoNames id",
                    node.id,
                    node.label,
                    node.mentions.len()
                ),
            );
        }
    }
    unresolved.finish(&mut out);

    let mut lacking = Found::new(
        KINDS[4],
        "relation edges have an evidence sentence that does not name one of their two ends".into(),
    );
    for edge in graph.edges() {
        if is_structural(&edge.rel) {
            continue;
        }
        let (Some(a), Some(b)) = (graph.node(&edge.source), graph.node(&edge.target)) else {
            continue;
        };
        if a.kind == NodeKind::Document || b.kind == NodeKind::Document {
            continue;
        }
        if let Some((missing, ev)) = first_lacking(edge, a, b) {
            lacking.push(
                format!("{}\u{1f}{}\u{1f}{}", edge.rel, edge.source, edge.target),
                None,
                Some(&edge.id),
                format!(
                    "{} {} -> {}: the sentence of {} at {}..{} does not name {}",
                    edge.rel, edge.source, edge.target, ev.doc, ev.start, ev.end, missing
                ),
            );
        }
    }
    lacking.finish(&mut out);
    out
}

/// The names of a node as they appear in text, normalised: its aliases and label, and for an
/// attack its trigger mentions.
fn names(node: &Node) -> Vec<String> {
    let mut names: Vec<String> = node
        .aliases
        .iter()
        .chain(std::iter::once(&node.label))
        .map(|s| norm(s))
        .collect();
    if node.kind == NodeKind::Attack {
        names.extend(node.mentions.iter().map(|m| norm(&m.text)));
        if let Some(a) = &node.attack {
            names.extend(a.frames.iter().map(|f| norm(&f.trigger.text)));
        }
    }
    names.retain(|n| !n.is_empty());
    names.sort();
    names.dedup();
    names
}

fn norm(s: &str) -> String {
    collapse_ws(s).to_lowercase()
}

/// The first evidence sentence of `edge` lacking a name of `a` or `b`, with the id of the node
/// it does not name.
fn first_lacking<'e>(
    edge: &'e Edge,
    a: &Node,
    b: &Node,
) -> Option<(String, &'e crate::graph::Evidence)> {
    let (na, nb) = (names(a), names(b));
    for ev in &edge.evidence {
        let quote = norm(&ev.quote);
        for (node, ns) in [(a, &na), (b, &nb)] {
            if !ns.iter().any(|n| quote.contains(n.as_str())) {
                return Some((node.id.clone(), ev));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Evidence, PlaceInfo};

    fn node(id: &str, kind: NodeKind, aliases: &[&str]) -> Node {
        let mut n = Node::new(id, kind, aliases.first().copied().unwrap_or(id));
        n.aliases = aliases.iter().map(|s| s.to_string()).collect();
        n
    }

    #[test]
    fn finds_each_kind_with_a_summary_and_bounded_examples() {
        let mut g = KnowledgeGraph::new();
        g.upsert_node(node(
            "group:is",
            NodeKind::Group,
            &["IS", "ISIS", "ISIL", "Islamic State", "Daesh"],
        ));
        let mut kabul = node("place:kabul", NodeKind::Place, &["Kabul"]);
        kabul.place = Some(PlaceInfo {
            geonames_id: Some(1138958),
            ..PlaceInfo::default()
        });
        g.upsert_node(kabul);
        g.upsert_node(node("place:somewhere", NodeKind::Place, &["Somewhere"]));
        let ev = |quote: &str| Evidence {
            doc: "d1".into(),
            start: 0,
            end: quote.chars().count(),
            quote: quote.into(),
        };
        g.add_edge_evidence(
            "OPERATES_IN",
            "group:is",
            "place:kabul",
            [ev("Daesh fighters\nwere seen in kabul.")],
        );
        g.add_edge_evidence(
            "OPERATES_IN",
            "group:is",
            "place:somewhere",
            [ev("They were seen there.")],
        );
        for i in 0..(EXAMPLES + 3) {
            let id = format!("place:p{i:02}");
            g.upsert_node(node(&id, NodeKind::Place, &["P"]));
        }
        let conflicts = vec![Conflict {
            node: "attack:x".into(),
            field: "killed".into(),
            values: vec![3, 5],
            reconciled: 5,
            rule: "max".into(),
        }];
        let w = compute(&g, &conflicts);
        let kinds: Vec<&str> = w.iter().map(|w| w.kind.as_str()).collect();
        for k in KINDS {
            assert!(kinds.contains(&k), "{k} missing: {w:#?}");
        }
        let count = |k: &str| kinds.iter().filter(|x| **x == k).count();
        assert_eq!(count("unresolved-place"), 1 + EXAMPLES);
        assert!(w.iter().any(|w| w.kind == "unresolved-place"
            && w.node.is_none()
            && w.message.starts_with("14 places")));
        assert_eq!(count("evidence-lacks-name"), 2);
        assert_eq!(count("single-source-edge"), 3);
        assert_eq!(w, compute(&g, &conflicts));
    }
}
