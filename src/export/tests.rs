//! Tests of the whole export: the contract example written again byte for byte, round trips of
//! hostile strings through every format, and the atomic directory swap.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::name::QName;

use super::*;
use crate::graph::{
    AttackInfo, DocumentInfo, Evidence, Figure, FigureReport, Frame, Merge, MergeEvidence, Node,
    NodeKind, PlaceInfo, Qualifier, Span, TextRef,
};
use crate::report::{Counts, InputRecord, InputStatus, ReportOptions};

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/contract-example/out"
);

/// The example export directory, or `None` (with a message) when `shared/` is absent.
fn example_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(EXAMPLE);
    if dir.join(JSON).is_file() {
        Some(dir)
    } else {
        eprintln!("skipped: {EXAMPLE} not found");
        None
    }
}

fn example_input() -> Option<(PathBuf, KnowledgeGraph, Report)> {
    let dir = example_dir()?;
    let graph = read_graph(fs::File::open(dir.join(JSON)).unwrap()).unwrap();
    let report: Report =
        serde_json::from_reader(fs::File::open(dir.join(REPORT)).unwrap()).unwrap();
    Some((dir, graph, report))
}

/// Asserts two texts are equal, showing the first differing line.
fn assert_same_text(name: &str, ours: &[u8], theirs: &[u8]) {
    if ours == theirs {
        return;
    }
    let ours = String::from_utf8_lossy(ours);
    let theirs = String::from_utf8_lossy(theirs);
    for (i, (a, b)) in ours.lines().zip(theirs.lines()).enumerate() {
        assert_eq!(a, b, "{name}: line {} differs", i + 1);
    }
    assert_eq!(
        ours.lines().count(),
        theirs.lines().count(),
        "{name}: line counts differ"
    );
    panic!("{name}: differs (line ends or final newline)");
}

#[test]
fn example_is_written_byte_for_byte() {
    let Some((dir, graph, report)) = example_input() else {
        return;
    };
    assert_eq!(graph.node_count(), 6);
    assert_eq!(graph.edge_count(), 9);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    write_export(&graph, &report, &out, &ExportOptions::default()).unwrap();
    for rel in [
        GRAPHML,
        JSON,
        GEPHI_NODES,
        GEPHI_EDGES,
        NEO4J_NODES,
        NEO4J_RELATIONSHIPS,
    ] {
        let ours = fs::read(out.join(rel)).unwrap();
        let theirs = fs::read(dir.join(rel)).unwrap();
        assert_same_text(rel, &ours, &theirs);
    }
    // load.cypher: the example's statements, then the stamp-and-sweep statements that make
    // loading a later batch on top of an earlier one give the later export's graph.
    let ours = fs::read(out.join(NEO4J_CYPHER)).unwrap();
    let theirs = fs::read(dir.join(NEO4J_CYPHER)).unwrap();
    assert_same_text(NEO4J_CYPHER, &ours[..theirs.len().min(ours.len())], &theirs);
    let sweep = String::from_utf8(ours[theirs.len()..].to_vec()).unwrap();
    let stamp = super::neo4j::export_stamp(&graph);
    assert!(
        sweep.starts_with("\n// An export holds the whole graph"),
        "{sweep}"
    );
    assert_eq!(sweep.matches(&format!("'{stamp}'")).count(), 4, "{sweep}");
    assert!(sweep.contains("DETACH DELETE n"));

    // report.json: the example leaves out empty `warnings` and `options.cooccurrence` and
    // writes `options.input` as one string; our `Report` always has them (`"input": [..]`),
    // a free choice the contract allows ("absent or []"). Compare what it means, and the layout.
    let ours = fs::read_to_string(out.join(REPORT)).unwrap();
    let back: Report = serde_json::from_str(&ours).unwrap();
    assert_eq!(back, report);
    assert!(ours.starts_with("{\n \"generator\": \"newsgraph 0.1.0\",\n \"schema_version\": 1,\n"));
    assert!(ours.ends_with("\n}\n"));
    let theirs: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join(REPORT)).unwrap()).unwrap();
    let mine: serde_json::Value = serde_json::from_str(&ours).unwrap();
    for key in [
        "generator",
        "schema_version",
        "inputs",
        "counts",
        "merges",
        "conflicts",
    ] {
        assert_eq!(mine[key], theirs[key], "report.json: {key}");
    }

    // Nothing but the export is left beside it.
    let names: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["out".to_string()]);
}

