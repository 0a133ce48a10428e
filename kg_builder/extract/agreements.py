"""Agreements: who agreed to, signed or reached what.

Refused, negated and merely possible agreements ("would sign only ...") are not agreements.
An object that only points back at an agreement already read ("signed the document") adds its
signers to that agreement instead of making a new one; so do terms read "under the deal".
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from kg_builder.extract import grammar as g
from kg_builder.extract.actors import GROUP_HEADS, PROXY_HEADS, STATE_NOUNS, ActorFinder
from kg_builder.extract.demands import _split_clauses, _split_nominal
from kg_builder.extract.state import DocState
from kg_builder.extract.talks import is_swap, measured, steered_sides, steered_to_agreement
from kg_builder.model import Agreement


#: verbs whose subjunctive that-clause is proposed, not done ("suggested that a deal be signed")
PROPOSING = {"suggest", "propose", "recommend", "demand", "insist", "request", "urge", "ask", "require"}


def _subjunctive_passive(verb: Token) -> bool:
    """'that a ceasefire agreement be signed': a bare 'be' with no modal or 'to' before it."""
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    return any(c.lower_ == "be" and c.tag_ == "VB" for c in aux) and not any(c.tag_ in ("MD", "TO") for c in aux)


def find_agreements(doc: Doc, state: DocState, actors: ActorFinder) -> None:
    lex = state.lexicon.verbs
    frames: dict[str, list[str]] = lex["agreement"]["verbs"]
    anaphoric = set(lex["agreement"]["anaphoric_objects"])
    agreement_nouns = set(lex["agreement"]["nouns"])
    gatherings = set(lex["agreement"]["gathering_nouns"])
    bound = {v: set(objs) for v, objs in lex["agreement"]["bound_objects"].items()}
    quarrels = set(lex["agreement"].get("settled_objects", ())) | bound.get("end", set())
    obligations = set(lex["demand"]["reported"]["modals"])  # "X must agree to ...": asked, not done
    hypothetical = set(lex["modality"]["hypothetical"])
    future = set(lex["modality"]["future"])
    prospective = set(lex["modality"].get("prospective", ()))
    reporting = set(lex["reporting_verbs"])
    for verb in state.tokens:
        if verb.pos_ == "NOUN" and (verb.lemma_ in agreement_nouns or verb.lower_ in agreement_nouns or is_swap(verb, lex)):
            _nominal(doc, state, actors, verb, frames, hypothetical | future | obligations)
        if (verb.lower_ in SIGNING_NOUNS or verb.lemma_ == "ceremony" and any(c.lower_ == "signing" for c in verb.children)) \
                and verb.dep_ in ("dobj", "pobj"):
            _signing_announced(doc, state, actors, verb, agreement_nouns, hypothetical | future | obligations)
        if verb.sent.start == 0 and verb.i < 30 and verb.dep_ in ("compound", "amod", "nmod") and verb.lemma_ in frames:
            _headline_compound(doc, state, verb, agreement_nouns, bound)  # "India, Bangladesh seal boundary agreement"
        if steered_to_agreement(verb, lex, reached=True) and g.modality(verb, hypothetical, future) == "asserted":
            _steered(doc, state, actors, verb, agreement_nouns)  # "led the two sides to an agreement"
        if verb.lemma_ not in frames or not (verb.pos_ == "VERB" or _headline_verb(verb)):
            continue
        if verb.tag_ == "VBG" and not g.subjects(verb) and verb.dep_ in ("acl", "pcomp", "pobj", "conj", "advcl"):
            continue  # "reaching specific agreements" names an activity, not an agreement reached
        mod = g.modality(verb, hypothetical, future, prospective)
        if mod == "asserted" and _under_modal(verb, hypothetical | obligations):
            mod = "hypothetical"
        if mod in ("negated", "hypothetical") or _refused(verb, set(lex["refusal_verbs"])) or _without(verb):
            continue
        if verb.dep_ in lex["demand"]["verbs"].get(verb.head.lemma_, ()) and verb.head.lemma_ != "agree":
            continue  # "demands that Eritrea resolve its border dispute with Djibouti": asked, not done
        if any(c.lemma_ in lex["mediation"]["verbs"] for c in g.children(verb, "xcomp")) and len({
                state.side_of(k) for s in g.subjects(verb) for k in actors.resolve_all(doc, state, s)}) == 1:
            continue  # "Finland has agreed to mediate", "Norway agreed to host the talks": a mediator, no deal
        ended = set(lex["agreement"].get("settled_objects", ())) if verb.lemma_ in ("settle", "resolve") else set()
        if verb.lemma_ in bound:
            if not any(o.lemma_ in bound[verb.lemma_] or o.ent_type_ == "PERSON" and verb.lemma_ in SWAPPING
                       for o in g.children(verb, "dobj", "nsubjpass")):
                continue  # "restored order", "completed a visit", "exchanged views"
        elif frames[verb.lemma_][0] == "obj" and not _object_is_agreement(verb, agreement_nouns | anaphoric | ended):
            continue  # "reached Istanbul", "concluding two years of negotiations"
        if any(c.lower_ == "no" and c.dep_ == "det" for o in g.children(verb, "dobj") for c in o.children):
            continue  # "Georgia and Russia reach no agreement"
        if verb.lemma_ == "commit" and not any(any(t.tag_ == "VBG" for t in o.subtree) or o.lemma_ in agreement_nouns
                                               or state.lexicon.kind_of(o.text)
                                               for p in g.children(verb, "prep") if p.lower_ == "to"
                                               for o in g.children(p, "pobj", "pcomp")):
            continue  # "two nations committed to transparency": a creed, not a step agreed
        if g.to_infinitive(verb) and verb.head.lemma_ not in frames:
            continue  # "a treaty to be concluded within three months" is planned, not reached
        if verb.dep_ == "ccomp" and verb.tag_ == "VB" and verb.head.lemma_ in PROPOSING or _subjunctive_passive(verb):
            continue  # "we will suggest that a ceasefire agreement be signed": proposed, not reached
        if verb.dep_ == "relcl" and any(c.lower_ == "ever" for c in verb.children):
            continue  # "the largest trade agreement the EU has ever concluded": a class, not a deal
        passive = g.is_passive(verb)
        subs = g.subjects(verb) or [c for c in verb.children if c.dep_ in ("nmod", "compound") and c.i < verb.i]
        parties: list[str] = []
        thing_from_subject: list[Token] = []
        gathering = False
        if passive and not subs and verb.dep_ == "acl" and verb.head.lemma_ in agreement_nouns | {"accords"}:
            subs = [verb.head]  # "the agreement, signed by Armenia and Azerbaijan, ..."
        for s in subs:
            keys = [] if passive and (s.lemma_.lower() in agreement_nouns or s.lower_ in agreement_nouns) \
                else actors.resolve_all(doc, state, s)  # "the Oslo Accords were signed by ...": a thing
            if keys:
                parties += keys
            elif s.lemma_ in gatherings and not passive:
                # "a meeting of ten countries chaired by the UK and US agreed to ...": its members
                parties += [k for t in s.subtree if t.i != s.i for k in actors.resolve(doc, state, t)]
                gathering = True
            elif s.pos_ in ("NOUN", "PROPN") and not (verb.lemma_ == "agree" and not passive and g.children(verb, "xcomp", "ccomp")
                                                      and (s.lemma_ in PROXY_HEADS or s.lower_ in PROXY_HEADS or s.lower_ in GROUP_HEADS)):
                thing_from_subject.append(s)  # "a deal was reached", "prisoner exchange agreed"
                # (not "the groups, meeting in Eldoret, agreed to suspend hostilities": they agreed it)
        if passive:
            ag = g.agent(verb)
            parties = actors.resolve_all(doc, state, ag) if ag is not None else []
            if not parties:  # "plans were agreed at the summit": by those who met there
                parties = _gathered(doc, state, actors, verb, gatherings)
            if not parties:  # "Lebanon and Israel announced that an agreement has been reached"
                parties = _announced_together(doc, state, actors, verb)
                if not parties and _gathering_of(verb, gatherings) is not None:
                    continue  # agreed at a gathering whose members the text does not name
            one = any(c.lower_ in ("a", "an", "one") and c.dep_ in ("det", "nummod") for c in ag.children) if ag is not None else False
            if not parties and ag is not None and ag.pos_ in ("NOUN", "PROPN", "NUM") and (one or not (
                    ag.lower_ in PROXY_HEADS or ag.lower_ in GROUP_HEADS or ag.lemma_ in STATE_NOUNS
                    or ag.lemma_ in ("consensus", "acclamation", "majority", "vote"))):
                continue  # "a deal that was inked by just one faction": by someone the text does not name
                # (but "reached by the Caucasus leaders", "agreed by consensus": by the sides of the talks)
        groups = [k for k in parties if k in ("@parties", "@all-parties")]
        parties = state.talks.expand(parties)
        if not parties and groups:  # "Leaders of two warring sides in South Sudan agreed ...": the rival leaders
            parties = _unplaced_rivals(state)
        if parties and all(s.lower_ == "we" for s in subs) and all(
                state.talks.brokers(p) for p in parties):
            parties = state.talks.parties(2)  # the host's "we have reached an agreement": the parties did
        elif parties and verb.lemma_ == "agree" and all(s.lower_ == "we" for s in subs) and len(set(parties)) == 1 \
                and parties[0] in (sides := state.talks.parties(2)) and len(sides) == 2:
            parties = sides  # one side's negotiator at two-sided talks: "we agreed that ..." is both sides
        contextual = False
        if not parties and (gathering or thing_from_subject and not passive and verb.lemma_ != "agree"
                            or any(t.lower_ in PROXY_HEADS or t.lower_ in GROUP_HEADS for t in thing_from_subject)):
            continue  # "countries involved in ISAF have been committed to ...": someone unnamed
        if not parties and not subs:
            continue  # a clause the parser left without subject: whose agreement it is is unknown
        if not parties:
            parties = state.talks.parties(2)  # "a deal was reached": the parties of the talks
            contextual = True
        if not parties:
            continue
        if verb.lemma_ == "agree" and len({state.side_of(p) for p in parties}) == 1 and any(
                c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ in ("would", "could", "might", "may") for a in c.children)
                for c in verb.children):
            continue  # "The EU agrees that a credible referendum would represent a milestone": a view, no deal
        if verb.lemma_ == "agree" and (said := g.children(verb, "ccomp")) and not g.children(verb, "xcomp") and all(
                c.lemma_ == "be" and not any(a.dep_ == "aux" and a.lower_ in STEPS_TO_COME for a in c.children) for c in said):
            continue  # "agreed that resumption of the talks is only a first step": a shared view, no step agreed
        items = []
        if thing_from_subject and not (passive or verb.lemma_ == "agree"):
            continue  # "a memorandum that commits the organisation to ..." says what a text does
        if any(c.lower_ in ("no", "neither") for t in thing_from_subject for c in t.children):
            continue  # "no ceasefire was agreed"
        if any(c.lower_ in ("all", "any", "every", "each") and c.dep_ in ("det", "predet") for t in thing_from_subject
               for c in t.children):
            continue  # "all the provisions that are agreed should be separated": whatever is agreed, no one deal
        if thing_from_subject and not passive and not any(
                t.lemma_ in agreement_nouns or state.lexicon.kind_of(g.phrase(t.subtree)) for t in thing_from_subject):
            continue  # headline "X rebels agree ...": the subject is a party the parser missed, not a deal
        if thing_from_subject:
            own = {t.i for t in verb.subtree}
            items = [(t, [x for x in t.subtree if x.i not in own or t.i in own]) for t in thing_from_subject]
        else:
            items = _items(verb, frames[verb.lemma_])
        ev = g.evidence(verb.sent)
        # "signed the accord with Uganda", "..., along with representatives of Liberia's government"
        on_verb = _with_on_verb(doc, state, actors, verb)
        for head, toks in items:
            text = _text(g.without_attribution(toks, reporting))
            if not text:
                continue
            if (head.lemma_ in anaphoric or head.lower_ in anaphoric) and _is_anaphoric(head, verb) or _under_agreement(verb, agreement_nouns):
                signers = list(dict.fromkeys(parties + [k for k in on_verb if not k.startswith("@")]))
                if not state.agreements:
                    named = _named_before(state, verb, agreement_nouns)
                    if named is None and head.lemma_ not in agreement_nouns:
                        continue  # "signed the document" with no document named: nothing to say what
                    # ("Kiir and Machar agreed to the deal": the deal the story is about, named so)
                    text = g.phrase(_without_setting(named)) if named is not None else text
                    state.agreements.append(Agreement(
                        parties=signers, text=text, kind=state.lexicon.kind_of(text), modality=mod,
                        confidence=0.7 if named is not None else 0.6,
                        evidence=list(dict.fromkeys([g.evidence(named.sent), ev])) if named is not None else [ev]))
                    continue
                if state.agreements:
                    target = state.agreements[-1]
                    if not contextual:
                        for p in signers:  # (the mediator who "struck the deal" is no party to it)
                            if p not in target.parties and not _same_side(state, p, target.parties) and not state.talks.brokers(p):
                                target.parties.append(p)
                    if ev not in target.evidence:
                        target.evidence.append(ev)
                    continue
            # "an agreement with Hamas", "approved ... an agreement with Hamas" (on the verb),
            # "agreed to reinstate ties with Colombia", "agreed to US mediation" (whose offer it is)
            # (a with-phrase deeper in what was agreed names a co-party only on a verb or a noun of
            # relations: "coordinated action with Syrian forces" is no deal with Syria)
            with_parties = [k for h in [head, *head.conjuncts, verb, *[t for t in toks if t.pos_ == "VERB" or (
                                t.pos_ == "NOUN" and (t.lemma_ in RELATIONS or t.lemma_ in agreement_nouns))]]
                            for o in g.prep_objects(h, "with", "alongside") for k in actors.resolve_all(doc, state, o)]
            if head.pos_ == "NOUN":
                with_parties += [k for c in head.children if c.dep_ in ("poss", "compound", "amod", "nmod")
                                 and c.i in state.by_token and not _names_the_deal(state, c)
                                 for k in actors.resolve(doc, state, c)
                                 # ("Libyan factions sign UN deal": the UN brokered it; but "agreed to US mediation": with the US)
                                 if not state.talks.brokers(k) or head.lemma_ not in agreement_nouns]
            with_parties += _met(doc, state, actors, verb)
            with_parties += on_verb
            # "a deal struck by X after a meeting with his counterpart Y": Y's side too
            with_parties += [k for m in g.prep_objects(verb, "after", "following", "at", "during") if m.lemma_ in ("meeting", "talk", "summit")
                             for o in g.prep_objects(m, "with") for k in actors.resolve_all(doc, state, o)]
            all_parties = list(dict.fromkeys(parties + [k for k in with_parties if not k.startswith("@")]))
            if verb.lemma_ in bound and len({state.side_of(p) for p in all_parties}) < 2:
                continue  # one side's relations restored with no one named: nothing agreed between two
            if head.lemma_ in quarrels and verb.lemma_ in ENDING:
                text = f"{verb.lemma_} {text}"  # "ended / settled a border dispute": what they agreed is its end
            elif verb.lemma_ in SWAPPING:  # "exchanged Griner for Bout": the swap, both ways
                text = g.phrase([verb, *toks, *(t for p in g.prep_objects(verb, "for") for t in p.head.subtree)])
            state.agreements.append(Agreement(
                parties=all_parties, text=text, kind=state.lexicon.kind_of(text), modality=mod,
                confidence=(0.6 if contextual else 0.85), evidence=[ev]))


def _with_on_verb(doc: Doc, state: DocState, actors: ActorFinder, verb: Token) -> list[str]:
    """Who did it with the subject: 'signed it with Uganda', 'alongside Uganda', '..., along with
    representatives of Liberia's government' (the parser hangs 'with' on 'along')."""
    objs = g.prep_objects(verb, "with", "alongside") + [o for a in verb.children if a.lower_ == "along" and a.dep_ == "prep"
                                                         for o in g.prep_objects(a, "with")]
    return [k for o in objs for k in actors.resolve_all(doc, state, o)]


#: verbs that end a quarrel: "settled their border dispute", "ended the conflict" (the deal is its end)
ENDING = {"end", "settle", "resolve"}

#: verbs of a swap done between two: "exchanged prisoners" (the deal is the exchange)
SWAPPING = {"exchange", "swap"}

#: nouns whose with-phrase names the other side ("reinstate ties with Colombia")
RELATIONS = {"tie", "ties", "relation", "relations", "talk", "talks", "dialogue", "negotiation", "cooperation",
             "peace", "trade", "normalisation", "normalization", "border", "exchange", "swap"}


#: what a third party does to another's deal: "the EU and US-backed ceasefire agreement"
BACKING = {"back", "sponsor", "propose", "draft", "support", "endorse", "devise", "guarantee"}


def _names_the_deal(state: DocState, mod: Token) -> bool:
    """'the Riyadh agreement' (a place in its name), 'a UN-brokered agreement', 'the EU and
    US-backed ceasefire agreement' (its brokers and backers): a modifier of the deal that is no
    party to it."""
    doc = mod.doc
    verbs = set(state.lexicon.verbs["mediation"]["verbs"]) | BACKING
    hyphened = lambda i: i + 2 < len(doc) and doc[i + 1].text == "-" and doc[i + 2].lemma_ in verbs  # noqa: E731
    brokered = hyphened(mod.i) or mod.i + 1 < len(doc) and doc[mod.i + 1].lower_ in ("and", ",") and hyphened(mod.i + 2)
    authored = mod.head.lemma_ in PROPOSALS  # "a US proposal", "an American letter": whose it is
    return brokered or authored or mod.dep_ == "compound" and state.by_token[mod.i].how == "capital"


#: what one side puts forward: a state named on it is its author, no party to accepting it
PROPOSALS = {"proposal", "plan", "offer", "initiative", "roadmap", "letter", "draft", "blueprint", "formula"}


def _met(doc: Doc, state: DocState, actors: ActorFinder, verb: Token) -> list[str]:
    """'A met with B (in Tokyo) and agreed to ...', 'A met B and agreed': B agreed too."""
    if verb.dep_ != "conj" or verb.head.lemma_ not in ("meet", "talk") or g.children(verb, "nsubj"):
        return []
    met = g.prep_objects(verb.head, "with") + g.children(verb.head, "dobj")
    return [k for o in met for k in actors.resolve_all(doc, state, o) if not k.startswith("@")]


def _nominal(doc: Doc, state: DocState, actors: ActorFinder, noun: Token, frames: dict, modals: set[str]) -> None:
    """'talks that resulted in a ceasefire agreement between Ukraine and rebel forces', 'a
    statement of joint understanding by Olmert and Abbas': an agreement named with its parties.
    Not one sought, discussed or refused ('talks on an agreement between A and B'), nor one a
    verb of agreeing already reads ('signed an agreement with ...')."""
    lex = state.lexicon.verbs["agreement"]
    between = g.prep_objects(noun, "between")
    joint = any(c.lower_ == "joint" for c in noun.children)
    by = g.prep_objects(noun, "by") if joint else []
    parties = list(dict.fromkeys(k for o in between + by for k in actors.resolve_all(doc, state, o)
                                 if not k.startswith("@")))
    outcome = not between and not by
    if outcome:
        parties = _outcome_of_talks(doc, state, actors, noun)
    if not parties or by and len(parties) < 2 or any(c.lower_ in ("no", "any") and c.dep_ == "det" for c in noun.children):
        return  # ("there was no deal between A and B")
    governor = noun.head
    while governor.dep_ in ("prep", "pobj", "compound", "conj") and governor.head.i != governor.i:
        if governor.dep_ == "prep" and governor.lower_ in ("on", "for", "toward", "towards", "over", "about"):
            return  # "talks on an agreement between ..."
        governor = governor.head
    if governor.pos_ in ("VERB", "AUX") and (governor.lemma_ in frames and not outcome or governor.lemma_ not in lex["outcome_verbs"]
                                             and governor.lemma_ not in ("be", "publish", "announce", "read", "hail", "welcome")):
        return  # read through the verb, or sought, discussed, rejected ...
    if governor.pos_ in ("VERB", "AUX") and governor.dep_ == "xcomp" and governor.lemma_ in lex["outcome_verbs"]:
        return  # "working to broker a truce between ...": sought, not yet brokered
    if governor.pos_ in ("VERB", "AUX") and (g.is_negated(governor) or any(
            c.dep_ == "aux" and c.lower_ in modals for c in governor.children)):
        return
    toks = [t for t in noun.subtree if not any(t.i in range(p.left_edge.i, p.right_edge.i + 1) and p.i != noun.i
                                               for p in noun.children if p.dep_ == "prep" and p.lower_ in ("between", "by"))]
    text = g.phrase(toks)
    state.agreements.append(Agreement(parties=parties, text=text, kind=state.lexicon.kind_of(text),
                                      confidence=0.6, evidence=[g.evidence(noun.sent)]))


def _outcome_of_talks(doc: Doc, state: DocState, actors: ActorFinder, noun: Token) -> list[str]:
    """'talks between A and B ended with a ceasefire agreement', 'negotiations ended with agreement
    to end hostilities between A and B': an agreement the sides' talks came to, or one that ends
    the sides' quarrel."""
    lex = state.lexicon.verbs
    quarrels = set(lex["agreement"]["bound_objects"]["end"]) | set(lex["agreement"]["settled_objects"])
    ends = [o for c in noun.children if c.dep_ == "acl" and c.lemma_ in ENDING and g.to_infinitive(c)
            for o in map(measured, g.children(c, "dobj")) if o.lemma_ in quarrels or o.lower_ in quarrels]
    if noun.dep_ == "pobj" and noun.head.lower_ in ("with", "in") and noun.head.head.lemma_ in lex["agreement"]["outcome_verbs"]:
        talks = [measured(s) for s in g.subjects(noun.head.head)]
        ends += [t for t in talks if t.lemma_ in lex["talks_nouns"] or t.lower_ in lex["talks_nouns"]]
    return list(dict.fromkeys(k for t in ends for o in g.prep_objects(t, "between")
                              for k in actors.resolve_all(doc, state, o) if not k.startswith("@")))


