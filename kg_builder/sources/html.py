"""HTML pages: the article body via trafilatura (menus, sidebars and footers dropped)."""
from __future__ import annotations

import html as _html
import re
from collections.abc import Iterator
from pathlib import Path

from kg_builder._text import clean, clean_bytes
from kg_builder.errors import SourceError
from kg_builder.model import Article
from kg_builder.sources._common import article, file_key, one_line, parse_iso_date

#: A page whose longest paragraph is shorter than this holds links or labels, not an article.
_MIN_WORDS = 5
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


def read(path: Path, source: str) -> Iterator[Article | SourceError]:
    """Parse the page from its bytes (trafilatura sniffs the charset); never fetches anything."""
    import trafilatura  # heavy: loaded only when an HTML page is read

    data = clean_bytes(path.read_bytes())  # lxml would drop a form feed and glue two words
    try:
        doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
    except Exception as exc:  # noqa: BLE001 - a third-party parser failing on one page
        raise SourceError(source, f"cannot parse HTML: {exc}") from None
    lines = clean(doc.text or "").splitlines() if doc else []
    paragraphs = [line.strip() for line in lines if line.strip()]
    if not any(len(p.split()) >= _MIN_WORDS for p in paragraphs):
        # trafilatura's fallback returns menu items when a page has no article; that is no text
        raise SourceError(source, "no article text found in the page")
    title = one_line(doc.title) or _title_tag(data)
    if title and len(paragraphs) > 1 and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the headline is the title, not body text
    text = "\n\n".join(paragraphs)
    date = None
    if doc.date:
        try:
            date = parse_iso_date(doc.date)
        except ValueError:
            date = None
    # a page that names its URL is that article; else the file is
    yield article(text, title=title, url=doc.url, date=date, source=source, key=file_key(path))


def _title_tag(data: bytes) -> str | None:
    """The page's <title>, for pages whose metadata names none."""
    match = _TITLE.search(data)
    if match is None:
        return None
    return one_line(_html.unescape(match[1].decode("utf-8", errors="replace")))
