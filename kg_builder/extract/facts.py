"""From what the components found on a Doc to plain ``ArticleFacts``.

News repeats itself: the headline, the lead and a quote often state one fact three times. Facts
that say the same thing (same actors, same kind or mostly the same words) are merged here into
one fact with several evidence sentences.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from spacy.tokens import Doc

from kg_builder.extract import grammar as g
from kg_builder.extract.state import DocState
from kg_builder.model import Agreement, Article, ArticleFacts, Condition, Demand, Negotiation

_STOP = {"the", "a", "an", "of", "to", "and", "in", "on", "for", "with", "its", "their", "be", "is", "was",
         "would", "could", "will", "that", "this", "from", "by", "as", "any", "all", "it", "were", "are", "has",
         "have", "had", "between", "both", "two", "only", "but"}
_PRONOUN_CLAUSE = re.compile(r"^(it|this|that|they|such a \w+)\b", re.I)


def to_facts(article: Article, doc: Doc) -> ArticleFacts:
    state: DocState = doc._.dip
    facts = ArticleFacts(article=article)
    _expand_groups(state)
    for a in state.agreements:  # who agreed with whom took part in the talks
        sides = {state.side_of(p) for p in a.parties}
        if len(sides) >= 2:
            state.talks.attest(sorted(sides), 1)
    rel = _Relevance(state)
    facts.negotiations = _negotiations(doc, state, rel)
    for n in facts.negotiations:
        n.date = resolve_date(n.date, article.date) if isinstance(n.date, str) else n.date
    facts.delegations = [d for d in state.delegations.values() if (d.evidence or d.leader) and rel.strong(d.represents)]
    for d in facts.delegations:
        if not d.evidence:
            d.evidence = _person_evidence(doc, state, d.leader)
    headline_end = max(doc.text.find("\n"), 0)  # a headline restates what the body reports

    def read(fact, text: str, parties: list[str], ignore: frozenset[str] = frozenset({"talks"})) -> _Read:
        return _Read(fact, sides=[state.side_of(p) for p in parties],
                     kinds=state.lexicon.kinds_of(text) - ignore,  # a deal is not the same as another for its talks
                     headline=all(ev.end <= headline_end for ev in fact.evidence))

    demands = [d for d in state.demands if _diplomatic_demand(doc, state, rel, d)]
    agreements = [a for a in state.agreements if _diplomatic_agreement(doc, state, rel, a)]
    at_table = set(state.talks.parties()) & state.memo.get("domestic groups", set())  # (an opposition at its peace talks)
    conditions = [c for c in _resolve_pronoun_conditions(state) if (rel.strong(c.set_by) or c.set_by in at_table)
                  and rel.outward(doc, c, f"{c.applies_to} {c.requires}", [c.set_by])]
    facts.demands = _merge([read(d, d.text, [d.by]) for d in demands], _same_demand, _absorb_demand,
                           block=lambda r: tuple(r.sides))  # only one side's demands can be the same
    facts.agreements = _merge([read(a, a.text, a.parties) for a in agreements], _same_agreement, _absorb_agreement)
    facts.conditions = _merge([read(c, c.applies_to, [c.set_by], frozenset()) for c in conditions],
                              _same_condition, _absorb_condition,  # here a meeting held back is a meeting held back
                              block=lambda r: tuple(r.sides))
    _affiliations_to_states(state)
    used = _used_keys(facts)
    # persons who act in a fact, or hold a public role for a diplomatic actor
    mentioned = {m.key for m in state.mentions}
    diplomatic = bool(facts.demands or facts.agreements or facts.conditions or facts.negotiations or facts.delegations)
    keep = {k for k, a in state.actors.items()
            if a.kind == "person" and k in mentioned and rel.public(a, unplaced=diplomatic)} | used
    for k in list(keep):
        keep.update(state.actors[k].affiliations)
    facts.actors = {k: state.actors[k] for k in sorted(keep) if k in state.actors}
    return facts


def _expand_groups(state: DocState) -> None:
    """'the parties', 'both sides' (``@``-keys) read as the actors of the talks, once the whole
    article is read; one that stands for several is no single demander or addressee."""
    def one(key: str | None) -> str | None:
        if key is None or not key.startswith("@"):
            return key
        found = state.talks.expand([key])
        return found[0] if len(found) == 1 else None

    for d in state.demands:
        d.by, d.of = one(d.by), one(d.of)
    for a in state.agreements:
        a.parties = state.talks.expand(a.parties)
    for c in state.conditions:
        c.set_by = one(c.set_by)
    state.demands = [d for d in state.demands if d.by]
    state.agreements = [a for a in state.agreements if a.parties]
    state.conditions = [c for c in state.conditions if c.set_by]


class _Relevance:
    """Who is a diplomatic actor (relevance.yaml): 'strong' ones make a fact diplomatic on their
    own; 'weak' ones (an NGO, a group, an unplaced person) only when they address a strong one."""

    def __init__(self, state: DocState):
        self.state = state
        cues = state.lexicon.relevance or {}
        self.gov = {w.lower() for w in cues.get("governmental_words", [])}
        self.com = {w.lower() for w in cues.get("commercial_words", [])}
        self.partisan = {w.lower() for w in cues.get("partisan_words", [])}
        self.disasters = re.compile(r"\b(?:" + "|".join(re.escape(w.lower()) for w in cues.get("disaster_words", ["earthquake"])) + r")")
        self._disaster: bool | None = None
        self.roles = {w.lower() for w in cues.get("public_roles", [])}
        self.offices = {w.lower() for w in cues.get("state_offices", [])}
        deals = "|".join(re.escape(w.lower()) for w in cues.get("commercial_deals", ["merger"]))
        self.business_deal = re.compile(rf"\b(?:{deals})s? (?:deal|agreement|pact|contract|accord)s?\b")
        self._memo: dict[str, str | None] = {}
        self._sides: set[str] | None = None  # the diplomatic sides the whole story names

    def disaster(self, doc: Doc) -> bool:
        """The story is about a natural disaster (relevance.yaml ``disaster_words``)."""
        if self._disaster is None:
            self._disaster = bool(self.disasters.search(doc.text.lower()))
        return self._disaster

    def strong(self, key: str | None) -> bool:
        return key is not None and self.kind(key) == "strong"

    def weak(self, key: str | None) -> bool:
        return key is not None and self.kind(key) == "weak"

    def public(self, actor, unplaced: bool = False) -> bool:
        """A person with a public role and a diplomatic actor behind them; with ``unplaced`` (a story
        that reports diplomacy) also one in an office only a state has, the story not saying of
        where ("Prime Minister Ehud Olmert")."""
        if not actor.affiliations:
            return unplaced and any(_without_former(r) in self.offices for r in actor.roles)
        return any(self.strong(a) for a in actor.affiliations) and (
            not actor.roles or any(self._public_role(r) for r in actor.roles))

    def _public_role(self, role: str) -> bool:
        words = role.lower().replace("-", " ").split()
        return role.lower() in self.roles or any(w in self.roles for w in words)

    def is_partisan(self, key: str | None) -> bool:
        """A party in a state's politics (by a word of its name, or of the name its initials spell)."""
        actor = self.state.actors.get(key) if key else None
        if actor is None or actor.kind != "organization":
            return False
        name = _spelled_out(self.state, actor).lower()
        return bool(set(name.replace(",", " ").split()) & self.partisan) or any(
            w in name for w in self.partisan if " " in w)

    def outward(self, doc: Doc, fact, text: str, own: list[str], by_kind: bool = True, story: bool = True) -> bool:
        """In a story that names one state or body only (a storm, a budget, a trial at home), a
        fact with one side is diplomacy only when it names another diplomatic actor or is about
        what diplomacy is about (kinds.yaml): 'called for calm', 'agreed to raise interest rates'
        are home affairs. In a story
        with two sides or more, the fact's context says whom it concerns."""
        if self._sides is None:
            self._sides = {self.state.side_of(m.key) for m in self.state.mentions
                           if not m.key.startswith("person:") and self.strong(m.key)}
        if story and len(self._sides) > 1 or by_kind and self.state.lexicon.kind_of(text):
            return True  # (without ``story``, only the fact's own words count)
        sides = {self.state.side_of(k) for k in own}
        for ev in fact.evidence:
            span = doc.char_span(ev.start, ev.end, alignment_mode="expand")
            if span is None:
                continue
            for m in self.state.mentions_before(span.end, "", span.start):
                if self.strong(m.key) and self.state.side_of(m.key) not in sides and m.key not in sides \
                        and doc[m.start:m.end].text in text:
                    return True
        return False

    def kind(self, key: str) -> str | None:
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = None  # cycles through affiliations end here
        actor = self.state.actors.get(key)
        if key in self.state.memo.get("crowds", ()) or key in self.state.memo.get("private persons", ()):
            out = None  # protesters, a crowd, a passer-by quoted with her age: no diplomacy
        elif key.startswith(("country:", "delegation:")) or key.startswith("@"):
            out = "strong"
        elif actor is None:
            out = None
        elif actor.kind == "person":
            placed = any(self.kind(a) == "strong" for a in actor.affiliations)
            out = "strong" if placed else "weak"  # a title alone does not say whom one serves
        else:
            words = set(_spelled_out(self.state, actor).lower().replace(",", " ").split())
            if actor.category or any(self.kind(a) == "strong" for a in actor.affiliations):
                out = "strong"
            elif words & self.com or any(w in actor.name.lower() for w in self.com if " " in w) \
                    or actor.name.split()[-1] == "union":
                out = None  # a firm, a club, a court, a labour union ("the UAW union")
            elif self.is_partisan(key):
                out = "weak"  # a party in a state's politics
            elif words & self.gov:
                out = "strong"
            else:
                out = "weak"
        self._memo[key] = out
        return out


