"""`build`: articles in, files (and a store) out, with the real model, shapes and files on disk."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from typer.testing import CliRunner

from kg_builder import pipeline
from kg_builder.cli import app
from kg_builder.errors import ValidationError
from kg_builder.pipeline import NQUADS, QUARANTINE, REPORT, TRIG, TURTLE, build
from kg_builder.resources import ontology_file
from kg_builder.sources import read_articles
from kg_builder.store import Store
from kg_builder.validate import Validator

DIP = Namespace("https://w3id.org/dipkg/ontology#")
KG_FILES = (TRIG, NQUADS, TURTLE)

#: Added to the project's shapes to make every article with a demand fail validation.
NO_DEMAND_PASSES = """
@prefix dip: <https://w3id.org/dipkg/ontology#> .
@prefix sh:  <http://www.w3.org/ns/shacl#> .
<urn:test:NoDemandPasses> a sh:NodeShape ;
    sh:targetClass dip:Demand ;
    sh:property [ sh:path <urn:test:neverSet> ; sh:minCount 1 ;
                  sh:message "test shape: no Demand passes" ] .
"""


def _cli(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def _named_graphs(ds: Dataset) -> set[URIRef]:
    return {c for *_, c in ds.quads((None, None, None, None))}


def _dataset(path, fmt: str) -> Dataset:
    ds = Dataset()
    ds.parse(path, format=fmt)
    return ds


@pytest.fixture(scope="module")
def seed_text(seed_article_path) -> str:
    [article] = list(read_articles(seed_article_path))
    return article.text


@pytest.fixture(scope="module")
def failing_validator() -> Validator:
    """The project's real shapes and ontology plus one shape every Demand fails."""
    shapes = Graph().parse(ontology_file("shapes.ttl"), format="turtle")
    shapes.parse(data=NO_DEMAND_PASSES, format="turtle")
    return Validator(shapes, Graph().parse(ontology_file("diplomacy.ttl"), format="turtle"))


# -- the files of one build ----------------------------------------------------------------------

def test_seed_build_writes_all_files_and_they_parse(seed_build):
    out = seed_build.out_dir
    assert seed_build.ok and len(seed_build.built) == 1
    assert sorted(p.name for p in seed_build.files) == sorted([*KG_FILES, REPORT])
    trig, nq = _dataset(out / TRIG, "trig"), _dataset(out / NQUADS, "nquads")
    ttl = Graph().parse(out / TURTLE, format="turtle")
    assert len(_named_graphs(trig)) == 1, "one named graph per article"
    assert set(trig.quads((None, None, None, None))) == set(nq.quads((None, None, None, None)))
    assert set(ttl) == {(s, p, o) for s, p, o, _ in trig.quads((None, None, None, None))}
    assert (None, DIP.mediatedBy, None) in ttl and (None, DIP.demandedBy, None) in ttl

    report = json.loads((out / REPORT).read_text(encoding="utf-8"))
    assert report["conforms"] is True and report["errors"] == [] and report["quarantined"] == {}
    [entry] = report["articles"]
    assert entry["conforms"] and URIRef(entry["graph"]) in _named_graphs(trig)


def test_every_evidence_quote_is_the_article_text_at_its_offsets(seed_build, seed_text):
    ds = _dataset(seed_build.out_dir / TRIG, "trig")
    [graph_iri] = _named_graphs(ds)
    graph = ds.graph(graph_iri)
    assert graph.value(graph_iri, DIP.text) == Literal(seed_text)
    evidence = list(graph.subjects(DIP.quote, None))
    assert len(evidence) >= 5
    for ev in evidence:
        start, end = int(graph.value(ev, DIP.charStart)), int(graph.value(ev, DIP.charEnd))
        assert str(graph.value(ev, DIP.quote)) == seed_text[start:end], ev
        assert graph.value(ev, DIP.inArticle) == graph_iri
    for cls in (DIP.Demand, DIP.Condition, DIP.Negotiation):
        facts = list(graph.subjects(None, cls))
        assert facts, f"the seed article has a {cls}"
        assert all(graph.value(f, DIP.evidence) in evidence for f in facts)


