//! The merge step: everything that looks across documents.
//!
//! [`merge`] takes the extraction results of any set of documents and builds the graph:
//! local entities of the same real thing become one node (same lexicon entry, same name, a
//! spelling variant of a person's name, an acronym defined somewhere), every merge is recorded
//! with its rule, and relations become edges that aggregate their evidence.
//!
//! The result depends only on the *set* of documents: the input is sorted by document id and
//! every decision is made on the whole set, so merging is associative and order-independent.

pub mod attacks;
pub mod stable;
pub mod user;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::extract::{DocExtraction, Endpoint, LocalEntity};
use crate::graph::{
    DocumentInfo, Edge, Evidence, KnowledgeGraph, Merge, MergeEvidence, Node, NodeKind, TextRef,
};
use crate::report::{Conflict, MergeRecord, Warning};

/// Options of the merge step.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// Add `CO_OCCURS` edges.
    pub cooccurrence: bool,
    /// Add document nodes and `MENTIONS` edges.
    pub document_nodes: bool,
    /// The user's own alias and do-not-merge rules.
    pub rules: user::UserRules,
    /// The ids of an earlier export to keep (`--previous`).
    pub previous: Option<std::sync::Arc<stable::PreviousIds>>,
}

impl Default for MergeOptions {
    fn default() -> Self {
        MergeOptions {
            cooccurrence: true,
            document_nodes: false,
            rules: user::UserRules::default(),
            previous: None,
        }
    }
}

/// Union-find over local entities that refuses joins the user's rules forbid.
struct Unions<'r> {
    uf: UnionFind,
    keys: Vec<BTreeSet<(NodeKind, String)>>,
    rules: &'r user::UserRules,
}

impl Unions<'_> {
    fn find(&mut self, x: usize) -> usize {
        self.uf.find(x)
    }

    /// Joins the clusters of `a` and `b` unless a `different` rule keeps them apart (`force`
    /// is for the user's own `same` rules).
    fn join(&mut self, a: usize, b: usize, force: bool) -> bool {
        let (ra, rb) = (self.uf.find(a), self.uf.find(b));
        if ra == rb {
            return false;
        }
        if !force && self.rules.forbids(&self.keys[ra], &self.keys[rb]) {
            return false;
        }
        self.uf.union(ra, rb);
        let root = self.uf.find(ra);
        let other = if root == ra { rb } else { ra };
        let moved = std::mem::take(&mut self.keys[other]);
        self.keys[root].extend(moved);
        true
    }

    fn union(&mut self, a: usize, b: usize) -> bool {
        self.join(a, b, false)
    }
}

/// The merged graph and what the report needs to say about it.
#[derive(Debug, Default)]
pub struct Merged {
    pub graph: KnowledgeGraph,
    pub merges: Vec<MergeRecord>,
    pub conflicts: Vec<Conflict>,
    pub warnings: Vec<Warning>,
    pub near_duplicates: Vec<crate::report::NearDuplicate>,
    /// Ids of an earlier export that now point to another node (`--previous`).
    pub redirects: Vec<stable::Redirect>,
}

/// Share of equal MinHash values above which two documents are one article (a syndicated
/// copy, a lightly edited repost).
pub const NEAR_DUPLICATE_SIMILARITY: f64 = 0.75;