def _gathered(doc: Doc, state: DocState, actors: ActorFinder, verb: Token, gatherings: set[str]) -> list[str]:
    """Who met at the gathering a passive agreement was made at ('agreed at the NATO summit',
    'at a meeting of EU foreign ministers'); a bare 'the summit' is the one named before it."""
    place = _gathering_of(verb, gatherings)
    if place is None:
        return []
    earlier = [t for t in doc[max(place.sent.start - 1500, 0):place.i] if t.lemma_ == place.lemma_]
    nouns = [place, *reversed(earlier[-3:])] if any(c.lower_ == "the" for c in place.children) else [place]
    for noun in nouns:  # "the NATO summit", "a meeting of EU foreign ministers"
        keys = [k for c in noun.children if c.dep_ in ("compound", "amod", "poss", "nmod")
                for k in actors.resolve(doc, state, c)]
        keys += [k for o in g.prep_objects(noun, "of") for k in actors.resolve_all(doc, state, o)]
        keys = [k for k in dict.fromkeys(keys) if not k.startswith("@")]
        if keys:
            return keys
    for noun in nouns[1:]:  # "NATO leaders met in Wales for a summit"
        met = noun.head.head if noun.head.dep_ == "prep" else noun.head
        if met.lemma_ in ("meet", "gather", "convene"):
            keys = [k for s in g.subjects(met) for k in actors.resolve_all(doc, state, s) if not k.startswith("@")]
            if keys:
                return list(dict.fromkeys(keys))
    return []


