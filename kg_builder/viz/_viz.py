"""Files people can look at: an offline HTML page, GraphML/GEXF for Gephi, a static drawing per projection.

Every text written is cleaned of what XML cannot hold (:func:`kg_builder._text.clean`), whatever
RDF it came from, and every file is written to a temporary name and renamed, so a failure never
leaves an empty or half-written view.
"""
from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from kg_builder._files import atomic_path, write_text
from kg_builder._text import clean
from kg_builder.analysis import PROJECTIONS, load_facts
from kg_builder.analysis._load import FactIndex
from kg_builder.errors import KGBuilderError
from kg_builder.viz._html import SPRING_LENGTH, page
from kg_builder.viz._page import page_data

FORMATS = ("html", "graphml", "gexf", "svg", "png")
#: Colour of each class, shared by the HTML page and the static drawings.
COLORS = {
    "Country": "#1f77b4", "Person": "#ff7f0e", "Organization": "#2ca02c", "Actor": "#bcbd22",
    "Negotiation": "#9467bd", "Demand": "#d62728", "Agreement": "#17becf", "Condition": "#8c564b",
    "Matter": "#7f7f7f", "Delegation": "#e377c2",
}
#: Node labels on the HTML page are cut to this many characters (the full text is in the tooltip and panel).
NODE_LABEL_MAX = 40
#: The HTML page first shows this many actors, the most connected, and the facts among them ...
TOP_ACTORS = 30
#: ... at most this many of those facts, the most reported.
TOP_FACTS = 150
#: The HTML page lets vis-network's physics refine the layout up to this many nodes; above, it draws
#: the positions computed in Python as they are, so a large page is ready as soon as it is drawn.
PHYSICS_MAX_NODES = 150
#: Static drawings switch from a spring layout to a cheaper one above this many nodes.
SPRING_LAYOUT_MAX_NODES = 400


def viz(source: Any, out_dir: str | Path, *, formats: Iterable[str] = ("html", "graphml", "gexf", "svg"),
        top_actors: int = TOP_ACTORS, top_facts: int = TOP_FACTS, physics_max_nodes: int = PHYSICS_MAX_NODES
        ) -> list[Path]:
    """Write views of the graph into ``out_dir``; returns the files written.

    ``html``: ``graph.html``, every projection on one interactive page (offline), laid out here;
    it first shows the ``top_actors`` most connected actors (0: all) and the ``top_facts`` most
    reported facts among them (0: all), and runs vis-network's physics only up to
    ``physics_max_nodes`` nodes. ``graphml``,
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
        write_text(path, html_page(idx, graphs, title=_title(source), top_actors=top_actors,
                                   top_facts=top_facts, physics_max_nodes=physics_max_nodes))
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


def html_page(idx: FactIndex, graphs: dict[str, nx.Graph], *, title: str = "Diplomacy graph",
              top_actors: int = TOP_ACTORS, top_facts: int = TOP_FACTS,
              physics_max_nodes: int = PHYSICS_MAX_NODES) -> str:
    """One page with every projection (see :mod:`kg_builder.viz._page`): the ``top_actors`` most
    connected actors and the ``top_facts`` most reported facts among them shown at first (0: all),
    vis-network's physics run only up to ``physics_max_nodes`` nodes (above, the Python layout is
    drawn as it is)."""
    for name, value in (("top_actors", top_actors), ("top_facts", top_facts),
                        ("physics_max_nodes", physics_max_nodes)):
        if value < 0:
            raise KGBuilderError(f"{name} must be 0 or more, not {value}")
    data = page_data(idx, graphs, top_actors=top_actors, top_facts=top_facts, spring_length=SPRING_LENGTH)
    physics = len(data["nodes"]) <= physics_max_nodes
    data.update(colors=COLORS, view={"top": top_actors, "topFacts": top_facts, "physics": physics,
                                     "labelMax": NODE_LABEL_MAX})
    return page(title, data, physics=physics)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
    with warnings.catch_warnings():  # one warning per glyph of a script the font lacks: noise, not news
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        fig.savefig(path, format=fmt or Path(path).suffix.lstrip("."), bbox_inches="tight")
