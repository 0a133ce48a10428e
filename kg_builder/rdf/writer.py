"""Writing article graphs to files, fast and byte-for-byte repeatable.

rdflib's Turtle/TriG writers are the slow part of a build (measured: a fifth of it); pyoxigraph
serializes the same quads in a fraction of that. Quads are sorted first, so the same graphs give
the same bytes on every run. Every file is written atomically (:mod:`kg_builder._files`): a reader,
or a run killed half way, sees the old file or the new one, never a cut one.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from kg_builder._files import write_bytes

_FORMATS = {"trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS, "ttl": ox.RdfFormat.TURTLE,
            "nt": ox.RdfFormat.N_TRIPLES}


def to_quads(graphs: Iterable[Graph]) -> list[ox.Quad]:
    """Each rdflib graph's triples as oxigraph quads in the graph named by its identifier."""
    cache: dict = {}
    quads = []
    for graph in graphs:
        name = ox.NamedNode(str(graph.identifier))
        for s, p, o in graph:
            quads.append(ox.Quad(_term(s, cache), _term(p, cache), _term(o, cache), name))
    return quads


def to_triples(graph: Graph) -> list[ox.Triple]:
    """An rdflib graph's triples as oxigraph triples (ValueError on a malformed IRI)."""
    cache: dict = {}
    return [ox.Triple(_term(s, cache), _term(p, cache), _term(o, cache)) for s, p, o in graph]


def serialize(quads: list[ox.Quad], fmt: str, prefixes: dict[str, str]) -> bytes:
    """``trig``/``nq`` keep the named graphs; ``ttl``/``nt`` hold their union (each triple once)."""
    if fmt in ("trig", "nq"):
        items: list = sorted(set(quads), key=_quad_key)
    else:
        items = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=_triple_key)
    return ox.serialize(items, format=_FORMATS[fmt], prefixes=prefixes if fmt in ("trig", "ttl") else None) or b""


def write(quads: list[ox.Quad], path: str | Path, fmt: str, prefixes: dict[str, str]) -> None:
    """:func:`serialize` into ``path``, atomically."""
    write_bytes(path, serialize(quads, fmt, prefixes))


def remove_stale_temporaries(folder: str | Path, names: Iterable[str]) -> None:
    """Temporary files of ``names`` left in ``folder`` by a run that was killed while writing."""
    for name in names:
        for tmp in Path(folder).glob(f".{name}.*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()


def _quad_key(q: ox.Quad) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def _triple_key(t: ox.Triple) -> tuple[str, str, str]:
    return (str(t.subject), str(t.predicate), str(t.object))


def _iri(text: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(text)
    except ValueError as exc:  # say which IRI: the message alone names only the bad character
        raise ValueError(f"invalid IRI {text!r}: {exc}") from exc


def _term(t, cache: dict):
    hit = cache.get(t)
    if hit is not None:
        return hit
    if isinstance(t, URIRef):
        out = _iri(str(t))
    elif isinstance(t, BNode):
        out = ox.BlankNode(str(t))
    elif isinstance(t, Literal):
        if t.language:
            out = ox.Literal(str(t), language=t.language)
        elif t.datatype is not None:
            out = ox.Literal(str(t), datatype=_iri(str(t.datatype)))
        else:
            out = ox.Literal(str(t))
    else:
        raise TypeError(f"cannot write RDF term {t!r}")
    cache[t] = out
    return out
