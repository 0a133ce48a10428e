"""Files we write validate with the plain pyshacl command, and ``kg-builder validate`` checks any RDF.

The plain command is what a user of the RDF ecosystem runs on our exports:
``pyshacl -s ontology/shapes.ttl -e ontology/diplomacy.ttl FILE``, with or without ``-i rdfs``.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, SKOS
from typer.testing import CliRunner

from kg_builder.cli import app
from kg_builder.errors import ValidationError
from kg_builder.resources import ontology_file
from kg_builder.validate import validate_files

REPO = Path(__file__).resolve().parent.parent
PYSHACL = Path(sys.executable).with_name("pyshacl")
DEV_SET = REPO.parent / "shared" / "eval" / "articles"
WRITTEN = ("kg.ttl", "kg.trig", "kg.nq")


def plain_pyshacl(path: Path, inference: str) -> subprocess.CompletedProcess:
    assert PYSHACL.exists(), "the pyshacl command is not installed next to this Python"
    return subprocess.run([str(PYSHACL), "-i", inference, "-s", str(ontology_file("shapes.ttl")),
                           "-e", str(ontology_file("diplomacy.ttl")), str(path)],
                          capture_output=True, text=True, timeout=120)


def assert_plain_pyshacl_conforms(folder: Path) -> None:
    for name in WRITTEN:
        for inference in ("none", "rdfs"):
            done = plain_pyshacl(folder / name, inference)
            assert "Conforms: True" in done.stdout and done.returncode == 0, (
                f"pyshacl -i {inference} on {folder / name}:\n{done.stdout[:3000]}{done.stderr[-2000:]}")


def test_exports_conform_with_the_plain_pyshacl_command():
    assert_plain_pyshacl_conforms(REPO / "exports")


@pytest.mark.skipif(not DEV_SET.is_dir(), reason=f"the development set {DEV_SET} is not there")
def test_a_build_of_the_development_set_conforms_with_the_plain_pyshacl_command(tmp_path, nlp, validator):
    from kg_builder.pipeline import build

    result = build([DEV_SET], tmp_path, nlp=nlp, validator=validator)
    assert result.built and not result.quarantined
    assert_plain_pyshacl_conforms(tmp_path)
    assert validate_files([tmp_path / name for name in WRITTEN], validator=validator).conforms


def test_our_verdict_is_the_plain_pyshacl_verdict_on_a_broken_file(tmp_path, validator):
    text = (REPO / "exports" / "kg.ttl").read_text(encoding="utf-8")
    assert "dip:kind dipk:withdrawal" in text
    broken = tmp_path / "kg.ttl"
    broken.write_text(text.replace("dip:kind dipk:withdrawal", "dip:kind dipk:bogus", 1), encoding="utf-8")
    ours = validate_files([broken], validator=validator)
    assert not ours.conforms and ours.violations == 1
    (violation,) = ours.reports[0].violations
    assert violation.path == "dip:kind" and "dipk:scheme" in violation.message
    for inference in ("none", "rdfs"):
        theirs = plain_pyshacl(broken, inference)
        assert "Conforms: False" in theirs.stdout and "Results (1)" in theirs.stdout
        assert violation.focus in theirs.stdout


def test_the_kinds_the_shapes_accept_are_the_concepts_of_the_scheme():
    shapes = Graph().parse(ontology_file("shapes.ttl"))
    ontology = Graph().parse(ontology_file("diplomacy.ttl"))
    dipk = "https://w3id.org/dipkg/kind/"
    kind_shape = URIRef("https://w3id.org/dipkg/shapes#kind")
    listed = set(Collection(shapes, shapes.value(kind_shape, SH["in"])))
    scheme = {c for c in ontology.subjects(SKOS.inScheme, URIRef(dipk + "scheme"))
              if (c, RDF.type, SKOS.Concept) in ontology}
    assert listed == scheme and len(scheme) >= 16


def test_the_validator_adds_no_kind_concepts_to_the_data(validator):
    """What the build checks is what it writes: the ontology's class axioms are mixed in as
    pyshacl's ``-e`` does, but none of the SKOS concepts (the old shortcut that hid the bug)."""
    from kg_builder.validate.validator import _axioms_of

    axioms = Graph()
    for triple in _axioms_of(validator.ontology):
        axioms.add(triple)
    assert not set(axioms.subjects(RDF.type, SKOS.Concept))
    assert not set(axioms.subjects(SKOS.inScheme, None))


