"""Conditions: who makes what depend on what.

Three parts, each read from grammar: what depends (``applies_to``), on what (``requires``), and
who sets it (``set_by``). The cue decides which clause is which:

- subordinate clause: "X could happen, but only if Y", "would not X unless Y", "X once Y"
- prepositional: "X only as a result of Y", "X only following Y", "X subject to Y"
- predicative: "X depends on Y", "X is conditional on Y", "made X conditional on Y"
- prerequisite: "demanded Y as a prerequisite for X", "demanding Y before X could take effect"

The setter is whoever says it (reporting verb, "according to"), else the clause's own subject
when it is an actor. When the text names no one, a bilateral context lets us infer it: a
condition on what one party must do is set by the other party (lower confidence).
"""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from kg_builder.extract import grammar as g
from kg_builder.extract.actors import GROUP_HEADS, STATE_NOUNS, ActorFinder
from kg_builder.extract.demands import TIME_SPANS
from kg_builder.extract.state import DocState
from kg_builder.model import Condition

DEMAND_VERBS = {"demand", "insist", "require", "want", "call", "seek", "press", "urge"}


def find_conditions(doc: Doc, state: DocState, actors: ActorFinder) -> None:
    lex = state.lexicon.verbs
    cues = dict(lex["condition"], reporting=set(lex["reporting_verbs"]),
                deals=set(lex["talks_nouns"]) | set(lex["agreement"]["nouns"]))
    by_last: dict[str, list] = {}
    for cue, conf in cues["preps"].items():  # looked up by the token that ends the cue
        by_last.setdefault(cue.split()[-1], []).append((cue.split(), conf))
    cues["preps_by_last"] = by_last
    for sent in state.sentences:
        for found in _in_sentence(sent, state.tokens[sent.start:sent.end], cues):
            applies_head, applies_toks, requires_toks, setter_tok, conf = found
            applies = g.phrase(applies_toks)
            requires = g.phrase(requires_toks)
            if not applies or not requires or applies == requires or _only_names(state, requires_toks) \
                    or _only_names(state, applies_toks):
                continue  # ("the timing depends on Norway and Sri Lanka": on whom, not on what; "Serbia relies on its ally")
            weak = conf < 0.7 and not (state.lexicon.kind_of(applies) or state.lexicon.kind_of(requires)
                                       or _commitment(applies_head, cues))
            possible = weak and _possible_act(applies_head)
            if weak and not possible or _rhetorical(requires_toks, cues["reporting"]):
                continue  # a bare "if" about nothing diplomatic, and no one bound, is rhetoric
            set_by, inferred = _setter(doc, state, actors, applies_head, setter_tok, requires_toks, firm=conf >= 0.85)
            if set_by is None:
                continue
            if possible:  # "Turkey could call off the deal if ...", said by Turkey's own: a threat; by others, a forecast
                doers = [k for t in g.children(applies_head, "nsubj", "nsubjpass") for k in actors.resolve(doc, state, t)]
                said = _speaker_person(doc, state, actors, applies_head)
                if not (doers and said and state.side_of(said) == state.side_of(doers[0]) == state.side_of(set_by)):
                    continue
            doer = next((t for t in requires_toks if t.dep_ in ("nsubj", "nsubjpass")), None)
            m = state.by_token.get(doer.i) if doer is not None else None
            if conf < 0.7 and m is not None and state.side_of(m.key) == state.side_of(set_by) and not (
                    state.lexicon.kind_of(applies) or state.lexicon.kind_of(requires)):
                # a bare "if" on what one's own state does is home affairs ("prepared to fight if
                # Zimbabwe elects the opposition")
                continue
            speaker = _speaker_person(doc, state, actors, applies_head)
            state.conditions.append(Condition(
                set_by=set_by, applies_to=applies, requires=requires, stated_by=speaker,
                confidence=round(conf * (0.7 if inferred else 1.0), 2), evidence=[g.evidence(sent)]))


def _only_names(state: DocState, tokens: list[Token]) -> bool:
    """Tokens that name actors and nothing else (no event, no state of affairs)."""
    words = [t for t in tokens if not (t.is_punct or t.dep_ in ("cc", "det", "case"))]
    return bool(words) and all(t.i in state.by_token for t in words)


def _in_order_for(tok: Token, sent: Span, cues: dict):
    """'in order for the Israeli army to withdraw, Hamas must stop firing rockets': the purpose
    (withdrawal) waits on what must be done first."""
    if tok.lower_ != "order" or tok.dep_ != "pobj" or tok.head.lower_ != "in":
        return
    purpose = next((c for c in tok.children if c.dep_ in ("relcl", "acl", "advcl", "ccomp")
                    and any(m.lower_ == "for" for m in c.children if m.dep_ == "mark")), None)
    main = tok.head.head
    if purpose is None and main.dep_ == "advcl" and any(m.lower_ == "for" for m in main.children if m.dep_ == "mark"):
        purpose, main = main, main.head  # the parser may hang "in order" on the purpose itself
    if purpose is None or main.pos_ not in ("VERB", "AUX") or not any(
            c.dep_ == "aux" and c.lower_ in ("must", "should", "need", "needs") for c in main.children):
        return
    words = {tok.head.i, tok.i}  # "in order"
    applies = [t for t in purpose.subtree if not (t.dep_ == "mark" and t.head.i == purpose.i) and t.i not in words]
    cut = {t.i for t in tok.head.subtree} | {t.i for t in purpose.subtree}
    requires = [t for t in main.subtree if t.i not in cut and not (t.head.i == main.i and t.dep_ in ("mark", "punct"))]
    yield purpose, applies, requires, None, 0.85


