//! Snapshot tests: every export file of a build of the small fixture corpus
//! `tests/fixtures/mini/` (four invented articles about one invented attack: two sources with
//! conflicting tolls, a header date line, a person with a title, a group with an acronym in
//! parentheses, places, one file with CRLF line ends, one with non-ASCII text, and a quote
//! holding `"` and `\`).
//!
//! These snapshots WILL change whenever extraction, resolution or an export format changes;
//! that is intended: the diff shows exactly what a change does to the output. After such a
//! change, update them and review the diff before committing:
//!
//! ```sh
//! INSTA_UPDATE=always cargo test --release --test snapshots
//! git diff tests/snapshots/
//! ```
//!
//! (With cargo-insta installed: `cargo insta test --release --test snapshots --review`.)

mod util;

use std::fs;

use util::{CONTRACT_FILES, Workdir, repo, tree};

/// The snapshot name of an export file: `gephi/nodes.csv` -> `gephi-nodes.csv`, stored as
/// `tests/snapshots/snapshots__gephi-nodes.csv.snap`.
fn snapshot_name(file: &str) -> String {
    file.replace(['/', '\\'], "-")
}

/// What is snapshotted of an export file: the whole text, except for `graph.html`, whose
/// inlined libraries and page code are static; of it, only the graph data block is kept,
/// pretty-printed so that a change reads as a diff.
fn snapshot_content(file: &str, text: &str) -> String {
    if file != "graph.html" {
        return text.to_string();
    }
    const OPEN: &str = r#"<script type="application/json" id="graph-data">"#;
    let start = text.find(OPEN).expect("graph.html has a graph-data block") + OPEN.len();
    let len = text[start..]
        .find("</script>")
        .expect("graph-data block ends");
    let data: serde_json::Value =
        serde_json::from_str(&text[start..start + len]).expect("graph-data block is JSON");
    serde_json::to_string_pretty(&data).expect("serialize")
}

/// A work directory holding a byte-for-byte copy of the fixture corpus as `mini/`, built into
/// `out/` with `newsgraph build mini --out out ARGS` (relative paths, so that `report.json`
/// does not depend on where the test runs).
fn build_fixture(args: &[&str]) -> Workdir {
    let fixture = repo().join("tests/fixtures/mini");
    let crlf = fs::read(fixture.join("crlf-bulletin.txt")).expect("read the CRLF fixture");
    assert!(
        crlf.windows(2).any(|w| w == b"\r\n"),
        "tests/fixtures/mini/crlf-bulletin.txt lost its CRLF line ends (see tests/fixtures/.gitattributes)"
    );
    let wd = Workdir::new();
    wd.copy_tree(&fixture, "mini");
    let mut full = vec!["build", "mini", "--out", "out"];
    full.extend_from_slice(args);
    wd.run_expect(&full, 0);
    wd
}

#[test]
fn every_export_file_of_the_fixture_corpus() {
    let wd = build_fixture(&[]);
    let written: Vec<String> = tree(&wd.path().join("out"))
        .into_iter()
        .map(|(rel, _)| rel.replace('\\', "/"))
        .collect();
    for file in CONTRACT_FILES {
        assert!(
            written.iter().any(|w| w == file),
            "{file} missing from the export: {written:?}"
        );
    }
    // Every file written is snapshotted, so a new export format shows up as a new snapshot.
    for file in &written {
        let text = wd.read(&format!("out/{file}"));
        insta::assert_snapshot!(snapshot_name(file), snapshot_content(file, &text));
    }
}

#[test]
fn document_nodes_of_the_fixture_corpus() {
    let wd = build_fixture(&["--with-documents"]);
    insta::assert_snapshot!("with-documents-graph.json", wd.read("out/graph.json"));
}

/// Offsets are characters of the text as read, CR of CRLF included (Python: `open(path,
/// newline='')`), and every evidence document is one of the edge's sources.
#[test]
fn fixture_offsets_index_the_text_as_read() {
    let wd = build_fixture(&[]);
    let text = |doc: &str| -> Vec<char> {
        ["txt", "md"]
            .iter()
            .map(|ext| wd.path().join(format!("mini/{doc}.{ext}")))
            .find(|p| p.is_file())
            .map(|p| fs::read_to_string(p).expect("read fixture"))
            .unwrap_or_else(|| panic!("no fixture file for document {doc}"))
            .chars()
            .collect()
    };
    let span = |r: &serde_json::Value, key: &str| {
        let chars = text(r["doc"].as_str().expect("doc"));
        let (s, e) = (
            r["start"].as_u64().expect("start") as usize,
            r["end"].as_u64().expect("end") as usize,
        );
        let got: String = chars[s..e].iter().collect();
        assert_eq!(got, r[key].as_str().expect("text"), "{r}");
    };
    let g = wd.json("out/graph.json");
    let mut checked = 0;
    for node in g["nodes"].as_array().expect("nodes") {
        for m in node["mentions"].as_array().into_iter().flatten() {
            span(m, "text");
            checked += 1;
        }
    }
    for edge in g["edges"].as_array().expect("edges") {
        let sources = edge["sources"].as_array().expect("sources");
        for ev in edge["evidence"].as_array().expect("evidence") {
            span(ev, "quote");
            assert!(sources.contains(&ev["doc"]), "{edge}");
            checked += 1;
        }
    }
    assert!(checked > 0, "nothing to check");
}
