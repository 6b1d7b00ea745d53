"""Consumer round trip: networkx read_gexf on graph.gexf against graph.json.

Usage: check_gexf.py OUT   (OUT holds graph.json and graph.gexf)

Checks:
* networkx.read_gexf loads graph.gexf (GEXF 1.3) as a directed graph, a multigraph whenever
  graph.json has parallel edges (two edges with the same source and target);
* the same node ids as graph.json, each with its label and kind, and every GEXF attribute
  decodes to the JSON value (';'-joined lists, JSON text for nested values);
* every node has viz color (one colour per kind) and a positive viz size;
* an attack whose date is a full ISO date carries it as `start`, no other node has one;
* the same (source, target, id, type) edge set as graph.json (GEXF edge id = JSON key,
  GEXF label = JSON type), so parallel edges of different types are all kept; weight,
  sources, source_count and evidence equal the JSON values.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import (  # noqa: E402
    Checker,
    compare_attr,
    export_dir_from_argv,
    import_consumer,
    load_graph_json,
    same_scalar,
)

nx = import_consumer("networkx")

FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
JSON_ONLY_NODE_FIELDS = {"id", "label", "labels", "mentions", "merges", "frames"}
GEXF_ONLY_NODE_FIELDS = {"label", "viz", "start", "end"}


def main():
    out = export_dir_from_argv("check_gexf.py OUT")
    c = Checker(f"networkx {nx.__version__} read_gexf", out)
    data = load_graph_json(out)
    path = os.path.join(out, "graph.gexf")
    if not os.path.isfile(path):
        c.fail(f"{path} does not exist")
        c.finish()
    try:
        G = nx.read_gexf(path)
    except Exception as e:  # the consumer rejecting the file is the failure being tested
        c.fail(f"networkx.read_gexf({path}) raised {type(e).__name__}: {e}")
        c.finish()

    json_nodes = data["nodes"]
    json_edges = data["edges"]
    pairs = [(e.get("source"), e.get("target")) for e in json_edges]
    parallel = len(set(pairs)) < len(pairs)
    c.check(G.is_directed(), "GEXF did not load as a directed graph")
    if parallel:
        c.check(G.is_multigraph(), "graph.json has parallel edges but GEXF did not load as a multigraph")
    c.check(G.graph.get("mode") == "dynamic", f"GEXF graph mode is {G.graph.get('mode')!r}, want 'dynamic'")

    # ---- nodes
    c.check(G.number_of_nodes() == len(json_nodes),
            f"GEXF has {G.number_of_nodes()} nodes, graph.json lists {len(json_nodes)}")
    gset, jset = set(G.nodes), {n.get("id") for n in json_nodes}
    for n in sorted(gset - jset)[:10]:
        c.fail(f"node {n!r} is in GEXF but not in graph.json")
    for n in sorted(jset - gset)[:10]:
        c.fail(f"node {n!r} is in graph.json but not in GEXF")

    colors = {}
    for node in json_nodes:
        nid = node.get("id")
        if nid not in G.nodes:
            continue
        gd = G.nodes[nid]
        what = f"node {nid}"
        c.check(gd.get("label") == node.get("label"),
                f"{what}: GEXF label {gd.get('label')!r} != JSON label {node.get('label')!r}")
        viz = gd.get("viz") or {}
        color = viz.get("color")
        size = viz.get("size")
        c.check(color is not None, f"{what}: no viz:color")
        c.check(isinstance(size, float) and size > 0, f"{what}: viz:size {size!r} is not a positive number")
        if color is not None:
            rgb = (color.get("r"), color.get("g"), color.get("b"))
            kind = node.get("kind")
            c.check(colors.setdefault(kind, rgb) == rgb,
                    f"{what}: viz:color {rgb} differs from other {kind} nodes' {colors.get(kind)}")
        date = node.get("date")
        want_start = date if node.get("kind") == "attack" and isinstance(date, str) and FULL_DATE.match(date) else None
        c.check(gd.get("start") == want_start,
                f"{what}: GEXF start {gd.get('start')!r}, want {want_start!r} (date {date!r})")
        c.check("end" not in gd, f"{what}: GEXF has an end time {gd.get('end')!r}")
        for name, gv in gd.items():
            if name in GEXF_ONLY_NODE_FIELDS:
                continue
            if name not in node:
                c.fail(f"{what}: GEXF has {name}={gv!r:.100} but graph.json has no {name}")
                continue
            compare_attr(c, "GEXF", what, name, gv, node[name])
        for name, jv in node.items():
            if name in JSON_ONLY_NODE_FIELDS or name in gd:
                continue
            if jv is None or jv == [] or jv == {}:
                continue  # missing values are omitted
            c.fail(f"{what}: graph.json has {name}={jv!r:.100} but GEXF has no {name}")
    kinds_by_color = {}
    for kind, rgb in colors.items():
        c.check(kinds_by_color.setdefault(rgb, kind) == kind,
                f"kinds {kind!r} and {kinds_by_color.get(rgb)!r} share the colour {rgb}")

    # ---- edges (keys are the GEXF edge ids; a DiGraph keeps them in the 'id' attribute)
    c.check(G.number_of_edges() == len(json_edges),
            f"GEXF has {G.number_of_edges()} edges, graph.json lists {len(json_edges)}")
    gexf_edges = {}
    for u, v, d in G.edges(data=True):
        gexf_edges[d.get("id")] = (u, v, d)
    c.check(len(gexf_edges) == G.number_of_edges(), "GEXF edge ids are not unique")
    g_set = {(u, v, k, d.get("label")) for k, (u, v, d) in gexf_edges.items()}
    j_set = {(e.get("source"), e.get("target"), e.get("key"), e.get("type")) for e in json_edges}
    for e in sorted(g_set - j_set, key=repr)[:10]:
        c.fail(f"(source, target, id, type) {e} is in GEXF but not in graph.json")
    for e in sorted(j_set - g_set, key=repr)[:10]:
        c.fail(f"(source, target, id, type) {e} is in graph.json but not in GEXF")

    for edge in json_edges:
        key = edge.get("key")
        what = f"edge {key} ({edge.get('source')} -{edge.get('type')}-> {edge.get('target')})"
        if key not in gexf_edges:
            continue  # reported above
        _, _, gd = gexf_edges[key]
        if "weight" in edge:
            c.check(same_scalar(gd.get("weight"), edge["weight"]),
                    f"{what}: GEXF weight {gd.get('weight')!r} != JSON {edge['weight']!r}")
        for name, gv in gd.items():
            if name in ("id", "label", "weight"):
                continue
            if name not in edge:
                c.fail(f"{what}: GEXF has {name}={gv!r:.100} but graph.json has no {name}")
                continue
            compare_attr(c, "GEXF", what, name, gv, edge[name])
        for name, jv in edge.items():
            if name in ("source", "target", "key", "type", "weight") or name in gd:
                continue
            if jv is None or jv == [] or jv == {}:
                continue
            c.fail(f"{what}: graph.json has {name}={jv!r:.100} but GEXF has no {name}")

    c.finish(f"{len(json_nodes)} nodes, {len(json_edges)} edges"
             f"{', parallel edges kept' if parallel else ''}")


if __name__ == "__main__":
    main()
