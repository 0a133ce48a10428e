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
from kg_builder.sources._common import display_name

__all__ = ["READERS", "display_name", "read_articles", "why_no_articles"]

#: Start of the message of a file whose reader raised something unexpected (a bug, reported and skipped).
READER_FAILED = "reader failed"

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
    ``SourceError`` naming it. A single path is accepted as well as a list of them. Names in
    ``source`` and in messages have control characters escaped (:func:`display_name`); a text
    or HTML file's identity is its path (``Article.key``), so an edited file is the same article.
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
                yield SourceError(display_name(path), f"unknown file type {display_name(kind)!r}; expected one of {known}")
            else:
                yield from _read_file(path)
        elif path.exists():
            yield SourceError(display_name(path), "not a regular file or folder")
        else:
            yield SourceError(display_name(path), "no such file or folder")


def why_no_articles(path: str | os.PathLike[str]) -> str:
    """Why ``path`` gave no article, for the message of a run that read nothing."""
    path = Path(path)
    if not path.is_dir():
        return "no article in it" if path.exists() else "no such file or folder"
    kinds: dict[str, int] = {}
    links = hidden = 0
    stack = [path]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                hidden += 1
            elif entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.is_symlink() and entry.is_dir():
                links += 1
            elif entry.is_file():
                kind = os.path.splitext(entry.name)[1].lower() or "(no suffix)"
                kinds[kind] = kinds.get(kind, 0) + 1
    found = [f"{n} {display_name(k)} file(s)" for k, n in sorted(kinds.items())]
    found += [f"{links} symlinked folder(s), not followed"] if links else []
    found += [f"{hidden} hidden entr(y/ies), skipped"] if hidden else []
    if not found:
        return "empty folder"
    return f"no {', '.join(sorted(set(READERS)))} file in it; found " + ", ".join(found)


def _read_file(path: Path) -> Iterator[Article | SourceError]:
    source = display_name(path)
    try:
        yield from READERS[path.suffix.lower()](path, source)
    except SourceError as exc:
        yield exc
    except OSError as exc:
        yield SourceError(source, f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - a parser's bug on one hostile file must not stop the run
        yield SourceError(source, f"{READER_FAILED}: {exc!r}")


def _walk(folder: Path) -> Iterator[Path | SourceError]:
    """Files under ``folder`` in path order; hidden entries skipped, folder symlinks not followed."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield SourceError(display_name(folder), f"cannot list: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path)
        elif entry.is_file():
            yield path
