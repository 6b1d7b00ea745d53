//! Bad input and failing output (issue 8): every input is either in the graph or listed in
//! `report.json` with the reason it is not (and named on stderr), the exit code says which
//! (0 ok, 1 some inputs skipped or partly read, 2 fatal), and `out/` is either the old complete
//! export or the new complete one. `docs/reliability.md` maps each class to its test here.

mod util;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use util::{Workdir, tree};

// ---------------------------------------------------------------------------------------------
// helpers

/// Runs `newsgraph ARGS` with `env`, failing the test (and killing it) if it takes more than
/// `secs` seconds: a hang is a failure, not a stuck test run.
fn run_within(wd: &Workdir, args: &[&str], env: &[(&str, &str)], secs: u64) -> Output {
    let mut cmd = wd.command(args);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn newsgraph");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if started.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "newsgraph {args:?} did not finish within {secs} s (a hang)\nstderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Runs `newsgraph ARGS` (60 s at most) and asserts the exit code.
fn run_code(wd: &Workdir, args: &[&str], env: &[(&str, &str)], code: i32) -> Output {
    let out = run_within(wd, args, env, 60);
    assert_eq!(
        out.status.code(),
        Some(code),
        "newsgraph {args:?} exited {:?}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The report entry of `path` (and JSONL `line`), panicking with the whole list if absent.
fn entry<'a>(report: &'a Value, path: &str, line: Option<u64>) -> &'a Value {
    let inputs = report["inputs"].as_array().expect("inputs");
    inputs
        .iter()
        .find(|r| r["path"] == path && r["line"].as_u64() == line)
        .unwrap_or_else(|| panic!("no input {path} {line:?} in report.json: {inputs:#?}"))
}

/// Asserts that `path` (line `line`) has `status` in report.json with a reason containing
/// `reason`, and that stderr names the file and the same problem.
fn assert_listed(
    out: &Output,
    report: &Value,
    path: &str,
    line: Option<u64>,
    status: &str,
    reason: &str,
) {
    let e = entry(report, path, line);
    assert_eq!(e["status"], status, "{path} {line:?}: {e}");
    let why = e["reason"]
        .as_str()
        .unwrap_or_else(|| panic!("no reason: {e}"));
    assert!(
        why.contains(reason),
        "{path}: reason {why:?} lacks {reason:?}"
    );
    let err = stderr(out);
    let line_part = line.map(|l| format!(" line {l}")).unwrap_or_default();
    let wanted = format!("{path}{line_part}: ");
    let found = err
        .lines()
        .any(|l| l.contains(&wanted) && l.contains(reason));
    assert!(found, "stderr lacks {wanted:?} ... {reason:?}:\n{err}");
}

/// XML-illegal characters removed, as every export does with every string.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
        })
        .collect()
}

/// Checks that every mention and evidence offset of `graph.json` indexes the document text
/// (`texts`: doc id -> text as decoded) in characters. Returns how many spans were checked.
fn check_offsets(graph: &Value, texts: &BTreeMap<&str, String>) -> usize {
    let chars: BTreeMap<&str, Vec<char>> = texts
        .iter()
        .map(|(k, v)| (*k, v.chars().collect()))
        .collect();
    let span = |doc: &str, s: &Value, e: &Value| -> String {
        let c = chars
            .get(doc)
            .unwrap_or_else(|| panic!("unknown doc {doc}"));
        let (s, e) = (s.as_u64().unwrap() as usize, e.as_u64().unwrap() as usize);
        assert!(
            s <= e && e <= c.len(),
            "{doc}: {s}..{e} outside 0..{}",
            c.len()
        );
        clean(&c[s..e].iter().collect::<String>())
    };
    let mut checked = 0;
    for node in graph["nodes"].as_array().unwrap() {
        for m in node["mentions"].as_array().into_iter().flatten() {
            let doc = m["doc"].as_str().unwrap();
            assert_eq!(span(doc, &m["start"], &m["end"]), m["text"], "mention {m}");
            checked += 1;
        }
    }
    for edge in graph["edges"].as_array().unwrap() {
        for ev in edge["evidence"].as_array().into_iter().flatten() {
            let doc = ev["doc"].as_str().unwrap();
            assert_eq!(
                span(doc, &ev["start"], &ev["end"]),
                ev["quote"],
                "evidence {ev}"
            );
            checked += 1;
        }
    }
    checked
}

