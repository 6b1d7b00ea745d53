//! Incremental batches: `merge --previous` keeps the ids of an earlier export, records the ids
//! of nodes that a later batch joins as `former_ids` and in report.json's `redirects`.
//! (The Cypher side, loading batch 2 on top of batch 1, is in tests/consumers.rs.)

mod util;

use std::collections::BTreeSet;
use std::fs;

use serde_json::Value;
use util::{Workdir, repo, tree};

/// Three batches (tests/fixtures/incremental): two sources of batch 1 name one union
/// differently, a source of batch 2 defines the acronym, batch 3 adds nothing new.
fn copy_batch(wd: &Workdir, batch: &str) {
    wd.copy_tree(
        &repo().join("tests/fixtures/incremental").join(batch),
        batch,
    );
}

fn ids(v: &Value, list: &str, key: &str) -> BTreeSet<String> {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x[key].as_str().unwrap().to_string())
        .collect()
}

fn node<'v>(v: &'v Value, id: &str) -> &'v Value {
    v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id)
        .unwrap_or_else(|| panic!("no node {id}"))
}

/// `newsgraph extract DIR > PARTIAL`.
fn extract(wd: &Workdir, dir: &str, partial: &str) {
    let out = wd.run_expect(&["extract", dir, "-q"], 0);
    wd.create(partial, out.stdout);
}

/// `newsgraph merge PARTIALS... --previous PREVIOUS --out OUT -q`, which must exit 0.
fn merge_previous(wd: &Workdir, partials: &[&str], previous: &str, out: &str) {
    let mut args = vec!["merge"];
    args.extend_from_slice(partials);
    args.extend_from_slice(&["--previous", previous, "--out", out, "-q"]);
    wd.run_expect(&args, 0);
}

fn write_batches(wd: &Workdir) {
    copy_batch(wd, "b1");
    copy_batch(wd, "b2");
    extract(wd, "b1", "p1.jsonl");
    extract(wd, "b2", "p2.jsonl");
}

#[test]
fn a_later_batch_keeps_earlier_ids_and_redirects_the_nodes_it_joins() {
    let wd = Workdir::new();
    write_batches(&wd);
    wd.run_expect(&["merge", "p1.jsonl", "--out", "out1", "-q"], 0);
    let g1 = wd.json("out1/graph.json");
    let n1 = ids(&g1, "nodes", "id");
    assert!(
        n1.contains("group:nfu") && n1.contains("group:northern-farmers-union"),
        "batch 1 alone cannot tell NFU is the Northern Farmers Union: {n1:?}"
    );

    merge_previous(&wd, &["p1.jsonl", "p2.jsonl"], "out1", "out2");
    let g2 = wd.json("out2/graph.json");
    let n2 = ids(&g2, "nodes", "id");
    let report = wd.json("out2/report.json");
    let redirects = report["redirects"].as_array().expect("redirects listed");
    assert_eq!(redirects.len(), 1, "{redirects:?}");
    let (from, to) = (
        redirects[0]["from"].as_str().unwrap(),
        redirects[0]["to"].as_str().unwrap(),
    );
    assert_eq!(
        BTreeSet::from([from, to]),
        BTreeSet::from(["group:nfu", "group:northern-farmers-union"])
    );
    // Every earlier id is still a node, or redirected to one that lists it.
    for id in &n1 {
        if id == from {
            assert!(!n2.contains(id));
            assert_eq!(node(&g2, to)["former_ids"], serde_json::json!([from]));
        } else {
            assert!(n2.contains(id), "{id} lost: {n2:?}");
        }
    }
    assert!(n2.contains("place:marseille"));
    // Edges between kept nodes keep their ids.
    let e1 = g1["edges"].as_array().unwrap();
    let e2 = ids(&g2, "edges", "key");
    for e in e1 {
        if e["source"] != from && e["target"] != from {
            assert!(e2.contains(e["key"].as_str().unwrap()), "{e}");
        }
    }
    // The other formats carry the former ids too.
    let nodes_csv = wd.read("out2/neo4j/nodes.csv");
    assert!(
        nodes_csv
            .lines()
            .next()
            .unwrap()
            .contains("former_ids:string[]")
    );
    assert!(nodes_csv.contains(from));
    assert!(
        wd.read("out2/graph.graphml")
            .contains(&format!(">{from}</data>"))
    );

    // A third batch keeps the ids of the second, and the former ids with them.
    copy_batch(&wd, "b3");
    extract(&wd, "b3", "p3.jsonl");
    merge_previous(
        &wd,
        &["p1.jsonl", "p2.jsonl", "p3.jsonl"],
        "out2/graph.json",
        "out3",
    );
    let g3 = wd.json("out3/graph.json");
    assert!(ids(&g3, "nodes", "id").is_superset(&n2));
    assert_eq!(node(&g3, to)["former_ids"], serde_json::json!([from]));
    assert!(wd.json("out3/report.json").get("redirects").is_none());
}

#[test]
fn the_same_documents_again_give_the_same_export() {
    let wd = Workdir::new();
    write_batches(&wd);
    wd.run_expect(&["merge", "p1.jsonl", "p2.jsonl", "--out", "out1", "-q"], 0);
    merge_previous(&wd, &["p2.jsonl", "p1.jsonl"], "out1", "out2");
    assert_eq!(tree(&wd.path().join("out1")), tree(&wd.path().join("out2")));
}

/// The bundled corpus in two batches: nothing of the first is renamed, and the ids that a
/// later article would change in a fresh build (a better name, a date) stay as they were.
#[test]
fn bundled_corpus_in_two_batches_keeps_every_earlier_id() {
    let wd = Workdir::new();
    let corpus = repo().join("corpus");
    let mut files: Vec<_> = fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 5);
    for (i, f) in files.iter().enumerate() {
        let batch = if i < 3 { "b1" } else { "b2" };
        wd.create(
            &format!("{batch}/{}", f.file_name().unwrap().to_string_lossy()),
            fs::read(f).unwrap(),
        );
    }
    extract(&wd, "b1", "p1.jsonl");
    extract(&wd, "b2", "p2.jsonl");
    wd.run_expect(&["merge", "p1.jsonl", "--out", "out1", "-q"], 0);
    merge_previous(&wd, &["p1.jsonl", "p2.jsonl"], "out1", "out2");
    wd.run_expect(
        &["merge", "p1.jsonl", "p2.jsonl", "--out", "fresh", "-q"],
        0,
    );
    let (g1, g2, fresh) = (
        wd.json("out1/graph.json"),
        wd.json("out2/graph.json"),
        wd.json("fresh/graph.json"),
    );
    let (n1, n2) = (ids(&g1, "nodes", "id"), ids(&g2, "nodes", "id"));
    assert!(n2.is_superset(&n1), "lost: {:?}", n1.difference(&n2));
    assert!(ids(&g2, "edges", "key").is_superset(&ids(&g1, "edges", "key")));
    // The incremental export has the fresh build's nodes, some under their earlier ids.
    assert_eq!(n2.len(), ids(&fresh, "nodes", "id").len());
    assert_eq!(
        ids(&g2, "edges", "key").len(),
        ids(&fresh, "edges", "key").len()
    );
}

#[test]
fn previous_must_be_an_export() {
    let wd = Workdir::new();
    write_batches(&wd);
    let out = wd.run_expect(
        &[
            "merge",
            "p1.jsonl",
            "--previous",
            "b1",
            "--out",
            "out",
            "-q",
        ],
        2,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--previous b1") && err.contains("graph.json"),
        "{err}"
    );
    assert!(!wd.path().join("out").exists());
}
