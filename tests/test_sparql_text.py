"""How a query is rewritten for a remote endpoint: our prefixes declared, parameters as VALUES blocks.

Each rewritten text is also run by pyoxigraph over a small graph, so "valid SPARQL with the same
answer" is checked, not just the text."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg_builder.errors import QueryError
from kg_builder.store._sparql_text import for_endpoint, scan
from kg_builder.store._store import PREFIXES, to_term

DATA = """
<urn:x:ru> <http://www.w3.org/2000/01/rdf-schema#label> "Russia" <urn:x:g1> .
<urn:x:ua> <http://www.w3.org/2000/01/rdf-schema#label> "Ukraine { WHERE }" <urn:x:g1> .
"""


@pytest.fixture(scope="module")
def store():
    s = ox.Store()
    s.load(DATA, format=ox.RdfFormat.N_QUADS)
    return s


def test_prefixes_are_declared_once_and_only_when_missing():
    text, form = for_endpoint("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT * { ?s rdfs:label ?l }",
                              PREFIXES, {})
    assert form == "SELECT"
    assert text.count("PREFIX rdfs:") == 1 and "PREFIX dip: <https://w3id.org/dipkg/ontology#>" in text


def test_values_go_into_every_where_group_and_keep_the_answer(store):
    sparql = """# a comment with { braces } and WHERE
SELECT ?s ?name WHERE {
  { SELECT ?s ?name WHERE { GRAPH ?g { ?s rdfs:label ?l } FILTER(STR(?l) = ?name) } }
  FILTER(?name != "} WHERE {")
}"""
    text, _ = for_endpoint(sparql, PREFIXES, {"name": to_term("Russia")})
    assert text.count('VALUES ?name { "Russia" }') == 2
    rows = list(store.query(text))
    assert [(r["s"].value, r["name"].value) for r in rows] == [("urn:x:ru", "Russia")]


def test_a_hostile_value_is_a_literal_not_syntax(store):
    hostile = '"} } DROP ALL ; SELECT * { {'
    text, _ = for_endpoint("SELECT ?s WHERE { GRAPH ?g { ?s rdfs:label ?name } }", PREFIXES, {"name": to_term(hostile)})
    assert list(store.query(text)) == []
    assert len(store) == 2


def test_construct_template_is_skipped_and_select_expressions_are_not_groups(store):
    construct = "CONSTRUCT { ?s rdfs:label ?l } WHERE { GRAPH ?g { ?s rdfs:label ?l } }"
    text, form = for_endpoint(construct, PREFIXES, {"s": to_term("<urn:x:ru>")})
    assert form == "CONSTRUCT" and text.count("VALUES") == 1
    assert text.index("VALUES") > text.index("WHERE")
    assert [t.object.value for t in store.query(text)] == ["Russia"]
    exists = "SELECT ?s (EXISTS { ?s ?p ?o } AS ?e) WHERE { GRAPH ?g { ?s rdfs:label ?l } }"
    assert len(scan(exists).where_groups) == 1
    assert scan("ASK { ?s ?p ?o }").form == "ASK" and scan("select * {}").form == "SELECT"


def test_what_cannot_be_bound_is_a_query_error():
    with pytest.raises(QueryError, match="WHERE"):
        for_endpoint("CONSTRUCT WHERE { ?s ?p ?o }", PREFIXES, {"s": to_term("<urn:x:ru>")})
    with pytest.raises(QueryError, match="WHERE"):
        for_endpoint("DESCRIBE <urn:x:ru>", PREFIXES, {"s": to_term("<urn:x:ru>")})
    with pytest.raises(QueryError, match="not a SELECT"):
        for_endpoint("INSERT DATA { <urn:a> <urn:b> <urn:c> }", PREFIXES, {})
    with pytest.raises(QueryError, match="IRI or a literal"):
        for_endpoint("SELECT * { ?s ?p ?o }", PREFIXES, {"s": ox.BlankNode("b")})
