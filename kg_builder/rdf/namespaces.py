"""The namespaces of docs/rdf-mapping.md, and one function that binds their prefixes on a graph."""
from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

from kg_builder.rdf.iris import DEFAULT_BASE

DIP = Namespace("https://w3id.org/dipkg/ontology#")
DIPK = Namespace("https://w3id.org/dipkg/kind/")
DIPSH = Namespace("https://w3id.org/dipkg/shapes#")
SCHEMA = Namespace("https://schema.org/")

#: The kind scheme itself (``dipk:scheme``).
KIND_SCHEME = DIPK["scheme"]


def RES(base: str = DEFAULT_BASE) -> Namespace:  # noqa: N802  (reads like the other namespaces)
    """The instance namespace: ``res:`` of the mapping, configurable per build."""
    return Namespace(base)


def prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """dip:, dipk:, res:, schema: and the W3C prefixes, in a fixed order, so serialisations read
    like the docs and come out the same on every run."""
    return {prefix: str(ns) for prefix, ns in (
        ("dip", DIP), ("dipk", DIPK), ("dipsh", DIPSH), ("res", RES(base)), ("schema", SCHEMA),
        ("skos", SKOS), ("rdf", RDF), ("rdfs", RDFS), ("xsd", XSD), ("owl", OWL), ("prov", PROV),
        ("org", ORG), ("foaf", FOAF), ("dcterms", DCTERMS), ("sh", SH),
    )}


def bind_prefixes(graph: Graph, base: str = DEFAULT_BASE) -> Graph:
    """Bind ``prefixes(base)`` on an rdflib graph."""
    for prefix, ns in prefixes(base).items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph
