"""Demands: who demands what of whom.

A demand verb ("demand", "urge", "call for", "insist that") names its demander as subject and
the demanded thing in one of the frames listed for it in verbs.yaml. Lists of things demanded
are split into one demand each; a single clause with several verbs stays one demand.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from kg_builder.extract import grammar as g
from kg_builder.extract.actors import GROUP_HEADS, PLACE_NOUNS, ActorFinder
from kg_builder.extract.state import DocState
from kg_builder.model import Condition, Demand

#: Demand verbs in the present tense that a headline parse reads as nouns ("Armenia demands return
#: of prisoners").
HEADLINE_VERBS = {"demands", "urges", "insists", "calls", "presses", "wants", "seeks"}
#: Subordinators that open a contrast, not part of what is demanded.
CONTRAST = {"while", "whereas", "although", "though"}


def find_demands(doc: Doc, state: DocState, actors: ActorFinder) -> None:
    lex = state.lexicon.verbs["demand"]
    frames: dict[str, list[str]] = lex["verbs"]
    for tok in state.tokens:
        if tok.pos_ == "VERB" and tok.lemma_ in frames and frames[tok.lemma_] and not g.is_negated(tok):
            _verbal(doc, state, actors, tok, frames[tok.lemma_])
        elif tok.lower_ in lex["nouns"] and tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "nsubjpass"):
            _nominal(doc, state, actors, tok, set(lex["list_verbs"]))
        if (tok.lower_ in lex["nouns"] or tok.lower_ in lex["clause_nouns"]) and tok.pos_ == "NOUN":
            _possessed(doc, state, actors, tok)
        if tok.lower_ in HEADLINE_VERBS and tok.pos_ in ("NOUN", "PROPN") and tok.sent.start == 0:
            _headline(doc, state, actors, tok)
        if tok.lemma_ in ("give", "grant") and tok.pos_ == "VERB" and not g.is_negated(tok):
            _given_time(doc, state, actors, tok)
        if tok.lemma_ in REQUESTS and tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ in ("at", "upon", "on"):
            _at_request(doc, state, actors, tok)
        if tok.lemma_ in lex["reported"]["verbs"] and tok.pos_ == "VERB" and not g.is_negated(tok):
            _reported(doc, state, actors, tok, set(lex["reported"]["modals"]))
        elif tok.i in state.speaker_at and tok.pos_ in ("VERB", "AUX"):
            _quoted(doc, state, actors, tok, set(lex["reported"]["modals"]))


#: verbs that command: what one commands one's own is no demand
ORDERS = {"order", "instruct", "direct"}
#: verbs of getting in touch: whom one calls "to urge" something is asked it
CONTACTS = {"telephone", "phone", "call", "meet", "visit", "summon", "contact", "ring", "write"}
#: verbs that commit to a later act: what they commit to ask is not yet asked
COMMISSIVES = {"promise", "pledge", "vow", "offer", "plan", "intend", "undertake"}
QUOTE_MARKS = {'"', "“", "”", "'", "‘", "’", "``", "''"}
TIME_SPANS = {"hour", "day", "week", "month", "deadline"}


def _given_time(doc: Doc, state: DocState, actors: ActorFinder, verb: Token) -> None:
    """'gave the Canadian ambassador 24 hours to leave the country', 'given Qatar ten days to
    comply': a deadline set is a demand of whom it is given to."""
    spans = [c for c in verb.children if c.dep_ in ("npadvmod", "dobj") and (c.lemma_ in TIME_SPANS or c.ent_type_ in ("DATE", "TIME"))]
    spans += [o for p in g.children(verb, "prep") if p.lower_ == "until" for o in g.children(p, "pobj")]  # "until noon"
    # the parser takes the one given the time for a second object as often as for a dative
    # ("the rebels have been given 48 hours to leave": the subject of the passive)
    passive = g.is_passive(verb)
    whom = [k for c in verb.children if c.dep_ == "dative" or c.dep_ == "dobj" and c not in spans
            or passive and c.dep_ == "nsubjpass" for k in actors.resolve_all(doc, state, c)]
    clauses = [c for c in [*verb.children, *(x for s in spans for x in s.children)]
               if c.dep_ in ("advcl", "xcomp", "acl", "relcl") and c.i > verb.i and g.to_infinitive(c)]
    if not spans or not whom or not clauses:
        return
    by = [k for k in _demanders(doc, state, actors, verb) if k not in whom]
    if passive and not by:  # who gave it, unsaid: the state the story is about, else the other side of its talks
        home = actors.home_country(state)
        giver = home if home and state.side_of(home) != state.side_of(whom[0]) else _other_party(state, whom[0])
        by = [giver] if giver else []
    text = g.phrase([t for t in clauses[0].subtree if not (t.dep_ == "aux" and t.tag_ == "TO" and t.head.i == clauses[0].i)])
    for demander in by:
        state.demands.append(Demand(by=demander, of=whom[0], text=text, kind=state.lexicon.kind_of(text),
                                    confidence=0.7, evidence=[g.evidence(verb.sent)]))


def _at_request(doc: Doc, state: DocState, actors: ActorFinder, noun: Token) -> None:
    """'Britain canceled a warship's visit at Chile's request', 'at the request of Kabul': what was
    done was asked of whoever did it, by whoever requested it."""
    verb = noun.head.head
    for _ in range(4):  # (the parser may hang "at X's request" on the object: "a visit by a warship at ...")
        if verb.pos_ == "VERB" or verb.dep_ not in ("pobj", "prep", "dobj") or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.pos_ != "VERB" or g.is_negated(verb) or noun.head.dep_ != "prep":
        return
    owners = [c for c in noun.children if c.dep_ == "poss"] or g.prep_objects(noun, "of")
    by = [k for o in owners for k in actors.resolve_all(doc, state, o)]
    subs = g.subjects(verb)
    done_by = [k for s_ in subs for k in actors.resolve_all(doc, state, s_)]
    if not by or not done_by or set(map(state.side_of, by)) & set(map(state.side_of, done_by)):
        return  # (its own request: "Russia withdrew at its own request")
    skip = {t.i for t in noun.head.subtree} | {t.i for s_ in subs if s_.head.i == verb.i for t in s_.subtree}
    toks = [t for t in verb.subtree if t.i not in skip and not (t.dep_ in ("aux", "auxpass", "neg", "mark", "cc", "conj")
                                                                 and t.head.i == verb.i)]
    while toks and toks[-1].is_punct:
        toks.pop()
    if sum(1 for t in toks if t.is_alpha) < 2:
        return  # ("the Indonesians were involved at the request of the Taliban": what was asked is not said)
    text = g.phrase(toks)
    for demander in dict.fromkeys(by):
        state.demands.append(Demand(by=demander, of=done_by[0], text=text, kind=state.lexicon.kind_of(text),
                                    modality=_modality(state, verb), confidence=0.7, evidence=[g.evidence(verb.sent)]))


#: "at X's request", "at the behest of X": nouns whose owner asked for what was done
REQUESTS = {"request", "behest", "urging", "insistence"}


def _denied(verb: Token, refusal: set[str]) -> bool:
    t = verb
    for _ in range(3):
        if t.dep_ not in ("ccomp", "xcomp") or t.head.i == t.i:
            return False
        t = t.head
        if t.lemma_ in refusal:
            return True
    return False


def _possessed(doc: Doc, state: DocState, actors: ActorFinder, noun: Token) -> None:
    """'Russia's demand for a neutral Ukraine', 'Kyiv's call for a ceasefire', 'Hamas's insistence
    on a permanent ceasefire': the possessor demands what the for/on phrase names. (Conditions
    *for* something say what waits on them: see ``_nominal``.)"""
    if noun.lemma_ in ("condition", "precondition", "term") or noun.dep_ == "poss":
        return  # (a "calls" that possesses a noun is the verb the tagger missed: "in what Trump calls 'historic' agreement")
    lex = state.lexicon.verbs["demand"]
    owners = ([c for c in noun.children if c.dep_ == "poss"] or g.prep_objects(noun, "by")  # "a demand by X"
              or [c for c in noun.children if c.dep_ in ("compound", "amod") and c.i in state.by_token])  # "the US demand"
    carried = noun.dep_ == "dobj" and noun.head.lemma_ in lex.get("carrier_verbs", ())
    if not owners and carried:  # "Ukraine renewed calls for ...", "NATO issued an ultimatum to X to ..."
        owners = g.subjects(noun.head)
    targets = [o for o in g.prep_objects(noun, "for", "on") if not _when(o)][:1]
    if not targets and carried and noun.lemma_ == "pressure":  # "put pressure on X to ...": "on" hung on the verb
        targets = [o for o in g.prep_objects(noun.head, "on") if not _when(o)][:1]
    asked = [k for o in g.prep_objects(noun, "to", "from") if not _when(o) for k in actors.resolve_all(doc, state, o)]
    if carried:  # "gave Sudan's army an ultimatum to ...": the dative is asked (headlines: "gives Niger junta ultimatum")
        asked += [k for o in g.children(noun.head, "dative") + g.children(noun, "nmod") for k in actors.resolve_all(doc, state, o)]
    # "its call for Beijing to release the detainees": Beijing is asked, the infinitive is the demand
    infinitive = lambda c: c.dep_ in ("acl", "relcl", "xcomp", "ccomp", "advcl") and g.to_infinitive(c)
    for_to = [(t, c) for t in targets for c in t.children if infinitive(c)]
    # ... which the parser may hang on the verb that carries the noun, or as a for-clause of the noun
    for_to += [(t, c) for t in targets for c in [*noun.children, *(noun.head.children if noun.dep_ == "dobj" else [])]
               if infinitive(c) and c.left_edge.i == t.right_edge.i + 1]
    for_to += [(s, c) for c in [*noun.children, *(noun.head.children if noun.dep_ == "dobj" else [])]
               if c.i > noun.i and infinitive(c) and any(m.lower_ == "for" and m.dep_ == "mark" for m in c.children)
               for s in g.children(c, "nsubj") + [o for m in c.children if m.lower_ == "for" and m.dep_ == "mark"
                                                  for o in g.children(m, "pobj")]]  # ("demands for Syria to stop")
    if for_to and noun.lower_ in lex["nouns"] and (actors.resolve(doc, state, for_to[0][0]) or carried):
        asked_of, clause = for_to[0]  # ("issued an ultimatum for coup plotters to ...": asked of no actor)
        # (the one the for-clause names is asked, not whom the demands were handed to)
        asked = actors.resolve_all(doc, state, asked_of) or asked
        things = [(clause, [t for t in _one_clause(clause) if t.i not in {x.i for x in asked_of.subtree}
                            and not (t.dep_ == "mark" and t.head.i == clause.i)])]
    else:
        things = [(h, toks + _gerund_after(t, noun)) for t in targets for h, toks in _split_nominal(t)
                  if noun.lower_ in lex["nouns"] and noun.lemma_ not in ("ultimatum", "pressure")]
    if not things and (asked and carried or owners and noun.lower_ in lex["nouns"] and noun.lemma_ != "pressure"):
        # "gave X an ultimatum to ...", "refused U.S. demands to negotiate with the government"
        things = [(c, _one_clause(c)) for c in noun.children if c.dep_ in ("acl", "relcl") and g.to_infinitive(c)]
        if things and not asked and noun.dep_ == "dobj" and noun.head.lemma_ in state.lexicon.verbs["refusal_verbs"]:
            asked = [k for s in g.subjects(noun.head) for k in actors.resolve_all(doc, state, s)]  # who refuses was asked
    clause = _that_clause(noun)
    if clause is not None and noun.lower_ not in lex["nouns"] and not any(
            c.dep_ == "aux" and c.lower_ in lex["reported"]["modals"] for c in clause.children):
        clause = None  # "a warning that talks would fail" foretells; "a reminder that Iraq must ..." demands
    if clause is not None and not things:
        # "X reiterated its demand that Israel ease ...", "X issued a reminder to Iraq that it must ..."
        things = [(clause, [t for t in clause.subtree if not (t.dep_ == "mark" and t.head.i == clause.i)])]
        if not owners and noun.dep_ == "dobj" and noun.head.lemma_ not in state.lexicon.verbs["refusal_verbs"]:
            owners = [s for s in g.subjects(noun.head)]  # (who rejects a demand did not make it)
    if not owners or not things:
        return
    by = state.talks.expand([k for o in owners for k in actors.resolve_all(doc, state, o)])
    by = [k for k in by if not k.startswith("@")]
    if not by:
        return
    for head, toks in things:
        if head.lower_ in state.lexicon.verbs["demand"]["nouns"] and any(c.dep_ == "poss" for c in head.children):
            continue  # "X's demand for A and Y's call for B": Y's call is read on its own
        text = g.phrase(toks)
        of = _single(asked, by) or _addressee_in(doc, state, actors, head, toks, by) or _other_party(state, by[0])
        state.demands.append(Demand(by=by[0], of=of, text=text, kind=state.lexicon.kind_of(text),
                                    confidence=0.65, evidence=[g.evidence(noun.sent)]))


def _gerund_after(target: Token, noun: Token) -> list[Token]:
    """'insistence on Cyprus becoming two separate states': the gerund is what is asked of the
    name before it, though the parser hangs it on the noun."""
    doc = target.doc
    after = doc[target.right_edge.i + 1] if target.right_edge.i + 1 < len(doc) else None
    if after is None or after.tag_ != "VBG" or after.head.i not in (noun.i, target.i) or target.pos_ != "PROPN":
        return []
    return [t for t in after.subtree if t.i not in {x.i for x in target.subtree}]


def _that_clause(noun: Token) -> Token | None:
    """The that-clause a noun governs ('the demand that Israel ease restrictions'), if any."""
    for c in noun.children:
        if c.dep_ in ("acl", "ccomp", "relcl") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
            return c
    if noun.dep_ == "dobj":  # "reiterated its demand today that ...": the parser hangs the clause on the verb
        for c in noun.head.children:
            if c.dep_ == "ccomp" and c.i > noun.i and c.left_edge.lower_ == "that" and all(
                    t.dep_ in ("npadvmod", "advmod", "punct") or t.ent_type_ in ("DATE", "TIME") or t.lower_ in ("on", "in")
                    for t in noun.doc[max(noun.right_edge.i, noun.i) + 1:c.left_edge.i]):
                return c
    return None


#: the public, asked by its own authorities: whoever asks them asks no diplomatic actor
PUBLIC = {"citizen", "resident", "people", "public", "population", "fan", "voter", "tourist", "traveller",
          "traveler", "worker", "student", "parent", "driver", "motorist", "consumer", "family", "inhabitant",
          "villager", "householder", "shopper", "passenger"}


def _asked(verb: Token, frames: list[str]) -> list[Token]:
    """Whom the verb names as asked, actor or not: "called on X to", "urged X to"."""
    asked = [o for f in frames if f.startswith("addr:") for o in g.prep_objects(verb, f.split(":", 1)[1])]
    if "xcomp" in frames and _infinitives(verb):
        asked += g.children(verb, "dobj")
    return asked


def _glued(a: Token, b: Token) -> bool:
    """Whether ``a`` and ``b`` are parts of one hyphenated word the parser took for objects of
    their own ("for the de - escalation": "de", "-", "escalation")."""
    return a.i < b.i and all(not t.whitespace_ for t in a.doc[a.i:b.i]) and b.i - a.i <= 2


def _rejoined(objs: list[Token]) -> list[tuple[Token, list[Token]]]:
    """Each object with the tokens of the parts of its hyphenated word that the parser took for
    objects before it ('the de', '-' of 'escalation'), those parts left out as objects."""
    out: list[tuple[Token, list[Token]]] = []
    parts: list[Token] = []
    for k, o in enumerate(objs):
        if k + 1 < len(objs) and _glued(o, objs[k + 1]):
            parts += list(o.subtree)
        else:
            out.append((o, parts))
            parts = []
    return out


def _stray_for(verb: Token, prep: str) -> list[Token]:
    """'asked the delegates at the conference for international support': the parser hangs the
    for-phrase on the nearest noun (the object, or the object of the verb's other phrase)."""
    if prep != "for":
        return []
    hosts = g.children(verb, "dobj") + [o for p in g.children(verb, "prep") if p.i > verb.i for o in g.children(p, "pobj")]
    return [o for h in hosts for p in g.children(h, "prep") if p.lower_ == "for" for o in g.children(p, "pobj")
            if not _when(o) and o.lemma_ not in ("time", "years", "months", "weeks", "days")][:1]


def _moves(state: DocState, head: Token) -> bool:
    """'the withdrawal of troops from Georgia': 'from' says where from, not of whom it is asked."""
    return bool(g.prep_objects(head, "of")) or state.lexicon.kind_of(head.text) == "withdrawal"


def _when(tok: Token) -> bool:
    """'on Monday', 'on 3 May': a date, not what is demanded."""
    return tok.ent_type_ in ("DATE", "TIME")


def _headline(doc: Doc, state: DocState, actors: ActorFinder, tok: Token) -> None:
    """'Armenia demands return of prisoners before peace treaty': the headline's actor before the
    verb demands the phrase after it."""
    if tok.i == 0 or tok.i - 1 not in state.by_token or tok.i >= 2 and doc[tok.i - 2].lower_ == "what":
        return  # (not "in what Trump calls a 'historic' agreement": a name given)
    by = [state.by_token[tok.i - 1].key]
    head = tok.head if tok.dep_ in ("compound", "nmod", "amod") else tok
    toks = [t for t in head.subtree if t.i > tok.i and not (t.lower_ == "for" and t.i == tok.i + 1)]
    cut = next((t.i for t in toks if t.lower_ in ("before", "unless", "after")), None)
    toks = [t for t in toks if cut is None or t.i < cut]
    text = g.phrase(toks)
    if len(text) < 3:
        return
    state.demands.append(Demand(by=by[0], of=_addressee_in(doc, state, actors, head, toks, by),
                                text=text, kind=state.lexicon.kind_of(text), confidence=0.6,
                                evidence=[g.evidence(tok.sent)]))


def _reported(doc: Doc, state: DocState, actors: ActorFinder, verb: Token, modals: set[str]) -> None:
    """'Hamas warned that Israel must stop its attacks': what a speaker says another must do;
    and a quote the parser hangs on the verb as a conjunct ('Rohani said that Iran is ready to
    hold talks, "but first the U.S. should act by lifting ... sanctions."')."""
    quoted = [c for c in g.children(verb, "conj") if c.i > verb.i and g.children(c, "nsubj")
              and any(t.text in QUOTE_MARKS for t in verb.doc[verb.i:c.left_edge.i])]
    for clause in g.children(verb, "ccomp") + quoted:
        by = _demanders(doc, state, actors, verb)
        if by:
            _obligation(doc, state, actors, clause, by, modals, unaddressed=True,
                        told=_told_whom(doc, state, actors, verb, clause, by))


def _told_whom(doc: Doc, state: DocState, actors: ActorFinder, verb: Token, clause: Token,
               by: list[str]) -> str | None:
    """'The EU told Iran it must freeze enrichment', 'warned the rebels they should disarm': a
    pronoun obliged in what one is told is the one told (but 'told Iran it would retaliate'
    binds the speaker: no obligation there)."""
    subjects = g.children(clause, "nsubj")
    if not subjects or subjects[0].lower_ not in ("it", "they", "he", "she"):
        return None
    told = [k for o in g.children(verb, "dobj") for k in actors.resolve(doc, state, o)
            if not k.startswith("@") and k not in by]
    return told[0] if len(told) == 1 else None


def _quoted(doc: Doc, state: DocState, actors: ActorFinder, verb: Token, modals: set[str]) -> None:
    """Inside a quote: '"... Israel must exercise maximum restraint," Ban said' (or a sentence
    later) lays on Israel what the speaker demands."""
    speaker = state.speaker_at.get(verb.i)
    if speaker and (verb.dep_ == "ROOT" or verb.dep_ == "conj" and verb.head.dep_ == "ROOT") \
            and g.reporting_governor(verb, set(state.lexicon.verbs["reporting_verbs"])) is None:
        side = state.actors[speaker].affiliations[:1] if speaker in state.actors else []
        _obligation(doc, state, actors, verb, [speaker, *side], modals, by=speaker)


def _thing_as_subject(doc: Doc, state: DocState, actors: ActorFinder, outer: Token, clause: Token,
                      sides: list[str]) -> bool:
    subjects = g.children(outer, "nsubj", "nsubjpass") or g.children(clause, "nsubj", "nsubjpass")
    public = set(state.lexicon.verbs["demand"]["public"])
    return bool(subjects) and all(s.pos_ in ("NOUN", "PROPN", "NUM") and s.lemma_.lower() not in public and s.lower_ not in public and not (
        set(actors.resolve_all(doc, state, s)) & set(sides)) for s in subjects)


def _how_things_should_be(clause: Token) -> bool:
    """'Essequibo should be under its control': a copula says how a thing should be, asking no
    one to act (but 'the US must be ready to mediate' asks the US to)."""
    return clause.lemma_ == "be" and not any(
        c.dep_ in ("acomp", "attr") and g.children(c, "xcomp") for c in clause.children)


def _obliged(clause: Token, modals: set[str]) -> bool:
    """'must', 'should', or 'has to' / 'needs to' + infinitive; not 'should' before its subject
    ('would strike should a truce fall apart' says if, not must)."""
    if g.inverted_should(clause) is not None:
        return False
    if any(c.dep_ == "aux" and c.lower_ in modals for c in clause.children):
        return True
    # (not "had to", "needed to", nor a passive "was needed to ...": what was, or what for)
    return clause.lemma_ in ("have", "need") and clause.tag_ in ("VB", "VBZ", "VBP") and any(
        x.dep_ == "xcomp" and g.to_infinitive(x) for x in clause.children) and not any(
        c.dep_ == "dobj" for c in clause.children) and not any(  # ("need more time to ..." says what for)
        c.dep_ == "aux" and c.lower_ in ("would", "could", "might", "may", "will") or c.dep_ == "auxpass"
        for c in clause.children)


def _told_own(state: DocState, verb: Token, by: list[str], addressee: list[str]) -> bool:
    """An order to one's own: "ordered foreign minister X to summon the ambassador" (one's own
    official), "instruct their forces to cease hostilities", "instructed the delegation not to
    return", "ordered a joint technical commission to examine the claims" (a body of their own,
    no actor); but "ordered Ecuadorian ambassador X to leave the country" asks it of Ecuador."""
    objs = g.children(verb, "dobj")
    if any(c.dep_ == "poss" and c.lower_ in ("their", "its", "his", "her", "our") for o in objs for c in o.children):
        return True
    if verb.lemma_ != "order" and any(o.lemma_ in ("delegation", "negotiator", "team", "delegate")
                                      and all(c.lower_ == "the" for c in o.children) for o in objs):
        return True
    if not addressee:
        return bool(objs)
    sides = {a for k in by for a in ([k] + (state.actors[k].affiliations if k in state.actors else []))}
    return all(k in sides or k.startswith("person:") and not set(state.actors[k].affiliations[:1]) - sides
               for k in addressee)


