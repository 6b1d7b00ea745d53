#!/usr/bin/env python3
"""networkx round trip: graph.graphml and graph.json describe the same multigraph.

    check_networkx.py OUT

* networkx.read_graphml(OUT/graph.graphml, force_multigraph=True) and
  networkx.node_link_graph(OUT/graph.json, edges="edges") load;
* same node set, node count = number of JSON nodes;
* same (source, target, key, type) edge set: GraphML edge id = JSON key, GraphML edge
  `label` data = JSON type; edge count = number of JSON edges;
* every GraphML attribute decodes to the JSON value ( ';'-joined lists, `:Entity:Group`
  labels, JSON text for evidence and other nested values), and every JSON field that is
  not JSON-only (mentions, merges, frames) is present in GraphML;
* every evidence JSON string parses and every evidence doc is one of the edge's sources;
* `label` is the first <data> of every GraphML edge (APOC readLabels relies on it).
"""

import os
import re
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import (  # noqa: E402
    Checker,
    as_list,
    compare_attr,
    export_dir_from_argv,
    import_consumer,
    load_graph_json,
    parse_json_text,
    split_list,
)

nx = import_consumer("networkx")

GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
NMTOKEN = re.compile(r"^[A-Za-z0-9._:-]+$")
JSON_ONLY_NODE_FIELDS = {"id", "mentions", "merges", "frames"}


def check_edge_data_order(c, path):
    """`label` must be the first <data> child of every <edge>."""
    n = 0
    for _, elem in ET.iterparse(path, events=("end",)):
        if elem.tag == GRAPHML_NS + "edge":
            n += 1
            datas = [d for d in elem if d.tag == GRAPHML_NS + "data"]
            first = datas[0].get("key") if datas else None
            c.check(first == "label",
                    f"GraphML edge {elem.get('id')!r}: first <data> has key {first!r}, want 'label'")
            elem.clear()
        elif elem.tag == GRAPHML_NS + "node":
            elem.clear()
    return n


