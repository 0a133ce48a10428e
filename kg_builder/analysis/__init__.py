"""Who mediates between whom, who conditions what, who demands what: the RDF graph as NetworkX.

``analyse(source)`` reads a graph (rdflib graph, store, store folder or RDF files), projects it
onto NetworkX graphs and returns an :class:`AnalysisReport` whose every number lists the fact
IRIs it was counted from. The projections are public so notebooks and :mod:`kg_builder.viz`
use the same graphs.
"""
from __future__ import annotations

from kg_builder.analysis._analyse import (
    BETWEENNESS_K,
    BETWEENNESS_SEED,
    EXACT_BETWEENNESS_MAX_NODES,
    AnalysisReport,
    analyse,
    brokerage,
    conditions,
    demands,
    mediators,
)
from kg_builder.analysis._load import FactIndex, load_facts
from kg_builder.analysis._projections import (
    PROJECTIONS,
    actor_graph,
    agreement_graph,
    conditioning_graph,
    demand_graph,
    mediation_graph,
)
from kg_builder.analysis._terms import head_terms, match, terms

__all__ = [
    "AnalysisReport", "BETWEENNESS_K", "BETWEENNESS_SEED", "EXACT_BETWEENNESS_MAX_NODES", "FactIndex",
    "PROJECTIONS", "actor_graph", "agreement_graph", "analyse", "brokerage", "conditioning_graph",
    "conditions", "demand_graph", "demands", "head_terms", "load_facts", "match", "mediation_graph", "mediators",
    "terms",
]