def _own_official(state: DocState, key: str, by: list[str]) -> bool:
    """A person who serves the demander ('asked UN Secretary-General X to report')."""
    affs = state.actors[key].affiliations if key.startswith("person:") and key in state.actors else []
    return bool(affs) and affs[0] in by


def _obligation(doc: Doc, state: DocState, actors: ActorFinder, clause: Token, sides: list[str],
                modals: set[str], by: str | None = None, unaddressed: bool = False,
                told: str | None = None) -> None:
    """A clause with 'must'/'should' whose subject is someone other than the speaker's side.
    ``unaddressed``: a reported one may name no one who must act ('Sarkozy says the invasion,
    the rockets and the blockade have to stop'), as long as its subject is a thing, not the
    speaker's own side ('we must do more'). ``told``: who the pronoun subject is (``_told_whom``)."""
    if not _obliged(clause, modals) or g.is_negated(clause):
        return
    outer = clause
    if told is None and any(s.lower_ in ("we", "i") or set(actors.resolve_all(doc, state, s)) <= set(sides) and actors.resolve_all(doc, state, s)
           for s in g.children(outer, "nsubj")):
        return  # "we need to talk to Iran": the speaker's side binds itself, asks no one
    if clause.lemma_ in ("have", "need") and (inner := g.children(clause, "xcomp")):
        clause = inner[0]  # "X has to be respected": the obligation is what follows
    if _how_things_should_be(clause):
        return
    of = told or _addressee_in(doc, state, actors, outer if outer is not clause else clause, list(clause.subtree), sides)
    if of is None and not (unaddressed and _thing_as_subject(doc, state, actors, outer, clause, sides)):
        return  # "we must do more" is no demand of anyone
    lex = state.lexicon.verbs
    if of is None and (clause.lemma_ in lex["agreement"]["verbs"] or clause.lemma_ in lex["talks_verbs"]):
        return  # "the terms still need to be agreed": where the talks stand, asked of no one
    toks = [t for t in outer.subtree if not (t.dep_ == "mark" and t.head.i == outer.i)]
    text = g.phrase(_without_demand_verbs(outer, toks, state.lexicon.verbs["demand"]["verbs"]))
    # ("The United States, South Korea and Japan said North Korea must ...": each of them demands it)
    for demander in [by] if by else [k for k in dict.fromkeys(sides) if k != of]:
        state.demands.append(Demand(by=demander, of=of, text=text, kind=state.lexicon.kind_of(text),
                                    confidence=0.6, evidence=[g.evidence(clause.sent)]))


