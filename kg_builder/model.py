"""Plain values passed between stages: articles in, facts out.

Nothing here knows about spaCy or RDF. The extractor fills these, the RDF mapping reads them,
so either side can change without the other noticing. Actors are referred to by ``key`` (a
stable identity string such as ``country:RU`` or ``person:vladimir-putin``), never by object,
so facts stay hashable and comparable across articles.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass, field
from typing import Literal

ActorKind = Literal["person", "country", "organization"]
#: How sure the source is that a fact holds: reported as done, expected, only possible, or denied.
Modality = Literal["asserted", "future", "hypothetical", "negated"]


@dataclass(frozen=True)
class Article:
    """One news article as read from a source; ``text`` is what evidence offsets index into."""

    text: str
    title: str | None = None
    url: str | None = None
    date: _dt.date | None = None
    #: Where it came from (file path, ``file.jsonl:12``, feed entry): used in every error message.
    source: str = ""
    #: Identity of an article without URL that has a place of its own: ``file:<path>`` for a text
    #: or HTML file, so an edited file is the same article (and replaces its earlier graph).
    key: str | None = None

    @property
    def id(self) -> str:
        """Stable identity: from the URL when there is one, else from the key, else from the text."""
        basis = ("url:" + self.url) if self.url else ("key:" + self.key) if self.key else ("text:" + self.text)
        return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class Evidence:
    """The sentence a fact was read from: ``article.text[start:end] == quote``."""

    quote: str
    start: int
    end: int


@dataclass
class Actor:
    """A person, state or organisation; one per real-world entity within an article."""

    key: str
    kind: ActorKind
    name: str
    aliases: list[str] = field(default_factory=list)
    #: Persons only: titles as written ("chief negotiator", "president").
    roles: list[str] = field(default_factory=list)
    #: Persons and organisations: keys of the states or organisations they serve or belong to.
    affiliations: list[str] = field(default_factory=list)
    #: Organisations only: "armed group", "regional body", ... (free text, optional).
    category: str | None = None
    #: ISO 3166-1 alpha-2 for countries.
    code: str | None = None


@dataclass
class Delegation:
    key: str
    represents: str
    leader: str | None = None
    members: list[str] = field(default_factory=list)
    label: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Negotiation:
    """Talks, a meeting or a summit."""

    key: str
    label: str
    participants: list[str] = field(default_factory=list)
    mediators: list[str] = field(default_factory=list)
    location: str | None = None
    date: _dt.date | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(kw_only=True)
class Claim:
    """What every reported position carries: who said it, how sure the text is, where it is."""

    stated_by: str | None = None
    modality: Modality = "asserted"
    #: 0-1, from how the fact was found (direct grammar high, inferred from context lower)
    confidence: float = 0.5
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Demand(Claim):
    by: str
    text: str
    of: str | None = None
    kind: str | None = None


@dataclass
class Agreement(Claim):
    parties: list[str]
    text: str
    kind: str | None = None
    reached_in: str | None = None


@dataclass
class Condition(Claim):
    """``set_by`` makes ``applies_to`` depend on ``requires``."""

    set_by: str
    applies_to: str
    requires: str


@dataclass
class ArticleFacts:
    """Everything read from one article."""

    article: Article
    actors: dict[str, Actor] = field(default_factory=dict)
    delegations: list[Delegation] = field(default_factory=list)
    negotiations: list[Negotiation] = field(default_factory=list)
    demands: list[Demand] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
