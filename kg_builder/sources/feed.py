"""RSS and Atom feeds: each entry is one article, parsed from the file's bytes."""
from __future__ import annotations

import datetime as _dt
import email.utils
import io
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from kg_builder._text import clean
from kg_builder.errors import SourceError
from kg_builder.model import Article
from kg_builder.sources._common import article, parse_iso_date


def read(path: Path, source: str) -> Iterator[Article | SourceError]:
    """A bad entry becomes a SourceError (``path#entry-N``); the other entries are still read."""
    import feedparser  # loaded only when a feed is read

    # A file object, not a string: feedparser fetches strings that look like URLs.
    parsed = feedparser.parse(io.BytesIO(path.read_bytes()))
    # .get: an empty file parses to a result without even a "version" key
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        reason = parsed.get("bozo_exception") or "no RSS or Atom elements"
        raise SourceError(source, f"not an RSS/Atom feed: {reason}")
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{source}#entry-{number}"
        text = clean(_entry_text(entry)).strip()
        if not text:
            yield SourceError(where, "entry has no content or summary text")
            continue
        yield article(text, title=entry.get("title"), url=entry.get("link"), date=_entry_date(entry),
                      source=where)


def _entry_text(entry: Any) -> str:
    """Full content when the feed carries it, else the summary; HTML turned into paragraphs."""
    candidates = [*entry.get("content", [])]
    if entry.get("summary"):
        kind = entry.get("summary_detail", {}).get("type")
        candidates.append({"value": entry["summary"], "type": kind})
    for item in candidates:
        value = item.get("value") or ""
        if item.get("type") == "text/plain":
            text = "\n\n".join(p.strip() for p in value.split("\n\n") if p.strip())
        else:
            text = html_to_text(value)
        if text:
            return text
    return ""


def _entry_date(entry: Any) -> _dt.date | None:
    """The date as written in the feed (feedparser's own parse shifts it to UTC)."""
    for key in ("published", "updated"):
        raw = dict.get(entry, key)  # not entry.get: feedparser maps "updated" to "published", warning
        if not raw:
            continue
        try:
            return email.utils.parsedate_to_datetime(raw).date()  # RSS: RFC 822
        except (TypeError, ValueError):
            pass
        try:
            return parse_iso_date(raw)  # Atom: RFC 3339
        except ValueError:
            pass
        parsed = dict.get(entry, f"{key}_parsed")  # other formats feedparser understood
        if parsed:
            return _dt.date(*parsed[:3])
    return None


_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main ol p pre section table td th tr ul".split()
)
_SKIP = frozenset({"script", "style", "template"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._words: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skipping += 1
        elif tag in _BLOCKS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._words.append(data)

    def flush(self) -> None:
        paragraph = " ".join("".join(self._words).split())
        if paragraph:
            self.paragraphs.append(paragraph)
        self._words = []


def html_to_text(markup: str) -> str:
    """Feed HTML fragments are too small for trafilatura; keep one paragraph per block element."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    collector.flush()
    return "\n\n".join(collector.paragraphs)