def _verbal(doc: Doc, state: DocState, actors: ActorFinder, verb: Token, frames: list[str]) -> None:
    all_verbs = state.lexicon.verbs["demand"]["verbs"]
    reporting = set(state.lexicon.verbs["reporting_verbs"])
    refusal = set(state.lexicon.verbs["refusal_verbs"])
    if _denied(verb, refusal):
        return  # "Russia denied that it had demanded ..." (but "rejected X and demanded Y" demands Y)
    if verb.dep_ == "pcomp" and verb.head.lower_ == "of" and verb.head.head.lemma_ in ACCUSING:
        return  # "which accuses Iran of seeking nuclear weapons": a charge, not a demand
    if verb.dep_ == "xcomp" and verb.head.lemma_ in COMMISSIVES:
        return  # "after promising to push for an agreement": a pledge to ask, not yet asked
    if verb.dep_ in ("xcomp", "ccomp") and verb.head.lemma_ in all_verbs and g.to_infinitive(verb):
        return  # "wants the Alliance to ask the world to lift sanctions": what is asked, not yet asked
    if verb.dep_ == "relcl" and any(c.dep_ == "aux" and c.lower_ in ("would", "could", "might") for c in verb.children):
        return  # "a 2008 agreement, under which both countries would ask the court to ...": a term foreseen
    if verb.lemma_ == "expect" and not (_infinitives(verb) or g.prep_objects(verb, "from") or any(
            g.prep_objects(o, "from") for o in g.children(verb, "dobj"))):
        return  # "we can expect increased activity at sea", "expected progress in the coming days": a forecast
        # ("expects Iran to comply", "expects full cooperation from Islamabad" ask)
    if verb.lemma_ == "call" and (g.children(verb, "dobj") and not _asked(verb, frames) and not _infinitives(verb)
                                  or any(c.lower_ == "what" for c in verb.children)  # "in what Trump calls a 'historic' deal"
                                  or any(c.dep_ in ("prt", "prep") and c.i == verb.i + 1 and c.lower_ in ("in", "off", "up", "back")
                                         for c in verb.children)):
        return  # "which Kibaki called a new beginning for Sudan": a name given; "called in the ambassador": summoned
    if any(_not_asked(state, verb, o) for o in g.children(verb, "dobj") + g.prep_objects(verb, "for")):
        return  # "requested anonymity to discuss ...", "to seek a breakthrough with ...", "asked for cabinet approval"
    public = set(state.lexicon.verbs["demand"]["public"])
    if any(o.lemma_.lower() in public or o.lower_ in public
           for o in g.children(verb, "dobj") + g.prep_objects(verb, "on", "upon")):
        return  # "we ask the parents to ...", "urged residents to leave": the public, not a diplomatic actor
    by = _demanders(doc, state, actors, verb)
    if not by:
        return
    # "demanded an apology from the UK": whom it is asked of, whatever frame gives the content
    # (and "appealed to X for Y", "called on X to ...": who is asked, whichever frame comes first)
    content = g.children(verb, "dobj") + g.prep_objects(verb, "for")
    addressee: list[str] = [k for o in g.prep_objects(verb, "from") if o.i > verb.i and (
        "prep:from" in frames or not any(_moves(state, c) for c in content))
                            for k in actors.resolve_all(doc, state, o)]
    addressee += [k for f in frames if f.startswith("addr:") for o in g.prep_objects(verb, f.split(":", 1)[1])
                  if o.i > verb.i for k in actors.resolve_all(doc, state, o)]
    if verb.dep_ in ("advcl", "xcomp") and verb.head.lemma_ in CONTACTS and g.to_infinitive(verb):
        # "telephoned Pakistani Prime Minister X to urge restraint": the one called is asked
        addressee += [k for o in g.children(verb.head, "dobj") for k in actors.resolve_all(doc, state, o)]
    items: list[tuple[Token, list[Token]]] = []  # (head of the demanded thing, tokens of its text)
    for frame in frames:
        if frame == "obj" and verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ == "NOUN" and g.agent(verb) is not None:
            # "the autonomy sought by the UCPMB": what is sought is the noun the participle is said of
            # (an object the parser gives it is an apposition to the one who seeks)
            sought = [t for t in verb.head.subtree if t.i < verb.i]
            items.append((verb.head, sought[next((k for k, t in enumerate(sought) if not t.is_punct), 0):]))
            break
        if frame == "obj":
            for obj in g.children(verb, "dobj"):
                if obj.i > verb.i + 1 and obj.doc[obj.left_edge.i - 1].text in ("–", "—", "--", "-") and any(
                        o.i < obj.i for o in g.children(verb, "dobj")):
                    continue  # "demanded X and offered Y – proposals that the US rejected": a gloss on both
                # "demanded parties to the conflict to allow ...": asked of them (but "demanded a
                # meeting to discuss ..." names the purpose of what is demanded)
                infinitives = [c for c in _infinitives(verb) if c.dep_ == "xcomp" or actors.resolve(doc, state, obj)
                               or obj.lower_ in GROUP_HEADS]
                if infinitives:
                    addressee += actors.resolve_all(doc, state, obj)
                    for clause in infinitives:
                        items += _split_clauses(clause, "to")
                    break
                if actors.resolve(doc, state, obj) and not g.children(verb, "xcomp", "ccomp"):
                    continue  # "urged Kyiv" alone names an addressee, not a demand
                after = [c for c in g.children(verb, "ccomp") if c.i > obj.i]
                if actors.resolve(doc, state, obj) and after:
                    # "is demanding the Houthis withdraw from ...": the parser splits the clause
                    # after its subject; the actor is asked, the rest is what
                    addressee += actors.resolve_all(doc, state, obj)
                    items += [(c, list(c.subtree)) for c in after]
                    break
                items.append((obj, list(obj.subtree)))  # "demanded A and B": one demand, as said
        elif frame == "ccomp":
            for clause in g.children(verb, "ccomp") or ([] if verb.lemma_ == "want" else _stray_that_clauses(verb)):
                if verb.lemma_ in ("insist", "propose") and not _subjunctive(clause) or _how_things_should_be(clause):
                    continue  # "insisted that it had not ..." is a claim, not a demand
                if any(m.dep_ in ("mark", "advmod") and m.lower_ in ("if", "whether") and m.i < clause.i for m in clause.children):
                    continue  # "asked whether Ukraine would withdraw": a question, not a demand
                if clause.i < verb.i and any(t.text == ":" for t in doc[clause.i:verb.i]) and (
                        g.children(verb, "dobj") or g.prep_objects(verb, "for")):
                    continue  # "Oman talks: Araghchi asks for guarantees": a headline's topic, not what is asked
                if verb.lemma_ == "want" and not g.to_infinitive(clause):
                    continue  # "wanted Serbia to recognise ..." asks; "want to make it clear that ..." does not
                parts = _split_clauses(clause, "that")
                if len({tuple(t.i for t in g.children(h, "nsubj", "nsubjpass", "expl")) for h, _ in parts}) < len(parts):
                    parts = [(clause, _one_clause(clause))]  # the same subject asked twice is one call
                items += [(h, _without_demand_verbs(h, toks, all_verbs)) for h, toks in parts]
        elif frame == "xcomp":
            asked = g.children(verb, "dobj") + [o for f in frames if f.startswith("addr:")
                                                 for o in g.prep_objects(verb, f.split(":", 1)[1])]
            if verb.lemma_ in ("need", "want"):  # "need more time to make progress": what for, asked of no one
                asked = [o for o in asked if actors.resolve(doc, state, o)]
            if not asked:
                continue  # "wants to make it clear", "seeks to": the subject's own aim, asked of no one
            for clause in _infinitives(verb):
                items.append((clause, _one_clause(clause)))
                addressee += [k for o in g.children(verb, "dobj") for k in actors.resolve_all(doc, state, o)]
        elif frame.startswith("prep:"):
            prep = frame.split(":", 1)[1]
            fors = [p for p in g.children(verb, "prep") if p.lower_ == "for"]
            if prep == "for" and verb.lemma_ == "push" and fors and any(
                    o.i < fors[0].i and not actors.resolve(doc, state, o) for o in g.children(verb, "dobj")):
                continue  # "pushing the decisions to June 1 for the EU": put off, for whom
            for obj, glued in _rejoined(g.prep_objects(verb, prep)) or [(o, []) for o in _stray_for(verb, prep)]:
                if obj.i < verb.i and not g.is_passive(verb) or obj.pos_ == "PRON":
                    continue  # "For example, X called for ...", "on which X insisted": no content here
                if obj.lemma_ == "part" and any(c.dep_ == "poss" for c in obj.children) or obj.lemma_ == "time":
                    continue  # "for its part", "for a second time"
                if obj.tag_ == "VBG" and obj.lemma_ in state.lexicon.verbs["reporting_verbs"]:
                    continue  # "Iran insists on saying that its programme is peaceful": a claim
                if prep == "from":
                    continue  # the addressee, read above
                # "warned Finland against joining NATO": the demand is not to do it, of Finland
                items.append((obj, ([obj.head] if prep == "against" else []) + glued + list(obj.subtree)))
                if prep == "against" or prep == "for" and "obj" not in frames and verb.lemma_ not in ("call", "push"):
                    # "asked the US for guarantees", "pressed Iran for concessions": whom it is asked of
                    addressee += [k for o in g.children(verb, "dobj") if o.i < obj.i for k in actors.resolve_all(doc, state, o)]
            # "called for the election to be postponed": a for-to clause the parser hangs as advcl
            items += [(c, [t for t in c.subtree if not (t.dep_ == "mark" and t.head.i == c.i)])
                      for c in g.children(verb, "advcl", "ccomp") if c.i > verb.i and any(
                          m.dep_ == "mark" and m.lower_ == prep for m in c.children)]
        if items:
            break
    asked = _asked(verb, frames)
    # "called on the international community to support the people of Sudan": someone is asked,
    # though no actor; Sudan, named in what is asked, is not who is asked
    named_asked = bool(addressee) or not asked or any(actors.resolve_all(doc, state, o) for o in asked)
    if asked and not addressee and all(o.lemma_.lower() in PUBLIC for o in asked):
        return  # "urged citizens to donate blood", "called on residents to stay indoors": no diplomacy
    if verb.lemma_ in ORDERS and _told_own(state, verb, by, addressee):
        return
    if addressee and all(_own_official(state, k, by) for k in addressee):
        return  # "the resolution asked UN Secretary-General X to report": the body's own officer
    if not items and addressee:  # "called on the government of Pakistan to investigate ..."
        for clause in _infinitives(verb):
            items += _split_clauses(clause, "to")
    ev = g.evidence(verb.sent)
    stated = _speaker(doc, state, actors, verb)
    shared_of: str | None = None
    items = [_content_of_demand_noun(h, toks, state.lexicon.verbs["demand"]["nouns"]) for h, toks in items]
    for head, toks in [i for i in items if i is not None]:
        toks = _without_demand_verbs(head, toks, all_verbs)
        toks = [t for t in toks if not (t.lower_ == "that" and t.dep_ == "mark" and t.i == min(x.i for x in toks))]
        toks = g.without_attribution(toks, reporting)
        text = g.phrase(toks)
        doers = g.children(head, "nsubj") + (g.children(head, "compound") if head.pos_ == "NOUN" else [])
        if len(text) < 3 or any(_own_official(state, k, by) for s in doers for k in actors.resolve_all(doc, state, s)):
            continue  # ("requested that Secretary-General X report ...": the body's own officer)
        # "called on Russia and Ukraine to ...": one call, of those named first (real-news gold
        # reads it as one demand), never of a place named inside it
        several = [] if any(o.lower_ in GROUP_HEADS for o in asked) else _several(addressee, by)  # "both sides": neither
        of = _single(addressee, by) or (several[0] if len(several) > 1 else None) or (
            _addressee_in(doc, state, actors, head, toks, by) if named_asked else None) or shared_of
        inferred = False
        if of is None and head.pos_ in ("NOUN", "PROPN") and not g.children(head, "nsubj", "nsubjpass") and len(by) == 1:
            of = _other_party(state, by[0])  # "Ukraine demanded a ceasefire": of Russia, in their talks
            # (not when both sides call for it together: "Israel and the PLO called for an end to ...")
            inferred = of is not None
        shared_of = shared_of or (None if inferred else of)
        for demander in by:  # "the two leaders asked ...": each side demands it
            state.demands.append(Demand(
                by=demander, of=of, text=text, kind=state.lexicon.kind_of(text),
                stated_by=stated if stated != demander else None,
                modality=_modality(state, verb),
                confidence=(0.85 if verb.lemma_ in ("demand", "urge", "insist", "call") else 0.7) - (0.15 if inferred else 0),
                evidence=[ev]))


