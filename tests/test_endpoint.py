"""``query --endpoint``: the shipped queries over the SPARQL 1.1 Protocol on real servers.

The seed build (and the three hand-written fixture articles) is pushed to a live `oxigraph serve`
and a live Virtuoso 7, then every shipped query is run there through ``endpoint=`` and must give
the same rows as on the local store. What is normalised before comparing, and why (also in
docs/triple-stores.md):

- row order: SPARQL fixes it only where the query says ORDER BY, and ties may come in any order;
- GROUP_CONCAT: the order of the concatenated values is unspecified (we split on ", " and sort);
- numeric literals: compared by value (Virtuoso types COUNT as xsd:int, Oxigraph as xsd:integer);
- GROUP_CONCAT over a group where the variable is never bound: Oxigraph leaves the result unbound,
  Virtuoso gives "" (an empty literal counts as unbound here).
Virtuoso 7 answers ASK with a one-row table (``__ASK_RETVAL`` = 1 or 0): ``query`` itself reads
that as the boolean, so ASK output is the same everywhere.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from _servers import serve_oxigraph
from kg_builder.cli import app
from kg_builder.errors import QueryError
from kg_builder.store import Store, list_queries, push, query

DATA = Path(__file__).parent / "data" / "store"
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "int", "long", "short", "decimal", "double", "float",
                             "nonNegativeInteger", "positiveInteger")}


@pytest.fixture(scope="module", params=["seed", "fixtures"])
def local_store(request, tmp_path_factory, repo_root):
    """The seed build (exports/kg.nq) or the three fixture articles, in a store on disk."""
    path = tmp_path_factory.mktemp(request.param) / "store"
    with Store(path) as store:
        if request.param == "seed":
            store.raw.load(path=str(repo_root / "exports" / "kg.nq"))
        else:
            for trig in sorted(DATA.glob("*.trig")):
                text = trig.read_text(encoding="utf-8")
                store.replace_graph(re.search(r"^<(\S+)> \{", text, re.MULTILINE).group(1), text)
    return path


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    yield from serve_oxigraph(tmp_path_factory.mktemp("oxigraph") / "db")


@pytest.fixture
def oxigraph(oxigraph_server):
    """The module's `oxigraph serve`, emptied for each test."""
    httpx.post(oxigraph_server + "/update", data={"update": "DROP ALL"}, timeout=30).raise_for_status()
    return oxigraph_server


def value(binding: dict) -> tuple:
    if binding["type"] != "literal":
        return (binding["type"], binding["value"])
    text = binding["value"]
    if binding.get("datatype") in NUMERIC:
        try:
            return ("number", Decimal(text).normalize())
        except InvalidOperation:
            pass
    if ", " in text:
        text = ", ".join(sorted(text.split(", ")))
    return ("literal", text)


def rows(doc: str) -> list[tuple]:
    parsed = json.loads(doc)
    if "boolean" in parsed:
        return [("boolean", parsed["boolean"])]
    return sorted(tuple(sorted((k, value(b)) for k, b in row.items() if not (b["type"] == "literal" and b["value"] == "")))
                  for row in parsed["results"]["bindings"])


def cases(store_path: Path) -> list[tuple[str, dict[str, str]]]:
    """Every shipped query, with parameters where it takes them."""
    fact = json.loads(query(store_path, "evidence", fmt="json"))["results"]["bindings"][0]["fact"]["value"]
    found = []
    for name, _ in list_queries():
        if name == "actor":
            found += [(name, {"actor": "Russia"}), (name, {"actor": "res:country/UA"})]
        elif name == "evidence":
            found += [(name, {}), (name, {"fact": fact})]
        else:
            found.append((name, {}))
    return found


def assert_same_rows(store_path: Path, endpoint: str, **kw) -> int:
    compared = 0
    for name, params in cases(store_path):
        here = rows(query(store_path, name, params=params, fmt="json"))
        there = rows(query(None, name, params=params, fmt="json", endpoint=endpoint, **kw))
        assert there == here, f"{name} {params}: the endpoint's rows differ from the store's"
        assert here, f"{name} {params}: no rows at all, the comparison would prove nothing"
        compared += len(here)
    return compared


@pytest.mark.server
def test_every_shipped_query_gives_the_same_rows_on_oxigraph(local_store, oxigraph, monkeypatch):
    monkeypatch.delenv("KG_PUSH_USER", raising=False)
    monkeypatch.delenv("KG_PUSH_TOKEN", raising=False)
    assert push(local_store, oxigraph + "/store").ok
    assert assert_same_rows(local_store, oxigraph + "/query") > 20


