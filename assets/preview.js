// graph.html: the newsgraph preview page (inlined by src/export/html.rs after cytoscape.js).
// Reads the graph from <script id="graph-data" type="application/json">, draws it with a
// deterministic layout (fixed start positions, then cytoscape's `cose`, which uses no random
// numbers when `randomize` is false), and fills #status with data-node-count/data-edge-count
// and data-ready="true" once it is drawn (tests read those with chromium --dump-dom).
// `graph.html#node=ID`, `#edge=ID` and `#search=TEXT` open on that node, edge or search.
(function () {
  "use strict";

  var status = document.getElementById("status");
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var kinds = {};
  data.kinds.forEach(function (k) { kinds[k.kind] = k; });
  var nodesById = {};
  data.nodes.forEach(function (n) { nodesById[n.id] = n; });
  var edgesById = {};
  data.edges.forEach(function (e) { edgesById[e.id] = e; });

  // ---- small DOM helpers (text only: nothing from the data is parsed as HTML)
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") node.textContent = attrs[k];
        else if (k === "class") node.className = attrs[k];
        else if (k === "onclick") node.addEventListener("click", attrs[k]);
        else node.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function fold(s) {
    return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // ---- shapes per kind (a second cue besides colour)
  var SHAPES = {
    person: "ellipse", group: "round-rectangle", place: "diamond",
    attack: "star", document: "rectangle"
  };
  function swatch(kind) {
    var color = kinds[kind] ? kinds[kind].color : "#999999";
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "14");
    svg.setAttribute("height", "14");
    svg.setAttribute("viewBox", "0 0 14 14");
    svg.setAttribute("aria-hidden", "true");
    var shape;
    switch (SHAPES[kind]) {
      case "ellipse":
        shape = document.createElementNS(ns, "circle");
        shape.setAttribute("cx", "7"); shape.setAttribute("cy", "7"); shape.setAttribute("r", "6");
        break;
      case "diamond":
        shape = document.createElementNS(ns, "polygon");
        shape.setAttribute("points", "7,0 14,7 7,14 0,7");
        break;
      case "star":
        shape = document.createElementNS(ns, "polygon");
        shape.setAttribute("points", "7,0 8.8,5 14,5 9.8,8.2 11.4,13.5 7,10.3 2.6,13.5 4.2,8.2 0,5 5.2,5");
        break;
      default:
        shape = document.createElementNS(ns, "rect");
        shape.setAttribute("x", "1"); shape.setAttribute("y", "1");
        shape.setAttribute("width", "12"); shape.setAttribute("height", "12");
        shape.setAttribute("rx", SHAPES[kind] === "round-rectangle" ? "3" : "0");
    }
    shape.setAttribute("fill", color);
    svg.appendChild(shape);
    return svg;
  }

  // ---- elements, with deterministic start positions (a golden-angle spiral in id order)
  var elements = [];
  data.nodes.forEach(function (n, i) {
    var r = 40 * Math.sqrt(i + 0.5);
    var a = i * 2.399963229728653;
    elements.push({
      group: "nodes",
      data: {
        id: n.id, label: n.label, kind: n.kind,
        color: kinds[n.kind] ? kinds[n.kind].color : "#999999",
        px: Math.round(n.size * 3)
      },
      position: { x: r * Math.cos(a), y: r * Math.sin(a) }
    });
  });
  var maxWeight = 1;
  data.edges.forEach(function (e) { maxWeight = Math.max(maxWeight, e.weight || 1); });
  data.edges.forEach(function (e) {
    var w = e.weight || 1;
    elements.push({
      group: "edges",
      data: {
        id: e.id, source: e.source, target: e.target, type: e.type,
        w: Math.round((1 + 4 * Math.sqrt(Math.max(0, w - 1) / Math.max(1, maxWeight - 1))) * 100) / 100
      }
    });
  });

  var big = data.nodes.length > 1500;
  var cy = cytoscape({
    container: document.getElementById("cy"),
    elements: elements,
    layout: { name: "preset" },
    minZoom: 0.05,
    maxZoom: 6,
    textureOnViewport: big,
    hideEdgesOnViewport: big,
    style: [
      {
        selector: "node",
        style: {
          "background-color": "data(color)",
          "shape": function (n) { return SHAPES[n.data("kind")] || "ellipse"; },
          "width": "data(px)",
          "height": "data(px)",
          "label": "data(label)",
          "font-size": 13,
          "min-zoomed-font-size": 7,
          "color": "#1b1b1b",
          "text-valign": "bottom",
          "text-margin-y": 3,
          "text-outline-color": "#ffffff",
          "text-outline-width": 2,
          "text-max-width": 140,
          "text-wrap": "ellipsis",
          "border-width": 1,
          "border-color": "#ffffff"
        }
      },
      {
        selector: "edge",
        style: {
          "width": "data(w)",
          "line-color": "#7a7a7a",
          "target-arrow-color": "#7a7a7a",
          "target-arrow-shape": "triangle",
          "arrow-scale": 0.8,
          "curve-style": "bezier",
          "opacity": 0.75
        }
      },
      {
        selector: "edge[type = 'CO_OCCURS']",
        style: {
          "line-color": "#c4c4c4",
          "target-arrow-shape": "none",
          "opacity": 0.6
        }
      },
      {
        selector: "node:selected",
        style: { "border-width": 4, "border-color": "#111111" }
      },
      {
        selector: "edge:selected",
        style: {
          "line-color": "#111111", "target-arrow-color": "#111111", "opacity": 1,
          "label": "data(type)", "font-size": 10, "text-rotation": "autorotate",
          "text-background-color": "#ffffff", "text-background-opacity": 1,
          "text-background-padding": 2
        }
      },
      { selector: ".faded", style: { "opacity": 0.12, "text-opacity": 0.12 } },
      { selector: ".hidden", style: { "display": "none" } }
    ]
  });

  var n = data.nodes.length;
  cy.layout({
    name: "cose",
    randomize: false,
    animate: false,
    fit: true,
    padding: 30,
    numIter: n > 1000 ? 150 : n > 300 ? 400 : 1000,
    nodeDimensionsIncludeLabels: false,
    idealEdgeLength: function () { return 90; },
    nodeRepulsion: function () { return 600000; },
    edgeElasticity: function () { return 80; },
    nodeOverlap: 8,
    gravity: 60,
    componentSpacing: 60
  }).run();

  // ---- details panel
  var details = document.getElementById("details");

  function nodeLink(id) {
    var node = nodesById[id];
    if (!node) return el("span", { class: "id", text: id });
    return el("button", { class: "link", type: "button", onclick: function () { focusNode(id); } },
      [node.label]);
  }
  function edgeLink(id, text) {
    return el("button", { class: "link", type: "button", onclick: function () { focusEdge(id); } },
      [text]);
  }
  function badge(kind) {
    var k = kinds[kind];
    return el("span", { class: "badge", style: "background:" + (k ? k.color : "#999999"),
      text: k ? k.label : kind });
  }
  function defs(rows) {
    var dl = el("dl");
    rows.forEach(function (r) {
      if (r[1] === null || r[1] === undefined || r[1] === "" ||
          (Array.isArray(r[1]) && r[1].length === 0)) return;
      var v = r[1];
      if (Array.isArray(v)) v = v.join("; ");
      dl.appendChild(el("dt", { text: r[0] }));
      dl.appendChild(el("dd", null, [typeof v === "object" ? v : String(v)]));
    });
    return dl;
  }
  function figure(name, f) {
    if (!f) return null;
    var head = f.reconciled + (f.min !== f.max ? " (reports " + f.min + "\u2013" + f.max + ")" : "") +
      " \u00b7 rule: " + f.rule;
    var list = el("ul");
    (f.reports || []).forEach(function (r) {
      list.appendChild(el("li", null, [
        r.value + " " + r.qualifier.replace("_", " ") + " \u2014 \u201c" + r.text + "\u201d",
        el("cite", { text: r.doc + " \u00b7 characters " + r.start + "\u2013" + r.end })
      ]));
    });
    return el("div", null, [el("h3", { text: name }), el("div", { text: head }), list]);
  }

  function showNode(id) {
    var node = nodesById[id];
    clear(details);
    details.appendChild(el("h2", { text: node.label }));
    details.appendChild(el("div", null, [badge(node.kind), " ", el("span", { class: "id", text: node.id })]));
    var rows = [
      ["aliases", node.aliases],
      ["sources", node.sources],
      ["source count", node.sources.length],
      ["mentions", node.mention_count]
    ];
    if (node.kind === "attack") {
      rows.push(["date", node.date]);
      if (node.date_source) {
        rows.push(["date from", "\u201c" + node.date_source.text + "\u201d (" + node.date_source.doc + ")"]);
      }
      rows.push(["place", node.place ? nodeLink(node.place) : null]);
      rows.push(["method", node.method]);
    }
    rows.push(["country", node.country]);
    if (node.lat !== undefined && node.lon !== undefined) rows.push(["lat, lon", node.lat + ", " + node.lon]);
    rows.push(["GeoNames id", node.geonames_id]);
    rows.push(["document", node.doc]);
    rows.push(["title", node.title]);
    if (node.kind !== "attack") rows.push(["date", node.date]);
    rows.push(["url", node.url]);
    details.appendChild(defs(rows));
    var killed = figure("killed", node.killed);
    if (killed) details.appendChild(killed);
    var injured = figure("injured", node.injured);
    if (injured) details.appendChild(injured);

    var rels = cy.getElementById(id).connectedEdges().map(function (e) { return e.id(); }).sort();
    if (rels.length) {
      details.appendChild(el("h3", { text: "relations (" + rels.length + ")" }));
      var list = el("ul");
      rels.forEach(function (eid) {
        var e = edgesById[eid];
        var out = e.source === id;
        var other = out ? e.target : e.source;
        list.appendChild(el("li", null, [
          edgeLink(eid, out ? e.type + " \u2192" : "\u2190 " + e.type), " ", nodeLink(other)
        ]));
      });
      details.appendChild(list);
    }
  }

  function showEdge(id) {
    var e = edgesById[id];
    clear(details);
    details.appendChild(el("h2", { text: e.type }));
    details.appendChild(el("div", null, [el("span", { class: "id", text: e.id })]));
    details.appendChild(defs([
      ["from", nodeLink(e.source)],
      ["to", nodeLink(e.target)],
      ["weight", e.weight],
      ["sources", e.sources],
      ["source count", e.sources.length]
    ]));
    if (e.evidence.length) {
      details.appendChild(el("h3", { text: "evidence (" + e.evidence.length + ")" }));
      e.evidence.forEach(function (ev) {
        details.appendChild(el("blockquote", null, [
          ev.quote,
          el("cite", { text: ev.doc + " \u00b7 characters " + ev.start + "\u2013" + ev.end })
        ]));
      });
    }
  }

  function showOverview() {
    clear(details);
    details.appendChild(el("h2", { text: "Overview" }));
    details.appendChild(el("p", { class: "muted",
      text: "Click a node or an edge to see where it comes from; search by name or alias above." }));
    details.appendChild(el("h3", { text: "nodes" }));
    details.appendChild(defs(data.kinds.map(function (k) { return [k.label, k.count]; })));
    var types = {};
    data.edges.forEach(function (e) { types[e.type] = (types[e.type] || 0) + 1; });
    details.appendChild(el("h3", { text: "relations" }));
    details.appendChild(defs(Object.keys(types).sort().map(function (t) { return [t, types[t]]; })));
    var top = data.nodes.filter(function (x) { return x.mention_count; }).slice()
      .sort(function (a, b) { return b.mention_count - a.mention_count || (a.id < b.id ? -1 : 1); })
      .slice(0, 10);
    if (top.length) {
      details.appendChild(el("h3", { text: "most mentioned" }));
      var list = el("ul");
      top.forEach(function (x) {
        list.appendChild(el("li", null, [nodeLink(x.id), " ", el("span", { class: "muted", text: "(" + x.mention_count + ")" })]));
      });
      details.appendChild(list);
    }
  }

  // ---- selection and focus
  function highlight(eles) {
    cy.elements().removeClass("faded");
    if (eles) cy.elements().difference(eles).addClass("faded");
  }
  function focusNode(id) {
    var node = cy.getElementById(id);
    if (node.empty()) return;
    node.removeClass("hidden");
    cy.elements().unselect();
    node.select();
    highlight(node.closedNeighborhood());
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 300 });
    showNode(id);
  }
  function focusEdge(id) {
    var edge = cy.getElementById(id);
    if (edge.empty()) return;
    cy.elements().unselect();
    edge.select();
    highlight(edge.union(edge.connectedNodes()));
    cy.animate({ center: { eles: edge }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 300 });
    showEdge(id);
  }
  cy.on("tap", "node", function (evt) { focusNode(evt.target.id()); });
  cy.on("tap", "edge", function (evt) { focusEdge(evt.target.id()); });
  cy.on("tap", function (evt) {
    if (evt.target === cy) { cy.elements().unselect(); highlight(null); showOverview(); }
  });

  // ---- legend: one toggle per kind present
  var legend = document.getElementById("legend");
  data.kinds.forEach(function (k) {
    var button = el("button", { type: "button", "aria-pressed": "true",
      title: "Show or hide " + k.label.toLowerCase() + " nodes" },
      [swatch(k.kind), k.label + " (" + k.count + ")"]);
    button.addEventListener("click", function () {
      var shown = button.getAttribute("aria-pressed") === "true";
      button.setAttribute("aria-pressed", shown ? "false" : "true");
      var nodes = cy.nodes().filter(function (x) { return x.data("kind") === k.kind; });
      if (shown) nodes.addClass("hidden"); else nodes.removeClass("hidden");
    });
    legend.appendChild(el("li", null, [button]));
  });

  // ---- search by label or alias
  var search = document.getElementById("search");
  var results = document.getElementById("results");
  var index = data.nodes.map(function (x) {
    return { id: x.id, names: [x.label].concat(x.aliases).map(fold) };
  });
  function matches(q) {
    q = fold(q);
    if (!q) return [];
    var found = [];
    index.forEach(function (entry) {
      var best = 3;
      var via = null;
      entry.names.forEach(function (name, i) {
        var score = name === q ? 0 : name.indexOf(q) === 0 ? 1 : name.indexOf(q) > 0 ? 2 : 3;
        if (score < best) { best = score; via = i; }
      });
      if (best < 3) found.push({ id: entry.id, score: best, via: via });
    });
    found.sort(function (a, b) {
      var la = nodesById[a.id].label, lb = nodesById[b.id].label;
      return a.score - b.score || la.length - lb.length || (a.id < b.id ? -1 : 1);
    });
    return found.slice(0, 12);
  }
  function pick(id) {
    clear(results);
    search.value = nodesById[id].label;
    focusNode(id);
  }
  search.addEventListener("input", function () {
    clear(results);
    matches(search.value).forEach(function (m) {
      var node = nodesById[m.id];
      var alias = m.via > 0 ? node.aliases[m.via - 1] : null;
      results.appendChild(el("li", null, [el("button", { type: "button", onclick: function () { pick(m.id); } }, [
        swatch(node.kind), " ", node.label,
        alias ? el("span", { class: "alias", text: " (" + alias + ")" }) : null
      ])]));
    });
  });
  search.addEventListener("keydown", function (evt) {
    if (evt.key === "Enter") {
      var found = matches(search.value);
      if (found.length) pick(found[0].id);
    } else if (evt.key === "Escape") {
      clear(results);
    }
  });

  // ---- a link to one node, edge or search: graph.html#node=ID, #edge=ID, #search=TEXT
  function followHash() {
    var m = /^#(node|edge|search)=(.*)$/.exec(window.location.hash);
    if (!m) return false;
    var arg = decodeURIComponent(m[2]);
    if (m[1] === "node" && nodesById[arg]) { focusNode(arg); return true; }
    if (m[1] === "edge" && edgesById[arg]) { focusEdge(arg); return true; }
    if (m[1] === "search") {
      search.value = arg;
      search.dispatchEvent(new Event("input"));
    }
    return false;
  }
  window.addEventListener("hashchange", followHash);

  showOverview();
  // The header and the panel are filled now: fit the drawing to its final size.
  cy.resize();
  cy.fit(undefined, 30);
  status.textContent = plural(cy.nodes().length, "node") + ", " + plural(cy.edges().length, "edge");
  status.setAttribute("data-node-count", String(cy.nodes().length));
  status.setAttribute("data-edge-count", String(cy.edges().length));
  status.setAttribute("data-ready", "true");
  document.title = "newsgraph: " + status.textContent;
  followHash();
  window.newsgraph = { cy: cy, data: data, focusNode: focusNode, focusEdge: focusEdge };
})();
