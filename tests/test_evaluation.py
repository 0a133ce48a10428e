"""``evaluate`` and ``kg-builder evaluate``: the same figures as ../shared/eval/score.py, and
what was read wrongly, with the sentence it was read from."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kg_builder.cli import app
from kg_builder.errors import SourceError
from kg_builder.evaluation import KINDS, evaluate, read_facts, score_graph
from kg_builder.model import Actor, Agreement, Article, ArticleFacts, Delegation, Demand, Evidence
from kg_builder.rdf import article_graph

SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"

TEXT = ("Russia and Ukraine agreed to a prisoner exchange. The Russian delegation, led by Vladimir "
        "Medinsky, demanded a ceasefire line. Ukraine could sign a grain deal.")


def _ev(quote: str) -> Evidence:
    start = TEXT.index(quote)
    return Evidence(quote, start, start + len(quote))


def _facts(agreements: list[Agreement], demands: list[Demand] = ()) -> ArticleFacts:
    """A hand-made article: Russia (labelled "Russian Federation"), Ukraine, one person, one delegation."""
    article = Article(text=TEXT, title="t", source="hand-made")
    actors = {
        "country:RU": Actor("country:RU", "country", "Russian Federation", code="RU"),
        "country:UA": Actor("country:UA", "country", "Ukraine", code="UA"),
        "person:medinsky": Actor("person:medinsky", "person", "Medinsky", roles=["chief negotiator"],
                                 affiliations=["country:RU"]),
    }
    delegation = Delegation("delegation:ru", represents="country:RU", leader="person:medinsky",
                            evidence=[_ev("The Russian delegation")])
    return ArticleFacts(article=article, actors=actors, delegations=[delegation], agreements=list(agreements),
                        demands=list(demands))


def _agreement(text: str, quote: str, modality: str = "asserted") -> Agreement:
    return Agreement(parties=["country:RU", "country:UA"], text=text, modality=modality, evidence=[_ev(quote)])


ALIASES = {"Russia": ["Russian Federation", "Moscow"]}
QUOTE = "Russia and Ukraine agreed to a prisoner exchange."


# ---- the same figures as score.py -----------------------------------------------------------------

@pytest.mark.skipif(not (SHARED_EVAL / "score.py").is_file(), reason="../shared/eval is not there")
def test_same_counts_as_score_py_on_the_development_set(tmp_path, nlp, validator):
    from kg_builder.pipeline import build

    gold_dir, articles_dir = SHARED_EVAL / "gold", SHARED_EVAL / "articles"
    for gold in sorted(gold_dir.glob("*.yaml")):
        article = yaml.safe_load(gold.read_text(encoding="utf-8"))["article"]
        build([articles_dir / article], tmp_path / Path(article).stem, nlp=nlp, validator=validator)
    out = tmp_path / "score.json"
    done = subprocess.run([sys.executable, str(SHARED_EVAL / "score.py"), str(gold_dir), str(articles_dir),
                           "--rdf-dir", str(tmp_path), "--json", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    theirs = json.loads(out.read_text())

    ours = evaluate(gold_dir, articles_dir, nlp=nlp, validator=validator, aliases=SHARED_EVAL / "aliases.yaml")

    assert ours.to_dict()["articles"] == theirs["articles"]
    assert ours.to_dict()["totals"] == theirs["totals"]
    assert ours.relation.f1 == pytest.approx(theirs["relation_micro"]["f1"])
    assert ours.table().splitlines()[-1] == done.stdout.strip().splitlines()[-1]


# ---- matching ---------------------------------------------------------------------------------------

def test_a_fact_read_twice_counts_once_right_and_once_wrong():
    graph = article_graph(_facts([_agreement("a prisoner exchange", QUOTE), _agreement("the prisoner swap", QUOTE)]))
    gold = {"agreements": [{"parties": ["Russia", "Ukraine"], "text": ["prisoner"]}]}
    score = score_graph(graph, gold, aliases=ALIASES)
    assert score.counts["agreement"].as_dict() == {"tp": 1, "fp": 1, "fn": 0}
    [spurious] = [s for s in score.spurious if s.kind == "agreement"]
    assert spurious.fact.evidence == [QUOTE]  # the sentence it was read from


def test_actor_aliases_delegations_and_short_names_count_as_the_gold_actor():
    demand = Demand(by="delegation:ru", of="country:UA", text="a ceasefire line",
                    evidence=[_ev("The Russian delegation, led by Vladimir Medinsky, demanded a ceasefire line.")])
    graph = article_graph(_facts([], [demand]))
    gold = {"persons": [{"name": "Vladimir Medinsky", "affiliation": "Russia", "role": "negotiator"}],
            "delegations": [{"represents": "Russia", "led_by": "Vladimir Medinsky"}],
            "demands": [{"by": "Russia", "of": "Ukraine", "text": ["ceasefire|truce", "line"]}]}
    score = score_graph(graph, gold, aliases=ALIASES)
    assert {k: c.tp for k, c in score.counts.items() if c.tp} == {
        "person": 1, "person_affiliation": 1, "person_role": 1, "delegation": 1, "delegation_leader": 1, "demand": 1}
    assert not score.missed and not score.spurious
    # without the alias, "Russian Federation" is not Russia
    assert score_graph(graph, gold, aliases={}).counts["demand"].tp == 0


def test_optional_facts_cost_nothing_found_or_missed():
    graph = article_graph(_facts([_agreement("a prisoner exchange", QUOTE),
                                  _agreement("a grain deal", "Ukraine could sign a grain deal.")]))
    gold = {"agreements": [{"parties": ["Russia"], "text": ["prisoner"]},
                           {"parties": ["Russia"], "text": ["grain"], "optional": True},
                           {"parties": ["Ukraine"], "text": ["sanction"], "optional": True}]}
    assert score_graph(graph, gold, aliases=ALIASES).counts["agreement"].as_dict() == {"tp": 1, "fp": 0, "fn": 0}


def test_an_optional_fact_takes_a_fact_a_required_one_could_do_without():
    """Both extracted agreements fit the required gold fact, only one fits the optional one:
    whichever order they come in, the required fact takes the other one and nothing is wrong."""
    gold = {"agreements": [{"parties": ["Russia"], "text": ["exchange|swap"]},
                           {"parties": ["Russia"], "text": ["swap"], "optional": True}]}
    for texts in (["a prisoner swap", "a prisoner exchange"], ["a prisoner exchange", "a prisoner swap"]):
        graph = article_graph(_facts([_agreement(t, QUOTE) for t in texts]))
        assert score_graph(graph, gold, aliases=ALIASES).counts["agreement"].as_dict() == {"tp": 1, "fp": 0, "fn": 0}


def test_modality_of_a_gold_fact_must_be_the_one_read():
    graph = article_graph(_facts([_agreement("a grain deal", "Ukraine could sign a grain deal.", "hypothetical")]))
    facts = read_facts(graph)
    [agreement] = facts["agreement"]
    assert agreement.modality == "hypothetical" and agreement.shown["modality"] == "hypothetical"
    asserted = {"agreements": [{"parties": ["Ukraine"], "text": ["grain"], "modality": "asserted"}]}
    possible = {"agreements": [{"parties": ["Ukraine"], "text": ["grain"], "modality": "hypothetical|future"}]}
    assert score_graph(graph, asserted, aliases=ALIASES).counts["agreement"].tp == 0
    assert score_graph(graph, possible, aliases=ALIASES).counts["agreement"].tp == 1


def test_absent_facts_that_were_read_are_reported():
    graph = article_graph(_facts([_agreement("a prisoner exchange", QUOTE)]))
    gold = {"absent": {"agreements": [{"parties": ["Ukraine"]}], "demands": [{"by": "Ukraine"}]}}
    [read] = score_graph(graph, gold, aliases=ALIASES).present_absent
    assert read.kind == "agreement" and read.absent == {"parties": ["Ukraine"]} and read.fact.evidence == [QUOTE]


def test_every_fact_type_is_counted_even_when_nothing_was_read():
    score = score_graph(article_graph(_facts([])), {"mediations": [{"mediator": "Turkey", "parties": ["Russia"]}]})
    assert set(score.counts) == set(KINDS)
    assert score.counts["mediation"].as_dict() == {"tp": 0, "fp": 0, "fn": 1}
    assert [m.gold["mediator"] for m in score.missed if m.kind == "mediation"] == ["Turkey"]


# ---- gold files -------------------------------------------------------------------------------------

def _write(folder: Path, name: str, doc: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("fact", "problem"), [
    ({"demands": [{"by": "Russia"}]}, "demands[0] has no 'text'"),
    ({"agreements": [{"parties": ["Russia"], "text": "ceasefire"}]}, "agreements[0].text must be a list"),
])
def test_a_malformed_gold_fact_is_an_error_naming_the_file(tmp_path, fact, problem):
    path = _write(tmp_path / "gold", "one.yaml", {"article": "one.txt", **fact})
    with pytest.raises(SourceError, match=re.escape(problem)) as info:
        evaluate(tmp_path / "gold", tmp_path)
    assert str(path) in str(info.value)


def test_a_missing_article_is_reported_and_scores_nothing(tmp_path, nlp, validator):
    _write(tmp_path / "gold", "gone.yaml", {"article": "gone.txt", "agreements": [{"text": ["ceasefire"]}]})
    result = evaluate(tmp_path / "gold", tmp_path / "articles", nlp=nlp, validator=validator)
    [article] = result.articles
    assert article.errors and "no such file" in article.errors[0]
    assert article.counts["agreement"].as_dict() == {"tp": 0, "fp": 0, "fn": 1}


def test_passages_inline_and_only(tmp_path, nlp, validator):
    _write(tmp_path / "gold", "a.yaml", {"passages": [
        {"id": "deal", "text": "Serbia and Kosovo agreed to set up a joint commission on missing persons.\n",
         "agreements": [{"parties": ["Serbia", "Kosovo"], "text": ["missing"]}]}]})
    _write(tmp_path / "gold", "b.yaml", {"passages": [{"id": "x", "text": "Nothing happened.\n"}]})
    result = evaluate(tmp_path / "gold", nlp=nlp, validator=validator, only="a")
    assert [a.name for a in result.articles] == ["a#deal"]
    with pytest.raises(SourceError, match="no gold file named c"):
        evaluate(tmp_path / "gold", nlp=nlp, validator=validator, only=["c"])


# ---- the command ------------------------------------------------------------------------------------

def test_cli_prints_the_table_and_with_v_what_was_missed_and_read_wrongly(tmp_path):
    text = "Egypt and Qatar mediated between Israel and Hamas. Hamas demanded that Israel withdraw its forces.\n"
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "one.txt").write_text(text, encoding="utf-8")
    _write(tmp_path / "gold", "one.yaml", {
        "article": "one.txt",
        "demands": [{"by": "Hamas", "of": "Israel", "text": ["withdraw"]}],
        "conditions": [{"by": "Egypt", "applies_to": ["truce"], "requires": ["hostage"]}]})
    _write(tmp_path, "aliases.yaml", {"Israel": ["Israeli"]})  # found beside GOLD_DIR
    out = tmp_path / "result.json"
    run = CliRunner().invoke(app, ["evaluate", str(tmp_path / "gold"), str(tmp_path / "articles"),
                                   "--json", str(out), "-v"])
    assert run.exit_code == 0, run.output
    lines = run.stdout.strip().splitlines()
    assert lines[-1].startswith("relation micro-F1") and lines[-1].endswith("over 1 articles")
    assert any(line.startswith("condition ") and line.split()[1:4] == ["0", "0", "1"] for line in lines)
    assert any("missed" in line and "hostage" in line for line in lines)
    data = json.loads(out.read_text())
    assert data["totals"]["condition"] == {"tp": 0, "fp": 0, "fn": 1}
    assert {"totals", "articles", "relation_micro", "missed", "spurious"} <= set(data)
    for s in data["spurious"]:  # whatever was read wrongly comes with its sentence
        if s["kind"] not in ("person", "person_affiliation", "person_role"):
            assert s["evidence"] and all(q in text for q in s["evidence"])


def test_cli_missing_gold_folder_is_an_error_naming_it_and_exit_code_1(tmp_path):
    run = CliRunner().invoke(app, ["evaluate", str(tmp_path / "nope"), str(tmp_path)])
    assert run.exit_code == 1 and "Traceback" not in run.output
    message = " ".join(run.stderr.split())  # the console wraps long paths
    assert message.startswith("error: ") and f"{tmp_path / 'nope'}: not a folder of gold files" in message
