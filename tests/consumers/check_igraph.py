#!/usr/bin/env python3
"""igraph round trip: igraph.Graph.Read_GraphML(OUT/graph.graphml) matches graph.json.

    check_igraph.py OUT

* the file loads as a directed graph;
* vertex count = number of JSON nodes, edge count = number of JSON edges;
* the vertex `id` attribute set = the JSON node ids;
* the multiset of (source id, target id, label) = JSON (source, target, type).

igraph 1.0.0's GraphML reader fills the edge `id` attribute with unrelated values (vertex
ids), so edge ids are not compared here; check_networkx.py compares them.
"""

import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import Checker, export_dir_from_argv, import_consumer, load_graph_json  # noqa: E402

ig = import_consumer("igraph")


def main():
    out = export_dir_from_argv("check_igraph.py OUT")
    c = Checker(f"igraph {ig.__version__}", out)
    data = load_graph_json(out)
    graphml = os.path.join(out, "graph.graphml")
    try:
        g = ig.Graph.Read_GraphML(graphml)
    except Exception as e:  # the consumer rejecting the file is the failure being tested
        c.fail(f"igraph.Graph.Read_GraphML({graphml}) raised {type(e).__name__}: {e}")
        c.finish()

    nodes, edges = data["nodes"], data["edges"]
    c.check(g.is_directed(), "GraphML did not load as a directed graph")
    c.check(g.vcount() == len(nodes), f"igraph has {g.vcount()} vertices, graph.json lists {len(nodes)} nodes")
    c.check(g.ecount() == len(edges), f"igraph has {g.ecount()} edges, graph.json lists {len(edges)} edges")

    if "id" not in g.vs.attributes():
        c.fail("igraph vertices have no 'id' attribute (GraphML node ids)")
        c.finish()
    vids = g.vs["id"]
    c.check(sorted(vids) == sorted(n.get("id") for n in nodes), "igraph vertex ids != graph.json node ids")

    got = collections.Counter(
        (vids[e.source], vids[e.target], e["label"] if "label" in g.es.attributes() else None) for e in g.es
    )
    want = collections.Counter((e.get("source"), e.get("target"), e.get("type")) for e in edges)
    for t in sorted((got - want).keys(), key=repr)[:10]:
        c.fail(f"(source, target, label) {t} appears more often in igraph than in graph.json")
    for t in sorted((want - got).keys(), key=repr)[:10]:
        c.fail(f"(source, target, type) {t} appears more often in graph.json than in igraph")

    c.finish(f"{g.vcount()} vertices, {g.ecount()} edges")


if __name__ == "__main__":
    main()
