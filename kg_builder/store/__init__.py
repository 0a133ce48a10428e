"""Where built graphs live: the embedded store, SPARQL queries, export and push to other servers.

    Store            one pyoxigraph store, one named graph per article, atomic per article
    query            SPARQL inline / from a file / by name from ontology/queries/*.rq
    list_queries     the shipped queries, one line each
    export           the store as TriG, N-Quads, N-Triples, Turtle or JSON-LD
    push             named graphs to any SPARQL 1.1 Graph Store Protocol endpoint
"""
from __future__ import annotations

from kg_builder.store._export import ExportSummary, export
from kg_builder.store._push import PushSummary, push
from kg_builder.store._remote import AUTH_MODES, redact_url
from kg_builder.store._query import list_queries, query
from kg_builder.store._store import PREFIXES, Store, to_term

__all__ = ["AUTH_MODES", "ExportSummary", "PREFIXES", "PushSummary", "Store", "export",
           "list_queries", "push", "query", "redact_url", "to_term"]
