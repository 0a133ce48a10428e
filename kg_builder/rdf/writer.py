"""Writing article graphs to files, fast and byte-for-byte repeatable.

rdflib's Turtle/TriG writers are the slow part of a build (measured: a fifth of it); pyoxigraph
serializes the same quads in a fraction of that. Quads are sorted first, so the same graphs give
the same bytes on every run. Every file is written atomically (:mod:`kg_builder._files`): a reader,
or a run killed half way, sees the old file or the new one, never a cut one.
"""
from __future__ import annotations

import contextlib
import heapq
from collections.abc import Iterable, Iterator
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
    return ox.serialize(_sorted_items(quads, fmt), format=_FORMATS[fmt], prefixes=_prefixes(fmt, prefixes)) or b""


def _sorted_items(quads: list[ox.Quad], fmt: str) -> list:
    if fmt in ("trig", "nq"):
        return sorted(set(quads), key=_quad_key)
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=_triple_key)


def _prefixes(fmt: str, prefixes: dict[str, str]) -> dict[str, str] | None:
    return prefixes if fmt in ("trig", "ttl") else None


def write(quads: list[ox.Quad], path: str | Path, fmt: str, prefixes: dict[str, str]) -> None:
    """:func:`serialize` into ``path``, atomically."""
    write_bytes(path, serialize(quads, fmt, prefixes))


def remove_stale_temporaries(folder: str | Path, names: Iterable[str]) -> None:
    """Temporary files of ``names`` left in ``folder`` by a run that was killed while writing."""
    for name in names:
        for tmp in Path(folder).glob(f".{name}.*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()


# ---- streamed writing: sorted shards, one k-way merge ------------------------------------------
#
# A build writes each chunk of articles as two sorted shards: its quads as N-Quads (sorted as
# ``write`` sorts them) and their triples as N-Triples (sorted, each once). Merging the shards
# gives the very sequence ``write`` would have serialized for all the quads at once, so the files
# are the same bytes, while memory holds one quad per shard (plus a serializer's buffer).

#: Shards merged at once; beyond this, groups are merged into intermediate shards first.
FAN_IN = 64


def write_shards(quads: list[ox.Quad], nq_path: str | Path, nt_path: str | Path) -> None:
    """One chunk's quads as a sorted N-Quads shard and their triples as a sorted N-Triples shard."""
    ox.serialize(_sorted_items(quads, "nq"), output=str(nq_path), format=ox.RdfFormat.N_QUADS)
    ox.serialize(_sorted_items(quads, "nt"), output=str(nt_path), format=ox.RdfFormat.N_TRIPLES)


def merge_shards(nq_shards: list[Path], nt_shards: list[Path], outputs: dict[str, Path],
                 prefixes: dict[str, str], work_dir: Path) -> None:
    """Write ``outputs`` (format -> path; ``trig``/``nq`` from the quad shards, ``ttl``/``nt`` from
    the triple shards) as ``write`` would have written all the shards' quads at once."""
    quad_shards = _fan_in(list(nq_shards), "nq", work_dir)
    triple_shards = _fan_in(list(nt_shards), "nt", work_dir)
    for fmt, path in outputs.items():
        shards = quad_shards if fmt in ("trig", "nq") else triple_shards
        ox.serialize(_merged(shards, fmt), output=str(path), format=_FORMATS[fmt],
                     prefixes=_prefixes(fmt, prefixes))


def _merged(shards: list[Path], fmt: str) -> Iterator:
    """The items of sorted shards in one sorted sequence, each item once."""
    quads = fmt in ("trig", "nq")
    key = _quad_key if quads else _triple_key
    fmt_in = ox.RdfFormat.N_QUADS if quads else ox.RdfFormat.N_TRIPLES
    streams = [ox.parse(path=str(p), format=fmt_in) for p in shards]
    last = None
    for item in heapq.merge(*streams, key=key):
        if item != last:  # a triple shared by two chunks' articles is written once
            yield item
            last = item


def _fan_in(shards: list[Path], fmt: str, work_dir: Path) -> list[Path]:
    """At most ``FAN_IN`` shards: merge groups of them into intermediate shards until so."""
    level = 0
    while len(shards) > FAN_IN:
        merged = []
        for i in range(0, len(shards), FAN_IN):
            path = work_dir / f"merge-{fmt}-{level}-{i // FAN_IN:06d}.{fmt}"
            ox.serialize(_merged(shards[i:i + FAN_IN], fmt), output=str(path), format=_FORMATS[fmt])
            merged.append(path)
        shards, level = merged, level + 1
    return shards


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
