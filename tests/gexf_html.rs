//! `graph.gexf`, `graph.html`, `--format` and `--graphml-viz` on the bundled corpus.
//!
//! The browser test opens `graph.html` in headless Debian Chromium (`/usr/bin/chromium`, or
//! `$NEWSGRAPH_CHROMIUM`; installed by `.ci/setup`) with `--dump-dom` and reads what the page
//! wrote once it had drawn the graph: `#status` carries `data-ready="true"`,
//! `data-node-count` and `data-edge-count`, and `#errors` (where the page puts every
//! `window.onerror`, unhandled rejection and `console.error`) stays empty. It loads the page
//! plain, then with `#node=ID`, `#edge=ID` and `#search=TEXT`, which run the code behind a
//! click on a node, a click on an edge and a search. Without Chromium the test prints
//! `SKIPPED: chromium not installed (run .ci/setup)` and passes, unless
//! `NEWSGRAPH_REQUIRE_CONSUMERS=1` (as in `.ci/run`), where it fails. xmllint is treated the
//! same way.

mod util;

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use quick_xml::events::Event;
use regex::Regex;
use util::Workdir;

const TIMEOUT: Duration = Duration::from_secs(180);

/// A workdir with the corpus built into `out/` (every format, document nodes too).
fn built() -> Workdir {
    let wd = Workdir::new();
    wd.copy_corpus();
    wd.run_expect(&["build", "--with-documents"], 0);
    wd
}

fn require_tools() -> bool {
    std::env::var("NEWSGRAPH_REQUIRE_CONSUMERS").is_ok_and(|v| v == "1")
}

/// Prints the skip message for a missing tool, or fails under `NEWSGRAPH_REQUIRE_CONSUMERS=1`.
fn missing(tool: &str) {
    assert!(
        !require_tools(),
        "FAILED: {tool} not installed (run .ci/setup), and NEWSGRAPH_REQUIRE_CONSUMERS=1 makes \
         a missing tool a failure"
    );
    println!("SKIPPED: {tool} not installed (run .ci/setup)");
    eprintln!("SKIPPED: {tool} not installed (run .ci/setup)");
}

struct Ran {
    ok: bool,
    status: String,
    stdout: String,
    stderr: String,
}

/// Runs `cmd` with no stdin, killing it after [`TIMEOUT`]; `None` if the program is missing.
fn run(cmd: &mut Command) -> Option<Ran> {
    let mut child = match cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("cannot run {cmd:?}: {e}"),
    };
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out = thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    let err = thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{cmd:?} did not finish within {TIMEOUT:?}; killed\n{}",
                err.join().unwrap_or_default()
            );
        }
        thread::sleep(Duration::from_millis(20));
    };
    Some(Ran {
        ok: status.success(),
        status: status.to_string(),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    })
}

// ---- GEXF ------------------------------------------------------------------------------------

/// Node ids, edge (id, source, target, label) and `start` attributes of a GEXF document.
#[derive(Default)]
struct Gexf {
    nodes: Vec<String>,
    starts: BTreeSet<(String, String)>,
    edges: Vec<(String, String, String, String)>,
    viz: usize,
}

fn parse_gexf(text: &str) -> Gexf {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut g = Gexf::default();
    let attr = |e: &quick_xml::events::BytesStart, name: &str| -> Option<String> {
        e.try_get_attribute(name).expect("attribute").map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                .expect("escaped value")
                .into_owned()
        })
    };
    loop {
        match reader.read_event().expect("well-formed GEXF") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "node" => {
                    let id = attr(&e, "id").expect("node id");
                    if let Some(start) = attr(&e, "start") {
                        g.starts.insert((id.clone(), start));
                    }
                    g.nodes.push(id);
                }
                "edge" => g.edges.push((
                    attr(&e, "id").expect("edge id"),
                    attr(&e, "source").expect("source"),
                    attr(&e, "target").expect("target"),
                    attr(&e, "label").expect("label"),
                )),
                "viz:color" | "viz:size" => g.viz += 1,
                _ => {}
            },
            _ => {}
        }
    }
    g
}

