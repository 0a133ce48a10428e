"""SPARQL over the store: inline, from a file, or by name from the shipped query library.

A library query is ``ontology/queries/<name>.rq``; its first comment line is its description and
``# @param NAME [(required)]: …`` lines declare the parameters it takes. Parameter values are bound
as RDF terms by pyoxigraph (never pasted into the text), so a value such as ``"} DROP ALL {"`` is
only ever a string literal.
"""
from __future__ import annotations

import io
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg_builder.errors import QueryError
from kg_builder.resources import ontology_dir
from kg_builder.store._store import PREFIXES, RDF_FORMATS, Store, Term, open_store

FORMATS = ("table", "csv", "tsv", "json")
_RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                   "json": ox.QueryResultsFormat.JSON}
_PARAM_LINE = re.compile(r"^#\s*@param\s+\??(\w+)\s*(\(required\))?", re.MULTILINE)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    path: Path
    params: tuple[str, ...]
    required: tuple[str, ...]


def queries_dir() -> Path:
    return ontology_dir() / "queries"


def _read_named(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    description = next((line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")), "")
    found = _PARAM_LINE.findall(text)
    return NamedQuery(path.stem, description, path, tuple(p for p, _ in found), tuple(p for p, r in found if r))


def list_queries() -> list[tuple[str, str]]:
    """``(name, one-line description)`` of every shipped query, by name."""
    return [(q.name, q.description) for q in _library()]


def _library() -> list[NamedQuery]:
    return [_read_named(p) for p in sorted(queries_dir().glob("*.rq"))]


def resolve_query(spec: str) -> tuple[str, str, NamedQuery | None]:
    """``(sparql, label for messages, library entry or None)`` for a name, a file path or inline text."""
    stripped = spec.strip()
    if not stripped:
        raise QueryError("empty query")
    looks_like_text = any(c.isspace() for c in stripped) or "{" in stripped
    if not looks_like_text:
        named = queries_dir() / f"{stripped}.rq"
        if named.is_file():
            entry = _read_named(named)
            return named.read_text(encoding="utf-8"), f"query '{entry.name}'", entry
    path = Path(spec)
    if not looks_like_text or path.suffix in (".rq", ".sparql"):
        if path.is_file():
            return path.read_text(encoding="utf-8"), str(path), None
        known = ", ".join(q.name for q in _library())
        raise QueryError(f"{spec}: no such query name or file (shipped queries: {known})")
    return spec, "query", None


def query(store_or_path: Store | str | Path, sparql_or_name_or_file: str, *,
          params: Mapping[str, str | Term] | None = None, fmt: str = "table") -> str:
    """Run a query on the store and return its results as text in ``fmt``.

    ``fmt``: "table" (aligned text for a terminal), "csv", "tsv" or "json" (SPARQL 1.1 results
    formats). CONSTRUCT/DESCRIBE results come as a table of triples, or as "nt"/"ttl".
    ``params`` bind query variables, e.g. ``{"actor": "res:country/RU"}`` or ``{"actor": "Russia"}``.
    """
    if fmt not in FORMATS + ("nt", "ttl"):
        raise QueryError(f"unknown output format {fmt!r} (use one of {', '.join(FORMATS)})")
    sparql, label, entry = resolve_query(sparql_or_name_or_file)
    params = dict(params or {})
    if entry is not None:
        missing = [p for p in entry.required if p not in params]
        if missing:
            raise QueryError(f"{label} needs --param {missing[0]}=… ({entry.description})")
    store, opened = open_store(store_or_path)
    try:
        result = store.query(sparql, params, source=label)
        return _format(result, fmt, label)
    finally:
        if opened:
            store.close()


def _format(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, fmt: str, label: str) -> str:
    try:
        if isinstance(result, ox.QueryTriples):
            if fmt in ("nt", "ttl"):
                return result.serialize(format=RDF_FORMATS[fmt]).decode("utf-8")
            if fmt != "table":
                raise QueryError(f"{label}: a CONSTRUCT/DESCRIBE result is RDF; use --format table, nt or ttl")
            rows = [(t.subject, t.predicate, t.object) for t in result]
            return _table(["subject", "predicate", "object"], rows)
        if fmt in ("nt", "ttl"):
            raise QueryError(f"{label}: --format {fmt} is for CONSTRUCT queries; use table, csv, tsv or json")
        if isinstance(result, ox.QueryBoolean):
            if fmt == "table":
                return "true\n" if bool(result) else "false\n"
            if fmt != "json":
                return ("true" if bool(result) else "false") + "\n"
            return result.serialize(format=_RESULT_FORMATS[fmt]).decode("utf-8")
        if fmt == "table":
            names = [v.value for v in result.variables]
            rows = [tuple(solution[v] for v in result.variables) for solution in result]
            return _table(names, rows)
        return result.serialize(format=_RESULT_FORMATS[fmt]).decode("utf-8")
    except (OSError, RuntimeError) as exc:  # evaluation errors surface while iterating
        raise QueryError(f"{label}: {exc}") from exc


def compact(term: Term | ox.Triple | None) -> str:
    """A term as a person reads it: IRIs with our prefixes, literals by their value."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, base in PREFIXES.items():
            if term.value.startswith(base):
                return f"{prefix}:{term.value[len(base):]}"
        return term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _table(names: list[str], rows: list[tuple[Term | None, ...]]) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(*names, caption=f"{len(rows)} row{'s' if len(rows) != 1 else ''}", show_lines=False)
    for row in rows:
        table.add_row(*(compact(t) for t in row))
    out = io.StringIO()
    width = max(shutil.get_terminal_size((160, 24)).columns, 80)
    Console(file=out, width=width, color_system=None, highlight=False).print(table)
    return out.getvalue()
