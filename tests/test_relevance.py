"""Relevance: news that is not diplomacy yields no diplomacy facts (issue 8).

The passages in ``tests/data/offtopic`` were written for the project in the shape of wire copy
of the off-topic kinds a news feed carries: a takeover, a court case, a transfer, an election, a
protest, home affairs of one state (a storm, a budget), where a government urges, demands and
agrees, bodies that govern no state (a sports body, a market regulator, a central bank), and a
disaster in which a government and a relief society appeal to the public while foreign states
offer help, a ministry's pay deal with a teachers' union, a university's exchange deal, a party
rejecting an election, a health ministry urging parents, and an oil merger beside a teachers'
union's requests of "the Government". Each uses the very verbs diplomacy
uses (agree, demand, urge, call for, sign). The
real off-topic Wikinews article of ``shared/eval/real`` is scored by ``test_real_sets.py``.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kg_builder.extract import extract
from kg_builder.sources import read_articles

OFFTOPIC = sorted((Path(__file__).parent / "data" / "offtopic").glob("*.txt"))


@pytest.mark.parametrize("path", OFFTOPIC, ids=lambda p: p.stem)
def test_off_topic_news_yields_no_diplomacy(path, nlp):
    [article] = list(read_articles([path]))
    facts = extract(article, nlp)
    assert facts.demands == [] and facts.agreements == [] and facts.conditions == []
    assert facts.negotiations == [] and facts.delegations == []
    assert [a.name for a in facts.actors.values() if a.kind == "person"] == []


def test_the_same_verbs_between_states_are_diplomacy(nlp):
    """The filter is on who acts, not on the verbs: states agreeing and demanding still count."""
    from kg_builder.model import Article

    facts = extract(Article(source="probe", text=(
        "Serbia and Kosovo agreed to a plan on licence plates on Thursday. "
        "Russia demanded that Ukraine withdraw its troops.")), nlp)
    assert [sorted(a.parties) for a in facts.agreements] == [["country:RS", "country:XK"]]
    assert [(d.by, d.of) for d in facts.demands] == [("country:RU", "country:UA")]