def _without_former(role: str) -> str:
    words = role.lower().split()
    return " ".join(words[1:] if words[:1] in (["former"], ["outgoing"], ["acting"], ["late"]) else words)


def _spelled_out(state: DocState, actor) -> str:
    """'PDP' of a story that also writes 'Peoples Democratic Party': the name its initials stand
    for, so that what the full name says (a party, a firm) says it of the initials too."""
    name = actor.name
    if not (name.isupper() and name.isalpha() and 2 <= len(name) <= 6):
        return name
    for other in state.actors.values():
        words = [w for w in other.name.split() if w[:1].isupper()]
        if other is not actor and other.kind == "organization" and "".join(w[0] for w in words) == name:
            return other.name
    return name


def _diplomatic_demand(doc: Doc, state: DocState, rel: _Relevance, d: Demand) -> bool:
    """Whether a demand is diplomacy, step by step."""
    own = [d.by] + ([d.of] if d.of else [])
    if _relief_appeal(d) and rel.disaster(doc):
        return False  # "appealed for urgent help" after a quake
    if d.by in state.memo.get("domestic groups", ()) and not rel.outward(doc, d, d.text, own, by_kind=False):
        return False  # what an opposition demands at home
    strong, weak_person = rel.strong(d.by), d.by.startswith("person:") and rel.weak(d.by)
    if not strong and not (rel.weak(d.by) and (not weak_person or rel.strong(d.of))):
        return False  # a body that is no state (an NGO) may demand; an unplaced person only of a diplomatic actor
    if d.of and d.of.startswith("org:") and not d.by.startswith("org:") and state.side_of(d.of) == state.side_of(d.by):
        return False  # a leader's order to his own state's army or body ("ordered the nation's armed forces to ...")
    if rel.is_partisan(d.by) and d.of and d.of.startswith("country:") and not rel.outward(doc, d, d.text, own, by_kind=False):
        return False  # a party asking its own government ("the Social Democrats demanded that the new government ...")
    if d.of and rel.kind(d.of) is None and not rel.outward(doc, d, d.text, own, by_kind=False):
        return False  # asked of a firm, a club or a labour union at home: business or home affairs
    if d.of and not weak_person:
        return True
    # asked of no one, or by an unplaced person (a protester calling on his own prime minister to
    # resign): it must look outward; the kind of the demand counts only for a diplomatic demander
    # (what a party or an NGO asks at home is home affairs whatever it is about); a party asking no
    # one ("insisting that the election should be cancelled") must name a diplomatic actor in its words
    return rel.outward(doc, d, d.text, own, by_kind=strong, story=not (rel.is_partisan(d.by) and d.of is None))


