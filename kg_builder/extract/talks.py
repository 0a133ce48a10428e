"""Talks, their parties, their mediators and the delegations sent to them.

Participants are read first (``find_participants``) because later rules resolve "both sides",
"the two delegations" and agentless agreements ("a deal was reached") to them.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from kg_builder.extract import grammar as g
from kg_builder.extract.actors import ActorFinder
from kg_builder.extract.state import DocState
from kg_builder.model import Delegation


def is_swap(noun: Token, lex: dict) -> bool:
    """'a prisoner exchange', 'the swap of detainees' (not 'an exchange of fire'): a deal's act.
    What may be swapped is the lexicon's (verbs.yaml, agreement: swapped)."""
    swapped = lex["agreement"]["swapped"]
    return noun.lemma_ == "swap" or noun.lemma_ == "exchange" and any(
        c.dep_ in ("compound", "amod") and c.lemma_ in swapped
        or c.dep_ == "prep" and any(o.lemma_ in swapped for o in c.children) for c in noun.children)


def _release(noun: Token, lex: dict) -> bool:
    """'mediating the release of the hostages': freeing captives is what a hostage talks' go-between
    mediates (what may be freed is the lexicon's: verbs.yaml, agreement: swapped)."""
    swapped = lex["agreement"]["swapped"]
    return noun.lemma_ in ("release", "freedom") and any(o.lemma_ in swapped for o in g.prep_objects(noun, "of"))


def _dash_pair(doc: Doc, state: DocState, actors: ActorFinder, noun: Token) -> list[str]:
    """The two (or more) actors a noun's modifiers join with dashes: 'US-China', 'Belgrade–Pristina'."""
    words = [t for c in noun.children if c.dep_ in ("compound", "amod", "nmod") and c.i < noun.i for t in c.subtree]
    if not any(t.text in ("-", "–", "—") or t.tag_ == "HYPH" for t in words):
        return []
    keys = [k for t in words if t.i in state.by_token for k in actors.resolve(doc, state, t) if _is_actor(k)]
    return list(dict.fromkeys(keys)) if len(set(keys)) >= 2 else []


def _first_pair(obj: Token) -> list[Token]:
    """'the war between Israel and Hamas, the United States and Qatar said': the list ends at the
    conjunct after its first 'and' (the parser runs on into the sentence's speakers)."""
    out = []
    for c in sorted([obj, *obj.conjuncts], key=lambda t: t.i):
        out.append(c)
        if any(t.lower_ in ("and", "or") for t in c.doc[obj.i:c.i]):
            break
    return out


def _is_actor(key: str) -> bool:
    return not key.startswith("@")


#: Words for one side visiting the other.
VISITS = {"visit", "trip", "tour"}
APART = {"separately", "individually", "respectively"}
#: gatherings of many whose host mediates nothing by hosting them
HOSTED_GATHERINGS = {"conference", "summit", "forum", "assembly", "congress", "games", "festival"}