/// Finds near-duplicate documents: candidates share a band of their MinHash signature (8 bands
/// of 4 values), and are confirmed by the share of equal values. Each duplicate points to the
/// first document (by id) of its group. `docs` is sorted by document id.
pub fn near_duplicates(docs: &[&DocExtraction]) -> Vec<crate::report::NearDuplicate> {
    use crate::extract::{FINGERPRINT_LEN, similarity};
    const BAND: usize = 4;
    let mut buckets: BTreeMap<(usize, Vec<u64>), Vec<usize>> = BTreeMap::new();
    for (i, x) in docs.iter().enumerate() {
        if x.fingerprint.len() != FINGERPRINT_LEN {
            continue;
        }
        for (b, band) in x.fingerprint.chunks(BAND).enumerate() {
            buckets.entry((b, band.to_vec())).or_default().push(i);
        }
    }
    let mut uf = UnionFind::new(docs.len());
    let mut best: BTreeMap<usize, (usize, f64)> = BTreeMap::new();
    let mut seen: BTreeSet<(usize, usize)> = BTreeSet::new();
    for members in buckets.values() {
        for (k, &a) in members.iter().enumerate() {
            for &b in &members[k + 1..] {
                if !seen.insert((a, b)) {
                    continue;
                }
                let sim = similarity(&docs[a].fingerprint, &docs[b].fingerprint);
                if sim >= NEAR_DUPLICATE_SIMILARITY {
                    uf.union(a, b);
                    let e = best.entry(b).or_insert((a, sim));
                    if sim > e.1 {
                        *e = (a, sim);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    for i in 0..docs.len() {
        let root = uf.find(i);
        if root != i {
            let sim = best
                .get(&i)
                .map(|b| b.1)
                .unwrap_or(NEAR_DUPLICATE_SIMILARITY);
            out.push(crate::report::NearDuplicate {
                doc: docs[i].doc.clone(),
                duplicate_of: docs[root].doc.clone(),
                similarity: (sim * 1000.0).round() / 1000.0,
            });
        }
    }
    out
}

/// A lower-case, accent-folded, punctuation-free key for comparing names.
pub fn name_key(s: &str) -> String {
    if s.is_ascii() {
        // Nothing to transliterate: the words of `s` itself, lower-cased.
        let mut out = alphanumeric_words(s);
        if out.is_empty() {
            return s.trim().to_ascii_lowercase();
        }
        out.make_ascii_lowercase();
        return out;
    }
    let out = alphanumeric_words(&deunicode::deunicode(s).to_lowercase());
    if out.is_empty() {
        // A name in a script deunicode cannot fold: keep it, lower-cased.
        return s.trim().to_lowercase();
    }
    out
}

/// The runs of ASCII letters and digits of `s`, joined by single spaces.
fn alphanumeric_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The slug of a name for ids: ASCII letters, digits and `-`.
pub fn slug(s: &str) -> String {
    let key = name_key(s);
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Collapses runs of whitespace (including line breaks) to one space and trims.
pub fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Levenshtein distance over characters, giving up (returning `max + 1`) above `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> usize {
    if a.is_ascii() && b.is_ascii() {
        return bounded_levenshtein(a.as_bytes(), b.as_bytes(), max);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    bounded_levenshtein(&a, &b, max)
}

/// Levenshtein distance of `a` and `b`, or `max + 1` once it must exceed `max`. The two rows
/// live on the stack for words under 64 units (names), on the heap otherwise.
fn bounded_levenshtein<T: PartialEq>(a: &[T], b: &[T], max: usize) -> usize {
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    const STACK: usize = 64;
    let n = b.len() + 1;
    let (mut stack_prev, mut stack_cur) = ([0usize; STACK], [0usize; STACK]);
    let (mut heap_prev, mut heap_cur) = (Vec::new(), Vec::new());
    let (mut prev, mut cur): (&mut [usize], &mut [usize]) = if n <= STACK {
        (&mut stack_prev[..n], &mut stack_cur[..n])
    } else {
        heap_prev.resize(n, 0);
        heap_cur.resize(n, 0);
        (&mut heap_prev[..], &mut heap_cur[..])
    };
    for (j, p) in prev.iter_mut().enumerate() {
        *p = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            row_min = row_min.min(cur[j]);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n - 1].min(max + 1)
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
    /// Joins two sets; the smaller root index wins, so the result does not depend on order.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[hi] = lo;
        true
    }
}

/// A local entity and where it comes from.
struct Global<'a> {
    doc: usize,
    local: usize,
    entity: &'a LocalEntity,
}

/// A person's name split into parts (name keys).
#[derive(Debug, Clone, PartialEq, Eq)]
struct PersonName {
    first: String,
    middle: Vec<String>,
    last: String,
}

fn person_name(name: &str) -> Option<PersonName> {
    let key = name_key(name);
    let parts: Vec<&str> = key.split(' ').collect();
    if parts.len() < 2 {
        return None;
    }
    Some(PersonName {
        first: parts[0].to_string(),
        middle: parts[1..parts.len() - 1]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        last: parts[parts.len() - 1].to_string(),
    })
}

fn compatible_part(a: &str, b: &str) -> bool {
    a == b || (a.len() == 1 && b.starts_with(a)) || (b.len() == 1 && a.starts_with(b))
}

/// Two spellings of a surname: equal, or one letter apart when both have at least five.
fn surname_variant(a: &str, b: &str) -> bool {
    a == b || (a.chars().count() >= 5 && b.chars().count() >= 5 && edit_distance(a, b, 1) <= 1)
}

/// Why two full person names are one person, or `None`.
fn person_match(a: &PersonName, b: &PersonName) -> Option<&'static str> {
    if !compatible_part(&a.first, &b.first) || !surname_variant(&a.last, &b.last) {
        return None;
    }
    // Middle names: where both give one at the same place, they must agree.
    for (x, y) in a.middle.iter().zip(b.middle.iter()) {
        if !compatible_part(x, y) {
            return None;
        }
    }
    if a.last != b.last {
        Some("person-surname-spelling")
    } else if a.middle != b.middle || a.first != b.first {
        Some("person-middle-name-or-initial")
    } else {
        None
    }
}

/// The words of an organisation's name for comparison: name keys, without a leading
/// nationality adjective ("Russian Investigative Committee" -> investigative committee).
/// An organisation's name words, and whether a nationality adjective was taken off the front.
type OrgWords = (Vec<String>, bool);

fn org_words(name: &str) -> OrgWords {
    let mut words: Vec<String> = name_key(name).split(' ').map(str::to_string).collect();
    if words.len() >= 3 && crate::lexicon::lexicon().demonyms.contains(&words[0]) {
        words.remove(0);
        return (words, true);
    }
    (words, false)
}

/// Two spellings of one word: one letter apart (both at least five letters), or the same
/// stem of at least six letters with a different ending (investigation / investigative).
fn word_variant(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la >= 5 && lb >= 5 && edit_distance(a, b, 1) <= 1 {
        return true;
    }
    // Derivations of one stem: investigat-ion / investigat-ive.
    // The common prefix is the same characters, so the same bytes, in both words.
    let (common, common_bytes) = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .fold((0, 0), |(n, bytes), (x, _)| (n + 1, bytes + x.len_utf8()));
    let ending = |w: &str| -> bool {
        matches!(
            &w[common_bytes..],
            "" | "ion"
                | "ions"
                | "ive"
                | "ives"
                | "on"
                | "ons"
                | "ve"
                | "ves"
                | "ing"
                | "ed"
                | "e"
                | "s"
        )
    };
    common >= 7 && ending(a) && ending(b)
}

/// Institution words that careless sources swap ("Soufan Center" written "Soufan Group"); a
/// newspaper's "Express" or a "Board" is not one of them.
fn swappable_cue(w: &str) -> bool {
    matches!(
        w,
        "center"
            | "centre"
            | "group"
            | "institute"
            | "foundation"
            | "council"
            | "forum"
            | "network"
            | "project"
            | "initiative"
            | "society"
            | "association"
            | "organization"
            | "organisation"
    )
}

/// Why two organisation names (from [`org_words`]) are one organisation, or `None`.
/// * `org-name-variant`: the same words, one of them spelt differently
///   ("Investigation Committee" / "Investigative Committee").
/// * `org-cue-variant`: a distinctive name with a different organisation word
///   ("Soufan Center" / "Sofan Group"), as careless sources write it.
fn org_match(
    (a, a_prefixed): (&[String], bool),
    (b, b_prefixed): (&[String], bool),
) -> Option<&'static str> {
    if a.is_empty() || b.is_empty() || (a_prefixed && b_prefixed) {
        // Two nationalities ("American" / "British Film Institute") are two organisations.
        return None;
    }
    if a == b {
        return (a_prefixed != b_prefixed).then_some("org-nationality-prefix");
    }
    // A one-word name ("Boston", "Bolton") is too short to tell a misspelling from another.
    if a.len() == 1 && b.len() == 1 {
        let long = a[0].chars().count() >= 9 && b[0].chars().count() >= 9;
        return (long && edit_distance(&a[0], &b[0], 1) <= 1).then_some("org-name-variant");
    }
    if a.len() == b.len() {
        let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        if diffs.len() == 1 {
            let i = diffs[0];
            if word_variant(&a[i], &b[i]) {
                return Some("org-name-variant");
            }
            let head_distinct = a.len() == 2
                && i == 1
                && a[0].chars().count() >= 5
                && crate::extract::lex::is_rare_word(&a[0]);
            if head_distinct && swappable_cue(&a[1]) && swappable_cue(&b[1]) {
                return Some("org-cue-variant");
            }
        }
        if diffs.len() == 2
            && a.len() == 2
            && word_variant(&a[0], &b[0])
            && a[0].chars().count() >= 5
            && crate::extract::lex::is_rare_word(&a[0])
            && crate::extract::lex::is_rare_word(&b[0])
            && swappable_cue(&a[1])
            && swappable_cue(&b[1])
        {
            return Some("org-cue-variant");
        }
    }
    None
}

/// The pairs `(i, j)`, `i < j`, of `items` that `matches` gives a rule for, in the order of a
/// loop over `i` then `j`. The comparisons run in parallel.
fn pairs_in_parallel<T: Sync>(
    items: &[T],
    matches: impl Fn(&T, &T) -> Option<&'static str> + Sync,
) -> Vec<(usize, usize, &'static str)> {
    let rows: Vec<Vec<(usize, usize, &'static str)>> = (0..items.len())
        .into_par_iter()
        .map(|i| {
            (i + 1..items.len())
                .filter_map(|j| matches(&items[i], &items[j]).map(|rule| (i, j, rule)))
                .collect()
        })
        .collect();
    rows.into_iter().flatten().collect()
}

/// Joins the clusters of each pair of entities (global indices) in order, and records the
/// rule of every join that merged two clusters.
fn join_pairs(
    uf: &mut Unions,
    reasons: &mut BTreeMap<usize, (String, String)>,
    globals: &[Global],
    pairs: impl IntoIterator<Item = (usize, usize, &'static str)>,
) {
    for (ga, gb, rule) in pairs {
        if uf.union(ga, gb) {
            reasons.entry(gb).or_insert((
                rule.to_string(),
                format!(
                    "{:?} and {:?}",
                    globals[ga].entity.name, globals[gb].entity.name
                ),
            ));
        }
    }
}

/// Builds the graph from the extraction results of a set of documents.
pub fn merge(extractions: &[DocExtraction], options: &MergeOptions) -> Merged {
    let mut docs: Vec<&DocExtraction> = extractions.iter().collect();
    docs.sort_by(|a, b| a.doc.cmp(&b.doc));

    let globals: Vec<Global> = docs
        .iter()
        .enumerate()
        .flat_map(|(d, x)| {
            x.entities.iter().enumerate().map(move |(l, e)| Global {
                doc: d,
                local: l,
                entity: e,
            })
        })
        .collect();
    let mut uf = Unions {
        uf: UnionFind::new(globals.len()),
        keys: globals
            .par_iter()
            .map(|ge| {
                let mut k: BTreeSet<(NodeKind, String)> = ge
                    .entity
                    .aliases
                    .iter()
                    .map(|a| (ge.entity.kind, name_key(a)))
                    .collect();
                k.insert((ge.entity.kind, name_key(&ge.entity.name)));
                k
            })
            .collect(),
        rules: &options.rules,
    };
    // Reasons for cross-document merges: (global index) -> (rule, detail).
    let mut reasons: BTreeMap<usize, (String, String)> = BTreeMap::new();

    // 0. The user's `same` rules.
    let mut user_groups: BTreeMap<usize, usize> = BTreeMap::new(); // rule group -> first global
    let mut user_label: BTreeMap<usize, String> = BTreeMap::new(); // global -> label
    for (g, ge) in globals.iter().enumerate() {
        let hit = uf.keys[g]
            .iter()
            .find_map(|k| options.rules.same.get(k))
            .cloned();
        if let Some((group, label)) = hit {
            user_label.insert(g, label);
            match user_groups.get(&group) {
                Some(&first) => {
                    if uf.join(first, g, true) {
                        reasons.entry(g).or_insert((
                            "user-alias".into(),
                            format!("the alias file says {:?} is this entity", ge.entity.name),
                        ));
                    }
                }
                None => {
                    user_groups.insert(group, g);
                }
            }
        }
    }

    // 1. Same lexicon entry, or same kind and name key.
    let keys: Vec<(NodeKind, String)> = globals
        .par_iter()
        .map(|ge| {
            let e = ge.entity;
            let key = match &e.lexicon {
                Some(lex) => format!("lex:{lex}"),
                None => format!("name:{}", name_key(&e.name)),
            };
            (e.kind, key)
        })
        .collect();
    let mut by_key: BTreeMap<(NodeKind, String), usize> = BTreeMap::new();
    for (g, key) in keys.into_iter().enumerate() {
        match by_key.entry(key) {
            std::collections::btree_map::Entry::Occupied(first) => {
                uf.union(*first.get(), g);
            }
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(g);
            }
        }
    }

    // 2. Groups and places sharing a surface form (an acronym defined in one document and used
    //    alone in another), when the form is not used by two different lexicon entries.
    let mut alias_owner: BTreeMap<(NodeKind, String), BTreeSet<usize>> = BTreeMap::new();
    for (g, ge) in globals.iter().enumerate() {
        if ge.entity.kind == NodeKind::Person {
            continue;
        }
        for a in &ge.entity.aliases {
            let k = name_key(a);
            if k.chars().count() >= 2 {
                alias_owner
                    .entry((ge.entity.kind, k))
                    .or_default()
                    .insert(g);
            }
        }
    }
    for ((_, alias), owners) in &alias_owner {
        let lexicons: BTreeSet<&String> = owners
            .iter()
            .filter_map(|&g| globals[g].entity.lexicon.as_ref())
            .collect();
        if lexicons.len() > 1 {
            continue;
        }
        let mut it = owners.iter();
        if let Some(&first) = it.next() {
            for &g in it {
                if uf.union(first, g) {
                    reasons.entry(g).or_insert((
                        "shared-alias".into(),
                        format!("both documents call it {alias:?}"),
                    ));
                }
            }
        }
    }

    // 3. People: spelling variants of a full name (same first name or initial, surname one
    //    letter apart, middle names compatible). Blocked by the first letter of the first name.
    //    Each distinct name is compared once (a name used in a thousand documents is one
    //    comparison, not a thousand), in order of first use.
    let mut person_names: BTreeMap<String, (usize, PersonName, BTreeSet<usize>)> = BTreeMap::new();
    for (g, ge) in globals.iter().enumerate() {
        if ge.entity.kind != NodeKind::Person {
            continue;
        }
        if let Some(p) = person_name(&ge.entity.name) {
            let e = person_names
                .entry(name_key(&ge.entity.name))
                .or_insert_with(|| (g, p, BTreeSet::new()));
            e.2.insert(ge.doc);
        }
    }
    let mut people: BTreeMap<char, Vec<(usize, PersonName, BTreeSet<usize>)>> = BTreeMap::new();
    for (_, (g, p, docs_of)) in person_names {
        let c = p.first.chars().next().unwrap_or(' ');
        people.entry(c).or_default().push((g, p, docs_of));
    }
    for block in people.values_mut() {
        block.sort_by_key(|(g, _, _)| *g);
    }
    // The pairs are compared in parallel (`person_match` is pure) and joined in their order.
    for block in people.values() {
        let matches = pairs_in_parallel(block, |(_, pa, da), (_, pb, db)| {
            // Within one document, extraction already decided.
            if da.len() == 1 && da == db {
                return None;
            }
            person_match(pa, pb)
        });
        let pairs = matches
            .into_iter()
            .map(|(i, j, rule)| (block[i].0, block[j].0, rule));
        join_pairs(&mut uf, &mut reasons, &globals, pairs);
    }
    let people: BTreeMap<char, Vec<(usize, PersonName)>> = people
        .into_iter()
        .map(|(c, v)| (c, v.into_iter().map(|(g, p, _)| (g, p)).collect()))
        .collect();

    // 3b. Groups outside the lexicon: variants of one name written by different sources.
    let mut org_names: BTreeMap<String, usize> = BTreeMap::new();
    let mut orgs: BTreeMap<char, Vec<(usize, OrgWords)>> = BTreeMap::new();
    for (g, ge) in globals.iter().enumerate() {
        if ge.entity.kind != NodeKind::Group || ge.entity.lexicon.is_some() {
            continue;
        }
        // One comparison per distinct name (its first use stands for all).
        if org_names.insert(name_key(&ge.entity.name), g).is_some() {
            continue;
        }
        let words = org_words(&ge.entity.name);
        if let Some(c) = words.0.first().and_then(|w| w.chars().next()) {
            orgs.entry(c).or_default().push((g, words));
        }
    }
    for block in orgs.values() {
        let matches = pairs_in_parallel(block, |(_, wa), (_, wb)| {
            org_match((&wa.0, wa.1), (&wb.0, wb.1))
        });
        let pairs = matches
            .into_iter()
            .map(|(i, j, rule)| (block[i].0, block[j].0, rule));
        join_pairs(&mut uf, &mut reasons, &globals, pairs);
    }

    // 4. A person known only by a surname joins the one full-name cluster with that surname.
    let mut surname_clusters: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for block in people.values() {
        for (g, p) in block {
            let root = uf.find(*g);
            surname_clusters
                .entry(p.last.clone())
                .or_default()
                .insert(root);
        }
    }
    for (g, ge) in globals.iter().enumerate() {
        if ge.entity.kind != NodeKind::Person || person_name(&ge.entity.name).is_some() {
            continue;
        }
        let key = name_key(&ge.entity.name);
        if let Some(roots) = surname_clusters.get(&key)
            && roots.len() == 1
        {
            let root = *roots.iter().next().unwrap_or(&g);
            if uf.union(root, g) {
                reasons.entry(g).or_insert((
                    "person-surname-only".into(),
                    format!("{:?} is the only person with this surname", ge.entity.name),
                ));
            }
        }
    }

    // Clusters, in order of their smallest member.
    let mut clusters: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for g in 0..globals.len() {
        clusters.entry(uf.find(g)).or_default().push(g);
    }
    // The name keys of the union-find are no longer needed.
    drop(uf);

    // Node ids: base slug per cluster; collisions get a hash suffix (all but the biggest).
    let mut local_to_node: BTreeMap<(usize, usize), String> = BTreeMap::new();
    let mut planned: Vec<(String, NodeKind, String, Vec<usize>)> = Vec::new(); // (base id, kind, label, members)
    for members in clusters.values() {
        let kind = globals[members[0]].entity.kind;
        let label = members
            .iter()
            .find_map(|g| user_label.get(g).cloned())
            .unwrap_or_else(|| cluster_label(&globals, members, &docs));
        let base = match globals[members[0]]
            .entity
            .lexicon
            .as_deref()
            .filter(|l| !l.contains(':'))
        {
            Some(lex) => slug(lex),
            None => slug(&label),
        };
        let base = if base.is_empty() {
            format!("h{:08x}", crate::graph::fnv1a64(label.as_bytes()) as u32)
        } else {
            base
        };
        planned.push((
            format!("{}:{}", kind.as_str(), base),
            kind,
            label,
            members.clone(),
        ));
    }
    let mut by_id: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in planned.iter().enumerate() {
        by_id.entry(p.0.clone()).or_default().push(i);
    }
    let mut final_ids: Vec<String> = planned.iter().map(|p| p.0.clone()).collect();
    for (id, idxs) in &by_id {
        if idxs.len() < 2 {
            continue;
        }
        // The cluster with most mentions keeps the plain id.
        let mention_counts: Vec<(usize, String, usize)> = idxs
            .iter()
            .map(|&i| {
                let n: usize = planned[i]
                    .3
                    .iter()
                    .map(|&g| count_mentions(docs[globals[g].doc], globals[g].local))
                    .sum();
                (n, cluster_key(&globals, &planned[i].3, &docs), i)
            })
            .collect();
        let mut sorted = mention_counts.clone();
        sorted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, key, i) in sorted.into_iter().skip(1) {
            final_ids[i] = format!(
                "{id}-{:06x}",
                crate::graph::fnv1a64(key.as_bytes()) & 0xff_ffff
            );
        }
    }

    let mut merged = Merged::default();
    // Entity and document nodes; attacks reserve their own below.
    merged.graph.reserve_exact(
        planned.len()
            + if options.document_nodes {
                docs.len()
            } else {
                0
            },
        0,
    );
    // Each node is built on its own, in parallel, and added in cluster order.
    let nodes: Vec<Node> = planned
        .par_iter()
        .zip(&final_ids)
        .map(|((_, kind, label, members), id)| {
            let mut node = Node::new(id.clone(), *kind, label.clone());
            let mut aliases = BTreeSet::new();
            let mut sources = BTreeSet::new();
            let mut merges = Vec::new();
            for &g in members {
                let ge = &globals[g];
                let x = docs[ge.doc];
                sources.insert(x.doc.clone());
                for a in &ge.entity.aliases {
                    aliases.insert(collapse_ws(a));
                }
                merges.extend(ge.entity.merges.iter().cloned());
                for m in x.mentions.iter().filter(|m| m.entity == ge.local) {
                    node.mentions.push(TextRef {
                        doc: x.doc.clone(),
                        start: m.start,
                        end: m.end,
                        text: m.text.clone(),
                    });
                }
                if node.place.is_none() {
                    node.place = ge.entity.place.clone();
                }
                if let Some((rule, detail)) = reasons.get(&g) {
                    merges.push(Merge {
                        alias: collapse_ws(&ge.entity.name),
                        rule: rule.clone(),
                        evidence: MergeEvidence::Rule {
                            detail: format!("{detail} (document {})", x.doc),
                        },
                    });
                }
            }
            node.mentions.sort();
            merges.sort();
            merges.dedup_by(|a, b| a.alias == b.alias && a.rule == b.rule);
            node.aliases = aliases.into_iter().collect();
            node.sources = sources.into_iter().collect();
            node.merges = merges;
            node
        })
        .collect();
    for ((_, _, _, members), node) in planned.iter().zip(nodes) {
        for &g in members {
            let ge = &globals[g];
            local_to_node.insert((ge.doc, ge.local), node.id.clone());
        }
        for m in &node.merges {
            merged.merges.push(MergeRecord {
                node: node.id.clone(),
                alias: m.alias.clone(),
                rule: m.rule.clone(),
            });
        }
        merged.graph.upsert_node(node);
    }

    let doc_nodes: Vec<String> = if options.document_nodes {
        document_node_ids(&docs)
    } else {
        Vec::new()
    };
    if options.document_nodes {
        for (x, id) in docs.iter().zip(&doc_nodes) {
            let id = id.clone();
            let mut node = Node::new(
                id.clone(),
                NodeKind::Document,
                x.title.clone().unwrap_or_else(|| x.doc.clone()),
            );
            node.sources = vec![x.doc.clone()];
            node.document = Some(DocumentInfo {
                doc: x.doc.clone(),
                title: x.title.clone(),
                date: x.date.clone(),
                url: x.url.clone(),
            });
            merged.graph.upsert_node(node);
        }
    }

    // Attacks: event coreference across documents.
    let mut place_labels: BTreeMap<String, (String, u8)> = BTreeMap::new();
    for ((d, l), id) in &local_to_node {
        let e = &docs[*d].entities[*l];
        if e.kind != NodeKind::Place {
            continue;
        }
        let rank = place_rank(e);
        let label = merged
            .graph
            .node(id)
            .map(|n| n.label.clone())
            .unwrap_or_default();
        let entry = place_labels.entry(id.clone()).or_insert((label, rank));
        entry.1 = entry.1.max(rank);
    }
    merged.near_duplicates = near_duplicates(&docs);
    let duplicate_docs: BTreeSet<&str> = merged
        .near_duplicates
        .iter()
        .map(|d| d.doc.as_str())
        .collect();
    let attacks = attacks::merge_attacks(&docs, &local_to_node, &place_labels, &duplicate_docs);
    merged.graph.reserve_exact(attacks.nodes.len(), 0);
    for node in attacks.nodes {
        for m in &node.merges {
            merged.merges.push(MergeRecord {
                node: node.id.clone(),
                alias: m.alias.clone(),
                rule: m.rule.clone(),
            });
        }
        merged.graph.upsert_node(node);
    }
    merged.conflicts = attacks.conflicts;
    let attack_node = attacks.node_of;

    // Edges. Evidence is gathered per (type, source, target) first and added once per edge:
    // adding sorts and dedups the edge's evidence, so adding it all at once gives the same edge
    // as adding it sentence by sentence, without re-sorting a popular edge every time.
    // What each document says is gathered in parallel, a chunk of documents at a time (so
    // that little is held twice), then folded in document order.
    let mut edge_slot: EdgeSlots = EdgeSlots::default();
    let mut pending: Vec<PendingEdge> = Vec::new();
    const DOCS_AT_A_TIME: usize = 256;
    for (c, chunk) in docs.chunks(DOCS_AT_A_TIME).enumerate() {
        let said: Vec<Vec<(EdgeKey, Evidence)>> = chunk
            .par_iter()
            .enumerate()
            .map(|(i, x)| {
                let d = c * DOCS_AT_A_TIME + i;
                let mut out = Vec::new();
                let node_of = |e: Endpoint| -> Option<&String> {
                    match e {
                        Endpoint::Entity(l) => local_to_node.get(&(d, l)),
                        Endpoint::Attack(a) => attack_node.get(&(d, a)),
                    }
                };
                for r in &x.relations {
                    if r.rel == "CO_OCCURS" && !options.cooccurrence {
                        continue;
                    }
                    let (Some(a), Some(b)) = (node_of(r.source), node_of(r.target)) else {
                        continue;
                    };
                    if a == b {
                        continue;
                    }
                    if let Some(ev) = x.evidence(r.sentence) {
                        out.push(((&*r.rel, a.as_str(), b.as_str()), ev));
                    }
                }
                if options.document_nodes {
                    let doc_node = doc_nodes[d].as_str();
                    let mut first_mention: BTreeMap<&String, &crate::extract::Mention> =
                        BTreeMap::new();
                    for m in &x.mentions {
                        if let Some(n) = local_to_node.get(&(d, m.entity)) {
                            first_mention.entry(n).or_insert(m);
                        }
                    }
                    for (n, m) in first_mention {
                        if let Some(ev) = x.evidence(m.sentence) {
                            out.push((("MENTIONS", doc_node, n.as_str()), ev));
                        }
                    }
                }
                out
            })
            .collect();
        for (key, ev) in said.into_iter().flatten() {
            push_evidence(&mut edge_slot, &mut pending, key, ev);
        }
    }
    drop(edge_slot);
    // Each edge (id, sorted evidence) is built on its own, in parallel, a slice of the pending
    // list at a time; they are added in the order their first evidence was seen.
    merged.graph.reserve_exact(0, pending.len());
    let edges = pending.chunks_mut(4096).flat_map(|chunk| {
        chunk
            .par_iter_mut()
            .map(|((rel, a, b), evidence)| Edge::from_evidence(rel, a, b, std::mem::take(evidence)))
            .collect::<Vec<Edge>>()
    });
    merged.graph.add_edges(edges);
    if let Some(previous) = &options.previous {
        keep_previous_ids(&mut merged, previous);
    }
    attack_responsibility(&mut merged.graph);
    merged.merges.sort();
    merged
}

/// The status of each actor of an attack, from the responsibility edges into it, and the
/// channels of its claims.
fn attack_responsibility(graph: &mut KnowledgeGraph) {
    const STATUS: [(&str, &str); 4] = [
        ("CLAIMED_RESPONSIBILITY", "claimed"),
        ("PERPETRATED", "perpetrated"),
        ("SUSPECTED_OF", "suspected"),
        ("DENIED", "denied"),
    ];
    let mut perpetrators: BTreeMap<String, Vec<(usize, crate::graph::Perpetrator)>> =
        BTreeMap::new();
    let mut channels: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in graph.edges() {
        if let Some(rank) = STATUS.iter().position(|(rel, _)| *rel == e.rel) {
            perpetrators.entry(e.target.clone()).or_default().push((
                rank,
                crate::graph::Perpetrator {
                    node: e.source.clone(),
                    status: STATUS[rank].1.to_string(),
                    sources: e.sources.clone(),
                },
            ));
        } else if e.rel == "CLAIMED_VIA" {
            channels
                .entry(e.source.clone())
                .or_default()
                .push(e.target.clone());
        }
    }
    for node in graph.nodes_mut() {
        let Some(attack) = &mut node.attack else {
            continue;
        };
        if let Some(mut list) = perpetrators.remove(&node.id) {
            list.sort();
            attack.responsibility = list.first().map(|(_, p)| p.status.clone());
            attack.perpetrators = list.into_iter().map(|(_, p)| p).collect();
        }
        if let Some(mut list) = channels.remove(&node.id) {
            list.sort();
            list.dedup();
            attack.claimed_via = list;
        }
    }
}

/// Gives the nodes of an earlier export their ids back ([`stable`]), and renames what refers to
/// nodes and edges.
fn keep_previous_ids(merged: &mut Merged, previous: &stable::PreviousIds) {
    let pinning = stable::pin(&merged.graph, previous);
    let graph = std::mem::take(&mut merged.graph);
    let (mut graph, edges) = stable::apply(graph, &pinning);
    for node in graph.nodes_mut() {
        if let Some(place) = node.attack.as_mut().and_then(|a| a.place.as_mut())
            && let Some(new) = pinning.rename.get(place.as_str())
        {
            *place = new.clone();
        }
    }
    merged.graph = graph;
    let node = |id: &mut String| {
        if let Some(new) = pinning.rename.get(id.as_str()) {
            *id = new.clone();
        }
    };
    for m in &mut merged.merges {
        node(&mut m.node);
    }
    for c in &mut merged.conflicts {
        node(&mut c.node);
    }
    for w in &mut merged.warnings {
        if let Some(n) = &mut w.node {
            node(n);
        }
        if let Some(e) = &mut w.edge
            && let Some(new) = edges.get(e.as_str())
        {
            *e = new.clone();
        }
    }
    merged.redirects = pinning.redirects;
}

/// An edge's (type, source id, target id).
type EdgeKey<'k> = (&'k str, &'k str, &'k str);

/// The index in the pending list of each edge.
type EdgeSlots<'k> = std::collections::HashMap<
    EdgeKey<'k>,
    usize,
    std::hash::BuildHasherDefault<crate::lexicon::FxHasher>,
>;

/// Evidence of one edge (type, source, target), gathered before the edge is added.
type PendingEdge<'k> = (EdgeKey<'k>, Vec<Evidence>);

/// Appends `ev` to the pending evidence of edge `key`, in first-seen order of edges.
fn push_evidence<'k>(
    slot: &mut EdgeSlots<'k>,
    pending: &mut Vec<PendingEdge<'k>>,
    key: EdgeKey<'k>,
    ev: Evidence,
) {
    // One slot per stored edge (`CO_OCCURS` is symmetric).
    let key = match key {
        (rel, a, b) if crate::graph::stored_reversed(rel, a, b) => (rel, b, a),
        key => key,
    };
    let i = *slot.entry(key).or_insert_with(|| {
        pending.push((key, Vec::new()));
        pending.len() - 1
    });
    pending[i].1.push(ev);
}

/// How specific a place is, for naming an attack after it: a city (4) before a venue outside
/// the gazetteer (3), a region or first-level division (2), a country (1), a continent (0).
fn place_rank(e: &LocalEntity) -> u8 {
    use crate::lexicon::{PlaceKind, lexicon};
    let Some(id) = e.lexicon.as_deref() else {
        return 3;
    };
    let kind = id
        .strip_prefix("gn:")
        .and_then(|n| n.parse::<u64>().ok())
        .and_then(|n| lexicon().places.by_geonames_id(n))
        .map(|p| p.kind);
    match kind {
        Some(PlaceKind::City) => 4,
        Some(PlaceKind::Admin1) | Some(PlaceKind::Region) => 2,
        Some(PlaceKind::Country) => 1,
        Some(PlaceKind::Continent) => 0,
        None => 2,
    }
}

/// The `document:` node id of each document (`docs` sorted by id): the slug of its id, and a
/// short hash of the id when an earlier document already has that slug (`a/b` and `a-b`).
pub fn document_node_ids(docs: &[&DocExtraction]) -> Vec<String> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    docs.iter()
        .map(|x| {
            let mut id = format!("document:{}", doc_slug(&x.doc));
            if !taken.insert(id.clone()) {
                id = format!(
                    "{id}-{:06x}",
                    crate::graph::fnv1a64(x.doc.as_bytes()) & 0xff_ffff
                );
                taken.insert(id.clone());
            }
            id
        })
        .collect()
}

/// The slug of a document id for `document:` node ids.
pub fn doc_slug(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len());
    for c in doc.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c);
        } else {
            out.push('-');
        }
    }
    out
}

fn count_mentions(x: &DocExtraction, local: usize) -> usize {
    x.mentions.iter().filter(|m| m.entity == local).count()
}

/// A deterministic description of a cluster: its sorted name keys.
fn cluster_key(globals: &[Global], members: &[usize], docs: &[&DocExtraction]) -> String {
    let mut keys: BTreeSet<String> = BTreeSet::new();
    for &g in members {
        keys.insert(name_key(&globals[g].entity.name));
        let _ = docs;
    }
    keys.into_iter().collect::<Vec<_>>().join("|")
}

/// The display name of a cluster: the lexicon's canonical name, or else the fullest name used
/// in most documents (ties: more words, then alphabetical).
fn cluster_label(globals: &[Global], members: &[usize], docs: &[&DocExtraction]) -> String {
    let _ = docs;
    if let Some(c) = members
        .iter()
        .filter_map(|&g| globals[g].entity.canonical.as_ref())
        .min()
    {
        return collapse_ws(c);
    }
    let mut votes: BTreeMap<String, usize> = BTreeMap::new();
    for &g in members {
        *votes
            .entry(collapse_ws(&globals[g].entity.name))
            .or_default() += 1;
    }
    votes
        .into_iter()
        .max_by(|(a, na), (b, nb)| {
            let wa = a.split(' ').count();
            let wb = b.split(' ').count();
            na.cmp(nb).then(wa.cmp(&wb)).then(b.cmp(a))
        })
        .map(|(name, _)| name)
        .unwrap_or_default()
}

/// Evidence of an edge from a sentence of a document.
pub fn evidence_of(x: &DocExtraction, sentence: usize) -> Option<Evidence> {
    x.evidence(sentence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attacks_carry_the_status_of_each_actor_and_the_claim_channels() {
        use crate::graph::{AttackInfo, Evidence, Node, NodeKind};
        let mut g = KnowledgeGraph::new();
        let mut a = Node::new("attack:x", NodeKind::Attack, "X");
        a.attack = Some(AttackInfo::default());
        g.upsert_node(a);
        for id in ["group:a", "group:b", "group:amaq"] {
            g.upsert_node(Node::new(id, NodeKind::Group, id));
        }
        let ev = |doc: &str| Evidence {
            doc: doc.into(),
            start: 0,
            end: 1,
            quote: "q".into(),
        };
        g.add_edge_evidence("DENIED", "group:b", "attack:x", [ev("d1")]);
        g.add_edge_evidence("SUSPECTED_OF", "group:a", "attack:x", [ev("d1")]);
        g.add_edge_evidence(
            "CLAIMED_RESPONSIBILITY",
            "group:a",
            "attack:x",
            [ev("d2"), ev("d3")],
        );
        g.add_edge_evidence("CLAIMED_VIA", "attack:x", "group:amaq", [ev("d2")]);
        attack_responsibility(&mut g);
        let info = g.node("attack:x").unwrap().attack.as_ref().unwrap();
        assert_eq!(info.responsibility.as_deref(), Some("claimed"));
        let got: Vec<(&str, &str, usize)> = info
            .perpetrators
            .iter()
            .map(|p| (p.node.as_str(), p.status.as_str(), p.sources.len()))
            .collect();
        assert_eq!(
            got,
            [
                ("group:a", "claimed", 2),
                ("group:a", "suspected", 1),
                ("group:b", "denied", 1)
            ]
        );
        assert_eq!(info.claimed_via, ["group:amaq"]);
    }
    use crate::extract::{Mention, RelationMention, SentenceRef};

    fn person(name: &str) -> LocalEntity {
        LocalEntity {
            kind: NodeKind::Person,
            name: name.into(),
            lexicon: None,
            canonical: None,
            aliases: vec![name.into()],
            merges: vec![],
            place: None,
            parent: None,
        }
    }

    fn doc(id: &str, ents: Vec<LocalEntity>) -> DocExtraction {
        let mentions = ents
            .iter()
            .enumerate()
            .map(|(i, e)| Mention {
                entity: i,
                start: i * 10,
                end: i * 10 + e.name.len(),
                text: e.name.clone(),
                sentence: 0,
            })
            .collect();
        let relations = if ents.len() >= 2 {
            vec![RelationMention {
                rel: "CO_OCCURS".into(),
                source: Endpoint::Entity(0),
                target: Endpoint::Entity(1),
                sentence: 0,
            }]
        } else {
            vec![]
        };
        DocExtraction {
            doc: id.into(),
            title: None,
            date: None,
            url: None,
            sentences: vec![SentenceRef {
                start: 0,
                end: 5,
                text: "hello".into(),
            }],
            entities: ents,
            mentions,
            relations,
            attacks: vec![],
            fingerprint: vec![],
        }
    }

    fn node_ids(m: &Merged) -> Vec<String> {
        m.graph.nodes().map(|n| n.id.clone()).collect()
    }

    #[test]
    fn keys_slugs_and_distance() {
        assert_eq!(name_key("ISIS-Khorasan’s"), "isis khorasan s");
        assert_eq!(slug("Gen. Erik Kurilla"), "gen-erik-kurilla");
        assert_eq!(slug("Zürich"), "zurich");
        assert_eq!(edit_distance("kurella", "kurilla", 2), 1);
        assert_eq!(edit_distance("clark", "clarke", 2), 1);
        assert_eq!(edit_distance("abc", "xyz", 1), 2);
        assert_eq!(edit_distance("zürich", "zurich", 1), 1);
    }

    /// The unbounded textbook distance, on characters.
    fn levenshtein(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for i in 1..=a.len() {
            let mut cur = vec![i; b.len() + 1];
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    proptest::proptest! {
        /// The bounded distance is the textbook one, capped at `max + 1`, for ASCII (the byte
        /// path) and other text, and for words over the 64 units kept on the stack.
        #[test]
        fn bounded_distance_is_capped_levenshtein(
            (a, b) in proptest::prop_oneof![
                ("[abc]{0,70}", "[abc]{0,70}"),
                ("[abcé]{0,70}", "[abcé]{0,70}"),
            ],
            max in 0usize..4,
        ) {
            proptest::prop_assert_eq!(edit_distance(&a, &b, max), levenshtein(&a, &b).min(max + 1));
        }
    }

    #[test]
    fn spelling_variants_of_a_person_merge_and_are_logged() {
        let a = doc(
            "a",
            vec![person("Michael Eric Kurella"), person("Colin B. Clark")],
        );
        let b = doc("b", vec![person("Michael Kurilla"), person("Colin Clarke")]);
        let m = merge(&[a, b], &MergeOptions::default());
        assert_eq!(m.graph.node_count(), 2, "{:?}", node_ids(&m));
        let kurilla = m
            .graph
            .nodes()
            .find(|n| n.aliases.contains(&"Michael Kurilla".to_string()))
            .unwrap();
        assert!(
            kurilla
                .aliases
                .contains(&"Michael Eric Kurella".to_string())
        );
        assert_eq!(kurilla.merges.len(), 1);
        assert_eq!(kurilla.merges[0].rule, "person-surname-spelling");
        // CO_OCCURS edge aggregated over both documents.
        assert_eq!(m.graph.edge_count(), 1);
        assert_eq!(m.graph.edges().next().unwrap().sources, vec!["a", "b"]);
    }

    #[test]
    fn different_people_sharing_a_surname_stay_apart() {
        let a = doc("a", vec![person("Joe Biden"), person("Jill Biden")]);
        let b = doc("b", vec![person("Biden")]);
        let m = merge(&[a, b], &MergeOptions::default());
        assert_eq!(m.graph.node_count(), 3, "{:?}", node_ids(&m));
    }

    #[test]
    fn merge_is_order_independent() {
        let a = doc("a", vec![person("Vladimir Putin"), person("Colin Clark")]);
        let b = doc("b", vec![person("Putin"), person("Colin Clarke")]);
        let c = doc("c", vec![person("Colin B. Clark")]);
        let m1 = merge(&[a.clone(), b.clone(), c.clone()], &MergeOptions::default());
        let m2 = merge(&[c, a, b], &MergeOptions::default());
        let n1: Vec<_> = m1.graph.nodes().cloned().collect();
        let n2: Vec<_> = m2.graph.nodes().cloned().collect();
        assert_eq!(n1, n2);
        assert_eq!(n1.len(), 2);
    }

    #[test]
    fn user_rules_override_the_merge_rules() {
        let a = doc("a", vec![person("Michael Kurilla"), person("Colin Clark")]);
        let b = doc("b", vec![person("Erik Kurella"), person("Colin Clarke")]);
        let rules = user::UserRules::parse(
            "same\tperson\tMichael Erik Kurilla\tMichael Kurilla\tErik Kurella\n\
             different\tperson\tColin Clark\tColin Clarke\n",
            "test",
        )
        .unwrap();
        let options = MergeOptions {
            rules,
            ..MergeOptions::default()
        };
        let m = merge(&[a.clone(), b.clone()], &options);
        let ids = node_ids(&m);
        assert_eq!(ids.len(), 3, "{ids:?}");
        let k = m
            .graph
            .node("person:michael-erik-kurilla")
            .expect("labelled by the rule");
        assert_eq!(k.aliases, vec!["Erik Kurella", "Michael Kurilla"]);
        assert!(k.merges.iter().any(|x| x.rule == "user-alias"));
        // Without the rules Colin Clark and Colin Clarke are one person.
        assert_eq!(
            merge(&[a, b], &MergeOptions::default()).graph.node_count(),
            3
        );
    }

    fn group(name: &str) -> LocalEntity {
        let mut g = person(name);
        g.kind = NodeKind::Group;
        g
    }

    #[test]
    fn regression_dairy_board_is_not_the_daily_express_nor_boston_bolton() {
        // Found on the BBC bench corpus: swapped institution words must be institution words,
        // two nationalities are two organisations, and one-word names need more than one
        // letter of difference.
        for (a, b) in [
            ("Danish Dairy Board", "Daily Express"),
            ("American Film Institute", "British Film Institute"),
            ("Boston", "Bolton"),
            ("Bangladesh Nationalist Party", "British National Party"),
        ] {
            let m = merge(
                &[doc("a", vec![group(a)]), doc("b", vec![group(b)])],
                &MergeOptions::default(),
            );
            assert_eq!(m.graph.node_count(), 2, "{a} / {b} were merged");
        }
        for (a, b) in [
            ("Soufan Center", "Sofan Group"),
            ("Investigative Committee", "Investigation Committee"),
            ("Russian Investigative Committee", "Investigative Committee"),
        ] {
            let m = merge(
                &[doc("a", vec![group(a)]), doc("b", vec![group(b)])],
                &MergeOptions::default(),
            );
            assert_eq!(m.graph.node_count(), 1, "{a} / {b} were not merged");
        }
    }

    #[test]
    fn colliding_slugs_get_a_hash_suffix() {
        let mut g1 = person("Paris");
        g1.kind = NodeKind::Place;
        g1.lexicon = Some("gn:2988507".into());
        let mut g2 = person("Paris");
        g2.kind = NodeKind::Place;
        g2.lexicon = Some("gn:4717560".into());
        let m = merge(
            &[doc("a", vec![g1]), doc("b", vec![g2])],
            &MergeOptions::default(),
        );
        let ids = node_ids(&m);
        assert_eq!(ids.len(), 2);
        assert!(ids.contains(&"place:paris".to_string()));
        assert!(ids.iter().any(|i| i.starts_with("place:paris-")));
    }
}