def _steered(doc: Doc, state: DocState, actors: ActorFinder, verb: Token, nouns: set[str]) -> None:
    """'Annan led the two sides to a power-sharing agreement': the object's actors agreed to it."""
    parties = steered_sides(doc, state, actors, verb, state.lexicon.verbs)
    deal = next(o for o in g.prep_objects(verb, "to", "into") if o.lemma_ in nouns or o.lower_ in nouns)
    if parties:
        text = g.phrase(_without_setting(deal))
        state.agreements.append(Agreement(parties=list(dict.fromkeys(parties)), text=text, kind=state.lexicon.kind_of(text),
                                          confidence=0.75, evidence=[g.evidence(verb.sent)]))


#: auxiliaries by which "agreed that there will be X" agrees on a step, not on a view
STEPS_TO_COME = {"will", "would", "shall", "should", "must", "'ll", "wo"}
#: verbs by which the sides make a deal known
ANNOUNCING = {"announce", "say", "confirm", "declare", "state"}


#: nouns of the act of agreeing: "announced the signing of a ceasefire agreement"
SIGNING_NOUNS = {"signing", "signature", "conclusion"}
#: verbs of coming together for a signing: "met in Amman for the signing of the agreement"
GATHERING_VERBS = {"meet", "gather", "convene", "assemble"}


