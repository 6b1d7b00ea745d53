//! Event coreference across documents: the attacks that several documents report become one
//! node, with every source's figures kept and reconciled by a named rule.

use std::collections::{BTreeMap, BTreeSet};

use crate::extract::dates::PartialDate;
use crate::extract::{Casualty, DocExtraction, LocalAttack, LocalEntity};
use crate::graph::{
    AttackInfo, Figure, FigureReport, Frame, Merge, MergeEvidence, Node, NodeKind, Qualifier,
    TextRef,
};
use crate::report::Conflict;

use super::{name_key, slug};

/// One document's attack, with what the merge needs to know of it.
struct Member<'a> {
    doc: usize,
    local: usize,
    attack: &'a LocalAttack,
    /// Node ids of its places, with the local entities.
    places: Vec<(String, &'a LocalEntity)>,
}

/// The aggregate of a cluster while it is being built.
struct Cluster {
    date: Option<PartialDate>,
    places: Vec<(String, LocalEntity)>,
    members: Vec<usize>,
    docs: BTreeSet<usize>,
}

fn places_compatible(a: &[(String, LocalEntity)], b: &[(String, &LocalEntity)]) -> Option<bool> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    Some(a.iter().any(|(ia, ea)| {
        b.iter()
            .any(|(ib, eb)| ia == ib || crate::extract::place_compatible(ea, eb))
    }))
}

/// The result of merging attacks: nodes, and for each (doc, local attack) its node id.
pub struct MergedAttacks {
    pub nodes: Vec<Node>,
    pub node_of: BTreeMap<(usize, usize), String>,
    pub conflicts: Vec<Conflict>,
}

