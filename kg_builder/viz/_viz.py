"""Files people can look at: an offline HTML page, GraphML/GEXF for Gephi, a static drawing per projection.

Every text written is cleaned of what XML cannot hold (:func:`kg_builder._text.clean`), whatever
RDF it came from, and every file is written to a temporary name and renamed, so a failure never
leaves an empty or half-written view.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from kg_builder._files import atomic_path, write_text
from kg_builder._text import clean, http_url
from kg_builder.analysis import PROJECTIONS, load_facts
from kg_builder.analysis._load import FactIndex
from kg_builder.errors import KGBuilderError
from kg_builder.viz._html import SPRING_LENGTH, page

FORMATS = ("html", "graphml", "gexf", "svg", "png")
#: Colour of each class, shared by the HTML page and the static drawings.
COLORS = {
    "Country": "#1f77b4", "Person": "#ff7f0e", "Organization": "#2ca02c", "Actor": "#bcbd22",
    "Negotiation": "#9467bd", "Demand": "#d62728", "Agreement": "#17becf", "Condition": "#8c564b",
    "Matter": "#7f7f7f", "Delegation": "#e377c2",
}
ACTOR_CLASSES = ("Country", "Person", "Organization", "Actor")
#: Node labels on the HTML page are cut to this many characters (the full text is in the tooltip and panel).
NODE_LABEL_MAX = 40
#: How much more each further edge between the same two nodes bends (vis-network ``smooth.roundness``).
PARALLEL_EDGE_ROUNDNESS = 0.2
#: Spring length of parallel edges relative to the others: longer, so the fan of labels has room, but
#: not much longer, or nodes linked to both ends (their talks, agreements) settle inside the fan (the
#: layout does not see curves).
PARALLEL_EDGE_LENGTH = 1.6
#: Static drawings switch from a spring layout to a cheaper one above this many nodes.
SPRING_LAYOUT_MAX_NODES = 400


def viz(source: Any, out_dir: str | Path, *, formats: Iterable[str] = ("html", "graphml", "gexf", "svg")
        ) -> list[Path]:
    """Write views of the graph into ``out_dir``; returns the files written.

    ``html``: ``graph.html``, every projection on one interactive page (offline). ``graphml``,
    ``gexf``: ``<projection>.graphml|gexf`` per projection (mediation, demand, conditioning,
    agreement), list attributes joined by spaces. ``svg``/``png``: ``<projection>.svg|png``.
    """
    formats = tuple(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise KGBuilderError(f"unknown view format(s) {', '.join(unknown)} (use {', '.join(FORMATS)})")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KGBuilderError(f"{out}: cannot create the output folder ({exc})") from exc
    idx = load_facts(source)
    graphs = {name: build(idx) for name, build in PROJECTIONS.items()}
    written: list[Path] = []
    if "html" in formats:
        path = out / "graph.html"
        write_text(path, html_page(idx, graphs, title=_title(source)))
        written.append(path)
    for name, g in graphs.items():
        for fmt, write in (("graphml", nx.write_graphml), ("gexf", nx.write_gexf)):
            if fmt in formats:
                written.append(out / f"{name}.{fmt}")
                with atomic_path(written[-1]) as tmp:
                    write(scalar_graph(g), tmp)
        for fmt in ("svg", "png"):
            if fmt in formats:
                written.append(out / f"{name}.{fmt}")
                with atomic_path(written[-1]) as tmp:
                    draw(g, tmp, title=f"{name} graph", fmt=fmt)
    return written


def _title(source: Any) -> str:
    if isinstance(source, (str, Path)):
        return f"Diplomacy graph — {clean(Path(source).name)}"
    return "Diplomacy graph"


def scalar_graph(g: nx.Graph) -> nx.Graph:
    """A copy whose ids and attributes are all strings XML can hold (lists joined by spaces), as
    GraphML/GEXF need."""
    def flat(data: dict[str, Any]) -> dict[str, str]:
        return {clean(str(k)): clean(" ".join(map(str, v)) if isinstance(v, (list, tuple, set))
                                     else "" if v is None else str(v))
                for k, v in data.items()}

    def node(n: Any) -> str:
        return clean(str(n))

    h = g.__class__()
    h.graph.update({clean(str(k)): clean(str(v)) for k, v in g.graph.items()})
    h.add_nodes_from((node(n), flat(d)) for n, d in g.nodes(data=True))
    if g.is_multigraph():
        h.add_edges_from((node(u), node(v), clean(str(k)), flat(d)) for u, v, k, d in g.edges(keys=True, data=True))
    else:
        h.add_edges_from((node(u), node(v), flat(d)) for u, v, d in g.edges(data=True))
    return h


def html_page(idx: FactIndex, graphs: dict[str, nx.Graph], *, title: str = "Diplomacy graph") -> str:
    """One page with every projection: nodes merged by id, edges kept per projection and relation."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []
    for name, g in graphs.items():
        for n, d in g.nodes(data=True):
            label = _short(d["label"], NODE_LABEL_MAX)
            # the full text goes to the tooltip and the panel; a heavier node pushes the others further
            # off (vis-network ``mass``), so a long label gets room to be read
            node = nodes.setdefault(n, {"id": n, "label": label, "full": d["label"], "mass": 1 + len(label) / 15,
                                        "cls": d["cls"], "facts": [], "articles": []})
            node["facts"] = list(dict.fromkeys(node["facts"] + d["facts"]))
            node["articles"] = list(dict.fromkeys(node["articles"] + d["articles"]))
        for u, v, d in g.edges(data=True):
            label = d["label"] if d["relation"] != "demandedOf" else "demands: " + d["label"]
            edges.append({"id": f"e{len(edges)}", "from": u, "to": v, "label": _short(label), "full": d["label"],
                          "relation": d["relation"], "projection": name, "facts": d["facts"],
                          "articles": d["articles"]})
    _spread_parallel_edges(edges)
    used = {f for x in [*nodes.values(), *edges] for f in x["facts"]}
    facts = {iri: {"cls": f.cls, "label": f.label, "evidence": f.evidence} for iri, f in idx.facts.items()
             if iri in used}
    evidence = {e: {"quote": idx.evidence[e].quote, "article": idx.evidence[e].article}
                for f in facts.values() for e in f["evidence"] if e in idx.evidence}
    classes = sorted({n["cls"] for n in nodes.values()}, key=lambda c: (c not in ACTOR_CLASSES, c))
    data = {
        "nodes": list(nodes.values()), "edges": edges, "facts": facts, "evidence": evidence,
        # only http(s) URLs may become links; the page checks again before it sets an href
        "articles": {a.iri: {"headline": a.headline, "url": a.url if http_url(a.url) else None, "date": a.date}
                     for a in sorted(idx.articles.values(), key=lambda a: (a.date or "", a.iri))},
        "relations": sorted({e["relation"] for e in edges}), "classes": classes,
        "colors": COLORS, "actorClasses": list(ACTOR_CLASSES),
    }
    return page(title, data)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _spread_parallel_edges(edges: list[dict[str, Any]]) -> None:
    """Curve edges that join the same two nodes apart (either direction), so each is seen and clicked.

    The k-th of n parallel edges bends by ``(k - (n-1)/2) * PARALLEL_EDGE_ROUNDNESS``, clockwise on one
    side and counter-clockwise on the other; an edge drawn the other way round flips its turn so that
    it bends to the same side of the pair as its offset says; many edges share the roundness range
    (0 to 0.9) instead. The pair's springs are lengthened so the fan of labels has room. A lone edge
    keeps the page's default curve and length; loops are vis-network's own business.
    """
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for e in edges:
        if e["from"] != e["to"]:
            pairs.setdefault((min(e["from"], e["to"]), max(e["from"], e["to"])), []).append(e)
    for (first, _), group in pairs.items():
        if len(group) < 2:
            continue
        widest = (len(group) - 1) / 2
        step = min(PARALLEL_EDGE_ROUNDNESS, 0.9 / widest)
        for k, e in enumerate(group):
            offset = k - widest
            clockwise = (offset > 0) == (e["from"] == first)
            e["smooth"] = {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
                           "roundness": round(abs(offset) * step, 3)}
            e["length"] = round(SPRING_LENGTH * PARALLEL_EDGE_LENGTH)