def _diplomatic_agreement(doc: Doc, state: DocState, rel: _Relevance, a: Agreement) -> bool:
    """Whether an agreement is diplomacy: a diplomatic party (or rival leaders a diplomat
    mediates between), no trade between firms ('the merger deal'), and two sides or a look outward."""
    if not (any(rel.strong(p) for p in a.parties)
            or any(rel.strong(m) for m in state.talks.mediators) and state.rival_leaders(a.parties)):
        return False
    if rel.business_deal.search(a.text.lower()):
        return False
    strong = {state.side_of(p) for p in a.parties if rel.kind(p) is not None}
    if len(strong) == 1 and any(rel.kind(p) is None and not p.startswith("person:") for p in a.parties):
        return False  # a government's deal with a union or a firm ("Kenya and the doctors' union agreed"): home affairs
    return len({state.side_of(p) for p in a.parties}) > 1 or rel.outward(doc, a, a.text, a.parties)


def _negotiations(doc: Doc, state: DocState, rel: _Relevance) -> list[Negotiation]:
    talks = state.talks
    domestic = state.memo.get("domestic groups", set())  # (a government's opposition sits at its talks)
    parties = [p for p in talks.parties() if rel.strong(p) or p in domestic]  # two firms in talks hold no diplomacy
    if len(parties) == 1 and parties[0].startswith("country:"):
        # "the peace dialogue between the Thai government and Barisan Revolusi Nasional": a body
        # named as a state's counterpart at the table is a side, whatever its name's language
        # (not a name the NER took for a body that a person of the story bears, "De Mistura", nor
        # the go-betweens, "the Co-Chairs")
        surnames = {a.name.lower().split()[-1] for a in state.actors.values() if a.kind == "person"}
        parties += [p for p in talks.parties(2) if p not in parties and p.startswith("org:") and rel.weak(p)
                    and not rel.is_partisan(p) and talks.participants.get(p, 0) >= 2
                    and state.actors[p].name.lower().split()[-1] not in surnames | set(state.lexicon.verbs["mediation"]["nouns"])]
    mediators = {m: c for m, c in talks.mediators.items() if rel.strong(m)}
    if mediators and len(parties) < 2:
        ranked = sorted(talks.participants, key=lambda k: (-talks.participants[k], k))
        parties += state.rival_leaders([k for k in ranked if k not in parties])
    if not mediators and len(parties) < 2 or not parties and all(m.startswith("person:") for m in mediators):
        return []  # (a deal "brokered by" two senators, between sides the story never names: nothing places it)
    if not parties and any(rel.kind(p) is None for p in talks.participants):
        return []  # wage talks between a union and employers, whoever conciliates
    evidence = list(talks.evidence)
    if not evidence:
        nouns = set(state.lexicon.verbs["talks_nouns"])
        for sent in state.sentences:
            if any(t.lower_ in nouns and (t.lower_ != "process" or any(c.lower_ in ("peace", "negotiating")
                                                                       for c in t.children)) for t in sent):
                # (an "electoral process" is no talks; a "peace process" is)
                evidence.append(g.evidence(sent))
                break
    if not evidence:
        return []
    names = [state.actors[p].name for p in parties[:2]]
    label = "talks between " + " and ".join(names) if len(names) == 2 else "talks"
    return [Negotiation(key="talks", label=label, participants=parties,
                        mediators=sorted(mediators, key=lambda k: -mediators[k]),
                        location=talks.location, date=talks.date, evidence=evidence)]


