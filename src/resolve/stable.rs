//! Stable ids across batches: `merge --previous` keeps the ids of an earlier export.
//!
//! Extraction is pure per document, so a document that was in the earlier export gives the same
//! mentions (document, start, end) again. Each node of the new graph therefore knows which
//! earlier nodes its mentions, attack frames and documents belonged to, and takes over an
//! earlier id:
//!
//! * every earlier node has one *heir*: the new node of its kind that holds most of its
//!   mentions (ties: the smallest new id);
//! * a new node that is the heir of one earlier node keeps that node's id; the heir of several
//!   (new documents joined them) keeps the id that holds most of its mentions (then the id
//!   the merge gave it, then the smallest), and the others
//!   become its `former_ids` and are listed as [`Redirect`]s;
//! * a new node that is no earlier node's heir keeps the id the merge gave it, unless an
//!   earlier export used that id (now or formerly) for something else: then it gets a short
//!   hash suffix, so that an id never changes its meaning.
//!
//! Edge ids follow from their endpoints, so the edges between kept nodes keep their ids too.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::graph::{KnowledgeGraph, Node, NodeKind, fnv1a64};

/// An earlier node id that now points to another node.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Redirect {
    /// The id in the earlier export.
    pub from: String,
    /// The node that holds its mentions now.
    pub to: String,
    pub reason: String,
}

/// What identifies a node's content across runs: a mention or attack trigger (document, start,
/// end), or a document id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Key {
    Span(String, usize, usize),
    Document(String),
}

fn keys(node: &Node) -> Vec<Key> {
    let mut out: Vec<Key> = node
        .mentions
        .iter()
        .map(|m| Key::Span(m.doc.clone(), m.start, m.end))
        .collect();
    if let Some(a) = &node.attack {
        out.extend(
            a.frames
                .iter()
                .map(|f| Key::Span(f.doc.clone(), f.trigger.start, f.trigger.end)),
        );
    }
    if let Some(d) = &node.document {
        out.push(Key::Document(d.doc.clone()));
    }
    out.sort();
    out.dedup();
    out
}

#[derive(Debug, Clone)]
struct EarlierNode {
    id: String,
    kind: NodeKind,
    former_ids: Vec<String>,
}

/// The ids of an earlier export, indexed by what their nodes hold.
#[derive(Debug, Clone, Default)]
pub struct PreviousIds {
    nodes: Vec<EarlierNode>,
    by_key: HashMap<Key, usize>,
    /// Every id the earlier export used, current or former.
    taken: BTreeSet<String>,
}

impl PreviousIds {
    /// Indexes the nodes of an earlier export (as read back from its `graph.json`).
    pub fn from_graph(graph: &KnowledgeGraph) -> PreviousIds {
        let mut out = PreviousIds::default();
        for node in graph.nodes() {
            let i = out.nodes.len();
            out.nodes.push(EarlierNode {
                id: node.id.clone(),
                kind: node.kind,
                former_ids: node.former_ids.clone(),
            });
            out.taken.insert(node.id.clone());
            out.taken.extend(node.former_ids.iter().cloned());
            for k in keys(node) {
                out.by_key.entry(k).or_insert(i);
            }
        }
        out
    }
}

/// The new ids: node renames (only the ids that change) and the redirects to report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pinning {
    pub rename: BTreeMap<String, String>,
    /// Former ids of each node, by its new id.
    pub former_ids: BTreeMap<String, Vec<String>>,
    pub redirects: Vec<Redirect>,
}