def find_participants(doc: Doc, state: DocState, actors: ActorFinder) -> None:
    """Parties of the talks: 'talks between X and Y', 'X and Y signed/agreed/met', delegations."""
    lex = state.lexicon.verbs
    talks_nouns = (set(lex["talks_nouns"]) | set(lex["agreement"]["nouns"]) | set(lex["mediation"]["nouns"])
                   | {"contact", "dialogue", "go-between", "intermediary", "channel", "bridge"})
    agree_verbs = set(lex["agreement"]["verbs"]) | set(lex["talks_verbs"]) | set(lex["mediation"]["between_verbs"])
    talks = state.talks
    talks_object = set(lex.get("talks_object_verbs", ()))
    quarrels = set(lex["quarrels"])  # ("the war between Israel and Hamas": its sides)
    bound = lex["agreement"]["bound_objects"]  # ("completed a prisoner exchange", not "completed a visit")
    for tok in state.tokens:
        head = tok.head
        if tok.lower_ == "for" and tok.dep_ == "prep" and (head.lower_ in ("go-between", "intermediary", "channel", "mediator")
                                                          or head.lower_ == "between" and head.i > 0 and head.nbor(-1).text == "-"):
            for obj in g.children(tok, "pobj"):  # "a go-between for Tehran and Washington"
                talks.attest(actors.resolve_all(doc, state, obj), 2)
        # "began ceasefire negotiations on Tuesday with the rebels": the parser hangs "with" on the verb
        held_talks = next((o for o in g.children(head, "dobj") if measured(o).lemma_ in talks_nouns
                           or measured(o).lower_ in talks_nouns), None) \
            if tok.lower_ == "with" and tok.dep_ == "prep" and head.pos_ == "VERB" and not (
                tok.i > 0 and tok.nbor(-1).text == ",") and not any(c.lower_ in APART for c in head.children) else None
        # (", with UN mediators pressing them": the setting; "consultations individually with each": no side)
        if tok.lower_ in ("between", "with") and tok.dep_ == "prep" and not any(c.lower_ in APART for c in head.children) and (
                head.lemma_ in talks_nouns or head.lower_ in talks_nouns or head.lemma_ in agree_verbs or is_swap(head, lex)
                or held_talks is not None
                or tok.lower_ == "between" and head.lemma_ in ATTEMPTS):  # ("reconciliation efforts between A and B")
            for obj in g.children(tok, "pobj"):
                keys = [k for k in actors.resolve_all(doc, state, obj) if _is_actor(k)]
                # (a list of three or more named together is as well attested as two)
                talks.attest(keys, 3 if len(keys) >= 3 else 2 if tok.lower_ == "between" else 1)
            held = head if held_talks is None else held_talks
            if head.dep_ == "pobj" and head.head.lower_ in ("on", "over", "about") and (
                    head.head.head.lemma_ in talks_nouns or head.head.head.lower_ in talks_nouns):
                held = head.head.head  # "continue talks on the conflict settlement with Moldova": the talks
            if tok.lower_ == "with" and held.dep_ == "dobj" and held.head.pos_ == "VERB" and not g.is_negated(held.head):
                subjects = [k for sub in g.subjects(held.head) for k in actors.resolve_all(doc, state, sub)]
                talks.attest(subjects, 3)  # "Iran continued talks with the United States, ...": Iran too
                others = [k for obj in g.children(tok, "pobj") for k in actors.resolve_all(doc, state, obj)
                          if _is_actor(k) and k not in subjects]
                if subjects and len(set(others)) >= 2:
                    talks.attest(others, 2)  # "Ethiopia held talks with Egypt and Sudan": three sides
        if tok.lower_ == "between" and tok.dep_ == "prep" and head.lemma_ in quarrels:
            # "talks to end the war between Israel and Hamas": the sides of the quarrel are the
            # talks' sides where nothing better attests them
            talks.attest([k for obj in g.children(tok, "pobj") for c in _first_pair(obj)
                          for k in actors.resolve(doc, state, c) if _is_actor(k)], 1)
        if (tok.lemma_ in talks_nouns or tok.lower_ in talks_nouns) and tok.pos_ == "NOUN":
            # "the Belgrade-Pristina dialogue", "Israeli-Palestinian talks": the sides joined by a dash
            talks.attest(_dash_pair(doc, state, actors, tok), 2)
        if tok.lemma_ in talks_object and tok.pos_ == "VERB" and not g.is_negated(tok) and not _sought(tok) and any(
                measured(o).lemma_ in talks_nouns or measured(o).lower_ in talks_nouns for o in g.children(tok, "dobj")):
            # "Serbia, Croatia and Bosnia attended the talks", "Indonesia, Malaysia end first round of talks"
            talks.attest_together([k for sub in g.subjects(tok) for k in actors.resolve_all(doc, state, sub) if _is_actor(k)])
        if tok.lemma_ in ("bring", "gather") and tok.pos_ == "VERB" and any(c.lower_ == "together" for c in tok.children):
            # "the talks bring together the Houthi movement and Yemen's government"
            talks.attest_together([k for o in g.children(tok, "dobj") for k in actors.resolve_all(doc, state, o) if _is_actor(k)])
        if tok.lemma_ in VISITS and tok.pos_ in ("NOUN", "VERB"):
            # "a visit by Chinese Premier Wen to the Indian capital", "X's trip to Y", "X visited Y":
            # a visit is a meeting of the visitor's side and the host's
            visitors = (g.subjects(tok) if tok.pos_ == "VERB" else
                        [c for c in tok.children if c.dep_ == "poss"] + g.prep_objects(tok, "by", "of"))
            hosts = g.children(tok, "dobj") if tok.pos_ == "VERB" else g.prep_objects(tok, "to")
            keys = [k for t in visitors + hosts for k in actors.resolve_all(doc, state, t) if _is_actor(k)]
            if visitors and hosts and len(keys) >= 2:
                talks.attest(keys, 1)
        if tok.pos_ == "VERB" and tok.lemma_ in agree_verbs and not g.is_negated(tok) and not (
                tok.lemma_ in lex["mediation"]["between_verbs"] and g.children(tok, "nsubj")) and not (
                tok.lemma_ in bound and not any(o.lemma_ in bound[tok.lemma_] for o in g.children(tok, "dobj"))):
            # (who brokers or mediates is the go-between, not a side: "A, B and C brokered the treaty")
            if any(c.lower_ in APART for c in tok.children):
                continue  # "Wen and his counterpart Kan are due to meet separately with Obama": not each other
            subs = g.subjects(tok)  # (several only where the parser split a coordination: one group)
            if subs:
                keys = [k for sub in subs for k in actors.resolve_all(doc, state, sub) if _is_actor(k)]
                if tok.lemma_ in ("meet", "talk"):  # "X met his counterpart Y"
                    keys += [k for o in g.children(tok, "dobj") for k in actors.resolve_all(doc, state, o) if _is_actor(k)]
                if len(set(keys)) >= 2:
                    talks.attest_together(keys)
                elif keys and tok.lemma_ in lex["talks_verbs"] and any(c.dep_ == "cc" for c in subs[0].children):
                    # "the government and the opposition resumed talks": a party though its
                    # counterpart names no actor
                    talks.attest(keys[:1], 1)
    # persons stand for the state or movement they serve
    for k in list(talks.participants):
        if k.startswith("person:"):
            talks.attest(state.actors[k].affiliations[:1], talks.participants[k])


