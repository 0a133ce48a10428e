"""The self-contained HTML page: vis-network (from the installed ``pyvis`` package) inlined, no CDN.

The page carries the whole graph as JSON: nodes and edges with their facts and articles, plus a
table of facts -> evidence sentences -> articles, so clicking anything shows where it was read.
"""
from __future__ import annotations

import html
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

from kg_builder._text import clean
from kg_builder.errors import KGBuilderError

VIS_VERSION = "9.1.2"
#: vis-network places nodes randomly before the physics runs: a fixed seed gives the same picture every time.
LAYOUT_SEED = 7
#: Rest length of an edge's spring in the layout, in pixels.
SPRING_LENGTH = 160


def network_options() -> dict[str, Any]:
    """vis-network options of the page; carried in its JSON so the layout is fixed by the data alone."""
    return {
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": True},
        "physics": {"stabilization": {"iterations": 300},
                    "barnesHut": {"springLength": SPRING_LENGTH, "gravitationalConstant": -2500, "avoidOverlap": 0.6}},
        "interaction": {"hover": True},
        # labels wrap at 150 px instead of running into the neighbours' labels
        "nodes": {"shape": "dot", "size": 14, "font": {"size": 14}, "widthConstraint": {"maximum": 150}},
        # static curves: no hidden support nodes in the physics, so what the layout spaces is what is drawn
        "edges": {"arrows": "to", "font": {"size": 11, "align": "middle"},
                  "smooth": {"type": "continuous", "roundness": 0.2}},
    }


def vis_assets() -> tuple[str, str]:
    """(JavaScript, CSS) of the vis-network bundle shipped inside the pyvis wheel."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise KGBuilderError("the HTML view needs the 'pyvis' package (it ships vis-network): pip install pyvis")
    root = Path(next(iter(spec.submodule_search_locations))) / "lib" / f"vis-{VIS_VERSION}"
    js, css = root / "vis-network.min.js", root / "vis-network.css"
    if not js.exists():
        raise KGBuilderError(f"{js}: vis-network {VIS_VERSION} is missing from the installed pyvis")
    return js.read_text(encoding="utf-8"), css.read_text(encoding="utf-8")


def _script_json(data: Any) -> str:
    """JSON safe inside <script>: no '</' can close the element, no U+2028/9 can break the line, no
    lone surrogate or control character (cleaned: they can only stand inside JSON strings, and the
    one newline cleaning makes, from NEL, is escaped again)."""
    text = clean(json.dumps(data, ensure_ascii=False, separators=(",", ":"))).replace("\n", "\\n")
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def page(title: str, data: dict[str, Any]) -> str:
    js, css = vis_assets()
    data = {**data, "options": network_options()}
    parts = {"TITLE": html.escape(clean(title)), "VIS_CSS": css, "APP_CSS": _CSS, "DATA": _script_json(data),
             "APP_JS": _JS, "VIS_JS": js}
    # one pass: text coming from articles is never searched for placeholders
    return re.sub(r"%%([A-Z_]+)%%", lambda m: parts[m.group(1)], _TEMPLATE)


_CSS = """
*{box-sizing:border-box} body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#222;display:flex;height:100vh}
#side{width:300px;overflow-y:auto;overflow-x:hidden;overflow-wrap:anywhere;padding:10px 12px;
  border-right:1px solid #ddd;background:#fafafa}
#details{position:absolute;top:10px;right:10px;width:380px;max-height:70%;overflow:auto;padding:8px 12px;
  background:rgba(255,255,255,.95);border:1px solid #ddd;border-radius:6px;overflow-wrap:anywhere;z-index:2}
