//! Integration tests of `newsgraph build`: files, determinism, inputs, errors.

mod util;

use std::fs;

use util::{CONTRACT_FILES, Workdir, repo, tree};

#[test]
fn build_with_defaults_writes_every_contract_file() {
    let wd = Workdir::new();
    wd.copy_corpus();
    let out = wd.run_expect(&["build"], 0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("5 documents (0 skipped)"), "{stderr}");
    for f in CONTRACT_FILES {
        let bytes = fs::read(wd.path().join("out").join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(!bytes.is_empty(), "{f} is empty");
        assert!(!bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "{f} has a BOM");
        assert!(!bytes.contains(&b'\r'), "{f} has a CR");
    }
    let report = wd.json("out/report.json");
    assert_eq!(report["inputs"].as_array().unwrap().len(), 5);
    assert_eq!(report["counts"]["documents"], 5);
}

#[test]
fn committed_out_is_what_a_fresh_build_of_corpus_gives() {
    let wd = Workdir::new();
    wd.copy_corpus();
    wd.run_expect(&["build", "corpus", "--out", "fresh"], 0);
    let fresh = tree(&wd.path().join("fresh"));
    let committed = tree(&repo().join("out"));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&committed), names(&fresh), "file lists differ");
    for ((name, a), (_, b)) in committed.iter().zip(&fresh) {
        assert!(
            a == b,
            "out/{name} differs from a fresh build: run `cargo run --release -- build` and commit out/"
        );
    }
}

#[test]
fn reruns_are_byte_identical_whatever_the_thread_count() {
    let wd = Workdir::new();
    wd.copy_corpus();
    wd.run_expect(&["build", "corpus", "--out", "a", "--jobs", "1"], 0);
    wd.run_expect(&["build", "corpus", "--out", "b", "--jobs", "2"], 0);
    wd.run_expect(&["build", "corpus", "--out", "b", "--jobs", "3"], 0);
    assert_eq!(tree(&wd.path().join("a")), tree(&wd.path().join("b")));
}

#[test]
fn mention_offsets_index_the_text_in_characters() {
    let wd = Workdir::new();
    wd.copy_corpus();
    wd.create(
        "corpus/extra/uni.txt",
        "Ünïcödé ✓ — Gen. Erik Kurilla met President Vladimir Putin in Moscow.\n",
    );
    wd.run_expect(&["build", "corpus", "--out", "o"], 0);
    let g = wd.json("o/graph.json");
    let mut checked = 0;
    for node in g["nodes"].as_array().unwrap() {
        for m in node["mentions"].as_array().into_iter().flatten() {
            let doc = m["doc"].as_str().unwrap();
            let path = wd.path().join("corpus").join(format!("{doc}.txt"));
            let text = fs::read_to_string(&path).unwrap();
            let chars: Vec<char> = text.chars().collect();
            let (s, e) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            let span: String = chars[s..e].iter().collect();
            assert_eq!(span, m["text"].as_str().unwrap(), "{doc} {s}..{e}");
            checked += 1;
        }
    }
    assert!(checked > 0, "no mentions to check");
}