def find_mediations(doc: Doc, state: DocState, actors: ActorFinder) -> None:
    lex = state.lexicon.verbs
    verbs = set(lex["mediation"]["verbs"])
    between_verbs = set(lex["mediation"]["between_verbs"])
    talks_only = set(lex["mediation"]["talks_only"])
    nouns = set(lex["mediation"]["nouns"])
    # (what one brokers or coordinates between sides: talks, a deal, a prisoner exchange)
    talks_nouns = set(lex["talks_nouns"]) | set(lex["agreement"]["nouns"]) | {"swap"}
    prospective = set(lex["modality"].get("prospective", ()))  # "ready to mediate": not yet mediating
    quarrels = set(lex["quarrels"])  # what is mediated besides talks ("helping mediate the crisis")
    talks = state.talks
    for tok in state.tokens:
        found: list[tuple[str, float]] = []
        if tok.dep_ == "xcomp" and (tok.head.lemma_ in OFFERS or tok.head.lemma_ in prospective and tok.head.pos_ == "ADJ") \
                or tok.dep_ == "acl" and tok.head.lemma_ in g.INTENT_NOUNS - g.TRYING_NOUNS and g.to_infinitive(tok):
            # "Egypt has offered to mediate", "the US must be ready to mediate", "the Church's
            # willingness to mediate": not yet a mediation
            continue
        if tok.lemma_ == "mediate" and tok.dep_ in ("xcomp", "advcl") and tok.head.lemma_ in CHARGES \
                and g.to_infinitive(tok) and not g.is_negated(tok.head):
            # "an agreement that calls on Qatar to mediate", "Arias was invited to mediate": the one
            # charged with it mediates
            charged = (g.children(tok.head, "nsubjpass") if g.is_passive(tok.head)
                       else g.children(tok.head, "dobj") + g.prep_objects(tok.head, "on", "upon"))
            found += [(k, 0.75) for o in charged for k in _mediator_keys(doc, state, actors, o)]
        if tok.tag_ == "VBN" and tok.lemma_ in verbs and tok.i >= 2 and tok.nbor(-1).text == "-" \
                and tok.i - 2 in state.by_token:  # "the EU-facilitated dialogue", "a US-brokered deal"
            key = state.by_token[tok.i - 2].key
            # ("Venezuelan-led negotiations" of Venezuela's own dialogue are led by a party)
            # (but "Kenyan-led talks between the government and the opposition" are Kenya's to mediate)
            between = [k for o in g.prep_objects(tok.head, "between") for t in [o, *o.conjuncts]
                       for k in actors.resolve(doc, state, t)]
            led_by_a_party = tok.lemma_ == "lead" and talks.participants.get(key, 0) >= 2 and not (
                between and key not in state.talks.expand(between))
            if not led_by_a_party and (tok.lemma_ not in talks_only or tok.head.lemma_ in talks_nouns | nouns
                                       or tok.head.lower_ in talks_nouns | nouns):
                found.append((key, 0.8))  # (a "Saudi-led coalition" mediates nothing; "Qatari-led mediation" does)
        elif "-" in tok.text and (glued := _glued_mediator(actors, tok, verbs, talks_only, talks_nouns)):
            actors.ensure(state, glued)  # "U.S.-mediated negotiations": one token, the dot keeps it whole
            found.append((glued, 0.8))
        elif tok.pos_ == "VERB" and tok.lemma_ in between_verbs and g.prep_objects(tok, "between") and not g.is_negated(tok):
            # (one shuttling "between Asian capitals and Washington", his own, goes between no two others)
            ends = {k for o in g.prep_objects(tok, "between") for k in actors.resolve_all(doc, state, o)}
            for sub in g.subjects(tok) or _attempted_by(tok):  # "X shuttled between the two delegations"
                keys = _mediator_keys(doc, state, actors, sub)
                if not any(k in ends or state.side_of(k) in ends for k in keys):
                    found += [(k, 0.8) for k in keys]
        elif tok.lower_ == "broker" and tok.pos_ == "NOUN" and (helper := _helped(tok)) is not None:
            # "China helps broker deal between Iran and Saudi Arabia", "which Malaysia helped
            # broker": the tagger makes the bare verb after "help" a noun
            for sub in g.subjects(helper):
                found += [(k, 0.8) for k in _mediator_keys(doc, state, actors, sub)]
        elif tok.lemma_ in ("help", "assist") and tok.pos_ == "VERB" and not g.is_negated(tok) and any(
                o.lemma_ in ("side", "party") and o.tag_ == "NNS" and (len(keys := actors.resolve(doc, state, o)) >= 2
                                                                       or "@parties" in keys or "@all-parties" in keys)
                for o in g.children(tok, "dobj") + [  # (or the subject of what they do)
                    s for c in g.children(tok, "ccomp", "xcomp") for s in g.children(c, "nsubj")]):
            # "Clinton helped the two sides clear a last-minute snag": who helps both sides mediates
            for sub in g.subjects(tok):
                found += [(k, 0.7) for k in _mediator_keys(doc, state, actors, sub)]
        elif steered_to_agreement(tok, lex):  # "Annan led the two sides to a power-sharing agreement"
            sides = steered_sides(doc, state, actors, tok, lex)
            talks.attest(sides, 2)
            for sub in g.subjects(tok) if sides else []:  # (between sides the text names)
                found += [(k, 0.8) for k in _mediator_keys(doc, state, actors, sub) if k not in sides]
        if tok.lemma_ in ATTEMPTS and tok.pos_ == "NOUN":
            found += [(k, 0.7) for k in _reviving_talks_of_others(doc, state, actors, tok, talks_nouns)]
        if tok.pos_ == "VERB" and tok.lemma_ in verbs and not g.is_negated(tok):
            ag = g.agent(tok)
            patient = tok.head if tok.dep_ == "acl" else next(iter(g.children(tok, "nsubjpass")), None)
            if patient is None and tok.dep_ == "conj":  # "were facilitated by Norway and hosted by Cuba"
                first = tok.head
                # ("The talks started on Thursday and were steered by X": the subject they share)
                patient = first.head if first.dep_ == "acl" else next(iter(g.children(first, "nsubjpass", "nsubj")), None)
            if tok.lemma_ in talks_only and not (patient is not None and (
                    patient.lemma_ in talks_nouns or patient.lower_ in talks_nouns or patient.lemma_ == "ceremony")) or (
                    tok.lemma_ == "host" and patient is not None and patient.lemma_ in HOSTED_GATHERINGS):
                ag = None  # "the delegation led by X", "a ministerial conference hosted by X": no mediation
            if ag is not None:  # "talks facilitated by X"
                found += [(k, 0.9) for k in _mediator_keys(doc, state, actors, ag)]
            elif not g.is_passive(tok):
                # "the pact, which Malaysia helped broker": the relative pronoun stands for the pact
                objs = [measured(_antecedent(o)) for o in g.children(tok, "dobj")]
                if tok.lemma_ == "chair":  # chairing a meeting or a conference mediates between no one
                    objs = [o for o in objs if o.lemma_ in ("talk", "talks", "negotiation", "dialogue", "process", "round")]
                if tok.lemma_ == "host":  # nor does hosting a conference or a summit of many
                    objs = [o for o in objs if o.lemma_ not in HOSTED_GATHERINGS]
                conflict = tok.lemma_ in ("mediate", "broker", "arbitrate") and any(
                    o.lemma_ in quarrels or _release(o, lex) for o in objs)
                against = [k for o in objs for w in g.prep_objects(o, "with") for k in actors.resolve_all(doc, state, w)
                           if _is_actor(k)]
                if against and tok.lemma_ in talks_only:
                    # "Ashton, who chaired the talks with Iran on behalf of the G5+1": one side's
                    # negotiator, facing the other; whom she speaks for is the other party
                    talks.attest(against + [k for o in g.prep_objects(tok, "on") if o.lower_ == "behalf"
                                            for w in g.prep_objects(o, "of") for k in actors.resolve_all(doc, state, w)], 2)
                    objs = []
                peace_effort = tok.lemma_ in talks_only and any(_peace_effort(o, talks_nouns | quarrels) for o in objs)
                if any(o.lemma_ in talks_nouns or o.lower_ in talks_nouns or is_swap(o, lex) for o in objs) or conflict \
                        or peace_effort or not objs and tok.lemma_ in (
                        "mediate", "arbitrate") and (tok.dep_ != "xcomp" or tok.head.lemma_ in ACCEPTING):
                    for sub in g.subjects(tok):  # "X mediated the talks", "X, who mediated on behalf of ..."
                        found += [(k, 0.85) for k in _mediator_keys(doc, state, actors, sub)]
        elif (tok.lower_ in nouns or _go_between(tok)) and tok.pos_ in ("NOUN", "PROPN"):
            # "Qatari mediation", "Turkish mediators", "under the auspices of the AU"
            by_verb = tok.head.head if tok.dep_ == "pobj" and tok.head.dep_ == "agent" else None
            if by_verb is not None and by_verb.lemma_ in verbs:
                continue  # already read through the verb
            if tok.lower_ == "auspices" and not _under_talks(tok, lex):
                continue  # "traveling to Cuba under the auspices of USAID": a sponsor of a trip, no mediator
            if tok.lower_ == "supervision" and not (tok.head.lower_ == "under" and _talks_under(tok, lex)):
                continue  # "the meeting started under the supervision of X" (not "a truce under UN supervision": monitored)
            bid = [c for c in tok.head.children if c.dep_ == "poss"] if tok.dep_ == "compound" and tok.head.lemma_ in ATTEMPTS else []
            mods = [*(c for c in tok.children if c.dep_ in ("amod", "compound", "poss")), *_listed_before(state, tok), *bid]
            if any(c.lemma_.lower() in quarrels | {"border", "peace"} for c in mods):
                # "Eritrea, Djibouti Border Mediation": names before the quarrel's noun are its sides
                # (a demonym still says who mediates: "Qatari peace mediation")
                sides = [c for c in mods if c.i in state.by_token and state.by_token[c.i].how != "demonym"]
                for c in sides:
                    talks.attest(actors.resolve_all(doc, state, c), 1)
                mods = [c for c in mods if c not in sides]
            if tok.lemma_ in ("chair", "co-chair", "chairman") and any(c.lemma_ in SIDE_TEAMS for c in mods):
                continue  # "GPH peace panel chair X": who chairs one side's panel mediates nothing
            for c in mods:
                found += [(k, 0.7) for k in actors.resolve_all(doc, state, c) if _is_actor(k)]
            if tok.dep_ == "compound" and tok.lemma_ in ("mediator", "facilitator", "broker", "envoy") and not found:
                # "held separate meetings with mediator Martti Ahtisaari": the one so titled
                found += [(k, 0.7) for k in actors.resolve(doc, state, tok.head) if k.startswith("person:")]
            named_by = bool(found)  # "X, the ECOWAS mediator": the body mediates, X is its envoy
            if (tok.lemma_ in ("mediator", "facilitator", "broker", "intermediary", "go-between", "middleman")
                    or _go_between(tok)) \
                    and not (named_by and tok.dep_ == "appos"):
                for sub in _predicated_of(tok):  # "Qatar has long been a key mediator", "acted as mediator"
                    found += [(k, 0.7) for k in _mediator_keys(doc, state, actors, sub)]
            elif tok.lemma_ == "host" and any((o.lemma_ in talks_nouns or o.lower_ in talks_nouns) and o.lemma_ not in
                                              HOSTED_GATHERINGS for o in g.prep_objects(tok, "of", "for")):
                for sub in _predicated_of(tok):  # "Cuba was the host for the negotiations between A and B"
                    found += [(k, 0.7) for k in _mediator_keys(doc, state, actors, sub)]
            # "the mediation of X", "under the auspices of X"; but the chair or host *of* a body
            # is what is chaired ("chair of the Russian parliament's committee"), not a mediator
            preps = ("by",) if tok.lemma_ in ("chair", "host") else ("of", "by", "from") if tok.lemma_ in (
                "mediator", "facilitator", "co-chair", "co-chairman") else ("of", "by")  # "mediators from Egypt and Qatar"
            objects = g.prep_objects(tok, *preps)
            if tok.dep_ == "conj":  # "Clinton and mediators from Switzerland": the parser hangs "from" on the first
                objects += [o for p in g.children(tok.head, "prep") if p.lower_ in preps and p.i > tok.i for o in g.children(p, "pobj")]
            if tok.lower_ == "troika":  # "the troika of EU, Russian and US negotiators" (an apposition to the parser)
                objects += [c for c in tok.children if c.dep_ == "appos"]
            if by_verb is not None and "from" in preps:  # "the deal worked out by mediators from the OAU and the UN"
                objects += g.prep_objects(by_verb, "from")
            # "facilitator of the Belgrade–Pristina Dialogue": the of-object is the talks, whose name
            # holds their sides (the parser may hang "Dialogue" on the noun as an apposition)
            dialogue = [c for c in tok.children if c.dep_ == "appos" and c.lemma_.lower() in TALKS_NAMES]
            for p in objects:
                name = [*p.subtree, *(t for c in dialogue for t in c.subtree)]
                if any(t.lemma_.lower() in talks_nouns or t.lower_ in talks_nouns for t in name):
                    talks.attest_together([state.by_token[t.i].key for t in name if t.i in state.by_token
                                           and _is_actor(state.by_token[t.i].key)])
                    continue
                found += [(k, 0.75) for k in actors.resolve_all(doc, state, p) if _is_actor(k)]
        for key, conf in found:
            if key.startswith("@"):
                continue
            talks.mediators[key] = max(conf, talks.mediators.get(key, 0))
            if key.startswith("person:"):
                talks.mediator_sides.update(state.actors[key].affiliations)
            ev = g.evidence(tok.sent)
            if ev not in talks.evidence:
                talks.evidence.append(ev)


