"""The answers: who mediates, who conditions what, who demands what; every number with its facts.

Each analysis reads a :class:`FactIndex` (one pass over the quads) and returns plain rows whose
``facts`` list the IRIs behind the number, so a reader can check any figure with one SPARQL
``DESCRIBE``. Costs follow the size of the graph: rankings are counts, matching goes through
indexes (by party, by term), betweenness is sampled above :data:`EXACT_BETWEENNESS_MAX_NODES`,
and cycle and chain searches are bounded (:data:`MAX_CYCLE_LENGTH`, :data:`MAX_PATHS`).
"""
from __future__ import annotations

import dataclasses
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations, islice
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from kg_builder._files import write_text

from kg_builder.analysis._load import FactIndex, load_facts
from kg_builder.analysis._projections import actor_graph, condition_matters, matter_of
from kg_builder.analysis._terms import MIN_OVERLAP, match, terms

#: Exact betweenness up to this many actors; above it, sampled with k pivots (NetworkX's exact
#: algorithm is O(n·m): 442 s on a 10k-node graph here, sampled k=100 took 4.7 s).
EXACT_BETWEENNESS_MAX_NODES = 500
BETWEENNESS_K = 100
BETWEENNESS_SEED = 42
#: Cycles longer than this are not searched for deadlocks; at most MAX_PATHS cycles / chains listed.
MAX_CYCLE_LENGTH = 6
MAX_PATHS = 1000
#: Rows of each ranking kept in the report (JSON and Markdown alike).
TOP = 20
#: Fact links written per Markdown cell; the JSON always lists them all.
MD_LINKS = 5

Format = Literal["markdown", "json", "table"]
#: Outside JSON's own escapes (C0): only inside strings, where ``\uXXXX`` stands for the same character.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")

CHAIN_RULE = (
    "A condition says its `appliesTo` waits on its `requires`. Phrases are reduced to terms (lower case, "
    "accents folded, stop words and words under 3 letters dropped, plural -s cut); two phrases name the "
    f"same matter when they share at least {MIN_OVERLAP:.0%} of the smaller term set and at least two terms "
    "(or the one term of a one-term phrase), or when both hold the same single head term (a term naming "
    "a kind of matter by itself, such as ceasefire, withdrawal, talks, sanctions or prisoners, read from the "
    "labels of the dipk: kinds), closed transitively. A chain is a path matter -> matter "
    "through conditions (A depends on B depends on C); a deadlock is a cycle of such steps whose conditions "
    "were set by at least two different actors."
)
MET_RULE = (
    "A demand counts as met by an agreement when the agreement is asserted (not future, hypothetical or "
    "negated), its parties include the demand's `demandedOf`, it has the same `dip:kind` or its text names "
    "the same matter (the term rule of the chains), and it is not dated before the demand."
)


@dataclass
class AnalysisReport:
    """All numbers of one analysis; every row's ``facts`` are the IRIs it was counted from."""

    source: str
    counts: dict[str, int]
    mediators: list[dict[str, Any]] = field(default_factory=list)
    mediated_pairs: list[dict[str, Any]] = field(default_factory=list)
    brokerage: dict[str, Any] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)
    demands: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self, indent: int | None = 1) -> str:
        """JSON keeps every string as read; characters a terminal or an encoder would trip on (C1
        controls, bidi overrides, non-characters, lone surrogates) are written as ``\\uXXXX``."""
        text = json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)
        return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)

    def to_markdown(self) -> str:
        from kg_builder.analysis._render import markdown

        return markdown(self)

    def to_table(self, width: int = 140) -> str:
        """The rich tables as plain text (what ``kg-builder analyse --format table`` prints)."""
        from rich.console import Console

        from kg_builder.analysis._render import rich_tables

        console = Console(file=io.StringIO(), width=width, force_terminal=False, color_system=None)
        for table in rich_tables(self):
            console.print(table)
        return console.file.getvalue()  # type: ignore[attr-defined]

    def render(self, fmt: Format = "markdown") -> str:
        if fmt == "markdown":
            return self.to_markdown()
        if fmt == "json":
            return self.to_json()
        if fmt == "table":
            return self.to_table()
        raise ValueError(f"unknown report format {fmt!r} (use markdown, json or table)")


