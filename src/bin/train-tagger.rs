//! Trains, evaluates and benchmarks the named-entity tagger (`tagger` module).
//!
//! ```text
//! train-tagger TRAIN.txt --out MODEL.bin [--epochs N] [--prune F] [--snapshots 5,8] ...
//!     train both models (cased + lower-case) from CoNLL data; deterministic
//! train-tagger --predict MODEL.bin DOCS_DIR [--lowercase-input] [--mode auto|cased|lower]
//!              [--demonyms-as-place] [--misc-as-place]
//!     tag every DOCS_DIR/*.txt, write score.py PRED JSONL to stdout
//! train-tagger --bench MODEL.bin DIR [--repeat N]
//!     speed: tokenize + split + tag every DIR/*.txt on one thread (best of N passes)
//! ```
//! MODEL.bin may be `embedded` for the model compiled into the binary.
use std::io::Write;
use std::process::ExitCode;

use newsgraph::tagger::train::{TrainConfig, read_conll, train};
use newsgraph::tagger::{EntityType, Tagger, is_demonym, tokenize_into};

fn load(path: &str) -> Result<Tagger, String> {
    if path == "embedded" {
        return Tagger::embedded().map_err(|e| e.to_string());
    }
    let b = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    Tagger::from_bytes(&b).map_err(|e| format!("{path}: {e}"))
}

fn txt_files(dir: &str) -> Result<Vec<std::path::PathBuf>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{dir}: {e}"))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    Ok(files)
}

fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn flag(args: &[String], name: &str) -> bool {
    args.iter().any(|a| a == name)
}

fn opt<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(|s| s.as_str())
}