def test_building_twice_gives_the_same_bytes_whatever_the_hash_seed(seed_build, seed_article_path, tmp_path):
    """Two fresh processes with different string hashing, and the session's own build."""
    for seed in ("1", "2"):
        subprocess.run([sys.executable, "-c", "from kg_builder.cli import main; main()", "build",
                        str(seed_article_path), "-o", str(tmp_path / seed)],
                       env={**os.environ, "PYTHONHASHSEED": seed}, check=True, capture_output=True)
    for name in KG_FILES:
        expected = (seed_build.out_dir / name).read_bytes()
        assert (tmp_path / "1" / name).read_bytes() == expected, name
        assert (tmp_path / "2" / name).read_bytes() == expected, name


def test_exports_folder_is_the_build_of_examples(repo_root, nlp, validator, tmp_path):
    build([repo_root / "examples"], tmp_path, nlp=nlp, validator=validator)
    for name in KG_FILES:
        committed = repo_root / "exports" / name
        assert committed.exists() and committed.read_bytes() == (tmp_path / name).read_bytes(), (
            f"exports/{name} is stale: run `python3 dev.py build` (the README's first command)")


def test_readme_turtle_excerpt_is_in_exports(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    excerpt = readme.split("```turtle\n", 1)[1].split("```", 1)[0]
    shown = Graph().parse(data=excerpt, format="turtle")
    exported = Graph().parse(repo_root / "exports" / TURTLE, format="turtle")
    assert len(shown) >= 20
    assert set(shown) - set(exported) == set(), (
        "the README's Turtle excerpt is not in exports/kg.ttl any more: copy the same subjects again")


# -- bad input ----------------------------------------------------------------------------------

def test_bad_inputs_are_named_and_skipped_and_the_good_one_is_built(seed_article_path, nlp, validator, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed_article_path, folder / "good.txt")
    (folder / "empty.txt").write_text("")
    (folder / "broken.jsonl").write_text('{"text": "Talks in Doha", \n')

    result = build([folder], tmp_path / "out", nlp=nlp, validator=validator)
    assert result.built == [str(folder / "good.txt")]
    assert not result.ok
    messages = sorted(str(e) for e in result.errors)
    assert len(messages) == 2
    assert messages[0].startswith(f"{folder / 'broken.jsonl'}:1: ")
    assert messages[1].startswith(f"{folder / 'empty.txt'}: ")
    report = json.loads((tmp_path / "out" / REPORT).read_text(encoding="utf-8"))
    assert sorted(report["errors"]) == messages

    cli = _cli("build", folder, "-o", tmp_path / "cli")
    assert cli.exit_code == 1, cli.output
    assert "broken.jsonl:1" in cli.stderr and "empty.txt" in cli.stderr and "Traceback" not in cli.output
    for name in KG_FILES:  # the good article is still written
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "out" / name).read_bytes()


def test_nothing_readable_leaves_the_output_folder_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / TRIG).write_text("previous build\n")
    cli = _cli("build", tmp_path / "typo", "-o", out)
    assert cli.exit_code == 1 and "Traceback" not in cli.output and "typo" in cli.stderr
    assert (out / TRIG).read_text() == "previous build\n"
    assert sorted(p.name for p in out.iterdir()) == [TRIG]


# -- quarantine ---------------------------------------------------------------------------------

def test_graph_failing_the_shapes_is_quarantined_not_written(seed_article_path, nlp, failing_validator, tmp_path):
    result = build([seed_article_path], tmp_path, nlp=nlp, validator=failing_validator, store=tmp_path / "store")
    source = str(seed_article_path)
    assert result.built == [] and list(result.quarantined) == [source]
    assert _named_graphs(_dataset(tmp_path / TRIG, "trig")) == set()
    assert len(Graph().parse(tmp_path / TURTLE, format="turtle")) == 0

    quarantined = result.quarantined[source]
    assert quarantined.parent == tmp_path / QUARANTINE
    [graph_iri] = _named_graphs(_dataset(quarantined, "trig"))
    report = json.loads((tmp_path / REPORT).read_text(encoding="utf-8"))
    assert report["conforms"] is False
    assert report["quarantined"] == {source: f"{QUARANTINE}/{quarantined.name}"}
    [entry] = report["articles"]
    assert entry["graph"] == str(graph_iri)
    assert {v["message"] for v in entry["violations"]} == {"test shape: no Demand passes"}
    with Store(tmp_path / "store", read_only=True) as store:
        assert store.graphs() == []


