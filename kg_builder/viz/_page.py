"""The data of the HTML page: the projections merged into one graph, readable at any size.

What the page carries (JSON, read by the page's script; indices point into the lists):

- ``articles``: ``[iri, headline, url, date]`` per article, by date then IRI;
- ``facts``: ``[iri, class, label, date, [article index...], [[quote, article index]...]]`` per fact,
  by IRI;
- ``nodes``: ``{"id", "label", "cls", "f": [fact index...], "x", "y", "deg"}``: the label is the whole
  text (the page shortens it), ``x``/``y`` the layout computed here, ``deg`` the number of edges;
- ``edges``: ``{"from", "to", "rel", "label", "f"}``, ends as node indices, with ``smooth`` and
  ``length`` on parallel edges.

Each fact, quote and article is written once, and nodes and edges point at them, so the page grows
with the facts, not with how often they are drawn. Facts that say the same thing (same class,
same label, same actors in the same roles: the same talks reported by many articles) are one node,
whose facts are all of them; parallel edges of one relation and label are one edge likewise.
"""
from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import networkx as nx

from kg_builder._text import http_url
from kg_builder.analysis._load import FactIndex
from kg_builder.viz._layout import layout

#: Node classes that stand for actors; the page's default view ranks these by degree.
ACTOR_CLASSES = ("Country", "Person", "Organization", "Actor")
#: Classes of nodes that are not facts (actors and the matters conditions are about).
NON_FACT_CLASSES = (*ACTOR_CLASSES, "Matter")
#: How much more each further edge between the same two nodes bends (vis-network ``smooth.roundness``).
PARALLEL_EDGE_ROUNDNESS = 0.2
#: Spring length of parallel edges relative to the others (when the page runs its physics).
PARALLEL_EDGE_LENGTH = 1.6


def page_data(idx: FactIndex, graphs: dict[str, nx.Graph], *, top_actors: int, top_facts: int,
              spring_length: int) -> dict[str, Any]:
    """Nodes, edges, facts and articles of every projection, merged, grouped and laid out for a first
    view of the ``top_actors`` most connected actors (0: all) and the ``top_facts`` most reported
    facts among them (0: all)."""
    nodes, edges = _merged(graphs)
    group = _fact_groups(nodes, edges)
    # the grouped graph: one node per group, one edge per (from, to, relation, label)
    gnodes: dict[str, dict[str, Any]] = {}
    for n, d in nodes.items():
        g = gnodes.setdefault(group[n], {"id": group[n], "label": d["label"], "cls": d["cls"], "facts": {}})
        g["facts"].update(dict.fromkeys(d["facts"]))
    gedges: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for e in edges:
        key = (group[e["from"]], group[e["to"]], e["relation"], e["label"])
        ge = gedges.setdefault(key, {"from": key[0], "to": key[1], "rel": key[2], "label": key[3], "facts": {}})
        ge["facts"].update(dict.fromkeys(e["facts"]))
    edge_list = list(gedges.values())
    _spread_parallel_edges(edge_list, spring_length)

    order = {n: i for i, n in enumerate(gnodes)}
    degree = dict.fromkeys(gnodes, 0)
    for e in edge_list:
        degree[e["from"]] += 1
        degree[e["to"]] += 1
    used = sorted({f for x in [*gnodes.values(), *edge_list] for f in x["facts"] if f in idx.facts})
    fact_index = {iri: i for i, iri in enumerate(used)}
    articles = sorted(idx.articles.values(), key=lambda a: (a.date or "", a.iri))
    article_index = {a.iri: i for i, a in enumerate(articles)}

    def fact_row(iri: str) -> list[Any]:
        f = idx.facts[iri]
        quotes = [[idx.evidence[e].quote, article_index.get(idx.evidence[e].article or "")]
                  for e in f.evidence if e in idx.evidence]
        return [iri, f.cls, f.label, f.date, [article_index[a] for a in f.articles if a in article_index], quotes]

    def refs(facts: dict[str, None]) -> list[int]:
        return sorted(fact_index[f] for f in facts if f in fact_index)

    node_facts = {n: refs(d["facts"]) for n, d in gnodes.items()}
    # the page ranks the same way: actors by degree, then facts, then order; facts by how many
    # reports they merge, then degree, then order
    def importance(n: str) -> tuple[int, ...]:
        if gnodes[n]["cls"] in ACTOR_CLASSES:
            return (0, -degree[n], -len(node_facts[n]), order[n])
        return (1, -len(node_facts[n]), -degree[n], order[n])

    ranked = sorted(gnodes, key=importance)
    actors = [n for n in ranked if gnodes[n]["cls"] in ACTOR_CLASSES]
    facts = [n for n, d in gnodes.items() if d["cls"] not in NON_FACT_CLASSES]
    first = first_view(list(gnodes), [(e["from"], e["to"], len(refs(e["facts"]))) for e in edge_list],
                       actors=set(actors), facts=set(facts), focus=set(actors[:top_actors] if top_actors else actors),
                       reports={n: len(node_facts[n]) for n in gnodes}, degree=degree, top_facts=top_facts)
    positions = layout(list(gnodes), [(e["from"], e["to"]) for e in edge_list],
                       {n: i for i, n in enumerate(ranked)}, actors=actors, facts=facts, first=first,
                       spring_length=spring_length, size=actor_sizes(degree, actors))

    return {
        # only http(s) URLs may become links; the page checks again before it sets an href
        "articles": [[a.iri, a.headline, a.url if http_url(a.url) else None, a.date] for a in articles],
        "facts": [fact_row(iri) for iri in used],
        "nodes": [{"id": n, "label": d["label"], "cls": d["cls"], "f": node_facts[n],
                   "x": positions[n][0], "y": positions[n][1], "deg": degree[n]} for n, d in gnodes.items()],
        "edges": [{"from": order[e["from"]], "to": order[e["to"]], "rel": e["rel"], "label": e["label"],
                   "f": refs(e["facts"]), **{k: e[k] for k in ("smooth", "length") if k in e}} for e in edge_list],
        "relations": sorted({e["rel"] for e in edge_list}),
        "classes": sorted({d["cls"] for d in gnodes.values()}, key=lambda c: (c not in ACTOR_CLASSES, c)),
        "actorClasses": list(ACTOR_CLASSES),
    }