#[test]
fn example_json_reads_back_what_the_contract_says() {
    let Some((_, graph, _)) = example_input() else {
        return;
    };
    let attack = graph.node("attack:2024-03-22-krasnogorsk").unwrap();
    let info = attack.attack.as_ref().unwrap();
    assert_eq!(info.killed.as_ref().unwrap().reconciled, 137);
    assert_eq!(info.frames.len(), 3);
    assert_eq!(info.place.as_deref(), Some("place:krasnogorsk"));
    let place = graph.node("place:krasnogorsk").unwrap();
    assert_eq!(place.place.as_ref().unwrap().lat, Some(55.8204));
    let isis_k = graph.node("group:isis-k").unwrap();
    assert!(matches!(
        isis_k.merges[1].evidence,
        MergeEvidence::Table { .. }
    ));
    let doc = graph.node("document:bbc-world_001").unwrap();
    assert_eq!(doc.mention_count(), None);
    // Edge keys are kept as written (the example's are not FNV-1a `edge_id`s).
    assert!(graph.edges().any(|e| e.id == "e-10c29b30c9eb6c62"));
}

#[test]
fn export_is_deterministic_and_idempotent_through_read_graph() {
    let Some((_, graph, report)) = example_input() else {
        return;
    };
    let first = export_bytes(&graph, &report);
    let again = read_graph(first[JSON].as_slice()).unwrap();
    let second = export_bytes(&again, &report);
    assert_eq!(first, second);
}

/// Every file of the export of `graph`, written in memory.
fn export_bytes(graph: &KnowledgeGraph, report: &Report) -> BTreeMap<&'static str, Vec<u8>> {
    let meta = Meta::from_report(report);
    let mut files = BTreeMap::new();
    let mut w = GraphmlWriter::new(Vec::new());
    w.write_graph(graph, &meta).unwrap();
    files.insert(GRAPHML, w.into_inner());
    let mut w = JsonWriter::new(Vec::new());
    w.write_graph(graph, &meta).unwrap();
    files.insert(JSON, w.into_inner());
    let mut w = GephiWriter::new(Vec::new());
    w.write_nodes(graph).unwrap();
    files.insert(GEPHI_NODES, w.into_inner());
    let mut w = GephiWriter::new(Vec::new());
    w.write_edges(graph).unwrap();
    files.insert(GEPHI_EDGES, w.into_inner());
    let mut w = Neo4jWriter::new(Vec::new());
    w.write_nodes(graph).unwrap();
    files.insert(NEO4J_NODES, w.into_inner());
    let mut w = Neo4jWriter::new(Vec::new());
    w.write_relationships(graph).unwrap();
    files.insert(NEO4J_RELATIONSHIPS, w.into_inner());
    let mut w = Neo4jWriter::new(Vec::new());
    w.write_load_cypher(graph, &meta).unwrap();
    files.insert(NEO4J_CYPHER, w.into_inner());
    let mut w = ReportWriter::new(Vec::new());
    w.write_report(report).unwrap();
    files.insert(REPORT, w.into_inner());
    files
}

fn small_report() -> Report {
    Report {
        generator: "newsgraph 0.1.0".into(),
        schema_version: 1,
        options: ReportOptions::default(),
        inputs: vec![InputRecord {
            doc: "d".into(),
            path: "d.txt".into(),
            bytes: 1,
            status: InputStatus::Ok,
            reason: None,
            line: None,
        }],
        counts: Counts::default(),
        merges: Vec::new(),
        conflicts: Vec::new(),
        warnings: Vec::new(),
        near_duplicates: Vec::new(),
        redirects: Vec::new(),
    }
}

