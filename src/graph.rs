//! The knowledge graph: nodes and edges keyed by stable string ids.
//!
//! The graph is held in a [`petgraph::stable_graph::StableDiGraph`] with an index from node id to
//! node, and from `(type, source, target)` to edge, so that there is exactly one edge per relation
//! type between two nodes. Every iteration used by the writers ([`KnowledgeGraph::nodes`],
//! [`KnowledgeGraph::edges`]) is in id order, so exports never depend on insertion or hash order.

use std::collections::BTreeMap;
use std::sync::Arc;

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    Person,
    Group,
    Place,
    Attack,
    Document,
}

impl NodeKind {
    /// Every kind, in the order used for label lists in `load.cypher`.
    pub const ALL: [NodeKind; 5] = [
        NodeKind::Attack,
        NodeKind::Document,
        NodeKind::Group,
        NodeKind::Person,
        NodeKind::Place,
    ];

    /// The lower-case kind name used in ids and the `kind` attribute (`person`).
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Person => "person",
            NodeKind::Group => "group",
            NodeKind::Place => "place",
            NodeKind::Attack => "attack",
            NodeKind::Document => "document",
        }
    }

    /// The capitalised label used in `labels` (`Person`).
    pub fn label(self) -> &'static str {
        match self {
            NodeKind::Person => "Person",
            NodeKind::Group => "Group",
            NodeKind::Place => "Place",
            NodeKind::Attack => "Attack",
            NodeKind::Document => "Document",
        }
    }

    /// The node labels, `["Entity", "<Kind>"]`.
    pub fn labels(self) -> [&'static str; 2] {
        ["Entity", self.label()]
    }
}

/// A span of one document's text: `{"doc","start","end","text"}` (character offsets).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TextRef {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A span inside a frame, whose document is the frame's: `{"text","start","end"}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// One evidence sentence of an edge: `{"doc","start","end","quote"}`.
///
/// The quote is shared (`Arc<str>`): one sentence is the evidence of every pair of entities it
/// mentions (`CO_OCCURS`), and is held once however many edges quote it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Evidence {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub quote: Arc<str>,
}

/// Why a surface form was merged into a node.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Merge {
    /// The surface form that was merged in.
    pub alias: String,
    /// The rule that merged it (`parenthetical-acronym`, `alias-table`, `surname`, ...).
    pub rule: String,
    /// Where the rule found its reason.
    pub evidence: MergeEvidence,
}

/// The reason behind a merge: a span of text, or an entry of a lexicon table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MergeEvidence {
    Text(TextRef),
    Table { table: String, entry: String },
    Rule { detail: String },
}

/// How a reported number is qualified in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Exact,
    AtLeast,
    AtMost,
    About,
    Over,
}

/// One source's figure for a count (`killed`, `injured`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FigureReport {
    pub doc: String,
    pub value: u64,
    pub qualifier: Qualifier,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Every report of one count, with min, max and the reconciled value and the rule that chose it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub reports: Vec<FigureReport>,
    pub min: u64,
    pub max: u64,
    pub reconciled: u64,
    pub rule: String,
}

/// What one document says about an attack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    pub doc: String,
    pub trigger: Span,
    pub attacker: Vec<Span>,
    pub target: Vec<Span>,
    pub victim: Vec<Span>,
    pub place: Vec<Span>,
    pub instrument: Vec<Span>,
}

/// Gazetteer attributes of a place.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PlaceInfo {
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geonames_id: Option<u64>,
}