def _unplaced_rivals(state: DocState) -> list[str]:
    """The two sides of a crisis inside one state when the talks have none: the story's two titled
    leaders it does not place ('President Salva Kiir', 'former Vice President Riek Machar')."""
    def rivals() -> list[str]:
        titled = sorted({m.key for m in state.mentions if m.key.startswith("person:") and state.actors[m.key].roles})
        found = state.rival_leaders(titled)
        return found if len(found) == 2 else []
    # (once per article, however many sentences say "both sides agreed")
    return list(state.cached("unplaced rivals", (len(state.mentions), len(state.talks.mediators)), rivals))


def _headline_compound(doc: Doc, state: DocState, verb: Token, nouns: set[str], bound: dict[str, set[str]]) -> None:
    """'India, Bangladesh seal boundary agreement', 'Russia, Ukraine swap prisoners': a headline's
    verb the parser takes for a word of the deal's name (or of what is swapped); the states named
    before it are its parties."""
    deal = verb.head
    while deal.dep_ == "compound" and deal.lemma_ not in nouns and deal.head.i != deal.i:
        deal = deal.head
    swapped = deal.lemma_ in bound.get(verb.lemma_, ()) and verb.lemma_ in SWAPPING
    if deal.lemma_ not in nouns and deal.lower_ not in nouns and not swapped:
        return
    keys = list(dict.fromkeys(state.by_token[t.i].key for t in doc[verb.sent.start:verb.i] if t.i in state.by_token))
    if len({state.side_of(k) for k in keys}) < 2 or any(t.pos_ == "VERB" for t in doc[verb.sent.start:verb.i]):
        return
    text = g.phrase([t for t in deal.subtree if verb.i < t.i <= deal.i])
    if text and swapped:
        text = f"{verb.lower_} {text}"  # (what was done with "prisoners" is the deal)
    if text:
        state.agreements.append(Agreement(parties=keys, text=text, kind=state.lexicon.kind_of(text),
                                          confidence=0.7, evidence=[g.evidence(verb.sent)]))