#[test]
fn gexf_is_valid_and_matches_graph_json() {
    let wd = built();
    let text = wd.read("out/graph.gexf");
    let json = wd.json("out/graph.json");
    let gexf = parse_gexf(&text);

    let nodes = json["nodes"].as_array().unwrap();
    let edges = json["edges"].as_array().unwrap();
    let json_ids: Vec<&str> = nodes.iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(
        gexf.nodes, json_ids,
        "GEXF nodes = graph.json nodes, in order"
    );
    assert_eq!(
        gexf.viz,
        2 * nodes.len(),
        "a viz:color and a viz:size per node"
    );
    let json_edges: Vec<(String, String, String, String)> = edges
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (s("key"), s("source"), s("target"), s("type"))
        })
        .collect();
    assert_eq!(gexf.edges, json_edges, "GEXF edges = graph.json edges");
    // Parallel edges (same source and target, different types) are all there.
    let pairs: BTreeSet<(&str, &str)> = gexf
        .edges
        .iter()
        .map(|(_, s, t, _)| (s.as_str(), t.as_str()))
        .collect();
    assert!(
        pairs.len() < gexf.edges.len(),
        "the corpus should have parallel edges"
    );
    // Attacks with a full date start then; nothing else has time bounds.
    let date = Regex::new(r"^\d{4}-\d{2}-\d{2}$").unwrap();
    let want: BTreeSet<(String, String)> = nodes
        .iter()
        .filter(|n| n["kind"] == "attack")
        .filter_map(|n| {
            let d = n["date"].as_str()?;
            date.is_match(d)
                .then(|| (n["id"].as_str().unwrap().to_string(), d.to_string()))
        })
        .collect();
    assert_eq!(gexf.starts, want);
    assert!(!want.is_empty(), "the corpus should have a dated attack");
    assert!(!text.contains(" end=\""));

    // xmllint: the RELAX NG grammar (normative), and the XSD on the file without its viz:
    // elements (the generated XSD has them in the wrong namespace: see the schema README).
    let Some(shared) = util::shared() else {
        println!("SKIPPED: ../shared not found: no GEXF schema to validate against");
        return;
    };
    let schemas = shared.join("schemas/gexf-1.3");
    let path = wd.path().join("out/graph.gexf");
    let rng = run(Command::new("xmllint")
        .args(["--noout", "--nonet", "--relaxng"])
        .arg(schemas.join("gexf.rng"))
        .arg(&path));
    let Some(rng) = rng else {
        missing("xmllint");
        return;
    };
    assert!(rng.ok, "GEXF fails the RELAX NG grammar:\n{}", rng.stderr);
    let no_viz: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("<viz:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        text.lines().count() - no_viz.lines().count(),
        2 * nodes.len()
    );
    let stripped = wd.create("no-viz.gexf", no_viz);
    let xsd = run(Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(schemas.join("gexf.xsd"))
        .arg(&stripped))
    .expect("xmllint");
    assert!(xsd.ok, "GEXF (without viz) fails the XSD:\n{}", xsd.stderr);
}

// ---- HTML in Chromium ------------------------------------------------------------------------

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("NEWSGRAPH_CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let p = PathBuf::from("/usr/bin/chromium");
    p.exists().then_some(p)
}