def _commitment(main: Token, cues: dict) -> bool:
    """'we will open fire', 'troops would begin to leave', 'vowing to go to war': the main clause
    binds someone to act (a modal on an action verb), not 'it will be because ...' or 'the answer
    would be ...'; nor is a question to the reader ('If I would ask you ...') a condition."""
    verb = main
    while verb.dep_ == "xcomp" and verb.head.i != verb.i or verb.dep_ == "pcomp" and verb.head.dep_ == "prep" \
            and verb.head.lower_ == "to" and verb.head.head.pos_ == "VERB":  # ("commits to taking action if ...")
        verb = verb.head if verb.dep_ == "xcomp" else verb.head.head
    modal = any(c.dep_ == "aux" and c.lower_ in COMMITTING for c in verb.children) or verb.lemma_ in cues.get("binding_verbs", ())
    if verb.dep_ == "acl" and verb.head.lemma_ in BINDING_NOUNS and g.to_infinitive(verb):
        return True  # "its readiness to resume supplies if ..."
    if any(o.lemma_ in BINDING_NOUNS and any(c.dep_ == "acl" and g.to_infinitive(c) for c in o.children)
           for o in g.children(verb, "dobj")):
        return True  # "announced its readiness to resume supplies", the "if" hung on "announced"
    if verb.lower_ in cues.get("binding_adjectives", ()) and verb.dep_ == "acomp" and verb.head.i != verb.i:
        return True  # "are prepared to trigger the snapback if ...", "it is ready to resume talks if ..."
    subject = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    empty = any(s.lower_ in ("it", "this", "that", "there", "answer") for s in subject)
    return modal and main.lemma_ != "be" and not empty


def _possible_act(main: Token) -> bool:
    """'Turkey could call off the deal': a named subject who might act (whose threat it is depends
    on who says so)."""
    possible = any(c.dep_ == "aux" and c.lower_ in ("could", "may", "might") for c in main.children)
    subject = [c for c in main.children if c.dep_ in ("nsubj", "nsubjpass")]
    return possible and main.lemma_ != "be" and bool(subject) and subject[0].pos_ == "PROPN"


def _rhetorical(requires: list[Token], reporting: set[str]) -> bool:
    """'If I would ask you ...', 'if you ask me': the speaker's own speech is no requirement."""
    for t in requires:
        if (t.lemma_ in reporting or t.lemma_ == "ask") and any(
                c.dep_ == "nsubj" and c.lower_ in ("i", "you", "we") for c in t.children):
            return True
    return False


#: words of a multi-word cue that the parser may make the head of its clause
CUE_WORDS = {"on", "condition", "provided", "providing", "long"}

#: modals that bind the subject of the main clause of an 'if' ("we will respond", "would leave")
COMMITTING = {"will", "would", "shall", "'ll", "wo"}
#: nouns that bind their owner to the infinitive after them ("its readiness to resume supplies if ...")
BINDING_NOUNS = g.INTENT_NOUNS - g.TRYING_NOUNS - {"refusal"}


def _in_sentence(sent: Span, tokens: list[Token], cues: dict):
    for tok in tokens:
        for rule in (_subordinate, _inverted, _prepositional, _depends, _conditioned, _prerequisite, _named_condition,
                     _before, _in_order_for, _or_else):
            yield from rule(tok, sent, cues)


def _inverted(tok: Token, sent: Span, cues: dict):
    """'Israel would resume its offensive should a truce fall apart': 'should' before its subject
    opens a condition on the nearest would/will clause before it (the parser may hang the
    condition anywhere)."""
    opening = g.inverted_should(tok.head) if tok.lower_ == "should" and tok.dep_ == "aux" else None
    if opening is None or opening.i != tok.i or tok.i == sent.start:
        return
    clause = tok.head
    main = next((t for t in reversed(sent.doc[sent.start:tok.i]) if t.pos_ in ("VERB", "AUX") and any(
        c.dep_ == "aux" and c.lower_ in ("would", "will", "could", "might", "'ll", "wo")
        or c.dep_ == "acomp" and c.lower_ in cues.get("possibility_adjectives", ())  # "progress is impossible should ..."
        for c in t.children)), None)
    if main is None:
        return
    requires = [t for t in clause.subtree if t.i > tok.i]
    yield main, [t for t in _clause_without(main, clause) if t.i < tok.i], requires, None, cues["marks"].get("if", 0.6)