/// Names of what lies beside the export directory `out` (to find leftover temporaries).
fn beside(wd: &Workdir) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(wd.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// `(element id, key) -> text` of every `<data>` in a GraphML file, as an XML parser reads it.
fn graphml_data(text: &str) -> BTreeMap<(String, String), String> {
    use quick_xml::XmlVersion;
    use quick_xml::events::Event;
    use quick_xml::name::QName;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut owner = String::new();
    let mut data = BTreeMap::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if matches!(e.name().as_ref(), "node" | "edge") => {
                let id = e.try_get_attribute("id").unwrap().unwrap();
                owner = id
                    .normalized_value(XmlVersion::Explicit1_0)
                    .unwrap()
                    .into_owned();
            }
            Event::Start(e) if e.name().as_ref() == "data" => {
                let key = e.try_get_attribute("key").unwrap().unwrap();
                let key = key
                    .normalized_value(XmlVersion::Explicit1_0)
                    .unwrap()
                    .into_owned();
                let raw = reader.read_text(QName("data")).unwrap().xml10_content();
                let value = quick_xml::escape::unescape(&raw).unwrap().into_owned();
                data.insert((owner.clone(), key), value);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    data
}

/// Rows of a CSV file as header -> value maps; `gephi` reads it as Gephi does (`\` escapes).
fn csv_rows(path: &Path, gephi: bool) -> Vec<BTreeMap<String, String>> {
    let mut b = csv::ReaderBuilder::new();
    if gephi {
        b.escape(Some(b'\\')).double_quote(true);
    }
    let mut r = b.from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// xmllint on `file` (with the GraphML schema for `.graphml`); `None` when xmllint is missing.
fn xmllint(file: &Path) -> Option<(bool, String)> {
    let mut cmd = Command::new("xmllint");
    cmd.args(["--noout", "--nonet"]);
    let xsd = util::repo().join("../shared/schemas/graphml/graphml.xsd");
    if file.extension().is_some_and(|e| e == "graphml") && xsd.is_file() {
        cmd.arg("--schema").arg(xsd);
    }
    let out = cmd.arg(file).output().ok()?;
    Some((out.status.success(), stderr(&out)))
}

const CLEAN_ARTICLE: &str = "President Vladimir Putin spoke in Moscow on Friday.\n";

// ---------------------------------------------------------------------------------------------
// encodings

#[test]
fn binary_files_are_skipped_and_named() {
    let wd = Workdir::new();
    wd.create("in/good.txt", CLEAN_ARTICLE);
    // A PNG header (NUL bytes early on), random-looking bytes, junk that starts like UTF-16.
    wd.create(
        "in/image.txt",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0",
    );
    let noise: Vec<u8> = (0..4000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 0x80)
        .collect();
    wd.create("in/noise.txt", &noise);
    // Binary records that happen to start with FF FE: as UTF-16 they are control characters.
    let mut fake16 = vec![0xFF, 0xFE];
    fake16.extend((0..2000u32).map(|i| if i % 2 == 1 { 0 } else { (i % 20) as u8 }));
    wd.create("in/fake-utf16.txt", &fake16);
    let out = run_code(&wd, &["build", "in", "-o", "o"], &[], 1);
    let report = wd.json("o/report.json");
    for f in ["image.txt", "noise.txt", "fake-utf16.txt"] {
        assert_listed(&out, &report, f, None, "skipped", "binary file");
    }
    assert_eq!(entry(&report, "good.txt", None)["status"], "ok");
}

#[test]
fn invalid_utf8_is_replaced_and_the_input_is_partial() {
    let wd = Workdir::new();
    let raw = b"Caf\xE9 owner Vladimir Putin spoke in Moscow on Friday.\n";
    wd.create("in/latin1.txt", raw);
    let out = run_code(&wd, &["build", "in", "-o", "o"], &[], 1);
    let report = wd.json("o/report.json");
    assert_listed(
        &out,
        &report,
        "latin1.txt",
        None,
        "partial",
        "invalid UTF-8",
    );
    let text = String::from_utf8_lossy(raw).into_owned();
    let texts = BTreeMap::from([("latin1", text)]);
    assert!(check_offsets(&wd.json("o/graph.json"), &texts) > 0);
}

#[test]
fn utf16_le_and_be_with_bom_are_decoded_and_offsets_index_the_text() {
    let wd = Workdir::new();
    let text = "Über Präsident Wladimir Putin: President Vladimir Putin spoke in Moscow.\n";
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    wd.create("in/le.txt", le);
    wd.create("in/be.txt", be);
    let out = run_code(&wd, &["build", "in", "-o", "o"], &[], 0);
    assert!(!stderr(&out).contains("skipped:"), "{}", stderr(&out));
    let report = wd.json("o/report.json");
    assert_eq!(entry(&report, "le.txt", None)["status"], "ok");
    assert_eq!(entry(&report, "be.txt", None)["status"], "ok");
    let texts = BTreeMap::from([("le", text.to_string()), ("be", text.to_string())]);
    let g = wd.json("o/graph.json");
    assert!(check_offsets(&g, &texts) >= 4);
}

#[test]
fn utf8_bom_is_dropped_and_offsets_index_the_text_after_it() {
    let wd = Workdir::new();
    wd.create(
        "in/bom.txt",
        [&[0xEF, 0xBB, 0xBF][..], CLEAN_ARTICLE.as_bytes()].concat(),
    );
    run_code(&wd, &["build", "in", "-o", "o"], &[], 0);
    let texts = BTreeMap::from([("bom", CLEAN_ARTICLE.to_string())]);
    let g = wd.json("o/graph.json");
    assert!(check_offsets(&g, &texts) > 0);
    assert_eq!(
        entry(&wd.json("o/report.json"), "bom.txt", None)["status"],
        "ok"
    );
}

#[test]
fn empty_and_whitespace_only_inputs_are_skipped() {
    let wd = Workdir::new();
    wd.create("in/good.txt", CLEAN_ARTICLE);
    wd.create("in/empty.txt", "");
    wd.create("in/blank.md", " \n\t\r\n \u{a0}\n");
    wd.create("in/bom-only.txt", [0xEF, 0xBB, 0xBF]);
    wd.create("in/empty.jsonl", "\n\n");
    let out = run_code(&wd, &["build", "in", "-o", "o"], &[], 1);
    let report = wd.json("o/report.json");
    assert_listed(
        &out,
        &report,
        "empty.txt",
        None,
        "skipped",
        "empty document",
    );
    assert_listed(
        &out,
        &report,
        "blank.md",
        None,
        "skipped",
        "whitespace-only",
    );
    assert_listed(
        &out,
        &report,
        "bom-only.txt",
        None,
        "skipped",
        "empty document",
    );
    assert_listed(&out, &report, "empty.jsonl", None, "skipped", "empty JSONL");
    assert_eq!(report["counts"]["documents"], 1);
}

#[test]
fn crlf_and_lone_cr_keep_offsets_indexing_the_text() {
    let wd = Workdir::new();
    let crlf = "Moscow bulletin\r\n\r\nPresident Vladimir Putin spoke in Moscow.\r\nGen. Michael Kurilla visited Kabul.\r\n";
    let cr = "Kabul bulletin\r\rGen. Michael Kurilla visited Kabul.\rPresident Vladimir Putin spoke in Moscow.\r";
    wd.create("in/crlf.txt", crlf);
    wd.create("in/cr.txt", cr);
    run_code(&wd, &["build", "in", "-o", "o"], &[], 0);
    let g = wd.json("o/graph.json");
    let texts = BTreeMap::from([("crlf", crlf.to_string()), ("cr", cr.to_string())]);
    assert!(check_offsets(&g, &texts) >= 8);
    // A mention after the line breaks: its offsets count every CR.
    let putin = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "person:vladimir-putin")
        .expect("Putin");
    let m = putin["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["doc"] == "cr")
        .unwrap();
    let want = cr.find("Vladimir Putin").unwrap(); // ASCII: bytes are characters
    assert!(m["start"].as_u64().unwrap() as usize >= want - "President ".len());
    // No CR reaches a quote in any CSV (quotes keep line breaks only as JSON escapes).
    for f in [
        "gephi/edges.csv",
        "neo4j/relationships.csv",
        "graph.graphml",
    ] {
        assert!(!wd.read(&format!("o/{f}")).contains('\r'), "{f} holds a CR");
    }
}

// ---------------------------------------------------------------------------------------------
// size limits

#[test]
fn a_50_mb_article_is_truncated_at_the_default_limit_in_reasonable_time() {
    let wd = Workdir::new();
    // Generated here, never committed: 50 MB of plain lines after one real sentence.
    let path = wd.path().join("in/huge.txt");
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(fs::File::create(&path).unwrap());
        f.write_all(CLEAN_ARTICLE.as_bytes()).unwrap();
        let line = "The Committee met again on Tuesday to discuss the Budget.\n";
        let mut written = CLEAN_ARTICLE.len();
        while written < 50_000_000 {
            f.write_all(line.as_bytes()).unwrap();
            written += line.len();
        }
    }
    let size = fs::metadata(&path).unwrap().len();
    let started = Instant::now();
    let out = run_code(&wd, &["build", "in", "-o", "o"], &[], 1);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(45), "took {took:?}");
    let report = wd.json("o/report.json");
    assert_listed(
        &out,
        &report,
        "huge.txt",
        None,
        "partial",
        "larger than the limit of 1048576 bytes",
    );
    assert_eq!(entry(&report, "huge.txt", None)["bytes"], size);
    let g = wd.json("o/graph.json");
    assert!(
        g["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["id"] == "person:vladimir-putin"),
        "the text before the cut is in the graph"
    );
}

#[test]
fn max_document_bytes_both_sides_of_the_limit() {
    let wd = Workdir::new();
    let body = |n: usize| {
        let mut s = CLEAN_ARTICLE.to_string();
        while s.len() < n {
            s.push_str("More words follow here.\n");
        }
        s.truncate(n - 1);
        s.push('\n');
        s
    };
    wd.create("in/at.txt", body(2000));
    wd.create("in/over.txt", body(2001));
    let out = run_code(
        &wd,
        &["build", "in", "-o", "o", "--max-document-bytes", "2000"],
        &[],
        1,
    );
    let report = wd.json("o/report.json");
    assert_eq!(entry(&report, "at.txt", None)["status"], "ok");
    assert_listed(
        &out,
        &report,
        "over.txt",
        None,
        "partial",
        "truncated at byte",
    );
    // JSONL records obey the same limit.
    wd.create(
        "feed.jsonl",
        format!("{}\n", serde_json::json!({"id": "big", "text": body(3000)})),
    );
    let out = run_code(
        &wd,
        &[
            "build",
            "feed.jsonl",
            "-o",
            "j",
            "--max-document-bytes",
            "2000",
        ],
        &[],
        1,
    );
    let report = wd.json("j/report.json");
    assert_listed(
        &out,
        &report,
        "feed.jsonl",
        Some(1),
        "partial",
        "larger than the limit",
    );
}

#[test]
fn a_5_mb_line_without_sentence_marks_is_cut_into_bounded_sentences() {
    let wd = Workdir::new();
    let mut line = String::from("President Vladimir Putin spoke in Moscow and ");
    while line.len() < 5 * 1024 * 1024 {
        line.push_str("then more and more words without any end ");
    }
    line.push_str("and Gen. Michael Kurilla visited Kabul and Moscow\n");
    wd.create("in/line.txt", &line);
    let started = Instant::now();
    run_code(
        &wd,
        &[
            "build",
            "in",
            "-o",
            "o",
            "--max-document-bytes",
            "6000000",
            "--max-sentence-bytes",
            "1000",
        ],
        &[],
        0,
    );
    assert!(
        started.elapsed() < Duration::from_secs(50),
        "{:?}",
        started.elapsed()
    );
    let g = wd.json("o/graph.json");
    let mut quotes = 0;
    for e in g["edges"].as_array().unwrap() {
        for ev in e["evidence"].as_array().into_iter().flatten() {
            let q = ev["quote"].as_str().unwrap();
            assert!(q.len() <= 1000, "a quote of {} bytes", q.len());
            quotes += 1;
        }
    }
    assert!(quotes > 0, "no evidence at all");
    let texts = BTreeMap::from([("line", line)]);
    check_offsets(&g, &texts);
}

// ---------------------------------------------------------------------------------------------
// hostile characters

#[test]
fn control_and_xml_illegal_characters_are_removed_from_every_export() {
    let wd = Workdir::new();
    let text = "President Vladimir\u{1} Putin spoke in Moscow\u{b} on Friday\u{c}.\u{1f}\n\
                Gen. Michael Kurilla\u{fffe} visited Kabul\u{ffff} with \u{7f}aides.\n";
    wd.create("in/ctl.txt", text);
    wd.create(
        "feed.jsonl",
        "{\"id\":\"j\\u00011\",\"title\":\"T\\u0000i\\u0008t\\u001fle\",\"text\":\"Vladimir Putin \\u0002visited Kabul.\"}\n",
    );
    run_code(
        &wd,
        &["build", "in", "feed.jsonl", "-o", "o", "--with-documents"],
        &[],
        0,
    );
    for (name, bytes) in tree(&wd.path().join("o")) {
        let t = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{name} is not UTF-8"));
        let bad: Vec<char> = t
            .chars()
            .filter(|&c| clean(&c.to_string()).is_empty())
            .collect();
        assert!(
            bad.is_empty(),
            "{name} holds XML-illegal characters {bad:?}"
        );
    }
    let texts = BTreeMap::from([("ctl", text.to_string())]);
    let g = wd.json("o/graph.json");
    let mut texts = texts;
    texts.insert("j_1", "Vladimir Putin \u{2}visited Kabul.".to_string());
    assert!(check_offsets(&g, &texts) > 0);
    for f in ["graph.graphml", "graph.gexf"] {
        match xmllint(&wd.path().join("o").join(f)) {
            Some((ok, err)) => assert!(ok, "{f} is not valid XML:\n{err}"),
            None => println!("SKIPPED xmllint check of {f}: xmllint is not installed"),
        }
    }
}

#[test]
fn right_to_left_and_combining_text_round_trips() {
    let wd = Workdir::new();
    // Arabic (right to left, with an RLM and tatweel), and "José" with a combining acute.
    let text = "قالت ولاية خراسان إن الدولة الإسلامية تقف وراء الهجوم.\u{200f}\n\
                President Vladimir Putin met Jose\u{301} Mari\u{301}a in Moscow.\n\
                Гражданин Владимир Путин спoke in Kabul.\n";
    wd.create("in/rtl.txt", text);
    let title = "\u{202e}ﺍﻟﻬﺠﻮﻡ e\u{301} — ‏عنوان";
    wd.create(
        "feed.jsonl",
        format!(
            "{}\n",
            serde_json::json!({"id": "rtl-j", "title": title, "text": text})
        ),
    );
    run_code(
        &wd,
        &["build", "in", "feed.jsonl", "-o", "o", "--with-documents"],
        &[],
        0,
    );
    let g = wd.json("o/graph.json");
    let texts = BTreeMap::from([("rtl", text.to_string()), ("rtl-j", text.to_string())]);
    assert!(check_offsets(&g, &texts) > 0);
    let doc = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["doc"] == "rtl-j")
        .expect("document node");
    assert_eq!(doc["title"], title);
    let id = doc["id"].as_str().unwrap().to_string();
    let gm = graphml_data(&wd.read("o/graph.graphml"));
    assert_eq!(gm[&(id.clone(), "n_title".to_string())], title);
    let gephi = csv_rows(&wd.path().join("o/gephi/nodes.csv"), true);
    assert_eq!(
        gephi.iter().find(|r| r["Id"] == id).unwrap()["title"],
        title
    );
    let neo = csv_rows(&wd.path().join("o/neo4j/nodes.csv"), false);
    assert_eq!(
        neo.iter().find(|r| r["id:ID(Entity)"] == id).unwrap()["title"],
        title
    );
}

#[test]
fn csv_and_xml_metacharacters_in_names_and_quotes_round_trip_in_every_export() {
    let wd = Workdir::new();
    let title = "Title; with, \"quotes\" C:\\path <b>&amp; 'x'\nsecond line";
    let want_title = "Title; with, \"quotes\" C:\\path <b>&amp; 'x' second line";
    let sentence = "President Vladimir Putin said \"C:\\feeds; a, b\" <b>&amp; 'q' in Moscow.";
    let text = format!("{sentence}\nIt was \\\"late\\\";\ttoo.\n");
    wd.create(
        "feed.jsonl",
        format!(
            "{}\n",
            serde_json::json!({"id": "meta;id", "title": title, "text": text})
        ),
    );
    run_code(
        &wd,
        &["build", "feed.jsonl", "-o", "o", "--with-documents"],
        &[],
        0,
    );
    let g = wd.json("o/graph.json");
    let nodes = g["nodes"].as_array().unwrap();
    let doc = nodes.iter().find(|n| n["kind"] == "document").unwrap();
    assert_eq!(doc["doc"], "meta_id", "`;` in an id becomes `_`");
    assert_eq!(doc["title"], want_title);
    let doc_id = doc["id"].as_str().unwrap().to_string();
    // The sentence with Putin and Moscow is evidence of an edge between them.
    let edge = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["evidence"]
                .as_array()
                .is_some_and(|ev| ev.iter().any(|x| x["quote"] == sentence))
        })
        .unwrap_or_else(|| panic!("no edge quotes {sentence:?}: {}", g["edges"]));
    let edge_id = edge["key"].as_str().unwrap().to_string();
    let quote_in = |json_text: &str| -> bool {
        let ev: Value = serde_json::from_str(json_text).unwrap();
        ev.as_array()
            .unwrap()
            .iter()
            .any(|x| x["quote"] == sentence)
    };
    let texts = BTreeMap::from([("meta_id", text.clone())]);
    check_offsets(&g, &texts);

    // GraphML, read by an XML parser.
    let gm = graphml_data(&wd.read("o/graph.graphml"));
    assert_eq!(gm[&(doc_id.clone(), "n_title".into())], want_title);
    assert!(quote_in(&gm[&(edge_id.clone(), "e_evidence".into())]));
    // Gephi CSV, read as Gephi does.
    let nodes = csv_rows(&wd.path().join("o/gephi/nodes.csv"), true);
    let row = nodes.iter().find(|r| r["Id"] == doc_id).unwrap();
    assert_eq!(row["title"], want_title);
    assert_eq!(row["Label"], want_title);
    let edges = csv_rows(&wd.path().join("o/gephi/edges.csv"), true);
    assert!(quote_in(
        &edges.iter().find(|r| r["Id"] == edge_id).unwrap()["evidence"]
    ));
    // Neo4j CSV, default dialect.
    let nodes = csv_rows(&wd.path().join("o/neo4j/nodes.csv"), false);
    let row = nodes.iter().find(|r| r["id:ID(Entity)"] == doc_id).unwrap();
    assert_eq!(row["title"], want_title);
    let rels = csv_rows(&wd.path().join("o/neo4j/relationships.csv"), false);
    assert!(quote_in(
        &rels.iter().find(|r| r["rel_id"] == edge_id).unwrap()["evidence_json"]
    ));
    // GEXF is well-formed XML with the title in it.
    if let Some((ok, err)) = xmllint(&wd.path().join("o/graph.gexf")) {
        assert!(ok, "{err}");
    }
    assert!(wd.read("o/graph.gexf").contains("&lt;b&gt;&amp;amp;"));
}

