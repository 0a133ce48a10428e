"""Read the facts of docs/rdf-mapping.md out of any RDF source into plain records.

Every analysis and projection starts from a :class:`FactIndex`. It is filled by streaming quads
once and keeping only the predicates the mapping defines, because rdflib SPARQL over 100,000
facts takes minutes while a pass over pyoxigraph quads takes seconds.
Accepted sources: an rdflib ``Graph``/``Dataset``, a ``pyoxigraph.Store``, a
:class:`kg_builder.store.Store`, a path to an RDF file (.trig .nq .ttl .nt .jsonld .rdf), a folder
of such files, a folder holding a store, or a list of any of these.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg_builder.errors import SourceError

DIP = "https://w3id.org/dipkg/ontology#"
DIPK = "https://w3id.org/dipkg/kind/"
SCHEMA = "https://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"

#: Predicates kept while streaming -> the short name records use.
_KEEP = {
    RDFS_LABEL: "label", SKOS_PREF: "prefLabel",
    SCHEMA + "headline": "headline", SCHEMA + "url": "url", SCHEMA + "datePublished": "datePublished",
    **{DIP + p: p for p in (
        "represents", "ledBy", "hasMember", "participant", "mediatedBy", "location", "date",
        "evidence", "demandedBy", "demandedOf", "text", "kind", "statedBy", "modality",
        "confidence", "party", "reachedIn", "setBy", "appliesTo", "requires", "quote",
        "inArticle", "affiliatedWith", "roleTitle")},
}
#: Classes that matter here (local names); actors keep their most specific class.
_ACTOR_CLASSES = ("Person", "Country", "Organization")
_FACT_CLASSES = ("Negotiation", "Demand", "Agreement", "Condition", "Delegation")
_RDF_SUFFIXES = (".trig", ".nq", ".ttl", ".nt", ".jsonld", ".rdf", ".n3")


@dataclass
class Actor:
    iri: str
    label: str
    cls: str  # Person | Country | Organization | Actor
    affiliations: list[str] = field(default_factory=list)


@dataclass
class Fact:
    """One fact of any class; ``roles`` maps a mapping property to the IRIs it points at."""

    iri: str
    cls: str
    label: str
    roles: dict[str, list[str]]
    text: str | None = None
    kind: str | None = None
    modality: str = "asserted"
    date: str | None = None
    applies_to: str | None = None
    requires: str | None = None
    evidence: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)

    def one(self, role: str) -> str | None:
        values = self.roles.get(role)
        return values[0] if values else None


@dataclass
class Evidence:
    quote: str
    article: str | None


@dataclass
class ArticleInfo:
    iri: str
    headline: str | None = None
    url: str | None = None
    date: str | None = None


@dataclass
class FactIndex:
    """The facts of a graph as plain records, keyed by IRI."""

    actors: dict[str, Actor] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)
    articles: dict[str, ArticleInfo] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)

    def of_class(self, cls: str) -> list[Fact]:
        return [f for f in self.facts.values() if f.cls == cls]

    def label(self, iri: str | None) -> str:
        """Human name of an actor, fact or kind IRI (its local name when unlabelled)."""
        if iri is None:
            return ""
        if iri in self.actors:
            return self.actors[iri].label
        if iri in self.facts:
            return self.facts[iri].label
        if iri in self.kinds:
            return self.kinds[iri]
        return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def load_facts(source: Any) -> FactIndex:
    """A :class:`FactIndex` from any accepted source (returned as is when already one)."""
    if isinstance(source, FactIndex):
        return source
    return _index(_quads(source))


# -- reading quads ----------------------------------------------------------------------------
Quad = tuple[str, str, str, "str | None"]


def _quads(source: Any) -> Iterator[Quad]:
    if isinstance(source, (list, tuple)):
        for item in source:
            yield from _quads(item)
        return
    if isinstance(source, ox.Store):
        yield from _store_quads(source, str(source))
        return
    raw = getattr(source, "raw", None)
    if isinstance(raw, ox.Store):  # kg_builder.store.Store
        yield from _store_quads(raw, str(getattr(source, "path", None) or "store"))
        return
    if hasattr(source, "triples") and type(source).__module__.startswith("rdflib"):
        yield from _rdflib_quads(source)
        return
    if isinstance(source, (str, Path)):
        yield from _path_quads(Path(source))
        return
    raise SourceError(repr(source)[:80], "cannot analyse this (give an rdflib graph, a store, or RDF file paths)")


def _path_quads(path: Path) -> Iterator[Quad]:
    if not path.exists():
        raise SourceError(str(path), "no such file or folder")
    if path.is_dir():
        if (path / "CURRENT").exists():
            yield from _open_store_quads(path)
            return
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in _RDF_SUFFIXES)
        if not files:
            raise SourceError(str(path), "folder holds neither a store nor RDF files (.trig .nq .ttl .nt .jsonld)")
        for file in files:
            yield from _path_quads(file)
        return
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if fmt is None:
        raise SourceError(str(path), f"unknown RDF file extension {path.suffix!r} (use .trig .nq .ttl .nt .jsonld)")
    try:
        for q in ox.parse(path=str(path), format=fmt):
            g = q.graph_name if isinstance(q, ox.Quad) else None
            yield q.subject.value, q.predicate.value, q.object.value, _graph(g)
    except SyntaxError as exc:
        raise SourceError(str(path), f"not valid {fmt.name}: {exc}") from exc
    except (OSError, ValueError) as exc:
        raise SourceError(str(path), f"cannot read: {exc}") from exc


def _open_store_quads(path: Path) -> Iterator[Quad]:
    """A store folder, opened read-only through kg_builder.store and closed when done."""
    from kg_builder.store import Store

    with Store(path, read_only=True) as store:
        yield from _store_quads(store.raw, str(path))


def _store_quads(store: ox.Store, name: str) -> Iterator[Quad]:
    """Only the predicates we use: the store answers each pattern from its index."""
    try:
        for pred in (RDF_TYPE, *_KEEP):
            for q in store.quads_for_pattern(None, ox.NamedNode(pred), None, None):
                yield q.subject.value, pred, q.object.value, _graph(q.graph_name)
    except OSError as exc:
        raise SourceError(name, f"reading the store failed: {exc}") from exc


def _graph(g: Any) -> str | None:
    return g.value if isinstance(g, ox.NamedNode) else None


def _rdflib_quads(graph: Any) -> Iterator[Quad]:
    from rdflib import URIRef

    if hasattr(graph, "quads") and hasattr(graph, "contexts"):
        for s, p, o, g in graph.quads((None, None, None, None)):
            gid = getattr(g, "identifier", g)
            yield str(s), str(p), str(o), str(gid) if isinstance(gid, URIRef) else None
    else:
        for s, p, o in graph.triples((None, None, None)):
            yield str(s), str(p), str(o), None


# -- building records -------------------------------------------------------------------------
def _index(quads: Iterable[Quad]) -> FactIndex:
    types: dict[str, set[str]] = {}
    props: dict[str, dict[str, list[str]]] = {}
    graphs: dict[str, set[str]] = {}
    for s, p, o, g in quads:
        if p == RDF_TYPE:
            if o.startswith(DIP) or o == SCHEMA + "NewsArticle":
                types.setdefault(s, set()).add(o.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
                if g is not None:
                    graphs.setdefault(s, set()).add(g)
            continue
        name = _KEEP.get(p)
        if name is None:
            continue
        values = props.setdefault(s, {}).setdefault(name, [])
        if o not in values:
            values.append(o)

    index = FactIndex()
    types = dict(sorted(types.items()))  # IRI order: the same answers whatever order the quads came in
    for s, cls_set in types.items():
        if "NewsArticle" in cls_set:
            p = props.get(s, {})
            index.articles[s] = ArticleInfo(s, _first(p, "headline"), _first(p, "url"), _first(p, "datePublished"))
    for s, cls_set in types.items():
        p = props.get(s, {})
        if "Evidence" in cls_set:
            index.evidence[s] = Evidence(_first(p, "quote") or "", _first(p, "inArticle"))
        elif "Actor" in cls_set or cls_set & set(_ACTOR_CLASSES):
            cls = next((c for c in _ACTOR_CLASSES if c in cls_set), "Actor")
            index.actors[s] = Actor(s, _first(p, "label") or index.label(s), cls, list(p.get("affiliatedWith", [])))
    for s, p in props.items():  # kinds are skos:Concepts, labelled by prefLabel
        if s.startswith(DIPK) and "prefLabel" in p:
            index.kinds[s] = p["prefLabel"][0]
    for s, cls_set in types.items():
        cls = next((c for c in _FACT_CLASSES if c in cls_set), None)
        if cls is None:
            continue
        index.facts[s] = _fact(index, s, cls, props.get(s, {}), graphs.get(s, set()))
    return index


def _fact(index: FactIndex, iri: str, cls: str, p: dict[str, list[str]], graphs: set[str]) -> Fact:
    evidence = p.get("evidence", [])
    articles = {index.evidence[e].article for e in evidence if e in index.evidence}
    articles |= {g for g in graphs if g in index.articles}
    articles.discard(None)
    roles = {k: sorted(v) for k, v in p.items() if k in (
        "represents", "ledBy", "hasMember", "participant", "mediatedBy", "demandedBy", "demandedOf",
        "statedBy", "party", "reachedIn", "setBy")}
    text = _first(p, "text")
    date = _first(p, "date") or min((index.articles[a].date for a in articles
                                      if a in index.articles and index.articles[a].date), default=None)
    fact = Fact(iri, cls, "", roles, text=text, kind=_first(p, "kind"), modality=_first(p, "modality") or "asserted",
                date=date, applies_to=_first(p, "appliesTo"), requires=_first(p, "requires"),
                evidence=sorted(evidence), articles=sorted(articles))  # type: ignore[arg-type]
    fact.label = _first(p, "label") or _fact_label(index, fact)
    return fact


def _fact_label(index: FactIndex, f: Fact) -> str:
    if f.cls == "Condition":
        return f"{f.applies_to or '?'} ⇐ {f.requires or '?'}"
    if f.text:
        return f.text
    if f.cls == "Delegation":
        return f"delegation of {index.label(f.one('represents'))}"
    return index.label(f.iri)


def _first(p: dict[str, list[str]], name: str) -> str | None:
    values = p.get(name)
    return values[0] if values else None