def _or_else(tok: Token, sent: Span, cues: dict):
    """An ultimatum's threat: 'gave the UK two weeks to concede on the bill or trade talks will not
    open', 'urged X to restore the constitution or else face sanctions': what is threatened waits
    on what is asked, and the one who asks sets it."""
    if tok.lower_ != "or" or tok.dep_ != "cc":
        return
    asked = next((t for t in reversed(sent.doc[sent.start:tok.i]) if t.tag_ == "VB" and g.to_infinitive(t)
                  or t.tag_ in ("VB", "VBP") and t.dep_ == "ccomp" and t.head.lemma_ in DEMAND_VERBS), None)
    # ("demands that Khartoum disarm the militia or the Council will consider measures": a that-clause asked)
    then = next((t for t in sent.doc[tok.i + 1:sent.end] if t.pos_ in ("VERB", "AUX") and t.dep_ == "conj"), None)
    if asked is None or then is None or g.to_infinitive(then):
        return  # ("to apologise or to pay compensation": two things asked, no threat)
    # a threat is said as one ("or else face ...", "or trade talks will not open"); without those
    # words, "or" joins two things asked ("insist the US cease its exercises or leave the
    # peninsula", "do nothing to jeopardize the safety or health of ...")
    threat = tok.nbor(1).lower_ == "else" or any(c.dep_ == "aux" and c.lower_ in COMMITTING | {"could", "might"}
                                                 for c in then.children)
    if not threat and (asked.dep_ == "ccomp" or tok.head.pos_ not in ("VERB", "AUX")):
        return
    asker = next((a for a in asked.ancestors if a.pos_ == "VERB" and (
        a.lemma_ in DEMAND_VERBS or a.lemma_ in ("give", "grant", "tell", "order") and any(
            c.dep_ == "dobj" and c.lemma_ in TIME_SPANS for c in a.children))), None)
    if asker is None or asker.i > tok.i:
        return
    requires = [t for t in asked.subtree if t.i < tok.i and not (t.tag_ == "TO" and t.head.i == asked.i)
                and not (t.dep_ == "mark" and t.head.i == asked.i) and not (t.is_punct and t.i == tok.i - 1)]
    # (all that follows "or": the parser may hang the threat's subject on what was asked)
    applies = [t for t in sent.doc[tok.i + 1:then.right_edge.i + 1] if t.lower_ != "else" and not t.is_space]
    if g.is_passive(asker):  # "Qatar has been given 10 days to comply or face ...": who gave sets it, not Qatar
        agent = g.agent(asker)
        yield (asker, applies, requires, agent, 0.8) if agent is not None else (asked, applies, requires, None, 0.8)
        return
    subs = g.subjects(asker)
    yield asker, applies, requires, subs[0] if subs else None, 0.8