def _nominal(doc: Doc, state: DocState, actors: ActorFinder, noun: Token, list_verbs: set[str]) -> None:
    """'Moscow's conditions include A, B and C' → one demand per item, by Moscow."""
    verb = noun.head
    listed = _listed_after_colon(noun, list_verbs)
    if verb.lemma_ not in list_verbs and not listed:
        return
    by = [k for c in noun.children if c.dep_ in ("poss", "amod", "compound") for k in actors.resolve_all(doc, state, c)]
    if not by and [c.lower_ for c in noun.children if c.dep_ == "det"] == ["the"]:
        by = _earlier_owner(doc, state, actors, noun)  # "... 13 demands they issued. The demands included ..."
    by = state.talks.expand(by)
    if not by:
        return
    items: list[tuple[Token, list[Token]]] = list(listed)
    for c in [] if listed else verb.children:
        if c.dep_ in ("dobj", "attr"):
            # "A from four regions, B and C": the parser may hang the rest of the list as an
            # apposition inside the first item; each is an item of its own
            stray = [d for d in c.subtree if d.dep_ == "appos" and d.i > c.i and d.left_edge.i > 0
                     and c.doc[d.left_edge.i - 1].text == "," and d.head.dep_ == "pobj"]
            cut = {t.i for d in stray for t in d.subtree} | {d.left_edge.i - 1 for d in stray}
            items += [(h, [t for t in toks if t.i not in cut]) for h, toks in _split_nominal(c)]
            for d in stray:
                items += _split_nominal(d)
        elif c.dep_ in ("ccomp", "xcomp"):
            items += _split_clauses(c, None, split_all=True)
    ev = g.evidence(verb.sent)
    # "Russia's conditions for a ceasefire include A, B": the ceasefire waits on each of them
    purpose = g.prep_objects(noun, "for") if noun.lemma_ in ("condition", "precondition", "term") else []
    applies = g.phrase(purpose[0].subtree) if purpose else None
    shared_of = None
    for head, toks in items:
        text = g.phrase(toks)
        # a later item with no subject of its own ("Doha ending X, closing Y") shares the first's
        own_subject = g.children(head, "nsubj") or head.i in state.by_token and any(
            c.dep_ == "acl" and c.tag_ == "VBG" for c in head.children)
        # (an item of a list after a colon names whom it is asked of only as its subject or a
        # from-phrase: "the exit of foreign forces from Yemen" is not asked of Yemen)
        of = (None if shared_of and not own_subject else _addressee_in(doc, state, actors, head, toks, by,
                                                                       named_inside=not listed)) or shared_of
        shared_of = shared_of or of
        for maker in by:  # "Saudi Arabia, the UAE, Bahrain and Egypt ... The demands included": each of them
            state.demands.append(Demand(by=maker, of=of, text=text, kind=state.lexicon.kind_of(text),
                                        confidence=0.7, evidence=[ev]))
        if applies:
            state.conditions.append(Condition(set_by=by[0], applies_to=applies, requires=text,
                                              confidence=0.7, evidence=[ev]))


#: what ends an item of a list after a colon ("Our demands are: A, B, as well as C")
_LIST_BREAKS = {",", ";", "and", "as"}


def _listed_after_colon(noun: Token, list_verbs: set[str]) -> list[tuple[Token, list[Token]]]:
    """'Our just demands are: stopping the aggression, lifting the blockade, as well as the exit of
    foreign forces': the items after the colon (the parser makes "are" an auxiliary of the first
    item and hangs the rest anywhere, so the list is cut at its commas and conjunctions)."""
    doc, sent = noun.doc, noun.sent
    i = noun.i + 1
    if not (i + 1 < sent.end and doc[i].lemma_ in list_verbs and doc[i + 1].text == ":"):
        return []
    items, chunk = [], []
    gerund = lambda x: x.tag_ == "VBG"  # (an "and" joins items of a kind: "A and B", not "oil and gas" inside one)
    for t in doc[i + 2:sent.end]:
        if t.is_quote or t.text in (".", "!", "?"):
            break
        nxt = doc[t.i + 1] if t.i + 1 < sent.end else t
        joins_items = t.lower_ != "and" or not chunk or gerund(chunk[0]) == gerund(nxt)
        if t.lower_ in _LIST_BREAKS and t.dep_ in ("punct", "cc", "advmod") and joins_items or t.lower_ == "well" and chunk == []:
            if sum(x.is_alpha for x in chunk) >= 2:
                items.append(chunk)
            chunk = []
            continue
        chunk.append(t)
    if sum(x.is_alpha for x in chunk) >= 2:
        items.append(chunk)
    out = []
    for toks in items:
        inside = {t.i for t in toks}
        head = next((t for t in toks if t.head.i not in inside or t.head.i == t.i), toks[0])
        out.append((head, toks))
    return out if len(out) >= 2 else []


def _earlier_owner(doc: Doc, state: DocState, actors: ActorFinder, noun: Token) -> list[str]:
    """Who made the demands 'the demands' take up: the owner of the same noun in this sentence or
    the two before ('X's demands', 'demands from X', 'demands they issued')."""
    start = noun.sent.start
    for _ in range(2):
        start = doc[start - 1].sent.start if start > 0 else 0
    for t in reversed(doc[start:noun.i]):
        if t.lemma_ != noun.lemma_ or t.pos_ != "NOUN":
            continue
        owners = ([c for c in t.children if c.dep_ == "poss"] + g.prep_objects(t, "from", "by", "of")
                  + [s for c in t.children if c.dep_ == "relcl" for s in g.children(c, "nsubj")])
        outer = t.head.head if t.dep_ == "pobj" and t.head.lower_ == "of" else t  # "a list of demands"
        if not owners and outer.dep_ == "dobj" and outer.head.lemma_ in state.lexicon.verbs["demand"]["carrier_verbs"]:
            owners = g.subjects(outer.head)  # "X and Y issued a list of demands to Qatar"
        keys = [k for o in owners for k in actors.resolve_all(doc, state, o)]
        if keys:
            return keys
    return []


def _split_nominal(obj: Token) -> list[tuple[Token, list[Token]]]:
    """'foreign troops and nuclear weapons' → two things; 'grain and fertiliser exports' → one."""
    parts = g.conjuncts(obj)
    if len(parts) == 1:
        return [(obj, list(obj.subtree))]
    out = []
    for p in parts:
        out.append((p, g.subtree_without(p, g.own_conj_children(p))))
    return out


def _split_clauses(clause: Token, marker: str | None, split_all: bool = False) -> list[tuple[Token, list[Token]]]:
    """Coordinated clauses that repeat their marker ('that A and that B', 'to A and to B') are
    separate demands; one clause with two verbs ('that X recognise Y and sign Z') is one.
    In a list ('conditions include A, B and C') every item, and every object of an item, is one."""
    chain = [c for c in clause.conjuncts if c.pos_ in ("VERB", "AUX")]
    # "agreed that this will be a leader-led process and began elaborating ...": a verb in the past
    # with no subject, coordinated with a clause in the future, is the speakers' own next act
    stray = {t.i for c in chain if marker == "that" and c.tag_ == "VBD" and not g.children(c, "nsubj", "nsubjpass")
             and any(x.dep_ == "aux" and x.lower_ in ("will", "would", "shall") for x in clause.children)
             for t in [*c.subtree, *(x for x in c.head.children if x.dep_ == "cc" and x.i < c.i)]}
    chain = [c for c in chain if c.i not in stray]
    separate = [c for c in chain if split_all or any(
        x.lower_ == marker and x.dep_ in ("mark", "aux") for x in c.children)]
    heads = sorted([clause, *separate], key=lambda t: t.i)
    out = []
    for h in heads:
        toks = [t for t in g.subtree_without(h, [c for c in heads if c.i != h.i]) if t.i not in stray]
        split_below = any(c.head.i == h.i for c in heads if c.i != h.i)
        toks = [t for t in toks if not (t.head.i == h.i and t.i != h.i and (
            t.dep_ == "mark" or t.dep_ == "cc" and split_below or t.dep_ == "punct" and len(heads) > 1
            or t.dep_ == "aux" and t.lower_ == marker))]
        objs = [c for c in h.children if c.dep_ == "dobj"]
        if split_all and objs and len(g.conjuncts(objs[0])) > 1:
            parts = g.conjuncts(objs[0])
            for part in parts:
                own = {t.i for t in g.subtree_without(part, [x for x in parts if x.i != part.i])}
                drop = {t.i for other in parts for t in other.subtree} - own
                drop |= {x.i for p in parts for x in p.children if x.dep_ in ("cc", "punct")}
                out.append((h, [t for t in toks if t.i not in drop]))
        else:
            out.append((h, toks))
    return out


