"""The embedded store: idempotent, atomic per-article ingest; shared entities; export formats."""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg_builder.errors import StoreError
from kg_builder.store import Store, export

DATA = Path(__file__).parent / "data" / "store"
FIXTURES = sorted(DATA.glob("*.trig"))
RES = "https://w3id.org/dipkg/id/"
DIP = "https://w3id.org/dipkg/ontology#"


def graph_iri(path: Path) -> str:
    return re.search(r"^<(\S+)> \{", path.read_text(encoding="utf-8"), re.MULTILINE).group(1)


def fixture_graph(path: Path) -> rdflib.Graph:
    """The fixture as rdflib.Graph with identifier = article IRI, the shape ``article_graph`` returns."""
    ds = rdflib.Dataset()
    ds.parse(path, format="trig")
    iri = rdflib.URIRef(graph_iri(path))
    graph = rdflib.Graph(identifier=iri)
    for triple in ds.graph(iri):
        graph.add(triple)
    return graph


def quad_set(store: Store) -> set[str]:
    return {str(q) for q in store.quads()}


@pytest.fixture
def loaded(tmp_path):
    with Store(tmp_path / "store") as store:
        for path in FIXTURES:
            store.replace_graph(graph_iri(path), fixture_graph(path))
        yield store


def test_fixtures_exist_and_hold_one_graph_each():
    assert len(FIXTURES) == 3
    for path in FIXTURES:
        ds = rdflib.Dataset()
        ds.parse(path, format="trig")
        named = [g.identifier for g in ds.graphs() if len(g)]
        assert named == [rdflib.URIRef(graph_iri(path))]


def test_ingest_twice_leaves_quad_count_and_quads_unchanged(loaded):
    count, quads, graphs = len(loaded), quad_set(loaded), loaded.graphs()
    assert count > 200 and len(graphs) == 3
    for path in FIXTURES:  # the same articles again, once as rdflib graphs, once as TriG text
        loaded.replace_graph(graph_iri(path), fixture_graph(path))
        loaded.replace_graph(graph_iri(path), path.read_text(encoding="utf-8"))
    assert len(loaded) == count
    assert quad_set(loaded) == quads
    assert loaded.graphs() == graphs


def test_changed_article_replaces_its_graph_only(loaded):
    path = FIXTURES[1]  # istanbul_talks
    iri = graph_iri(path)
    others = {q for q in quad_set(loaded) if not q.endswith(f"<{iri}>")}
    graph = fixture_graph(path)
    demand = next(graph.subjects(rdflib.RDF.type, rdflib.URIRef(DIP + "Demand")))
    removed = len(list(graph.triples((demand, None, None))))
    graph.remove((demand, None, None))
    graph.add((rdflib.URIRef(RES + "country/TR"), rdflib.RDFS.label, rdflib.Literal("Türkiye")))
    before = len(loaded)
    loaded.replace_graph(iri, graph)
    assert len(loaded) == before - removed + 1
    assert not list(loaded.raw.quads_for_pattern(ox.NamedNode(str(demand)), None, None, None))
    assert {q for q in quad_set(loaded) if not q.endswith(f"<{iri}>")} == others


def test_invalid_text_leaves_the_old_graph(loaded):
    iri = graph_iri(FIXTURES[0])
    before = quad_set(loaded)
    broken = FIXTURES[0].read_text(encoding="utf-8").replace("dip:quote", "dip:quote {", 1)
    with pytest.raises(StoreError, match=re.escape(iri)):
        loaded.replace_graph(iri, broken)
    assert quad_set(loaded) == before


def test_invalid_term_in_rdflib_graph_leaves_the_old_graph(loaded):
    iri = graph_iri(FIXTURES[0])
    before = quad_set(loaded)
    graph = fixture_graph(FIXTURES[0])
    graph.add((rdflib.URIRef(RES + "person/x"), rdflib.RDFS.label, rdflib.Literal("x")))
    graph.add((rdflib.URIRef("https://w3id.org/dipkg/id/person/bad iri"), rdflib.RDFS.label, rdflib.Literal("y")))
    with pytest.raises(StoreError, match="bad iri"):
        loaded.replace_graph(iri, graph)
    assert quad_set(loaded) == before


def test_data_for_another_graph_is_refused(loaded):
    before = quad_set(loaded)
    other = f"<{RES}x> <{RES}p> \"v\" <{RES}article/other> .\n"
    with pytest.raises(StoreError, match="another graph"):
        loaded.replace_graph(graph_iri(FIXTURES[0]), other)
    assert quad_set(loaded) == before


def test_interrupted_writer_leaves_whole_articles(tmp_path):
    """A process killed after writing leaves each article whole: reopen and compare."""
    import subprocess
    import sys

    location = tmp_path / "store"
    script = (
        "import sys, re, pathlib, os\n"
        "from kg_builder.store import Store\n"
        "s = Store(sys.argv[1])\n"
        "for p in sys.argv[2:]:\n"
        "    t = pathlib.Path(p).read_text()\n"
        "    s.replace_graph(re.search(r'^<(\\S+)> \\{', t, re.M).group(1), t)\n"
        "os._exit(9)\n"  # no close, no flush: as if killed
    )
    done = subprocess.run([sys.executable, "-c", script, str(location), *map(str, FIXTURES)])
    assert done.returncode == 9
    with Store(location, read_only=True) as store:
        for path in FIXTURES:
            expected = {str(q.triple) for q in ox.parse(path=path)}
            assert {str(q.triple) for q in store.quads(graph_iri(path))} == expected


