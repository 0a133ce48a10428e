"""The table-driven attribute ruler (kg_builder/extract/attributes.py) must hand the ruler the
very matches spaCy's Matcher finds, so the model annotates as it always did, only faster."""
from __future__ import annotations

import pytest
from spacy.pipeline import AttributeRuler

from kg_builder.extract.attributes import CompiledRules

#: after the ruler: what the comparison does not need
LATER = ("attribute_ruler", "lemmatizer", "ner", "dip_actors", "dip_talks", "dip_demands",
         "dip_agreements", "dip_conditions")

HOSTILE = [
    "",
    "   \n\n\t ",
    "I ain't gonna sign it, y'all. Let's go, c'mon! Nothin' doin', 'em ol' boys gotta wait.",
    "It is what it is: there are talks, and there's nothing anyone can do about it.",
    "WASHINGTON (AP) _ the\x00talks\x07ended \u200b\u202e with <b>no</b> deal;;; ???",
    "They'd said he'd have signed; she'd not. We've, you've, I'm, you're.",
    "a " * 400,
]


def _parsed(nlp, texts):
    return list(nlp.pipe(texts, disable=list(LATER)))


def _articles(repo_root):
    paths = sorted((repo_root / "tests" / "data" / "eval").glob("*/articles/*.txt"))
    assert len(paths) > 50
    return [p.read_text(encoding="utf-8") for p in paths]


def test_the_pipeline_uses_the_compiled_ruler(nlp):
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler.match.__self__, CompiledRules)


def test_the_models_rules_match_as_spacys_matcher_does(nlp, repo_root):
    ruler = nlp.get_pipe("attribute_ruler")
    compiled = CompiledRules(ruler)
    docs = _parsed(nlp, _articles(repo_root) + HOSTILE)
    matched = 0
    for doc in docs:
        expected = AttributeRuler.match(ruler, doc)  # the class's own, through spaCy's Matcher
        assert compiled.match(doc) == expected, doc.text[:80]
        matched += len(expected)
    assert matched > sum(len(d) for d in docs)  # nearly every token meets a rule, many two


@pytest.mark.parametrize(("patterns", "left_to_matcher"), [
    # one token, each kind of test, an index past the first token, alternatives of one rule
    ([{"patterns": [[{"TAG": "NNP", "LOWER": {"IN": ["iran", "israel"]}}]], "attrs": {"LEMMA": "state"}},
     {"patterns": [[{"LOWER": {"REGEX": "^tal"}}]], "attrs": {"LEMMA": "tal"}},
     {"patterns": [[{"DEP": {"NOT_IN": ["punct", ""]}, "IS_SPACE": False}]], "attrs": {"POS": "X"}},
     {"patterns": [[{"LOWER": "peace"}, {"LOWER": "talks"}]], "attrs": {"LEMMA": "talk"}, "index": 1},
     {"patterns": [[{"TAG": "VBD"}], [{"LOWER": "said"}]], "attrs": {"LEMMA": "say"}},
     {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE"}}], 0),
    # what the table cannot do stays with the Matcher: operators, other attributes
    ([{"patterns": [[{"LOWER": "peace"}, {"IS_ALPHA": True, "OP": "+"}]], "attrs": {"LEMMA": "p"}},
     {"patterns": [[{"LENGTH": {">=": 8}}]], "attrs": {"LEMMA": "long"}},
     {"patterns": [[{"TAG": "NNP"}, {"TEXT": {"FUZZY": "Israel"}}]], "attrs": {"LEMMA": "f"}}], 3),
])
def test_any_rules_match_as_spacys_matcher_does(nlp, patterns, left_to_matcher):
    ruler = AttributeRuler(nlp.vocab)
    ruler.add_patterns(patterns)
    compiled = CompiledRules(ruler)
    assert len(compiled.rest) == left_to_matcher
    docs = _parsed(nlp, ["Iran and Israel said peace talks resumed.\n\nTalks on peace talks failed, "
                         "said Israeli negotiators in Isreal."] + HOSTILE)
    found = 0
    for doc in docs:
        expected = AttributeRuler.match(ruler, doc)
        assert compiled.match(doc) == expected, doc.text[:80]
        found += len(expected)
    assert found > 5
