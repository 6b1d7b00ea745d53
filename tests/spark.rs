//! The Spark job (`contrib/spark/newsgraph_spark.py`) in Spark local mode writes the same
//! export as `newsgraph build` of the same inputs, byte for byte and file by file, report.json
//! included:
//!
//! * the BBC bench corpus (`../shared/bench-corpus/bbc`, 2,225 files) in 3 partitions, merged
//!   as a tree of fan-in 2 (so `merge --partial` runs on the executors);
//! * the bundled `corpus/` directory together with a JSONL file made from it (with a blank
//!   line, a bad line and a repeated id), in 2 partitions: exit code 1 (some inputs skipped)
//!   is passed on, not taken for a failure;
//! * a newsgraph that fails makes the job exit with 2 and show newsgraph's stderr.
//!
//! Python is `$NEWSGRAPH_PYTHON` or `<repo>/.venv/bin/python`, with pyspark from
//! `contrib/spark/requirements.txt` (installed by `.ci/setup`), and `java` on PATH. When one
//! is missing the tests print `SKIPPED` and pass, unless `NEWSGRAPH_REQUIRE_CONSUMERS=1` (as
//! in `.ci/run`), where they fail.

mod util;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use util::{Workdir, bin, repo, shared, tree};

/// Upper bound for one run of the job (the BBC run takes 20 to 40 s on 2 busy cores).
const JOB_TIMEOUT: Duration = Duration::from_secs(300);

fn require() -> bool {
    std::env::var("NEWSGRAPH_REQUIRE_CONSUMERS").is_ok_and(|v| v == "1")
}

/// Skips the test (prints why), or fails it under `NEWSGRAPH_REQUIRE_CONSUMERS=1`.
fn skip(why: &str) {
    assert!(
        !require(),
        "FAILED: {why} (run .ci/setup), and NEWSGRAPH_REQUIRE_CONSUMERS=1 makes that a failure"
    );
    println!("SKIPPED: {why} (run .ci/setup)");
    eprintln!("SKIPPED: {why} (run .ci/setup)");
}

/// The venv's Python when it can import pyspark and `java` runs, or why not.
fn spark_python() -> Result<PathBuf, String> {
    let python = match std::env::var_os("NEWSGRAPH_PYTHON").filter(|p| !p.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => repo().join(".venv/bin/python"),
    };
    let imports = Command::new(&python)
        .args(["-c", "import pyspark"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !imports.is_ok_and(|s| s.success()) {
        return Err(format!(
            "pyspark not installed ({} cannot import it)",
            python.display()
        ));
    }
    let java = Command::new("java")
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !java.is_ok_and(|s| s.success()) {
        return Err("java not installed (Spark needs a JDK/JRE 17)".into());
    }
    Ok(python)
}

/// Runs `cmd` in `dir`, capturing its output, killing it after [`JOB_TIMEOUT`].
fn run_with_timeout(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the Spark job");
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let out = thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out_pipe.read_to_end(&mut b);
        b
    });
    let err = thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err_pipe.read_to_end(&mut b);
        b
    });
    let deadline = Instant::now() + JOB_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the Spark job") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the Spark job did not finish within {JOB_TIMEOUT:?}; killed.\n{}",
                String::from_utf8_lossy(&err.join().unwrap_or_default())
            );
        }
        thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

/// Runs the job in local mode on 2 cores: `newsgraph_spark.py ARGS --out <wd>/OUT`.
fn run_job(python: &Path, wd: &Workdir, binary: &Path, args: &[&str], out: &str) -> Output {
    let started = Instant::now();
    let mut cmd = Command::new(python);
    cmd.current_dir(wd.path())
        .arg(repo().join("contrib/spark/newsgraph_spark.py"))
        .args(["--master", "local[2]", "--binary"])
        .arg(binary)
        .args(["--out", out])
        .args(args)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("SPARK_LOCAL_IP", "127.0.0.1");
    let output = run_with_timeout(&mut cmd);
    println!(
        "spark job {args:?}: exit {:?} in {:.1} s",
        output.status.code(),
        started.elapsed().as_secs_f64()
    );
    output
}

fn assert_exit(out: &Output, code: i32, what: &str) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{what} exited {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every file of the two export directories is the same, and they hold the same files.
fn assert_same_exports(build: &Path, spark: &Path) {
    let expected = tree(build);
    let got = tree(spark);
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&got),
        names(&expected),
        "the job wrote other files than build"
    );
    assert!(expected.iter().any(|(n, _)| n == "report.json"));
    for ((name, want), (_, have)) in expected.iter().zip(&got) {
        assert!(
            want == have,
            "{name} differs between build ({} bytes) and the Spark job ({} bytes)",
            want.len(),
            have.len()
        );
    }
}