def _person_evidence(doc: Doc, state: DocState, key: str | None):
    for m in state.mentions:
        if m.key == key:
            return [g.evidence(doc[m.start].sent)]
    return []


def _affiliations_to_states(state: DocState) -> None:
    """'an adviser to President X' serves X's state, not X."""
    for actor in state.actors.values():
        out: list[str] = []
        for aff in actor.affiliations:
            if aff.startswith("person:"):
                aff_list = state.actors[aff].affiliations if aff in state.actors else []
                out += [a for a in aff_list if not a.startswith("person:")][:1]
            else:
                out.append(aff)
        actor.affiliations = [a for a in dict.fromkeys(out) if a != actor.key]


#: what a disaster's appeal asks for ("appealed for urgent help", "we seek international assistance")
RELIEF = {"help", "assistance", "aid", "donations", "donation", "money", "funds", "supplies", "rescuers"}


def _relief_appeal(d: Demand) -> bool:
    """An appeal for help addressed to no one is, in a story about a quake or a flood, no demand
    of a diplomatic actor; asked of a state ('asked Japan for aid') it is."""
    words = re.findall(r"[a-z]+", d.text.lower())
    return d.of is None and bool(words) and len(words) <= 6 and words[-1] in RELIEF


def _used_keys(facts: ArticleFacts) -> set[str]:
    used: set[str] = set()
    for n in facts.negotiations:
        used.update(n.participants, n.mediators)
    for d in facts.delegations:
        used.add(d.represents)
        used.update(x for x in [d.leader, *d.members] if x)
    for x in facts.demands:
        used.update(k for k in (x.by, x.of, x.stated_by) if k)
    for a in facts.agreements:
        used.update(a.parties)
    for c in facts.conditions:
        used.update(k for k in (c.set_by, c.stated_by) if k)
    return used


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


