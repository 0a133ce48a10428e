"""What the rule components know about one document while they read it.

Each component adds to this and later ones read it, the way spaCy components write onto a Doc.
It lives on ``doc._.dip`` and never leaves ``kg_builder.extract`` (``to_model`` turns it into
plain ``ArticleFacts``).
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kg_builder.extract.lexicon import Lexicon
from kg_builder.model import Actor, Agreement, Condition, Delegation, Demand, Evidence


@dataclass
class Mention:
    start: int  # first token index
    end: int  # one past the last token index
    key: str
    how: str  # name, capital, demonym, seat, alias, person, ner


@dataclass
class Quote:
    """A quoted stretch (tokens and characters inside the marks) and who says it, when known."""

    start: int
    end: int
    start_char: int
    end_char: int
    speaker: str | None


@dataclass
class Talks:
    """The negotiation an article is about (one per article; ``participants`` ordered by salience)."""

    participants: dict[str, int] = field(default_factory=dict)  # actor key -> weight
    mediators: dict[str, float] = field(default_factory=dict)  # actor key -> confidence
    #: states a mediating person serves: they broker the talks, they are not a party to them
    mediator_sides: set[str] = field(default_factory=set)
    label: str | None = None
    location: str | None = None
    date: object = None
    evidence: list[Evidence] = field(default_factory=list)

    def brokers(self, key: str) -> bool:
        """Whether ``key`` mediates these talks, itself or through a person who serves it."""
        return key in self.mediators or key in self.mediator_sides

    def parties(self, n: int | None = None) -> list[str]:
        """Parties by weight, mediators left out; beyond the first two only well-attested ones."""
        ranked = [(k, w) for k, w in sorted(self.participants.items(), key=lambda kv: (-kv[1], kv[0]))
                  if not self.brokers(k) and not k.startswith("person:")]
        keep = [k for i, (k, w) in enumerate(ranked) if i < 2 or w >= 3]
        return keep[:n] if n else keep

    def attest(self, keys: list[str], weight: int) -> None:
        """Each actor named as a side gains ``weight`` (group references aside)."""
        for k in keys:
            if not k.startswith("@"):
                self.participants[k] = self.participants.get(k, 0) + weight

    def attest_together(self, keys: list[str]) -> None:
        """Sides named together, two at least: a list of three or more is as well attested as two
        named alone, so each of them counts for more."""
        if len(set(keys)) >= 2:
            self.attest(keys, 3 if len(set(keys)) >= 3 else 2)

    def expand(self, keys: list[str]) -> list[str]:
        """Group references to the actors they stand for: '@parties' (both sides), '@all-parties'
        ('the parties'), '@mediators'."""
        out = []
        for k in keys:
            if k == "@parties":
                out += self.parties(2)
            elif k == "@all-parties":
                out += self.parties()
            elif k == "@mediators":
                out += sorted(self.mediators, key=lambda m: -self.mediators[m])
            else:
                out.append(k)
        return list(dict.fromkeys(out))


@dataclass
class DocState:
    lexicon: Lexicon
    finder: Any = None  # the ActorFinder of the pipeline's dip_actors component
    #: the doc's tokens and sentences, made once: every rule walks them, and spaCy builds a new
    #: Token object on each access (measured: a third of the rules' time)
    tokens: list = field(default_factory=list)
    sentences: list = field(default_factory=list)
    actors: dict[str, Actor] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    by_token: dict[int, Mention] = field(default_factory=dict)
    talks: Talks = field(default_factory=Talks)
    delegations: dict[str, Delegation] = field(default_factory=dict)
    demands: list[Demand] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    #: token index inside a quotation -> the actor key of its speaker
    speaker_at: dict[int, str] = field(default_factory=dict)
    #: head word of an actor's written name ("powers" for "six world powers") -> key, for "the powers"
    heads: dict[str, str] = field(default_factory=dict)

    #: per key prefix ("person:", "country:", ...): (mention count it was built at, starts, mentions)
    _index: dict = field(default_factory=dict, repr=False)
    #: small per-document memos of the rules (kept here so that nothing outlives the doc)
    memo: dict = field(default_factory=dict, repr=False)

    def side_of(self, key: str) -> str:
        """Whose side an actor is on: a person stands for the state or body he serves first."""
        actor = self.actors.get(key)
        return (actor.affiliations[:1] or [key])[0] if actor else key

    def add_mention(self, m: Mention) -> None:
        self.mentions.append(m)
        for i in range(m.start, m.end):
            self.by_token[i] = m

    def rival_leaders(self, keys: list[str]) -> list[str]:
        """A crisis inside one state ('Annan led the two sides to a power-sharing agreement that
        made Kibaki president and his rival, Odinga, prime minister'): its sides are rival leaders,
        two persons or more among ``keys`` the story does not place and who mediate nothing (none
        when fewer)."""
        rivals = [k for k in keys if k.startswith("person:") and not self.actors[k].affiliations
                  and k not in self.talks.mediators]
        return rivals if len(rivals) >= 2 else []

    def cached(self, name: str, version: tuple, compute):
        """``compute()``, kept under ``name`` until ``version`` (what it was computed from, e.g.
        the number of mentions) changes; only the latest version is kept."""
        hit = self.memo.get(name)
        if hit is None or hit[0] != version:
            hit = (version, compute())
            self.memo[name] = hit
        return hit[1]

    def mentions_before(self, i: int, prefix: str = "", stop: int = 0) -> Iterator[Mention]:
        """Mentions of actors whose key starts with ``prefix`` that start before token ``i`` (and
        at or after ``stop``), nearest first. Sorted once per new mention count, then searched by
        bisection, so a rule that looks back from every token stays linear in the document."""
        built = self._index.get(prefix)
        if built is None or built[0] != len(self.mentions):
            chosen = sorted((m for m in self.mentions if m.key.startswith(prefix)), key=lambda m: m.start)
            built = (len(self.mentions), [m.start for m in chosen], chosen)
            self._index[prefix] = built
        _, starts, chosen = built
        for j in range(bisect_left(starts, i) - 1, -1, -1):
            if starts[j] < stop:
                return
            yield chosen[j]
