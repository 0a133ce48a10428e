"""JSON Lines: one article object per line ({"text": ..., "title", "url", "date"})."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from kg_builder._text import clean
from kg_builder.errors import SourceError
from kg_builder.model import Article
from kg_builder.sources._common import article, decode_utf8, parse_iso_date


def read(path: Path, source: str) -> Iterator[Article | SourceError]:
    """Each line stands alone: a bad line becomes a SourceError and the next line is read."""
    offset = 0
    for number, raw in enumerate(path.read_bytes().split(b"\n"), start=1):
        where = f"{source}:{number}"
        try:
            if raw.strip():
                yield _article(decode_utf8(raw, where, offset=offset), where)
        except SourceError as exc:
            yield exc
        offset += len(raw) + 1


def _article(line: str, where: str) -> Article:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise SourceError(where, f"malformed JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(record, dict):
        raise SourceError(where, f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not clean(text).strip():
        raise SourceError(where, 'no "text" (a non-empty string is required)')
    fields: dict[str, str | None] = {}
    for key in ("title", "url"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise SourceError(where, f'"{key}" must be a string, got {type(value).__name__}')
        fields[key] = (value.strip() or None) if value else None
    date = None
    if record.get("date") is not None:
        try:
            date = parse_iso_date(record["date"])
        except ValueError as exc:
            raise SourceError(where, f'bad "date": {exc}') from None
    return article(text, title=fields["title"], url=fields["url"], date=date, source=where)
