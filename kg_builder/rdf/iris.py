"""Every IRI the builder mints, in one place, so that the same input names the same node on every run.

Instance IRIs are ``<base><class>/<local>``: actors by a slug of their key (so the same person is
one node across articles), facts by a hash of the article id and the fields that identify them.
Nothing taken from article text reaches an IRI unescaped: slugs are reduced to ``[a-z0-9-]`` and
hashes are hex, so quotes, spaces, angle brackets or empty names cannot break a serialisation.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg_builder._text import clean, url_scheme
from kg_builder.model import Actor, Article

DEFAULT_BASE = "https://w3id.org/dipkg/id/"

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_ISO2 = re.compile(r"^[A-Za-z]{2}$")
#: Characters RFC 3987 forbids in an IRI; rdflib would warn and N-Triples would break on them.
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')
#: Path segment of each actor kind; also read from the prefix of a key (``country:RU``).
_KIND_SEGMENT = {"person": "person", "country": "country", "organization": "org", "org": "org"}


def check_base(base: str) -> str:
    """The base IRI as given, with a trailing ``/`` added when it ends in neither ``/`` nor ``#``."""
    if not base or not urlsplit(base).scheme or _IRI_UNSAFE.search(base):
        raise ValueError(f"base IRI {base!r} is not an absolute IRI without spaces, quotes or brackets")
    return base if base.endswith(("/", "#")) else base + "/"


def digest(*parts: object) -> str:
    """16 hex characters of sha256 over ``parts`` (JSON-encoded, so ``("a b", "c")`` != ``("a", "b c")``)."""
    blob = json.dumps([("" if p is None else p) for p in parts], ensure_ascii=False, default=str)
    # surrogatepass: a lone surrogate from a hand-made Article must not crash the hash
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def slug(text: str) -> str:
    """``text`` reduced to ``[a-z0-9-]``: accents folded, anything else a dash.

    Text with no Latin letters or digits at all ("Владимир", "!!!", "") gets ``x-<hash>``
    instead, so distinct names still get distinct, non-empty slugs.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    reduced = _NOT_SLUG.sub("-", folded.lower()).strip("-")
    return reduced if reduced else "x-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _key_parts(key: str) -> tuple[str | None, str]:
    prefix, sep, rest = key.partition(":")
    return (prefix.lower(), rest) if sep and prefix.lower() in _KIND_SEGMENT else (None, key)


def key_local(key: str) -> str:
    """The part of an actor key after its kind prefix: ``person:vladimir-putin`` -> ``vladimir-putin``."""
    return _key_parts(key)[1]


def iso2(code: str | None) -> str | None:
    """``code`` upper-cased when it looks like an ISO 3166-1 alpha-2 code, else None."""
    return code.upper() if code and _ISO2.match(code) else None


def article_iri(base: str, article: Article) -> URIRef:
    return URIRef(f"{base}article/{article.id}")


def actor_iri(base: str, actor: Actor) -> URIRef:
    """``res:person/<slug>``, ``res:org/<slug>`` or ``res:country/<ISO alpha-2>``."""
    _, local = _key_parts(actor.key)
    if actor.kind == "country":
        code = actor.code if actor.code and _ISO2.match(actor.code) else local
        return URIRef(f"{base}country/{code.upper() if _ISO2.match(code) else slug(code)}")
    return URIRef(f"{base}{_KIND_SEGMENT[actor.kind]}/{slug(local)}")


def key_iri(base: str, key: str) -> URIRef:
    """IRI for an actor key with no :class:`Actor` behind it, judged by the key's prefix alone."""
    prefix, local = _key_parts(key)
    if prefix == "country" and _ISO2.match(local):
        return URIRef(f"{base}country/{local.upper()}")
    return URIRef(f"{base}{_KIND_SEGMENT.get(prefix or '', 'actor')}/{slug(local)}")


def fact_iri(base: str, cls: str, article_id: str, *fields: object) -> URIRef:
    """``res:<cls>/<16 hex of sha256(article id, fields)>``."""
    return URIRef(f"{base}{cls}/{digest(article_id, *fields)}")


#: A '%' that does not start a percent-encoding ("100%", "%zz"): written as %25.
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


_URL_UNSAFE = re.compile(r'[^\x21-\x7e]|[<>"{}|\\^`]')


def _encode_unsafe(match: re.Match[str]) -> str:
    """Percent-encode what RFC 3987 forbids and what is legal but invisible or breaks lines in
    other parsers (rdflib's N-Quads reader stops at U+2028): spaces, controls, format characters."""
    char = match.group(0)
    if char.isascii() or char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp", "Zs"):
        return quote(char, safe="", errors="surrogatepass")
    return char


def url_term(url: str) -> URIRef | Literal:
    """An article URL as an IRI (unsafe characters and stray ``%`` percent-encoded), or an
    ``xsd:anyURI`` literal when it is relative or no valid IRI can be made of it ("http://[::1")."""
    url = clean(url).strip()
    if not url_scheme(url):
        return Literal(url, datatype=XSD.anyURI)
    iri = _URL_UNSAFE.sub(_encode_unsafe, _STRAY_PERCENT.sub("%25", url))
    try:
        ox.NamedNode(iri)  # the writers' own check: what passes here serialises
    except ValueError:
        return Literal(url, datatype=XSD.anyURI)
    return URIRef(iri)