def test_strict_raises_after_writing(seed_article_path, nlp, failing_validator, tmp_path):
    with pytest.raises(ValidationError, match="istanbul_talks_2025.txt.*test shape: no Demand passes"):
        build([seed_article_path], tmp_path, strict=True, nlp=nlp, validator=failing_validator)
    assert (tmp_path / REPORT).exists() and list((tmp_path / QUARANTINE).glob("*.trig"))


def test_cli_strict_exits_non_zero(seed_article_path, failing_validator, tmp_path, monkeypatch):
    """The CLI has no option for other shapes: hand the build the stricter (real) validator."""
    monkeypatch.setattr(pipeline, "load_validator", lambda: failing_validator)
    lenient = _cli("build", seed_article_path, "-o", tmp_path / "lenient")
    assert lenient.exit_code == 0 and "quarantined" in lenient.stderr, lenient.output
    strict = _cli("build", seed_article_path, "-o", tmp_path / "strict", "--strict")
    assert strict.exit_code == 1 and "Traceback" not in strict.output
    assert "error:" in strict.stderr and "--strict" in strict.stderr


def test_a_new_build_clears_old_quarantine_files(seed_article_path, nlp, validator, failing_validator, tmp_path):
    build([seed_article_path], tmp_path, nlp=nlp, validator=failing_validator)
    assert list((tmp_path / QUARANTINE).glob("*.trig"))
    result = build([seed_article_path], tmp_path, nlp=nlp, validator=validator)
    assert result.ok and not list((tmp_path / QUARANTINE).glob("*.trig"))


# -- duplicates and the store -------------------------------------------------------------------

def test_the_same_article_given_twice_is_built_once(seed_article_path, seed_build, nlp, validator, tmp_path):
    copy = tmp_path / "copy.txt"
    shutil.copy(seed_article_path, copy)
    result = build([seed_article_path, seed_article_path, copy], tmp_path / "out", nlp=nlp, validator=validator)
    assert result.built == [str(seed_article_path)] and result.ok
    assert (tmp_path / "out" / TRIG).read_bytes() == (seed_build.out_dir / TRIG).read_bytes()


def test_store_gets_one_named_graph_per_article(seed_article_path, seed_build, nlp, validator, tmp_path):
    second = tmp_path / "second.txt"
    second.write_text("Qatar mediates new talks\n\nQatar mediated talks between Israel and Hamas in Doha, "
                      "officials said. Hamas demanded a full ceasefire.\n", encoding="utf-8")
    store_path = tmp_path / "store"
    for _ in range(2):  # building again replaces the graphs, it does not add to them
        result = build([seed_article_path, second], tmp_path / "out", store=store_path, nlp=nlp, validator=validator)
        assert result.ok and len(result.built) == 2
        with Store(store_path, read_only=True) as store:
            graphs = store.graphs()
            quads = len(store)
    expected = _dataset(tmp_path / "out" / TRIG, "trig")
    assert graphs == sorted(str(g) for g in _named_graphs(expected)) and len(graphs) == 2
    assert quads == len(list(expected.quads((None, None, None, None))))

    cli_store = tmp_path / "cli-store"
    cli = _cli("build", seed_article_path, "-o", tmp_path / "cli", "--store", cli_store)
    assert cli.exit_code == 0, cli.output
    with Store(cli_store, read_only=True) as store:
        assert store.graphs() == [str(g) for g in _named_graphs(_dataset(seed_build.out_dir / TRIG, "trig"))]