def _content_of_demand_noun(head: Token, toks: list[Token], nouns: list[str]):
    """'insisted on its demands that the government grant ...': what is demanded is the that-
    clause; a bare 'its demands' says nothing of what."""
    if head.lower_ not in nouns:
        return head, toks
    for c in head.children:
        if c.dep_ in ("acl", "ccomp", "relcl") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
            return c, [t for t in c.subtree if not (t.dep_ == "mark" and t.head.i == c.i)]
    content = g.prep_objects(head, "for", "of")
    return (content[0], list(content[0].subtree)) if content else None


def _one_clause(clause: Token) -> list[Token]:
    """A demanded clause with all its coordinated parts ('to investigate ... and to try ...'):
    one call is one demand, as real news is annotated; only clauses with subjects of their own
    ('that warships stay away and that there be no inspections') are demands of their own."""
    return [t for t in clause.subtree if not (t.head.i == clause.i and (
        t.dep_ == "mark" or t.dep_ == "aux" and t.lower_ == "to" and t.i < clause.i))]


def _infinitives(verb: Token) -> list[Token]:
    """'urged Y to X': the to-infinitive, which the parser also hangs as an adverbial clause
    ('called on the government to investigate': advcl) when an addressee stands between."""
    # ("told reporters traveling with her": who, not what; "told the news agency AFP": a name the
    # parser made a complement)
    out = [c for c in g.children(verb, "xcomp") if c.tag_ != "VBG" and c.pos_ != "PROPN"]
    out += [c for c in g.children(verb, "advcl") if c.i > verb.i and c.tag_ == "VB"
            and g.to_infinitive(c)]
    if not out:  # "called on all sides involved to cease ...": hung on the addressee's participle
        addressees = g.children(verb, "dobj") + [o for p in g.children(verb, "prep") for o in g.children(p, "pobj")]
        out = [x for o in addressees for a in g.children(o, "acl") if a.tag_ == "VBN" and not g.children(a, "dobj", "prep")
               for x in g.children(a, "xcomp") if g.to_infinitive(x)]
    return out


def _stray_that_clauses(verb: Token) -> list[Token]:
    """'insisted throughout the talks that Israel return ...': the parser may attach the
    that-clause to a noun in between as a relative clause; it is still the verb's complement."""
    out = []
    for t in verb.subtree:
        if t.dep_ in ("relcl", "acl", "advcl") and t.i > verb.i and any(
                c.dep_ == "mark" and c.lower_ == "that" for c in t.children):
            out.append(t)
    return out[:1]


def _subjunctive(clause: Token) -> bool:
    """'insisted that Israel return the Sinai' (a demand) vs 'insisted that it had complied' (a claim)."""
    aux = {c.lower_ for c in clause.children if c.dep_ in ("aux", "auxpass")}
    if aux & {"should", "must", "be"}:
        return True
    if aux & {"had", "has", "have", "was", "were", "did", "is", "are", "would", "will"}:
        return False
    return clause.tag_ in ("VB", "VBP")


def _without_demand_verbs(head: Token, toks: list[Token], frames: dict) -> list[Token]:
    """Cut a coordinated demand verb (read on its own), a contrast ('while Iran called for
    ...') and the asker's own pledge ('after promising to ...') out of a demanded clause."""
    drop: set[int] = set()
    last = max((t.i for t in toks), default=-1)
    for t in toks:
        if t.i in drop:
            continue  # inside a subtree already cut: each token is walked once, not once per ancestor
        if t.dep_ == "appos" and t.i > head.i and last == t.right_edge.i and t.left_edge.i > 0 and (
                t.left_edge.text == "," or t.doc[t.left_edge.i - 1].text == ","):
            drop.update(x.i for x in t.subtree)  # "..., a position Iranian officials have rejected"
        if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CONTRAST for c in t.children) or (
                t.dep_ == "advcl" and t.tag_ in ("VBZ", "VBD", "VBP") and g.children(t, "nsubj")
                and any(c.dep_ == "mark" and c.lower_ == "as" for c in t.children)):  # "to act as the junta ignores it"
            drop.update(x.i for x in t.subtree)
            drop.update(c.i for c in t.head.children if c.dep_ == "punct" and c.i == t.left_edge.i - 1)
        if t.dep_ == "pcomp" and t.lemma_ in COMMISSIVES and t.head.lower_ in ("after", "by") and t.head.i > head.i:
            drop.update(x.i for x in t.head.subtree)  # "to join the talks after promising to push for X": the asker's pledge
        if t.dep_ == "conj" and t.lemma_ in frames and t.i != head.i:
            drop.update(x.i for x in t.subtree)
            drop.update(c.i for c in t.head.children if c.dep_ == "cc" and c.i < t.i)
    return [t for t in toks if t.i not in drop]


def _demanders(doc: Doc, state: DocState, actors: ActorFinder, verb: Token) -> list[str]:
    subs = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    # "The Red Cross operating in Iraq said": a reduced relative the parser read as the subject clause
    subs = [next((c for c in s.children if c.dep_ == "nsubj" and c.i < s.i), s) if s.tag_ == "VBG" else s for s in subs]
    if not subs and verb.dep_ == "conj":
        # "X demanded that A leave and called for B": the parser may hang "called" inside the
        # that-clause; the subject is the nearest demand verb's above it
        # (not a reporting verb after it: "China dispatched vessels and warned the US ship to
        # leave, spokeswoman X told a briefing" is China's warning)
        frames = state.lexicon.verbs["demand"]["verbs"]
        anc = next((a for a in verb.ancestors if a.lemma_ in frames and a.pos_ == "VERB" and a.i < verb.i), None)
        if anc is not None:
            subs = g.subjects(anc)
    subs = subs or g.subjects(verb)
    if g.is_passive(verb):
        ag = g.agent(verb)
        subs = [ag] if ag is not None else []
    if not subs and verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.lemma_ in ISSUED:
        subs = _issuer(verb.head)  # "the Council adopted a resolution demanding that ..."
    if verb.dep_ == "relcl" and verb.head.lemma_ in ISSUED and subs and all(s.lower_ in ("that", "which") for s in subs):
        subs = _issuer(verb.head) or subs  # "passed a resolution that calls on X to ..."
    keys: list[str] = []
    for s in subs:
        if s.lower_ == "it" and verb.tag_ == "VBZ" and _stands_for_a_text(doc, state, s):
            continue  # "... part of the deal signed in Doha. It calls for X to ...": the deal's terms
        if s.lemma_ in ISSUED and s.i not in state.by_token and (issuer := _issued_before(doc, s)) is not None:
            s = issuer  # "The Council voted to impose sanctions. The resolution demands that ..."
        keys += actors.resolve_all(doc, state, s)
    return state.talks.expand(keys)


def _not_asked(state: DocState, verb: Token, obj: Token) -> bool:
    lex = state.lexicon.verbs["demand"]
    aims, home = lex["aims"], lex["home_approval"]
    own = obj.lemma_ in home["objects"] and any(c.lower_ in home["by"] for c in obj.children)
    return obj.lemma_ in lex["not_asked"] or own or verb.lemma_ in aims["verbs"] and obj.lemma_ in aims["objects"]