def _signing_announced(doc: Doc, state: DocState, actors: ActorFinder, noun: Token, nouns: set[str],
                       modals: set[str]) -> None:
    """'The government and the rebels announced the signing of a ceasefire agreement': sides who
    together announce (or celebrate) their signing are its parties, as when they announce that
    they signed; so are sides who met or gathered for its signing (ceremony). One alone may be
    telling of others' deal; 'welcomed the signing' is a bystander's."""
    verb = noun.head
    if noun.dep_ == "pobj":  # "met in Amman for the signing of", "gathered at the signing ceremony of"
        verb = verb.head if verb.lower_ in ("for", "at") else verb
        if verb.lemma_ not in GATHERING_VERBS:
            return
    elif verb.lemma_ not in ANNOUNCING | GATHERING_VERBS | {"celebrate", "mark"}:
        return
    if g.is_negated(verb) or any(c.dep_ == "aux" and c.lower_ in modals for c in verb.children):
        return
    deals = [o for o in g.prep_objects(noun, "of") if o.lemma_ in nouns or o.lower_ in nouns]
    keys = list(dict.fromkeys(k for s in g.subjects(verb) for k in actors.resolve_all(doc, state, s)
                              if not k.startswith("@")))
    if not deals or len({state.side_of(k) for k in keys}) < 2:
        return
    text = g.phrase(_without_setting(deals[0]))
    state.agreements.append(Agreement(parties=keys, text=text, kind=state.lexicon.kind_of(text),
                                      confidence=0.8, evidence=[g.evidence(noun.sent)]))


