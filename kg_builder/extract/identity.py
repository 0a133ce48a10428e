"""One actor per real-world person across the articles of a build.

Within an article the actor finder already joins "Putin" to "Vladimir Putin". Across articles a
short form or a shorter full name ("Tayyip Erdogan") joins the one longer name that contains it
("Recep Tayyip Erdogan"), when exactly one such name exists in the build; ambiguity keeps both.
"""
from __future__ import annotations

from collections.abc import Iterable

from kg_builder.extract.lexicon import fold
from kg_builder.model import ArticleFacts


def link_persons(all_facts: Iterable[ArticleFacts]) -> list[ArticleFacts]:
    all_facts = list(all_facts)
    names: dict[str, str] = {}  # key -> name
    for facts in all_facts:
        for key, actor in facts.actors.items():
            if actor.kind == "person":
                names.setdefault(key, actor.name)
    tokens = {k: fold(n).replace("-", " ").split() for k, n in names.items()}
    rename: dict[str, str] = {}
    for key, words in tokens.items():
        longer = [k for k, w in tokens.items() if k != key and len(w) > len(words)
                  and w[-1] == words[-1] and set(words) <= set(w)]
        if len(longer) == 1:
            rename[key] = longer[0]
    for key in list(rename):  # follow chains: a → b → c
        seen = {key}
        while rename[key] in rename and rename[key] not in seen:
            seen.add(rename[key])
            rename[key] = rename[rename[key]]
    if rename:
        for facts in all_facts:
            _apply(facts, rename, names)
    return all_facts


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
