"""Helpers shared by the readers: strict UTF-8 decoding, ISO dates, news datelines, and
:func:`article`, through which every reader makes its articles so that each field is cleaned the
same way (:mod:`kg_builder._text`)."""
from __future__ import annotations

import datetime as _dt
import os
import re
from pathlib import Path

from kg_builder._printable import printable
from kg_builder._text import clean, http_url, url_scheme
from kg_builder.errors import SourceError
from kg_builder.model import Article

_BOM = b"\xef\xbb\xbf"
#: What :func:`~kg_builder._printable.printable` leaves but a terminal cannot take from a name:
#: line/paragraph separators, and the lone surrogates of undecodable bytes in a file name.
_NOT_IN_NAMES = re.compile("[\u2028\u2029\ud800-\udfff]")


def display_name(path: str | os.PathLike[str]) -> str:
    """A path as it may appear in a message: control characters (a newline, an ESC sequence)
    escaped (``\\n``, ``\\x1b``), so a file name cannot fake a line of output or drive the
    terminal."""
    return _NOT_IN_NAMES.sub(lambda m: f"\\u{ord(m.group()):04x}", printable(os.fspath(path)))


def file_key(path: Path) -> str:
    """Identity of a file source: ``file:`` and its path, relative to the working folder when
    inside it (so a checkout builds the same IRIs wherever it lives), else absolute."""
    resolved = path.resolve()
    try:
        shown = resolved.relative_to(Path.cwd().resolve())
    except ValueError:
        shown = resolved
    return "file:" + shown.as_posix()


def decode_utf8(data: bytes, source: str, *, offset: int = 0) -> str:
    """Decode strictly, so evidence offsets index the text the author wrote, not a guess.

    A leading BOM is dropped. ``offset`` is where ``data`` starts in its file, so the byte
    offset in the error message points into the file even when ``data`` is one line of it.
    """
    if data.startswith(_BOM):
        data, offset = data[len(_BOM):], offset + len(_BOM)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            source, f"not valid UTF-8 at byte offset {offset + exc.start} ({exc.reason})"
        ) from None


def parse_iso_date(value: object) -> _dt.date:
    """``2022-07-22`` or an ISO datetime (``Z`` allowed) -> the date as written, no tz shift."""
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO date string, got {type(value).__name__}")
    value = value.strip()
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        pass
    if value.endswith(("Z", "z")):  # fromisoformat accepts "Z" only from Python 3.11
        value = value[:-1] + "+00:00"
    try:
        return _dt.datetime.fromisoformat(value).date()
    except ValueError:
        raise ValueError(f"not an ISO date or datetime: {value!r}") from None


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?P<{n}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t|tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATELINE = re.compile(
    # PLACE in capitals, optionally ", Region/Country", then the date, then a dash or "(Agency)"
    r"^[ \t]*[A-Z][A-Z.'’\- ]*[A-Z.](?:,[ \t]*[A-Z][\w.'’\- ]*?)?,?[ \t]*"
    r"(?:" + _MONTH.format(n="m1") + r"[ \t]+(?P<d1>\d{1,2}),?[ \t]+(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})[ \t]+" + _MONTH.format(n="m2") + r",?[ \t]+(?P<y2>\d{4}))"
    r"[ \t]*(?:\([^)\n]*\)[ \t]*)?[-–—:]",
    re.MULTILINE,
)


def dateline_date(text: str, *, within: int = 1000) -> _dt.date | None:
    """The date of a news dateline near the start ("ISTANBUL, July 22, 2022 - ...").

    Used only when a source carries no date of its own; anything that is not a real calendar
    date is ignored rather than guessed at.
    """
    match = _DATELINE.search(text[:within])
    if match is None:
        return None
    month = match["m1"] or match["m2"]
    day, year = match["d1"] or match["d2"], match["y1"] or match["y2"]
    try:
        return _dt.date(int(year), _MONTHS[month[:3].lower()], int(day))
    except ValueError:
        return None


def article(
    text: str, *, title: str | None = None, url: str | None = None, date: _dt.date | None = None,
    source: str, key: str | None = None,
) -> Article:
    """An :class:`Article` with every field cleaned; a reader passes ``text`` already cleaned
    (:func:`~kg_builder._text.clean`) when it derives the title or anything else from it.

    The title becomes one line; the URL is kept only when it is ``http(s)`` or relative (a
    ``javascript:``, ``data:``, ``file:`` ... "URL" locates no article: it is dropped, and the
    article's identity then comes from its ``key``, if any, else its text). No date given: the
    dateline's, if any.
    """
    text = clean(text)
    return Article(
        text=text,
        title=one_line(title),
        url=article_url(url),
        date=date or dateline_date(text),
        source=clean(source),
        key=key,
    )


def one_line(value: str | None) -> str | None:
    """Cleaned, whitespace runs (newlines too) folded to one space; None when nothing is left."""
    return " ".join(clean(value).split()) or None if value else None


def article_url(value: str | None) -> str | None:
    """The URL cleaned and trimmed; None when empty, when its scheme is not http(s), or when it
    has no host a browser could reach (``http://``, ``http://[::1``)."""
    if not value:
        return None
    url = clean(value).strip()
    if not url or (url_scheme(url) and not http_url(url)):  # "http://[::1" and "http://" locate nothing
        return None
    return url
