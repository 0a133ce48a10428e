"""The store as a file: TriG / N-Quads keep one graph per article, N-Triples / Turtle are their union."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg_builder.errors import StoreError
from kg_builder.store._store import RDF_FORMATS, Store, open_store


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    format: str
    graphs: int
    quads: int
    bytes: int


def export(store_path: Store | str | Path, out: str | Path, fmt: str = "trig") -> ExportSummary:
    """Write the whole store to ``out`` as trig, nq, nt, ttl or jsonld (context: ontology/context.jsonld).

    The file is written next to ``out`` first and renamed into place, so a failed export never
    leaves half a file behind.
    """
    if fmt not in RDF_FORMATS:
        raise StoreError(f"{out}: unknown export format {fmt!r} (use one of {', '.join(RDF_FORMATS)})")
    store, opened = open_store(store_path)
    try:
        data = store.dump(fmt)
        graphs, quads = len(store.graphs()), len(store)
    finally:
        if opened:
            store.close()
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(out)
    except OSError as exc:
        raise StoreError(f"{out}: cannot write the export ({exc})") from exc
    return ExportSummary(out, fmt, graphs, quads, len(data))
