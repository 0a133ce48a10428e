"""The model's attribute ruler, matched by table instead of by spaCy's ``Matcher``.

The English model's ``attribute_ruler`` sets POS, morphology and some lemmas from 179 token
patterns, nearly all of one token testing its tag and lowercase form ("TAG is PRP and LOWER is
'it'"). spaCy's ``Matcher`` tries every pattern at every token, which made the ruler a sixth of
the whole parse. Here a one-token pattern whose tests are plain (equal, IN, NOT_IN, REGEX, a
boolean flag) is looked up by its token's tag or lowercase form and tested in Python; any other
pattern (several tokens, operators) stays with a ``Matcher``. The match list handed back is the
ruler's own, so the ruler sets exactly what it set before (``tests/test_attributes.py`` compares
both on real articles).
"""
from __future__ import annotations

import itertools
import re
from collections import defaultdict

from spacy.matcher import Matcher
from spacy.tokens import Doc

#: Token attributes a compiled test may read, as the ``Matcher`` reads them.
_READERS = {
    "TAG": lambda t: t.tag_,
    "LOWER": lambda t: t.lower_,
    "DEP": lambda t: t.dep_,
    "ORTH": lambda t: t.text,
    "TEXT": lambda t: t.text,
    "NORM": lambda t: t.norm_,
    "IS_SPACE": lambda t: t.is_space,
    "IS_PUNCT": lambda t: t.is_punct,
    "IS_ALPHA": lambda t: t.is_alpha,
}
#: The attributes by which a pattern's first token is looked up, in order of preference: a
#: pattern testing tag and form is found by both, so a token meets only the patterns it may match.
_LOOKUPS = (("TAG", "LOWER"), ("TAG",), ("LOWER",), ("DEP",), ("IS_SPACE",))


def _test(attr: str, spec):
    """A predicate on a token for one attribute's spec, or None when it is not a plain one."""
    read = _READERS.get(attr)
    if read is None:
        return None
    if isinstance(spec, (str, bool)):
        return lambda t: read(t) == spec
    if not isinstance(spec, dict) or len(spec) != 1:
        return None
    (op, value), = spec.items()
    if op == "IN":
        values = frozenset(value)
        return lambda t: read(t) in values
    if op == "NOT_IN":
        values = frozenset(value)
        return lambda t: read(t) not in values
    if op == "REGEX":
        search = re.compile(value).search
        return lambda t: bool(search(read(t)))
    return None


def _keys(spec) -> tuple | None:
    """The values a spec admits, for the lookup table; None when it is not a list of them."""
    if isinstance(spec, (str, bool)):
        return (spec,)
    if isinstance(spec, dict) and set(spec) == {"IN"}:
        return tuple(spec["IN"])
    return None


def _compile(pattern: list[dict]):
    """(attribute looked up, its values, tests per token) for a pattern of plain token tests
    (the first token's looked-up test left out), or None for any other pattern."""
    steps = []
    for token in pattern:
        tests = [_test(attr, spec) for attr, spec in token.items()]
        if not token or None in tests:
            return None
        steps.append(dict(zip(token, tests)))
    first = pattern[0]
    for attrs in _LOOKUPS:
        values = [_keys(first[attr]) if attr in first else None for attr in attrs]
        if None not in values:
            for attr in attrs:
                del steps[0][attr]
            return attrs, list(itertools.product(*values)), tuple(tuple(step.values()) for step in steps)
    return None, (), tuple(tuple(step.values()) for step in steps)


class CompiledRules:
    """The ruler's ``match``: the same sorted (rule, key, start, end) list."""

    def __init__(self, ruler):
        strings = ruler.vocab.strings
        self.rest = Matcher(ruler.vocab)
        self.indexed: dict[tuple, dict] = {attrs: defaultdict(list) for attrs in _LOOKUPS}
        self.anywhere: list = []
        self.alternatives = False  # a rule with several patterns: the Matcher reports it once
        for rule, entry in enumerate(ruler.patterns):
            key = strings[str(rule)]
            compiled = [_compile(p) for p in entry["patterns"]]
            if not compiled or None in compiled:
                self.rest.add(str(rule), entry["patterns"])
                continue
            self.alternatives |= len(compiled) > 1
            for attr, values, steps in compiled:
                target = (rule, key, steps)
                if attr is None:
                    self.anywhere.append(target)
                for value in values:
                    self.indexed[attr][value].append(target)

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        by_both, by_tag, by_lower, by_dep, by_space = (self.indexed[a] for a in _LOOKUPS)
        anywhere = self.anywhere
        n = len(doc)
        found = []
        for tok in doc:
            i = tok.i
            tag, lower = tok.tag_, tok.lower_
            for candidates in (by_both.get((tag, lower)), by_tag.get((tag,)), by_lower.get((lower,)),
                               by_dep.get((tok.dep_,)), by_space.get((tok.is_space,)), anywhere):
                if not candidates:
                    continue
                for rule, key, steps in candidates:
                    if len(steps) == 1:
                        if all(test(tok) for test in steps[0]):
                            found.append((rule, key, i, i + 1))
                    elif i + len(steps) <= n and all(
                            test(doc[i + k]) for k, tests in enumerate(steps) for test in tests):
                        found.append((rule, key, i, i + len(steps)))
        if len(self.rest):
            strings = doc.vocab.strings
            found.extend((int(strings[key]), key, start, end)
                         for key, start, end in self.rest(doc, allow_missing=True, as_spans=False))
        found.sort()
        if self.alternatives:
            found = [m for j, m in enumerate(found) if not j or m != found[j - 1]]
        return found


def compile_attribute_ruler(nlp) -> None:
    """Give the model's attribute ruler (if it has one) the table-driven ``match``."""
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        ruler.match = CompiledRules(ruler).match