def analyse(source: Any, *, fmt: Format = "markdown", out: str | Path | None = None) -> AnalysisReport:
    """Analyse a graph (rdflib graph, store, store path or RDF files) and write the report to ``out``.

    ``fmt`` is the format written to ``out`` (markdown, json, or table: the terminal tables as
    text); the returned :class:`AnalysisReport` renders any of them.
    """
    if fmt not in ("markdown", "json", "table"):
        raise ValueError(f"unknown report format {fmt!r} (use markdown, json or table)")
    idx = load_facts(source)
    report = AnalysisReport(source=_name(source), counts=_counts(idx))
    report.mediators, report.mediated_pairs = mediators(idx)
    report.brokerage = brokerage(idx)
    by_iri = {row["actor"]: row["score"] for row in report.brokerage["scores"]}
    for row in report.mediators:
        row["brokerage"] = by_iri.get(row["actor"], 0.0)
    report.conditions = conditions(idx)
    report.demands = demands(idx)
    if out is not None:
        write_text(out, report.render(fmt))
    return report


def _name(source: Any) -> str:
    if isinstance(source, (str, Path)):
        return str(source)
    if isinstance(source, (list, tuple)):
        return ", ".join(_name(s) for s in source)
    path = getattr(source, "path", None)
    return str(path) if path else type(source).__name__


def _counts(idx: FactIndex) -> dict[str, int]:
    counts = {"articles": len(idx.articles), "actors": len(idx.actors), "facts": len(idx.facts)}
    for f in idx.facts.values():
        key = f.cls.lower() + "s"
        counts[key] = counts.get(key, 0) + 1
    return counts


def _actor(idx: FactIndex, iri: str) -> dict[str, Any]:
    actor = idx.actors.get(iri)
    return {"actor": iri, "label": idx.label(iri), "cls": actor.cls if actor else "Actor"}