def _subordinate(tok: Token, sent: Span, cues: dict):
    """'X could happen, but only if Y', 'would not X unless Y', 'X once Y'."""
    marks: dict[str, float] = cues["marks"]
    # "on condition they lay down their arms": the clause without its "that" hangs on the noun
    unmarked = next((c for c in tok.children if c.dep_ in ("acl", "relcl", "ccomp") and g.children(c, "nsubj", "nsubjpass")
                     and not any(m.dep_ == "mark" for m in c.children)), None) \
        if tok.lower_ == "condition" and tok.dep_ == "pobj" and tok.head.lower_ == "on" else None
    if tok.dep_ != "mark" and unmarked is None and not (tok.lower_ in ("unless", "once", "provided", "providing")
                                                        and tok.dep_ in ("advmod", "prep", "dep")) and not (
            tok.lower_ == "when" and tok.dep_ == "advmod" and tok.i > sent.start and tok.nbor(-1).lower_ == "only"):
        return  # ("only when" is the one cue the parser takes for an adverb of its clause)
    cue = "on condition" if unmarked is not None else tok.lower_
    before = [t.lower_ for t in sent.doc[max(sent.start, tok.i - 2):tok.i]]
    if before[-1:] == ["even"]:
        return  # "even if the deal is completed, it could be months": what holds whatever happens
    if cue in ("until", "before", "after", "once") and tok.i + 1 < len(sent.doc) and sent.doc[tok.i + 1].ent_type_ in ("DATE", "TIME"):
        return  # "meet today until March 27": a date the parser took for a clause
    clause = unmarked if unmarked is not None else tok.head
    if cue in ("provided", "providing") and tok.dep_ != "mark":
        sub = next((c for c in tok.children if c.dep_ in ("pcomp", "pobj", "ccomp", "advcl")), None)
        if sub is not None:  # "resume provided that X stops", the clause hung under the cue
            if any(c.dep_ == "mark" for c in sub.children):
                return  # read from its "that"
            clause = sub
    if " ".join(before + [cue]) in marks:  # "as long as", "so long as"
        cue = " ".join(before + [cue])
    elif " ".join(before[-1:] + [cue]) in marks:  # "only if"
        cue = " ".join(before[-1:] + [cue])
    elif cue == "that" and before[-1:] and before[-1] in marks:  # "provided that", "providing that"
        cue = before[-1]
    elif cue == "that" and clause.dep_ == "acl" and clause.head.lemma_ == "condition" and clause.head.head.lower_ == "on":
        cue = "on condition"  # "on (the) condition that X"
    # the parser may hang the clause on the cue's own words ("on condition", "provided", "as long"):
    # what depends is the clause those words hang on
    inner, main = clause, clause.head
    while main.lower_ in CUE_WORDS and main.head.i != main.i and main.i < inner.i:
        clause, main = main, main.head
    if main.dep_ == "acl" and main.tag_ in ("VBN", "VBD") and not g.children(main, "nsubj", "nsubjpass") \
            and main.head.dep_ == "dobj" and main.head.head.pos_ == "VERB" and clause.dep_ == "advcl":
        main = main.head.head  # "call off the deal struck with the EU if ...": the verb, not the participle
    if cue in ("before", "until") and main.i != clause.i and g.is_negated(main) or cue == "until" and (
            main.lemma_ in cues.get("held_until", ()) or main.head.lemma_ in cues.get("held_until", ()) and main.dep_ == "xcomp"):
        # "could not be signed before X", "will not sign until X", "withdraw the ambassador until X": X first
        marks = {**marks, cue: 0.8}
    if cue not in marks or cue == "if" and (main.lemma_ in QUESTIONING or clause.dep_ == "ccomp" and main.lemma_ in cues["reporting"]
                                            or main.lemma_ in UNKNOWING or any(c.dep_ == "acomp" and c.lemma_ in UNKNOWING for c in main.children)):
        return  # ("asked if the Kremlin was ready", "to see if they agree", "did not say if", "it is unclear if": a question, no condition)
    if _asked_about(main):
        return  # "the dispute centres on how much water Ethiopia will release if a drought occurs": a question in dispute
    if cue == "if" and (inner.tag_ in ("VBN", "JJ") and not g.children(inner, "nsubj", "nsubjpass")
                        or inner.pos_ not in ("VERB", "AUX", "ADJ", "NOUN", "PROPN")):
        return  # ("enough for a bomb if purified", "if necessary", "what role, if any,": a reduced 'if' says what might be, no one's terms)
    if clause.dep_ not in ("advcl", "ccomp", "conj") and clause is inner or main.i == clause.i or main.pos_ not in ("VERB", "AUX", "ADJ"):
        return
    lasting = main.head if main.dep_ == "xcomp" else main  # ("will keep talking until ...")
    if cue == "until" and lasting.lemma_ in cues.get("lasting_until", ()) and not g.is_negated(lasting) \
            and not g.is_passive(lasting) and not g.children(lasting, "dobj") \
            and not any(c.lower_ == "away" for c in lasting.children):  # ("stay away from the talks until": a boycott)
        # "the mediators will stay in Doha until the deal is signed": how long, not on what terms
        # (but "Westerners would be kept at military sites until ..." holds them on terms)
        return
    if cue in TEMPORAL and _told_past(main) and inner.tag_ == "VBD":
        return  # "has passed the changes, but only after the government lost its first vote": what happened, in order
    only = _has_only(inner, tok) or any(c.lower_ == "only" and c.dep_ == "advmod" for c in main.children)
    conf = min(marks[cue] + (0.1 if only else 0), 0.95)
    requires = _clause_tokens(inner, tok)
    if clause is not inner and clause.lower_ in ("provided", "providing") and any(
            c.i < clause.i and c.dep_ in ("nsubj", "nsubjpass", "aux") for c in clause.children):
        # "trade could reopen provided that ...", parsed with "provided" as the verb and "reopen"
        # as its auxiliary: what depends is what stands before the cue
        head = next((c for c in clause.children if c.i < clause.i and c.dep_ == "aux" and c.pos_ in ("VERB", "AUX")
                     and c.lower_ not in COMMITTING), clause)
        subs = g.subjects(main) if main.lemma_ in cues["reporting"] else []
        yield head, [t for t in clause.subtree if t.i < clause.i], requires, subs[0] if subs else None, conf
        return
    if main.lemma_ in cues["reporting"]:
        # "X could happen if Y, the Kremlin has said": the content, not the saying, depends on Y
        reporter = main
        subs = g.subjects(reporter)
        content = next((c for c in main.children if c.dep_ in ("ccomp", "parataxis") and c.i != clause.i), None)
        if content is None and main.dep_ in ("conj", "parataxis", "ccomp") and main.head.i != main.i:
            content = main.head
        if content is None:  # headline: "Talks 'possible' if progress made, says Kremlin"
            skip = {t.i for t in clause.subtree} | {t.i for t in reporter.subtree if t.i > clause.i}
            toks = [t for t in sent if t.i < tok.i and t.i not in skip and t.lower_ != "only"]
            yield reporter, toks, requires, subs[0] if subs else None, conf
            return
        yield content, _clause_without(content, clause), requires, subs[0] if subs else None, conf
        return
    yield main, _clause_without(main, clause), requires, None, conf


