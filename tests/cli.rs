//! Integration tests of the subcommands `extract`, `merge` and `stats`, and of the terminal
//! behaviour shared by all of them (exit codes, closed pipes, help).

mod util;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Instant;

use util::{Workdir, repo, tree};

fn check(out: &Output, code: i32, what: &str) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{what} exited {:?}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `newsgraph extract ARGS` and writes its stdout to `file` in the work directory.
fn extract_to(wd: &Workdir, args: &[&str], file: &str, code: i32) -> Vec<u8> {
    let mut full = vec!["extract"];
    full.extend_from_slice(args);
    let out = wd.run(&full);
    check(&out, code, &format!("extract {args:?}"));
    wd.create(file, &out.stdout);
    out.stdout
}

/// Asserts two export directories hold the same files, byte for byte.
fn assert_same_export(a: &Path, b: &Path) {
    let (ta, tb) = (tree(a), tree(b));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&ta),
        names(&tb),
        "{} and {}",
        a.display(),
        b.display()
    );
    for ((name, x), (_, y)) in ta.iter().zip(&tb) {
        assert!(
            x == y,
            "{name} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn extract_then_merge_equals_build_on_the_bundled_corpus() {
    let wd = Workdir::new();
    wd.copy_corpus();
    wd.run_expect(&["build", "corpus", "--out", "built"], 0);
    let one = extract_to(&wd, &["corpus", "--jobs", "1"], "p.jsonl", 0);
    let three = extract_to(&wd, &["corpus", "--jobs", "3"], "p3.jsonl", 0);
    assert!(one == three, "extract output depends on --jobs");
    let text = String::from_utf8(one.clone()).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with(r#"{"kind":"header","format":"newsgraph-partial","version":1,"#));
    assert_eq!(lines.len(), 1 + 5, "a header and one line per input");
    for l in &lines[1..] {
        let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
        assert_eq!(v["kind"], "input");
        assert_eq!(v["input"]["doc"], v["doc"]["doc"]);
        assert!(
            v["doc"]["mentions"]
                .as_array()
                .is_some_and(|m| !m.is_empty())
        );
    }

    wd.run_expect(&["merge", "p.jsonl", "--out", "merged"], 0);
    assert_same_export(&wd.path().join("built"), &wd.path().join("merged"));

    // Through a pipe, with other options: the same as build with those options.
    let piped = wd.run_stdin(
        &[
            "merge",
            "-",
            "--out",
            "piped",
            "--with-documents",
            "--no-cooccurrence",
        ],
        &one,
    );
    check(&piped, 0, "merge -");
    wd.run_expect(
        &[
            "build",
            "corpus",
            "--out",
            "built2",
            "--with-documents",
            "--no-cooccurrence",
        ],
        0,
    );
    assert_same_export(&wd.path().join("built2"), &wd.path().join("piped"));

    // Shards of one run (--shard K/N) merge back into the same export, in any order.
    for k in 1..=3 {
        extract_to(
            &wd,
            &["corpus", "--shard", &format!("{k}/3")],
            &format!("s{k}.jsonl"),
            0,
        );
    }
    wd.run_expect(
        &[
            "merge", "s3.jsonl", "s1.jsonl", "s2.jsonl", "--out", "sharded",
        ],
        0,
    );
    assert_same_export(&wd.path().join("built"), &wd.path().join("sharded"));
}

#[test]
fn merging_is_associative_and_order_independent_on_the_bundled_corpus() {
    let wd = Workdir::new();
    wd.copy_corpus();
    let mut names: Vec<String> = fs::read_dir(wd.path().join("corpus"))
        .expect("corpus")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for (i, name) in names.iter().enumerate() {
        let shard = ["a", "a", "b", "c", "c"][i.min(4)];
        wd.create(
            &format!("{shard}/{name}"),
            fs::read(wd.path().join("corpus").join(name)).expect("read"),
        );
    }
    wd.run_expect(&["build", "a", "b", "c", "--out", "whole"], 0);
    for s in ["a", "b", "c"] {
        extract_to(&wd, &[s], &format!("{s}.jsonl"), 0);
    }
    let ab = wd.run(&["merge", "b.jsonl", "a.jsonl", "--partial"]);
    check(&ab, 0, "merge --partial");
    wd.create("ab.jsonl", &ab.stdout);
    let abc = wd.run(&["merge", "a.jsonl", "b.jsonl", "c.jsonl", "--partial"]);
    let ab_c = wd.run(&["merge", "ab.jsonl", "c.jsonl", "--partial"]);
    assert!(
        abc.stdout == ab_c.stdout,
        "merge(merge(a,b),c) != merge(a,b,c)"
    );
    wd.run_expect(&["merge", "c.jsonl", "ab.jsonl", "--out", "x"], 0);
    assert_same_export(&wd.path().join("whole"), &wd.path().join("x"));
}

/// The BBC bench corpus (2,225 articles) split into three shards by file name, extracted
/// separately, and merged as (a+b)+c and as a+(b+c): both equal to one build of the three.
#[test]
fn bbc_shards_merged_in_two_groupings_equal_build() {
    let bbc = repo().join("../shared/bench-corpus/bbc");
    if !bbc.is_dir() {
        eprintln!("SKIPPED: {} is not there", bbc.display());
        return;
    }
    let started = Instant::now();
    let wd = Workdir::new();
    let mut files: Vec<_> = fs::read_dir(&bbc)
        .expect("bbc")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let third = files.len().div_ceil(3);
    for (i, path) in files.iter().enumerate() {
        let shard = ["a", "b", "c"][i / third];
        let name = path.file_name().expect("name").to_string_lossy();
        wd.create(
            &format!("{shard}/{name}"),
            fs::read(path).expect("read bbc"),
        );
    }
    // graph.json holds everything the other formats are written from; report.json is always
    // written. Leaving the other formats out keeps the test fast.
    let whole = wd.run(&[
        "build", "a", "b", "c", "--out", "whole", "-q", "--format", "json",
    ]);
    let code = whole.status.code().expect("exit code");
    assert!(code == 0 || code == 1, "build exited {code}");
    for s in ["a", "b", "c"] {
        extract_to(&wd, &[s, "-q"], &format!("{s}.jsonl"), code);
    }
    let ab = wd.run(&["merge", "a.jsonl", "b.jsonl", "--partial", "-q"]);
    check(&ab, code, "merge a b --partial");
    wd.create("ab.jsonl", &ab.stdout);
    let bc = wd.run(&["merge", "c.jsonl", "b.jsonl", "--partial", "-q"]);
    check(&bc, code, "merge c b --partial");
    wd.create("bc.jsonl", &bc.stdout);
    let m1 = wd.run(&[
        "merge", "ab.jsonl", "c.jsonl", "--out", "ab_c", "-q", "--format", "json",
    ]);
    check(&m1, code, "merge ab c");
    let m2 = wd.run(&[
        "merge", "bc.jsonl", "a.jsonl", "--out", "a_bc", "-q", "--format", "json",
    ]);
    check(&m2, code, "merge bc a");
    assert_same_export(&wd.path().join("whole"), &wd.path().join("ab_c"));
    assert_same_export(&wd.path().join("whole"), &wd.path().join("a_bc"));
    eprintln!(
        "{} BBC files: build, 3 extracts and 4 merges in {:.1} s",
        files.len(),
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn stats_summarises_the_bundled_export() {
    let wd = Workdir::new();
    wd.copy_corpus();
    wd.run_expect(&["build"], 0);
    let out = wd.run_expect(&["stats"], 0);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    for heading in [
        "Nodes by kind",
        "Edges by type",
        "Most connected entities",
        "Attacks:",
        "Merges:",
        "Warnings:",
    ] {
        assert!(text.contains(heading), "{heading} missing:\n{text}");
    }
    let report = wd.json("out/report.json");
    let out = wd.run_expect(&["stats", "out", "--json", "--top", "3"], 0);
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stats --json");
    assert_eq!(s["nodes"], report["counts"]["nodes"]);
    assert_eq!(s["edges"], report["counts"]["edges"]);
    assert_eq!(s["documents"], 5);
    assert!(s["most_connected"].as_array().expect("list").len() <= 3);
    let kinds: u64 = s["nodes_by_kind"]
        .as_object()
        .expect("kinds")
        .values()
        .map(|v| v.as_u64().expect("count"))
        .sum();
    assert_eq!(serde_json::Value::from(kinds), report["counts"]["nodes"]);
    assert_eq!(
        s["merges"].as_u64(),
        report["merges"].as_array().map(|m| m.len() as u64)
    );
    // stats of something that is not an export is an error.
    wd.run_expect(&["stats", "corpus"], 2);
    wd.run_expect(&["stats", "nowhere"], 2);
}

#[test]
fn report_warnings_use_the_documented_kinds() {
    let wd = Workdir::new();
    wd.copy_corpus();
    wd.run_expect(&["build"], 0);
    let report = wd.json("out/report.json");
    let formats = fs::read_to_string(repo().join("docs/formats.md")).expect("formats.md");
    let warnings = report["warnings"].as_array().expect("warnings");
    assert!(!warnings.is_empty(), "no warnings on the bundled corpus");
    for w in warnings {
        let kind = w["kind"].as_str().expect("kind");
        assert!(
            formats.contains(&format!("`{kind}`")),
            "{kind} is not in docs/formats.md"
        );
        assert!(w["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[test]
fn a_closed_stdout_ends_extract_quietly() {
    let wd = Workdir::new();
    let text = fs::read(repo().join("corpus/000_180bb694c03c79da.txt")).expect("corpus file");
    for i in 0..400 {
        wd.create(&format!("many/doc{i:03}.txt"), &text);
    }
    let mut child = wd
        .command(&["extract", "many", "--jobs", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("read the header line");
    // The reader is dropped here: the pipe is closed after one line, like `| head -1`.
    assert!(first.contains("newsgraph-partial"), "{first}");
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn exit_codes_follow_skipped_inputs_and_errors() {
    let wd = Workdir::new();
    wd.copy_corpus();
    wd.create("corpus/.hidden.txt", "hidden files are not inputs");
    wd.create("corpus/picture.png", [0x89u8, b'P', b'N', b'G', 0, 0]);
    wd.create("corpus/empty.txt", "");
    // Skipped inputs: 1, and they are listed on stderr.
    let out = wd.run_expect(&["build", "corpus", "--out", "b"], 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("picture.png"), "{stderr}");
    let out = wd.run(&["extract", "corpus"]);
    check(&out, 1, "extract");
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty.txt"));
    wd.create("p.jsonl", &out.stdout);
    // The skipped inputs are in the partial file, so merge says so too, and its export is the
    // build's.
    wd.run_expect(&["merge", "p.jsonl", "--out", "m"], 1);
    assert_same_export(&wd.path().join("b"), &wd.path().join("m"));
    // Quiet: nothing on stderr, the same exit code.
    let out = wd.run_expect(&["extract", "corpus", "-q"], 1);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Fatal and usage errors: 2.
    wd.run_expect(&["extract", "missing-dir"], 2);
    wd.run_expect(&["merge", "missing.jsonl"], 2);
    wd.create("not-partial.jsonl", "{\"id\":\"a\",\"text\":\"hello\"}\n");
    let out = wd.run_expect(&["merge", "not-partial.jsonl", "--out", "x"], 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not-partial.jsonl line 1"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!wd.path().join("x").exists());
    wd.run_expect(&["merge"], 2);
    wd.run_expect(&["merge", "p.jsonl", "--partial", "--out", "x"], 2);
    wd.run_expect(&["extract", "corpus", "--shard", "4/3"], 2);
    wd.run_expect(&["frobnicate"], 2);
}

#[test]
fn every_subcommand_has_examples_in_its_help() {
    let wd = Workdir::new();
    for sub in ["build", "extract", "merge", "stats"] {
        let out = wd.run_expect(&[sub, "--help"], 0);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Examples:"), "{sub} --help:\n{text}");
        assert!(
            text.contains(&format!("newsgraph {sub}")),
            "{sub} --help:\n{text}"
        );
    }
}

#[test]
fn neo4j_import_script_is_written_and_is_posix_sh() {
    let wd = Workdir::new();
    wd.copy_corpus();
    wd.run_expect(&["build", "--format", "neo4j"], 0);
    let script = wd.read("out/neo4j/import.sh");
    assert!(script.starts_with("#!/bin/sh\n"), "{script}");
    assert!(script.contains("neo4j-admin"), "{script}");
    assert!(script.contains("database import full"), "{script}");
    assert!(script.contains("--array-delimiter=';'"), "{script}");
    assert!(script.contains("--overwrite-destination"), "{script}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(wd.path().join("out/neo4j/import.sh"))
            .expect("import.sh")
            .permissions()
            .mode();
        assert_eq!(mode & 0o111, 0o111, "import.sh is not executable");
    }
    let sh = std::process::Command::new("sh")
        .arg("-n")
        .arg(wd.path().join("out/neo4j/import.sh"))
        .output();
    if let Ok(sh) = sh {
        assert!(
            sh.status.success(),
            "{}",
            String::from_utf8_lossy(&sh.stderr)
        );
    }
    // Run against a stand-in neo4j-admin that prints its arguments.
    let fake = wd.create(
        "bin/fake-admin",
        "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).expect("chmod");
        let out = std::process::Command::new("sh")
            .arg(wd.path().join("out/neo4j/import.sh"))
            .arg("news")
            .env("NEO4J_ADMIN", &fake)
            .output()
            .expect("run import.sh");
        assert!(out.status.success());
        let args = String::from_utf8_lossy(&out.stdout);
        let dir = fs::canonicalize(wd.path().join("out/neo4j")).expect("canonical");
        let expected = format!(
            "database\nimport\nfull\n--nodes={0}/nodes.csv\n--relationships={0}/relationships.csv\n--array-delimiter=;\n--overwrite-destination\nnews\n",
            dir.display()
        );
        assert_eq!(args, expected);
    }
    // load.cypher: the schema first, before any LOAD CSV, and idempotent.
    let cypher = wd.read("out/neo4j/load.cypher");
    let first_load = cypher.find("LOAD CSV").expect("LOAD CSV");
    let constraint = cypher.find("CREATE CONSTRAINT").expect("constraint");
    assert!(constraint < first_load);
    assert!(cypher[constraint..].starts_with(
        "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;"
    ));
    assert!(
        !cypher.contains("CREATE ("),
        "nodes and relationships are merged, not created"
    );
    assert!(cypher.contains("MERGE (n:Entity {id: "));
}