/// A graph where `s` is a label, an alias, a document title, a merge alias, a span, a casualty
/// report's text and an evidence quote.
fn hostile_graph(s: &str) -> KnowledgeGraph {
    let mut g = KnowledgeGraph::new();
    let mut a = Node::new("group:a", NodeKind::Group, s);
    a.aliases = vec![s.to_string()];
    a.sources = vec!["d".into()];
    a.mentions = vec![TextRef {
        doc: "d".into(),
        start: 0,
        end: 1,
        text: s.into(),
    }];
    a.merges = vec![Merge {
        alias: s.into(),
        rule: "alias-table".into(),
        evidence: MergeEvidence::Text(TextRef {
            doc: "d".into(),
            start: 0,
            end: 1,
            text: s.into(),
        }),
    }];
    g.upsert_node(a);
    let mut b = Node::new("attack:b", NodeKind::Attack, "B");
    b.attack = Some(AttackInfo {
        date: Some("2024-03-22".into()),
        killed: Some(Figure {
            reports: vec![FigureReport {
                doc: "d".into(),
                value: 3,
                qualifier: Qualifier::AtLeast,
                text: s.into(),
                start: 0,
                end: 1,
            }],
            min: 3,
            max: 3,
            reconciled: 3,
            rule: "single-report".into(),
        }),
        frames: vec![Frame {
            doc: "d".into(),
            trigger: Span {
                text: s.into(),
                start: 0,
                end: 1,
            },
            attacker: vec![],
            target: vec![],
            victim: vec![],
            place: vec![],
            instrument: vec![],
        }],
        ..AttackInfo::default()
    });
    g.upsert_node(b);
    let mut d = Node::new("document:d", NodeKind::Document, "d");
    d.document = Some(DocumentInfo {
        doc: "d".into(),
        title: Some(s.into()),
        date: None,
        url: None,
    });
    g.upsert_node(d);
    let mut p = Node::new("place:p", NodeKind::Place, "P");
    p.place = Some(PlaceInfo {
        country: Some("RU".into()),
        lat: Some(f64::NAN),
        lon: Some(-0.000001),
        geonames_id: None,
    });
    g.upsert_node(p);
    g.add_edge_evidence(
        "CLAIMED_RESPONSIBILITY",
        "group:a",
        "attack:b",
        [Evidence {
            doc: "d".into(),
            start: 0,
            end: 1,
            quote: s.into(),
        }],
    );
    g
}

/// `(element id, key) -> text` of every `<data>` of a GraphML document, parsed with quick-xml.
fn graphml_data(text: &str) -> BTreeMap<(String, String), String> {
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
                // As an XML 1.0 parser sees it: line ends normalized, then references replaced.
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

/// Parses CSV as Apache Commons CSV does with `\` as escape character (Gephi's importer): in and
/// out of quotes, `\` followed by `r n t b f` is that control character, followed by a
/// delimiter, quote or `\` is that character, and followed by anything else is kept as is.
fn commons_csv(text: &str) -> Vec<Vec<String>> {
    fn unescape(c: char, field: &mut String) {
        match c {
            'r' => field.push('\r'),
            'n' => field.push('\n'),
            't' => field.push('\t'),
            'b' => field.push('\u{8}'),
            'f' => field.push('\u{c}'),
            '\r' | '\n' | '\t' | '\u{8}' | '\u{c}' | ',' | '"' | '\\' => field.push(c),
            c => {
                field.push('\\');
                field.push(c);
            }
        }
    }
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let (mut quoted, mut at_start) = (false, true);
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '\\' => unescape(chars.next().expect("escape at end"), &mut field),
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            ',' => {
                record.push(std::mem::take(&mut field));
                at_start = true;
            }
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_start = true;
            }
            '\\' => {
                unescape(chars.next().expect("escape at end"), &mut field);
                at_start = false;
            }
            c => {
                field.push(c);
                at_start = false;
            }
        }
    }
    assert!(field.is_empty() && record.is_empty(), "no final newline");
    records
}

