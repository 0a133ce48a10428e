"""Plain-text articles: the first non-empty line is the headline, the whole file is the text."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kg_builder._text import clean
from kg_builder.errors import SourceError
from kg_builder.model import Article
from kg_builder.sources._common import article, decode_utf8, file_key


def read(path: Path, source: str) -> Iterator[Article | SourceError]:
    """One article per file, identified by its path; the text is kept as decoded, control characters blanked one for one
    (:mod:`kg_builder._text`), so evidence offsets index the file's text as well."""
    text = clean(decode_utf8(path.read_bytes(), source))
    if not text.strip():
        raise SourceError(source, "empty file (no text)")
    title = next(line.strip() for line in text.splitlines() if line.strip())
    yield article(text, title=title, source=source, key=file_key(path))