def _announced_together(doc: Doc, state: DocState, actors: ActorFinder, verb: Token) -> list[str]:
    """Two or more sides who together announce that a deal was reached are its parties (one
    alone may be a mediator telling of others' deal)."""
    if verb.dep_ != "ccomp" or verb.head.lemma_ not in ANNOUNCING or g.is_negated(verb.head):
        return []
    keys = [k for s in g.subjects(verb.head) for k in actors.resolve_all(doc, state, s) if not k.startswith("@")]
    return keys if len(set(keys)) >= 2 else []


def _gathering_of(verb: Token, gatherings: set[str]) -> Token | None:
    return next((o for o in g.prep_objects(verb, "at", "during") if o.lemma_ in gatherings), None)


def _under_modal(verb: Token, modals: set[str]) -> bool:
    """'who would have the authority to sign any future agreement': possible, not done."""
    for anc in [verb, *verb.ancestors]:
        if any(c.dep_ == "aux" and c.lower_ in modals for c in anc.children):
            return True
        if anc.dep_ in ("ROOT", "acl", "relcl") or anc.dep_ == "ccomp" and anc.head.lemma_ in ("say", "tell"):
            break  # a relative clause asserts on its own: "under the agreement, signed by A and B, troops will ..."
    if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
           for c in verb.children):
        return True  # "if they lift sanctions, an agreement can be reached": a condition, not a deal
    if verb.dep_ == "acl" and any(c.lower_ in ("any", "no") for c in verb.head.children):
        return True  # "will not breach any deal reached"
    objs = g.children(verb, "dobj")
    return any(c.lower_ in ("future", "potential", "possible", "eventual") for o in objs for c in o.children)


