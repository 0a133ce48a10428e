"""Quotations: who speaks inside quotation marks.

News quotes its sources at length: 'Ban said in a statement, "I will continue to press for a
ceasefire ... Israel must exercise maximum restraint."' Inside a quote, "I" is the speaker, "we"
the side the speaker speaks for, and an obligation laid on someone else ("Israel must ...") is
the speaker's demand. ``find_quotes`` marks each quoted stretch with its speaker: the actor
that is the subject of a reporting verb outside the quotation marks in the sentences the quote
opens or closes in, else the speaker of the quote just before it in the same paragraph (a quote
that goes on after an attribution).

One pass over the characters and one over the tokens of each quote's edge sentences: linear.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from kg_builder.extract import grammar as g
from kg_builder.extract.state import DocState, Quote

OPENING = {"“": "”", "«": "»", "„": "“"}
STRAIGHT = '"'


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (inside the marks) of quotations; a paragraph break closes any open one."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    closing = ""
    for i, ch in enumerate(text):
        if open_at is None:
            if ch in OPENING:
                open_at, closing = i + 1, OPENING[ch]
            elif ch == STRAIGHT:
                open_at, closing = i + 1, STRAIGHT
        elif ch == closing:
            spans.append((open_at, i))
            open_at = None
        elif ch == "\n" and text.startswith("\n", i + 1):  # a blank line ends the paragraph
            spans.append((open_at, i))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(text)))
    return spans


def find_quotes(doc: Doc, state: DocState, actors) -> None:
    reporting = set(state.lexicon.verbs["reporting_verbs"])
    previous: Quote | None = None
    text = doc.text
    for start_char, end_char in quote_spans(text):
        span = doc.char_span(start_char, end_char, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        inside = range(span.start, span.end)
        speaker = None
        for sent in _edge_sentences(doc, span):
            speaker = _speaker_outside(doc, state, actors, sent, inside, reporting)
            if speaker:
                break
        if speaker is None and previous is not None and "\n\n" not in text[previous.end_char:start_char]:
            speaker = previous.speaker  # the quote goes on: '"...," he said. "More ..."'
        quote = Quote(span.start, span.end, start_char, end_char, speaker)
        state.quotes.append(quote)
        if speaker:
            for i in inside:
                state.speaker_at[i] = speaker
        previous = quote if speaker else previous


def _edge_sentences(doc: Doc, span: Span) -> list[Span]:
    first, last = doc[span.start].sent, doc[span.end - 1].sent
    out = [first] if first.start == last.start else [first, last]
    if first.start > 0:
        before = doc[first.start - 1].sent  # 'He said:' on a sentence of its own
        if before.text.rstrip().endswith(":"):  # (a span's text: its own tokens only)
            out.append(before)
    return out


def _speaker_outside(doc: Doc, state: DocState, actors, sent: Span, inside: range, reporting: set[str]) -> str | None:
    for tok in sent:
        if tok.i in inside or tok.lemma_ not in reporting or tok.pos_ not in ("VERB", "AUX"):
            continue
        for s in g.subjects(tok):
            if s.i in inside:
                continue
            keys = [k for k in actors.resolve_all(doc, state, s) if not k.startswith("@")]
            if keys:
                return keys[0]
    according = g.according_to(sent)
    if according is not None and according.i not in inside:
        keys = actors.resolve_all(doc, state, according)
        if keys:
            return keys[0]
    return None
