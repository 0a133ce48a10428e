"""Queries on a remote SPARQL 1.1 Protocol endpoint (Oxigraph's /query, Virtuoso's /sparql, Fuseki…).

The query goes as an HTML-form POST (``query=…``), which every server takes; the answer is read
with pyoxigraph into the same result objects a local query gives, so the output formats are
written by one piece of code. Credentials, auth schemes and secret redaction as for push
(:mod:`kg_builder.store._remote`), from KG_QUERY_USER / KG_QUERY_PASSWORD / KG_QUERY_TOKEN.
"""
from __future__ import annotations

from collections.abc import Mapping

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


def remote_query(endpoint: str, sparql: str, params: Mapping[str, str | Term], *, label: str,
                 auth: str = "auto", timeout: float = 60.0) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]:
    """Send ``sparql`` (our prefixes added, ``params`` bound as VALUES) and read the answer back."""
    target = remote(endpoint, auth=auth, env_prefix="KG_QUERY", error=QueryError)
    bindings = {name.lstrip("?$"): to_term(value) for name, value in params.items()}
    text, form = for_endpoint(sparql, PREFIXES, bindings, label)
    accept = _ACCEPT_RESULTS if form in ("SELECT", "ASK") else _ACCEPT_RDF
    with target.quiet_logs(), httpx.Client(auth=target.auth, timeout=timeout, follow_redirects=True) as client:
        try:
            response = client.post(target.url, data={"query": text}, headers={"Accept": accept})
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
            return ox.parse_query_results(response.content, format=_RESULTS[content_type])
        if content_type not in _RDF:
            raise QueryError(f"{target.shown}: {label}: the server answered {content_type or 'no type'}, not RDF")
        return [q.triple if isinstance(q, ox.Quad) else q
                for q in ox.parse(response.content, format=_RDF[content_type])]
    except SyntaxError as exc:
        raise QueryError(target.scrub(f"{target.shown}: {label}: the server's answer does not parse "
                                      f"({printable(str(exc))})")) from None