def _stands_for_a_text(doc: Doc, state: DocState, it: Token) -> bool:
    """'it' whose nearest candidate, back to the previous sentence, is a deal or a text rather than
    an actor that is a subject or an object (actors in a prepositional phrase do not compete). Asked
    of a verb in the present tense only: a text 'calls for', a state 'called for'."""
    texts = set(state.lexicon.verbs["agreement"]["nouns"]) | ISSUED
    start = doc[it.sent.start - 1].sent.start if it.sent.start > 0 else it.sent.start
    for t in reversed(doc[start:it.i]):
        if t.pos_ == "NOUN" and t.lemma_ in texts:
            return True
        first = t
        while first.dep_ == "conj" and first.head.i < first.i:
            first = first.head
        if t.i in state.by_token and first.dep_ in ("nsubj", "nsubjpass", "dobj", "appos", "ROOT"):
            return False
    return False


#: verbs whose "of"-clause is alleged, not done
ACCUSING = {"accuse", "suspect"}

#: texts that speak for whoever issues them ("a resolution demanding ...", "a statement urging ...")
ISSUED = {"resolution", "statement", "declaration", "communique", "communiqué", "letter", "motion", "text", "decree"}


def _issuer(noun: Token) -> list[Token]:
    """Who issued a text: its modifier ('a Security Council resolution'), its 'by' ('a resolution
    passed by the Assembly'), or the subject of the verb that issued it ('the Council adopted a
    resolution')."""
    named = [c for c in noun.children if c.dep_ in ("compound", "poss", "amod") and c.pos_ in ("PROPN", "ADJ")]
    if named:
        return [noun]
    for c in noun.children:
        if c.dep_ == "acl" and g.agent(c) is not None:
            return [g.agent(c)]
    if noun.dep_ in ("dobj", "nsubjpass"):
        verb = noun.head
        return ([g.agent(verb)] if g.agent(verb) is not None else []) if noun.dep_ == "nsubjpass" else g.subjects(verb)
    return []


#: verbs by which a body issues a text
ISSUING = {"vote", "adopt", "pass", "issue", "approve", "release", "publish", "agree"}


def _issued_before(doc: Doc, noun: Token) -> Token | None:
    """'the resolution', 'the statement' with no issuer of its own: whoever was just said to vote,
    adopt, pass or issue something, in this sentence or the one before."""
    if [c.lower_ for c in noun.children if c.dep_ in ("det", "amod", "compound", "poss")] not in (["the"], ["this"]):
        return None
    start = doc[noun.sent.start - 1].sent.start if noun.sent.start > 0 else noun.sent.start
    for verb in reversed(doc[start:noun.i]):
        if verb.pos_ == "VERB" and verb.lemma_ in ISSUING and not g.is_negated(verb):
            subs = g.subjects(verb)
            if subs and subs[0].lemma_ not in ISSUED:
                return subs[0]
    return None


def _modality(state: DocState, verb: Token) -> str:
    """As stated; hypothetical where the asker is only 'able' or 'ready' to ask ("hopes Egypt will
    be able to pressure Damascus to ...")."""
    modality = state.lexicon.verbs["modality"]
    return g.modality(verb, set(modality["hypothetical"]), set(), set(modality.get("prospective", ())))


def _other_party(state: DocState, demander: str) -> str | None:
    """In talks between two parties, what one side demands without naming whom is asked of the
    other; a mediator's or an outsider's demand stays unaddressed."""
    parties = state.talks.parties()  # (of talks among more, whom is not said)
    side = state.side_of(demander)
    if len(parties) == 2 and side in parties:
        return parties[1 - parties.index(side)]
    return None


def _single(keys: list[str], by: list[str]) -> str | None:
    keys = [k for k in _dedupe(keys) if k not in by]
    if len(keys) == 1 and not keys[0].startswith("@"):
        return keys[0]
    return None


def _several(keys: list[str], by: list[str]) -> list[str]:
    return [k for k in _dedupe(keys) if k not in by and not k.startswith("@")]


def _dedupe(keys: list[str]) -> list[str]:
    return list(dict.fromkeys(keys))


def _addressee_in(doc: Doc, state: DocState, actors: ActorFinder, head: Token, toks: list[Token],
                  by: list[str], named_inside: bool = True) -> str | None:
    """Who must act: the subject of the demanded clause, else (``named_inside``) the first actor
    named in it, but not a body that is the thing demanded ("pushing for a legally binding COC"; but
    "a neutral Ukraine" is asked of Ukraine)."""
    by_affs = {a for k in by if k.startswith("person:") for a in state.actors[k].affiliations}
    # "X should be suspended from the AU": who undergoes a passive is not who must act
    passive = {t.i for s in g.children(head, "nsubjpass") for t in s.subtree}
    if head.i in state.by_token and any(c.dep_ == "acl" and c.tag_ == "VBG" for c in head.children):
        keys = [k for k in actors.resolve(doc, state, head) if k not in by and not k.startswith("@")]
        if keys:  # "the demands included Doha ending support for ...": Doha must end it
            return keys[0]
    for s in g.children(head, "nsubj", "expl"):
        keys = [k for k in actors.resolve_all(doc, state, s) if k not in by and not k.startswith("@")]
        if keys:
            return keys[0] if keys[0] not in by_affs else None  # "Netanyahu insisted that Israel ..."
        if s.pos_ in ("NOUN", "PROPN") and not actors.resolve_all(doc, state, s):
            return None  # "Europe should stop following the policies of the United States": not the US
    for o in [] if _moves(state, head) else g.prep_objects(head, "from"):  # "cooperation from Moscow"
        keys = [k for k in actors.resolve_all(doc, state, o) if k not in by and k not in by_affs and not k.startswith("@")]
        if keys:
            return keys[0] if len(keys) == 1 else None  # "restraint from both sides": of no one side
    for t in toks if named_inside else []:
        m = state.by_token.get(t.i)
        if m and m.key not in by and m.key not in by_affs and not m.key.startswith("person:") and m.how != "capital" \
                and t.i not in passive and not _in_clause_of(t, head) and not (m.start <= head.i < m.end and m.key.startswith("org:")) \
                and not (m.how == "demonym" and t.head.lemma_ in PLACE_NOUNS):  # "the former Spanish colony"
            return m.key
    return None


#: prepositions of time: who is named in them says when, not who is asked
TIME_PREPS = {"after", "before", "until", "till", "during", "since", "following", "pending"}


def _in_clause_of(tok: Token, head: Token) -> bool:
    """'guarantees that Western sanctions imposed after its invasion of Ukraine would not ...':
    a state named inside a clause that says more about the thing demanded is not who is asked;
    nor one named in when it is asked for ('delayed until the next round of WTO negotiations ends',
    'wrapped up after the conclusion of the WTO's round')."""
    for a in tok.ancestors:
        if a.i == head.i:
            return False
        if a.dep_ in ("acl", "relcl", "advcl") and (a.dep_ == "advcl" or a.head.pos_ in ("NOUN", "PROPN")) and any(
                c.dep_ in ("nsubj", "nsubjpass") and c.i not in (tok.i,) for c in a.children):
            return True
        if a.dep_ == "prep" and a.lower_ in TIME_PREPS:
            return True
    return False


def _speaker(doc: Doc, state: DocState, actors: ActorFinder, verb: Token) -> str | None:
    rep = g.reporting_governor(verb, set(state.lexicon.verbs["reporting_verbs"]))
    if rep is not None:
        for s in g.subjects(rep):
            for k in actors.resolve(doc, state, s):
                if k.startswith("person:"):
                    return k
    return None