def resolve_date(text: str, published: _dt.date | None) -> _dt.date | None:
    """'Friday' → the last Friday on or before the article's date; 'July 22, 2022' or '22 July'
    → that day (year from the article when not written). None when it cannot be pinned down."""
    low = text.lower().replace(",", " ").replace(".", " ")
    words = low.split()
    for w in words:
        if w in _WEEKDAYS and published is not None:
            back = (published.weekday() - _WEEKDAYS.index(w)) % 7
            return published - _dt.timedelta(days=back)
    month = next((_MONTHS[w[:3]] for w in words if w[:3] in _MONTHS and w.isalpha()), None)
    nums = [int(w) for w in words if w.isdigit()]
    day = next((n for n in nums if 1 <= n <= 31), None)
    year = next((n for n in nums if n > 1000), published.year if published else None)
    if month and day and year:
        try:
            return _dt.date(year, month, day)
        except ValueError:
            return None
    return None


# ---- merging -----------------------------------------------------------------------------------

def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in _STOP and len(w) > 2}


def _overlap(a: str, b: str) -> float:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


@dataclass
class _Read:
    """A fact while merging, with what comparing it needs: the sides of its actors (a signatory
    stands for the state he serves), the kinds its text touches, whether only the headline says it."""

    fact: Demand | Agreement | Condition
    sides: list[str]
    kinds: set[str]
    headline: bool


#: How many earlier facts of the same block a fact is compared with: restatements stand near each
#: other (headline, lead, quote); the bound keeps merging linear in a very long article.
MERGE_WINDOW = 200


def _merge(items: list[_Read], same, absorb, block=lambda r: None) -> list:
    out: list[_Read] = []
    blocks: dict = {}
    for item in items:
        near = blocks.setdefault(block(item), [])
        for kept in near[-MERGE_WINDOW:]:
            if same(kept, item):
                absorb(kept, item)
                break
        else:
            out.append(item)
            near.append(item)
    return [r.fact for r in out]


def _absorb(kept: _Read, item: _Read) -> None:
    k, i = kept.fact, item.fact
    for ev in i.evidence:
        if ev not in k.evidence:
            k.evidence.append(ev)
    k.confidence = round(min(0.99, max(k.confidence, i.confidence) + 0.05), 2)
    if k.stated_by is None and i.stated_by is not None:
        k.stated_by = i.stated_by
    kept.kinds |= item.kinds


def _absorb_demand(kept: _Read, item: _Read) -> None:
    _absorb(kept, item)
    k, i = kept.fact, item.fact
    if k.of is None and i.of:
        k.of = i.of
    if kept.headline and not item.headline:  # the body's words say more than the headline's
        k.text, k.kind, kept.headline = i.text, i.kind or k.kind, False


def _absorb_agreement(kept: _Read, item: _Read) -> None:
    _absorb(kept, item)
    k, i = kept.fact, item.fact
    if kept.headline != item.headline:
        kept.headline = False  # the headline's deal is one of the body's, not all the same sides sign
    if len(_words(i.text)) > len(_words(k.text)):
        k.text, k.kind = i.text, i.kind or k.kind
    for p in i.parties:
        if p not in k.parties:
            k.parties.append(p)