def _without_setting(obj: Token) -> list[Token]:
    """'an agreement in Qatar's capital on Saturday ..., after a year of talks': where, when and
    after what belong to the talks (dip:location, dip:date), not to what was agreed."""
    drop: set[int] = set()
    for c in obj.children:
        if c.dep_ != "prep":
            continue
        objs = [p for p in c.children if p.dep_ == "pobj"]
        setting = c.lower_ in ("after", "following", "during", "since") or c.lower_ in ("in", "at", "on") and any(
            p.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "FAC") or p.lower_ in ("capital", "ceremony", "talks")
            or any(x.ent_type_ in ("GPE", "LOC", "FAC") for x in p.children if x.dep_ in ("poss", "compound"))
            for p in objs)
        if setting:
            drop.update(t.i for t in c.subtree)
    return [t for t in obj.subtree if t.i not in drop]


#: How far back (tokens) an anaphoric signing looks for the agreement it refers to.
LOOKBACK = 2000


def _named_before(state: DocState, verb: Token, nouns: set[str]) -> Token | None:
    """'The text of a peace treaty between A and B was published. ... signed the document': the
    last agreement named (with content of its own) before an anaphoric signing."""
    for t in reversed(state.tokens[max(0, verb.i - LOOKBACK):verb.i]):
        if (t.lemma_ in nouns or t.lower_ in nouns) and t.pos_ == "NOUN" and not _is_anaphoric(t):
            return t
    return None


def _headline_verb(tok: Token) -> bool:
    """Headlines drop articles and the parser reads 'X and Y sign deal' as a noun phrase."""
    return tok.pos_ == "NOUN" and any(c.dep_ == "dobj" for c in tok.children)


def _text(toks: list[Token]) -> str:
    """Tokens as written; an item whose verb comes after what it takes (a relative clause) puts
    the verb first."""
    if len(toks) > 1 and toks[0].i > toks[-1].i:
        rest = g.phrase(toks[1:])
        if toks[1].is_sent_start and toks[1].pos_ == "DET":  # ("The prisoners that Israel agreed to free")
            rest = rest[:1].lower() + rest[1:]
        return f"{toks[0].text} {rest}"
    return g.phrase(toks)


def _items(verb: Token, frames: list[str]) -> list[tuple[Token, list[Token]]]:
    # "agreed to a cease-fire in Gaza to start at 11.30": the infinitive says when the deal starts
    to_objs, clauses = g.prep_objects(verb, "to"), g.children(verb, "xcomp")
    if "prep:to" in frames and to_objs and clauses and to_objs[0].pos_ in ("NOUN", "PROPN") and to_objs[0].i < clauses[0].i:
        return [(to_objs[0], sorted([*to_objs[0].subtree, *clauses[0].subtree], key=lambda t: t.i))]
    for frame in frames:
        if frame == "obj":
            objs = g.children(verb, "dobj")
            if not objs and _relative_object(verb):
                head = verb.head
                return [(head, [t for t in head.subtree if t.i < verb.i and not (t.dep_ == "nsubj" and t.head.i == verb.i)])]
            if objs and objs[0].lower_ in ("which", "that") and verb.dep_ == "relcl":
                # "the island, which the two sides agreed ...": the island (the noun just before, wherever
                # the parser hung the clause)
                head = objs[0].doc[objs[0].i - 1]
                head = head.nbor(-1) if head.is_punct and head.i > 0 else head
                while head.dep_ == "compound" and head.head.i > head.i:
                    head = head.head
                if head.pos_ not in ("NOUN", "PROPN"):
                    return []
                mods = [t for c in head.children if c.i < head.i and c.dep_ in ("det", "amod", "compound", "nummod", "poss")
                        for t in c.subtree]
                return [(head, sorted([*mods, head], key=lambda t: t.i))]
            if objs:
                # "signed agreements on Friday to resume grain exports": the purpose is the content
                purpose = [c for c in verb.children if c.dep_ in ("advcl", "xcomp") and c.i > objs[0].i
                           and g.to_infinitive(c)]
                toks = (_without_setting(objs[0]) + _topic_after(verb, objs[0])
                        + [t for p in purpose[:1] for t in _without_setting(p)])
                return [(objs[0], toks)]
        elif frame in ("xcomp", "ccomp"):
            clauses = g.children(verb, frame)
            rel = [c for c in clauses[0].children if c.dep_ == "dobj" and c.lower_ in ("which", "that")
                   and c.i < clauses[0].i] if clauses else []
            if rel and verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN", "NUM", "SYM"):
                # "the $6 billion that the US agreed to release": the verb, then what it takes, named before
                head = verb.head
                return [(head, [clauses[0], *(t for t in head.subtree if t.i < rel[0].i)])]
            if clauses:
                return _split_clauses(clauses[0], "to" if frame == "xcomp" else "that")
        elif frame.startswith("prep:"):
            objs = [o for o in g.prep_objects(verb, frame.split(":", 1)[1]) if o.ent_type_ not in ("DATE", "TIME")]
            if objs and objs[0].lower_ in ("which", "that") and verb.dep_ == "relcl":
                head = verb.head  # "the plan, which both sides agreed to": the plan
                return [(head, [t for t in head.subtree if t.i < objs[0].i and t.text != ","])]
            if objs:
                return _split_nominal(objs[0]) if objs[0].dep_ == "pobj" else [(objs[0], list(objs[0].subtree))]
    return []


