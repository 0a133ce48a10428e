"""Reading regressions: one YAML file of short passages per reading phenomenon (issue 3).

Each file holds passages written for the project with the facts a careful reader takes from
them, in the gold format of ``../shared/eval/gold`` (read by ``kg_builder.evaluation``). Per file:
relation precision and recall must stay at or above its ``floor`` (set to what the extractor
achieved when the floor was last raised: raise it when the reading improves, never lower it to
make a test pass), and no fact listed under a passage's ``absent:`` may be read. An absent fact
marked ``todo:`` is a known failure: its passage is an expected failure until the reading is fixed.
Every reading bug fixed gets a passage here.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kg_builder.evaluation import ENTITY_TYPES, Counts, EvaluationResult, evaluate

HERE = Path(__file__).resolve().parent
FILES = sorted(HERE.glob("*.yaml"))


def _doc(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _absent_cases():
    """(file stem, passage id, todo reasons) of every passage that lists absent facts."""
    for path in FILES:
        for passage in _doc(path)["passages"]:
            absent = passage.get("absent") or {}
            if absent:
                todo = [f["todo"] for facts in absent.values() for f in facts if f.get("todo")]
                marks = [pytest.mark.xfail(reason="; ".join(todo), strict=False)] if todo else []
                yield pytest.param(path.stem, str(passage["id"]), marks=marks, id=f"{path.stem}#{passage['id']}")


@pytest.fixture(scope="module")
def corpus(nlp, validator) -> EvaluationResult:
    """All passages of all phenomenon files, read once."""
    return evaluate(HERE, nlp=nlp, validator=validator)


def _of_file(result: EvaluationResult, stem: str):
    return [a for a in result.articles if a.name.split("#")[0] == stem]


def _report(articles) -> str:
    lines = []
    for a in articles:
        for m in a.missed:
            if m.kind not in ENTITY_TYPES:
                lines.append(f"  missed   {a.name} {m.kind}: {json.dumps(m.gold, ensure_ascii=False)}")
        for s in a.spurious:
            if s.kind not in ENTITY_TYPES:
                lines.append(f"  spurious {a.name} {s.kind}: {json.dumps(s.fact.shown, ensure_ascii=False)}")
    return "\n".join(lines)


def test_every_phenomenon_of_issue_3_has_a_file_of_passages():
    expected = {"titles_and_roles", "demonyms_and_capitals", "coreference", "mediation", "demands", "agreements",
                "negation_and_refusal", "modality", "conditions", "delegations", "headlines_and_bullets",
                "organisations_and_armed_groups"}
    assert expected <= {p.stem for p in FILES}
    for path in FILES:
        doc = _doc(path)
        assert doc["phenomenon"] == path.stem
        assert 4 <= len(doc["passages"]) <= 8, path.name
        assert {"precision", "recall"} <= set(doc["floor"]), path.name


@pytest.mark.parametrize("stem", [p.stem for p in FILES])
def test_relation_precision_and_recall_stay_above_the_floor(corpus, stem):
    doc = _doc(HERE / f"{stem}.yaml")
    articles = _of_file(corpus, stem)
    assert len(articles) == len(doc["passages"])
    assert not [e for a in articles for e in a.errors if "fails the shapes" not in e], "passages could not be read"
    rel = sum((a.relation for a in articles), Counts())
    floor = doc["floor"]
    assert rel.precision >= floor["precision"] and rel.recall >= floor["recall"], (
        f"{stem}: relation P {rel.precision:.2f} R {rel.recall:.2f} below the floor "
        f"P {floor['precision']} R {floor['recall']}\n{_report(articles)}")
    if "entity_floor" in doc:
        ent = sum((a.counts[k] for a in articles for k in ENTITY_TYPES), Counts())
        assert (ent.precision >= doc["entity_floor"]["precision"]
                and ent.recall >= doc["entity_floor"]["recall"]), (
            f"{stem}: persons/affiliations/roles P {ent.precision:.2f} R {ent.recall:.2f} below the entity floor")


@pytest.mark.parametrize(("stem", "passage"), list(_absent_cases()))
def test_absent_facts_are_not_read(corpus, stem, passage):
    [article] = [a for a in corpus.articles if a.name == f"{stem}#{passage}"]
    read = [f"{u.kind} {json.dumps(u.fact.shown, ensure_ascii=False)} matches absent {u.absent}"
            for u in article.present_absent]
    assert not read, "\n".join(read)