def test_shared_entities_keep_one_iri_and_label(loaded):
    rows = list(loaded.query(
        "SELECT ?g WHERE { GRAPH ?g { res:person\\/vladimir-medinsky rdfs:label 'Vladimir Medinsky' } }"))
    assert len(rows) == 2  # described in two article graphs, same IRI, same label
    assert loaded.label_conflicts() == {}
    graph = fixture_graph(FIXTURES[0])
    graph.add((rdflib.URIRef(RES + "country/RU"), rdflib.RDFS.label, rdflib.Literal("Russian Federation")))
    loaded.replace_graph(graph_iri(FIXTURES[0]), graph)
    assert loaded.label_conflicts() == {RES + "country/RU": ["Russia", "Russian Federation"]}


def test_read_only_store_refuses_writes_and_missing_store_is_an_error(loaded, tmp_path):
    with pytest.raises(StoreError, match="no store here"):
        Store(tmp_path / "nothing", read_only=True)
    reader = Store(loaded.path, read_only=True)
    try:
        assert len(reader) == len(loaded)
        with pytest.raises(StoreError, match="read-only"):
            reader.replace_graph(graph_iri(FIXTURES[0]), "")
    finally:
        reader.close()


def test_second_writer_on_same_path_is_a_store_error(loaded):
    with pytest.raises(StoreError, match=re.escape(str(loaded.path))):
        Store(loaded.path)


# -- export ----------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt, rdflib_format, keeps_graphs", [
    ("trig", "trig", True), ("nq", "nquads", True), ("nt", "nt", False), ("ttl", "turtle", False),
    ("jsonld", "json-ld", True),
])
def test_export_parses_back_with_rdflib(loaded, tmp_path, fmt, rdflib_format, keeps_graphs):
    quads = quad_set(loaded)
    union = {str(q.triple) for q in loaded.quads()}
    loaded.close()  # export opens the store itself, read-only, from its path
    summary = export(tmp_path / "store", tmp_path / f"out.{fmt}", fmt)
    assert summary.path.exists() and summary.graphs == 3 and summary.quads == len(quads)
    ds = rdflib.Dataset()
    ds.parse(summary.path, format=rdflib_format)
    if keeps_graphs:
        assert sum(len(g) for g in ds.graphs()) == len(quads)
        assert {str(g.identifier) for g in ds.graphs() if len(g)} == {graph_iri(p) for p in FIXTURES}
    else:
        assert sum(len(g) for g in ds.graphs()) == len(ds.default_graph) == len(union) < len(quads)  # shared actors' triples counted once


def test_jsonld_export_is_compacted_with_the_shipped_context(loaded, tmp_path):
    import json

    loaded.close()
    export(tmp_path / "store", tmp_path / "kg.jsonld", "jsonld")
    from kg_builder.resources import ontology_file

    shipped = json.loads(ontology_file("context.jsonld").read_text(encoding="utf-8"))["@context"]
    doc = json.loads((tmp_path / "kg.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == shipped
    text = json.dumps(doc["@graph"])
    assert "http://www.w3.org/2000/01/rdf-schema#label" not in text  # compacted by the context
    assert text.count('"label"') > 10


def test_unknown_export_format_is_an_error(loaded, tmp_path):
    with pytest.raises(StoreError, match="unknown export format"):
        export(loaded, tmp_path / "x.xml", "rdfxml")


def test_cli_export_writes_the_file(loaded, tmp_path):
    from typer.testing import CliRunner

    from kg_builder.cli import app

    loaded.close()
    result = CliRunner().invoke(app, ["export", str(tmp_path / "kg.nq"), "--format", "nq",
                                      "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "264 quads from 3 graphs" in result.output
    assert len(list(ox.parse(path=tmp_path / "kg.nq"))) == 264


def by_value(quads) -> set[tuple]:
    """Quads with decimal literals compared by value rather than by lexical form."""
    from decimal import Decimal

    def term(t):
        if isinstance(t, ox.Literal) and t.datatype.value.endswith("#decimal"):
            return ("decimal", Decimal(t.value).normalize())
        return str(t)

    return {(term(q.subject), term(q.predicate), term(q.object), term(q.graph_name)) for q in quads}


# -- the real pipeline into the store -----------------------------------------------------------
def test_building_the_examples_twice_leaves_the_store_unchanged(tmp_path, repo_root, nlp, validator, seed_build):
    """Issue 4: `kg-builder build examples --store` run twice gives the same quads, not twice as many."""
    from kg_builder.pipeline import build

    location = tmp_path / "store"
    first = build([repo_root / "examples"], tmp_path / "one", store=location, nlp=nlp, validator=validator)
    assert first.ok and first.built
    with Store(location, read_only=True) as store:
        count, quads, graphs = len(store), quad_set(store), store.graphs()
    assert count > 100 and len(graphs) == len(first.built)
    second = build([repo_root / "examples"], tmp_path / "two", store=location, nlp=nlp, validator=validator)
    assert second.built == first.built
    with Store(location, read_only=True) as store:
        assert len(store) == count
        assert quad_set(store) == quads
        assert store.graphs() == graphs
        # the store holds what the files of the build hold (kg.nq), quad for quad (by value: the
        # store writes xsd:decimal 0.85 where kg.nq has 0.8500)
        assert by_value(store.quads()) == by_value(ox.parse(path=tmp_path / "two" / "kg.nq"))
    # and the seed article built elsewhere in the session is the same graph
    seed_graph = str(seed_build.graphs[0].identifier)
    assert seed_graph in graphs