#: verbs whose "if" asks rather than conditions
def _asked_about(main: Token) -> bool:
    """A clause opened by 'how', 'what' or 'whether' before its verb is a question, whatever it
    is conditioned on ('how much water it will release if ...'); no one's terms."""
    return any(t.tag_ == "WRB" or t.lower_ in ("what", "whether") for c in main.children if c.i < main.i
               and c.dep_ in ("advmod", "dobj", "mark", "nsubj", "nsubjpass") for t in c.subtree if t.i < main.i)


QUESTIONING = {"ask", "wonder", "inquire", "enquire", "know", "see", "check", "decide", "question", "doubt"}
#: "it is not clear if ...": whether, not on what condition
UNKNOWING = {"clear", "unclear", "sure", "unsure", "certain", "uncertain", "known", "unknown"}

#: cues of time that set a condition only on what is yet to happen
TEMPORAL = {"once", "only after", "only when", "until", "before", "after", "when"}


def _told_past(verb: Token) -> bool:
    """A verb that reports what was done ('passed', 'has passed'), no modal or future about it."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.tag_ == "MD" or a.lower_ in ("will", "shall") for a in auxes):
        return False
    return verb.tag_ == "VBD" or verb.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxes)


def _prepositional(tok: Token, sent: Span, cues: dict):
    """'X only as a result of Y', 'X subject to Y', 'made X conditional on Y', 'X is conditional on Y'."""
    for words, conf in cues["preps_by_last"].get(tok.lower_, ()):
        first_i = tok.i - len(words) + 1
        if first_i < sent.start:
            continue
        if [t.lower_ for t in sent.doc[first_i: tok.i + 1]] != words:
            continue
        objs = [c for c in tok.children if c.dep_ in ("pobj", "pcomp")]
        if not objs:
            continue
        first = sent.doc[first_i]
        requires = _rest_of_clause(objs[0], tok)
        if words[0] in ("conditional", "contingent", "dependent"):
            yield from _predicative(first, requires, conf)
            continue
        if first.dep_ in ("amod", "acl") and first.head.pos_ in ("NOUN", "PROPN") and first.head.i < first.i:
            continue  # "facilities subject to abandonment": which facilities, not on what condition
        main = _main_of_prep(tok, words)
        if main is not None and not g.is_negated(main):  # "not subject to any interference": unconditional
            cut = first if first.dep_ == "prep" else (first.head if first.dep_ == "advmod" else tok)
            yield main, _clause_without(main, cut), requires, None, conf


def _predicative(adj: Token, requires: list[Token], conf: float):
    maker = next((a for a in [adj.head, *adj.head.ancestors][:4] if a.lemma_ == "make" and a.pos_ == "VERB"), None)
    if maker is not None and adj.head.i != maker.i:
        # "made the dismantling of the settlements conditional on the vote", 'conditional' hung on a noun
        objs = [o for o in maker.children if o.dep_ == "dobj"]
        if objs:
            subs = g.subjects(maker)
            yield maker, [t for t in objs[0].subtree if t.i < adj.i], requires, subs[0] if subs else None, conf
            return
    # "made X conditional on Y": X is the object of "make", the maker sets it
    if adj.head.lemma_ == "make":
        objs = [o for o in adj.head.children if o.dep_ == "dobj"] or [c for c in adj.children if c.dep_ == "nsubj"]
        if objs:
            subs = g.subjects(adj.head)
            yield adj.head, list(objs[0].subtree), requires, subs[0] if subs else None, conf
            return
    # "X is conditional on Y"
    subj = [c for c in adj.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if subj:
        yield adj.head, list(subj[0].subtree), requires, None, conf


def _conditioned(tok: Token, sent: Span, cues: dict):
    """'Hungary conditioned its approval on the release of EU funds'."""
    if tok.lemma_ in cues.get("conditioning_verbs", ()) and tok.pos_ == "VERB":
        objs = g.children(tok, "dobj")
        # the parser may hang the "on" phrase on the object ("its approval ... on the release of ...")
        ons = g.prep_objects(tok, "on", "upon") or [o for t in (objs[0].subtree if objs else []) if t.i > objs[0].i
                                                     and t.dep_ == "prep" and t.lower_ in ("on", "upon")
                                                     for o in g.children(t, "pobj")][:1]
        subs = g.subjects(tok)
        if objs and ons and subs:
            cut = {t.i for t in ons[0].head.subtree}
            yield tok, [t for t in objs[0].subtree if t.i not in cut], list(ons[0].subtree), subs[0], 0.85


def _depends(tok: Token, sent: Span, cues: dict):
    """'X depends on Y', 'renewal would depend on progress'."""
    if tok.lemma_ in cues["verbs"] and tok.pos_ == "VERB":
        ons = g.prep_objects(tok, "on", "upon")
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        if ons and subj and subj[0].lower_ in ("that", "which", "who") and tok.dep_ == "relcl":
            # "a deal that depends on X": the deal; "countries that rely on the river": who, not what
            head = tok.head
            if head.pos_ not in ("NOUN", "PROPN") or head.lower_ in GROUP_HEADS or head.lemma_ in STATE_NOUNS \
                    or head.ent_type_ in ("GPE", "NORP", "ORG", "PERSON"):
                return
            yield tok, [t for t in head.subtree if t.i < subj[0].i], list(ons[0].subtree), None, 0.85
        elif ons and subj:
            yield tok, list(subj[0].subtree), list(ons[0].subtree), None, 0.85


def _prerequisite(tok: Token, sent: Span, cues: dict):
    """'demanded Y as a prerequisite for X'."""
    if tok.lower_ in cues["prerequisite_nouns"] and tok.dep_ == "pobj" and tok.head.lower_ == "as":
        fors = g.prep_objects(tok, "for", "to", "of")
        owner = tok.head.head
        if not fors or owner.pos_ == "VERB" and g.is_negated(owner):
            return  # ("insisted it will not halt enrichment as a precondition": a precondition refused)
        if owner.pos_ == "VERB" and _demanded_clause(owner) is owner:
            # "demanded that the U.S. drop sanctions as a condition of resuming talks": the whole
            # demanded clause is required, by whoever demands it
            drop = {x.i for x in tok.head.subtree}
            requires = [t for t in owner.subtree if t.i not in drop and not (t.dep_ == "mark" and t.head.i == owner.i)]
            subs = g.subjects(owner.head)
            yield owner.head, list(fors[0].subtree), requires, subs[0] if subs else None, 0.85
            return
        thing = owner if owner.dep_ == "dobj" else next(iter(g.children(owner, "dobj")), None)
        if thing is not None:
            verb = owner if owner.pos_ == "VERB" else owner.head
            # ("will halt enrichment as a precondition": what is required is the halt, verb and all)
            # (but "demanded a ceasefire as a precondition": what is demanded is required, not the demanding)
            done = [owner] if owner.pos_ == "VERB" and thing.head.i == owner.i and owner.i < thing.i \
                and owner.lemma_ not in DEMAND_VERBS else []
            yield verb, list(fors[0].subtree), done + _np(thing, tok.head), None, 0.85


def _named_condition(tok: Token, sent: Span, cues: dict):
    """'ETA declared a permanent ceasefire, a condition set by Spain's government for the opening of
    talks', 'an end to hostilities was a condition set by Zapatero for talks': Y, named a condition
    of X by whoever set it."""
    after_comma = tok.left_edge.i >= 2 and tok.doc[tok.left_edge.i - 1].text == ","
    if tok.lower_ not in cues["prerequisite_nouns"] or not (
            tok.dep_ in ("attr", "appos") or after_comma and tok.dep_ in ("dobj", "npadvmod", "conj")):
        return  # (a noun after a comma is an apposition, however the parser hangs it)
    set_as = [a for a in tok.children if a.dep_ == "acl" and a.tag_ == "VBN"]  # "set by X", "laid down by X"
    fors = [o for h in (tok, *set_as) for o in g.prep_objects(h, "for", "of")]
    setters = [c for c in tok.children if c.dep_ == "poss"] + [o for a in set_as for p in a.children
                                                                if p.dep_ == "agent" for o in p.children if o.dep_ == "pobj"]
    if not fors or not setters:
        return  # (whose condition it is, and for what, both said)
    if tok.dep_ == "attr" and not after_comma:
        if tok.head.lemma_ != "be" or g.is_negated(tok.head) or not (subs := g.subjects(tok.head)):
            return
        requires = list(subs[0].subtree)
    else:  # (what the apposition follows: the parser may hang it on the clause's subject, "it is declaring
        # a permanent ceasefire, a condition set by ...")
        before = tok.doc[tok.left_edge.i - 2] if after_comma else tok.head
        while before.dep_ in ("pobj", "prep", "compound", "amod", "nmod") and before.head.pos_ in ("NOUN", "PROPN", "ADP"):
            before = before.head  # ("an end to the war in Gaza, a condition ...": the whole phrase)
        named = before if before.pos_ in ("NOUN", "PROPN") else tok.head
        own = {t.i for t in tok.subtree}
        requires = [t for t in named.subtree if t.i not in own and not (t.is_punct and t.i == tok.left_edge.i - 1)]
    yield fors[0], list(fors[0].subtree), requires, setters[0], 0.8


def _before(tok: Token, sent: Span, cues: dict):
    """What is demanded before something else: 'demanding Y before X could take effect', 'insisted
    that A do Y before X can be signed', 'insisted on Y before any X': X waits for Y."""
    if tok.lower_ != "before" or tok.dep_ not in ("mark", "prep"):
        return
    if tok.dep_ == "mark" and tok.head.dep_ == "advcl":
        clause, main = tok.head, tok.head.head
        applies = _clause_tokens(clause, tok)
    elif tok.dep_ == "prep":
        objs = g.children(tok, "pobj") or g.children(tok, "pcomp")  # ("before agreeing to a ceasefire")
        if not objs or objs[0].ent_type_ in ("DATE", "TIME") or objs[0].lemma_ in cues.get("times", ()) and not any(
                t.lemma_ in cues["deals"] or t.lower_ in cues["deals"] for t in objs[0].subtree) or any(
                t.ent_type_ in ("DATE", "TIME") for t in objs[0].lefts):
            return  # "before the harvest", "before the end of the year", "before the Nov. 25 board meeting":
            # a deadline ("before the start of talks" waits)
        clause, main = tok, tok.head
        applies = list(objs[0].subtree)
    else:
        return
    if tok.i < main.i and main.lemma_ in DEMAND_VERBS:
        return  # "Before the start of the air campaign, the Taliban had demanded ...": when, not on what condition
    have_to = main.dep_ == "xcomp" and g.to_infinitive(main) and main.head.lemma_ in ("have", "need") \
        and main.head.tag_ in ("VB", "VBZ", "VBP")  # ("would have to dismantle"; not "had to")
    if have_to or any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in main.children):
        # "the TPLF must disarm before the agreement could take effect", "the North would have
        # to dismantle other systems before all sanctions were lifted": X waits for the obligation
        top = main.head if have_to else main
        drop = {x.i for x in clause.subtree}
        requires = [t for t in top.subtree if t.i not in drop and not (t.dep_ == "mark" and t.head.i == top.i)]
        # "X set five conditions North Korea must meet before they resume talks": X sets them
        setter = g.subjects(top.head.head)[:1] if top.dep_ == "relcl" and top.head.dep_ == "dobj" else []
        yield main, applies, requires, setter[0] if setter else None, 0.75
        return
    if main.lemma_ in DEMAND_VERBS:  # "demanding Y before X", "insisted on Y before X"
        objs = g.children(main, "dobj") + g.prep_objects(main, "on", "for")
        if objs:
            yield main, applies, [t for t in objs[0].subtree if t.i not in {x.i for x in clause.subtree}], None, 0.8
    elif _demanded_clause(main) is not None:  # "insisted that A do Y before X"
        content = _demanded_clause(main)
        drop = {x.i for x in clause.subtree}
        requires = [t for t in content.subtree if t.i not in drop and not (t.dep_ == "mark" and t.head.i == content.i)]
        subs = g.subjects(content.head)
        yield content.head, applies, requires, subs[0] if subs else None, 0.8
    elif main.pos_ == "NOUN" and main.head.lemma_ in DEMAND_VERBS:  # "insisted on a ceasefire before any meeting"
        drop = {x.i for x in clause.subtree}
        yield main.head, applies, [t for t in main.subtree if t.i not in drop], None, 0.8


