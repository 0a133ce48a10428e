"""Files written whole or not at all: to a temporary name in the same folder, then renamed.

A run killed while writing leaves the earlier file (or none) plus, at worst, a hidden
``.<name>.<random>.tmp`` beside it, never a half-written file under the real name: ``os.replace``
within one folder is atomic on POSIX and Windows.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_path", "write_bytes", "write_text"]


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to (by any library); renamed to ``path`` when the
    block ends without an exception, removed otherwise. The temporary file exists (empty) already,
    created with the usual permissions (unlike ``mkstemp``'s 0600)."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    with open(tmp, "xb"):
        pass
    try:
        yield tmp
        with open(tmp, "rb+") as f:  # on disk before the rename, so a crash cannot leave it empty
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically (no newline translation: the same bytes on every OS)."""
    write_bytes(path, text.encode(encoding))
