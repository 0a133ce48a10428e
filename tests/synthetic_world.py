"""A synthetic news archive for views at scale: article graphs written by kg_builder's own mapping
from model dataclasses, without spaCy, so thousands of articles take seconds.

The world: a pool of states, organisations and officials (one per 10 articles, at least 40) whose
popularity follows Zipf's law, as in real news (a few actors are in most stories); each article
reports one to three facts among them: talks (two or three parties, a mediator in half), demands,
agreements (some reached in the article's talks) and conditions, on dates spread over 2024-2025.
Labels come from small vocabularies, so talks between the same parties under the same name read in
different articles are the same talks reported again, as a real archive has them.

Used by tests/test_viz.py and benchmarks/bench_viz.py.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from rdflib import Graph

from kg_builder.model import Actor, Agreement, Article, ArticleFacts, Condition, Demand, Evidence, Negotiation
from kg_builder.rdf import article_graph

CITIES = ["Istanbul", "Doha", "Geneva", "Cairo", "Riyadh", "Vienna", "Oslo", "Nairobi", "Muscat", "Jeddah"]
AGREEMENTS = ["a ceasefire", "a prisoner exchange", "a humanitarian corridor", "a grain deal", "a truce",
              "the withdrawal of troops", "a peace framework", "new talks", "a hostage release", "sanctions relief"]
DEMANDS = ["a full withdrawal", "security guarantees", "the release of prisoners", "an end to strikes",
           "neutrality", "reparations", "the lifting of sanctions", "elections", "access for aid convoys",
           "a buffer zone"]
MATTERS = ["any deal", "a ceasefire", "the release of hostages", "the withdrawal of forces", "sanctions relief",
           "elections", "reconstruction aid", "talks", "a prisoner exchange", "the reopening of crossings",
           "disarmament", "recognition", "a border settlement", "security guarantees"]


def world(n_articles: int, seed: int = 7) -> list[Actor]:
    """The actors of an archive of ``n_articles``: most popular first."""
    n = max(40, n_articles // 10)
    actors = []
    for i in range(n):
        kind = ("country", "organization", "person")[i % 3]
        if kind == "country":
            code = chr(65 + (i // 26) % 26) + chr(65 + i % 26)
            actors.append(Actor(f"country:{code}", "country", f"State {code}", code=code))
        elif kind == "organization":
            actors.append(Actor(f"org:group-{i}", "organization", f"Group {i}"))
        else:
            actors.append(Actor(f"person:envoy-{i}", "person", f"Envoy {i}"))
    return actors


def article_facts(n_articles: int, seed: int = 7) -> Iterator[ArticleFacts]:
    """The facts of each article of the archive, in order (the same for the same arguments)."""
    rnd = random.Random(seed)
    actors = world(n_articles, seed)
    weights = [1 / (rank + 1) for rank in range(len(actors))]
    start = dt.date(2024, 1, 1)
    for i in range(n_articles):
        date = start + dt.timedelta(days=(i * 731) // max(n_articles, 1))

        def pick(k: int) -> list[Actor]:
            chosen: dict[str, Actor] = {}
            while len(chosen) < k:
                a = rnd.choices(actors, weights)[0]
                chosen[a.key] = a
            return list(chosen.values())

        sentences: list[str] = []
        facts = ArticleFacts(Article(text="", title=f"Report {i}", url=f"https://news.example/{i}", date=date))

        def say(text: str) -> Evidence:
            offset = sum(len(s) + 1 for s in sentences)
            sentences.append(text)
            return Evidence(text, offset, offset + len(text))

        def meet(a: Actor) -> str:
            facts.actors[a.key] = a
            return a.key

        talks = None
        for j in range(rnd.choice((1, 2, 2, 3))):
            kind = rnd.random()
            if kind < 0.35:
                parties = pick(rnd.choice((2, 2, 3)))
                mediators = [m for m in pick(1) if m not in parties] if rnd.random() < 0.5 else []
                city = rnd.choice(CITIES)
                names = " and ".join(p.name for p in parties)
                ev = say(f"{names} held talks in {city}" + (f" mediated by {mediators[0].name}." if mediators else "."))
                talks = Negotiation(f"talks-{j}", f"talks between {names}", [meet(p) for p in parties],
                                    [meet(m) for m in mediators], location=city, date=date, evidence=[ev])
                facts.negotiations.append(talks)
            elif kind < 0.6:
                by, of = pick(2)
                text = rnd.choice(DEMANDS)
                ev = say(f"{by.name} demanded {text} from {of.name}.")
                facts.demands.append(Demand(by=meet(by), of=meet(of), text=text, evidence=[ev]))
            elif kind < 0.85:
                parties = pick(2)
                text = rnd.choice(AGREEMENTS)
                ev = say(f"{parties[0].name} and {parties[1].name} agreed to {text}.")
                facts.agreements.append(Agreement(parties=[meet(p) for p in parties], text=text,
                                                  reached_in=talks.key if talks else None, evidence=[ev]))
            else:
                setter = pick(1)[0]
                held, needed = rnd.sample(MATTERS, 2)
                ev = say(f"{setter.name} said there would be no {held} without {needed}.")
                facts.conditions.append(Condition(set_by=meet(setter), applies_to=held, requires=needed,
                                                  evidence=[ev]))
        text = " ".join(sentences)
        facts.article = Article(text=text, title=f"Report {i}: {sentences[0][:60]}", url=f"https://news.example/{i}",
                                date=date)
        yield facts


def article_graphs(n_articles: int, seed: int = 7) -> list[Graph]:
    """The named graph of every article, as ``build`` maps them."""
    return [article_graph(f) for f in article_facts(n_articles, seed)]
