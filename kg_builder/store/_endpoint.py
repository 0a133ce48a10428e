"""Queries on a remote SPARQL 1.1 Protocol endpoint (Oxigraph's /query, Virtuoso's /sparql, Fuseki…).

The query goes as an HTML-form POST (``query=…``), which every server takes; the answer is read
with pyoxigraph into the same result objects a local query gives, so the output formats are
written by one piece of code. Credentials, auth schemes and secret redaction as for push
(:mod:`kg_builder.store._remote`), from KG_QUERY_USER / KG_QUERY_PASSWORD / KG_QUERY_TOKEN.
"""
from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator, Mapping

import httpx
import pyoxigraph as ox

from kg_builder._printable import printable
from kg_builder.errors import QueryError
from kg_builder.store._remote import challenge_hint, remote
from kg_builder.store._sparql_text import for_endpoint
from kg_builder.store._store import PREFIXES, Term, to_term

_ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
_ACCEPT_RDF = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_RDF = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}


@contextlib.contextmanager
def remote_query(endpoint: str, sparql: str, params: Mapping[str, str | Term], *, label: str,
                 auth: str = "auto", timeout: float = 60.0
                 ) -> Iterator[ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]]:
    """Send ``sparql`` (our prefixes added, ``params`` bound as VALUES) and read the answer back.

    A context manager: SELECT solutions are parsed from the HTTP response as they arrive, so the
    rows can be written out while the server is still sending them.
    """
    target = remote(endpoint, auth=auth, env_prefix="KG_QUERY", error=QueryError)
    bindings = {name.lstrip("?$"): to_term(value) for name, value in params.items()}
    text, form = for_endpoint(sparql, PREFIXES, bindings, label)
    accept = _ACCEPT_RESULTS if form in ("SELECT", "ASK") else _ACCEPT_RDF
    with contextlib.ExitStack() as stack:
        stack.enter_context(target.quiet_logs())
        client = stack.enter_context(httpx.Client(auth=target.auth, timeout=timeout, follow_redirects=True))
        try:
            response = stack.enter_context(client.stream("POST", target.url, data={"query": text},
                                                         headers={"Accept": accept}))
            if response.status_code != 200:
                response.read()
        except httpx.TimeoutException:
            raise QueryError(f"{target.shown}: {label}: no answer within {timeout:g} s (--timeout)") from None
        except httpx.TransportError as exc:
            raise QueryError(target.scrub(f"{target.shown}: {label}: cannot reach the server "
                                          f"({type(exc).__name__}: {exc})")) from None
        if response.status_code != 200:
            body = printable(response.text.strip()[:300]) or "(no body)"
            raise QueryError(target.scrub(
                f"{target.shown}: {label} failed with HTTP {response.status_code} {response.reason_phrase}"
                f"{challenge_hint(response, target, 'KG_QUERY')}: {body}"))
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if form in ("SELECT", "ASK"):
                if content_type not in _RESULTS:
                    raise QueryError(f"{target.shown}: {label}: the server answered {content_type or 'no type'}, "
                                     "not SPARQL results (is this the query endpoint?)")
                parsed = ox.parse_query_results(io.BufferedReader(_ResponseFile(response)),
                                                format=_RESULTS[content_type])
                yield _as_boolean(parsed) if form == "ASK" else parsed
                return
            if content_type not in _RDF:
                raise QueryError(f"{target.shown}: {label}: the server answered {content_type or 'no type'}, "
                                 "not RDF")
            response.read()
            yield [q.triple if isinstance(q, ox.Quad) else q
                   for q in ox.parse(response.content, format=_RDF[content_type])]
        except SyntaxError as exc:
            raise QueryError(target.scrub(f"{target.shown}: {label}: the server's answer does not parse "
                                          f"({printable(str(exc))})")) from None
        except httpx.TimeoutException:
            raise QueryError(f"{target.shown}: {label}: the answer stalled for {timeout:g} s (--timeout)") from None
        except httpx.TransportError as exc:
            raise QueryError(target.scrub(f"{target.shown}: {label}: the connection broke while reading "
                                          f"({type(exc).__name__}: {exc})")) from None


def _as_boolean(parsed: ox.QuerySolutions | ox.QueryBoolean) -> ox.QueryBoolean:
    """An ASK answer as a boolean. Virtuoso 7 answers ASK with a one-row table whose one column,
    ``__ASK_RETVAL``, holds 1 or 0; that is read as the boolean it means."""
    if isinstance(parsed, ox.QueryBoolean):
        return parsed
    rows = [[solution[v] for v in parsed.variables] for solution in parsed]
    value = rows[0][0] if rows and rows[0] else None
    truth = isinstance(value, ox.Literal) and value.value.strip().lower() in ("1", "true")
    return ox.parse_query_results('{"head":{},"boolean":%s}' % ("true" if truth else "false"),
                                  format=ox.QueryResultsFormat.JSON)


class _ResponseFile(io.RawIOBase):
    """A streamed HTTP response body as the binary file pyoxigraph's parser reads from."""

    def __init__(self, response: httpx.Response):
        self._chunks = response.iter_bytes()
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size
