"""Reading real text: the three development sets, scored in-process with per-set floors (issue 8).

Floors are what the reader reaches today (rounded down): raise them when reading improves,
never lower them to make a change pass. The figures are those of ``../shared/eval/score.py``
(``tests/test_evaluation.py`` checks that the two scorers agree).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kg_builder.evaluation import evaluate

EVAL = Path(__file__).parent / "data" / "eval"
#: set -> (gold folder, articles folder, relation precision floor, relation recall floor)
SETS = {
    "gold": (EVAL / "gold" / "gold", EVAL / "gold" / "articles", 1.0, 0.95),
    "real": (EVAL / "real" / "gold", EVAL / "real" / "articles", 0.90, 0.83),
    # PLOVER precision went from 0.74 to 0.72 as recall rose from 0.53 to 0.59: the new false
    # facts are right readings its gold codes otherwise (a rebel group's demand of the Turkish
    # government coded as Turkey's of Turkey; a host city coded as a party to APEC's decision; the
    # Red Cross, whose gold name "Red Cross operating in Iraq" has no alias "Red Cross"). Iranian
    # authorities pressing bus workers to call off a strike is home affairs, which the issue's
    # relevance rule keeps out, though PLOVER codes it as a demand.
    "plover": (EVAL / "plover" / "gold", EVAL / "plover" / "articles", 0.72, 0.59),
}
DIPLOMACY = ("delegation", "mediation", "demand", "agreement", "condition")


@pytest.fixture(scope="module")
def scored(nlp, validator):
    return {name: evaluate(gold, articles, nlp=nlp, validator=validator, aliases=gold.parent / "aliases.yaml")
            for name, (gold, articles, *_) in SETS.items()}


@pytest.mark.parametrize("name", SETS)
def test_relation_precision_and_recall_stay_above_the_floor(scored, name):
    rel = scored[name].relation
    *_, p_floor, r_floor = SETS[name]
    assert rel.precision >= p_floor and rel.recall >= r_floor, (
        f"{name}: relation P {rel.precision:.3f} R {rel.recall:.3f} below the floor P {p_floor} R {r_floor}\n"
        + scored[name].table())


def test_off_topic_real_news_yields_no_diplomacy(scored):
    """The off-topic Wikinews article has empty gold: any fact read from it is false."""
    off = [a for a in scored["real"].articles if a.name.startswith("wn_offtopic")]
    assert off, "the real set has an off-topic article"
    for article in off:
        assert {k: article.counts[k].fp for k in DIPLOMACY} == dict.fromkeys(DIPLOMACY, 0), article.name