def _demanded_clause(tok: Token) -> Token | None:
    """The that-clause of a demand verb that ``tok`` is in ('insisted that A amend X to remove Y')."""
    t = tok
    for _ in range(4):
        if t.dep_ == "ccomp" and t.head.lemma_ in DEMAND_VERBS:
            return t
        if t.dep_ not in ("xcomp", "conj", "advcl") or t.head.i == t.i:
            return None
        t = t.head
    return None


def _rest_of_clause(obj: Token, cue: Token) -> list[Token]:
    """'conditional on the Taliban keeping its commitments, including ...': the parser often hangs
    the gerund on the adjective, so take everything after the cue up to the clause's end."""
    top = cue
    while top.dep_ in ("prep", "pobj", "amod", "acomp", "advmod", "pcomp") and top.head.i != top.i and top.head.pos_ != "VERB" and top.head.pos_ != "AUX":
        top = top.head
    top = top.head if top.head.pos_ in ("VERB", "AUX") else top
    toks = [t for t in top.subtree if t.i > cue.i]
    out = []
    for t in toks:
        if t.is_punct and t.text in (";",) or t.dep_ == "cc" and t.head.i == top.i:
            break
        out.append(t)
    return out or list(obj.subtree)


def _np(thing: Token, stop: Token) -> list[Token]:
    return [t for t in thing.subtree if t.i < stop.i or t.i > max(x.i for x in stop.subtree)]