/// `file://` URL of `path` with `fragment`, percent-encoding everything but `[A-Za-z0-9/._-]`.
fn file_url(path: &Path, fragment: &str) -> String {
    fn enc(s: &str, keep_slash: bool) -> String {
        let mut out = String::new();
        for b in s.bytes() {
            if b.is_ascii_alphanumeric()
                || matches!(b, b'.' | b'_' | b'-' | b':' | b'=')
                || (keep_slash && b == b'/')
            {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }
    let mut url = format!("file://{}", enc(&path.display().to_string(), true));
    if !fragment.is_empty() {
        url.push('#');
        url.push_str(&enc(fragment, false));
    }
    url
}

/// What the page wrote into its DOM.
struct Page {
    dom: String,
    ready: bool,
    nodes: Option<usize>,
    edges: Option<usize>,
    errors: String,
    details: String,
    results: String,
}

/// Loads `html#fragment` in headless Chromium and returns its DOM after 5 s of virtual time.
fn load(chromium: &Path, html: &Path, fragment: &str) -> Page {
    let profile = tempfile::Builder::new()
        .prefix("newsgraph-chromium-")
        .tempdir()
        .expect("profile directory");
    let mut cmd = Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--virtual-time-budget=5000",
        "--window-size=1280,800",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .arg("--dump-dom")
    .arg(file_url(html, fragment));
    let ran = run(&mut cmd).expect("chromium ran");
    assert!(
        ran.ok && ran.stdout.contains("</html>"),
        "chromium failed ({}) on {}:\n{}",
        ran.status,
        html.display(),
        ran.stderr
    );
    let dom = ran.stdout;
    let status = Regex::new(r#"<p id="status"([^>]*)>"#)
        .unwrap()
        .captures(&dom)
        .map(|c| c[1].to_string())
        .unwrap_or_else(|| panic!("no #status in the DOM:\n{dom:.2000}"));
    let count = |name: &str| {
        Regex::new(&format!(r#"{name}="(\d+)""#))
            .unwrap()
            .captures(&status)
            .map(|c| c[1].parse::<usize>().unwrap())
    };
    let inner = |re: &str| {
        Regex::new(re)
            .unwrap()
            .captures(&dom)
            .map(|c| c[1].to_string())
            .unwrap_or_else(|| panic!("{re} not in the DOM"))
    };
    Page {
        ready: status.contains(r#"data-ready="true""#),
        nodes: count("data-node-count"),
        edges: count("data-edge-count"),
        errors: inner(r#"(?s)<div id="errors"[^>]*>(.*?)</div>\s*<script"#),
        details: inner(r#"(?s)<aside id="details">(.*?)</aside>"#),
        results: inner(r#"(?s)<ul id="results">(.*?)</ul>"#),
        dom,
    }
}

#[test]
fn html_preview_loads_in_headless_chromium() {
    let wd = built();
    let html = wd.path().join("out/graph.html");
    let page_bytes = fs::read_to_string(&html).unwrap();
    assert!(page_bytes.starts_with("<!DOCTYPE html>"));
    assert!(
        !page_bytes.contains("<script src") && !page_bytes.contains("<link "),
        "no external scripts or stylesheets"
    );
    let Some(chromium) = chromium() else {
        missing("chromium");
        return;
    };
    let json = wd.json("out/graph.json");
    let nodes = json["nodes"].as_array().unwrap();
    let edges = json["edges"].as_array().unwrap();

    let page = load(&chromium, &html, "");
    assert_eq!(page.errors.trim(), "", "JS errors on the page");
    assert!(page.ready, "the page did not finish drawing");
    assert_eq!(page.nodes, Some(nodes.len()));
    assert_eq!(page.edges, Some(edges.len()));
    assert!(page.dom.contains("<canvas"), "cytoscape drew no canvas");
    assert!(page.dom.contains(&format!(
        "<title>newsgraph: {} nodes, {} edges</title>",
        nodes.len(),
        edges.len()
    )));
    assert!(page.details.contains("<h2>Overview</h2>"));

    // A node (an attack with casualty reports, when there is one): its attributes.
    let node = nodes
        .iter()
        .find(|n| n["killed"].is_object())
        .unwrap_or(&nodes[0]);
    let page = load(
        &chromium,
        &html,
        &format!("node={}", node["id"].as_str().unwrap()),
    );
    assert_eq!(page.errors.trim(), "", "JS errors after focusing a node");
    assert!(page.details.contains(node["id"].as_str().unwrap()));
    assert!(page.details.contains("<dt>sources</dt>"));
    if node["killed"].is_object() {
        assert!(page.details.contains("<h3>killed</h3>"), "{}", page.details);
        assert!(page.details.contains("<dt>date</dt>"));
    }

    // An edge with evidence: one quote per evidence sentence, with its document.
    let edge = edges
        .iter()
        .max_by_key(|e| e["evidence"].as_array().map_or(0, Vec::len))
        .expect("an edge");
    let evidence = edge["evidence"].as_array().unwrap();
    let page = load(
        &chromium,
        &html,
        &format!("edge={}", edge["key"].as_str().unwrap()),
    );
    assert_eq!(page.errors.trim(), "", "JS errors after focusing an edge");
    assert!(
        page.details
            .contains(&format!("<h2>{}</h2>", edge["type"].as_str().unwrap()))
    );
    assert_eq!(page.details.matches("<blockquote>").count(), evidence.len());
    let doc = evidence[0]["doc"].as_str().unwrap();
    assert!(page.details.contains(&format!("<cite>{doc} ")));

    // A search by alias lists the node.
    let (target, alias) = nodes
        .iter()
        .find_map(|n| {
            let alias = n["aliases"].as_array()?.iter().find_map(|a| {
                let a = a.as_str()?;
                (a.len() > 3 && a.chars().all(|c| c.is_ascii_alphanumeric() || c == ' '))
                    .then_some(a)
            })?;
            Some((n, alias))
        })
        .expect("a node with a plain alias");
    let page = load(&chromium, &html, &format!("search={alias}"));
    assert_eq!(page.errors.trim(), "", "JS errors after a search");
    assert!(page.results.contains("<li>"), "no results for {alias:?}");
    let label = target["label"].as_str().unwrap();
    if label.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ') {
        assert!(
            page.results.contains(label),
            "{label} not in {}",
            page.results
        );
    }
}

// ---- formats -----------------------------------------------------------------------------------

#[test]
fn gexf_and_html_are_deterministic() {
    let wd = Workdir::new();
    wd.copy_corpus();
    wd.run_expect(&["build", "--out", "a", "--format", "gexf,html"], 0);
    wd.run_expect(
        &["build", "--out", "b", "--format", "html,gexf", "-j", "1"],
        0,
    );
    for f in ["graph.gexf", "graph.html"] {
        let a = fs::read(wd.path().join("a").join(f)).unwrap();
        assert!(
            !a.contains(&b'\r') && a.ends_with(b"\n"),
            "{f}: LF line ends"
        );
        assert!(!a.starts_with(&[0xEF, 0xBB, 0xBF]), "{f}: no BOM");
        assert_eq!(a, fs::read(wd.path().join("b").join(f)).unwrap(), "{f}");
    }
}

#[test]
fn format_selects_the_files_written() {
    let wd = Workdir::new();
    wd.copy_corpus();
    wd.run_expect(&["build", "--out", "o", "--format", "gexf,json"], 0);
    let names: Vec<String> = util::tree(&wd.path().join("o"))
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(names, ["graph.gexf", "graph.json", "report.json"]);

    wd.run_expect(
        &[
            "build", "--out", "o", "--format", "neo4j", "--format", "html",
        ],
        0,
    );
    let names: Vec<String> = util::tree(&wd.path().join("o"))
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        names,
        [
            "graph.html",
            "neo4j/import.sh",
            "neo4j/load.cypher",
            "neo4j/nodes.csv",
            "neo4j/relationships.csv",
            "report.json"
        ]
    );

    // graph.gexf and graph.html are ours: rebuilding over them needs no --force.
    wd.run_expect(&["build", "--out", "o"], 0);
    assert!(wd.path().join("o/graph.gexf").is_file());
    assert!(wd.path().join("o/graph.html").is_file());
    assert!(wd.path().join("o/gephi/edges.csv").is_file());
}

#[test]
fn unknown_format_is_a_usage_error_naming_the_valid_ones() {
    let wd = Workdir::new();
    wd.copy_corpus();
    let out = wd.run_expect(&["build", "--out", "o", "--format", "json,svg"], 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("svg"), "{stderr}");
    for name in ["graphml", "json", "gephi", "neo4j", "gexf", "html"] {
        assert!(stderr.contains(name), "{name} not listed: {stderr}");
    }
    assert!(!wd.path().join("o").exists());
}

#[test]
fn graphml_viz_adds_color_and_size_keys() {
    let wd = Workdir::new();
    wd.copy_corpus();
    wd.run_expect(&["build", "--out", "plain", "--format", "graphml"], 0);
    wd.run_expect(
        &[
            "build",
            "--out",
            "viz",
            "--format",
            "graphml",
            "--graphml-viz",
        ],
        0,
    );
    let plain = wd.read("plain/graph.graphml");
    let viz = wd.read("viz/graph.graphml");
    assert!(!plain.contains("n_color") && !plain.contains("n_size"));
    assert!(viz.contains(r#"<key id="n_color" for="node" attr.name="color" attr.type="string"/>"#));
    assert!(viz.contains(r#"<key id="n_size" for="node" attr.name="size" attr.type="double"/>"#));
    let nodes = plain.matches("<node ").count();
    let colors = Regex::new(r##"<data key="n_color">#[0-9a-f]{6}</data>"##).unwrap();
    assert_eq!(colors.find_iter(&viz).count(), nodes);
    let sizes = Regex::new(r#"<data key="n_size">\d+\.\d+</data>"#).unwrap();
    assert_eq!(sizes.find_iter(&viz).count(), nodes);
    // Without the two keys and their data, the file is the plain one.
    let stripped: String = viz
        .lines()
        .filter(|l| !l.contains("\"n_color\"") && !l.contains("\"n_size\""))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(stripped, plain);

    let Some(shared) = util::shared() else {
        return;
    };
    let xsd = shared.join("schemas/graphml/graphml.xsd");
    let Some(ran) = run(Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(&xsd)
        .arg(wd.path().join("viz/graph.graphml")))
    else {
        missing("xmllint");
        return;
    };
    assert!(
        ran.ok,
        "--graphml-viz output fails the GraphML XSD:\n{}",
        ran.stderr
    );
}