/// Attributes of an attack node.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AttackInfo {
    /// ISO 8601 date (`2024-03-22`), or a year or year-month when that is all that is known.
    pub date: Option<String>,
    pub date_source: Option<TextRef>,
    /// Id of the place node.
    pub place: Option<String>,
    pub method: Option<String>,
    pub killed: Option<Figure>,
    pub injured: Option<Figure>,
    pub frames: Vec<Frame>,
    /// The strongest status among `perpetrators`: `claimed`, then `perpetrated`, `suspected`,
    /// `denied`; `None` when no source names anybody.
    pub responsibility: Option<String>,
    /// Who the sources say is behind the attack, and how (from the `CLAIMED_RESPONSIBILITY`,
    /// `PERPETRATED`, `SUSPECTED_OF` and `DENIED` edges into it), strongest status first.
    pub perpetrators: Vec<Perpetrator>,
    /// Node ids of the channels claims went out through (`CLAIMED_VIA` edges).
    pub claimed_via: Vec<String>,
}

/// One actor of an attack's `perpetrators`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Perpetrator {
    /// The group (or person) node id.
    pub node: String,
    /// `claimed`, `perpetrated`, `suspected` or `denied`.
    pub status: String,
    /// The documents that say so.
    pub sources: Vec<String>,
}

/// Attributes of a document node.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub doc: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
}

/// A node of the graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// `<kind>:<slug>`, NMTOKEN-safe and stable.
    pub id: String,
    pub kind: NodeKind,
    /// Display name.
    pub label: String,
    /// Every surface form merged into the node, sorted, without duplicates.
    pub aliases: Vec<String>,
    /// Document ids, sorted, without duplicates.
    pub sources: Vec<String>,
    /// Every mention in document order (document id, then offset).
    pub mentions: Vec<TextRef>,
    /// Why aliases were merged.
    pub merges: Vec<Merge>,
    pub place: Option<PlaceInfo>,
    pub attack: Option<AttackInfo>,
    pub document: Option<DocumentInfo>,
    /// Ids this node had in earlier exports (`merge --previous`): the ids of nodes that were
    /// joined into it, sorted. Empty for a graph built in one go.
    pub former_ids: Vec<String>,
}

impl Node {
    /// A node with no attributes beyond its id, kind and label.
    pub fn new(id: impl Into<String>, kind: NodeKind, label: impl Into<String>) -> Node {
        Node {
            id: id.into(),
            kind,
            label: label.into(),
            aliases: Vec::new(),
            sources: Vec::new(),
            mentions: Vec::new(),
            merges: Vec::new(),
            place: None,
            attack: None,
            document: None,
            former_ids: Vec::new(),
        }
    }

    /// Number of mentions, or `None` for document nodes, which have none.
    pub fn mention_count(&self) -> Option<usize> {
        match self.kind {
            NodeKind::Document => None,
            _ => Some(self.mentions.len()),
        }
    }
}

/// An edge: one per (type, source, target), aggregating the documents and sentences behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    /// `e-<16 hex digits>`, from [`edge_id`].
    pub id: String,
    /// Upper snake case relation type (`CLAIMED_RESPONSIBILITY`).
    pub rel: String,
    pub source: String,
    pub target: String,
    /// Number of evidence sentences.
    pub weight: f64,
    /// Document ids, sorted, without duplicates.
    pub sources: Vec<String>,
    /// Evidence sentences, sorted by (doc, start).
    pub evidence: Vec<Evidence>,
}

impl Edge {
    /// The edge (rel, source, target) with this evidence: its id, its evidence sorted and
    /// without duplicates, its sources and weight. `CO_OCCURS` is symmetric: its ends are put
    /// in id order. Pure, so that the edges of a merge can be built in parallel.
    pub fn from_evidence(rel: &str, source: &str, target: &str, evidence: Vec<Evidence>) -> Edge {
        let (source, target) = if stored_reversed(rel, source, target) {
            (target, source)
        } else {
            (source, target)
        };
        let mut edge = Edge {
            id: edge_id(rel, source, target),
            rel: rel.to_string(),
            source: source.to_string(),
            target: target.to_string(),
            weight: 0.0,
            sources: Vec::new(),
            evidence,
        };
        edge.settle();
        edge
    }

