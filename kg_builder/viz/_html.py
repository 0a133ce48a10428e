"""The self-contained HTML page: vis-network (from the installed ``pyvis`` package) inlined, no CDN.

The page carries the graph as JSON (see :mod:`kg_builder.viz._page` for its form): nodes placed in
Python, edges, and a table of facts -> evidence sentences -> articles, so clicking anything shows
where it was read. Its script (plain JavaScript, no network) shows the most connected actors and
the facts among them, and filters by relation, article and date; all text goes into the page as
JSON (:func:`_script_json`) and onto it as DOM text, never as HTML.
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
from kg_builder.viz._layout import LAYOUT_SEED

VIS_VERSION = "9.1.2"
#: Rest length of an edge's spring when the page runs its physics, in pixels; the Python layout
#: spaces neighbours by about as much.
SPRING_LENGTH = 160


def network_options(*, physics: bool) -> dict[str, Any]:
    """vis-network options of the page; carried in its JSON so the picture is fixed by the data alone.

    Nodes come with positions computed in Python. A small graph then runs vis-network's physics a
    little further from there, so labels push apart; a large one (``physics`` False) is drawn where
    it was placed, at once.
    """
    return {
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": False},
        "physics": {"enabled": True, "stabilization": {"iterations": 300},
                    "barnesHut": {"springLength": SPRING_LENGTH, "gravitationalConstant": -2500,
                                  "avoidOverlap": 0.6}} if physics else {"enabled": False},
        "interaction": {"hover": True, "hideEdgesOnDrag": not physics, "tooltipDelay": 150},
        # labels wrap at 150 px instead of running into the neighbours' labels
        # a label smaller than 7 px on screen is not drawn: zoomed out, only the actors are named
        "nodes": {"shape": "dot", "size": 14, "font": {"size": 14}, "widthConstraint": {"maximum": 150},
                  "scaling": {"label": {"drawThreshold": 7}}},
        # static curves: no hidden support nodes in the physics, so what the layout spaces is what is drawn
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}, "font": {"size": 11, "align": "middle"},
                  "scaling": {"label": {"drawThreshold": 7}},
                  "color": {"inherit": "from", "opacity": 0.55},
                  "smooth": {"type": "continuous", "roundness": 0.2} if physics else False},
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
    """JSON safe inside <script>: every ``<`` written as ``\\u003c`` (so neither ``</script>`` nor
    ``<!--<script>``, which makes the HTML parser skip the closing tag, can appear), no U+2028/9 to
    break a line, no lone surrogate or control character (cleaned: they can only stand inside JSON
    strings; the one newline cleaning makes, from NEL, is escaped again)."""
    text = clean(json.dumps(data, ensure_ascii=False, separators=(",", ":"))).replace("\n", "\\n")
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def page(title: str, data: dict[str, Any], *, physics: bool) -> str:
    js, css = vis_assets()
    data = {**data, "options": network_options(physics=physics)}
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
label{display:block;cursor:pointer} select{width:100%} .row{display:flex;gap:6px;align-items:center}
.row input{flex:1;min-width:0} #top,#top-facts{width:70px;flex:none}
#hidden{margin:4px 0;padding:4px 6px;background:#fff4d6;border:1px solid #f0d58c;border-radius:4px;font-size:12px}
#hidden:empty{display:none}
.sw{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:5px;vertical-align:middle}
#node-list,#hidden-list{list-style:none;padding:0;margin:0;max-height:220px;overflow:auto}
#node-list li,#hidden-list li{cursor:pointer;padding:1px 0} #node-list li:hover,#hidden-list li:hover{text-decoration:underline}
#hidden-list li{color:#666}
#details blockquote{margin:4px 0 8px;padding:4px 8px;border-left:3px solid #bbb;background:#fff}
#details .fact{margin:8px 0;padding-top:6px;border-top:1px solid #e4e4e4}
.muted{color:#777;font-size:12px} a{color:#1a5fb4}
"""

