"""Send named graphs to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol.

One ``PUT endpoint?graph=<article IRI>`` per graph: PUT replaces the graph on the server, so
pushing again never duplicates. The local store is only ever opened read-only here.
Authentication and the redaction of secrets in messages: :mod:`kg_builder.store._remote`.
"""
from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox

from kg_builder._printable import printable
from kg_builder.errors import PushError
from kg_builder.store._remote import Remote, challenge_hint, remote
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


def push(store_path: Store | str | Path, endpoint: str, *, graphs: Iterable[str] | None = None,
         fmt: str = "nt", retries: int = 3, backoff: float = 0.5, timeout: float = 60.0,
         auth: str = "auto") -> PushSummary:
    """PUT each named graph (all by default) to ``endpoint?graph=<iri>``; returns what was sent.

    ``auth``: "auto" (default), "basic", "digest", "bearer" or "none"; credentials from the URL
    (``user:password@``) or KG_PUSH_USER / KG_PUSH_PASSWORD / KG_PUSH_TOKEN. "auto" sends a token
    as bearer, and a user as whatever the server's 401 challenge asks for (Digest or Basic).
    ``timeout`` (seconds) bounds each HTTP request. Connection errors and 429/5xx answers are
    retried ``retries`` times, waiting ``backoff``, 2×``backoff``, 4×``backoff``… seconds. A server
    that cannot be reached, or that refuses us (401/403/404/405), raises :class:`PushError` naming
    the endpoint (password and secret query values shown as ``***``) and the status; any other
    graph the server rejects is listed in ``failures`` and the rest are still sent.
    """
    target = remote(endpoint, auth=auth, env_prefix="KG_PUSH", error=PushError)
    if fmt not in _BODY:
        raise PushError(f"{target.shown}: cannot push as {fmt!r} (use nt or ttl)")
    if not timeout or timeout <= 0:
        raise PushError(f"{target.shown}: --timeout must be a positive number of seconds, not {timeout!r}")
    rdf_format, content_type = _BODY[fmt]
    summary = PushSummary(target.shown)
    store, opened = open_store(store_path)
    try:
        available = store.graphs()
        wanted = available if graphs is None else list(graphs)
        unknown = [g for g in wanted if g not in available]
        if unknown:
            raise PushError(f"{target.shown}: graph {unknown[0]} is not in the store {store.path or ''}".rstrip())
        with target.quiet_logs(), httpx.Client(auth=target.auth, timeout=timeout, follow_redirects=True) as client:
            for graph in wanted:
                body = store.raw.dump(format=rdf_format, from_graph=ox.NamedNode(graph))
                triples = sum(1 for _ in store.raw.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
                status = _put(client, target, graph, body, content_type, retries, backoff, summary)
                if 200 <= status < 300:
                    summary.graphs_sent += 1
                    summary.triples_sent += triples
                else:
                    summary.failures.append((graph, f"HTTP {status}"))
            if wanted and not summary.graphs_sent:
                graph, reason = summary.failures[0]
                error = PushError(f"{target.shown}: the server took none of {len(wanted)} graphs "
                                  f"(first: {graph}, {reason}); nothing was changed locally")
                error.summary = summary  # type: ignore[attr-defined]
                raise error
    finally:
        if opened:
            store.close()
    return summary


def _put(client: httpx.Client, target: Remote, graph: str, body: bytes, content_type: str,
         retries: int, backoff: float, summary: PushSummary) -> int:
    """One graph, with retries; returns the final status or raises PushError when the server is gone."""
    for attempt in range(retries + 1):
        summary.attempts += 1
        try:
            # merged, not replaced: a ?token=… in the endpoint URL stays
            url = httpx.URL(target.url).copy_merge_params({"graph": graph})
            response = client.put(url, content=body, headers={"Content-Type": content_type})
        except httpx.TimeoutException as exc:
            if attempt == retries:
                raise PushError(f"{target.shown}: no answer within the timeout after {attempt + 1} attempts "
                                f"({type(exc).__name__}); raise --timeout for slow servers; "
                                "nothing was changed locally") from None
        except httpx.TransportError as exc:
            if attempt == retries:
                raise PushError(f"{target.shown}: cannot reach the server after {attempt + 1} attempts "
                                f"({type(exc).__name__}: {target.scrub(str(exc))}); nothing was changed locally"
                                ) from None
        else:
            if response.status_code in _FATAL_STATUS:
                raise PushError(target.scrub(
                    f"{target.shown}: the server refused graph {graph} with HTTP {response.status_code} "
                    f"{response.reason_phrase}{challenge_hint(response, target, 'KG_PUSH')}: {_snippet(response)}"))
            if response.status_code not in _RETRY_STATUS or attempt == retries:
                return response.status_code
        time.sleep(backoff * (2 ** attempt))
    raise AssertionError("unreachable")


def _snippet(response: httpx.Response) -> str:
    return printable(response.text.strip()[:200]) or "(no body)"
