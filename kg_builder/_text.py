"""Text that every output can hold: no character XML 1.0 forbids, no terminal control sequence.

``clean`` runs at the source boundary (``kg_builder.sources``), so no such character gets into an
article, and again in each writer (GraphML, GEXF, SVG, Markdown, terminal tables), because their
input can also be RDF files made elsewhere. What goes:

- C0 controls other than tab, LF and CR (NUL, form feed, vertical tab, ESC, ...), DEL, C1
  controls (U+0080-U+009F; NEL U+0085 is a line break and becomes ``\\n``);
- whole ESC sequences: CSI (``ESC [ 31 m``), OSC/DCS/APC/PM/SOS strings up to their terminator
  (``ESC ] 0 ; title BEL`` retitles a terminal), two-character escapes (``ESC c``);
- U+FFFE, U+FFFF and lone surrogates (not characters at all);
- bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which make a
  line display in another order than it reads ("Trojan Source").

Each removed character becomes one space (NEL a newline): the text keeps its length, so an
offset into the cleaned text is also an offset into the text as decoded from the file, and a form
feed or a control sequence between two words never glues them together.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["clean", "clean_bytes", "http_url", "url_scheme"]

_UNSAFE = re.compile(
    r"\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"  # CSI: ESC [ params intermediates final
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\|\x9c)"  # OSC, DCS, SOS, PM, APC up to BEL or ST
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]"  # other escapes: ESC intermediates final
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]"
)


def _blank(match: re.Match[str]) -> str:
    found = match.group(0)
    return "\n" if found == "\x85" else " " * len(found)


def clean(text: str) -> str:
    """``text`` with every unsafe character or ESC sequence replaced by spaces (same length)."""
    return _UNSAFE.sub(_blank, text)


_UNSAFE_BYTES = re.compile(
    rb"\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
    rb"|\x1b[\]PX^_][^\x07\x1b]{0,4096}(?:\x07|\x1b\\)"
    rb"|\x1b[\x20-\x2f]*[\x30-\x7e]"
    rb"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)


def clean_bytes(data: bytes) -> bytes:
    """The ASCII part of :func:`clean` on undecoded bytes of an ASCII-compatible encoding.

    For parsers (lxml under trafilatura) that would silently drop a form feed and glue the words
    around it. UTF-16/32 data (a BOM, or a quarter of NUL bytes in the first kilobyte) is returned unchanged.
    """
    head = data[:1024]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) or head.count(0) * 4 > len(head):
        return data
    return _UNSAFE_BYTES.sub(lambda m: b" " * len(m.group(0)), data)


#: What browsers ignore inside a URL (tab, LF, CR anywhere; C0 controls and spaces at either end).
_URL_IGNORED = re.compile(r"[\t\n\r]")
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def _trimmed(url: str) -> str:
    return _URL_IGNORED.sub("", url).strip(_C0_OR_SPACE)


def url_scheme(url: str) -> str:
    """The scheme a browser would see in ``url``, lower case ("" for a relative reference)."""
    match = _SCHEME.match(_trimmed(url))
    return match.group(1).lower() if match else ""


def http_url(url: str | None) -> bool:
    """True for an absolute ``http:`` or ``https:`` URL with a host: the only URLs made into links."""
    if not url or url_scheme(url) not in ("http", "https"):
        return False
    try:
        return bool(urlsplit(_trimmed(url)).netloc)
    except ValueError:  # e.g. a malformed IPv6 host
        return False