def _talks_under(supervision: Token, lex: dict) -> bool:
    """'the meeting started under the supervision of X', 'talks held under the supervision of X':
    talks, named, are what is under it (not 'elections held under the supervision of the OSCE')."""
    gov = supervision.head.head
    nouns = set(lex["talks_nouns"])
    return gov.lower_ in nouns or any(c.lower_ in nouns for c in gov.children if c.dep_ in ("nsubj", "nsubjpass", "dobj"))


def _under_talks(auspices: Token, lex: dict) -> bool:
    """'met under the auspices of X', 'talks under the auspices of X': what is held under them
    is a meeting, talks or a deal."""
    gov = auspices.head.head if auspices.dep_ == "pobj" else auspices.head
    words = set(lex["talks_verbs"]) | set(lex["talks_nouns"]) | set(lex["agreement"]["verbs"]) | set(lex["agreement"]["nouns"])
    return gov.lemma_ in words or gov.lower_ in words or any(
        a.lemma_ in words for a in gov.ancestors if a.pos_ in ("VERB", "NOUN") and a.i > gov.i - 12)


def _glued_mediator(actors: ActorFinder, tok: Token, verbs: set[str], talks_only: set[str], talks_nouns: set[str]) -> str | None:
    name, _, participle = tok.text.rpartition("-")
    done = participle.lower()  # mediated, brokered, led
    lemma = next((v for v in verbs if done in (v + "d", v + "ed") or (v, done) == ("lead", "led")), None)
    if lemma is None or lemma in talks_only and not (tok.head.lemma_ in talks_nouns or tok.head.lower_ in talks_nouns):
        return None
    hit = actors.by_surface.get(name)
    return hit[0] if hit else None  # (the caller makes the actor)