#[test]
fn jsonl_file_and_stdin_give_documents_with_their_ids_and_metadata() {
    let wd = Workdir::new();
    let jsonl = concat!(
        r#"{"id":"wire-1","text":"President Vladimir Putin spoke in Moscow on Friday.","title":"Putin speaks","date":"2024-03-23"}"#,
        "\n",
        r#"{"id":"wire-2","text":"Gen. Michael Kurilla visited Kabul."}"#,
        "\n"
    );
    wd.create("feed.jsonl", jsonl);
    wd.run_expect(
        &["build", "feed.jsonl", "--out", "a", "--with-documents"],
        0,
    );
    let out = wd.run_stdin(
        &["build", "-", "--out", "b", "--with-documents"],
        jsonl.as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a = wd.json("a/graph.json");
    let docs: Vec<&str> = a["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "document")
        .map(|n| n["doc"].as_str().unwrap())
        .collect();
    assert_eq!(docs, vec!["wire-1", "wire-2"]);
    let title = a["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["doc"] == "wire-1")
        .unwrap();
    assert_eq!(title["title"], "Putin speaks");
    assert_eq!(title["date"], "2024-03-23");
    assert_eq!(wd.read("a/graph.json"), wd.read("b/graph.json"));
}

#[test]
fn skipped_inputs_are_listed_and_exit_1() {
    let wd = Workdir::new();
    wd.create("in/good.txt", "Vladimir Putin spoke in Moscow.");
    wd.create("in/empty.txt", "");
    wd.create("in/blank.md", "  \n\t\n");
    wd.create("in/photo.jpg", [0xFF, 0xD8, 0xFF, 0x00, 0x10]);
    wd.create("in/bin.txt", [0u8, 1, 2, 3, 0, 0, 0]);
    wd.create(
        "in/feed.jsonl",
        "{\"id\":\"ok\",\"text\":\"Kabul.\"}\n{oops\n{\"id\":\"nt\"}\n",
    );
    let out = wd.run_expect(&["build", "in", "--out", "o"], 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "empty.txt",
        "blank.md",
        "photo.jpg",
        "bin.txt",
        "feed.jsonl line 2",
        "feed.jsonl line 3",
    ] {
        assert!(stderr.contains(needle), "stderr lacks {needle}:\n{stderr}");
    }
    let report = wd.json("o/report.json");
    let inputs = report["inputs"].as_array().unwrap();
    let status = |path: &str, line: Option<u64>| {
        inputs
            .iter()
            .find(|r| r["path"] == path && r["line"].as_u64() == line)
            .unwrap_or_else(|| panic!("no input {path} {line:?} in {inputs:?}"))["status"]
            .clone()
    };
    assert_eq!(status("good.txt", None), "ok");
    assert_eq!(status("empty.txt", None), "skipped");
    assert_eq!(status("blank.md", None), "skipped");
    assert_eq!(status("photo.jpg", None), "skipped");
    assert_eq!(status("bin.txt", None), "skipped");
    assert_eq!(status("feed.jsonl", Some(1)), "ok");
    assert_eq!(status("feed.jsonl", Some(2)), "skipped");
    assert_eq!(status("feed.jsonl", Some(3)), "skipped");
    assert_eq!(report["counts"]["skipped"], 6);
    assert_eq!(report["counts"]["documents"], 2);
}

#[test]
fn duplicate_document_ids_keep_the_first_and_report_the_rest() {
    let wd = Workdir::new();
    wd.create("a/x.txt", "Putin spoke.");
    wd.create("b/x.md", "Putin spoke again.");
    let out = wd.run_expect(&["build", "a/x.txt", "b/x.md", "--out", "o"], 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("duplicate document id"));
    let report = wd.json("o/report.json");
    assert_eq!(report["inputs"][0]["status"], "ok");
    assert_eq!(report["inputs"][1]["status"], "skipped");
}

#[test]
fn missing_input_is_a_fatal_error_naming_it() {
    let wd = Workdir::new();
    let out = wd.run_expect(&["build", "nope", "--out", "o"], 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("nope") && stderr.contains("does not exist"),
        "{stderr}"
    );
    assert!(!wd.path().join("o").exists(), "no export without input");
}

#[test]
fn output_path_that_is_a_file_is_refused() {
    let wd = Workdir::new();
    wd.create("in/a.txt", "Putin spoke.");
    wd.create("o", "i am a file");
    let out = wd.run_expect(&["build", "in", "--out", "o"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains('o'));
    assert_eq!(wd.read("o"), "i am a file");
}

#[test]
fn foreign_files_in_the_output_directory_are_never_deleted() {
    let wd = Workdir::new();
    wd.create("in/a.txt", "Putin spoke.");
    wd.create("o/notes.txt", "mine");
    let out = wd.run_expect(&["build", "in", "--out", "o"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("notes.txt"));
    assert_eq!(wd.read("o/notes.txt"), "mine");
    wd.run_expect(&["build", "in", "--out", "o", "--force"], 0);
    assert_eq!(wd.read("o/notes.txt"), "mine");
    assert!(wd.path().join("o/graph.json").exists());
}

#[test]
fn usage_errors_exit_2() {
    let wd = Workdir::new();
    wd.run_expect(&["build", "--no-such-flag"], 2);
    wd.run_expect(&["frobnicate"], 2);
}

#[test]
fn a_syndicated_copy_is_listed_and_its_figures_are_not_counted_again() {
    let wd = Workdir::new();
    wd.copy_corpus();
    let original = fs::read_to_string(repo().join("corpus/004_28d5ce318e1605a8.txt")).unwrap();
    wd.create(
        "corpus/wire/copy.txt",
        format!("{original}\nDistributed by a wire service.\n"),
    );
    wd.run_expect(&["build", "corpus", "--out", "o"], 0);
    let report = wd.json("o/report.json");
    let dups = report["near_duplicates"]
        .as_array()
        .expect("near_duplicates");
    assert_eq!(dups.len(), 1, "{dups:?}");
    assert_eq!(dups[0]["doc"], "wire/copy");
    assert_eq!(dups[0]["duplicate_of"], "004_28d5ce318e1605a8");
    let g = wd.json("o/graph.json");
    let attack = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| {
            n["kind"] == "attack"
                && n["sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| s == "wire/copy")
        })
        .expect("the copy reports the main attack");
    let reports = attack["killed"]["reports"].as_array().unwrap();
    assert!(
        reports.iter().all(|r| r["doc"] != "wire/copy"),
        "{reports:?}"
    );
    assert!(reports.iter().any(|r| r["doc"] == "004_28d5ce318e1605a8"));
}

#[test]
fn the_main_attack_of_the_bundled_corpus_is_one_node_with_every_sources_figures() {
    let g: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(repo().join("out/graph.json")).unwrap()).unwrap();
    let nodes = g["nodes"].as_array().unwrap();
    let moscow: Vec<_> = nodes
        .iter()
        .filter(|n| n["kind"] == "attack" && n["place"] == "place:moscow")
        .collect();
    assert_eq!(moscow.len(), 1, "one node for the concert hall attack");
    let a = moscow[0];
    assert_eq!(a["date"], "2024-03-22");
    assert_eq!(a["source_count"], 5);
    let killed: Vec<u64> = a["killed"]["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["value"].as_u64().unwrap())
        .collect();
    for v in [60, 62, 115] {
        assert!(killed.contains(&v), "killed reports {killed:?} lack {v}");
    }
    assert!(a["injured"]["reports"].as_array().unwrap().len() >= 2);
    // Earlier attacks mentioned in passing are their own nodes.
    for (date, place) in [
        ("2021-08", "place:kabul"),
        ("2022-09", "place:kabul"),
        ("2024-01", "place:kerman"),
    ] {
        assert!(
            nodes
                .iter()
                .any(|n| n["kind"] == "attack" && n["date"] == date && n["place"] == place),
            "no attack node {date} {place}"
        );
    }
}

#[test]
fn an_alias_file_overrides_the_merge_rules_and_bad_lines_are_named() {
    let wd = Workdir::new();
    wd.copy_corpus();
    wd.create(
        "aliases.tsv",
        "# keep two spellings apart, join two names\n\
         different\tperson\tColin B. Clark\tColin Clarke\n\
         same\tgroup\tWilson Center\tWoodrow Wilson International Center for Scholars\n",
    );
    wd.run_expect(
        &["build", "corpus", "--out", "o", "--aliases", "aliases.tsv"],
        0,
    );
    let g = wd.json("o/graph.json");
    let people: Vec<&str> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "person")
        .map(|n| n["label"].as_str().unwrap())
        .collect();
    assert!(
        people.contains(&"Colin B. Clark") && people.contains(&"Colin Clarke"),
        "{people:?}"
    );
    wd.create("bad.tsv", "same\tcountry\tA\tB\n");
    let out = wd.run_expect(
        &["build", "corpus", "--out", "o2", "--aliases", "bad.tsv"],
        2,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.tsv:1") && stderr.contains("unknown kind"),
        "{stderr}"
    );
}
