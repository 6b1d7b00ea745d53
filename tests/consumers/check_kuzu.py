#!/usr/bin/env python3
"""Kùzu round trip: OUT/neo4j/*.csv load with the types their neo4j-admin headers declare.

    check_kuzu.py OUT

Reads the header of neo4j/nodes.csv and neo4j/relationships.csv and gives every column
the Kùzu type its neo4j-admin suffix names (`:int`/`:long` -> INT64, `:double`/`:float`
-> DOUBLE, `:boolean` -> BOOLEAN, `:string[]` -> STRING split on ';', `:LABEL` -> labels
split on ';', ids and untyped columns -> STRING). Kùzu's CSV reader then has to cast
every cell (an "3.0" in an int column, an unquoted comma, a stray quote fail here), and
the loaded graph must equal graph.json: node count, relationship count, and every property
(`*_json` text parses to the JSON value, `name` = label).
"""

import csv
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import (  # noqa: E402
    Checker,
    LIST_FIELDS,
    as_list,
    export_dir_from_argv,
    import_consumer,
    load_graph_json,
    parse_json_text,
)

kuzu = import_consumer("kuzu")

JSON_ONLY_NODE_FIELDS = {"id", "mentions", "merges", "frames"}
SCALAR_TYPES = {
    "int": "INT64", "long": "INT64", "short": "INT64", "byte": "INT64",
    "double": "DOUBLE", "float": "DOUBLE",
    "boolean": "BOOLEAN",
    "string": "STRING", "char": "STRING", "date": "STRING", "datetime": "STRING",
}


class Column:
    """One neo4j-admin header column: `name:type`, `:LABEL`, `id:ID(Group)`, `:START_ID(G)`..."""

    def __init__(self, i, header):
        self.var = f"c{i}"
        name, _, typ = header.rpartition(":") if ":" in header else (header, "", "")
        base = typ.split("(")[0].upper()
        self.role = None
        self.is_list = False
        if base in ("ID", "START_ID", "END_ID", "TYPE", "LABEL"):
            self.role = base
            self.load_type = "STRING"
            self.prop = {"ID": name or "id", "TYPE": "type", "LABEL": "labels"}.get(base)
            self.is_list = base == "LABEL"
        elif typ.endswith("[]"):
            self.load_type = "STRING"
            self.prop = name
            self.is_list = True
        elif typ:
            if typ.lower() not in SCALAR_TYPES:
                raise ValueError(f"column {header!r}: unknown neo4j-admin type {typ!r}")
            self.load_type = SCALAR_TYPES[typ.lower()]
            self.prop = name
        else:
            self.load_type = "STRING"
            self.prop = header
        self.table_type = "STRING[]" if self.is_list else self.load_type

    def expr(self):
        return f"string_split({self.var}, ';')" if self.is_list else self.var