def _go_between(tok: Token) -> bool:
    """'a go-between', which the tokenizer splits into 'go', '-', 'between'; 'a middle man'."""
    return tok.lower_ in ("between", "betweens") and tok.i >= 2 and tok.nbor(-1).text == "-" \
        and tok.nbor(-2).lower_ == "go" or tok.lower_ in ("man", "men") and tok.i >= 1 and tok.nbor(-1).lower_ == "middle"


def _listed_before(state: DocState, noun: Token) -> list[Token]:
    """'Pakistani, Saudi and Iranian mediators': the parser may hang the noun as the last conjunct
    of the names that modify it; those names (the head of the chain, its other conjuncts)."""
    if noun.dep_ != "conj" or noun.head.i > noun.i or noun.head.i not in state.by_token:
        return []
    first = noun.head
    while first.dep_ == "conj" and first.head.i < first.i and first.head.i in state.by_token:
        first = first.head
    names = [first, *(c for c in first.conjuncts if c.i < noun.i)]
    return [t for t in names if t.i in state.by_token and state.by_token[t.i].how == "demonym"]


def _helped(tok: Token) -> Token | None:
    """The 'help' a noun-tagged 'broker' is the bare verb of ('helped broker', 'helps broker deal')."""
    for gov in (tok.head, tok.head.head if tok.dep_ == "compound" else None):
        if gov is not None and gov.lemma_ == "help" and gov.pos_ == "VERB" and not g.is_negated(gov):
            return gov
    return None


#: one side's team at the table ("the government peace panel", "the MILF negotiating team")
SIDE_TEAMS = {"panel", "team", "delegation", "side", "caucus"}

#: nouns that measure talks: "led two months of peace talks", "chaired the third round of negotiations"
MEASURES = {"month", "week", "day", "year", "hour", "round", "series", "session"}


def _sought(verb: Token) -> bool:
    """An infinitive of purpose or of trying: its subject's aim, not what was done."""
    return g.to_infinitive(verb) and (verb.dep_ == "advcl" or verb.head.lemma_ in TRYING)


def measured(obj: Token) -> Token:
    """'two months of peace talks': the talks."""
    if obj.lemma_ in MEASURES:
        return next(iter(g.prep_objects(obj, "of")), obj)
    return obj


def _antecedent(obj: Token) -> Token:
    if obj.lower_ in ("which", "that"):
        rel = next((a for a in obj.ancestors if a.dep_ == "relcl"), None)
        if rel is not None:
            return rel.head
    return obj


#: words that end a talks' name ("the Belgrade–Pristina Dialogue"), not a person's
TALKS_NAMES = {"dialogue", "talks", "process", "negotiations", "conference", "initiative", "format"}


def _predicated_of(noun: Token) -> list[Token]:
    """Who a role noun is said of: 'X has been a key mediator' (attr), 'X acted as mediator',
    'the Qatar government played a crucial role in acting as a mediator' (as ...), 'the mediator,
    X,' and 'X, the mediator,' (apposition)."""
    if noun.dep_ == "attr" and noun.head.lemma_ == "be" and not g.is_negated(noun.head):
        return g.subjects(noun.head)
    if noun.dep_ == "appos":  # "Chiluba, the pact's chief mediator, said"
        return [noun.head]
    named = [c for c in noun.children if c.dep_ == "appos" and c.pos_ == "PROPN" and c.lemma_.lower() not in TALKS_NAMES]
    if named:  # "the mediator, Zambian President Frederick Chiluba, said" (not "facilitator of Belgrade – Pristina Dialogue")
        return named
    if noun.dep_ == "pobj" and noun.head.lower_ == "as":
        gov = noun.head.head
        if gov.pos_ == "VERB" and g.to_infinitive(gov) and gov.head.lemma_ in PROPOSED:
            return []  # "a proposal to include the US, EU and UN as mediators": proposed, not at work
        # "appointed Y as facilitator", "sought the relief of Othman as chief facilitator": the one named before "as"
        owners = [gov] if gov.pos_ in ("NOUN", "PROPN") else g.children(gov, "dobj")  # (or "the relief of X as ...")
        named_before = [n for o in owners if o.i < noun.i for n in [o, *g.prep_objects(o, "of")]
                        if n.pos_ == "PROPN" and n.ent_type_ in ("PERSON", "GPE", "ORG", "NORP")]
        if named_before:
            return named_before[-1:]
        for _ in range(4):
            if gov.pos_ in ("VERB", "AUX") and (subs := g.subjects(gov)):
                offered = gov.lemma_ in OFFERS or gov.dep_ == "xcomp" and gov.head.lemma_ in OFFERS
                return [] if g.is_negated(gov) or offered else subs
            if gov.head.i == gov.i:
                break
            gov = gov.head
    return []