def main():
    out = export_dir_from_argv("check_networkx.py OUT")
    c = Checker(f"networkx {nx.__version__}", out)
    data = load_graph_json(out)
    graphml = os.path.join(out, "graph.graphml")

    try:
        G = nx.read_graphml(graphml, force_multigraph=True, edge_key_type=str)
    except Exception as e:  # the consumer rejecting the file is the failure being tested
        c.fail(f"networkx.read_graphml({graphml}) raised {type(e).__name__}: {e}")
        c.finish()
    try:
        J = nx.node_link_graph(data, edges="edges")
    except Exception as e:
        c.fail(f"networkx.node_link_graph(graph.json, edges='edges') raised {type(e).__name__}: {e}")
        c.finish()

    c.check(G.is_directed() and G.is_multigraph(), "GraphML did not load as a directed multigraph")
    c.check(J.is_directed() and J.is_multigraph(),
            "graph.json did not load as a directed multigraph (directed/multigraph flags)")

    # ---- nodes
    json_nodes = data["nodes"]
    json_ids = [n.get("id") for n in json_nodes]
    c.check(len(set(json_ids)) == len(json_ids), "graph.json has duplicate node ids")
    c.check(G.number_of_nodes() == len(json_nodes),
            f"GraphML has {G.number_of_nodes()} nodes, graph.json lists {len(json_nodes)}")
    c.check(J.number_of_nodes() == len(json_nodes),
            f"node_link_graph has {J.number_of_nodes()} nodes, graph.json lists {len(json_nodes)}")
    gset, jset = set(G.nodes), set(J.nodes)
    for n in sorted(gset - jset)[:10]:
        c.fail(f"node {n!r} is in GraphML but not in graph.json")
    for n in sorted(jset - gset)[:10]:
        c.fail(f"node {n!r} is in graph.json but not in GraphML")

    for node in json_nodes:
        nid = node.get("id")
        c.check(isinstance(nid, str) and NMTOKEN.match(nid) is not None, f"node id {nid!r} is not NMTOKEN-safe")
        if nid not in G.nodes:
            continue
        gd = G.nodes[nid]
        what = f"node {nid}"
        labels = gd.get("labels")
        c.check(labels is not None and labels.startswith(":")
                and labels[1:].split(":") == as_list(node.get("labels")),
                f"{what}: GraphML labels {labels!r} != ':' + ':'.join({node.get('labels')!r})")
        for name, gv in gd.items():
            if name == "labels":
                continue
            if name not in node:
                c.fail(f"{what}: GraphML has {name}={gv!r:.100} but graph.json has no {name}")
                continue
            compare_attr(c, "GraphML", what, name, gv, node[name])
        for name, jv in node.items():
            if name in JSON_ONLY_NODE_FIELDS or name == "labels" or name in gd:
                continue
            if jv is None or jv == [] or jv == {}:
                continue  # missing values are omitted in GraphML
            c.fail(f"{what}: graph.json has {name}={jv!r:.100} but GraphML has no {name}")

    # ---- edges
    json_edges = data["edges"]
    keys = [e.get("key") for e in json_edges]
    c.check(len(set(keys)) == len(keys), "graph.json has duplicate edge keys")
    n_gml_edges = G.number_of_edges()
    c.check(n_gml_edges == len(json_edges), f"GraphML has {n_gml_edges} edges, graph.json lists {len(json_edges)}")
    c.check(J.number_of_edges() == len(json_edges),
            f"node_link_graph has {J.number_of_edges()} edges, graph.json lists {len(json_edges)}")

    g_edges = {(u, v, k, d.get("label")) for u, v, k, d in G.edges(keys=True, data=True)}
    j_edges = {(u, v, k, d.get("type")) for u, v, k, d in J.edges(keys=True, data=True)}
    for e in sorted(g_edges - j_edges, key=repr)[:10]:
        c.fail(f"(source, target, key, type) {e} is in GraphML but not in graph.json")
    for e in sorted(j_edges - g_edges, key=repr)[:10]:
        c.fail(f"(source, target, key, type) {e} is in graph.json but not in GraphML")

    for edge in json_edges:
        key, src, dst, typ = edge.get("key"), edge.get("source"), edge.get("target"), edge.get("type")
        what = f"edge {key} ({src} -{typ}-> {dst})"
        c.check(isinstance(key, str) and NMTOKEN.match(key) is not None and not key.isdigit(),
                f"{what}: key is not a NMTOKEN-safe non-numeric id")
        c.check(isinstance(typ, str) and re.match(r"^[A-Z][A-Z0-9_]*$", typ) is not None,
                f"{what}: type is not UPPER_SNAKE_CASE")
        sources = as_list(edge.get("sources"))
        c.check(edge.get("source_count") == len(sources),
                f"{what}: source_count {edge.get('source_count')!r} != len(sources) {len(sources)}")
        for ev in as_list(edge.get("evidence")):
            c.check(isinstance(ev, dict) and {"doc", "start", "end", "quote"} <= set(ev),
                    f"{what}: evidence item {ev!r:.200} lacks doc/start/end/quote")
            if isinstance(ev, dict):
                c.check(ev.get("doc") in sources,
                        f"{what}: evidence doc {ev.get('doc')!r} is not one of the edge's sources {sources}")

        if not G.has_edge(src, dst, key):
            continue  # reported above
        gd = G.edges[src, dst, key]
        c.check(gd.get("label") == typ, f"{what}: GraphML label {gd.get('label')!r} != type {typ!r}")
        if "type" in gd:
            c.check(gd["type"] == typ, f"{what}: GraphML type {gd['type']!r} != {typ!r}")
        ev_text = gd.get("evidence")
        if as_list(edge.get("evidence")) or ev_text is not None:
            ev = parse_json_text(c, ev_text, f"{what}: GraphML evidence")
            if ev is not None:
                c.check(ev == edge.get("evidence"),
                        f"{what}: GraphML evidence parses to {ev!r:.300} != JSON {edge.get('evidence')!r:.300}")
                gsources = split_list(gd.get("sources"))
                for item in ev if isinstance(ev, list) else []:
                    doc = item.get("doc") if isinstance(item, dict) else None
                    c.check(doc in gsources, f"{what}: GraphML evidence doc {doc!r} not in GraphML sources {gsources}")
        for name, gv in gd.items():
            if name in ("label", "type", "id", "evidence"):
                continue
            if name not in edge:
                c.fail(f"{what}: GraphML has {name}={gv!r:.100} but graph.json has no {name}")
                continue
            compare_attr(c, "GraphML", what, name, gv, edge[name])
        for name, jv in edge.items():
            if name in ("source", "target", "key", "type") or name in gd:
                continue
            if jv is None or jv == [] or jv == {}:
                continue
            c.fail(f"{what}: graph.json has {name}={jv!r:.100} but GraphML has no {name}")

    n_order = check_edge_data_order(c, graphml)
    c.check(n_order == len(json_edges), f"GraphML has {n_order} <edge> elements, graph.json lists {len(json_edges)}")

    c.finish(f"{len(json_nodes)} nodes, {len(json_edges)} edges")


if __name__ == "__main__":
    main()