_JS = r"""
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var V = D.view, F = D.facts, A = D.articles, N = D.nodes, E = D.edges;
  var isActor = {}, HIDDEN_LISTED = 500;
  D.actorClasses.forEach(function (c) { isActor[c] = true; });
  function short(t, n) { return t.length <= n ? t : t.slice(0, n - 1) + "\u2026"; }
  function el(tag, text, cls) { var e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; }

  // -- what is drawn: sizes from the degree (actors) or the number of facts (facts), labels shortened
  var maxDeg = 1, maxFacts = 1;
  N.forEach(function (n) {
    if (isActor[n.cls]) maxDeg = Math.max(maxDeg, n.deg); else maxFacts = Math.max(maxFacts, n.f.length);
  });
  var nodes = new vis.DataSet(N.map(function (n) {
    var actor = isActor[n.cls], count = n.f.length;
    var w = actor ? Math.sqrt(n.deg / maxDeg) : Math.sqrt(count / maxFacts);
    var label = short(n.label, V.labelMax);
    // a fact node standing for several reports says how many; a large page is seen zoomed out, so
    // its actors' labels are larger
    var item = {id: n.id, label: count > 1 && !actor && n.cls !== "Matter" ? label + " \u00d7" + count : label,
                full: n.label, cls: n.cls, facts: n.f, deg: n.deg, x: n.x, y: n.y, color: D.colors[n.cls] || "#999",
                title: n.cls + ": " + n.label, size: actor ? 12 + (V.physics ? 10 : 22) * w : 8 + 8 * w,
                font: {size: actor ? Math.round(V.physics ? 14 + 6 * w : 18 + 22 * w) : 13}};
    if (V.physics) item.mass = 1 + label.length / 15;  // a long label gets room to be read
    return item;
  }));
  var edges = new vis.DataSet(E.map(function (e, i) {
    var item = {id: "e" + i, from: N[e.from].id, to: N[e.to].id, label: short(e.label, 40), full: e.label,
                relation: e.rel, facts: e.f, title: e.rel + ": " + e.label};
    if (e.smooth) item.smooth = e.smooth;
    if (e.length) item.length = e.length;
    if (e.f.length > 1) item.width = 1 + Math.min(5, Math.log2(e.f.length));
    return item;
  }));
  var incident = N.map(function () { return []; });
  E.forEach(function (e, i) { incident[e.from].push(i); if (e.to !== e.from) incident[e.to].push(i); });

  // -- the controls
  var relBoxes = {}, relDiv = document.getElementById("relations");
  D.relations.forEach(function (r) {
    var l = document.createElement("label"), c = document.createElement("input");
    c.type = "checkbox"; c.checked = true; c.value = r; c.addEventListener("change", refresh);
    relBoxes[r] = c; l.appendChild(c); l.appendChild(document.createTextNode(" " + r)); relDiv.appendChild(l);
  });
  var sel = document.getElementById("article"), articleOf = {};
  A.forEach(function (a, i) {
    var o = document.createElement("option");
    o.value = a[0]; o.textContent = (a[3] ? a[3] + " " : "") + (a[1] || a[0]); sel.appendChild(o);
    articleOf[a[0]] = i;
  });
  sel.addEventListener("change", refresh);
  var dates = F.map(function (f) { return f[3]; }).filter(Boolean).sort();
  var fromBox = document.getElementById("from"), toBox = document.getElementById("to");
  if (dates.length) {
    [fromBox, toBox].forEach(function (b) {
      b.min = dates[0].slice(0, 10); b.max = dates[dates.length - 1].slice(0, 10);
      b.addEventListener("change", refresh);
    });
  } else {
    document.getElementById("dates").hidden = true;
  }
  var topBox = document.getElementById("top"), factBox = document.getElementById("top-facts");
  topBox.value = V.top; factBox.value = V.topFacts;
  topBox.addEventListener("change", refresh); factBox.addEventListener("change", refresh);
  var legend = document.getElementById("legend");
  D.classes.forEach(function (c) {
    var l = document.createElement("div"), s = document.createElement("span");
    s.className = "sw"; s.style.background = D.colors[c] || "#999";
    l.appendChild(s); l.appendChild(document.createTextNode(c)); legend.appendChild(l);
  });

  // -- the filters: a fact passes when read in the chosen article and dated within the chosen days
  var article = -1, from = "", to = "", filtered = false;
  function factOk(i) {
    var f = F[i];
    if (article >= 0 && f[4].indexOf(article) < 0) return false;
    if (from || to) {
      var d = (f[3] || "").slice(0, 10);
      if (!d || (from && d < from) || (to && d > to)) return false;
    }
    return true;
  }
  function anyOk(fs) {
    if (!filtered) return true;
    for (var k = 0; k < fs.length; k++) if (factOk(fs[k])) return true;
    return false;
  }
  // Which nodes and edges to draw. An edge is visible when its relation is ticked and one of its
  // facts passes. Actors with a visible edge compete for the `top` places by degree; a fact is
  // drawn when all the actors it links (visibly) are drawn and it links something drawn; a matter
  // when a drawn condition points at it.
  var showNode = {}, showEdge = {}, state = {}, pinned = {}, hiddenActors = [];
  function compute() {
    var k = parseInt(topBox.value, 10);
    article = sel.value ? articleOf[sel.value] : -1;
    from = fromBox.value; to = toBox.value;
    filtered = article >= 0 || !!from || !!to;
    var edgeOk = E.map(function (e) { return relBoxes[e.rel].checked && anyOk(e.f); });
    var candidates = [];
    N.forEach(function (n, i) {
      if (!isActor[n.cls]) return;
      var inc = incident[i];
      if (inc.length ? inc.some(function (j) { return edgeOk[j]; }) : anyOk(n.f)) candidates.push(i);
    });
    candidates.sort(function (a, b) { return N[b].deg - N[a].deg || N[b].f.length - N[a].f.length || a - b; });
    var shown = new Uint8Array(N.length), limit = k > 0 ? Math.min(k, candidates.length) : candidates.length;
    for (var c = 0; c < limit; c++) shown[candidates[c]] = 1;
    hiddenActors = candidates.slice(limit).filter(function (i) { return !pinned[i]; });
    candidates.slice(limit).forEach(function (i) { if (pinned[i]) shown[i] = 1; });
    function factShown(i) {
      var inc = incident[i], linked = false;
      if (!inc.length) return anyOk(N[i].f);
      for (var j = 0; j < inc.length; j++) {
        if (!edgeOk[inc[j]]) continue;
        var e = E[inc[j]], o = e.from === i ? e.to : e.from;
        if (isActor[N[o].cls]) { if (!shown[o]) return false; linked = true; }
        else if (shown[o]) linked = true;
      }
      return linked;
    }
    for (var pass = 0; pass < 2; pass++) {  // the second pass finds agreements reached in drawn talks
      N.forEach(function (n, i) { if (!shown[i] && !isActor[n.cls] && n.cls !== "Matter" && factShown(i)) shown[i] = 1; });
    }
    // of those facts and of the direct links between drawn actors (demands), the most reported
    var items = [], kf = parseInt(factBox.value, 10), cut = {};
    N.forEach(function (n, i) {
      if (shown[i] && !isActor[n.cls] && n.cls !== "Matter") items.push([n.f.length, n.deg, i, i]);
    });
    E.forEach(function (e, j) {
      if (edgeOk[j] && isActor[N[e.from].cls] && isActor[N[e.to].cls] && shown[e.from] && shown[e.to]) {
        items.push([e.f.length, 0, N.length + j, -1 - j]);
      }
    });
    items.sort(function (a, b) { return b[0] - a[0] || b[1] - a[1] || a[2] - b[2]; });
    var factLimit = kf > 0 ? Math.min(kf, items.length) : items.length;
    function ofPinned(item) {  // the facts of an actor picked from the hidden list are all drawn
      var ends = item[3] >= 0 ? incident[item[3]].map(function (j) { var e = E[j]; return e.from === item[3] ? e.to : e.from; })
                              : [E[-1 - item[3]].from, E[-1 - item[3]].to];
      return ends.some(function (o) { return pinned[o]; });
    }
    for (var d = factLimit; d < items.length; d++) {
      if (ofPinned(items[d])) continue;
      if (items[d][3] >= 0) shown[items[d][3]] = 0; else cut[-1 - items[d][3]] = true;
    }
    N.forEach(function (n, i) {
      if (n.cls !== "Matter") return;
      shown[i] = incident[i].some(function (j) {
        var e = E[j], o = e.from === i ? e.to : e.from;
        return edgeOk[j] && shown[o] && N[o].cls !== "Matter";
      }) ? 1 : 0;
    });
    showNode = {}; showEdge = {};
    N.forEach(function (n, i) { if (shown[i]) showNode[n.id] = true; });
    E.forEach(function (e, i) { if (edgeOk[i] && !cut[i] && shown[e.from] && shown[e.to]) showEdge["e" + i] = true; });
    state = {actors: candidates.length, shownActors: candidates.length - hiddenActors.length, facts: items.length,
             shownFacts: factLimit};
  }
  compute();
  var nodeView = new vis.DataView(nodes, {filter: function (n) { return showNode[n.id] === true; }});
  var edgeView = new vis.DataView(edges, {filter: function (e) { return showEdge[e.id] === true; }});
  var network = new vis.Network(document.getElementById("graph"), {nodes: nodeView, edges: edgeView}, D.options);
  if (!V.physics) network.fit({animation: false});

  function listNodes() {
    var ul = document.getElementById("node-list"); ul.textContent = "";
    nodeView.get().filter(function (n) { return isActor[n.cls]; })
      .sort(function (a, b) { return a.full.localeCompare(b.full); })
      .forEach(function (n) {
        var li = document.createElement("li"), s = document.createElement("span");
        s.className = "sw"; s.style.background = D.colors[n.cls] || "#999";
        li.appendChild(s); li.appendChild(document.createTextNode(n.full));
        li.dataset.id = n.id; li.dataset.cls = n.cls;
        li.addEventListener("click", function () { network.selectNodes([n.id]); network.focus(n.id); show(n, "node"); });
        ul.appendChild(li);
      });
    // the hidden actors, most connected first: a click draws one with its facts
    var hl = document.getElementById("hidden-list"); hl.textContent = "";
    document.getElementById("hidden-head").hidden = hiddenActors.length === 0;
    hiddenActors.slice(0, HIDDEN_LISTED).forEach(function (i) {
      var n = N[i], li = document.createElement("li"), s = document.createElement("span");
      s.className = "sw"; s.style.background = D.colors[n.cls] || "#999";
      li.appendChild(s); li.appendChild(document.createTextNode(n.label + " (" + n.deg + ")"));
      li.dataset.id = n.id; li.title = "draw " + n.label + " with its facts";
      li.addEventListener("click", function () {
        pinned[i] = true; refresh(); network.selectNodes([n.id]); network.focus(n.id); show(nodes.get(n.id), "node");
      });
      hl.appendChild(li);
    });
    if (hiddenActors.length > HIDDEN_LISTED) hl.appendChild(el("li", "+" + (hiddenActors.length - HIDDEN_LISTED) + " more", "muted"));
    document.getElementById("counts").textContent =
      nodeView.length + " nodes, " + edgeView.length + " edges shown";
    var hidden = state.actors - state.shownActors, hiddenFacts = state.facts - state.shownFacts, notes = [];
    if (hidden > 0) {
      notes.push("Showing " + state.shownActors + " of " + state.actors + " actors, the most connected: " +
                 hidden + " hidden, with the facts that involve them (listed below: click one to draw it).");
    }
    if (hiddenFacts > 0) {
      notes.push("Of the " + state.facts + " facts among the actors shown, the " + state.shownFacts +
                 " most reported are drawn: " + hiddenFacts + " hidden (a demand between two actors is one).");
    }
    if (notes.length) notes.push("Raise the numbers above, or pick an article or dates.");
    document.getElementById("hidden").textContent = notes.join(" ");
    document.body.dataset.hiddenActors = String(Math.max(hidden, 0));
    document.body.dataset.hiddenFacts = String(Math.max(hiddenFacts, 0));
  }
  function refresh() {
    compute(); edgeView.refresh(); nodeView.refresh(); listNodes();
    if (!V.physics && nodeView.length) network.fit({animation: false});
  }
  function show(item, what) {
    var box = document.getElementById("details"); box.textContent = "";
    box.className = "";
    box.appendChild(el("h2", what === "node" ? item.cls : "relation: " + item.relation));
    box.appendChild(el("div", item.full || item.label || ""));
    var facts = item.facts || [], passing = filtered ? facts.filter(factOk) : facts;
    if (passing.length) facts = passing;
    if (facts.length > 1) {
      box.appendChild(el("div", facts.length + " facts" + (filtered && passing.length ? " within the filters" : ""), "muted"));
    }
    // facts of one class and label (the same fact in many articles) are one entry, each different
    // sentence quoted once with the first article it was read in
    var groups = [], byKey = {};
    facts.forEach(function (i) {
      var f = F[i], key = f[1] + "\u0000" + f[2], g = byKey[key];
      if (!g) { g = byKey[key] = {fact: f, count: 0, quotes: [], seen: {}}; groups.push(g); }
      g.count += 1;
      f[5].forEach(function (q) { if (!(q[0] in g.seen)) { g.seen[q[0]] = true; g.quotes.push(q); } });
    });
    groups.slice(0, 30).forEach(function (g) {
      var f = g.fact, div = el("div", null, "fact");
      div.appendChild(el("div", f[1] + ": " + f[2]));
      div.appendChild(el("div", f[0] + (g.count > 1 ? " and " + (g.count - 1) + " more: reported " + g.count + " times" : ""), "muted"));
      g.quotes.slice(0, 5).forEach(function (q) {
        div.appendChild(el("blockquote", q[0]));
        var a = q[1] === null ? null : A[q[1]];
        if (a) {
          var link = el("a", a[1] || a[0]), href = a[2] || a[0];
          if (/^https?:\/\//i.test(href)) { link.href = href; link.target = "_blank"; link.rel = "noopener"; }
          var p = el("div", a[3] ? a[3] + " \u2014 " : "", "muted"); p.appendChild(link); div.appendChild(p);
        }
      });
      if (g.quotes.length > 5) div.appendChild(el("div", "+" + (g.quotes.length - 5) + " more sentences", "muted"));
      box.appendChild(div);
    });
    if (groups.length > 30) box.appendChild(el("div", "+" + (groups.length - 30) + " more facts", "muted"));
  }
  network.on("click", function (p) {
    if (p.nodes.length) show(nodes.get(p.nodes[0]), "node");
    else if (p.edges.length) show(edges.get(p.edges[0]), "edge");
  });
  listNodes();
  function ready() {
    if (document.body.dataset.ready === "1") return;
    window.kgReadyMs = performance.now();
    document.body.dataset.ready = "1";
  }
  // the physics reports when it is done; drawn as placed (or with nothing to place), the first frame is it
  if (V.physics && nodeView.length) network.once("stabilizationIterationsDone", ready);
  else network.once("afterDrawing", ready);
  window.kgNetwork = network;
  window.kgRefresh = refresh;
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
<h2>Actors shown</h2>
<div class="row"><input type="number" id="top" min="0" step="5"><span class="muted">most connected actors (0: all)</span></div>
<div class="row"><input type="number" id="top-facts" min="0" step="50"><span class="muted">most reported facts among them</span></div>
<div id="hidden"></div>
<h2>Relations</h2><div id="relations"></div>
<h2>Article</h2><select id="article"><option value="">all articles</option></select>
<div id="dates"><h2>Dates</h2>
<div class="row"><input type="date" id="from" aria-label="from"> – <input type="date" id="to" aria-label="to"></div></div>
<h2>Classes</h2><div id="legend"></div>
<h2>Actors</h2><ul id="node-list"></ul>
<h2 id="hidden-head">Hidden actors</h2><ul id="hidden-list"></ul>
</div>
<div id="main"><div id="graph"></div>
<div id="details" class="muted">Click a node or an edge to see the sentences it was read from.</div></div>
<script type="application/json" id="kg-data">%%DATA%%</script>
<script>%%VIS_JS%%</script>
<script>%%APP_JS%%</script>
</body></html>
"""
