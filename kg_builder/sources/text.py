"""Plain-text articles: the first non-empty line is the headline, the whole file is the text."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kg_builder.errors import SourceError
from kg_builder.model import Article
from kg_builder.sources._common import dateline_date, decode_utf8


def read(path: Path, source: str) -> Iterator[Article | SourceError]:
    """One article per file; the text is kept exactly as decoded so evidence offsets hold."""
    text = decode_utf8(path.read_bytes(), source)
    if not text.strip():
        raise SourceError(source, "empty file (no text)")
    title = next(line.strip() for line in text.splitlines() if line.strip())
    yield Article(text=text, title=title, date=dateline_date(text), source=source)
