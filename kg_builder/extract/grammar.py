"""Small questions every rule asks of a dependency parse: who is the subject, is it negated,
what text does a phrase cover, who said it. Pure functions over spaCy tokens."""
from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from kg_builder.model import Evidence, Modality

SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}


def phrase(tokens: Iterable[Token]) -> str:
    """Text of tokens in document order, joined as written (gaps closed)."""
    toks = sorted(set(tokens), key=lambda t: t.i)
    if toks and toks[-1].i + 1 < len(toks[-1].doc) and toks[-1].doc[toks[-1].i + 1].text == ")" and (
            sum(t.text == "(" for t in toks) > sum(t.text == ")" for t in toks)):
        toks.append(toks[-1].doc[toks[-1].i + 1])  # "withdraws the (agreement)": the bracket it opened
    parts = []
    for a, b in zip(toks, toks[1:] + [None]):
        parts.append(a.text_with_ws if b is None or b.i == a.i + 1 or a.whitespace_ else a.text + " ")
    out = "".join(parts).strip()
    return out.strip(" ,;:.-\"'“”‘’")


def without_attribution(tokens: list[Token], reporting: set[str]) -> list[Token]:
    """'... after talks in Switzerland, the United Nations and the ICRC said': a source the parser
    hung inside what was reported (a conjunct of the last place) ends at the comma before it."""
    if not tokens:
        return tokens
    doc, last = tokens[-1].doc, max(t.i for t in tokens)
    nxt = doc[last + 1] if last + 1 < len(doc) else None
    if nxt is None or nxt.lemma_ not in reporting or any(c.dep_ in ("nsubj", "nsubjpass") for c in nxt.children):
        return tokens
    comma = max((t.i for t in tokens if t.text == ","), default=None)
    if comma is None or not any(t.i > comma and t.pos_ in ("PROPN", "NOUN") for t in tokens):
        return tokens
    return [t for t in tokens if t.i < comma]


def subtree_without(token: Token, drop: Iterable[Token] = ()) -> list[Token]:
    """The token's subtree minus the subtrees of ``drop`` (e.g. coordinated siblings)."""
    dropped: set[int] = set()
    for d in drop:
        if token.is_ancestor(d):  # only what hangs below token; an ancestor's subtree holds token itself
            dropped.update(t.i for t in d.subtree)
    return [t for t in token.subtree if t.i not in dropped]


def conjuncts(token: Token) -> list[Token]:
    """The token and everything coordinated with it ("A, B and C")."""
    return [token, *[c for c in token.conjuncts if c.i != token.i]]


def own_conj_children(token: Token) -> list[Token]:
    """Conjuncts hanging below this token, with their coordinators, to cut out of its text."""
    return [c for c in token.children if c.dep_ in ("conj", "cc", "preconj")]


#: nouns whose infinitive is done by their owner ("Iran's offer to halt enrichment")
INTENT_NOUNS = {"plan", "offer", "decision", "readiness", "willingness", "refusal", "attempt", "bid", "promise",
                "pledge", "commitment", "threat", "intention", "determination", "effort", "failure", "move"}
#: ... of which these name an act tried or done, not one in prospect ("its offer to mediate" mediates nothing yet)
TRYING_NOUNS = {"attempt", "bid", "effort", "failure", "move"}

#: nouns whose gerund complement is done by their owner ("X's role in mediating", "played a part in")
ROLE_NOUNS = {"role", "part", "effort", "efforts", "hand"}


#: ``doc.user_data`` key: the token ranges ``(start, end)`` of the datelines the line-break
#: component found ("BRUSSELS (Reuters) - ", "Istanbul, (Asian independent) ")
DATELINES = "dip_datelines"


def opens_paragraph_in_capitals(tok: Token) -> bool:
    """A word in capitals that opens a paragraph: a dateline's city ('SANTIAGO, Chile (AP) _ ...')."""
    doc = tok.doc
    return tok.text.isupper() and len(tok.text) > 2 and (tok.i == 0 or doc[tok.i - 1].is_space
                                                         or "\n" in doc[tok.i - 1].text_with_ws)