#: verbs whose infinitive is only offered or refused, not done ("offered to mediate")
#: nouns of trying: "in a bid to mediate between A and B", "his mediation bid"
ATTEMPTS = {"bid", "effort", "attempt", "push", "drive", "initiative", "mission"}
#: verbs and nouns of trying: "would gather in Doha to try to restart talks" has restarted nothing
TRYING = {"try", "seek", "aim", "hope", "strive", "work", "want"} | ATTEMPTS


#: what makes an effort one of peace-making ("diplomatic efforts", "reconciliation efforts")
PEACE_EFFORTS = {"diplomatic", "mediation", "reconciliation", "peace", "peacemaking", "negotiating"}


def _peace_effort(obj: Token, aims: set[str]) -> bool:
    """'led diplomatic efforts', 'reconciliation efforts between Chad and Sudan', 'efforts to end
    the war': an attempt at peace between sides, which whoever leads it mediates."""
    if obj.lemma_ not in ATTEMPTS:
        return False
    kinds = PEACE_EFFORTS - {"diplomatic"} if obj.lemma_ == "mission" else PEACE_EFFORTS  # (an embassy is a "diplomatic mission")
    return any(c.dep_ in ("amod", "compound") and c.lower_ in kinds for c in obj.children) \
        or bool(g.prep_objects(obj, "between")) or any(
            c.dep_ == "acl" and g.to_infinitive(c)
            and any(o.lemma_ in aims or o.lower_ in aims for o in g.children(c, "dobj")) for c in obj.children)


#: verbs of bringing talks back: "in efforts to revive peace talks between A and B"
REVIVING = {"revive", "restart", "resume", "relaunch", "reopen", "renew", "restore", "rescue", "salvage", "unblock",
            "jumpstart", "jump-start", "kickstart", "kick-start"}


def _reviving_talks_of_others(doc: Doc, state: DocState, actors: ActorFinder, attempt: Token, talks_nouns: set[str]) -> list[str]:
    """'met the Tiger leader in efforts to revive peace talks between the government and the
    guerrillas': who tries to bring back two others' talks mediates them."""
    for verb in attempt.children:
        if verb.dep_ != "acl" or verb.lemma_ not in REVIVING or not g.to_infinitive(verb):
            continue
        for o in map(measured, g.children(verb, "dobj")):
            sides = {k for s in g.prep_objects(o, "between") for k in actors.resolve_all(doc, state, s) if _is_actor(k)}
            if (o.lemma_ in talks_nouns or o.lower_ in talks_nouns) and len(sides) >= 2:
                keys = [k for t in _attempted_by(verb) for k in _mediator_keys(doc, state, actors, t)]
                return [k for k in keys if k not in sides and state.side_of(k) not in sides]
    return []


def _attempted_by(verb: Token) -> list[Token]:
    """'Mubarak flew to Damascus in a bid to mediate between Turkey and Syria': who tries is the
    one whose bid it is, else the subject of the clause the bid hangs on."""
    noun = verb.head
    if verb.dep_ != "acl" or noun.lemma_ not in ATTEMPTS:
        return []
    owners = [c for c in noun.children if c.dep_ == "poss"]
    if owners:
        return owners
    gov = noun.head.head if noun.dep_ == "pobj" else noun.head
    return g.subjects(gov) if gov.pos_ in ("VERB", "AUX") else []


#: verbs by which one takes on a role offered ("Finland has agreed to mediate")
ACCEPTING = {"agree", "accept", "consent"}
#: verbs that charge someone with mediating ("called on Qatar to mediate", "was appointed to mediate")
CHARGES = {"call", "ask", "invite", "appoint", "choose", "name", "task", "mandate", "request", "select", "designate"}
OFFERS = {"offer", "propose", "volunteer", "refuse", "decline"}
#: words whose infinitive is asked or put forward, not done ("a proposal to include X as mediator")
PROPOSED = OFFERS | {"proposal", "plan", "offer", "call", "demand", "request", "idea", "suggestion", "suggest",
                     "want", "urge", "ask", "seek", "push", "press"}


def steered_to_agreement(tok: Token, lex: dict, reached: bool = False) -> bool:
    """'led the two sides to an agreement', 'brought Israel and Hamas to a truce': the subject
    mediated. With ``reached``, only where the object's actors also agreed: 'pushed the leaders
    towards a deal', 'arrived to lead them to a deal' steer to a deal not yet made."""
    mediation = lex["mediation"]
    if tok.pos_ != "VERB" or tok.lemma_ not in mediation.get("steer_verbs", ()) or g.is_negated(tok):
        return False
    if reached and (tok.lemma_ in mediation.get("steer_attempts", ()) or tok.dep_ in ("advcl", "relcl", "acl")
                    and g.to_infinitive(tok)):
        return False
    nouns = set(lex["agreement"]["nouns"])
    preps = ("to", "into") if reached else ("to", "into", "toward", "towards")
    if not reached and tok.lemma_ == "bring" and g.children(tok, "dobj") and not g.to_infinitive(tok) and (
            any(o.lemma_ == "table" for h in (tok, *g.children(tok, "advmod")) for o in g.prep_objects(h, "to"))
            or any(t.lower_ in ("together", "face") for c in tok.children if c.i > tok.i for t in (c, *c.children))):
        # "brought A and B face to face", "brought the two sides back to the negotiating table", "helped
        # bring the countries together" (not what one is urged "to" do)
        return True
    return bool(g.children(tok, "dobj")) and any(o.lemma_ in nouns or o.lower_ in nouns for o in g.prep_objects(tok, *preps))