/// Rows of a CSV table as maps from header to value.
fn rows(records: Vec<Vec<String>>) -> Vec<BTreeMap<String, String>> {
    let mut it = records.into_iter();
    let header = it.next().unwrap();
    it.map(|r| {
        assert_eq!(r.len(), header.len());
        header.iter().cloned().zip(r).collect()
    })
    .collect()
}

fn csv_rows(text: &[u8], gephi: bool) -> Vec<BTreeMap<String, String>> {
    let mut builder = csv::ReaderBuilder::new();
    builder.has_headers(false);
    if gephi {
        builder.escape(Some(b'\\')).double_quote(true);
    }
    let records = builder
        .from_reader(text)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    rows(records)
}

fn quote_of(evidence_json: &str) -> String {
    let ev: Vec<Evidence> = serde_json::from_str(evidence_json).unwrap();
    ev[0].quote.to_string()
}

fn figure_text(figure_json: &str) -> String {
    let f: Figure = serde_json::from_str(figure_json).unwrap();
    f.reports[0].text.clone()
}

fn hostile_string() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '\\',
        '"',
        '\'',
        ';',
        ',',
        '\n',
        '\r',
        '\t',
        '<',
        '>',
        '&',
        ' ',
        '\u{0}',
        '\u{1}',
        '\u{b}',
        '\u{c}',
        '\u{1f}',
        '\u{7f}',
        '\u{85}',
        '\u{a0}',
        '\u{2028}',
        '\u{202e}',
        '\u{fffe}',
        '\u{ffff}',
        'ا',
        'ل',
        '«',
        '»',
        'x',
        '\u{10ffff}',
    ]);
    prop::collection::vec(prop_oneof![3 => special, 1 => any::<char>()], 0..24)
        .prop_map(|v| v.into_iter().collect())
}