# -- mediation --------------------------------------------------------------------------------
def mediators(idx: FactIndex) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Mediators ranked by talks mediated (then by distinct pairs), and who they mediate between.

    A pair is two distinct participants of one negotiation the mediator mediated. Persons keep
    their own row and name their affiliations, so "Turkey" and "Turkey's foreign minister" both show.
    """
    idx = load_facts(idx)
    talks: dict[str, list[str]] = defaultdict(list)
    pairs: dict[str, dict[tuple[str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
    pair_mediators: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for f in idx.of_class("Negotiation"):
        parties = sorted(set(f.roles.get("participant", [])))
        for m in f.roles.get("mediatedBy", []):
            talks[m].append(f.iri)
            for a, b in combinations([p for p in parties if p != m], 2):
                pairs[m][(a, b)].append(f.iri)
                pair_mediators[(a, b)][m].append(f.iri)
    rows = []
    for m, facts in talks.items():
        actor = idx.actors.get(m)
        rows.append({
            **_actor(idx, m),
            "affiliations": [{"actor": a, "label": idx.label(a)} for a in (actor.affiliations if actor else [])],
            "talks": len(facts), "facts": facts,
            "pairs": len(pairs[m]),
            "pair_list": [{"parties": list(p), "labels": [idx.label(x) for x in p], "facts": fs}
                          for p, fs in sorted(pairs[m].items(), key=lambda kv: (-len(kv[1]), kv[0]))],
        })
    rows.sort(key=lambda r: (-r["talks"], -r["pairs"], r["label"]))
    between = []
    for (a, b), by in pair_mediators.items():
        between.append({
            "parties": [a, b], "labels": [idx.label(a), idx.label(b)],
            "mediators": [{"actor": m, "label": idx.label(m), "talks": len(fs)} for m, fs in
                          sorted(by.items(), key=lambda kv: (-len(kv[1]), idx.label(kv[0])))],
            "talks": len({f for fs in by.values() for f in fs}),
            "facts": sorted({f for fs in by.values() for f in fs}),
        })
    between.sort(key=lambda r: (-r["talks"], r["labels"]))
    return rows[:TOP], between[:TOP]


def brokerage(idx: FactIndex, *, exact_max_nodes: int = EXACT_BETWEENNESS_MAX_NODES) -> dict[str, Any]:
    """Betweenness on :func:`actor_graph`: exact up to ``exact_max_nodes`` actors, else sampled
    with :data:`BETWEENNESS_K` pivots and a fixed seed (so two runs give the same ranking)."""
    idx = load_facts(idx)
    g = actor_graph(idx)
    n = g.number_of_nodes()
    if n <= exact_max_nodes:
        method, k, seed = "exact", None, None
        scores = nx.betweenness_centrality(g) if n else {}
    else:
        method, k, seed = "sampled", min(BETWEENNESS_K, n), BETWEENNESS_SEED
        scores = nx.betweenness_centrality(g, k=k, seed=seed)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], idx.label(kv[0])))[:TOP]
    rows = [{**_actor(idx, a), "score": round(s, 6),
             "facts": sorted({f for _, _, d in g.edges(a, data=True) for f in d["facts"]})}
            for a, s in ranked]
    return {"method": method, "k": k, "seed": seed, "nodes": n, "edges": g.number_of_edges(),
            "threshold": exact_max_nodes, "scores": rows}


# -- conditions -------------------------------------------------------------------------------
def conditions(idx: FactIndex) -> dict[str, Any]:
    """Conditions per actor with what they block, chains of dependency, and deadlocks."""
    idx = load_facts(idx)
    table = condition_matters(idx)
    m = nx.DiGraph()
    cond_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in idx.of_class("Condition"):
        (a, a_label), (r, r_label) = matter_of(table, f.applies_to), matter_of(table, f.requires)
        m.add_node(a, label=a_label)
        m.add_node(r, label=r_label)
        if not m.has_edge(a, r):
            m.add_edge(a, r, facts=[], setters=set())
        m.edges[a, r]["facts"].append(f.iri)
        setter = f.one("setBy")
        if setter:
            m.edges[a, r]["setters"].add(setter)
        cond_rows[setter or ""].append({
            "fact": f.iri, "applies_to": f.applies_to, "requires": f.requires, "modality": f.modality,
            "stated_by": idx.label(f.one("statedBy")) or None, "matter": a, "articles": f.articles})

    # What a condition blocks: the matter it holds back and every matter waiting on that one
    # (its ancestors). Worked out for the reported actors only, so the cost stays bounded.
    ancestors: dict[str, set[str]] = {}
    out_facts: dict[str, list[str]] = {}  # per matter, computed once: rows share their ancestors
    by_actor = []
    top = sorted(cond_rows.items(), key=lambda kv: (-len(kv[1]), idx.label(kv[0]) if kv[0] else ""))[:TOP]
    for setter, rows in top:
        blocked: dict[str, list[str]] = {}
        for row in rows:
            a = row.pop("matter")
            if a not in ancestors:
                ancestors[a] = nx.ancestors(m, a)
            for x in [a, *ancestors[a]]:
                if x not in out_facts:
                    out_facts[x] = _out_facts(m, x)
            row["blocks"] = [{"matter": x, "label": m.nodes[x]["label"], "facts": out_facts[x]}
                             for x in [a, *sorted(ancestors[a] - {a})]]
            for b in row["blocks"]:
                blocked.setdefault(b["matter"], b["facts"])
        by_actor.append({**(_actor(idx, setter) if setter else {"actor": None, "label": "(unknown)", "cls": ""}),
                         "count": len(rows), "facts": [r["fact"] for r in rows], "conditions": rows,
                         "blocked": len(blocked),
                         "blocked_facts": sorted({f for fs in blocked.values() for f in fs})})

    chains = [_steps(idx, m, path) for path in islice(_chains(m), MAX_PATHS)]
    chains.sort(key=lambda c: (-len(c["steps"]), c["matters"]))
    deadlocks, cycles_seen = [], 0
    for cycle in islice(nx.simple_cycles(m, length_bound=MAX_CYCLE_LENGTH), MAX_PATHS):
        cycles_seen += 1
        if len(cycle) < 2:
            continue  # a phrase waiting on itself is a wording artefact, not two sides waiting
        steps = _steps(idx, m, [*cycle, cycle[0]])
        if len(steps["actors"]) >= 2:
            deadlocks.append(steps)
    return {
        "rule": CHAIN_RULE,
        "by_actor": by_actor, "actors_setting": len(cond_rows),
        "matters": m.number_of_nodes(),
        "chains": chains[:TOP], "chains_found": len(chains),
        "deadlocks": deadlocks[:TOP], "deadlocks_found": len(deadlocks),
        "search": {"max_cycle_length": MAX_CYCLE_LENGTH, "max_paths": MAX_PATHS,
                   "truncated": len(chains) >= MAX_PATHS or cycles_seen >= MAX_PATHS},
    }


def _out_facts(m: nx.DiGraph, node: str) -> list[str]:
    return [f for _, _, d in m.out_edges(node, data=True) for f in d["facts"]]


def _chains(m: nx.DiGraph) -> Iterator[list[str]]:
    """Maximal simple paths of two or more steps, from matters nothing else waits on."""
    starts = [n for n in m if m.in_degree(n) == 0 and m.out_degree(n) > 0]
    for start in sorted(starts):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            nexts = [v for v in m.successors(node) if v not in path]
            if not nexts or len(path) > MAX_CYCLE_LENGTH * 2:
                if len(path) >= 3:
                    yield path
                continue
            stack.extend((v, [*path, v]) for v in sorted(nexts, reverse=True))


def _steps(idx: FactIndex, m: nx.DiGraph, path: list[str]) -> dict[str, Any]:
    steps = []
    actors: dict[str, None] = {}
    for u, v in zip(path, path[1:]):
        d = m.edges[u, v]
        for a in sorted(d["setters"]):
            actors[a] = None
        steps.append({"from": m.nodes[u]["label"], "to": m.nodes[v]["label"], "facts": d["facts"],
                      "set_by": [idx.label(a) for a in sorted(d["setters"])]})
    return {"matters": [m.nodes[n]["label"] for n in path], "steps": steps,
            "actors": list(actors), "actor_labels": [idx.label(a) for a in actors],
            "facts": [f for s in steps for f in s["facts"]]}


# -- demands ----------------------------------------------------------------------------------
def demands(idx: FactIndex) -> dict[str, Any]:
    """Most demanding / most demanded-of actors, reciprocal demands, demands met by agreements."""
    idx = load_facts(idx)
    by: dict[str, list[str]] = defaultdict(list)
    of: dict[str, list[str]] = defaultdict(list)
    pair: dict[tuple[str, str], list[str]] = defaultdict(list)
    all_demands = idx.of_class("Demand")
    for f in all_demands:
        a, b = f.one("demandedBy"), f.one("demandedOf")
        if a:
            by[a].append(f.iri)
        if b:
            of[b].append(f.iri)
        if a and b:
            pair[(a, b)].append(f.iri)

    def ranking(table: dict[str, list[str]]) -> list[dict[str, Any]]:
        rows = [{**_actor(idx, a), "count": len(fs), "facts": fs} for a, fs in table.items()]
        rows.sort(key=lambda r: (-r["count"], r["label"]))
        return rows[:TOP]

    reciprocal = []
    for (a, b), fs in pair.items():
        if a < b and (b, a) in pair:
            reciprocal.append({"actors": [a, b], "labels": [idx.label(a), idx.label(b)],
                               "a_to_b": fs, "b_to_a": pair[(b, a)], "facts": fs + pair[(b, a)]})
    reciprocal.sort(key=lambda r: (-len(r["facts"]), r["labels"]))

    by_party: dict[str, list[Any]] = defaultdict(list)
    for g in idx.of_class("Agreement"):
        if g.modality == "asserted":
            for p in g.roles.get("party", []):
                by_party[p].append(g)
    agreement_terms: dict[str, frozenset[str]] = {}
    met = []
    for d in all_demands:
        target = d.one("demandedOf")
        if not target:
            continue
        d_terms = terms(d.text)
        for g in by_party.get(target, ()):
            if d.date and g.date and g.date < d.date:
                continue
            if d.kind and d.kind == g.kind:
                reason = f"same kind ({idx.label(d.kind)})"
            else:
                if g.iri not in agreement_terms:
                    agreement_terms[g.iri] = terms(g.text)
                if not match(d_terms, agreement_terms[g.iri]):
                    continue
                reason = "same matter (" + ", ".join(sorted(d_terms & agreement_terms[g.iri])) + ")"
            met.append({"demand": d.iri, "demand_text": d.text, "by": idx.label(d.one("demandedBy")),
                        "of": idx.label(target), "agreement": g.iri, "agreement_text": g.text,
                        "reason": reason, "facts": [d.iri, g.iri]})
    return {"total": len(all_demands), "most_demanding": ranking(by), "most_demanded_of": ranking(of),
            "reciprocal": reciprocal[:TOP], "reciprocal_found": len(reciprocal),
            "met": met[:TOP], "met_found": len(met), "met_rule": MET_RULE}