def steered_sides(doc: Doc, state: DocState, actors: ActorFinder, verb: Token, lex: dict) -> list[str]:
    """Whom a mediator led to a deal: the object's actors; 'the two sides' the deal's own clause
    names ('led the two sides to a power-sharing agreement that made Kibaki president and his
    rival, Odinga, prime minister')."""
    objs = g.children(verb, "dobj")
    sides = [k for o in objs for k in actors.resolve_all(doc, state, o) if _is_actor(k)]
    if sides or not any(o.lower_ in ("sides", "parties", "rivals", "leaders") for o in objs):
        return sides
    nouns = set(lex["agreement"]["nouns"])
    for deal in g.prep_objects(verb, "to", "into", "toward", "towards"):
        if deal.lemma_ in nouns or deal.lower_ in nouns:
            named = list(dict.fromkeys(state.by_token[t.i].key for c in deal.children if c.dep_ in ("relcl", "acl")
                                       for t in c.subtree if t.i in state.by_token))
            named = [k for k in named if _is_actor(k)]
            if len({state.side_of(k) for k in named} | set(named)) >= 2:
                return named
    return []


def _mediator_keys(doc: Doc, state: DocState, actors: ActorFinder, tok: Token) -> list[str]:
    """A person named in apposition is the mediator ('the EU's foreign policy chief, X')."""
    out: list[str] = []
    envoys_of: list[str] = []  # whom a person in apposition speaks for
    for t in [tok, *tok.conjuncts]:
        apps = [c for c in t.children if c.dep_ == "appos"]
        keys = []
        for a in apps:
            keys = [k for k in actors.resolve(doc, state, a) if k.startswith("person:")]
            if keys:
                envoys_of += actors.resolve(doc, state, t)
                break
        out += keys or [k for k in actors.resolve(doc, state, t) if _is_actor(k)]
    # and the lists the parser hangs as appositions: "The United States, Brazil, Argentina and Chile brokered"
    return out + [k for k in actors.resolve_all(doc, state, tok) if _is_actor(k) and k not in out and k not in envoys_of]


def find_delegations(doc: Doc, state: DocState, actors: ActorFinder) -> None:
    lex = state.lexicon.verbs
    del_nouns = set(lex["delegation_nouns"]) | {"delegation", "team"}
    lead_verbs = set(lex["lead_verbs"])
    leads_roles = {r.lower() for r in state.lexicon.titles["leads_delegation"]}
    delegates = set(lex["delegate_nouns"])
    mediation_nouns = set(lex["mediation"]["nouns"])
    for tok in state.tokens:
        if tok.lower_ in delegates:  # "Iran's negotiators", "delegates from the UN, the EU and the World Bank"
            if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ in mediation_nouns \
                    or tok.dep_ == "appos" and tok.head.lower_ in mediation_nouns:
                continue  # "the troika of EU, Russian and US negotiators" mediates; it is no side's delegation
            if tok.tag_ == "NN" and (tok.dep_ == "compound" and tok.head.ent_type_ == "PERSON" or any(
                    c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in tok.children)):
                continue  # "U.S. negotiator Paul Nitze": a title (a delegation only if it leads one)
            keys = _delegation_parties(doc, state, actors, tok, via_verb=True)
            for key in keys:
                _delegation(state, key, g.evidence(tok.sent))
                if len(keys) >= 3 and tok.lower_ != "representatives":  # "the chief negotiators from A, B, C, D"
                    state.talks.participants[key] += 2
            continue
        if tok.lemma_ not in ("delegation", "team", "side") and tok.lower_ not in ("delegation", "delegations", "team"):
            continue
        leaders = _leaders_of(tok, lead_verbs)
        if tok.lemma_ == "team" and not (_negotiating_team(tok) or leaders):
            continue
        if tok.lemma_ == "side" and not leaders:
            continue  # "the Ukrainian side, led by X" is a delegation; "the Ukrainian side said" is Ukraine
        keys = _delegation_parties(doc, state, actors, tok)
        ev = g.evidence(tok.sent)
        for key in keys:
            d = _delegation(state, key, ev)
            # "the Y delegation, led by X", "was headed by X", "the delegation under X"
            for person_tok in leaders:
                for leader in actors.resolve(doc, state, person_tok):
                    if leader.startswith("person:"):
                        _set_leader(state, d, leader)
            # "X led the Y delegation" / "X headed ..."
            head = tok.head
            if tok.dep_ == "dobj" and head.lemma_ in lead_verbs:
                people = [k for sub in g.subjects(head) for k in actors.resolve_all(doc, state, sub) if k.startswith("person:")]
                if len(keys) > 1 and len(people) == len(keys):
                    people = [people[keys.index(key)]]  # "A and B led the government and rebel teams": in order
                else:
                    people = [k for sub in g.subjects(head) for k in actors.resolve(doc, state, sub)]
                for leader in people:
                    if leader.startswith("person:"):
                        _set_leader(state, d, leader)
            # "X and Y were part of the Z delegation"
            if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ in ("part", "member", "members"):
                verb = tok.head.head.head
                for sub in g.subjects(verb) if verb.pos_ in ("AUX", "VERB") else []:
                    for member in actors.resolve_all(doc, state, sub):
                        if member.startswith("person:") and member not in d.members:
                            d.members.append(member)
                            _affiliate(state, member, key)
    # "Russia's chief negotiator" leads Russia's delegation
    for key, actor in list(state.actors.items()):
        if actor.kind == "person" and any(r in leads_roles for r in actor.roles) and actor.affiliations \
                and actor.affiliations[0] not in state.talks.mediators:  # a facilitator's negotiator is no party's
            d = _delegation(state, actor.affiliations[0], None)
            if d.leader is None:
                d.leader = key
    for d in state.delegations.values():
        if d.leader and d.leader in d.members:
            d.members.remove(d.leader)