fn check_round_trips(s: &str) {
    let name = clean_name(s).into_owned();
    let item = clean_item(s).into_owned();
    let text = clean(s).into_owned();
    let graph = hostile_graph(s);
    let files = export_bytes(&graph, &small_report());
    let edge_id = graph.edges().next().unwrap().id.clone();

    // GraphML, parsed back with quick-xml.
    let xml = std::str::from_utf8(&files[GRAPHML]).unwrap();
    let data = graphml_data(xml);
    let get = |owner: &str, key: &str| data.get(&(owner.to_string(), key.to_string())).cloned();
    assert_eq!(get("group:a", "n_label").as_deref(), Some(name.as_str()));
    assert_eq!(
        get("group:a", "n_aliases"),
        (!item.is_empty()).then(|| item.clone())
    );
    assert_eq!(get("document:d", "n_title").as_deref(), Some(name.as_str()));
    assert_eq!(quote_of(&get(&edge_id, "e_evidence").unwrap()), text);
    assert_eq!(figure_text(&get("attack:b", "n_killed").unwrap()), text);
    assert_eq!(
        get(&edge_id, "label").as_deref(),
        Some("CLAIMED_RESPONSIBILITY")
    );
    assert!(get("place:p", "n_lat").is_none());

    // Gephi CSV, read as Commons CSV does and as the csv crate does with `\` as escape.
    for (file, label_col) in [(GEPHI_NODES, "Label"), (GEPHI_EDGES, "evidence")] {
        let commons = rows(commons_csv(std::str::from_utf8(&files[file]).unwrap()));
        let crate_rows = csv_rows(&files[file], true);
        assert_eq!(commons, crate_rows, "{file}: both dialects agree");
        let row = &commons[0];
        if file == GEPHI_NODES {
            let by_id: BTreeMap<_, _> = commons.iter().map(|r| (r["Id"].clone(), r)).collect();
            assert_eq!(by_id["group:a"][label_col], name);
            assert_eq!(by_id["group:a"]["aliases"], item);
            assert_eq!(by_id["document:d"]["title"], name);
            assert_eq!(figure_text(&by_id["attack:b"]["killed"]), text);
        } else {
            assert_eq!(quote_of(&row[label_col]), text);
            assert_eq!(row["Type"], "Directed");
        }
    }

    // Neo4j CSV, default dialect.
    let nodes = csv_rows(&files[NEO4J_NODES], false);
    let by_id: BTreeMap<_, _> = nodes
        .iter()
        .map(|r| (r["id:ID(Entity)"].clone(), r))
        .collect();
    assert_eq!(by_id["group:a"]["name"], name);
    assert_eq!(by_id["group:a"]["aliases:string[]"], item);
    assert_eq!(by_id["document:d"]["title"], name);
    assert_eq!(figure_text(&by_id["attack:b"]["killed_json"]), text);
    let rels = csv_rows(&files[NEO4J_RELATIONSHIPS], false);
    assert_eq!(quote_of(&rels[0]["evidence_json"]), text);

    // No CSV field holds `\` followed by `"`, nor a raw newline (one line per record).
    for (file, records) in [
        (GEPHI_NODES, 5),
        (GEPHI_EDGES, 2),
        (NEO4J_NODES, 5),
        (NEO4J_RELATIONSHIPS, 2),
    ] {
        let bytes = &files[file];
        assert!(!bytes.windows(2).any(|w| w == b"\\\""), "{file} holds \\\"");
        assert!(!bytes.contains(&b'\r'), "{file} holds CR");
        assert_eq!(
            bytes.iter().filter(|&&b| b == b'\n').count(),
            records,
            "{file}"
        );
    }

    // JSON.
    let json: serde_json::Value = serde_json::from_slice(&files[JSON]).unwrap();
    let node = &json["nodes"][2];
    assert_eq!(node["id"], "group:a");
    assert_eq!(node["label"], name.as_str());
    assert_eq!(node["mentions"][0]["text"], text.as_str());
    assert_eq!(json["edges"][0]["evidence"][0]["quote"], text.as_str());
    let back = read_graph(files[JSON].as_slice()).unwrap();
    assert_eq!(back.node("group:a").unwrap().label, name);

    // Every string is XML-clean everywhere, and the export reads back to itself.
    for (file, bytes) in &files {
        let t = std::str::from_utf8(bytes).unwrap();
        assert!(!t.chars().any(is_xml_illegal), "{file}");
        assert!(!t.starts_with('\u{feff}'));
    }
    assert_eq!(export_bytes(&back, &small_report()), files);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn hostile_strings_round_trip(s in hostile_string()) {
        check_round_trips(&s);
    }

    #[test]
    fn clean_name_shortcut_changes_nothing(s in hostile_string(), plain in "[ -~]{0,12}") {
        for s in [s.as_str(), plain.as_str(), &format!("{plain}{s}"), &format!("{s}{plain}")] {
            prop_assert_eq!(clean_name(s), clean_name_general(s));
        }
    }

    #[test]
    fn clean_name_is_idempotent(s in hostile_string()) {
        let once = clean_name(&s).into_owned();
        let twice = clean_name(&once).into_owned();
        prop_assert_eq!(twice, once.clone());
        prop_assert!(!once.contains("\\\"") && !once.ends_with('\\'));
        prop_assert!(!once.contains(['\r', '\n']));
    }
}

/// `hostile_graph(s)` with list attributes (aliases, sources, edge sources) built from `items`.
fn hostile_lists_graph(s: &str, items: &[String]) -> KnowledgeGraph {
    let mut g = hostile_graph(s);
    let mut n = Node::new("person:l", NodeKind::Person, s);
    n.aliases = items.to_vec();
    n.sources = items.iter().rev().cloned().collect();
    g.upsert_node(n);
    g.add_edge_evidence(
        "MENTIONS",
        "person:l",
        "group:a",
        [Evidence {
            doc: s.into(),
            start: 0,
            end: 1,
            quote: s.into(),
        }],
    );
    g
}