@pytest.mark.server
def test_every_shipped_query_gives_the_same_rows_on_virtuoso(local_store, virtuoso, monkeypatch):
    monkeypatch.setenv("KG_PUSH_USER", virtuoso.user)
    monkeypatch.setenv("KG_PUSH_PASSWORD", virtuoso.password)
    monkeypatch.delenv("KG_PUSH_TOKEN", raising=False)
    assert push(local_store, virtuoso.graph_store).ok
    assert assert_same_rows(local_store, virtuoso.sparql) > 20
    for ask in ("ASK { GRAPH ?g { ?s a dip:Demand } }", "ASK { GRAPH ?g { ?s a dip:Nothing } }"):
        here = query(local_store, ask, fmt="json")
        assert query(None, ask, fmt="json", endpoint=virtuoso.sparql) == here  # not Virtuoso's __ASK_RETVAL table
    construct = "CONSTRUCT { ?t a dip:Negotiation ; rdfs:label ?l } WHERE { GRAPH ?g { ?t a dip:Negotiation ; rdfs:label ?l } }"
    here = query(local_store, construct, fmt="nt")
    there = query(None, construct, fmt="nt", endpoint=virtuoso.sparql)
    assert here and sorted(there.splitlines()) == sorted(here.splitlines())


@pytest.mark.server
def test_cli_query_endpoint_prints_the_same_formats(local_store, oxigraph, monkeypatch):
    monkeypatch.delenv("KG_PUSH_USER", raising=False)
    monkeypatch.delenv("KG_PUSH_TOKEN", raising=False)
    push(local_store, oxigraph + "/store")
    runner = CliRunner()
    for fmt in ("csv", "tsv", "table"):
        here = runner.invoke(app, ["query", "timeline", "--format", fmt, "--store", str(local_store)])
        there = runner.invoke(app, ["query", "timeline", "--format", fmt, "--endpoint", oxigraph + "/query"])
        assert here.exit_code == 0 and there.exit_code == 0, there.output
        assert sorted(there.stdout.splitlines()) == sorted(here.stdout.splitlines()), fmt
    ask = runner.invoke(app, ["query", "ASK { GRAPH ?g { ?s a dip:Negotiation } }", "--endpoint", oxigraph + "/query"])
    assert ask.exit_code == 0 and ask.stdout == "true\n"
    construct = "CONSTRUCT { ?t a dip:Negotiation } WHERE { GRAPH ?g { ?t a dip:Negotiation } }"
    here = runner.invoke(app, ["query", construct, "--format", "nt", "--store", str(local_store)])
    there = runner.invoke(app, ["query", construct, "--format", "nt", "--endpoint", oxigraph + "/query"])
    assert there.exit_code == 0 and sorted(there.stdout.splitlines()) == sorted(here.stdout.splitlines())


@pytest.mark.server
def test_hostile_parameter_stays_a_literal_on_the_endpoint(local_store, oxigraph):
    push(local_store, oxigraph + "/store")
    hostile = '"} } DROP ALL ; SELECT * { {'
    got = json.loads(query(None, "actor", params={"actor": hostile}, fmt="json", endpoint=oxigraph + "/query"))
    assert got["results"]["bindings"] == []
    assert rows(query(None, "demands", fmt="json", endpoint=oxigraph + "/query"))  # nothing was dropped


@pytest.mark.server
def test_endpoint_errors_name_the_endpoint_and_hide_secrets(oxigraph):
    url = oxigraph.replace("http://", "http://ann:hunter2pw@") + "/query?token=tok-Zq9"
    with pytest.raises(QueryError) as bad:
        query(None, "SELECT * WHERE { ?s ?p }", endpoint=url)
    message = str(bad.value)
    assert "400" in message and "ann:***@" in message and "token=***" in message
    assert "hunter2pw" not in message and "tok-Zq9" not in message
    with pytest.raises(QueryError, match="cannot reach the server"):
        query(None, "demands", endpoint="http://127.0.0.1:9/query", timeout=5)
    with pytest.raises(QueryError, match="not an http"):
        query(None, "demands", endpoint="ftp://example.org/sparql")


@pytest.mark.server
def test_a_large_result_streams_from_the_endpoint(tmp_path, oxigraph):
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    path = tmp_path / "store"
    with Store(path) as store:
        store.replace_graph("urn:test:big", "".join(f'<urn:test:s{i:05d}> <{label}> "label {i}" .\n'
                                                    for i in range(5000)), format="nt")
    assert push(path, oxigraph + "/store").ok
    sparql = f"SELECT ?s ?l WHERE {{ GRAPH ?g {{ ?s <{label}> ?l }} }} ORDER BY ?s"
    for fmt in ("csv", "json", "table"):
        here = query(path, sparql, fmt=fmt)
        there = query(None, sparql, fmt=fmt, endpoint=oxigraph + "/query")
        assert there == here, fmt
    assert len(here.splitlines()) == 5001  # a plain table: header and every row
