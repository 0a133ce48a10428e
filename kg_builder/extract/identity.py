"""One actor per real-world person across the articles of a build.

Within an article the actor finder already joins "Putin" to "Vladimir Putin". Across articles a
short form or a shorter full name ("Tayyip Erdogan") joins the one longer name that contains it
("Recep Tayyip Erdogan"), when exactly one such name exists in the build; ambiguity keeps both.

A build links in two steps so that articles can be read in parallel and streamed: every article's
person names are collected in input order (:func:`person_names`), the renaming is decided once over
all of them (:func:`person_links`), then applied to each article's facts (:func:`apply_links`).
Only names ending in the same word can join, so candidates are compared within blocks keyed by the
last word: near-linear in the number of distinct names instead of quadratic.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from kg_builder.extract.lexicon import fold
from kg_builder.model import ArticleFacts


def link_persons(all_facts: Iterable[ArticleFacts]) -> list[ArticleFacts]:
    """Link the persons of ``all_facts`` (changed in place, returned as a list)."""
    all_facts = list(all_facts)
    names: dict[str, str] = {}
    for facts in all_facts:
        for key, name in person_names(facts):
            names.setdefault(key, name)
    rename = person_links(names)
    if rename:
        for facts in all_facts:
            apply_links(facts, rename, names)
    return all_facts


def person_names(facts: ArticleFacts) -> list[tuple[str, str]]:
    """``(key, name)`` of each person of one article, in the article's order."""
    return [(key, actor.name) for key, actor in facts.actors.items() if actor.kind == "person"]


def person_links(names: Mapping[str, str]) -> dict[str, str]:
    """Person key -> the key it joins, over the names of a whole build (first name seen per key,
    in input order). Same answer as comparing every pair of names: a name can only join a longer
    one ending in the same word, so only names in the same last-word block are compared."""
    tokens = {k: fold(n).replace("-", " ").split() for k, n in names.items()}
    blocks: dict[str, list[tuple[str, int, frozenset[str]]]] = defaultdict(list)
    for k, words in tokens.items():
        if words:
            blocks[words[-1]].append((k, len(words), frozenset(words)))
    rename: dict[str, str] = {}
    for key, words in tokens.items():
        if not words:
            continue
        mine = set(words)
        longer = [k for k, size, ws in blocks[words[-1]] if size > len(words) and mine <= ws]
        if len(longer) == 1:
            rename[key] = longer[0]
    for key in list(rename):  # follow chains: a → b → c
        seen = {key}
        while rename[key] in rename and rename[key] not in seen:
            seen.add(rename[key])
            rename[key] = rename[rename[key]]
    return rename


def apply_links(facts: ArticleFacts, rename: Mapping[str, str], names: Mapping[str, str]) -> None:
    """Rename one article's person keys by ``rename`` (``names`` holds at least the targets' names)."""
    _apply(facts, rename, names)


def _apply(facts: ArticleFacts, rename: dict[str, str], names: dict[str, str]) -> None:
    def r(key):
        return rename.get(key, key) if key else key

    actors = {}
    for key, actor in facts.actors.items():
        new = r(key)
        if new != key:
            if actor.name not in actor.aliases:
                actor.aliases.append(actor.name)
            actor.key, actor.name = new, names[new]
        actor.affiliations = [r(a) for a in actor.affiliations]
        if new in actors:  # both forms appeared in this article: keep one, union what is known
            kept = actors[new]
            for attr in ("aliases", "roles", "affiliations"):
                for v in getattr(actor, attr):
                    if v not in getattr(kept, attr):
                        getattr(kept, attr).append(v)
        else:
            actors[new] = actor
    facts.actors = actors
    for d in facts.delegations:
        d.leader, d.members = r(d.leader), [r(m) for m in d.members]
    for n in facts.negotiations:
        n.participants = list(dict.fromkeys(r(p) for p in n.participants))
        n.mediators = list(dict.fromkeys(r(m) for m in n.mediators))
    for x in facts.demands:
        x.by, x.of, x.stated_by = r(x.by), r(x.of), r(x.stated_by)
    for a in facts.agreements:
        a.parties, a.stated_by = list(dict.fromkeys(r(p) for p in a.parties)), r(a.stated_by)
    for c in facts.conditions:
        c.set_by, c.stated_by = r(c.set_by), r(c.stated_by)
