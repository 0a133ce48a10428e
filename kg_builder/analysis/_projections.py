"""RDF facts as NetworkX graphs, one projection per question.

Every node and edge carries ``label`` (human name), ``cls`` (Country, Person, Organization,
Negotiation, Demand, Agreement, Condition, Matter), ``facts`` (IRIs of the facts behind it) and
``articles`` (IRIs of the articles those facts were read from); edges also carry ``relation`` (the
dip: property or derived relation they stand for). Node ids are IRIs, except matters
(``matter:<terms>``), which are phrases, not resources.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

import networkx as nx

from kg_builder.analysis._load import Fact, FactIndex, load_facts
from kg_builder.analysis._terms import matters, terms


def _add_node(g: nx.Graph, idx: FactIndex, node: str, fact: Fact | None = None, **attrs: Any) -> None:
    if node not in g:
        actor = idx.actors.get(node)
        fact_of = idx.facts.get(node)
        g.add_node(node, label=attrs.pop("label", None) or idx.label(node),
                   cls=attrs.pop("cls", None) or (actor.cls if actor else fact_of.cls if fact_of else "Actor"),
                   facts={}, articles={}, **attrs)
    if fact is not None:
        _merge(g.nodes[node], fact)


def _merge(data: dict[str, Any], fact: Fact) -> None:
    """Facts and articles are ordered sets (dicts) while building, lists once :func:`_done`."""
    data["facts"][fact.iri] = None
    for a in fact.articles:
        data["articles"][a] = None


def _done(g: nx.Graph) -> nx.Graph:
    for _, data in g.nodes(data=True):
        data["facts"], data["articles"] = list(data["facts"]), list(data["articles"])
    for *_, data in g.edges(data=True):
        data["facts"], data["articles"] = list(data["facts"]), list(data["articles"])
    return g


def _add_edge(g: nx.Graph, u: str, v: str, relation: str, label: str, fact: Fact, cls: str | None = None,
              **attrs: Any) -> None:
    """Merge into the one edge per (u, v, relation); multigraphs key edges by relation."""
    if g.is_multigraph():
        key = attrs.pop("key", relation)
        if not g.has_edge(u, v, key):
            g.add_edge(u, v, key=key, relation=relation, label=label, cls=cls or fact.cls, facts={}, articles={},
                       **attrs)
        data = g.edges[u, v, key]
    else:
        if not g.has_edge(u, v):
            g.add_edge(u, v, relation=relation, label=label, cls=cls or fact.cls, facts={}, articles={}, **attrs)
        data = g.edges[u, v]
    _merge(data, fact)


def mediation_graph(source: Any) -> nx.DiGraph:
    """Who mediates which talks between whom: actor -> negotiation edges.

    ``mediatedBy`` edges run mediator -> talks, ``participant`` edges party -> talks; the
    negotiation nodes carry ``date`` when known. Read off a mediator's parties as the other
    ends of the talks it points at.
    """
    idx = load_facts(source)
    g = nx.DiGraph(name="mediation")
    for f in idx.of_class("Negotiation"):
        _add_node(g, idx, f.iri, f, date=f.date or "")
        for actor in f.roles.get("mediatedBy", []):
            _add_node(g, idx, actor, f)
            _add_edge(g, actor, f.iri, "mediatedBy", "mediates", f)
        for actor in f.roles.get("participant", []):
            _add_node(g, idx, actor, f)
            _add_edge(g, actor, f.iri, "participant", "takes part in", f)
    return _done(g)


def demand_graph(source: Any) -> nx.MultiDiGraph:
    """Who demands what of whom: one edge demander -> demanded-of per demand, labelled with its text.

    Edge keys are demand IRIs; ``kind`` is the dipk: concept IRI (or ""). A demand with no
    ``dip:demandedOf`` has no edge; it is listed in its demander's ``facts``.
    """
    idx = load_facts(source)
    g = nx.MultiDiGraph(name="demand")
    for f in idx.of_class("Demand"):
        by, of = f.one("demandedBy"), f.one("demandedOf")
        if by is None:
            continue
        _add_node(g, idx, by, f)
        if of is not None:
            _add_node(g, idx, of, f)
            _add_edge(g, by, of, "demandedOf", f.text or idx.label(f.kind), f, key=f.iri,
                      kind=f.kind or "", modality=f.modality)
    return _done(g)


def condition_matters(idx: FactIndex) -> dict[frozenset[str], tuple[str, str]]:
    """Term set of every condition phrase -> (matter id, matter label); see :mod:`._terms`."""
    phrases: dict[frozenset[str], Counter[str]] = defaultdict(Counter)
    for f in idx.of_class("Condition"):
        for text in (f.applies_to, f.requires):
            if text:
                phrases[terms(text) or frozenset({text.strip().lower()})][text.strip()] += 1
    rep = matters(phrases)
    members: dict[frozenset[str], Counter[str]] = defaultdict(Counter)
    for p, root in rep.items():
        members[root].update(phrases[p])
    out = {}
    for p, root in rep.items():
        label = min(members[root].items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]
        out[p] = ("matter:" + "-".join(sorted(root)), label)
    return out


def matter_of(table: dict[frozenset[str], tuple[str, str]], text: str | None) -> tuple[str, str]:
    if not text:
        return ("matter:unknown", "?")
    return table[terms(text) or frozenset({text.strip().lower()})]


def conditioning_graph(source: Any) -> nx.DiGraph:
    """Who makes what depend on what: actor -> condition -> matters, and matter -> matter.

    Edges: actor -``setBy``-> condition; person -``statedBy``-> condition; condition -``appliesTo``-> the matter held back;
    condition -``requires``-> the matter required; and the derived matter -``dependsOn``-> matter
    (facts: the conditions saying so). Phrases naming the same matter share one node, so paths of
    ``dependsOn`` edges are chains (A depends on B depends on C) and their cycles deadlocks.
    """
    idx = load_facts(source)
    table = condition_matters(idx)
    g = nx.DiGraph(name="conditioning")
    for f in idx.of_class("Condition"):
        _add_node(g, idx, f.iri, f, applies_to=f.applies_to or "", requires=f.requires or "",
                  modality=f.modality)
        setter = f.one("setBy")
        if setter:
            _add_node(g, idx, setter, f)
            _add_edge(g, setter, f.iri, "setBy", "sets", f)
        speaker = f.one("statedBy")
        if speaker:
            _add_node(g, idx, speaker, f)
            _add_edge(g, speaker, f.iri, "statedBy", "states", f)
        (a, a_label), (r, r_label) = matter_of(table, f.applies_to), matter_of(table, f.requires)
        _add_node(g, idx, a, f, label=a_label, cls="Matter")
        _add_node(g, idx, r, f, label=r_label, cls="Matter")
        _add_edge(g, f.iri, a, "appliesTo", "holds back", f)
        _add_edge(g, f.iri, r, "requires", "requires", f)
        _add_edge(g, a, r, "dependsOn", "depends on", f)
    return _done(g)


def agreement_graph(source: Any) -> nx.DiGraph:
    """Who agreed to what, where: actor -``party``-> agreement -``reachedIn``-> negotiation, and the
    person who announced it -``statedBy``-> agreement."""
    idx = load_facts(source)
    g = nx.DiGraph(name="agreement")
    for f in idx.of_class("Agreement"):
        _add_node(g, idx, f.iri, f, kind=f.kind or "", modality=f.modality)
        for actor in f.roles.get("party", []):
            _add_node(g, idx, actor, f)
            _add_edge(g, actor, f.iri, "party", "party to", f)
        speaker = f.one("statedBy")
        if speaker:
            _add_node(g, idx, speaker, f)
            _add_edge(g, speaker, f.iri, "statedBy", "states", f)
        talks = f.one("reachedIn")
        if talks:
            _add_node(g, idx, talks, idx.facts.get(talks) or f,
                      cls="Negotiation")
            _add_edge(g, f.iri, talks, "reachedIn", "reached in", f)
    return _done(g)


def actor_graph(source: Any) -> nx.Graph:
    """Actors linked when a fact puts them face to face: the graph brokerage is measured on.

    Links: co-participants of talks (``met``), mediator and each party (``mediated``), parties
    of one agreement (``agreed``), demander and demanded-of (``demanded``). Affiliation is not a
    link: a state would otherwise broker between its own officials.
    """
    idx = load_facts(source)
    g = nx.Graph(name="actors")

    def link(u: str, v: str, relation: str, f: Fact) -> None:
        if u == v:
            return
        _add_node(g, idx, u, f)
        _add_node(g, idx, v, f)
        _add_edge(g, u, v, relation, relation, f)

    for f in idx.facts.values():
        if f.cls == "Negotiation":
            parties = f.roles.get("participant", [])
            for u, v in combinations(parties, 2):
                link(u, v, "met", f)
            for m in f.roles.get("mediatedBy", []):
                for p in parties:
                    link(m, p, "mediated", f)
        elif f.cls == "Agreement":
            for u, v in combinations(f.roles.get("party", []), 2):
                link(u, v, "agreed", f)
        elif f.cls == "Demand":
            by, of = f.one("demandedBy"), f.one("demandedOf")
            if by and of:
                link(by, of, "demanded", f)
    return _done(g)


PROJECTIONS = {
    "mediation": mediation_graph,
    "demand": demand_graph,
    "conditioning": conditioning_graph,
    "agreement": agreement_graph,
}