# -- kg-builder validate ----------------------------------------------------------------------
def run(*args: str):
    return CliRunner().invoke(app, ["validate", *args])


def test_cli_validates_files_folders_and_a_store(tmp_path, seed_build):
    from kg_builder.store import Store

    with Store(tmp_path / "store") as store:
        store.raw.load(path=str(REPO / "exports" / "kg.nq"))
    result = run(str(REPO / "exports" / "kg.ttl"), str(seed_build.out_dir), "--store", str(tmp_path / "store"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert f"{REPO / 'exports' / 'kg.ttl'}: conforms" in lines
    for name in WRITTEN:
        assert f"{seed_build.out_dir / name}: conforms" in lines
    assert f"{tmp_path / 'store'}: conforms" in lines
    assert "no store here" in run("--store", str(tmp_path / "nothing")).stderr


def test_cli_prints_focus_path_and_message_and_exits_1(tmp_path):
    text = (REPO / "exports" / "kg.ttl").read_text(encoding="utf-8")
    broken = tmp_path / "broken.ttl"
    broken.write_text(text.replace("dip:kind dipk:withdrawal", "dip:kind dipk:bogus", 1)
                      .replace('dip:charEnd 941 ;', 'dip:charEnd "nine" ;'), encoding="utf-8")
    result = run(str(broken))
    assert result.exit_code == 1
    assert f"{broken}: 3 violation(s)" in result.stdout or f"{broken}: 2 violation(s)" in result.stdout
    rows = [line.strip().split("\t") for line in result.stdout.splitlines() if line.startswith("  ")]
    assert ["https://w3id.org/dipkg/id/demand/7023218851452050", "dip:kind"] in [r[:2] for r in rows]
    assert any(r[1] == "dip:charEnd" and "xsd:integer" in r[2] for r in rows), rows


def test_cli_names_unparseable_and_missing_files_and_checks_the_rest(tmp_path):
    bad = tmp_path / "bad.trig"
    bad.write_text("<urn:g> { <urn:a> <urn:b> . }\n", encoding="utf-8")
    missing = tmp_path / "missing.nq"
    good = REPO / "exports" / "kg.nq"
    result = run(str(bad), str(missing), str(good))
    assert result.exit_code == 1
    assert f"{bad}: does not parse as TriG" in result.stderr and "line 1" in result.stderr
    assert f"{missing}: no such file or folder" in result.stderr
    assert f"{good}: conforms" in result.stdout


def test_jsonld_with_a_remote_context_is_refused_not_fetched(tmp_path):
    doc = tmp_path / "remote.jsonld"
    doc.write_text('{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "urn:x:a", "name": "x"}', encoding="utf-8")
    report = validate_files([doc])
    assert not report.conforms and str(doc) in str(report.errors[0])


def test_jsonld_export_validates(tmp_path):
    from kg_builder.store import Store, export

    with Store() as store:
        store.raw.load(path=str(REPO / "exports" / "kg.nq"))
        out = export(store, tmp_path / "kg.jsonld", "jsonld").path
    report = validate_files([out])
    assert report.conforms and not report.errors and report.reports[0].graph_iri == str(out)


def test_control_characters_in_names_are_escaped_in_the_listing(tmp_path):
    hostile = tmp_path / "evil\x1b[2J\u202e.nt"
    hostile.write_text('<urn:x:a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
                       '<https://w3id.org/dipkg/ontology#Demand> .\n', encoding="utf-8")
    result = run(str(hostile))
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "evil\\x1b[2J\\u202e.nt: " in result.stdout and "urn:x:a\t" in result.stdout


def test_nothing_to_validate_is_an_error():
    with pytest.raises(ValidationError, match="nothing to validate"):
        validate_files([])
    assert run().exit_code == 1