fn predict(args: &[String]) -> Result<(), String> {
    let [model, dir, ..] = args else {
        return Err("usage: train-tagger --predict MODEL.bin DOCS_DIR [options]".into());
    };
    let tagger = load(model)?;
    let lower_input = flag(args, "--lowercase-input");
    let misc_place = flag(args, "--misc-as-place");
    let demonym_place = flag(args, "--demonyms-as-place");
    let mode = match opt(args, "--mode").unwrap_or("auto") {
        "cased" => Some(false),
        "lower" => Some(true),
        _ => None,
    };
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let mut ents = Vec::new();
    for p in txt_files(dir)? {
        let mut text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        if lower_input {
            // one char for one char, so that the gold char offsets stay valid
            text = text
                .chars()
                .map(|c| {
                    let mut l = c.to_lowercase();
                    if l.len() == 1 { l.next().unwrap() } else { c }
                })
                .collect();
        }
        ents.clear();
        tagger.tag_document_into(&text, mode, &mut ents);
        let name = p.file_name().unwrap().to_string_lossy();
        let id = name.strip_suffix(".txt").unwrap_or(&name);
        let mut line = String::from("{\"doc\": ");
        json_str(id, &mut line);
        line.push_str(", \"entities\": [");
        let mut first = true;
        for e in &ents {
            let s = &text[e.byte_start..e.byte_end];
            let ty = match e.ty {
                EntityType::Per => "Person",
                EntityType::Org => "Group",
                EntityType::Loc => "Place",
                EntityType::Misc if misc_place || (demonym_place && is_demonym(s)) => "Place",
                EntityType::Misc => continue,
            };
            if !first {
                line.push_str(", ");
            }
            first = false;
            line.push_str("{\"text\": ");
            json_str(s, &mut line);
            line.push_str(&format!(
                ", \"type\": \"{ty}\", \"start\": {}, \"end\": {}, \"score\": {:.3}}}",
                e.start, e.end, e.score
            ));
        }
        line.push_str("], \"attacks\": []}\n");
        w.write_all(line.as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// On-CPU time of this thread in seconds (Linux), if available: excludes time spent waiting
/// for a core on a shared machine.
fn cpu_time() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(s.split_whitespace().next()?.parse::<f64>().ok()? / 1e9)
}

fn bench(args: &[String]) -> Result<(), String> {
    let [model, dir, ..] = args else {
        return Err("usage: train-tagger --bench MODEL.bin DIR [--repeat N]".into());
    };
    let t0 = std::time::Instant::now();
    let tagger = load(model)?;
    println!("model load: {:.1} ms", t0.elapsed().as_secs_f64() * 1e3);
    let repeat: usize = opt(args, "--repeat")
        .map(|r| r.parse().unwrap_or(3))
        .unwrap_or(3)
        .max(1);
    let texts: Vec<String> = txt_files(dir)?
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let mut toks = Vec::new();
    let mut ntok = 0;
    let t0 = std::time::Instant::now();
    for t in &texts {
        tokenize_into(t, &mut toks);
        ntok += toks.len();
    }
    let dt = t0.elapsed().as_secs_f64();
    println!(
        "tokenize only: {:.1} MB/s ({ntok} tokens)",
        bytes as f64 / dt / 1e6
    );
    let mut ents = Vec::new();
    let (mut wall, mut cpu) = (f64::MAX, f64::MAX);
    let mut n = 0;
    for _ in 0..repeat {
        let t0 = std::time::Instant::now();
        let c0 = cpu_time();
        n = 0;
        for t in &texts {
            ents.clear();
            tagger.tag_document_into(t, None, &mut ents);
            n += ents.len();
        }
        wall = wall.min(t0.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c0, cpu_time()) {
            cpu = cpu.min(b - a);
        }
    }
    println!(
        "tokenize+split+tag, 1 thread, best of {repeat}: {:.1} MB/s wall ({:.3} s), {:.2} M tokens/s; \
         {bytes} bytes, {} docs, {n} entities",
        bytes as f64 / wall / 1e6,
        wall,
        ntok as f64 / wall / 1e6,
        texts.len()
    );
    if cpu < f64::MAX {
        println!(
            "  on-CPU time: {:.1} MB/s ({cpu:.3} s)",
            bytes as f64 / cpu / 1e6
        );
    }
    Ok(())
}

fn train_cmd(args: &[String]) -> Result<(), String> {
    let mut cfg = TrainConfig::default();
    let mut input = None;
    let mut out = String::from("ner.bin");
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let val = |i: usize| {
            args.get(i + 1)
                .cloned()
                .ok_or_else(|| format!("missing value for {a}"))
        };
        let num = |i: usize| -> Result<f64, String> {
            val(i)?
                .parse::<f64>()
                .map_err(|_| format!("bad number for {a}"))
        };
        match a {
            "--out" => out = val(i)?,
            "--epochs" => cfg.epochs = num(i)? as usize,
            "--seed" => cfg.seed = num(i)? as u64,
            "--min-count" => cfg.min_count = num(i)? as u32,
            "--prune" => cfg.prune = num(i)? as f32,
            "--clip" => cfg.clip_quantile = num(i)? as f32,
            "--folds" => cfg.folds = num(i)? as usize,
            "--pseudo-doc" => cfg.pseudo_doc = num(i)? as usize,
            "--title-case-every" => cfg.title_case_every = num(i)? as usize,
            "--lists" => cfg.lists_dir = Some(val(i)?.into()),
            "--snapshots" => {
                cfg.snapshots = val(i)?
                    .split(',')
                    .map(|x| x.parse().map_err(|_| "bad --snapshots".to_string()))
                    .collect::<Result<_, _>>()?
            }
            "-q" | "--quiet" => {
                cfg.verbose = false;
                i += 1;
                continue;
            }
            _ if a.starts_with('-') => return Err(format!("unknown option {a}")),
            _ => {
                input = Some(a.to_string());
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    let input = input.ok_or("usage: train-tagger TRAIN.txt --out MODEL.bin [--epochs N]")?;
    let t0 = std::time::Instant::now();
    let text = std::fs::read_to_string(&input).map_err(|e| format!("{input}: {e}"))?;
    let sents = read_conll(&text).map_err(|e| format!("{input}: {e}"))?;
    let models = train(&sents, &cfg).map_err(|e| format!("reading lists: {e}"))?;
    for (epoch, tagger) in models {
        let bytes = tagger.to_bytes();
        let path = if epoch == cfg.epochs {
            out.clone()
        } else {
            format!("{out}.e{epoch}")
        };
        std::fs::write(&path, &bytes).map_err(|e| format!("{path}: {e}"))?;
        let (a, b, c, p) = tagger.sizes();
        let (d1, d2) = tagger.dropped();
        eprintln!(
            "wrote {path}: {} bytes (features cased {a}, lower {b}; lexicon {c}; list phrases {p}; \
             not in table: {d1}, {d2})",
            bytes.len()
        );
    }
    eprintln!("training took {:.1}s", t0.elapsed().as_secs_f32());
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let r = match args.first().map(|s| s.as_str()) {
        Some("--predict") => predict(&args[1..]),
        Some("--bench") => bench(&args[1..]),
        Some("-h" | "--help") | None => {
            eprintln!(
                "usage:\n  train-tagger TRAIN.txt --out MODEL.bin [--epochs N] [--prune F]\n  \
                 train-tagger --predict MODEL.bin|embedded DOCS_DIR [--lowercase-input] \
                 [--mode auto|cased|lower] [--demonyms-as-place]\n  \
                 train-tagger --bench MODEL.bin|embedded DIR [--repeat N]"
            );
            Ok(())
        }
        _ => train_cmd(&args),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("train-tagger: {e}");
            ExitCode::FAILURE
        }
    }
}
