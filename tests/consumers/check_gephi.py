#!/usr/bin/env python3
"""Gephi CSV round trip: OUT/gephi/*.csv read with Gephi's parser settings give graph.json back.

    check_gephi.py OUT

Runs GephiCsvCheck.java (Apache Commons CSV configured as Gephi's spreadsheet importer:
`\\` is an escape character) as a single-file Java program and compares what it parsed
with graph.json:
* nodes.csv header starts Id,Label,kind; edges.csv header starts
  Source,Target,Type,Id,Label,Kind,Weight,sources,source_count,evidence;
* row counts = JSON nodes / edges, ids = JSON ids;
* every cell gives back the JSON value: Type=Directed, Label=Kind=type, Weight, ';'-joined
  lists, numbers, and every `evidence` cell (and other nested values) is JSON text whose
  parsed value equals graph.json's; every JSON field (except JSON-only ones) has a column.

java comes from JAVA (env) or PATH; the Commons CSV jar from NEWSGRAPH_COMMONS_CSV_JAR or
/usr/share/java/commons-csv.jar (Debian's libcommons-csv-java).
"""

import json
import math
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import (  # noqa: E402
    Checker,
    LIST_FIELDS,
    as_list,
    export_dir_from_argv,
    load_graph_json,
    missing,
    parse_json_text,
    split_list,
)

HERE = os.path.dirname(os.path.abspath(__file__))
JAVA_TIMEOUT_S = 180
NODE_HEADER = ["Id", "Label", "kind"]
EDGE_HEADER = ["Source", "Target", "Type", "Id", "Label", "Kind", "Weight", "sources", "source_count", "evidence"]
JSON_ONLY_NODE_FIELDS = {"mentions", "merges", "frames"}
# JSON field -> the Gephi column that carries it
NODE_RENAMES = {"id": "Id", "label": "Label"}
EDGE_RENAMES = {"source": "Source", "target": "Target", "key": "Id", "type": "Kind", "weight": "Weight"}


def find_tools():
    java = os.environ.get("JAVA") or shutil.which("java")
    if not java:
        missing("java", "no java on PATH")
    jar = os.environ.get("NEWSGRAPH_COMMONS_CSV_JAR", "/usr/share/java/commons-csv.jar")
    if not os.path.isfile(jar):
        missing("Apache Commons CSV", f"{jar} does not exist (apt-get install libcommons-csv-java)")
    return java, jar


def cell_matches(cell, value):
    """A CSV cell (string, or None for an empty field) against a JSON scalar."""
    if value is None or value == "":
        return cell is None
    if cell is None:
        return False
    if isinstance(value, bool):
        return cell == ("true" if value else "false")
    if isinstance(value, int):
        try:
            return int(cell) == value
        except ValueError:
            return False
    if isinstance(value, float):
        try:
            f = float(cell)
        except ValueError:
            return False
        return math.isfinite(f) and f == value
    return cell == value


def compare_row(c, what, row, obj, renames, skip):
    covered = set(skip)
    for field, jv in obj.items():
        if field in skip:
            continue
        col = renames.get(field, field)
        covered.add(col)
        if col not in row:
            if not (jv is None or jv == [] or jv == {}):
                c.fail(f"{what}: graph.json {field}={jv!r:.100} has no column {col!r}")
            continue
        cell = row[col]
        if field in LIST_FIELDS:
            c.check(split_list(cell) == as_list(jv), f"{what}: {col} {cell!r} != graph.json {field} {jv!r}")
        elif isinstance(jv, (dict, list)):
            if cell is None:
                c.check(jv in ([], {}), f"{what}: {col} is empty, graph.json {field} is {jv!r:.200}")
                continue
            parsed = parse_json_text(c, cell, f"{what}: {col}")
            if parsed is not None:
                c.check(parsed == jv, f"{what}: {col} parses to {parsed!r:.300} != graph.json {jv!r:.300}")
        else:
            c.check(cell_matches(cell, jv), f"{what}: {col} {cell!r:.200} != graph.json {field} {jv!r:.200}")
    for col, cell in row.items():
        if col not in covered and cell is not None:
            c.fail(f"{what}: column {col}={cell!r:.100} has no graph.json field {col}")


