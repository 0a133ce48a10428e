"""Just enough reading of SPARQL text to send a query to another server as our store would run it.

Our store predeclares our prefixes and binds parameters as RDF terms (pyoxigraph substitutions).
A remote endpoint gets plain SPARQL instead, so :func:`for_endpoint` adds the missing ``PREFIX``
lines and binds each parameter with a ``VALUES ?name { term }`` block at the start of every
``WHERE`` group, sub-queries included (so a parameter a sub-query filters on is bound there too).
The term is written in N-Triples syntax by pyoxigraph, so a value can never become query syntax.

The scanner skips comments, strings and IRIs; it knows brace and parenthesis depth and the query
forms, nothing more.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kg_builder.errors import QueryError

_TOKEN = re.compile(
    r'(?P<comment>#[^\n]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r'|(?P<var>[?$]\w+)'
    r'|(?P<word>[A-Za-z_][\w\-.]*(?::[^\s{}()\[\];,<>"\']*)?|:[^\s{}()\[\];,<>"\']*)'
    r'|(?P<open>\{)|(?P<close>\})|(?P<lparen>\()|(?P<rparen>\))'
    r'|(?P<space>\s+)'
    r'|(?P<other>.)',
    re.DOTALL,
)
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class Scanned:
    form: str  #: SELECT, ASK, CONSTRUCT or DESCRIBE (the outermost query form)
    prefixes: frozenset[str]  #: prefix names the text declares (without the colon)
    where_groups: tuple[int, ...]  #: offsets just after the "{" opening each WHERE group


def scan(sparql: str, label: str = "query") -> Scanned:
    form = ""
    prefixes: set[str] = set()
    groups: list[int] = []
    braces = parens = 0
    pending: tuple[int, int] | None = None  # (brace depth, paren depth) of a query form awaiting its WHERE "{"
    template = None  # brace depth of a CONSTRUCT template being skipped
    after_prefix = after_construct = False
    for match in _TOKEN.finditer(sparql):
        kind, text = match.lastgroup, match.group()
        if kind in ("comment", "space"):
            continue
        if after_prefix:
            after_prefix = False
            if kind == "word" and text.endswith(":"):
                prefixes.add(text[:-1])
                continue
        if after_construct:
            after_construct = False
            if kind == "open":
                template = braces
                braces += 1
                continue
            if kind == "word" and text.upper() == "WHERE":
                pending = None  # CONSTRUCT WHERE { triples }: the short form, no room for VALUES
                form = form or "CONSTRUCT"
                groups.append(-1)
                continue
        if kind == "word":
            upper = text.upper()
            if upper == "PREFIX":
                after_prefix = True
            elif upper in _FORMS:
                form = form or upper
                if upper == "CONSTRUCT":
                    after_construct = True
                pending = (braces, parens)
        elif kind == "open":
            if pending == (braces, parens) and template is None:
                groups.append(match.end())
                pending = None
            braces += 1
        elif kind == "close":
            braces -= 1
            if template is not None and braces == template:
                template = None
                pending = (braces, parens)
        elif kind == "lparen":
            parens += 1
        elif kind == "rparen":
            parens -= 1
    if not form:
        raise QueryError(f"{label}: not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return Scanned(form, frozenset(prefixes), tuple(groups))


def for_endpoint(sparql: str, prefixes: Mapping[str, str], bindings: Mapping[str, ox.NamedNode | ox.Literal],
                 label: str = "query") -> tuple[str, str]:
    """``(text to send, query form)``: our prefixes declared, ``bindings`` as VALUES blocks."""
    scanned = scan(sparql, label)
    text = sparql
    if bindings:
        if not scanned.where_groups or -1 in scanned.where_groups:
            raise QueryError(f"{label}: parameters need a WHERE {{ … }} group to be bound on an endpoint")
        values = "".join(f" VALUES ?{name} {{ {_term(term, name, label)} }}" for name, term in bindings.items())
        for offset in sorted(scanned.where_groups, reverse=True):
            text = text[:offset] + values + text[offset:]
    missing = [f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items() if p not in scanned.prefixes]
    return "".join(missing) + text, scanned.form


def _term(term: ox.NamedNode | ox.Literal, name: str, label: str) -> str:
    if not isinstance(term, (ox.NamedNode, ox.Literal)):
        raise QueryError(f"{label}: parameter {name} must be an IRI or a literal to be sent to an endpoint")
    return str(term)
