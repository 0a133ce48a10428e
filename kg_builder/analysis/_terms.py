"""When two free-text phrases ("progress in talks", "the talks") name the same matter.

Conditions and demands carry free text, so linking them needs a rule, and the rule is this:

1. **Terms** of a phrase: lower-cased, accents folded, split on anything not a letter or digit;
   words of :data:`STOPWORDS` and words shorter than 3 characters dropped; a plural ``-ies`` becomes
   ``-y`` and a final ``-s`` (not ``-ss``) is cut, so "talks" and "talk" are one term.
2. **Head term**: the one term of a phrase that names a kind of matter by itself ("ceasefire",
   "withdrawal", "talk", "sanction", "prisoner"...). The vocabulary is read from the SKOS kinds
   (``dipk:``) of the shipped ``ontology/diplomacy.ttl`` (:func:`head_terms`); a phrase with no such
   term, or with two ("withdrawal before a ceasefire"), has no head.
3. **Match**: two term sets match when they share at least half of the smaller set
   (overlap coefficient >= :data:`MIN_OVERLAP`) *and* share at least two terms, or all of the smaller
   set when it has one term; *or* when they have the same head term. "a ceasefire" matches "full
   ceasefire"; "any ceasefire could take effect" matches "a full and unconditional 30-day ceasefire"
   (same head); "ceasefire in Gaza" does not match "release of hostages in Gaza" (one shared term
   out of two, and different heads).
4. **Matters**: phrases that match are one matter, closed transitively (union-find), so a chain
   A depends on B depends on C is found even when B is worded differently in two conditions.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from kg_builder.errors import KGBuilderError
from kg_builder.resources import ontology_file

MIN_OVERLAP = 0.5
STOPWORDS = frozenset("""
a an the of in on to for and or with between by from at as is be are was were been its it their his her
this that these those any all only into about after before over under than then until unless if no not
must should will would can could may might such some other both each our your they them there here
""".split())
_WORD = re.compile(r"[a-z0-9]+")
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_KIND_SCHEME = "https://w3id.org/dipkg/kind/scheme"


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


@functools.cache
def head_terms() -> frozenset[str]:
    """Terms that name a kind of matter by themselves, from the labels of the ``dipk:`` kinds.

    A head term is the term of a one-word label ("ceasefire", "truce", "talks", "embargo"), or a
    term that recurs in two or more labels of one kind and in no label of another kind ("prisoner"
    of "prisoner exchange"/"prisoner swap", "security" of "security guarantees"/"security
    assurances"). Edit the labels in ``ontology/diplomacy.ttl`` to change the vocabulary.
    """
    import pyoxigraph as ox

    path = ontology_file("diplomacy.ttl")
    labels: dict[str, list[frozenset[str]]] = defaultdict(list)
    in_scheme: set[str] = set()
    try:
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except (OSError, SyntaxError) as exc:
        raise KGBuilderError(f"{path}: cannot read the kinds of matter for the head-term rule ({exc})") from exc
    for q in quads:
        pred = q.predicate.value
        if pred == _SKOS + "inScheme" and q.object.value == _KIND_SCHEME:
            in_scheme.add(q.subject.value)
        elif pred in (_SKOS + "prefLabel", _SKOS + "altLabel") and isinstance(q.object, ox.Literal):
            labels[q.subject.value].append(terms(q.object.value))
    kinds = {k: v for k, v in labels.items() if k in in_scheme}
    kinds_of: dict[str, set[str]] = defaultdict(set)
    for kind, sets in kinds.items():
        for t in set().union(*sets):
            kinds_of[t].add(kind)
    heads: set[str] = set()
    for kind, sets in kinds.items():
        heads.update(next(iter(s)) for s in sets if len(s) == 1)
        heads.update(t for t in set().union(*sets)
                     if kinds_of[t] == {kind} and sum(t in s for s in sets) >= 2)
    return frozenset(heads)


def head(term_set: frozenset[str]) -> str | None:
    """The head term of a phrase's terms (rule 2), or None when it has none or more than one."""
    found = term_set & head_terms()
    return next(iter(found)) if len(found) == 1 else None


def match(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when the two term sets name the same matter (rule 3)."""
    if not a or not b:
        return False
    shared = len(a & b)
    smaller = min(len(a), len(b))
    if shared / smaller >= MIN_OVERLAP and shared >= min(2, smaller):
        return True
    h = head(a)
    return h is not None and h == head(b)


def matters(phrases: Iterable[frozenset[str]]) -> dict[frozenset[str], frozenset[str]]:
    """Each distinct term set -> a representative of its matter (rule 4).

    Phrases with the same head are joined through a dict keyed by head; other candidates come from
    an inverted index over terms, so only term sets that share a term are compared. The cost
    follows the number of distinct phrases per term, not the number of facts.
    """
    order = lambda s: (len(s), sorted(s))  # noqa: E731
    distinct = sorted({p for p in phrases if p}, key=order)
    parent = {p: p for p in distinct}

    def find(x: frozenset[str]) -> frozenset[str]:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: frozenset[str], b: frozenset[str]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb, key=order)] = min(ra, rb, key=order)

    first_with_head: dict[str, frozenset[str]] = {}
    by_term: dict[str, list[frozenset[str]]] = defaultdict(list)
    for p in distinct:
        h = head(p)
        if h is not None:
            union(p, first_with_head.setdefault(h, p))
        seen: set[frozenset[str]] = set()
        for t in p:
            for q in by_term[t]:
                if q not in seen:
                    seen.add(q)
                    if find(p) != find(q) and match(p, q):
                        union(p, q)
            by_term[t].append(p)
    return {p: find(p) for p in distinct}