def subjects(verb: Token) -> list[Token]:
    """Grammatical subject of a verb, inherited through coordination, xcomp and relative clauses."""
    seen = 0
    while verb is not None and seen < 6:
        seen += 1
        subs = [c for c in verb.children if c.dep_ in SUBJECTS]
        if subs and verb.dep_ == "advcl" and to_infinitive(verb) and not any(c.lower_ == "for" for c in verb.children):
            # "influence with Taliban fighters to broker a deal": an infinitive has no bare subject
            # (only "for X to ..."); the parser took the noun before it for one
            subs = []
        if len(subs) > 1 and opens_paragraph_in_capitals(subs[0]):
            subs = subs[1:]  # "SANTIAGO, Chile (AP) _ Peru and Bolivia have agreed": the city is where, not who
        if len(subs) > 1 and all(s.dep_ == "nsubj" and s.pos_ in ("PROPN", "NOUN") for s in subs) and any(
                c.dep_ == "cc" for c in subs[0].children):
            # "Kibaki and opposition leader Odinga have reached", "Yemen's government, and Houthi
            # rebels supported by Iran, have agreed": a coordination the parser split
            return subs
        if subs:
            sub = _before_dashes(subs[0], verb)
            if sub.tag_ == "VBG" and (inner := [c for c in sub.children if c.dep_ == "nsubj" and c.i < sub.i]):
                return inner[:1]  # "The Red Cross operating in Iraq said": a reduced relative read as a clause
            if sub.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return [verb.head]
            return [sub]
        if verb.dep_ == "relcl":
            return [verb.head]
        if verb.dep_ == "xcomp" and to_infinitive(verb) and verb.head.lemma_ not in INSTRUMENTS and (
                objs := [c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i]):
            return objs[:1]  # object control: "ordered the minister to summon ..." (the minister summons)
        if verb.dep_ == "conj" and verb.tag_ in ("VBD", "VBZ") and verb.head.tag_ == "VB" and to_infinitive(verb.head):
            # "said it is too late for X to return ... and urged Y to": a finite verb hung on an
            # infinitive is coordinated with the finite verb above it, and shares its subject
            finite = next((a for a in verb.head.ancestors if a.tag_ == verb.tag_ and a.pos_ == "VERB"), None)
            if finite is not None:
                verb = finite
                continue
        if verb.dep_ == "advcl" and verb.tag_ in ("VBD", "VBZ", "VBP"):
            return []  # a finite clause has its own subject ("applauded as each of the rebel leaders ... signed")
        if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.i != verb.i or verb.dep_ == "acomp" and verb.pos_ == "ADJ" \
                and verb.head.i != verb.i:  # "the sides are due to hold talks": the subject of "are"
            verb = verb.head
            continue
        if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.dep_ == "prep":
            # "reacted by ordering X to ...": the clause's subject; "thanked France for pressuring
            # Colombia": the one thanked
            objs = [c for c in verb.head.head.children if c.dep_ == "dobj" and c.i < verb.i]
            if objs and verb.head.lower_ in ("for", "of"):  # (thank, praise, blame X for; accuse X of)
                return objs[:1]
            gov = verb.head.head
            if gov.pos_ == "NOUN" and gov.lemma_ in ROLE_NOUNS:  # "China's role in facilitating the talks"
                owner = [c for c in gov.children if c.dep_ == "poss"]
                if owner:
                    return owner[:1]
                if gov.dep_ == "dobj":  # "Qatar played a key role in brokering the deal"
                    verb = gov.head
                    continue
                return []
            verb = gov
            continue
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            if verb.tag_ in ("VBD", "VBZ") and verb.head.dep_ == "ROOT" and verb.i > verb.head.i:
                return [verb.head]  # "The EU's foreign policy chief called on ...", read as a noun phrase
            if verb.head.lemma_ in INTENT_NOUNS and to_infinitive(verb):
                owner = [c for c in verb.head.children if c.dep_ == "poss"][:1]  # "their plans to reinstate sanctions"
                if owner or verb.head.dep_ != "dobj":
                    return owner
                verb = verb.head.head  # "Kim expressed a willingness to impose a moratorium": Kim's
                continue
            return []
        return _stranded_subject(verb)
    return []


DASHES = {"—", "–", "--"}


def _before_dashes(sub: Token, verb: Token) -> Token:
    """'Iran and the P5+1 nations — the United States, Britain, ... and Germany — reached a deal':
    the parser takes the list between the dashes for the subject; the subject opens the sentence
    (or follows its fronted phrase) before the first dash."""
    sent = sub.sent
    opening = next((t for t in reversed(sent[: sub.i - sent.start]) if t.text in DASHES), None)
    if opening is None or not any(t.text in DASHES for t in sub.doc[sub.i:verb.i]):
        return sub
    return _opening_subject(opening) or sub