def _has_only(clause: Token, mark: Token) -> bool:
    return any(c.lower_ == "only" for c in clause.children) or mark.i > 0 and mark.nbor(-1).lower_ == "only"


def _clause_tokens(clause: Token, mark: Token) -> list[Token]:
    # "if Hamas agrees to release more captives but insists that ...": what follows "but" is the
    # main clause's own reservation (its subject left out), not a second requirement
    but = next((b for b in clause.children if b.dep_ == "cc" and b.lower_ == "but" and b.i > clause.i), None)
    cut = {t.i for c in clause.children if but is not None and c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")
           and c.i > but.i for t in [but, *c.subtree]}
    # "if the opposition failed to sign by Thursday and the opposition said it had lost faith": a
    # report joined on with its own subject is the story going on, not a second requirement
    cut |= {t.i for c in clause.children if c.dep_ == "conj" and c.lemma_ in REPORTING_WORDS
            and any(x.dep_ == "nsubj" for x in c.children)
            for t in [*c.subtree, *(x for x in clause.children if x.dep_ == "cc" and x.i < c.i)]}
    return [t for t in clause.subtree if t.i != mark.i and t.lower_ != "only" and t.i not in cut]


#: verbs of a report ("and the opposition said ...")
REPORTING_WORDS = {"say", "tell", "add", "warn", "confirm", "note", "argue", "announce", "report"}


