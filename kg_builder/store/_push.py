"""Send named graphs to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol.

One ``PUT endpoint?graph=<article IRI>`` per graph: PUT replaces the graph on the server, so
pushing again never duplicates. The local store is only ever opened read-only here.
"""
from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox

from kg_builder.errors import PushError
from kg_builder.store._store import Store, open_store

_BODY = {"nt": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
         "ttl": (ox.RdfFormat.TURTLE, "text/turtle")}
#: Statuses worth another try: the server is busy or briefly broken.
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
#: Statuses that mean the server refuses us as a whole: stop at once.
_FATAL_STATUS = frozenset({401, 403, 404, 405})


@dataclass
class PushSummary:
    endpoint: str
    graphs_sent: int = 0
    triples_sent: int = 0
    #: (graph IRI, reason) for each graph the server did not take.
    failures: list[tuple[str, str]] = field(default_factory=list)
    #: HTTP attempts made, retries included.
    attempts: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures


def auth_from_env(env: Mapping[str, str] | None = None) -> httpx.Auth | None:
    """Bearer from KG_PUSH_TOKEN, else basic from KG_PUSH_USER/KG_PUSH_PASSWORD, else none."""
    env = os.environ if env is None else env
    if env.get("KG_PUSH_TOKEN"):
        return _Bearer(env["KG_PUSH_TOKEN"])
    if env.get("KG_PUSH_USER"):
        return httpx.BasicAuth(env["KG_PUSH_USER"], env.get("KG_PUSH_PASSWORD", ""))
    return None


class _Bearer(httpx.Auth):
    def __init__(self, token: str):
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request):  # type: ignore[override]
        request.headers["Authorization"] = self._header
        yield request


def push(store_path: Store | str | Path, endpoint: str, *, graphs: Iterable[str] | None = None,
         fmt: str = "nt", retries: int = 3, backoff: float = 0.5, timeout: float = 60.0) -> PushSummary:
    """PUT each named graph (all by default) to ``endpoint?graph=<iri>``; returns what was sent.

    Connection errors and 429/5xx answers are retried ``retries`` times, waiting ``backoff``,
    2×``backoff``, 4×``backoff``… seconds. A server that cannot be reached, or that refuses us
    (401/403/404/405), raises :class:`PushError` naming the endpoint and status; any other
    graph the server rejects is listed in ``failures`` and the rest are still sent.
    """
    if fmt not in _BODY:
        raise PushError(f"{endpoint}: cannot push as {fmt!r} (use nt or ttl)")
    if not endpoint.startswith(("http://", "https://")):
        raise PushError(f"{endpoint}: not an http(s) URL")
    rdf_format, content_type = _BODY[fmt]
    summary = PushSummary(endpoint)
    store, opened = open_store(store_path)
    try:
        available = store.graphs()
        wanted = available if graphs is None else list(graphs)
        unknown = [g for g in wanted if g not in available]
        if unknown:
            raise PushError(f"{endpoint}: graph {unknown[0]} is not in the store {store.path or ''}".rstrip())
        with httpx.Client(auth=auth_from_env(), timeout=timeout, follow_redirects=True) as client:
            for graph in wanted:
                body = store.raw.dump(format=rdf_format, from_graph=ox.NamedNode(graph))
                triples = sum(1 for _ in store.raw.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
                status = _put(client, endpoint, graph, body, content_type, retries, backoff, summary)
                if 200 <= status < 300:
                    summary.graphs_sent += 1
                    summary.triples_sent += triples
                else:
                    summary.failures.append((graph, f"HTTP {status}"))
            if wanted and not summary.graphs_sent:
                graph, reason = summary.failures[0]
                error = PushError(f"{endpoint}: the server took none of {len(wanted)} graphs "
                                  f"(first: {graph}, {reason}); nothing was changed locally")
                error.summary = summary  # type: ignore[attr-defined]
                raise error
    finally:
        if opened:
            store.close()
    return summary


def _put(client: httpx.Client, endpoint: str, graph: str, body: bytes, content_type: str,
         retries: int, backoff: float, summary: PushSummary) -> int:
    """One graph, with retries; returns the final status or raises PushError when the server is gone."""
    for attempt in range(retries + 1):
        summary.attempts += 1
        try:
            response = client.put(endpoint, params={"graph": graph}, content=body,
                                  headers={"Content-Type": content_type})
        except httpx.TransportError as exc:
            if attempt == retries:
                raise PushError(f"{endpoint}: cannot reach the server after {attempt + 1} attempts "
                                f"({type(exc).__name__}: {exc}); nothing was changed locally") from exc
        else:
            if response.status_code in _FATAL_STATUS:
                raise PushError(f"{endpoint}: the server refused graph {graph} with HTTP "
                                f"{response.status_code} {response.reason_phrase}: {_snippet(response)}")
            if response.status_code not in _RETRY_STATUS or attempt == retries:
                return response.status_code
        time.sleep(backoff * (2 ** attempt))
    raise AssertionError("unreachable")


def _snippet(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:200] or "(no body)"
