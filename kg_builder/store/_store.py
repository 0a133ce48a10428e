"""The embedded graph database: one pyoxigraph store, one named graph per article.

Every article is written with :meth:`Store.replace_graph`, which drops the article's graph and
inserts the new one in a single SPARQL Update. Oxigraph runs an update as one transaction, so an
article is either wholly the old version or wholly the new one, even if the process dies half way,
and writing the same article twice leaves the same quads.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg_builder.errors import QueryError, StoreError
from kg_builder.resources import ontology_file

if TYPE_CHECKING:
    import rdflib

#: Prefixes every query may use without declaring them, and that Turtle/TriG output is written with.
PREFIXES: Mapping[str, str] = MappingProxyType({
    "dip": "https://w3id.org/dipkg/ontology#",
    "dipk": "https://w3id.org/dipkg/kind/",
    "res": "https://w3id.org/dipkg/id/",
    "schema": "https://schema.org/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
})

#: Our format names -> pyoxigraph formats.
RDF_FORMATS: Mapping[str, ox.RdfFormat] = MappingProxyType({
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
})

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class Store:
    """A pyoxigraph store on disk (or in memory when ``path`` is None), one named graph per article.

    Queries see the union of all graphs as their default graph, so the shipped queries need no
    ``GRAPH`` clause; ``GRAPH ?article { … }`` still tells which article said what.
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        try:
            if self.path is None:
                self._ox = ox.Store()
            elif read_only:
                if not (self.path / "CURRENT").exists():
                    raise StoreError(f"{self.path}: no store here (build one with `kg-builder build --store`)")
                self._ox = ox.Store.read_only(str(self.path))
            else:
                self._ox = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from exc

    # -- context manager -------------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Flush to disk and release the store (and its lock) for other processes."""
        if getattr(self, "_ox", None) is None:
            return
        try:
            if self.path is not None and not self.read_only:
                self._ox.flush()
        finally:
            self._ox = None  # type: ignore[assignment]  # pyoxigraph releases the lock on drop

    @property
    def raw(self) -> ox.Store:
        """The underlying ``pyoxigraph.Store``, for what this class does not wrap."""
        if self._ox is None:
            raise StoreError(f"{self._name()}: the store is closed")
        return self._ox

    def _name(self) -> str:
        return str(self.path) if self.path is not None else "in-memory store"

    # -- writing ---------------------------------------------------------------------------
    def replace_graph(self, graph_iri: str, data: rdflib.Graph | str, *, format: str | None = None) -> int:
        """Make the named graph ``graph_iri`` hold exactly ``data``; returns its triple count.

        ``data`` is an rdflib graph (its triples go into ``graph_iri`` whatever its identifier) or
        N-Quads/TriG text (``format`` "nq"/"trig", guessed when None) whose quads are in the default
        graph or in ``graph_iri``. Everything is parsed and checked before the store is touched; the
        drop and the insert then run as one transaction, so on any error the old graph stays.
        """
        if self.read_only:
            raise StoreError(f"{self._name()}: opened read-only, cannot write {graph_iri}")
        graph = _named_node(graph_iri, what="graph IRI")
        triples = _triples_from(data, graph, format=format)
        body = " .\n".join(f"{t.subject} {t.predicate} {t.object}" for t in triples)
        update = f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}"
        try:
            self.raw.update(update)
        except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
            raise StoreError(f"{self._name()}: writing graph {graph_iri} failed, old graph kept ({exc})") from exc
        return len(triples)

    def remove_graph(self, graph_iri: str) -> None:
        """Forget one article (no error when it is absent)."""
        if self.read_only:
            raise StoreError(f"{self._name()}: opened read-only, cannot remove {graph_iri}")
        self.raw.update(f"DROP SILENT GRAPH {_named_node(graph_iri, what='graph IRI')}")

    def bulk_replace(self, graph_iris: list[str], nquads: str | Path) -> None:
        """Replace the named graphs ``graph_iris`` by the quads of the N-Quads file ``nquads``,
        loaded with oxigraph's bulk loader (a build's many articles at once, memory bounded).

        Unlike :meth:`replace_graph` this is not one transaction: a crash half way leaves some
        of these graphs missing until the next build loads them again.
        """
        if self.read_only:
            raise StoreError(f"{self._name()}: opened read-only, cannot load {nquads}")
        try:
            if len(self.raw):  # a fresh store has nothing to replace
                for iri in graph_iris:
                    node = _named_node(iri, what="graph IRI")
                    if self.raw.contains_named_graph(node):
                        self.raw.remove_graph(node)
            self.raw.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
            raise StoreError(f"{self._name()}: loading {nquads} failed ({exc})") from exc

    # -- reading ---------------------------------------------------------------------------
    def graphs(self) -> list[str]:
        """IRIs of the named graphs (one per article), sorted."""
        return sorted(g.value for g in self.raw.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        """Number of quads over all graphs."""
        return len(self.raw)

    def __contains__(self, graph_iri: object) -> bool:
        return isinstance(graph_iri, str) and self.raw.contains_named_graph(ox.NamedNode(graph_iri))

    def quads(self, graph_iri: str | None = None) -> Iterator[ox.Quad]:
        """All quads, or those of one named graph."""
        graph = _named_node(graph_iri, what="graph IRI") if graph_iri is not None else None
        return iter(self.raw.quads_for_pattern(None, None, None, graph))

    def query(self, sparql: str, bindings: Mapping[str, str | Term] | None = None, *,
              source: str = "query") -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run SPARQL over the union of the article graphs, with ``bindings`` as bound parameters.

        Bindings are substituted as RDF terms (SEP-0007 via pyoxigraph), never spliced into the
        text; a bound variable must appear in the SELECT projection. Strings become terms by
        :func:`to_term`. A malformed query raises :class:`QueryError` with the parser's
        ``line:column`` position.
        """
        subs = {ox.Variable(name.lstrip("?$")): to_term(value) for name, value in (bindings or {}).items()}
        try:
            return self.raw.query(sparql, prefixes=dict(PREFIXES), use_default_graph_as_union=True,
                                  substitutions=subs or None)
        except SyntaxError as exc:
            raise QueryError(f"{source}: malformed SPARQL, {exc}") from exc
        except RuntimeError as exc:
            raise QueryError(f"{source}: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"{self._name()}: reading failed ({exc})") from exc

    def label_conflicts(self) -> dict[str, list[str]]:
        """Actors that article graphs name differently: IRI -> all its ``rdfs:label`` values.

        Identity is the IRI (derived from the actor key), so a differing label never splits an
        entity; this lists the cases worth fixing in the extractor's lexicons.
        """
        rows = self.raw.query(
            "SELECT ?a (GROUP_CONCAT(DISTINCT ?l; separator='\\u001f') AS ?ls) WHERE {"
            " ?a a dip:Actor ; rdfs:label ?l } GROUP BY ?a HAVING (COUNT(DISTINCT ?l) > 1)",
            prefixes=dict(PREFIXES), use_default_graph_as_union=True)
        return {row["a"].value: sorted(row["ls"].value.split("\x1f")) for row in rows}

    def dump(self, fmt: str = "trig") -> bytes:
        """Serialise the store: trig/nq keep the graphs, nt/ttl are their union, jsonld uses our context."""
        if fmt not in RDF_FORMATS:
            raise StoreError(f"{self._name()}: unknown format {fmt!r} (use one of {', '.join(RDF_FORMATS)})")
        if fmt in ("trig", "nq"):
            return self.raw.dump(format=RDF_FORMATS[fmt], prefixes=dict(PREFIXES) if fmt == "trig" else None)
        if fmt in ("nt", "ttl"):
            union = dict.fromkeys(q.triple for q in self.raw)  # distinct, in store order
            return ox.serialize(union, format=RDF_FORMATS[fmt],
                                prefixes=dict(PREFIXES) if fmt == "ttl" else None)
        return _jsonld(self.raw.dump(format=ox.RdfFormat.N_QUADS))


# -- helpers ---------------------------------------------------------------------------------
def to_term(value: str | Term) -> Term:
    """A parameter value as an RDF term: ``<iri>``, a known ``prefix:name`` or an ``http(s)://``/
    ``urn:`` IRI becomes an IRI; anything else a plain string literal (so no value, however
    hostile, can become query syntax)."""
    if isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return value
    if not isinstance(value, str):
        raise QueryError(f"parameter value {value!r} is not a string or RDF term")
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        return _named_node(text[1:-1], what="parameter IRI")
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not any(c.isspace() for c in local):
        return _named_node(PREFIXES[prefix] + local, what="parameter IRI")
    if prefix in ("http", "https", "urn") and sep and not any(c.isspace() for c in text):
        return _named_node(text, what="parameter IRI")
    return ox.Literal(value)


def _named_node(iri: str, *, what: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        err = QueryError if what == "parameter IRI" else StoreError
        raise err(f"invalid {what} {iri!r}: {exc}") from exc


def _triples_from(data: Any, graph: ox.NamedNode, *, format: str | None) -> list[ox.Triple]:
    """Parse and check everything up front, so nothing half-converted ever reaches the store."""
    if isinstance(data, str):
        return _triples_from_text(data, graph, format)
    if hasattr(data, "triples"):
        return _triples_from_rdflib(data, graph)
    raise StoreError(f"graph {graph.value}: cannot ingest a {type(data).__name__} (give an rdflib graph or TriG/N-Quads text)")


def _triples_from_text(text: str, graph: ox.NamedNode, format: str | None) -> list[ox.Triple]:
    formats = [format] if format else ["nq", "trig"]
    error: Exception | None = None
    for name in formats:
        if name not in ("nq", "trig", "nt", "ttl"):
            raise StoreError(f"graph {graph.value}: cannot ingest format {name!r} (use nq or trig)")
        try:
            quads = list(ox.parse(text, format=RDF_FORMATS[name]))
            break
        except SyntaxError as exc:
            error = exc
    else:
        raise StoreError(f"graph {graph.value}: data does not parse as {' or '.join(formats)} ({error})")
    triples = []
    for quad in quads:
        g = quad.graph_name if isinstance(quad, ox.Quad) else ox.DefaultGraph()
        if not isinstance(g, ox.DefaultGraph) and g != graph:
            raise StoreError(f"graph {graph.value}: data also holds quads of another graph, {g}")
        triples.append(quad.triple if isinstance(quad, ox.Quad) else quad)
    return list(dict.fromkeys(triples))


def _triples_from_rdflib(graph_in: rdflib.Graph, graph: ox.NamedNode) -> list[ox.Triple]:
    from kg_builder.rdf.writer import to_triples

    try:
        return to_triples(graph_in)
    except (TypeError, ValueError) as exc:  # an unsupported term, a malformed IRI
        raise StoreError(f"graph {graph.value}: {exc}") from exc


def _jsonld(nquads: bytes) -> bytes:
    """JSON-LD through rdflib, compacted with the context shipped in ``ontology/context.jsonld``."""
    import rdflib

    context_path = ontology_file("context.jsonld")
    if not context_path.exists():
        raise StoreError(f"{context_path}: the JSON-LD context is missing from the installation")
    context = json.loads(context_path.read_text(encoding="utf-8"))
    context = context.get("@context", context)
    ds = rdflib.Dataset()
    ds.parse(data=nquads, format="nquads")
    return ds.serialize(format="json-ld", context=context, indent=1).encode("utf-8")


def open_store(store: Store | str | Path, *, read_only: bool = True) -> tuple[Store, bool]:
    """``(store, opened_here)``: callers close only what they opened."""
    if isinstance(store, Store):
        return store, False
    return Store(store, read_only=read_only), True