def _opening_subject(opening: Token) -> Token | None:
    """The first noun between the sentence's start (or its fronted phrase's comma) and a dash."""
    doc, start = opening.doc, opening.i - 1
    while start > opening.sent.start and doc[start - 1].text not in {",", ";", ":"} | DASHES:
        start -= 1
    return next((t for t in doc[start:opening.i] if t.pos_ in ("NOUN", "PROPN")), None)


def _stranded_subject(verb: Token) -> list[Token]:
    """A finite verb the parser left without subject because it hung the real one elsewhere
    ('..., facilitated by Saudi Arabia, the army and the RSF signed a truce': 'army' became an
    apposition of 'Arabia'): the noun phrase right before the verb is its subject."""
    perfect = verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)
    if verb.tag_ not in ("VBD", "VBZ", "VBP") and not perfect or verb.i == verb.sent.start:
        return []
    prev = verb.nbor(-1)
    # (over "Friday", "on Monday" between the subject and its verb: "... and its foes Friday reached")
    while (prev.pos_ in ("ADV", "AUX", "PART") or prev.ent_type_ in ("DATE", "TIME") and prev.dep_ == "npadvmod") \
            and prev.i > verb.sent.start:
        prev = prev.nbor(-1)
    if prev.text in DASHES:  # "..., Venezuela and the Contadora nations — Mexico, ... — reached"
        opening = next((t for t in reversed(verb.sent[: prev.i - verb.sent.start]) if t.text in DASHES), None)
        found = _opening_subject(opening) if opening is not None else None
        return [found] if found is not None else []
    if prev.pos_ not in ("NOUN", "PROPN"):
        return []
    # '..., with the signing of a memorandum, the government and the rebels have agreed': the
    # subject was made a conjunct inside the fronted phrase; it does not climb into that phrase
    fronted = {t.i for c in verb.children if c.dep_ in ("prep", "advcl", "npadvmod") and c.i < prev.i
               for t in c.subtree}
    while prev.dep_ in ("conj", "compound") and prev.head.i < prev.i and prev.head.i not in fronted:
        prev = prev.head
    return [prev]


def agent(verb: Token) -> Token | None:
    """The 'by X' of a passive verb."""
    for c in verb.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def to_infinitive(verb: Token) -> bool:
    """A verb with its infinitive 'to' ("urged Y to leave", "efforts to end the war"; not the
    preposition the tagger also tags TO, "agreed to concessions")."""
    return any(a.tag_ == "TO" and a.dep_ == "aux" for a in verb.children)


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or verb.tag_ == "VBN" and verb.dep_ == "acl"


def is_negated(verb: Token) -> bool:
    """Negated itself or under a negated governor ("did not agree to sign")."""
    t = verb
    for _ in range(3):
        if any(c.dep_ == "neg" or c.lower_ in ("never", "not", "n't") for c in t.children):
            return True
        if any(c.lower_ in ("longer", "more") and c.dep_ == "advmod" and any(n.lower_ == "no" for n in c.children)
               for c in t.children):
            return True  # "is no longer calling on Kibaki to step down"
        if any(c.dep_ in ("nsubj", "nsubjpass") and any(p.lower_ == "neither" for p in c.children)
               for c in t.children):
            return True  # "Neither Russia nor Ukraine agreed"
        if t.dep_ == "pcomp" and t.head.lower_ == "from" and t.head.head.lemma_ in ABSTAINING \
                or t.dep_ == "xcomp" and t.tag_ == "VBG" and t.head.lemma_ in ABSTAINING:
            return True  # "will refrain from seeking military advantage", "stop demanding"
        if t.dep_ in ("xcomp",) and t.head.i != t.i:
            t = t.head
        else:
            break
    return False


#: verbs whose object is a means, not who acts: "used Twitter to urge X", "took the opportunity to call for"
INSTRUMENTS = {"use", "take", "seize", "spend", "employ"}
#: verbs that, negated, deny what their clause says ("does not mean that X has accepted")
IMPLYING = {"mean", "indicate", "imply", "signal", "suggest", "prove", "show", "confirm"}
#: verbs whose gerund is what is not done
ABSTAINING = {"refrain", "abstain", "desist", "avoid", "stop", "cease"}


