"""SPARQL over the store: inline, from a file, or by name from the shipped query library.

A library query is ``ontology/queries/<name>.rq``; its first comment line is its description and
``# @param NAME [(required)]: …`` lines declare the parameters it takes. Parameter values are bound
as RDF terms by pyoxigraph (never pasted into the text), so a value such as ``"} DROP ALL {"`` is
only ever a string literal.

The same queries run on any SPARQL 1.1 Protocol endpoint (``endpoint=``), where the parameters are
sent as ``VALUES`` blocks (:mod:`kg_builder.store._sparql_text`); the answer is read back with
pyoxigraph, so every output format is written by the same code for both.

A local query runs in a worker thread: pyoxigraph evaluates in native code, and the calling thread
stays free to notice Ctrl-C or the ``timeout`` within a fraction of a second. The evaluation
itself cannot be killed: it is abandoned, and the worker stops at its next row or output write
(a query that aggregates everything before its first row runs to its end in the background; the
CLI exits at once).
"""
from __future__ import annotations

import io
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

import pyoxigraph as ox

from kg_builder._printable import printable
from kg_builder.errors import QueryError
from kg_builder.resources import ontology_dir
from kg_builder.store._store import PREFIXES, RDF_FORMATS, Store, Term, open_store

FORMATS = ("table", "csv", "tsv", "json")
_RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                   "json": ox.QueryResultsFormat.JSON}
#: A "table" result longer than this is not laid out by rich: on a terminal the first rows are
#: shown as a table and the rest counted; elsewhere every row is written as plain tab-separated text.
TABLE_ROWS = 1000
#: Seconds a remote query may take when no timeout is given.
REMOTE_TIMEOUT = 60.0
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


def query(store_or_path: Store | str | Path | None, sparql_or_name_or_file: str, *,
          params: Mapping[str, str | Term] | None = None, fmt: str = "table", endpoint: str | None = None,
          auth: str = "auto", timeout: float | None = None, output: IO[bytes] | None = None,
          terminal: bool = False) -> str:
    """Run a query on the store, or on ``endpoint``, and return its results as text in ``fmt``.

    ``fmt``: "table" (aligned text for a terminal), "csv", "tsv" or "json" (SPARQL 1.1 results
    formats). CONSTRUCT/DESCRIBE results come as a table of triples, or as "nt"/"ttl".
    ``params`` bind query variables, e.g. ``{"actor": "res:country/RU"}`` or ``{"actor": "Russia"}``.

    ``endpoint``: a SPARQL 1.1 Protocol URL (``http://host:7878/query`` for Oxigraph,
    ``http://host:8890/sparql`` for Virtuoso); ``store_or_path`` is then unused (may be None).
    Credentials as for push, from the URL or KG_QUERY_USER / KG_QUERY_PASSWORD / KG_QUERY_TOKEN,
    with ``auth`` as in :func:`push`. ``timeout``: seconds before the query is given up
    (:class:`QueryError`); none by default locally, 60 s for an endpoint.

    ``output``: a binary file to write the results to as they come (rows are streamed for csv,
    tsv, json, nt and ttl); the function then returns "". ``terminal``: the output is a terminal
    (a long table is then cut to its first :data:`TABLE_ROWS` rows and a count).
    """
    if fmt not in FORMATS + ("nt", "ttl"):
        raise QueryError(f"unknown output format {fmt!r} (use one of {', '.join(FORMATS)})")
    if timeout is not None and not timeout > 0:
        raise QueryError(f"--timeout must be a positive number of seconds, not {timeout!r}")
    sparql, label, entry = resolve_query(sparql_or_name_or_file)
    params = dict(params or {})
    if entry is not None:
        missing = [p for p in entry.required if p not in params]
        if missing:
            raise QueryError(f"{label} needs --param {missing[0]}=… ({entry.description})")
    sink = output if output is not None else io.BytesIO()
    if endpoint is not None:
        from kg_builder.store._endpoint import remote_query

        with remote_query(endpoint, sparql, params, label=label, auth=auth,
                          timeout=timeout or REMOTE_TIMEOUT) as result:
            _write(result, fmt, label, sink, terminal, threading.Event())
    else:
        if store_or_path is None:
            raise QueryError(f"{label}: give a store or an endpoint to query")
        store, opened = open_store(store_or_path)
        try:
            _guarded(lambda cancel: _write(store.query(sparql, params, source=label), fmt, label,
                                           _Sink(sink, cancel), terminal, cancel), timeout, label)
        finally:
            if opened:
                store.close()
    return "" if output is not None else sink.getvalue().decode("utf-8")


class _Cancelled(Exception):
    """Raised inside the worker when the caller gave up (timeout or Ctrl-C)."""


class _Sink:
    """The output, as pyoxigraph's serialisers see it: each write first checks for cancellation."""

    def __init__(self, out: IO[bytes], cancel: threading.Event):
        self._out, self._cancel = out, cancel

    def write(self, data: bytes) -> int:
        if self._cancel.is_set():
            raise _Cancelled
        self._out.write(data)
        return len(data)

    def flush(self) -> None:
        self._out.flush()


