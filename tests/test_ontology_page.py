"""docs/ontology.html (pyLODE) and docs/kinds.md, made from ontology/diplomacy.ttl, and fresh."""
from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "docs" / "make_ontology_page.py"
PAGES = [REPO / "docs" / "ontology.html", REPO / "docs" / "kinds.md"]
STALE = "stale: run `python docs/make_ontology_page.py` (or `python3 dev.py docs`) and commit docs/*.html"


def _script():
    spec = importlib.util.spec_from_file_location("make_ontology_page", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pages_are_stamped_with_todays_ontology():
    stamp = _script().stamp()
    for page in PAGES:
        assert page.read_text(encoding="utf-8").startswith(stamp), f"{page.name} is {STALE}"


def test_every_term_has_its_entry():
    ontology = Graph().parse(REPO / "ontology" / "diplomacy.ttl")
    dip = "https://w3id.org/dipkg/ontology#"
    terms = {str(s)[len(dip):] for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
             for s in ontology.subjects(RDF.type, kind) if isinstance(s, URIRef) and str(s).startswith(dip)}
    page = PAGES[0].read_text(encoding="utf-8")
    anchors = {a.lower() for a in re.findall(r'id="([^"]+)"', page)}  # pyLODE lower-cases some ids
    assert terms and not {t for t in terms if t.lower() not in anchors}
    kinds_page = PAGES[1].read_text(encoding="utf-8")
    for concept in ontology.subjects(RDF.type, SKOS.Concept):
        local = str(concept).rsplit("/", 1)[1]
        assert f"| `dipk:{local}` | {ontology.value(concept, SKOS.prefLabel)} |" in kinds_page, concept


@pytest.mark.skipif(importlib.util.find_spec("pylode") is None,
                    reason="pyLODE is not installed (pip install 'pylode>=3.3,<3.4', in the test extra)")
def test_regenerated_pages_have_the_same_lines(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    html, markdown = PAGES
    assert (tmp_path / markdown.name).read_text(encoding="utf-8") == markdown.read_text(encoding="utf-8"), \
        f"{markdown.name} is {STALE}"
    fresh = (tmp_path / html.name).read_text(encoding="utf-8")
    # pyLODE orders the members of an owl:unionOf by memory address: lines compared as a multiset
    assert sorted(fresh.splitlines()) == sorted(html.read_text(encoding="utf-8").splitlines()), \
        f"{html.name} is {STALE}"
