//! The shipped tagger model (`data/model/ner.bin`) is what the documented training command
//! makes from CoNLL-2003 train and the shipped lists (docs/tagger.md): its name-list features
//! are built from `data/`, so a list edited without retraining makes the model irreproducible.
//! Skipped with a message when `../shared/train` is missing.

mod util;

use std::process::Command;

use util::{Workdir, repo, shared};

#[test]
fn shipped_model_is_what_the_training_command_makes_from_the_shipped_lists() {
    let Some(shared) = shared() else {
        eprintln!("SKIPPED: ../shared not found");
        return;
    };
    let train = shared.join("train/conll2003/train.txt");
    if !train.is_file() {
        eprintln!("SKIPPED: {} not found", train.display());
        return;
    }
    let wd = Workdir::new();
    let model = wd.path().join("ner.bin");
    let out = Command::new(env!("CARGO_BIN_EXE_train-tagger"))
        .arg(&train)
        .arg("--lists")
        .arg(repo().join("data"))
        .arg("--out")
        .arg(&model)
        .output()
        .expect("run train-tagger");
    assert!(
        out.status.success(),
        "train-tagger failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let trained = std::fs::read(&model).expect("read the trained model");
    let shipped = std::fs::read(repo().join("data/model/ner.bin")).expect("read ner.bin");
    assert!(
        trained == shipped,
        "data/model/ner.bin ({} bytes) is not what training on the shipped lists makes ({} bytes): \
         retrain with `cargo run --release --bin train-tagger -- \
         ../shared/train/conll2003/train.txt --lists data --out data/model/ner.bin`",
        shipped.len(),
        trained.len()
    );
}