#main{flex:1;position:relative} #graph{position:absolute;inset:0}
h1{font-size:16px;margin:0 0 8px} h2{font-size:13px;margin:14px 0 4px;text-transform:uppercase;color:#555}
label{display:block;cursor:pointer} select{width:100%}
.sw{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:5px;vertical-align:middle}
#node-list{list-style:none;padding:0;margin:0;max-height:220px;overflow:auto}
#node-list li{cursor:pointer;padding:1px 0} #node-list li:hover{text-decoration:underline}
#details blockquote{margin:4px 0 8px;padding:4px 8px;border-left:3px solid #bbb;background:#fff}
#details .fact{margin:8px 0;padding-top:6px;border-top:1px solid #e4e4e4}
.muted{color:#777;font-size:12px} a{color:#1a5fb4}
"""

_JS = r"""
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var nodes = new vis.DataSet(D.nodes.map(function (n) {
    return Object.assign({}, n, {color: D.colors[n.cls] || "#999", title: n.cls + ": " + (n.full || n.label)});
  }));
  var edges = new vis.DataSet(D.edges.map(function (e) {
    return Object.assign({}, e, {title: e.relation + ": " + (e.full || e.label)});
  }));
  var incident = {};
  D.edges.forEach(function (e) {
    (incident[e.from] = incident[e.from] || []).push(e.id);
    (incident[e.to] = incident[e.to] || []).push(e.id);
  });
  var relBoxes = {}, article = "";
  var relDiv = document.getElementById("relations");
  D.relations.forEach(function (r) {
    var l = document.createElement("label"), c = document.createElement("input");
    c.type = "checkbox"; c.checked = true; c.value = r; c.addEventListener("change", refresh);
    relBoxes[r] = c; l.appendChild(c); l.appendChild(document.createTextNode(" " + r)); relDiv.appendChild(l);
  });
  var sel = document.getElementById("article");
  Object.keys(D.articles).forEach(function (iri) {
    var a = D.articles[iri], o = document.createElement("option");
    o.value = iri; o.textContent = (a.date ? a.date + " " : "") + (a.headline || iri); sel.appendChild(o);
  });
  sel.addEventListener("change", function () { article = sel.value; refresh(); });
  var legend = document.getElementById("legend");
  D.classes.forEach(function (c) {
    var l = document.createElement("div"), s = document.createElement("span");
    s.className = "sw"; s.style.background = D.colors[c] || "#999";
    l.appendChild(s); l.appendChild(document.createTextNode(c)); legend.appendChild(l);
  });
  function inArticle(x) { return !article || (x.articles || []).indexOf(article) >= 0; }
  var edgeView = new vis.DataView(edges, {filter: function (e) {
    return relBoxes[e.relation] && relBoxes[e.relation].checked && inArticle(e);
  }});
  var nodeView = new vis.DataView(nodes, {filter: function (n) {
    if (!inArticle(n)) return false;
    var es = incident[n.id] || [];
    return es.length === 0 || es.some(function (id) { return edgeView.get(id) !== null; });
  }});
  var network = new vis.Network(document.getElementById("graph"), {nodes: nodeView, edges: edgeView}, D.options);
  function listNodes() {
    var ul = document.getElementById("node-list"); ul.textContent = "";
    nodeView.get().filter(function (n) { return D.actorClasses.indexOf(n.cls) >= 0; })
      .sort(function (a, b) { return a.full.localeCompare(b.full); })
      .forEach(function (n) {
        var li = document.createElement("li"), s = document.createElement("span");
        s.className = "sw"; s.style.background = D.colors[n.cls] || "#999";
        li.appendChild(s); li.appendChild(document.createTextNode(n.full));
        li.dataset.id = n.id; li.dataset.cls = n.cls;
        li.addEventListener("click", function () { network.selectNodes([n.id]); network.focus(n.id); show(n, "node"); });
        ul.appendChild(li);
      });
    document.getElementById("counts").textContent =
      nodeView.length + " nodes, " + edgeView.length + " edges shown";
  }
  function refresh() { edgeView.refresh(); nodeView.refresh(); listNodes(); }
  function el(tag, text, cls) { var e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; }
  function show(item, what) {
    var box = document.getElementById("details"); box.textContent = "";
    box.className = "";
    box.appendChild(el("h2", what === "node" ? item.cls : "relation: " + item.relation));
    box.appendChild(el("div", item.full || item.label || ""));
    (item.facts || []).slice(0, 30).forEach(function (iri) {
      var f = D.facts[iri] || {cls: "", label: iri, evidence: []}, div = el("div", null, "fact");
      div.appendChild(el("div", f.cls + ": " + f.label));
      var id = el("div", iri, "muted"); div.appendChild(id);
      f.evidence.forEach(function (ev) {
        var e = D.evidence[ev]; if (!e) return;
        div.appendChild(el("blockquote", e.quote));
        var a = D.articles[e.article];
        if (a) {
          var link = el("a", a.headline || e.article), href = a.url || e.article;
          if (/^https?:\/\//i.test(href)) { link.href = href; link.target = "_blank"; link.rel = "noopener"; }
          var p = el("div", a.date ? a.date + " — " : "", "muted"); p.appendChild(link); div.appendChild(p);
        }
      });
      box.appendChild(div);
    });
    if ((item.facts || []).length > 30) box.appendChild(el("div", "+" + (item.facts.length - 30) + " more facts", "muted"));
  }
  network.on("click", function (p) {
    if (p.nodes.length) show(nodes.get(p.nodes[0]), "node");
    else if (p.edges.length) show(edges.get(p.edges[0]), "edge");
  });
  listNodes();
  network.once("stabilizationIterationsDone", function () { document.body.dataset.ready = "1"; });
  window.kgNetwork = network;
  document.body.dataset.loaded = "1";
})();
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%%TITLE%%</title>
<style>%%VIS_CSS%%</style>
<style>%%APP_CSS%%</style>
</head><body>
<div id="side">
<h1>%%TITLE%%</h1>
<div id="counts" class="muted"></div>
<h2>Relations</h2><div id="relations"></div>
<h2>Article</h2><select id="article"><option value="">all articles</option></select>
<h2>Classes</h2><div id="legend"></div>
<h2>Actors</h2><ul id="node-list"></ul>
</div>
<div id="main"><div id="graph"></div>
<div id="details" class="muted">Click a node or an edge to see the sentences it was read from.</div></div>
<script type="application/json" id="kg-data">%%DATA%%</script>
<script>%%VIS_JS%%</script>
<script>%%APP_JS%%</script>
</body></html>
"""
