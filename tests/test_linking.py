"""Person linking across a build: blocked by last word, same answer as comparing every pair."""
from __future__ import annotations

import random

from kg_builder.extract.identity import link_persons, person_links, person_names
from kg_builder.extract.lexicon import fold
from kg_builder.model import Actor, Article, ArticleFacts, Demand


def all_pairs_links(names: dict[str, str]) -> dict[str, str]:
    """The linking as it was before blocking (every name against every other): the oracle."""
    tokens = {k: fold(n).replace("-", " ").split() for k, n in names.items()}
    rename: dict[str, str] = {}
    for key, words in tokens.items():
        longer = [k for k, w in tokens.items() if k != key and len(w) > len(words)
                  and w[-1] == words[-1] and set(words) <= set(w)]
        if len(longer) == 1:
            rename[key] = longer[0]
    for key in list(rename):
        seen = {key}
        while rename[key] in rename and rename[key] not in seen:
            seen.add(rename[key])
            rename[key] = rename[rename[key]]
    return rename


def generated_names(n: int, seed: int = 7) -> dict[str, str]:
    """N distinct person names that often share surnames and given names, with short forms
    ("Erdogan"), middle names and hyphens: many candidates, some ambiguous, some chains."""
    rng = random.Random(seed)
    given = ["Recep", "Tayyip", "Sergei", "Anna", "Maria", "Ali", "John", "Jean-Paul", "Li", "Omar",
             "Vladimir", "Emmanuel", "Olena", "Kim", "Abdel", "Hakan", "Antony", "Wang", "Yuri", "Ursula"]
    surnames = [f"{a}{b}" for a in ("Ab", "Kar", "Mel", "Dor", "Sin", "Vol", "Haq", "Ter", "Lun", "Pet",
                                      "Gor", "Bel", "Nas", "Zel", "Kov", "Ram", "Fid", "Oku", "Tal", "Wes")
                for b in ("ov", "an", "ski", "enko", "ez", "i", "oglu", "ard", "er", "is")]  # 200
    names: dict[str, str] = {}
    while len(names) < n:
        shape = rng.random()
        last = rng.choice(surnames)
        if shape < 0.15:
            name = last
        elif shape < 0.7:
            name = f"{rng.choice(given)} {last}"
        elif shape < 0.95:
            name = f"{rng.choice(given)} {rng.choice(given)} {last}"
        else:
            name = f"{rng.choice(given)}-{rng.choice(given)} {rng.choice(given)} {last}"
        key = "person:" + fold(name).replace(" ", "-")
        names.setdefault(key, name)
    return names


def test_blocked_linking_equals_all_pairs_on_8000_names():
    names = generated_names(8000)
    expected = all_pairs_links(names)
    assert person_links(names) == expected
    assert len(expected) > 500 and len(set(expected.values())) > 200  # the corpus does link, a lot


def test_a_name_folding_to_nothing_links_to_nothing():
    names = {"person:x": "—", "person:erdogan": "Erdogan", "person:recep-tayyip-erdogan": "Recep Tayyip Erdogan"}
    assert person_links(names) == {"person:erdogan": "person:recep-tayyip-erdogan"}


def _facts(text: str, persons: dict[str, str], demand_by: str) -> ArticleFacts:
    facts = ArticleFacts(article=Article(text=text, source=text[:10]))
    facts.actors = {k: Actor(key=k, kind="person", name=n) for k, n in persons.items()}
    facts.demands = [Demand(by=demand_by, text="a ceasefire")]
    return facts


def test_short_form_in_one_article_joins_the_full_name_in_another():
    a = _facts("one", {"person:erdogan": "Erdogan"}, "person:erdogan")
    b = _facts("two", {"person:recep-tayyip-erdogan": "Recep Tayyip Erdogan"}, "person:recep-tayyip-erdogan")
    link_persons([a, b])
    assert list(a.actors) == ["person:recep-tayyip-erdogan"] and a.demands[0].by == "person:recep-tayyip-erdogan"
    assert a.actors["person:recep-tayyip-erdogan"].aliases == ["Erdogan"]


def test_seed_article_links_as_before(seed_article_path, nlp):
    from kg_builder.extract import extract
    from kg_builder.sources import read_articles

    [article] = read_articles(seed_article_path)
    facts = extract(article, nlp)
    names = dict(person_names(facts))
    assert names and person_links(names) == all_pairs_links(names)