def modality(verb: Token, hypothetical: set[str], future: set[str], prospective: set[str] = frozenset()) -> Modality:
    """Whether ``verb`` says what is, will be, may be or is not; ``prospective`` adjectives put what
    hangs under them in sight only ("are close to signing", "ready to mediate")."""
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if is_negated(verb) or _denied_by_implication(verb):
        return "negated"
    if auxes & hypothetical:
        return "hypothetical"
    if auxes & future:
        return "future"
    if verb.tag_ in ("VBP", "VBZ") and any(c.dep_ == "mark" and c.lower_ in AWAITED for c in verb.children):
        return "hypothetical"  # "we will advance until we agree on disarmament": not yet agreed (but "until they agreed")
    t = verb  # "unless Iraq agrees to ...", "if the two sides sign the accord": not (yet) done
    while not any(c.dep_ == "mark" and c.lower_ in OPEN_MARKS for c in t.children):
        if t.dep_ in ("relcl", "acl") or t.head.i == t.i:  # "if Russia fails to implement the
            # plan it signed": it did sign
            return "hypothetical" if prospective and _prospective(verb, prospective) else "asserted"
        t = t.head
    return "hypothetical"


def _denied_by_implication(verb: Token) -> bool:
    """'This doesn't mean (in any way) that JEM has accepted the initiative': not accepted."""
    t = verb
    for _ in range(4):
        if t.dep_ not in ("ccomp", "relcl", "pobj", "prep") or t.head.i == t.i:
            return False
        t = t.head
        if t.lemma_ in IMPLYING and t.pos_ in ("VERB", "AUX"):
            return is_negated(t)
    return False


def _prospective(verb: Token, adjectives: set[str]) -> bool:
    """'The UK and Pakistan are close to signing a treaty', 'ready to sign': in sight, not done."""
    for _ in range(4):  # (through "willing to send envoys to try and reach an agreement")
        gov = verb.head.head if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" else verb.head if verb.dep_ in (
            "xcomp", "advcl", "conj") else None
        if gov is None or gov.i == verb.i:
            return False
        if gov.pos_ == "ADJ" and gov.lemma_.lower() in adjectives:
            return True
        verb = gov
    return False


def inverted_should(clause: Token) -> Token | None:
    """'(would strike) should a truce fall apart': the 'should' before its clause's subject, which
    opens a condition, not an obligation."""
    subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return next((c for c in clause.children if c.dep_ == "aux" and c.lower_ == "should" and subj is not None
                 and c.i < subj.i), None)


#: subordinators whose clause is left open: what it says may or may not happen
OPEN_MARKS = {"if", "unless", "whether"}
#: subordinators of time whose clause, in the present tense, is awaited, not done
AWAITED = {"until", "till", "before", "once"}


def reporting_governor(token: Token, reporting: set[str]) -> Token | None:
    """The reporting verb ('said', 'told') a clause is the content of, if any."""
    t = token
    while t.dep_ not in ("ROOT",) and t.head.i != t.i:
        if t.dep_ in ("ccomp", "parataxis", "xcomp") and t.head.lemma_ in reporting:
            return t.head
        if t.dep_ in ("ccomp", "advcl", "conj", "xcomp", "relcl", "acl", "prep", "pobj", "pcomp"):
            t = t.head
            continue
        break
    root = token.sent.root
    if root.lemma_ in reporting and root.i != token.i:
        return root
    return None


def according_to(sent: Span) -> Token | None:
    """'According to X, ...' → X."""
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < sent.end and t.nbor(1).lower_ == "to":
            for c in t.nbor(1).children:
                if c.dep_ == "pobj":
                    return c
    return None


def evidence(sent: Span) -> Evidence:
    """The sentence, trimmed of surrounding white space, with its offsets in the article text."""
    text = sent.text  # the span's own text: Doc.text would join the whole article on every call
    quote = text.strip()
    start = sent.start_char + (len(text) - len(text.lstrip()))
    return Evidence(quote=quote, start=start, end=start + len(quote))


def children(token: Token, *deps: str) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def prep_objects(token: Token, *preps: str) -> list[Token]:
    """Objects of the given prepositions below token ('call for X' → X)."""
    out = []
    for c in token.children:
        if c.dep_ in ("prep", "dative", "agent") and c.lower_ in preps:
            out.extend(p for p in c.children if p.dep_ in ("pobj", "pcomp"))
    return out