def first_view(nodes: list[str], edges: list[tuple[str, str, int]], *, actors: set[str], facts: set[str],
               focus: set[str], reports: dict[str, int], degree: dict[str, int], top_facts: int) -> list[str]:
    """The nodes the page shows before any filter, by the rule of its script: the ``focus`` actors;
    the facts whose actors are all among them and that link something shown; of those facts and of
    the direct links between shown actors (demands), the ``top_facts`` with the most ``reports``
    (then degree, then page order; 0: all); the matters of the facts kept.
    ``nodes`` and ``edges`` (from, to, reports) are in page order."""
    index = {n: i for i, n in enumerate(nodes)}
    links: dict[str, list[str]] = defaultdict(list)
    for u, v, _ in edges:
        if u != v:
            links[u].append(v)
            links[v].append(u)
    shown = set(focus)
    for _ in range(2):  # the second pass finds agreements reached in talks shown
        for n in nodes:
            if n in facts and n not in shown and links[n] and all(m in shown for m in links[n] if m in actors) \
                    and any(m in shown for m in links[n]):
                shown.add(n)
    items = [((-reports[n], -degree[n], index[n]), n) for n in nodes if n in facts and n in shown]
    items += [((-r, 0, len(nodes) + j), None) for j, (u, v, r) in enumerate(edges)
              if u in actors and v in actors and u in shown and v in shown]
    items.sort(key=lambda item: item[0])
    if top_facts:
        shown -= {n for _, n in items[top_facts:] if n is not None}
    shown |= {m for n in list(shown) if n in facts for m in links[n] if m not in actors and m not in facts}
    return [n for n in nodes if n in shown]


def actor_sizes(degree: dict[str, int], actors: list[str]) -> dict[str, float]:
    """How large the page draws each actor, 0-1: the square root of its share of the largest degree
    (the page's script computes the same from ``deg``)."""
    top = max((degree[a] for a in actors), default=1) or 1
    return {a: math.sqrt(degree[a] / top) for a in actors}


def _merged(graphs: dict[str, nx.Graph]) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Nodes merged by id across the projections; edges kept per projection and relation."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []
    for g in graphs.values():
        for n, d in g.nodes(data=True):
            node = nodes.setdefault(n, {"label": d["label"], "cls": d["cls"], "facts": {}})
            node["facts"].update(dict.fromkeys(d["facts"]))
        for u, v, d in g.edges(data=True):
            label = d["label"] if d["relation"] != "demandedOf" else "demands: " + d["label"]
            edges.append({"from": u, "to": v, "label": label, "relation": d["relation"], "facts": d["facts"]})
    return nodes, edges


def _fact_groups(nodes: dict[str, dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, str]:
    """Node id -> id of its group: fact nodes of one class and label linked the same way to the same
    nodes are one group (named by its first id); every other node is its own group.

    Links to actors and matters are compared first; links to other facts (an agreement reached in
    talks) then by the group of the fact at the other end.
    """
    links: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for e in edges:
        links[e["from"]].append((e["relation"], "to", e["to"]))
        links[e["to"]].append((e["relation"], "from", e["from"]))

    def is_fact(n: str) -> bool:
        return nodes[n]["cls"] not in NON_FACT_CLASSES

    def grouped(signature: Any) -> dict[str, str]:
        first: dict[Any, str] = {}
        out = {}
        for n in sorted(nodes):
            out[n] = first.setdefault(signature(n), n) if is_fact(n) else n
        return out

    by_ends = grouped(lambda n: (nodes[n]["cls"], nodes[n]["label"],
                                 frozenset(x for x in links[n] if not is_fact(x[2]))))
    return grouped(lambda n: (nodes[n]["cls"], nodes[n]["label"],
                              frozenset((r, d, by_ends[o] if is_fact(o) else o) for r, d, o in links[n])))


def _spread_parallel_edges(edges: list[dict[str, Any]], spring_length: int) -> None:
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
            e["length"] = round(spring_length * PARALLEL_EDGE_LENGTH)