def _is_anaphoric(head: Token, verb: Token | None = None) -> bool:
    """'the document', 'an identical text', 'it': no content of its own ('the document he signed
    with Singh': the relative clause is the signing itself, not content)."""
    if head.pos_ == "PRON":
        return True
    mods = {c.lower_ for c in head.children if c.dep_ == "amod"}
    content = [c for c in head.children if c.dep_ in ("amod", "compound", "prep", "relcl", "acl", "nummod")
               and (verb is None or c.i != verb.i) and c.lower_ not in ("identical", "same", "similar", "final", "new", "separate", "for", "on", "at", "in")]
    dets = {c.lower_ for c in head.children if c.dep_ in ("det", "poss")}
    # "the document", "its text", "an identical text" point back; "a deal" on its own is new
    definite = bool(dets & {"the", "this", "that", "these", "those", "its", "their"}) or bool(mods & {"identical", "same", "similar"})
    return not content and definite


def _under_agreement(verb: Token, nouns: set[str]) -> bool:
    """'Under the deal, Iran agreed to ...' states a term of an agreement already read."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "under":
            for p in c.children:
                if p.dep_ == "pobj" and (p.lemma_ in nouns or any(x.lower_ in ("plan", "action") for x in p.subtree)):
                    return True
    return False


#: words whose complement is sought or shunned, not done ("talks aimed at resolving the dispute",
#: "will focus on reaching a deal", "is wary of signing")
PURPOSES = {"aim", "aimed", "bid", "effort", "attempt", "seek", "try", "hope", "plan", "intend", "struggle",
            "strive", "goal", "purpose", "push", "drive", "way", "chance", "opportunity", "meant", "designed",
            "focus", "concentrate", "wary", "reluctant", "hesitant", "averse"}


def _without(verb: Token) -> bool:
    """'without new security agreements being signed': not signed; 'aimed at resolving the
    dispute', 'in a bid to settle it', 'mediating to help both sides reach a deal': sought, not
    done."""
    t = verb
    described = False  # (what a relative or a participle says of a noun stands: "to implement the deal signed in 2000")
    for _ in range(4):
        if t.dep_ in ("pcomp", "pobj") and t.head.lower_ in ("without", "before", "instead", "towards", "toward"):
            return True  # ("demanded that Ukraine withdraw before agreeing to a ceasefire": not yet agreed)
        if t.i != verb.i and t.dep_ == "advcl" and not described and g.to_infinitive(t):
            return True  # "is mediating discussions to help both sides reach a settlement": the mediator's aim
        described = described or t.dep_ == "relcl" or t.dep_ == "acl" and t.tag_ == "VBN"
        if t.dep_ in ("pcomp", "xcomp", "acl") and t.i != verb.i or t is verb and t.dep_ in ("pcomp", "xcomp", "acl"):
            gov = t.head.head if t.dep_ == "pcomp" else t.head
            if gov.lemma_.lower() in PURPOSES or gov.lower_ in PURPOSES:
                return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _relative_object(verb: Token) -> list[Token]:
    """'the peace plan it signed': the noun a relative clause hangs on is its verb's object."""
    return [verb.head] if verb.dep_ == "relcl" and not g.children(verb, "dobj") and verb.head.pos_ == "NOUN" else []


def _object_is_agreement(verb: Token, nouns: set[str]) -> bool:
    objs = g.children(verb, "dobj") + g.prep_objects(verb, "to") + _relative_object(verb)
    if g.is_passive(verb):
        objs += g.children(verb, "nsubjpass", "nsubj") + ([verb.head] if verb.dep_ == "acl" else [])
    objs += [c for o in objs for c in o.conjuncts if c.i > o.i]  # "signed a final peace and new regime accord"
    return any(o.lemma_ in nouns or o.lower_ in nouns or o.lemma_ in ("exchange", "swap") for o in objs)


def _topic_after(verb: Token, obj: Token) -> list[Token]:
    """'reached a deal on a four-day pause': with a bare object, the verb's 'on/over/for' phrase
    says what the deal is about."""
    if any(c.dep_ in ("prep", "acl", "relcl", "amod", "compound") for c in obj.children):
        return []
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("on", "over", "for") and c.i > obj.i and not any(
                p.ent_type_ in ("DATE", "TIME") for p in c.children):
            return list(c.subtree)
    return []


def _refused(verb: Token, refusal: set[str]) -> bool:
    """'refused to sign', 'rejected the deal they had reached'."""
    for anc in verb.ancestors:
        if anc.lemma_ in refusal:
            # (not across a semicolon: "OPEC, Russia agree to oil output cuts; Mexico rejects global plan")
            return not any(t.text == ";" for t in verb.doc[min(verb.i, anc.i):max(verb.i, anc.i)])
        if anc.dep_ not in ("xcomp", "ccomp", "conj", "ROOT"):
            break
    return False


def _same_side(state: DocState, key: str, parties: list[str]) -> bool:
    if key.startswith("person:"):
        return any(a in parties for a in state.actors[key].affiliations)
    return False