_T = TypeVar("_T")


def _guarded(work: Callable[[threading.Event], _T], timeout: float | None, label: str) -> _T:
    """Run ``work(cancel)`` in a worker thread; wait for it while staying able to take Ctrl-C
    (KeyboardInterrupt is raised here at once) and to stop at ``timeout`` (QueryError)."""
    cancel = threading.Event()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work(cancel)
        except _Cancelled:
            pass
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = _detached(exc)

    worker = threading.Thread(target=target, name=f"kg-builder {label}", daemon=True)
    deadline = time.monotonic() + timeout if timeout is not None else None
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.05)
            if deadline is not None and time.monotonic() > deadline and worker.is_alive():
                cancel.set()
                raise QueryError(f"{label}: stopped after {timeout:g} s (--timeout); "
                                 "rows already written, if any, are incomplete")
    except BaseException:
        cancel.set()
        raise
    if "error" in box:
        raise box["error"]
    return box.get("value")  # type: ignore[return-value]


def _detached(exc: BaseException) -> BaseException:
    """``exc`` without its tracebacks: their frames hold pyoxigraph results, which must be dropped
    in the thread that made them (pyoxigraph's result objects are not sendable)."""
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        link.__traceback__ = None
        link = link.__cause__ or link.__context__
    return exc


def _write(result: Any, fmt: str, label: str, out: Any, terminal: bool, cancel: threading.Event) -> None:
    """Write ``result`` (a pyoxigraph result, or a list of triples from an endpoint) as ``fmt``."""
    try:
        if isinstance(result, (ox.QueryTriples, list)):
            if fmt in ("nt", "ttl"):
                if isinstance(result, list):
                    ox.serialize(result, output=out, format=RDF_FORMATS[fmt])
                else:
                    result.serialize(output=out, format=RDF_FORMATS[fmt])
                return
            if fmt != "table":
                raise QueryError(f"{label}: a CONSTRUCT/DESCRIBE result is RDF; use --format table, nt or ttl")
            rows = ((t.subject, t.predicate, t.object) for t in result)
            _table(["subject", "predicate", "object"], rows, out, terminal, cancel)
            return
        if fmt in ("nt", "ttl"):
            raise QueryError(f"{label}: --format {fmt} is for CONSTRUCT queries; use table, csv, tsv or json")
        if isinstance(result, ox.QueryBoolean):
            if fmt == "json":
                result.serialize(output=out, format=_RESULT_FORMATS[fmt])
            else:
                out.write(b"true\n" if bool(result) else b"false\n")
            return
        if fmt == "table":
            variables = result.variables
            rows = (tuple(solution[v] for v in variables) for solution in result)
            _table([v.value for v in variables], rows, out, terminal, cancel)
            return
        result.serialize(output=out, format=_RESULT_FORMATS[fmt])
    except (OSError, RuntimeError, ValueError) as exc:  # evaluation errors surface while iterating
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


def _table(names: list[str], rows: Iterable[tuple[Term | ox.Triple | None, ...]], out: Any,
           terminal: bool, cancel: threading.Event) -> None:
    """A rich table when the result is short; else the first rows and a count (terminal) or every
    row as plain tab-separated text (file, pipe), written as they come. Values from the data are
    never markup, and their control characters are shown as escapes."""
    it: Iterator[tuple[Term | ox.Triple | None, ...]] = iter(rows)
    first: list[tuple[str, ...]] = []
    for row in it:
        if cancel.is_set():
            raise _Cancelled
        first.append(tuple(printable(compact(t)) for t in row))
        if len(first) > TABLE_ROWS:
            break
    if len(first) <= TABLE_ROWS:
        out.write(_rich_table(names, first, f"{len(first)} row{'s' if len(first) != 1 else ''}"))
        return
    if terminal:
        total = len(first)
        for _ in it:
            if cancel.is_set():
                raise _Cancelled
            total += 1
        shown = first[:TABLE_ROWS]
        out.write(_rich_table(names, shown, f"first {len(shown)} of {total} rows; "
                                            "use --format csv, tsv or json for all"))
        return
    out.write(("\t".join(names) + "\n").encode("utf-8"))
    out.write("".join("\t".join(row) + "\n" for row in first).encode("utf-8"))
    batch: list[str] = []
    for row in it:
        batch.append("\t".join(printable(compact(t)) for t in row) + "\n")
        if len(batch) == 1000:
            out.write("".join(batch).encode("utf-8"))
            batch.clear()
    out.write("".join(batch).encode("utf-8"))


def _rich_table(names: list[str], rows: list[tuple[str, ...]], caption: str) -> bytes:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(*names, caption=caption, show_lines=False)
    for row in rows:
        table.add_row(*(Text(value) for value in row))  # Text: a value is never read as markup
    buffer = io.StringIO()
    width = max(shutil.get_terminal_size((160, 24)).columns, 80)
    Console(file=buffer, width=width, color_system=None, highlight=False).print(table)
    return buffer.getvalue().encode("utf-8")