def read_header(path):
    with open(path, encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


def q(conn, text):
    r = conn.execute(text)
    rows = []
    while r.has_next():
        rows.append(r.get_next())
    return rows, r.get_column_names()


def compare_props(c, what, props, obj, covered):
    for name, value in props.items():
        if value is None:
            continue
        if name.endswith("_json"):
            field = name[: -len("_json")]
            parsed = parse_json_text(c, value, f"{what}: {name}")
            if parsed is not None:
                c.check(parsed == obj.get(field), f"{what}: {name} parses to {parsed!r:.300} != graph.json {obj.get(field)!r:.300}")
        else:
            field = "label" if name == "name" else name
            if field in LIST_FIELDS or name == "labels":
                ok = as_list(value) == as_list(obj.get(field))
            else:
                ok = field in obj and value == obj[field] and type(value) is type(obj[field])
            c.check(ok, f"{what}: {name} {value!r:.200} != graph.json {field} {obj.get(field, '<absent>')!r:.200}")
        covered.add(field)
    for field, jv in obj.items():
        if field in covered or jv is None or jv == [] or jv == {}:
            continue
        c.fail(f"{what}: graph.json {field}={jv!r:.100} was not loaded (no column {field} or {field}_json)")


def main():
    out = export_dir_from_argv("check_kuzu.py OUT")
    data = load_graph_json(out)
    c = Checker(f"Kuzu {kuzu.__version__} (typed neo4j CSV)", out)
    nodes_csv = os.path.join(out, "neo4j", "nodes.csv")
    rels_csv = os.path.join(out, "neo4j", "relationships.csv")
    try:
        ncols = [Column(i, h) for i, h in enumerate(read_header(nodes_csv))]
        rcols = [Column(i, h) for i, h in enumerate(read_header(rels_csv))]
    except (OSError, StopIteration, ValueError) as e:
        c.fail(f"cannot read the neo4j CSV headers: {e}")
        c.finish()
    roles = [col.role for col in ncols]
    c.check(roles.count("ID") == 1, "neo4j/nodes.csv needs exactly one :ID column")
    rroles = [col.role for col in rcols]
    for role in ("START_ID", "END_ID", "TYPE"):
        c.check(rroles.count(role) == 1, f"neo4j/relationships.csv needs exactly one :{role} column")
    if c.errors:
        c.finish()

    def load_from(path, cols):
        spec = ", ".join(f"{col.var} {col.load_type}" for col in cols)
        quoted = path.replace("\\", "\\\\").replace("'", "\\'")
        return f"LOAD WITH HEADERS ({spec}) FROM '{quoted}' (header=true)"

    idcol = next(col for col in ncols if col.role == "ID")
    nprops = [idcol] + [col for col in ncols if col.role != "ID"]
    start = next(col for col in rcols if col.role == "START_ID")
    end = next(col for col in rcols if col.role == "END_ID")
    rprops = [col for col in rcols if col.role not in ("START_ID", "END_ID")]

    tmp = tempfile.mkdtemp(prefix="newsgraph-kuzu-")
    try:
        db = kuzu.Database(os.path.join(tmp, "db"))
        conn = kuzu.Connection(db)
        ddl = ", ".join(f"`{col.prop}` {col.table_type}" for col in nprops)
        q(conn, f"CREATE NODE TABLE Entity({ddl}, PRIMARY KEY (`{idcol.prop}`))")
        ddl = ", ".join(f"`{col.prop}` {col.table_type}" for col in rprops)
        q(conn, f"CREATE REL TABLE Rel(FROM Entity TO Entity, {ddl})")
        ret = ", ".join(col.expr() for col in nprops)
        q(conn, f"COPY Entity FROM ({load_from(nodes_csv, ncols)} RETURN {ret})")
        ret = ", ".join(col.expr() for col in [start, end] + rprops)
        q(conn, f"COPY Rel FROM ({load_from(rels_csv, rcols)} RETURN {ret})")

        nodes, edges = data["nodes"], data["edges"]
        (n_nodes,), = q(conn, "MATCH (n:Entity) RETURN count(n)")[0]
        (n_rels,), = q(conn, "MATCH ()-[r:Rel]->() RETURN count(r)")[0]
        c.check(n_nodes == len(nodes), f"{n_nodes} nodes in Kuzu, graph.json lists {len(nodes)}")
        c.check(n_rels == len(edges), f"{n_rels} relationships in Kuzu, graph.json lists {len(edges)} edges")

        by_id = {n.get("id"): n for n in nodes}
        rows, names = q(conn, "MATCH (n:Entity) RETURN " + ", ".join(f"n.`{col.prop}`" for col in nprops))
        seen = set()
        for row in rows:
            props = {col.prop: v for col, v in zip(nprops, row)}
            nid = props.pop(idcol.prop)
            what = f"node {nid}"
            seen.add(nid)
            obj = by_id.get(nid)
            if obj is None:
                c.fail(f"{what}: not in graph.json")
                continue
            compare_props(c, what, props, obj, set(JSON_ONLY_NODE_FIELDS))
        for nid in sorted(set(by_id) - seen)[:10]:
            c.fail(f"graph.json node {nid} was not loaded")

        by_key = {e.get("key"): e for e in edges}
        rows, _ = q(conn, "MATCH (a:Entity)-[r:Rel]->(b:Entity) RETURN a.`" + idcol.prop + "`, b.`" + idcol.prop + "`, "
                    + ", ".join(f"r.`{col.prop}`" for col in rprops))
        seen = set()
        for row in rows:
            a, b = row[0], row[1]
            props = {col.prop: v for col, v in zip(rprops, row[2:])}
            key = props.pop("rel_id", None)
            what = f"relationship {key} ({a} -{props.get('type')}-> {b})"
            c.check(key not in seen, f"{what}: duplicate rel_id")
            seen.add(key)
            e = by_key.get(key)
            if e is None:
                c.fail(f"{what}: rel_id not a key in graph.json")
                continue
            c.check((a, b) == (e.get("source"), e.get("target")),
                    f"{what}: endpoints != graph.json ({e.get('source')} -> {e.get('target')})")
            compare_props(c, what, props, e, {"source", "target", "key"})
        for key in sorted(set(by_key) - seen)[:10]:
            c.fail(f"graph.json edge {key} was not loaded")
    except RuntimeError as e:  # Kuzu's errors (cast failures, bad CSV) are RuntimeError
        c.fail(f"Kuzu: {e}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    c.finish(f"{len(data['nodes'])} nodes, {len(data['edges'])} relationships")


if __name__ == "__main__":
    main()