// ---------------------------------------------------------------------------------------------
// ids and JSONL

#[test]
fn duplicate_document_ids_keep_the_first_and_list_the_others() {
    let wd = Workdir::new();
    wd.create("a/x.txt", CLEAN_ARTICLE);
    wd.create("b/x.md", "Gen. Michael Kurilla visited Kabul.\n");
    wd.create(
        "feed.jsonl",
        "{\"id\":\"dup\",\"text\":\"Putin spoke.\"}\n{\"id\":\"dup\",\"text\":\"Kabul again.\"}\n",
    );
    let out = run_code(
        &wd,
        &["build", "a/x.txt", "b/x.md", "feed.jsonl", "-o", "o"],
        &[],
        1,
    );
    let report = wd.json("o/report.json");
    assert_eq!(entry(&report, "a/x.txt", None)["status"], "ok");
    assert_listed(
        &out,
        &report,
        "b/x.md",
        None,
        "skipped",
        "duplicate document id",
    );
    assert_eq!(entry(&report, "feed.jsonl", Some(1))["status"], "ok");
    assert_listed(
        &out,
        &report,
        "feed.jsonl",
        Some(2),
        "skipped",
        "duplicate document id",
    );
}

#[test]
fn bad_jsonl_lines_are_listed_with_their_line_numbers() {
    let wd = Workdir::new();
    let mut feed = Vec::new();
    feed.extend_from_slice(b"{\"id\":\"ok\",\"text\":\"Vladimir Putin spoke in Moscow.\"}\n"); // 1
    feed.extend_from_slice(b"this is not json\n"); // 2
    feed.extend_from_slice(b"[\"an\",\"array\"]\n"); // 3
    feed.extend_from_slice(b"{\"id\":\"no-text\",\"title\":\"T\"}\n"); // 4
    feed.extend_from_slice(b"{\"id\":\"num-text\",\"text\":42}\n"); // 5
    feed.extend_from_slice(b"{\"text\":\"no id\"}\n"); // 6
    feed.extend_from_slice(b"\n"); // 7: blank, ignored
    feed.extend_from_slice(b"{\"id\":\"bad\",\"text\":\"caf\xE9\"}\n"); // 8
    feed.extend_from_slice(b"{\"id\":\"cut\",\"text\":\"Kabul."); // 9: truncated record
    wd.create("feed.jsonl", &feed);
    let out = run_code(&wd, &["build", "feed.jsonl", "-o", "o"], &[], 1);
    let r = wd.json("o/report.json");
    assert_eq!(entry(&r, "feed.jsonl", Some(1))["status"], "ok");
    assert_listed(
        &out,
        &r,
        "feed.jsonl",
        Some(2),
        "skipped",
        "line is not JSON",
    );
    assert_listed(
        &out,
        &r,
        "feed.jsonl",
        Some(3),
        "skipped",
        "not a JSON object",
    );
    assert_listed(&out, &r, "feed.jsonl", Some(4), "skipped", "no \"text\"");
    assert_listed(
        &out,
        &r,
        "feed.jsonl",
        Some(5),
        "skipped",
        "\"text\" is a number",
    );
    assert_listed(&out, &r, "feed.jsonl", Some(6), "skipped", "no \"id\"");
    assert_listed(
        &out,
        &r,
        "feed.jsonl",
        Some(8),
        "skipped",
        "not valid UTF-8",
    );
    assert_listed(
        &out,
        &r,
        "feed.jsonl",
        Some(9),
        "skipped",
        "line is not JSON",
    );
    assert!(
        r["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["line"] != 7)
    );
    // The same on standard input, where the path is `-`.
    let out = wd.run_stdin(&["build", "-", "-o", "s"], &feed);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = wd.json("s/report.json");
    assert_listed(&out, &r, "-", Some(2), "skipped", "line is not JSON");
}

// ---------------------------------------------------------------------------------------------
// unreadable inputs

#[test]
fn unreadable_files_are_listed_and_the_run_goes_on() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let wd = Workdir::new();
    wd.create("in/good.txt", CLEAN_ARTICLE);
    // A file whose read fails for every user, root included: /proc/self/mem at offset 0
    // (unmapped memory) fails with EIO.
    symlink("/proc/self/mem", wd.path().join("in/mem.txt")).unwrap();
    // A FIFO: opening it would block forever; it must be listed, not read.
    let fifo = wd.path().join("in/pipe.txt");
    let made_fifo = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    // A symbolic link to nothing.
    symlink("nowhere.txt", wd.path().join("in/dangling.txt")).unwrap();
    // chmod 000: only a test when not running as root (root reads it anyway).
    let locked = wd.create("in/locked.txt", CLEAN_ARTICLE);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let root_reads = fs::read(&locked).is_ok();

    let out = run_code(&wd, &["build", "in", "-o", "o"], &[], 1);
    let report = wd.json("o/report.json");
    assert_eq!(entry(&report, "good.txt", None)["status"], "ok");
    assert_listed(&out, &report, "mem.txt", None, "skipped", "cannot read");
    assert_listed(
        &out,
        &report,
        "dangling.txt",
        None,
        "skipped",
        "cannot read",
    );
    if made_fifo {
        assert_listed(
            &out,
            &report,
            "pipe.txt",
            None,
            "skipped",
            "not a regular file (a FIFO)",
        );
    } else {
        println!("SKIPPED the FIFO case: mkfifo is not available");
    }
    if root_reads {
        println!(
            "SKIPPED the chmod 000 case: running as root, which reads the file anyway \
             (mem.txt covers a read that fails for every user)"
        );
        assert_eq!(entry(&report, "locked.txt", None)["status"], "ok");
    } else {
        assert_listed(&out, &report, "locked.txt", None, "skipped", "cannot read");
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn symbolic_link_loops_are_listed_not_followed() {
    use std::os::unix::fs::symlink;
    let wd = Workdir::new();
    wd.create("in/sub/good.txt", CLEAN_ARTICLE);
    symlink("..", wd.path().join("in/sub/up")).unwrap(); // in/sub/up -> in (an ancestor)
    symlink("self.txt", wd.path().join("in/self.txt")).unwrap(); // points at itself
    let out = run_code(&wd, &["build", "in", "-o", "o"], &[], 1);
    let report = wd.json("o/report.json");
    assert_eq!(entry(&report, "sub/good.txt", None)["status"], "ok");
    assert_listed(
        &out,
        &report,
        "sub/up",
        None,
        "skipped",
        "symbolic link loop",
    );
    assert_listed(&out, &report, "self.txt", None, "skipped", "cannot read");
    assert_eq!(report["counts"]["documents"], 1);
}

// ---------------------------------------------------------------------------------------------
// output failures

#[test]
fn output_path_that_is_a_file_under_a_file_or_not_writable_is_fatal() {
    let wd = Workdir::new();
    wd.create("in/a.txt", CLEAN_ARTICLE);
    wd.create("file", "i am a file");
    for (target, problem) in [
        ("file", "it is an existing file, not a directory"),
        ("file/sub", "Not a directory"),
        (
            "/proc/newsgraph-reliability/out",
            "cannot write the export to",
        ),
        ("/proc/version/out", "Not a directory"),
    ] {
        let out = run_code(&wd, &["build", "in", "-o", target], &[], 2);
        let err = stderr(&out);
        assert!(
            err.contains(target) && err.contains(problem),
            "{target}: stderr lacks the path or {problem:?}:\n{err}"
        );
        assert_eq!(wd.read("file"), "i am a file");
        assert!(beside(&wd).is_empty(), "left behind: {:?}", beside(&wd));
    }
}

/// An old export in `o`, returned as its files.
fn old_export(wd: &Workdir) -> Vec<(String, Vec<u8>)> {
    wd.create("old/a.txt", CLEAN_ARTICLE);
    run_code(wd, &["build", "old", "-o", "o"], &[], 0);
    tree(&wd.path().join("o"))
}

#[test]
fn a_full_disk_leaves_the_previous_export_intact_and_no_temporary_directory() {
    let wd = Workdir::new();
    let before = old_export(&wd);
    wd.create("new/a.txt", CLEAN_ARTICLE);
    wd.create(
        "new/b.txt",
        "Gen. Michael Kurilla visited Kabul on Monday.\n",
    );
    run_code(&wd, &["build", "new", "-o", "want"], &[], 0);
    let total: usize = tree(&wd.path().join("want"))
        .iter()
        .map(|(_, b)| b.len())
        .sum();
    fs::remove_dir_all(wd.path().join("want")).unwrap();
    // Nothing written, a little, half, and all but the very last byte.
    for budget in [0, 700, total / 2, total - 1] {
        let budget = budget.to_string();
        let out = run_code(
            &wd,
            &["build", "new", "-o", "o"],
            &[("NEWSGRAPH_TEST_FAIL_AFTER_BYTES", &budget)],
            2,
        );
        let err = stderr(&out);
        assert!(
            err.contains("no space left on device") && err.contains(".o.tmp-"),
            "budget {budget}: {err}"
        );
        assert_eq!(
            tree(&wd.path().join("o")),
            before,
            "budget {budget}: old export changed"
        );
        assert!(beside(&wd).is_empty(), "left behind: {:?}", beside(&wd));
    }
    // Without the hook the same run replaces the export.
    run_code(&wd, &["build", "new", "-o", "o"], &[], 0);
    assert_ne!(tree(&wd.path().join("o")), before);
}

#[test]
fn a_failed_forced_export_keeps_the_foreign_files_where_they_were() {
    let wd = Workdir::new();
    let before = old_export(&wd);
    wd.create("o/notes.txt", "mine");
    wd.create("o/gephi/layout.gephi", "mine too");
    let out = run_code(
        &wd,
        &["build", "old", "-o", "o", "--force"],
        &[("NEWSGRAPH_TEST_FAIL_AFTER_BYTES", "1000")],
        2,
    );
    assert!(stderr(&out).contains("no space left on device"));
    assert_eq!(wd.read("o/notes.txt"), "mine");
    assert_eq!(wd.read("o/gephi/layout.gephi"), "mine too");
    let now: Vec<_> = tree(&wd.path().join("o"))
        .into_iter()
        .filter(|(n, _)| n != "notes.txt" && n != "gephi/layout.gephi")
        .collect();
    assert_eq!(now, before);
    assert!(beside(&wd).is_empty(), "left behind: {:?}", beside(&wd));
    // Without --force the foreign files are refused, not deleted.
    let out = run_code(&wd, &["build", "old", "-o", "o"], &[], 2);
    assert!(stderr(&out).contains("notes.txt") || stderr(&out).contains("layout.gephi"));
}

#[test]
fn an_interrupted_run_leaves_the_old_or_the_new_export_never_a_mix() {
    let wd = Workdir::new();
    let old = old_export(&wd);
    for i in 0..6 {
        wd.create(
            &format!("new/{i}.txt"),
            format!("{CLEAN_ARTICLE}Gen. Michael Kurilla visited Kabul {i} times.\n"),
        );
    }
    // The complete new export, for comparison.
    run_code(&wd, &["build", "new", "-o", "want"], &[], 0);
    let new = tree(&wd.path().join("want"));
    fs::remove_dir_all(wd.path().join("want")).unwrap();
    // Kill (SIGKILL: no cleanup code runs) at different moments of the run.
    let mut outcomes = Vec::new();
    for delay_ms in [0, 5, 15, 30, 60, 120, 250] {
        let mut child = wd
            .command(&["build", "new", "-o", "o"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&wd.path().join("o"));
        assert!(
            now == old || now == new,
            "after a kill at {delay_ms} ms, o/ is neither the old nor the new export"
        );
        outcomes.push(if now == old { "old" } else { "new" });
        if now == new {
            // Start from the old export again.
            fs::remove_dir_all(wd.path().join("o")).unwrap();
            run_code(&wd, &["build", "old", "-o", "o"], &[], 0);
        }
    }
    println!("outcomes of the kills: {outcomes:?}");
    // A killed run may leave its temporary directory; the next run removes it.
    run_code(&wd, &["build", "new", "-o", "o"], &[], 0);
    assert_eq!(tree(&wd.path().join("o")), new);
    assert!(beside(&wd).is_empty(), "left behind: {:?}", beside(&wd));
}

#[test]
fn leftovers_of_a_killed_run_are_cleaned_up_or_restored() {
    let wd = Workdir::new();
    let old = old_export(&wd);
    // A dead process's temporary directory (only newsgraph's files), another holding a file
    // newsgraph did not write (kept), and an old export left aside with `o` missing (restored).
    let dead = 4_294_000_u32; // above any Linux pid_max
    fs::create_dir(wd.path().join(format!(".o.tmp-{dead}"))).unwrap();
    wd.create(&format!(".o.tmp-{dead}/graph.json"), "{}");
    wd.create(&format!(".o.tmp-{}/thesis.tex", dead + 1), "mine");
    fs::rename(
        wd.path().join("o"),
        wd.path().join(format!(".o.old-{}", dead + 2)),
    )
    .unwrap();
    run_code(&wd, &["build", "old", "-o", "o"], &[], 0);
    assert_eq!(tree(&wd.path().join("o")), old);
    assert_eq!(beside(&wd), vec![format!(".o.tmp-{}", dead + 1)]);
    assert_eq!(wd.read(&format!(".o.tmp-{}/thesis.tex", dead + 1)), "mine");
}

// ---------------------------------------------------------------------------------------------
// limits and panics

#[test]
fn a_panic_while_extracting_one_document_is_contained_and_reported() {
    let wd = Workdir::new();
    wd.create("in/a-good.txt", CLEAN_ARTICLE);
    wd.create(
        "in/b-boom.txt",
        "Gen. Michael Kurilla visited Kabul. NG-TEST-PANIC-7f3a\n",
    );
    wd.create("in/c-good.txt", "Gen. Michael Kurilla visited Kabul.\n");
    let env = [("NEWSGRAPH_TEST_PANIC_MARKER", "NG-TEST-PANIC-7f3a")];
    let out = run_code(&wd, &["build", "in", "-o", "o"], &env, 1);
    let report = wd.json("o/report.json");
    assert_listed(
        &out,
        &report,
        "b-boom.txt",
        None,
        "skipped",
        "internal error while extracting",
    );
    assert_eq!(entry(&report, "a-good.txt", None)["status"], "ok");
    assert_eq!(entry(&report, "c-good.txt", None)["status"], "ok");
    let g = wd.json("o/graph.json");
    let ids: Vec<&str> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"place:kabul") && ids.contains(&"place:moscow"),
        "{ids:?}"
    );
    assert!(!wd.read("o/graph.json").contains("b-boom"));
    // Without the variable the marker is plain text.
    run_code(&wd, &["build", "in", "-o", "p"], &[], 0);
}

// ---------------------------------------------------------------------------------------------
// spreadsheet safety

#[test]
fn csv_safe_neutralises_formulas_in_the_gephi_csv_only() {
    let wd = Workdir::new();
    let mut feed = String::new();
    for (id, title) in [
        ("f1", "=HYPERLINK(\"http://x\",\"y\")"),
        ("f2", "+1+2"),
        ("f3", "-2+3"),
        ("f4", "@SUM(A1:A2)"),
        ("f5", "A plain title"),
    ] {
        let text = format!("{CLEAN_ARTICLE}Story {id} continues in Kabul.\n");
        feed.push_str(&serde_json::json!({"id": id, "title": title, "text": text}).to_string());
        feed.push('\n');
    }
    feed.push_str(&serde_json::json!({"id": "=1+1", "text": CLEAN_ARTICLE}).to_string());
    feed.push('\n');
    wd.create("feed.jsonl", &feed);
    let args = ["build", "feed.jsonl", "--with-documents", "-o"];
    run_code(&wd, &[&args[..], &["plain"]].concat(), &[], 0);
    run_code(&wd, &[&args[..], &["safe", "--csv-safe"]].concat(), &[], 0);
    let title = |dir: &str, gephi: bool, doc: &str| -> String {
        let (file, id_col) = if gephi {
            ("gephi/nodes.csv", "doc")
        } else {
            ("neo4j/nodes.csv", "doc")
        };
        let rows = csv_rows(&wd.path().join(dir).join(file), gephi);
        let row = rows
            .iter()
            .find(|r| r[id_col] == doc || r[id_col] == format!("'{doc}"))
            .unwrap_or_else(|| panic!("{dir}/{file}: no {doc}"));
        row["title"].clone()
    };
    for (doc, t) in [
        ("f1", "=HYPERLINK(\"http://x\",\"y\")"),
        ("f2", "+1+2"),
        ("f3", "-2+3"),
        ("f4", "@SUM(A1:A2)"),
    ] {
        assert_eq!(title("plain", true, doc), t);
        assert_eq!(title("safe", true, doc), format!("'{t}"));
        assert_eq!(title("safe", false, doc), t, "neo4j CSV unchanged");
    }
    assert_eq!(title("safe", true, "f5"), "A plain title");
    // A document id in `sources` is a cell too.
    let safe_nodes = csv_rows(&wd.path().join("safe/gephi/nodes.csv"), true);
    let dangerous: Vec<_> = safe_nodes
        .iter()
        .flat_map(|r| r.values())
        .filter(|v| v.starts_with(['=', '+', '-', '@', '\t', '\r']))
        .filter(|v| v.parse::<f64>().is_err())
        .collect();
    assert!(dangerous.is_empty(), "{dangerous:?}");
    // Everything but the Gephi CSV is byte-identical.
    let strip = |dir: &str| -> Vec<(String, Vec<u8>)> {
        tree(&wd.path().join(dir))
            .into_iter()
            .filter(|(n, _)| !n.starts_with("gephi/"))
            .collect()
    };
    assert_eq!(strip("plain"), strip("safe"));
}

// ---------------------------------------------------------------------------------------------
// ids

#[test]
fn distinct_document_ids_give_distinct_document_nodes() {
    let wd = Workdir::new();
    wd.create("in/café.txt", CLEAN_ARTICLE);
    wd.create("in/cafè.txt", "Gen. Michael Kurilla visited Kabul.\n");
    run_code(&wd, &["build", "in", "-o", "o", "--with-documents"], &[], 0);
    let g = wd.json("o/graph.json");
    let docs = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "document")
        .count();
    assert_eq!(docs, 2);
}

