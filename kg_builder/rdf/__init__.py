"""The RDF stage: facts of one article in, one named graph out (docs/rdf-mapping.md).

No spaCy here and no judging: ``kg_builder.validate`` checks the graphs against the shapes.
"""
from __future__ import annotations

from kg_builder.rdf.iris import DEFAULT_BASE
from kg_builder.rdf.mapping import article_graph, dataset_of
from kg_builder.rdf.namespaces import DIP, DIPK, DIPSH, KIND_SCHEME, RES, SCHEMA, bind_prefixes, prefixes

__all__ = [
    "DEFAULT_BASE",
    "DIP",
    "DIPK",
    "DIPSH",
    "KIND_SCHEME",
    "RES",
    "SCHEMA",
    "article_graph",
    "bind_prefixes",
    "dataset_of",
    "prefixes",
]