    /// Sorts and dedups the evidence, and derives the sources and the weight from it.
    fn settle(&mut self) {
        self.evidence.sort();
        self.evidence.dedup();
        self.sources = self.evidence.iter().map(|e| e.doc.clone()).collect();
        self.sources.dedup();
        self.weight = self.evidence.len() as f64;
    }
}

/// Is the edge (rel, source, target) stored the other way round? `CO_OCCURS` is symmetric and
/// kept once, with the smaller id as its source.
pub fn stored_reversed(rel: &str, source: &str, target: &str) -> bool {
    rel == "CO_OCCURS" && source > target
}

/// FNV-1a 64-bit hash: fixed, documented and identical on every machine.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The stable edge id: `e-` and the first 16 hex digits of the SHA-256 of `type`, `source` and
/// `target` joined by U+001F.
pub fn edge_id(rel: &str, source: &str, target: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(rel.as_bytes());
    h.update([0x1f]);
    h.update(source.as_bytes());
    h.update([0x1f]);
    h.update(target.as_bytes());
    let digest = h.finalize();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(18);
    out.push_str("e-");
    for b in &digest[..8] {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

/// The knowledge graph.
#[derive(Debug, Default, Clone)]
pub struct KnowledgeGraph {
    graph: StableDiGraph<Node, Edge>,
    nodes: BTreeMap<String, NodeIndex>,
    edges: BTreeMap<String, EdgeIndex>,
}

impl KnowledgeGraph {
    pub fn new() -> KnowledgeGraph {
        KnowledgeGraph::default()
    }

    /// Makes room for `nodes` more nodes and `edges` more edges, exactly: a graph built in one
    /// go does not grow its storage by doubling (and copying) it.
    pub fn reserve_exact(&mut self, nodes: usize, edges: usize) {
        self.graph.reserve_exact_nodes(nodes);
        self.graph.reserve_exact_edges(edges);
    }

    /// Adds a node, or replaces the node with the same id.
    pub fn upsert_node(&mut self, node: Node) -> NodeIndex {
        if let Some(&ix) = self.nodes.get(&node.id) {
            self.graph[ix] = node;
            ix
        } else {
            let id = node.id.clone();
            let ix = self.graph.add_node(node);
            self.nodes.insert(id, ix);
            ix
        }
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.get(id).map(|&ix| &self.graph[ix])
    }

    pub fn node_mut(&mut self, id: &str) -> Option<&mut Node> {
        self.nodes.get(id).map(|&ix| &mut self.graph[ix])
    }

    /// Adds evidence to the edge (rel, source, target), creating it if needed. Both nodes must
    /// exist; returns `false` (and adds nothing) when one does not. `CO_OCCURS` edges are
    /// symmetric and are stored once, with source id < target id.
    pub fn add_edge_evidence(
        &mut self,
        rel: &str,
        source: &str,
        target: &str,
        evidence: impl IntoIterator<Item = Evidence>,
    ) -> bool {
        self.add_edge(Edge::from_evidence(
            rel,
            source,
            target,
            evidence.into_iter().collect(),
        ))
    }

    /// Adds an edge made by [`Edge::from_evidence`]; when the graph has an edge with its id
    /// already, the evidence of both is combined as [`Self::add_edge_evidence`] would. Both
    /// nodes must exist; returns `false` (and adds nothing) when one does not.
    pub fn add_edge(&mut self, edge: Edge) -> bool {
        let (Some(&a), Some(&b)) = (self.nodes.get(&edge.source), self.nodes.get(&edge.target))
        else {
            return false;
        };
        match self.edges.get(&edge.id) {
            Some(&ix) => {
                let old = &mut self.graph[ix];
                old.evidence.extend(edge.evidence);
                old.settle();
            }
            None => {
                let id = edge.id.clone();
                let ix = self.graph.add_edge(a, b, edge);
                self.edges.insert(id, ix);
            }
        }
        true
    }

    /// Adds many edges made by [`Edge::from_evidence`], as [`Self::add_edge`] one after the
    /// other would. Into a graph without edges, the id index is built once from a sorted list
    /// instead of edge by edge (edges with the same id are combined into the first).
    pub fn add_edges(&mut self, edges: impl IntoIterator<Item = Edge>) {
        if !self.edges.is_empty() {
            for edge in edges {
                self.add_edge(edge);
            }
            return;
        }
        let mut index: Vec<(String, EdgeIndex)> = Vec::new();
        for edge in edges {
            let (Some(&a), Some(&b)) = (self.nodes.get(&edge.source), self.nodes.get(&edge.target))
            else {
                continue;
            };
            let id = edge.id.clone();
            index.push((id, self.graph.add_edge(a, b, edge)));
        }
        // Stable: of edges with one id, the first added comes first and keeps the others'
        // evidence.
        index.par_sort_by(|x, y| x.0.cmp(&y.0));
        index.dedup_by(|later, first| {
            if later.0 != first.0 {
                return false;
            }
            if let Some(edge) = self.graph.remove_edge(later.1) {
                let kept = &mut self.graph[first.1];
                kept.evidence.extend(edge.evidence);
                kept.settle();
            }
            true
        });
        self.edges = index.into_iter().collect();
    }

    /// Inserts a whole edge as it is (its id, weight, sources and evidence kept), replacing the
    /// edge with the same id; used to read an export back. Both nodes must exist; returns
    /// `false` (and inserts nothing) when one does not.
    pub fn insert_edge(&mut self, edge: Edge) -> bool {
        let (Some(&a), Some(&b)) = (self.nodes.get(&edge.source), self.nodes.get(&edge.target))
        else {
            return false;
        };
        if let Some(ix) = self.edges.remove(&edge.id) {
            self.graph.remove_edge(ix);
        }
        let id = edge.id.clone();
        let ix = self.graph.add_edge(a, b, edge);
        self.edges.insert(id, ix);
        true
    }

    /// Every node, mutably, in no particular order (the id must not be changed).
    pub fn nodes_mut(&mut self) -> impl Iterator<Item = &mut Node> {
        self.graph.node_weights_mut()
    }

    /// Nodes in id order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.nodes.values().map(|&ix| &self.graph[ix])
    }

    /// Edges in id order.
    pub fn edges(&self) -> impl Iterator<Item = &Edge> {
        self.edges.values().map(|&ix| &self.graph[ix])
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// The same graph with node ids replaced as `rename` says (ids it does not list are kept).
    /// Edges follow their nodes and get the ids of their new (type, source, target); `rename`
    /// must not map two nodes to one id. Also returns the edge ids that changed (old -> new).
    pub fn renamed(
        mut self,
        rename: &BTreeMap<String, String>,
    ) -> (KnowledgeGraph, BTreeMap<String, String>) {
        let new_id = |id: &String| rename.get(id).unwrap_or(id).clone();
        let edges: Vec<Edge> = std::mem::take(&mut self.edges)
            .into_values()
            .filter_map(|ix| self.graph.remove_edge(ix))
            .collect();
        let mut out = KnowledgeGraph::new();
        for ix in std::mem::take(&mut self.nodes).into_values() {
            if let Some(mut node) = self.graph.remove_node(ix) {
                node.id = new_id(&node.id);
                out.upsert_node(node);
            }
        }
        let mut changed = BTreeMap::new();
        for mut edge in edges {
            let (mut source, mut target) = (new_id(&edge.source), new_id(&edge.target));
            if stored_reversed(&edge.rel, &source, &target) {
                std::mem::swap(&mut source, &mut target);
            }
            let id = edge_id(&edge.rel, &source, &target);
            if id != edge.id {
                let old = std::mem::replace(&mut edge.id, id.clone());
                changed.insert(old, id);
            }
            edge.source = source;
            edge.target = target;
            out.insert_edge(edge);
        }
        (out, changed)
    }

    /// The underlying petgraph graph, for graph algorithms (degree, components, ...).
    pub fn petgraph(&self) -> &StableDiGraph<Node, Edge> {
        &self.graph
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(doc: &str, start: usize) -> Evidence {
        Evidence {
            doc: doc.into(),
            start,
            end: start + 1,
            quote: "x".into(),
        }
    }

    /// The edges of `g` as (id, rel, source, target, evidence), in graph order.
    fn edge_rows(g: &KnowledgeGraph) -> Vec<(String, String, String, String, Vec<Evidence>)> {
        g.edges()
            .map(|e| {
                let e = e.clone();
                (e.id, e.rel, e.source, e.target, e.evidence)
            })
            .collect()
    }

    #[test]
    fn add_edges_is_add_edge_one_after_the_other() {
        let graph = || {
            let mut g = KnowledgeGraph::default();
            for id in ["group:a", "place:b", "person:c"] {
                g.upsert_node(Node::new(id, NodeKind::Group, id));
            }
            g
        };
        let batches = [
            // Distinct edges, one with an end that does not exist.
            vec![
                Edge::from_evidence("CO_OCCURS", "place:b", "group:a", vec![ev("d2", 5)]),
                Edge::from_evidence("LEADS", "person:c", "group:a", vec![ev("d1", 1)]),
                Edge::from_evidence("LEADS", "person:x", "group:a", vec![ev("d1", 1)]),
            ],
            // The same edge twice: its evidence is combined.
            vec![
                Edge::from_evidence("CO_OCCURS", "group:a", "place:b", vec![ev("d2", 5)]),
                Edge::from_evidence("CO_OCCURS", "place:b", "group:a", vec![ev("d1", 3)]),
            ],
        ];
        for batch in batches {
            let mut one_by_one = graph();
            for e in batch.clone() {
                one_by_one.add_edge(e);
            }
            let mut at_once = graph();
            at_once.add_edges(batch);
            assert_eq!(edge_rows(&at_once), edge_rows(&one_by_one));
            assert_eq!(at_once.graph.edge_count(), at_once.edge_count());
        }
    }

    #[test]
    fn edge_ids_are_stable_and_nmtoken_safe() {
        let id = edge_id("CO_OCCURS", "group:a", "place:b");
        assert_eq!(id, edge_id("CO_OCCURS", "group:a", "place:b"));
        assert_ne!(id, edge_id("OCCURRED_IN", "group:a", "place:b"));
        assert_eq!(id.len(), 18);
        assert!(id.starts_with("e-"));
        // The contract example's key for this edge.
        assert_eq!(
            edge_id(
                "SUSPECTED_OF",
                "group:isis-k",
                "attack:2024-03-22-krasnogorsk"
            ),
            "e-10c29b30c9eb6c62"
        );
        // Known value of FNV-1a 64 for the empty input.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn one_edge_per_type_source_target_aggregating_evidence() {
        let mut g = KnowledgeGraph::new();
        g.upsert_node(Node::new("group:a", NodeKind::Group, "A"));
        g.upsert_node(Node::new("place:b", NodeKind::Place, "B"));
        assert!(g.add_edge_evidence("CO_OCCURS", "place:b", "group:a", [ev("d2", 5)]));
        assert!(g.add_edge_evidence(
            "CO_OCCURS",
            "group:a",
            "place:b",
            [ev("d1", 0), ev("d2", 5)]
        ));
        assert!(g.add_edge_evidence("OPERATES_IN", "group:a", "place:b", [ev("d1", 0)]));
        assert!(!g.add_edge_evidence("OPERATES_IN", "group:a", "place:zzz", [ev("d1", 0)]));
        assert_eq!(g.edge_count(), 2);
        let co = g.edges().find(|e| e.rel == "CO_OCCURS").unwrap();
        assert_eq!(co.source, "group:a");
        assert_eq!(co.sources, vec!["d1", "d2"]);
        assert_eq!(co.weight, 2.0);
    }
}