/// The GraphML, GEXF and JSON bytes of `graph`, from the writers and from their earlier
/// (quick-xml, serde) versions.
fn new_and_legacy(graph: &KnowledgeGraph) -> [(Vec<u8>, Vec<u8>); 4] {
    let meta = Meta {
        generator: "newsgraph 0.1.0",
        schema_version: 1,
    };
    let graphml = |viz: bool| {
        let mut new = GraphmlWriter::new(Vec::new()).with_viz(viz);
        new.write_graph(graph, &meta).unwrap();
        let mut old = legacy::graphml::GraphmlWriter::new(Vec::new()).with_viz(viz);
        old.write_graph(graph, &meta).unwrap();
        (new.into_inner(), old.into_inner())
    };
    let mut new = GexfWriter::new(Vec::new());
    new.write_graph(graph, &meta).unwrap();
    let mut old = legacy::gexf::GexfWriter::new(Vec::new());
    old.write_graph(graph, &meta).unwrap();
    let gexf = (new.into_inner(), old.into_inner());
    let mut new = JsonWriter::new(Vec::new());
    new.write_graph(graph, &meta).unwrap();
    let mut old = legacy::json::JsonWriter::new(Vec::new());
    old.write_graph(graph, &meta).unwrap();
    [
        graphml(false),
        graphml(true),
        gexf,
        (new.into_inner(), old.into_inner()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn writers_write_what_they_wrote(
        s in hostile_string(),
        items in prop::collection::vec(prop_oneof![hostile_string(), "[a-z;]{0,4}"], 0..4),
    ) {
        for (new, old) in new_and_legacy(&hostile_lists_graph(&s, &items)) {
            prop_assert_eq!(String::from_utf8(new).unwrap(), String::from_utf8(old).unwrap());
        }
    }
}

#[test]
fn writers_write_what_they_wrote_for_the_example() {
    let graphs = [KnowledgeGraph::new(), small_graph()];
    for graph in graphs
        .iter()
        .chain(example_input().map(|(_, g, _)| g).as_ref())
    {
        for (new, old) in new_and_legacy(graph) {
            assert_same_text("xml", &new, &old);
        }
    }
}

#[test]
fn known_hostile_strings_round_trip() {
    for s in [
        "",
        "   ",
        "C:\\feeds\\amaq",
        "say \\\"hi\\\"",
        "end\\",
        "a\\\u{1}\"b",
        "x\r\ny",
        "]]> & <tag>",
        "\u{0}\u{fffe}ولاية خراسان\u{202e}",
        "a;b,c\"d\"",
        "\\u0022",
    ] {
        check_round_trips(s);
    }
}

#[test]
fn clean_rules() {
    assert_eq!(
        clean("a\u{0}b\u{b}\u{c}\u{1f}c\u{fffe}\u{ffff}\td\n"),
        "abc\td\n"
    );
    assert!(matches!(clean("plain"), Cow::Borrowed(_)));
    assert_eq!(clean_name("  Islamic\r\nState \u{1} "), "Islamic  State");
    assert_eq!(clean_name("\\\"Amaq\\\" \\\\"), "\"Amaq\"");
    assert!(matches!(clean_name(" ISIS-K "), Cow::Borrowed("ISIS-K")));
    assert_eq!(clean_item("a;b"), "a,b");
    assert_eq!(
        clean_items(&["x".into(), " \n".into(), "y".into()]),
        vec!["x", "y"]
    );
}

#[test]
fn invalid_ids_and_types_are_refused() {
    let mut g = KnowledgeGraph::new();
    g.upsert_node(Node::new("group:a b", NodeKind::Group, "A"));
    assert!(matches!(validate(&g), Err(ExportError::InvalidId { .. })));
    let mut g = KnowledgeGraph::new();
    g.upsert_node(Node::new("group:a", NodeKind::Group, "A"));
    g.upsert_node(Node::new("group:b", NodeKind::Group, "B"));
    g.add_edge_evidence("branch of", "group:a", "group:b", []);
    assert!(matches!(
        validate(&g),
        Err(ExportError::InvalidRelType { .. })
    ));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert!(write_export(&g, &small_report(), &out, &ExportOptions::default()).is_err());
    assert!(!out.exists());
}

fn small_graph() -> KnowledgeGraph {
    hostile_graph("Islamic State")
}

fn list(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = walk(dir, dir);
    names.sort();
    names
}

fn walk(root: &Path, dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(root, &p));
        } else {
            out.push(p.strip_prefix(root).unwrap().display().to_string());
        }
    }
    out
}