def main():
    out = export_dir_from_argv("check_gephi.py OUT")
    java, jar = find_tools()
    data = load_graph_json(out)
    c = Checker("Gephi CSV (Commons CSV, '\\' escape)", out)

    cmd = [java, "-Dfile.encoding=UTF-8", "-cp", jar, os.path.join(HERE, "GephiCsvCheck.java"), out]
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                           timeout=JAVA_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        c.fail(f"{' '.join(cmd)} did not finish within {JAVA_TIMEOUT_S}s")
        c.finish()
    if p.returncode != 0:
        c.fail(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stderr.decode('utf-8', 'replace')[-3000:]}")
        c.finish()

    headers, rows = {}, {"nodes": [], "edges": []}
    for line in p.stdout.decode("ascii").splitlines():
        rec = json.loads(line)
        if "header" in rec:
            headers[rec["file"]] = rec["header"]
        else:
            rows[rec["file"]].append(rec["row"])

    nodes, edges = data["nodes"], data["edges"]
    nh, eh = headers.get("nodes", []), headers.get("edges", [])
    c.check(nh[: len(NODE_HEADER)] == NODE_HEADER, f"gephi/nodes.csv header {nh} does not start {NODE_HEADER}")
    c.check(eh[: len(EDGE_HEADER)] == EDGE_HEADER, f"gephi/edges.csv header {eh} does not start {EDGE_HEADER}")
    c.check(len(set(nh)) == len(nh), f"gephi/nodes.csv header has duplicate names: {nh}")
    c.check(len(set(eh)) == len(eh), f"gephi/edges.csv header has duplicate names: {eh}")
    c.check(len(rows["nodes"]) == len(nodes), f"gephi/nodes.csv has {len(rows['nodes'])} rows, graph.json {len(nodes)} nodes")
    c.check(len(rows["edges"]) == len(edges), f"gephi/edges.csv has {len(rows['edges'])} rows, graph.json {len(edges)} edges")

    by_id = {n.get("id"): n for n in nodes}
    seen = set()
    for row in rows["nodes"]:
        nid = row.get("Id")
        what = f"gephi/nodes.csv row {nid}"
        c.check(nid not in seen, f"{what}: duplicate Id")
        seen.add(nid)
        obj = by_id.get(nid)
        if obj is None:
            c.fail(f"{what}: Id not in graph.json")
            continue
        c.check(split_list(row.get("labels")) == as_list(obj.get("labels")),
                f"{what}: labels {row.get('labels')!r} != graph.json {obj.get('labels')!r}")
        compare_row(c, what, row, obj, NODE_RENAMES, JSON_ONLY_NODE_FIELDS | {"labels"})
    for nid in sorted(set(by_id) - seen)[:10]:
        c.fail(f"graph.json node {nid} has no row in gephi/nodes.csv")

    by_key = {e.get("key"): e for e in edges}
    seen = set()
    for row in rows["edges"]:
        key = row.get("Id")
        what = f"gephi/edges.csv row {key}"
        c.check(key not in seen, f"{what}: duplicate Id")
        seen.add(key)
        e = by_key.get(key)
        if e is None:
            c.fail(f"{what}: Id not a key in graph.json")
            continue
        c.check(row.get("Type") == "Directed", f"{what}: Type {row.get('Type')!r} != 'Directed'")
        c.check(row.get("Label") == e.get("type"), f"{what}: Label {row.get('Label')!r} != type {e.get('type')!r}")
        compare_row(c, what, row, e, EDGE_RENAMES, {"Type", "Label"})
        ev = e.get("evidence")
        if ev:
            c.check(row.get("evidence") is not None, f"{what}: evidence cell is empty")
    for key in sorted(set(by_key) - seen)[:10]:
        c.fail(f"graph.json edge {key} has no row in gephi/edges.csv")

    c.finish(f"{len(rows['nodes'])} node rows, {len(rows['edges'])} edge rows")


if __name__ == "__main__":
    main()