/// Decides the id of every node of `graph` so that the nodes of `previous` keep theirs.
pub fn pin(graph: &KnowledgeGraph, previous: &PreviousIds) -> Pinning {
    let nodes: Vec<&Node> = graph.nodes().collect();
    // How many keys of each earlier node every new node holds.
    let mut votes: Vec<BTreeMap<usize, usize>> = vec![BTreeMap::new(); nodes.len()];
    for (i, node) in nodes.iter().enumerate() {
        for k in keys(node) {
            if let Some(&o) = previous.by_key.get(&k)
                && previous.nodes[o].kind == node.kind
            {
                *votes[i].entry(o).or_default() += 1;
            }
        }
    }
    // The heir of each earlier node: most keys, then the smallest new id (nodes are in id order).
    let mut heir: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for (i, v) in votes.iter().enumerate() {
        for (&o, &count) in v {
            let best = heir.entry(o).or_insert((count, i));
            if count > best.0 {
                *best = (count, i);
            }
        }
    }
    let mut inherited: Vec<Vec<(usize, usize)>> = vec![Vec::new(); nodes.len()];
    for (&o, &(count, i)) in &heir {
        inherited[i].push((count, o));
    }

    let mut out = Pinning::default();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut fresh: Vec<usize> = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        let mut mine = std::mem::take(&mut inherited[i]);
        if mine.is_empty() {
            fresh.push(i);
            continue;
        }
        // Most keys first, then the id the merge gave this node, then the smallest id.
        mine.sort_by(|a, b| {
            let (ia, ib) = (&previous.nodes[a.1].id, &previous.nodes[b.1].id);
            b.0.cmp(&a.0)
                .then_with(|| (ib == &node.id).cmp(&(ia == &node.id)))
                .then_with(|| ia.cmp(ib))
        });
        let keep = &previous.nodes[mine[0].1];
        let mut former: BTreeSet<String> = node.former_ids.iter().cloned().collect();
        for &(_, o) in &mine {
            let earlier = &previous.nodes[o];
            former.extend(earlier.former_ids.iter().cloned());
            if o != mine[0].1 {
                former.insert(earlier.id.clone());
                out.redirects.push(Redirect {
                    from: earlier.id.clone(),
                    to: keep.id.clone(),
                    reason: format!(
                        "the mentions of {} and {} now resolve to one node (see its merges)",
                        earlier.id, keep.id
                    ),
                });
            }
        }
        former.remove(&keep.id);
        used.insert(keep.id.clone());
        if keep.id != node.id {
            out.rename.insert(node.id.clone(), keep.id.clone());
        }
        if !former.is_empty() {
            out.former_ids
                .insert(keep.id.clone(), former.into_iter().collect());
        }
    }
    for i in fresh {
        let id = &nodes[i].id;
        let mut new_id = id.clone();
        let mut k = 0u32;
        while previous.taken.contains(&new_id) || used.contains(&new_id) {
            k += 1;
            let h = fnv1a64(format!("{id}\u{1f}{k}").as_bytes()) & 0xff_ffff;
            new_id = format!("{id}-{h:06x}");
        }
        used.insert(new_id.clone());
        if &new_id != id {
            out.rename.insert(id.clone(), new_id);
        }
    }
    out.redirects.sort();
    out
}