#[test]
fn writes_a_new_directory_and_replaces_an_old_export() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sub").join("out");
    let (g, r) = (small_graph(), small_report());
    write_export(&g, &r, &out, &ExportOptions::default()).unwrap();
    let all = vec![
        "gephi/edges.csv",
        "gephi/nodes.csv",
        "graph.gexf",
        "graph.graphml",
        "graph.html",
        "graph.json",
        "neo4j/import.sh",
        "neo4j/load.cypher",
        "neo4j/nodes.csv",
        "neo4j/relationships.csv",
        "report.json",
    ];
    assert_eq!(list(&out), all);
    let first = fs::read(out.join(GRAPHML)).unwrap();

    // Again, with fewer formats: the old export is replaced as a whole.
    fs::write(out.join("graph.gexf"), "old").unwrap();
    let only_json = ExportOptions {
        graphml: false,
        gephi: false,
        neo4j: false,
        gexf: false,
        html: false,
        ..ExportOptions::default()
    };
    write_export(&g, &r, &out, &only_json).unwrap();
    assert_eq!(list(&out), vec!["graph.json", "report.json"]);
    write_export(&g, &r, &out, &ExportOptions::default()).unwrap();
    assert_eq!(fs::read(out.join(GRAPHML)).unwrap(), first);
    let beside: Vec<_> = fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside.len(), 1, "no temporary directory left: {beside:?}");
}

#[test]
fn refuses_foreign_files_unless_forced_and_then_keeps_them() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir_all(out.join("neo4j")).unwrap();
    fs::write(out.join("graph.json"), "old").unwrap();
    fs::write(out.join("neo4j").join("notes.txt"), "mine").unwrap();
    fs::write(out.join("zz-thesis.tex"), "mine").unwrap();
    let (g, r) = (small_graph(), small_report());
    let err = write_export(&g, &r, &out, &ExportOptions::default()).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, ExportError::ForeignFile { .. }));
    assert!(
        msg.contains("notes.txt") && msg.contains(&out.display().to_string()),
        "{msg}"
    );
    assert_eq!(fs::read_to_string(out.join("graph.json")).unwrap(), "old");

    let force = ExportOptions {
        force: true,
        ..ExportOptions::default()
    };
    write_export(&g, &r, &out, &force).unwrap();
    assert_eq!(
        fs::read_to_string(out.join("neo4j/notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(
        fs::read_to_string(out.join("zz-thesis.tex")).unwrap(),
        "mine"
    );
    assert_ne!(fs::read_to_string(out.join("graph.json")).unwrap(), "old");
    assert!(out.join("neo4j/load.cypher").is_file());
}

#[test]
fn an_existing_file_is_not_an_output_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::write(&out, "x").unwrap();
    let err = write_export(
        &small_graph(),
        &small_report(),
        &out,
        &ExportOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, ExportError::NotADirectory { .. }), "{err}");
    assert_eq!(fs::read_to_string(&out).unwrap(), "x");
}

#[test]
fn an_empty_graph_exports_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    write_export(
        &KnowledgeGraph::new(),
        &small_report(),
        &out,
        &ExportOptions::default(),
    )
    .unwrap();
    let graphml = fs::read_to_string(out.join(GRAPHML)).unwrap();
    assert!(graphml.contains("<graph id=\"G\" edgedefault=\"directed\">"));
    let nodes = fs::read_to_string(out.join(GEPHI_NODES)).unwrap();
    assert_eq!(
        nodes,
        "Id,Label,kind,labels,aliases,sources,source_count,mention_count\n"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join(JSON)).unwrap()).unwrap();
    assert_eq!(json["multigraph"], true);
}