/// Clusters the attacks of all documents. `docs` is sorted by document id; `entity_node`
/// maps (doc, local entity) to its node id.
pub fn merge_attacks(
    docs: &[&DocExtraction],
    entity_node: &BTreeMap<(usize, usize), String>,
    place_labels: &BTreeMap<String, (String, u8)>,
    duplicate_docs: &BTreeSet<&str>,
) -> MergedAttacks {
    let mut members: Vec<Member> = Vec::new();
    for (d, x) in docs.iter().enumerate() {
        for (l, a) in x.attacks.iter().enumerate() {
            let places = a
                .places
                .iter()
                .filter_map(|&e| {
                    entity_node
                        .get(&(d, e))
                        .map(|id| (id.clone(), &x.entities[e]))
                })
                .collect();
            members.push(Member {
                doc: d,
                local: l,
                attack: a,
                places,
            });
        }
    }
    // Most precise first (date precision, places), then document order: deterministic for a
    // given set of documents whatever order they came in.
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by_key(|&i| {
        let m = &members[i];
        (
            std::cmp::Reverse(m.attack.date.map(|d| d.precision()).unwrap_or(0)),
            std::cmp::Reverse(m.places.len().min(1)),
            m.doc,
            m.local,
        )
    });
    let mut clusters: Vec<Cluster> = Vec::new();
    for &mi in &order {
        let m = &members[mi];
        let mut joined = false;
        for c in clusters.iter_mut() {
            if c.docs.contains(&m.doc) {
                continue; // one document's attacks were told apart by extraction
            }
            let date_ok = match (&c.date, &m.attack.date) {
                (Some(a), Some(b)) => a.compatible(b),
                _ => true,
            };
            let place = places_compatible(&c.places, &m.places);
            // A positive match is needed: a compatible place, and a compatible date when
            // both have one (two undated attacks in one city stay apart unless one has none).
            let both_dated = c.date.is_some() && m.attack.date.is_some();
            let ok = date_ok
                && place == Some(true)
                && (both_dated || c.date.is_none() || m.attack.date.is_none());
            if ok {
                c.members.push(mi);
                c.docs.insert(m.doc);
                if let Some(d) = m.attack.date
                    && c.date.is_none_or(|cd| d.precision() > cd.precision())
                {
                    c.date = Some(d);
                }
                for (id, e) in &m.places {
                    if !c.places.iter().any(|(x, _)| x == id) {
                        c.places.push((id.clone(), (*e).clone()));
                    }
                }
                joined = true;
                break;
            }
        }
        if !joined {
            clusters.push(Cluster {
                date: m.attack.date,
                places: m
                    .places
                    .iter()
                    .map(|(id, e)| (id.clone(), (*e).clone()))
                    .collect(),
                members: vec![mi],
                docs: BTreeSet::from([m.doc]),
            });
        }
    }

    let mut out = MergedAttacks {
        nodes: Vec::new(),
        node_of: BTreeMap::new(),
        conflicts: Vec::new(),
    };
    let mut planned: Vec<(String, Node, Vec<usize>)> = Vec::new();
    for c in &clusters {
        let mut mem: Vec<usize> = c.members.clone();
        mem.sort_by_key(|&i| (members[i].doc, members[i].local));
        // The place: the most specific gazetteer place (city before region before country),
        // then the most reported.
        let mut votes: BTreeMap<&String, usize> = BTreeMap::new();
        for &i in &mem {
            for (id, _) in &members[i].places {
                *votes.entry(id).or_default() += 1;
            }
        }
        let place = votes
            .iter()
            .max_by_key(|(id, n)| {
                let rank = place_labels.get(id.as_str()).map(|p| p.1).unwrap_or(0);
                (rank, **n, std::cmp::Reverse(id.to_string()))
            })
            .map(|(id, _)| (*id).clone());
        let place_label = place
            .as_ref()
            .and_then(|p| place_labels.get(p))
            .map(|p| p.0.clone());
        // The date and where it came from: the most precise, earliest document first.
        let dated = mem
            .iter()
            .filter_map(|&i| members[i].attack.date.map(|d| (d, i)))
            .max_by_key(|(d, i)| {
                (
                    d.precision(),
                    std::cmp::Reverse((members[*i].doc, members[*i].local)),
                )
            });
        let date_iso = dated.and_then(|(d, _)| d.iso());
        let date_source = dated.and_then(|(_, i)| {
            let m = &members[i];
            m.attack.date_source.as_ref().map(|s| TextRef {
                doc: docs[m.doc].doc.clone(),
                start: s.start,
                end: s.end,
                text: s.text.clone(),
            })
        });
        // Method: the most specific one given.
        let mut methods: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in &mem {
            if let Some(m) = &members[i].attack.method {
                *methods.entry(m.as_str()).or_default() += 1;
            }
        }
        let method = methods
            .iter()
            .max_by_key(|(m, n)| (**n, m.len(), std::cmp::Reverse(**m)))
            .map(|(m, _)| m.to_string());
        let id_base = format!(
            "attack:{}-{}",
            date_iso.clone().unwrap_or_else(|| "undated".into()),
            place_label
                .as_deref()
                .map(slug)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "unknown-place".into())
        );
        let what = method.clone().unwrap_or_else(|| "attack".into());
        let mut label = match &place_label {
            Some(p) => format!("{} in {}", capitalise(&what), p),
            None => capitalise(&what),
        };
        if let Some(d) = &date_iso {
            label.push_str(&format!(", {d}"));
        }
        let mut node = Node::new(id_base.clone(), NodeKind::Attack, label);
        let mut aliases = BTreeSet::new();
        let mut sources = BTreeSet::new();
        let mut frames = Vec::new();
        let mut killed = Vec::new();
        let mut injured = Vec::new();
        for (k, &i) in mem.iter().enumerate() {
            let m = &members[i];
            let x = docs[m.doc];
            sources.insert(x.doc.clone());
            for t in &m.attack.triggers {
                aliases.insert(super::collapse_ws(&t.text));
                node.mentions.push(TextRef {
                    doc: x.doc.clone(),
                    start: t.start,
                    end: t.end,
                    text: t.text.clone(),
                });
            }
            if k > 0
                && let Some(t) = m.attack.triggers.first()
            {
                node.merges.push(Merge {
                    alias: super::collapse_ws(&t.text),
                    rule: "event-coreference: compatible date and place".into(),
                    evidence: MergeEvidence::Text(TextRef {
                        doc: x.doc.clone(),
                        start: t.start,
                        end: t.end,
                        text: t.text.clone(),
                    }),
                });
            }
            if let Some(trigger) = m.attack.triggers.first() {
                frames.push(Frame {
                    doc: x.doc.clone(),
                    trigger: trigger.clone(),
                    attacker: m.attack.attacker.clone(),
                    target: m.attack.target.clone(),
                    victim: m.attack.victim.clone(),
                    place: m.attack.place.clone(),
                    instrument: m.attack.instrument.clone(),
                });
            }
            let report = |c: &Casualty| FigureReport {
                doc: x.doc.clone(),
                value: c.value,
                qualifier: c.qualifier,
                text: c.text.clone(),
                start: c.start,
                end: c.end,
            };
            // A syndicated copy repeats its original's figures: they are not another source.
            if !duplicate_docs.contains(x.doc.as_str()) {
                killed.extend(m.attack.killed.iter().map(report));
                injured.extend(m.attack.injured.iter().map(report));
            }
        }
        node.mentions.sort();
        node.aliases = aliases.into_iter().collect();
        node.sources = sources.into_iter().collect();
        node.attack = Some(AttackInfo {
            date: date_iso,
            date_source,
            place: place.clone(),
            method,
            killed: reconcile(killed),
            injured: reconcile(injured),
            frames,
            ..AttackInfo::default()
        });
        planned.push((id_base, node, mem));
    }
    // Colliding ids get a hash suffix, all but the most reported.
    let mut by_id: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in planned.iter().enumerate() {
        by_id.entry(p.0.clone()).or_default().push(i);
    }
    for idxs in by_id.values() {
        if idxs.len() < 2 {
            continue;
        }
        let mut ranked: Vec<(usize, String, usize)> = idxs
            .iter()
            .map(|&i| {
                let n = &planned[i].1;
                let key = n
                    .mentions
                    .first()
                    .map(|m| format!("{}:{}", m.doc, m.start))
                    .unwrap_or_default();
                (n.sources.len(), key, i)
            })
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, key, i) in ranked.into_iter().skip(1) {
            let id = format!(
                "{}-{:06x}",
                planned[i].0,
                crate::graph::fnv1a64(key.as_bytes()) & 0xff_ffff
            );
            planned[i].1.id = id;
        }
    }
    for (_, node, mem) in planned {
        for &i in &mem {
            out.node_of
                .insert((members[i].doc, members[i].local), node.id.clone());
        }
        if let Some(a) = &node.attack {
            for (field, fig) in [("killed", &a.killed), ("injured", &a.injured)] {
                if let Some(f) = fig {
                    let values: BTreeSet<u64> = f.reports.iter().map(|r| r.value).collect();
                    if values.len() > 1 {
                        out.conflicts.push(Conflict {
                            node: node.id.clone(),
                            field: field.into(),
                            values: f.reports.iter().map(|r| r.value).collect(),
                            reconciled: f.reconciled,
                            rule: f.rule.clone(),
                        });
                    }
                }
            }
        }
        out.nodes.push(node);
    }
    let _ = name_key;
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Keeps every report and picks one value by a named rule:
/// * `single-report`: one report.
/// * `agreeing-reports`: every report gives the same number.
/// * `exact-over-at_least`: the highest exact figure, preferred to bounds and estimates (tolls
///   rise as bodies are counted; an exact figure is a count).
/// * `highest-exact`: several exact figures disagree: the highest (the latest count).
/// * `highest-lower-bound`: only lower bounds ("at least", "more than", "hundreds").
/// * `median-estimate`: only approximate figures ("about", "nearly").
/// * `lowest-upper-bound`: only upper bounds ("up to").
pub fn reconcile(mut reports: Vec<FigureReport>) -> Option<Figure> {
    if reports.is_empty() {
        return None;
    }
    reports.sort();
    let values: Vec<u64> = reports.iter().map(|r| r.value).collect();
    let min = *values.iter().min()?;
    let max = *values.iter().max()?;
    let of = |q: &[Qualifier]| -> Vec<u64> {
        reports
            .iter()
            .filter(|r| q.contains(&r.qualifier))
            .map(|r| r.value)
            .collect()
    };
    let exact = of(&[Qualifier::Exact]);
    let lower = of(&[Qualifier::AtLeast, Qualifier::Over]);
    let about = of(&[Qualifier::About]);
    let upper = of(&[Qualifier::AtMost]);
    let (reconciled, rule) = if reports.len() == 1 {
        (values[0], "single-report")
    } else if min == max {
        (min, "agreeing-reports")
    } else if !exact.is_empty() {
        let distinct: BTreeSet<u64> = exact.iter().copied().collect();
        let best = *exact.iter().max()?;
        (
            best,
            if distinct.len() > 1 {
                "highest-exact"
            } else {
                "exact-over-at_least"
            },
        )
    } else if !lower.is_empty() {
        (*lower.iter().max()?, "highest-lower-bound")
    } else if !about.is_empty() {
        let mut a = about.clone();
        a.sort_unstable();
        (a[a.len() / 2], "median-estimate")
    } else {
        (*upper.iter().min()?, "lowest-upper-bound")
    };
    Some(Figure {
        reports,
        min,
        max,
        reconciled,
        rule: rule.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rep(doc: &str, value: u64, q: Qualifier) -> FigureReport {
        FigureReport {
            doc: doc.into(),
            value,
            qualifier: q,
            text: value.to_string(),
            start: 0,
            end: 1,
        }
    }

    #[test]
    fn reconciliation_rules_are_named_and_keep_every_report() {
        let f = reconcile(vec![
            rep("a", 133, Qualifier::AtLeast),
            rep("b", 137, Qualifier::Exact),
        ])
        .unwrap();
        assert_eq!(
            (f.min, f.max, f.reconciled, f.rule.as_str()),
            (133, 137, 137, "exact-over-at_least")
        );
        assert_eq!(f.reports.len(), 2);
        let f = reconcile(vec![
            rep("a", 60, Qualifier::AtLeast),
            rep("b", 200, Qualifier::AtLeast),
        ])
        .unwrap();
        assert_eq!(
            (f.reconciled, f.rule.as_str()),
            (200, "highest-lower-bound")
        );
        let f = reconcile(vec![
            rep("a", 115, Qualifier::Exact),
            rep("b", 137, Qualifier::Exact),
            rep("c", 60, Qualifier::AtLeast),
        ])
        .unwrap();
        assert_eq!((f.reconciled, f.rule.as_str()), (137, "highest-exact"));
        let f = reconcile(vec![
            rep("a", 84, Qualifier::Exact),
            rep("b", 84, Qualifier::Exact),
        ])
        .unwrap();
        assert_eq!(f.rule, "agreeing-reports");
        assert!(reconcile(vec![]).is_none());
    }
}