/// Applies `pinning` to a graph: renames nodes (edges follow) and sets `former_ids`. Returns
/// the edge ids that changed (old -> new), for whatever else refers to edges.
pub fn apply(
    graph: KnowledgeGraph,
    pinning: &Pinning,
) -> (KnowledgeGraph, BTreeMap<String, String>) {
    let (mut graph, edges) = graph.renamed(&pinning.rename);
    for (id, former) in &pinning.former_ids {
        if let Some(node) = graph.node_mut(id) {
            node.former_ids = former.clone();
        }
    }
    (graph, edges)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Evidence, TextRef};

    fn node(id: &str, kind: NodeKind, mentions: &[(&str, usize)]) -> Node {
        let mut n = Node::new(id, kind, id);
        n.mentions = mentions
            .iter()
            .map(|&(doc, start)| TextRef {
                doc: doc.into(),
                start,
                end: start + 3,
                text: "abc".into(),
            })
            .collect();
        n
    }

    fn graph(nodes: Vec<Node>, edges: &[(&str, &str, &str)]) -> KnowledgeGraph {
        let mut g = KnowledgeGraph::new();
        for n in nodes {
            g.upsert_node(n);
        }
        for &(rel, a, b) in edges {
            let ev = Evidence {
                doc: "d1".into(),
                start: 0,
                end: 1,
                quote: "q".into(),
            };
            assert!(g.add_edge_evidence(rel, a, b, [ev]));
        }
        g
    }

    #[test]
    fn earlier_ids_are_kept_joined_ones_redirect_and_reused_ids_get_a_suffix() {
        use NodeKind::*;
        let before = graph(
            vec![
                node("group:northern-farmers-union", Group, &[("d1", 0)]),
                node("group:nfu", Group, &[("d2", 10)]),
                node("person:ann-lee", Person, &[("d1", 20), ("d2", 30)]),
                node("place:lyon", Place, &[("d1", 40)]),
            ],
            &[("LEADS", "person:ann-lee", "group:nfu")],
        );
        let previous = PreviousIds::from_graph(&before);
        assert_eq!(previous.nodes.len(), 4);
        // The new batch joins the two groups (under a new label), relabels Ann Lee, and brings
        // a different place whose merge id happens to be "place:lyon-x" and one that reuses
        // the id "person:ann-lee" for somebody else.
        let after = graph(
            vec![
                node(
                    "group:nfu",
                    Group,
                    &[("d1", 0), ("d2", 10), ("d3", 5), ("d3", 50)],
                ),
                node("person:ann-lee-smith", Person, &[("d1", 20), ("d2", 30)]),
                node("person:ann-lee", Person, &[("d3", 70)]),
                node("place:lyon", Place, &[("d1", 40), ("d3", 90)]),
            ],
            &[
                ("LEADS", "person:ann-lee-smith", "group:nfu"),
                ("LEADS", "person:ann-lee", "group:nfu"),
            ],
        );
        let pinning = pin(&after, &previous);
        assert_eq!(
            pinning.redirects,
            vec![Redirect {
                from: "group:northern-farmers-union".into(),
                to: "group:nfu".into(),
                reason: "the mentions of group:northern-farmers-union and group:nfu now resolve to one node (see its merges)".into(),
            }]
        );
        let (g, edge_map) = apply(after, &pinning);
        let ids: Vec<&str> = g.nodes().map(|n| n.id.as_str()).collect();
        let reused = ids
            .iter()
            .find(|id| id.starts_with("person:ann-lee-") && **id != "person:ann-lee-smith")
            .copied()
            .unwrap_or_default();
        assert_eq!(reused.len(), "person:ann-lee-".len() + 6, "{ids:?}");
        let mut want = vec!["group:nfu", "person:ann-lee", reused, "place:lyon"];
        want.sort();
        assert_eq!(ids, want);
        assert_eq!(
            g.node("group:nfu").unwrap().former_ids,
            ["group:northern-farmers-union"]
        );
        // Edges follow their endpoints: the earlier edge keeps its id.
        let earlier_edge = before.edges().next().unwrap().id.clone();
        let kept = g
            .edges()
            .find(|e| e.source == "person:ann-lee")
            .unwrap()
            .id
            .clone();
        assert_eq!(earlier_edge, kept);
        assert_eq!(edge_map.len(), 2);
        assert_eq!(g.edge_count(), 2);
    }

    #[test]
    fn the_same_documents_again_change_nothing() {
        use NodeKind::*;
        let g = graph(
            vec![
                node("group:a", Group, &[("d1", 0)]),
                node("place:b", Place, &[("d1", 9)]),
            ],
            &[("CO_OCCURS", "group:a", "place:b")],
        );
        let pinning = pin(&g, &PreviousIds::from_graph(&g));
        assert_eq!(pinning, Pinning::default());
        let (again, edges) = apply(g.clone(), &pinning);
        assert!(edges.is_empty());
        assert_eq!(
            again.nodes().cloned().collect::<Vec<_>>(),
            g.nodes().cloned().collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_split_node_keeps_its_id_on_the_bigger_part_and_a_kind_change_is_a_new_node() {
        use NodeKind::*;
        let before = graph(
            vec![node(
                "person:smith",
                Person,
                &[("d1", 0), ("d1", 10), ("d2", 0)],
            )],
            &[],
        );
        let after = graph(
            vec![
                node("person:john-smith", Person, &[("d1", 0), ("d1", 10)]),
                node("person:jane-smith", Person, &[("d2", 0), ("d3", 0)]),
                node("group:smith", Group, &[("d4", 0)]),
            ],
            &[],
        );
        let pinning = pin(&after, &PreviousIds::from_graph(&before));
        assert!(pinning.redirects.is_empty());
        assert_eq!(
            pinning.rename,
            BTreeMap::from([("person:john-smith".into(), "person:smith".into())])
        );
    }
}
