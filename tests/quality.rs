//! Quality floors on `../shared/devset`: entity and attack-role F1 (score.py, after
//! graph2pred.py) must not fall below values a little under the measured scores
//! (docs/quality.md). Skipped with a message when the devset or python3 is missing.
//!
//! To re-measure: `scripts/devset-eval.sh`.

mod util;

use std::path::Path;
use std::process::Command;

use util::{Workdir, shared};

/// Builds `set`'s documents and returns score.py's JSON.
fn score(set: &str) -> Option<serde_json::Value> {
    let shared = shared()?;
    let devset = shared.join("devset");
    if !devset.join(set).is_dir() {
        eprintln!("SKIPPED: {} not found", devset.join(set).display());
        return None;
    }
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("SKIPPED: python3 not installed");
        return None;
    }
    let wd = Workdir::new();
    let docs = devset.join(set).join("docs");
    let docs_arg = docs.to_string_lossy().into_owned();
    let out = wd.run(&["build", &docs_arg, "--out", "out", "--format", "json", "-q"]);
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "build of {set} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pred = run_python(
        &devset.join("graph2pred.py"),
        &[
            &wd.path().join("out/graph.json").to_string_lossy(),
            "--docs",
            &docs_arg,
        ],
    );
    let pred_path = wd.create("pred.jsonl", pred);
    let scored = run_python(
        &devset.join("score.py"),
        &[
            &devset.join(set).join("gold.jsonl").to_string_lossy(),
            &pred_path.to_string_lossy(),
            "--json",
        ],
    );
    Some(serde_json::from_slice(&scored).expect("score.py --json"))
}

fn run_python(script: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new("python3")
        .arg(script)
        .args(args)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{} failed: {}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn f1(v: &serde_json::Value, layer: &str, mode: &str, ty: &str) -> f64 {
    v[layer][mode][ty]["f1"]
        .as_f64()
        .unwrap_or_else(|| panic!("no {layer}/{mode}/{ty} in score"))
}

fn assert_floor(set: &str, what: &str, got: f64, floor: f64) {
    assert!(
        got >= floor,
        "{set} {what}: F1 {got:.3} fell below the floor {floor:.3} (see docs/quality.md)"
    );
    eprintln!("{set} {what}: F1 {got:.3} (floor {floor:.3})");
}

#[test]
fn conll2003_entity_f1_stays_above_its_floor() {
    let Some(s) = score("conll2003") else { return };
    assert_floor(
        "conll2003",
        "entities strict ALL",
        f1(&s, "entities", "strict", "ALL"),
        0.88,
    );
    assert_floor(
        "conll2003",
        "entities strict Person",
        f1(&s, "entities", "strict", "Person"),
        0.92,
    );
    assert_floor(
        "conll2003",
        "entities strict Group",
        f1(&s, "entities", "strict", "Group"),
        0.79,
    );
    assert_floor(
        "conll2003",
        "entities strict Place",
        f1(&s, "entities", "strict", "Place"),
        0.90,
    );
}

#[test]
fn wikievents_entity_and_role_f1_stay_above_their_floors() {
    let Some(s) = score("wikievents") else { return };
    assert_floor(
        "wikievents",
        "entities strict ALL",
        f1(&s, "entities", "strict", "ALL"),
        0.72,
    );
    assert_floor(
        "wikievents",
        "entities strict Group",
        f1(&s, "entities", "strict", "Group"),
        0.64,
    );
    assert_floor(
        "wikievents",
        "roles strict ALL",
        f1(&s, "roles", "strict", "ALL"),
        0.45,
    );
    assert_floor(
        "wikievents",
        "roles strict victim",
        f1(&s, "roles", "strict", "victim"),
        0.58,
    );
}

#[test]
fn wikievents_train_role_f1_stays_above_its_floor() {
    let Some(s) = score("wikievents_train") else {
        return;
    };
    assert_floor(
        "wikievents_train",
        "roles strict ALL",
        f1(&s, "roles", "strict", "ALL"),
        0.43,
    );
    assert_floor(
        "wikievents_train",
        "roles strict target",
        f1(&s, "roles", "strict", "target"),
        0.22,
    );
}

#[test]
fn muc4_role_f1_stays_above_its_floor() {
    let Some(s) = score("muc4") else { return };
    assert_floor(
        "muc4",
        "roles lenient ALL",
        f1(&s, "roles", "lenient", "ALL"),
        0.39,
    );
}