def _plain(text: str) -> str:
    """Text matplotlib draws as written: cleaned, and ``$`` escaped so it starts no mathtext."""
    return clean(text).replace("$", r"\$")


def draw(g: nx.Graph, path: Path, *, title: str = "", fmt: str | None = None) -> None:
    """A static drawing (SVG or PNG; by ``fmt``, else by the suffix) with matplotlib's object API:
    no pyplot global state."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    fig = Figure(figsize=(11, 8), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(_plain(title))
    if g.number_of_nodes():
        pos = (nx.spring_layout(g, seed=7, k=1.5 / max(g.number_of_nodes(), 1) ** 0.5)
               if g.number_of_nodes() <= SPRING_LAYOUT_MAX_NODES else nx.random_layout(g, seed=7))
        classes = [d["cls"] for _, d in g.nodes(data=True)]
        nx.draw_networkx_nodes(g, pos, ax=ax, node_size=260, node_color=[COLORS.get(c, "#999") for c in classes])
        nx.draw_networkx_edges(g, pos, ax=ax, alpha=0.5, arrows=g.is_directed(), node_size=260)
        if g.number_of_nodes() <= SPRING_LAYOUT_MAX_NODES:
            nx.draw_networkx_labels(g, pos, ax=ax, font_size=8,
                                    labels={n: _plain(_short(d["label"], 30)) for n, d in g.nodes(data=True)})
            edge_labels = {(u, v): _plain(d["relation"]) for u, v, d in g.edges(data=True)}
            nx.draw_networkx_edge_labels(g, pos, ax=ax, edge_labels=edge_labels, font_size=6)
        present = sorted(set(classes))
        ax.legend(handles=[Line2D([], [], marker="o", linestyle="", color=COLORS.get(c, "#999"), label=_plain(c))
                           for c in present], loc="lower left", fontsize=8)
    fig.savefig(path, format=fmt or Path(path).suffix.lstrip("."), bbox_inches="tight")
