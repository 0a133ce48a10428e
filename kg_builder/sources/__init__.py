"""Sources stage: files and folders in, :class:`~kg_builder.model.Article` values out.

Each format is one small module with a ``read(path, source)`` generator; ``READERS`` maps a file
suffix to it, so adding a format is one entry. Bad input never stops the iteration: a file,
line or feed entry that cannot be read is *yielded* as a :class:`~kg_builder.errors.SourceError`
and reading goes on, so one broken file does not cost a whole batch.

Nothing leaves this stage with a character XML 1.0 cannot hold or a terminal control sequence in
it: every field of an article and of an error is cleaned (:mod:`kg_builder._text`), the text
before anything is derived from it, so evidence offsets index the cleaned text. Article URLs
other than ``http(s)`` (or relative) are dropped.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import MappingProxyType

from kg_builder._text import clean
from kg_builder.errors import SourceError
from kg_builder.model import Article
from kg_builder.sources import feed, html, jsonl, text

__all__ = ["READERS", "read_articles"]

Reader = Callable[[Path, str], Iterator["Article | SourceError"]]

#: file suffix (lower case) -> reader; read-only so no caller can change it for everyone else.
READERS: MappingProxyType[str, Reader] = MappingProxyType({
    ".txt": text.read,
    ".text": text.read,
    ".html": html.read,
    ".htm": html.read,
    ".jsonl": jsonl.read,
    ".ndjson": jsonl.read,
    ".xml": feed.read,
    ".rss": feed.read,
    ".atom": feed.read,
    ".feed": feed.read,
})


def read_articles(
    inputs: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
) -> Iterator[Article | SourceError]:
    """Read every article in ``inputs`` (files, or folders walked recursively), in a fixed order.

    Inputs are read in the order given; inside a folder files go in path order, hidden files
    and folders are skipped, files of unknown type are skipped silently. A file of unknown type
    named directly, a missing path, or any unreadable file / line / entry is yielded as a
    ``SourceError`` naming it. A single path is accepted as well as a list of them.
    """
    for item in _read_all([inputs] if isinstance(inputs, (str, os.PathLike)) else inputs):
        if isinstance(item, SourceError):  # a path or a parser's message may carry anything
            item = SourceError(clean(item.source), clean(item.problem))
        yield item


def _read_all(inputs: Iterable[str | os.PathLike[str]]) -> Iterator[Article | SourceError]:
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            for found in _walk(path):
                if isinstance(found, SourceError):
                    yield found
                elif found.suffix.lower() in READERS:
                    yield from _read_file(found)
        elif path.is_file():
            if path.suffix.lower() not in READERS:
                known = ", ".join(sorted(READERS))
                kind = path.suffix or "(none)"
                yield SourceError(str(path), f"unknown file type {kind!r}; expected one of {known}")
            else:
                yield from _read_file(path)
        elif path.exists():
            yield SourceError(str(path), "not a regular file or folder")
        else:
            yield SourceError(str(path), "no such file or folder")


def _read_file(path: Path) -> Iterator[Article | SourceError]:
    source = str(path)
    try:
        yield from READERS[path.suffix.lower()](path, source)
    except SourceError as exc:
        yield exc
    except OSError as exc:
        yield SourceError(source, f"cannot read: {exc.strerror or exc}")


def _walk(folder: Path) -> Iterator[Path | SourceError]:
    """Files under ``folder`` in path order; hidden entries skipped, folder symlinks not followed."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield SourceError(str(folder), f"cannot list: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path)
        elif entry.is_file():
            yield path