def _leaders_of(tok: Token, lead_verbs: set[str]) -> list[Token]:
    """Who a delegation is led by, written after it: 'delegation, led by X', 'delegation headed by
    X', 'the delegation was led by X', 'the delegation under X'."""
    verbs = [c for c in tok.children if c.dep_ in ("acl", "relcl") and c.lemma_ in lead_verbs]
    if tok.dep_ == "nsubjpass" and tok.head.lemma_ in lead_verbs:
        verbs.append(tok.head)
    found = [p for v in verbs if (ag := g.agent(v)) is not None for p in [ag, *ag.conjuncts]]
    found += [p for p in g.prep_objects(tok, "under")]
    return found


def _negotiating_team(tok: Token) -> bool:
    return tok.lower_ == "delegation" or any(c.lower_ in ("negotiating", "negotiation") for c in tok.children) or any(
        c.dep_ in ("amod", "compound", "poss") for c in tok.children) and tok.head.lemma_ in ("lead", "head", "change", "send")


def _delegation_parties(doc: Doc, state: DocState, actors: ActorFinder, tok: Token, via_verb: bool = False) -> list[str]:
    """Whom a delegation noun represents: its modifiers, its 'of/from' phrase and, with
    ``via_verb``, the 'from' phrase of the verb it is the subject of ('delegates were from X')."""
    keys: list[str] = []
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "poss", "nmod"):
            for k in actors.resolve_all(doc, state, c):
                if k not in keys:
                    keys.append(k)
    froms = g.prep_objects(tok, "of", "from")
    if via_verb and tok.dep_ in ("nsubj", "attr") and tok.head.lemma_ == "be":
        froms += g.prep_objects(tok.head, "from")
    for p in froms:
        for k in actors.resolve_all(doc, state, p):
            if k not in keys:
                keys.append(k)
    army = next((c for c in tok.children if c.dep_ in ("compound", "amod") and c.lower_ in ("army", "military")), None)
    if army is not None:  # "the Sudanese army delegation" represents the army, not the state
        keys = [actors.armed_forces_of(state, k, army) if k.startswith("country:") else k for k in keys]
    if not keys and tok.dep_ == "dobj" and tok.head.lemma_ in SEND_VERBS and not g.is_negated(tok.head) and (
            tok.lemma_ == "delegation" or any(c.lower_ in ("negotiating", "negotiation") for c in tok.children)):
        # (but "offered to send rescue teams" sends no one to talks)
        for sub in g.subjects(tok.head):  # "the Islamic Courts Union says it is sending a delegation"
            keys += [k for k in actors.resolve_all(doc, state, sub) if k not in keys]
    if not keys and any(c.lower_ in ("both", "two") for c in tok.children):
        keys = ["@parties"]
    out = []
    for k in state.talks.expand(keys):  # "representatives of the mediators": whoever mediates
        out += state.actors[k].affiliations[:1] if k.startswith("person:") else [k]
    return list(dict.fromkeys(out))


#: verbs whose subject's own delegation is their object: "X is sending a delegation"
SEND_VERBS = {"send", "dispatch"}


def _delegation(state: DocState, party: str, ev) -> Delegation:
    d = state.delegations.get(party)
    if d is None:
        d = Delegation(key=party, represents=party, label=f"delegation of {state.actors[party].name}")
        state.delegations[party] = d
    if ev is not None and ev not in d.evidence:
        d.evidence.append(ev)
    state.talks.attest([party], 1)
    return d


def _set_leader(state: DocState, d: Delegation, leader: str) -> None:
    d.leader = leader
    _affiliate(state, leader, d.represents)


def _affiliate(state: DocState, person: str, party: str) -> None:
    actor = state.actors[person]
    if not actor.affiliations:
        actor.affiliations.append(party)




def find_setting(doc: Doc, state: DocState, actors: ActorFinder) -> None:
    """Where and when the talks took place: 'a meeting in Istanbul on Friday', 'signed ... on
    Friday at the palace'. The date stays text here; ``facts`` resolves it against the article date."""
    lex = state.lexicon.verbs
    anchors = (set(lex["talks_nouns"]) | set(lex["talks_verbs"]) | set(lex["agreement"]["nouns"])
               | {"sign", "reach", "agree", "initial", "conclude", "ceremony", "signing"})
    talks = state.talks
    for tok in state.tokens:
        if not (tok.lemma_ in anchors or tok.lower_ in anchors):
            continue
        for prep in (c for c in tok.children if c.dep_ == "prep"):
            for obj in (p for p in prep.children if p.dep_ == "pobj"):
                if prep.lower_ in ("in", "at") and (talks.location is None or talks.location in state.lexicon.country_names):
                    place = _place(obj)
                    if place:  # "dialogue in Turkey", then "a meeting in Istanbul": the city says more
                        talks.location = place
                elif prep.lower_ == "on" and obj.ent_type_ == "DATE" and talks.date is None:
                    talks.date = _ent_text(obj)
    if talks.location is None:
        for sent in state.sentences[:3]:  # the dateline city: "ISTANBUL, July 22, 2022 -"
            if sent.text.strip().endswith(("-", "–", "—")) and sent[0].text.isupper() and sent[0].pos_ == "PROPN":
                talks.location = sent[0].text.title()
                break


def _place(tok: Token) -> str | None:
    for t in [tok, *[c for c in tok.children if c.dep_ in ("poss", "compound")]]:
        if t.ent_type_ in ("GPE", "LOC", "FAC"):
            return _ent_text(t)
    return None


def _ent_text(tok: Token) -> str:
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end:
            return ent.text
    return tok.text