def _absorb_condition(kept: _Read, item: _Read) -> None:
    _absorb(kept, item)
    for attr in ("applies_to", "requires"):
        if len(_words(getattr(item.fact, attr))) > len(_words(getattr(kept.fact, attr))):
            setattr(kept.fact, attr, getattr(item.fact, attr))


def _same_demand(a: _Read, b: _Read) -> bool:
    if a.sides != b.sides:  # Odinga's demand and Kenya's (the headline's) are one side's
        return False
    if a.fact.text.lower() == b.fact.text.lower() or _overlap(a.fact.text, b.fact.text) >= 0.75:
        return True
    # "Russia's demand for Ukrainian neutrality" (headline) is the body's "a neutral Ukraine"; a
    # headline restates the body in fewer words ("must investigate killings ..., says UN")
    return (a.headline or b.headline) and a.fact.of == b.fact.of and (
        bool(a.kinds & b.kinds) or _overlap(a.fact.text, b.fact.text) >= 0.5)


def _same_agreement(a: _Read, b: _Read) -> bool:
    pa, pb = set(a.sides), set(b.sides)
    if not (pa <= pb or pb <= pa):
        return False
    # ("The five-page Comprehensive Agreement ... was signed by ...": the same sides' deal, taken
    # up again with a definite article, is the deal just read)
    # ("Saleh signed a Gulf initiative ... Mr. Saleh signed the agreement, crafted by the GCC": one side too)
    again = pa == pb and b.fact.text.lower().startswith(("the ", '"the ', "the so-called")) and _names_a_deal(b.fact.text)
    # a headline's deal between the same sides is the one its body reports, in other words
    headline = pa == pb and len(pa) > 1 and a.headline != b.headline
    # ("A and B reached an accord aimed at ... The two delegations sealed a landmark deal": a deal
    # named by its noun alone says nothing that makes it another one)
    bare = pa == pb and (_bare_deal(a.fact.text) or _bare_deal(b.fact.text)) and not (
        a.kinds and b.kinds and not a.kinds & b.kinds)
    return again or headline or bare or bool(a.kinds & b.kinds) or _overlap(a.fact.text, b.fact.text) >= 0.4


#: what a deal is called when nothing else is said of it: "a landmark deal", "the new accord"
_DEAL_NOUNS = {"deal", "agreement", "accord", "pact", "treaty", "understanding", "arrangement", "document"}
_DEAL_NAMES = {"agreements", "deals", "accords", "treaties", "truce", "ceasefire", "cease-fire", "memorandum",
               "framework", "declaration", "protocol", "settlement", "plan", "initiative", "roadmap", "armistice",
               "compromise", "pacts", "charter", "convention", "terms"}
_DEAL_EPITHETS = {"landmark", "historic", "new", "final", "formal", "broad", "comprehensive", "framework"}


def _names_a_deal(text: str) -> bool:
    """'the agreement', 'the five-page Comprehensive Agreement on ...': a deal taken up again, not
    'the appointment of X as prime minister' (one of its terms)."""
    head = re.split(r"\b(?:on|to|for|with|between|that|which)\b|,", text.lower(), maxsplit=1)[0]  # ("the text of the treaty")
    return bool(_words(head) & (_DEAL_NOUNS | _DEAL_NAMES))


def _bare_deal(text: str) -> bool:
    words = _words(text) - _DEAL_EPITHETS
    return len(words) == 1 and words <= _DEAL_NOUNS


def _same_condition(a: _Read, b: _Read) -> bool:
    """Same side, same thing held back: the Kremlin's condition on the leaders' meeting, said
    three times in three wordings, is one condition."""
    if a.sides != b.sides:
        return False
    return bool(a.kinds & b.kinds) or _overlap(a.fact.applies_to, b.fact.applies_to) >= 0.5


def _resolve_pronoun_conditions(state: DocState) -> list[Condition]:
    """'it would only happen following Y' continues the condition just read about the same thing."""
    out: list[Condition] = []
    for c in state.conditions:
        if _PRONOUN_CLAUSE.match(c.applies_to):
            prev = next((p for p in reversed(out) if state.side_of(p.set_by) == state.side_of(c.set_by)), None)
            if prev is not None:
                c.applies_to = prev.applies_to
        out.append(c)
    return out