#[test]
fn bbc_in_three_partitions_equals_build() {
    let python = match spark_python() {
        Ok(p) => p,
        Err(why) => return skip(&why),
    };
    let Some(shared) = shared() else {
        println!("SKIPPED: ../shared is not beside the repository");
        return;
    };
    let bbc = shared.join("bench-corpus/bbc");
    let bbc = bbc.to_str().expect("UTF-8 path");
    let wd = Workdir::new();
    let built = wd.run(&["-q", "build", bbc, "--out", "build"]);
    assert_exit(&built, 0, "newsgraph build");
    let job = run_job(
        &python,
        &wd,
        &bin(),
        &["--partitions", "3", "--fan-in", "2", bbc],
        "spark",
    );
    assert_exit(&job, 0, "the Spark job");
    let log = String::from_utf8_lossy(&job.stderr);
    assert!(
        log.contains("2225 files and 0 JSONL inputs in 3 partitions"),
        "{log}"
    );
    assert_same_exports(&wd.path().join("build"), &wd.path().join("spark"));
}

#[test]
fn corpus_directory_and_jsonl_in_two_partitions_equal_build() {
    let python = match spark_python() {
        Ok(p) => p,
        Err(why) => return skip(&why),
    };
    let wd = Workdir::new();
    let mut names: Vec<_> = fs::read_dir(repo().join("corpus"))
        .expect("corpus/")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    let mut jsonl = String::new();
    for (i, path) in names.iter().enumerate() {
        let text = fs::read_to_string(path).expect("read corpus file");
        let id = format!("feed/{}", path.file_stem().unwrap().to_string_lossy());
        let record = serde_json::json!({"id": id, "text": text, "source": "test"});
        jsonl.push_str(&format!("{record}\r\n"));
        if i == 1 {
            jsonl.push_str("\n{not json\n");
        }
    }
    // The first record again: a duplicate id, reported as skipped.
    let first = jsonl.lines().next().unwrap().to_string();
    jsonl.push_str(&first);
    jsonl.push('\n');
    wd.create("feed.jsonl", jsonl);
    let corpus = repo().join("corpus");
    let corpus = corpus.to_str().expect("UTF-8 path");
    let built = wd.run(&["-q", "build", corpus, "feed.jsonl", "--out", "build"]);
    assert_exit(&built, 1, "newsgraph build");
    let job = run_job(
        &python,
        &wd,
        &bin(),
        &["--partitions", "2", corpus, "feed.jsonl"],
        "spark",
    );
    assert_exit(&job, 1, "the Spark job");
    assert_same_exports(&wd.path().join("build"), &wd.path().join("spark"));
}

#[test]
fn a_failing_newsgraph_fails_the_job_with_its_stderr() {
    let python = match spark_python() {
        Ok(p) => p,
        Err(why) => return skip(&why),
    };
    let wd = Workdir::new();
    let fake = wd.create(
        "newsgraph",
        "#!/bin/sh\necho 'newsgraph: error: the disk is on fire' >&2\nexit 2\n",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let corpus = repo().join("corpus");
    let job = run_job(
        &python,
        &wd,
        &fake,
        &["--partitions", "2", corpus.to_str().unwrap()],
        "spark",
    );
    assert_exit(&job, 2, "the Spark job with a failing newsgraph");
    let log = String::from_utf8_lossy(&job.stderr);
    assert!(log.contains("the disk is on fire"), "{log}");
    assert!(log.contains("newsgraph extract (partition"), "{log}");
    assert!(!wd.path().join("spark").exists());
}

/// Incremental batches through the job: day 1 saves its merged partial, day 2 merges it with
/// its own batch and keeps day 1's ids with `--previous`; the result equals the same steps
/// done with `newsgraph extract` and `newsgraph merge --previous`.
#[test]
fn daily_batches_through_the_job_equal_merge_previous() {
    let python = match spark_python() {
        Ok(p) => p,
        Err(why) => return skip(&why),
    };
    let wd = Workdir::new();
    let fixtures = repo().join("tests/fixtures/incremental");
    for batch in ["b1", "b2"] {
        wd.copy_tree(&fixtures.join(batch), batch);
    }
    let day1 = run_job(
        &python,
        &wd,
        &bin(),
        &["--partitions", "2", "--save-partial", "day1.jsonl", "b1"],
        "spark1",
    );
    assert_exit(&day1, 0, "the Spark job, day 1");
    let day2 = run_job(
        &python,
        &wd,
        &bin(),
        &[
            "--partitions",
            "2",
            "--earlier-partial",
            "day1.jsonl",
            "--previous",
            "spark1",
            "b2",
        ],
        "spark2",
    );
    assert_exit(&day2, 0, "the Spark job, day 2");

    for batch in ["b1", "b2"] {
        let out = wd.run(&["-q", "extract", batch]);
        assert_exit(&out, 0, "newsgraph extract");
        wd.create(&format!("{batch}.jsonl"), out.stdout);
    }
    let merged1 = wd.run(&["-q", "merge", "b1.jsonl", "--out", "cli1"]);
    assert_exit(&merged1, 0, "newsgraph merge, day 1");
    let merged2 = wd.run(&[
        "-q",
        "merge",
        "b1.jsonl",
        "b2.jsonl",
        "--previous",
        "cli1",
        "--out",
        "cli2",
    ]);
    assert_exit(&merged2, 0, "newsgraph merge --previous, day 2");
    assert_same_exports(&wd.path().join("cli1"), &wd.path().join("spark1"));
    assert_same_exports(&wd.path().join("cli2"), &wd.path().join("spark2"));
    assert!(wd.read("spark2/report.json").contains("\"redirects\""));
}
