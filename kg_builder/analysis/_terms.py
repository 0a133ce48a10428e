"""When two free-text phrases ("progress in talks", "the talks") name the same matter.

Conditions and demands carry free text, so linking them needs a rule, and the rule is this:

1. **Terms** of a phrase: lower-cased, accents folded, split on anything not a letter or digit;
   words of :data:`STOPWORDS` and words shorter than 3 characters dropped; a plural ``-ies`` becomes
   ``-y`` and a final ``-s`` (not ``-ss``) is cut, so "talks" and "talk" are one term.
2. **Match**: two term sets match when they share at least half of the smaller set
   (overlap coefficient >= :data:`MIN_OVERLAP`) *and* share at least two terms, or all of the smaller
   set when it has one term. "a ceasefire" matches "full ceasefire"; "ceasefire in Gaza" does not
   match "release of hostages in Gaza" (one shared term out of two).
3. **Matters**: phrases that match are one matter, closed transitively (union-find), so a chain
   A depends on B depends on C is found even when B is worded differently in two conditions.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

MIN_OVERLAP = 0.5
STOPWORDS = frozenset("""
a an the of in on to for and or with between by from at as is be are was were been its it their his her
this that these those any all only into about after before over under than then until unless if no not
must should will would can could may might such some other both each our your they them there here
""".split())
_WORD = re.compile(r"[a-z0-9]+")


def terms(text: str | None) -> frozenset[str]:
    """The normalised terms of a phrase (see the module docstring)."""
    if not text:
        return frozenset()
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return frozenset(_stem(w) for w in _WORD.findall(folded) if len(w) >= 3 and w not in STOPWORDS)


def _stem(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def match(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when the two term sets name the same matter (rule 2)."""
    if not a or not b:
        return False
    shared = len(a & b)
    smaller = min(len(a), len(b))
    return shared / smaller >= MIN_OVERLAP and shared >= min(2, smaller)


def matters(phrases: Iterable[frozenset[str]]) -> dict[frozenset[str], frozenset[str]]:
    """Each distinct term set -> a representative of its matter (rule 3).

    Candidates come from an inverted index over terms, so only term sets that share a term are
    compared; the cost follows the number of distinct phrases per term, not the number of facts.
    """
    distinct = sorted({p for p in phrases if p}, key=lambda s: (len(s), sorted(s)))
    parent = {p: p for p in distinct}

    def find(x: frozenset[str]) -> frozenset[str]:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_term: dict[str, list[frozenset[str]]] = defaultdict(list)
    for p in distinct:
        seen: set[frozenset[str]] = set()
        for t in p:
            for q in by_term[t]:
                if q not in seen:
                    seen.add(q)
                    if match(p, q):
                        ra, rb = find(p), find(q)
                        if ra != rb:
                            parent[max(ra, rb, key=lambda s: (len(s), sorted(s)))] = min(
                                ra, rb, key=lambda s: (len(s), sorted(s)))
            by_term[t].append(p)
    return {p: find(p) for p in distinct}