mod ids {
    use newsgraph::corpus::Document;
    use newsgraph::pipeline::extract_document;
    use newsgraph::resolve::{MergeOptions, merge};
    use proptest::prelude::*;

    fn nmtoken(s: &str) -> bool {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
    }

    /// Capitalised "names" from hostile pieces: scripts deunicode cannot fold, punctuation.
    fn name() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "Putin",
            "Moscow",
            "Kabul",
            "Isis-K",
            "Al-Qaeda",
            "O'Neill",
            "José",
            "Ñandú",
            "Σπάρτη",
            "Москва",
            "خراسان",
            "東京",
            "Dr.",
            "A;B",
            "C,D",
            "\"Q\"",
            "X\\Y",
            "<Z>",
            "&",
            "‏",
            "😀",
        ]);
        prop::collection::vec(piece, 1..4).prop_map(|v| v.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn node_and_edge_ids_are_nmtoken_safe_and_unique(
            names in prop::collection::vec(name(), 1..6),
            doc_ids in prop::collection::vec("[a-zA-Z0-9_/.é ;-]{1,8}", 1..4),
        ) {
            let mut extractions = Vec::new();
            let mut seen = std::collections::BTreeSet::new();
            for (k, id) in doc_ids.iter().enumerate() {
                let id = newsgraph::corpus::sanitize_doc_id(id);
                if id.is_empty() || !seen.insert(id.clone()) {
                    continue;
                }
                let text: String = names
                    .iter()
                    .skip(k % names.len())
                    .map(|n| format!("President {n} met {n} in Moscow.\n"))
                    .collect();
                let doc = Document {
                    id,
                    text,
                    title: None,
                    date: None,
                    url: None,
                    source: None,
                };
                extractions.push(extract_document(&doc).expect("no panic"));
            }
            let merged = merge(
                &extractions,
                &MergeOptions { cooccurrence: true, document_nodes: true, ..MergeOptions::default() },
            );
            let g = &merged.graph;
            let mut ids = std::collections::BTreeSet::new();
            for n in g.nodes() {
                prop_assert!(nmtoken(&n.id), "node id {:?}", n.id);
                prop_assert!(ids.insert(n.id.clone()), "duplicate node id {:?}", n.id);
            }
            for e in g.edges() {
                prop_assert!(nmtoken(&e.id), "edge id {:?}", e.id);
                prop_assert!(ids.insert(e.id.clone()), "duplicate edge id {:?}", e.id);
            }
            prop_assert!(newsgraph::export::validate(g).is_ok());
        }
    }
}