def _clause_without(main: Token, sub: Token) -> list[Token]:
    """The main clause minus the conditional part, reporting frame and sentence adverbs."""
    drop = {t.i for t in sub.subtree}
    for c in main.children:
        if c.dep_ in ("cc", "punct", "mark") or c.lower_ in ("however", "but", "only"):
            drop.add(c.i)
        if c.dep_ in ("advcl", "ccomp", "conj", "parataxis") and c.i != sub.i and c.lemma_ in REPORTING_WORDS:
            drop.update(t.i for t in c.subtree)
        if c.dep_ == "prep" and c.lower_ in ("according",):
            drop.update(t.i for t in c.subtree)
        if c.dep_ == "advcl" and c.tag_ == "VBG" and c.i > main.i and c.left_edge.i > 0 and main.doc[c.left_edge.i - 1].text == ",":
            drop.update(t.i for t in c.subtree)  # ", referring to earlier comments": the writer's gloss
        if c.dep_ == "advcl" and c.i != sub.i and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
            drop.update(t.i for t in c.subtree)  # "If X, Y will impose sanctions until Z": the other condition is its own
    toks = [t for t in main.subtree if t.i not in drop]
    # a clause that is the content of "X said": keep only the content
    return [t for t in toks if not (t.dep_ in ("nsubj",) and t.head.lemma_ in ("say", "tell"))]


def _main_of_prep(tok: Token, words: list[str]) -> Token | None:
    """The clause a prepositional cue hangs on ('in exchange for' → the verb before it)."""
    first = tok.doc[tok.i - len(words) + 1]
    head = first.head
    for _ in range(6):
        if head.pos_ in ("VERB", "AUX") or head.dep_ == "ROOT" or head.head.i == head.i:
            break
        head = head.head
    return head if head.pos_ in ("VERB", "AUX", "ADJ") else None


def _speaker_person(doc: Doc, state: DocState, actors: ActorFinder, main: Token) -> str | None:
    """The person who said it ('..., Peskov said'), for dip:statedBy."""
    reporting = set(state.lexicon.verbs["reporting_verbs"])
    rep = g.reporting_governor(main, reporting) or next(
        (c for c in main.children if c.dep_ in ("conj", "parataxis") and c.lemma_ in reporting), None)
    for sub in g.subjects(rep) if rep is not None else []:
        for k in actors.resolve(doc, state, sub):
            if k.startswith("person:"):
                return k
    return None


def _setter(doc: Doc, state: DocState, actors: ActorFinder, main: Token, setter_tok: Token | None,
            requires: list[Token], firm: bool = False) -> tuple[str | None, bool]:
    reporting = set(state.lexicon.verbs["reporting_verbs"])
    candidates: list[Token] = []
    if setter_tok is not None:
        candidates.append(setter_tok)
    rep = g.reporting_governor(main, reporting)
    if rep is None:
        rep = next((c for c in main.children if c.dep_ in ("conj", "parataxis") and c.lemma_ in reporting), None)
    if rep is not None:
        candidates += g.subjects(rep)
    acc = g.according_to(main.sent)
    if acc is not None:
        candidates.append(acc)
    for c in g.subjects(main):
        candidates.append(c)
    root = main.sent.root  # "NATO members have urged ..., with officials indicating that if ...": who the sentence is about
    if root.i != main.i and (root.lemma_ in reporting or root.lemma_ in state.lexicon.verbs["demand"]["verbs"]):
        candidates += [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
    # "subject to approval by the Israeli cabinet": whose approval it waits on sets the condition
    for t in requires:
        if t.lemma_ in ("approval", "ratification", "consent", "endorsement", "sign-off"):
            for owner in g.prep_objects(t, "by", "of") + [c for c in t.children if c.dep_ == "poss"]:
                keys = [k for k in state.talks.expand(actors.resolve(doc, state, owner)) if not k.startswith("@")]
                if keys:
                    return keys[0], False
    found = [k for c in candidates for k in state.talks.expand(actors.resolve(doc, state, c))[:1] if not k.startswith("@")]
    # (a speaker the text does not place gives way to the side a firm condition binds: "Israel
    # will withdraw only when ..., Netanyahu said"; a bare "if" may be the speaker's forecast of
    # another's fate)
    placed = [k for k in found if not k.startswith("person:") or state.actors[k].affiliations] if firm else []
    if placed or found:
        return (placed or found)[0], False
    # inferred: the requirement names one party of bilateral talks, the other one sets it
    parties = state.talks.parties(2)
    if len(parties) == 2:
        for t in requires:  # the first party the requirement names is the one that must act
            m = state.by_token.get(t.i)
            if m is None:
                continue
            sides = [m.key, *state.actors[m.key].affiliations] if m.key in state.actors else [m.key]
            hit = [p for p in parties if p in sides]
            if hit:
                return next(p for p in parties if p != hit[0]), True
    return None, False
