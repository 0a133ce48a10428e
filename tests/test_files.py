"""kg_builder._files: a file is replaced whole or not at all, and no temporary file stays behind."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg_builder._files import atomic_path, write_bytes, write_text


def test_write_replaces_the_file_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "kg.ttl"
    target.write_text("old", encoding="utf-8")
    write_text(target, "new ∅\n")
    assert target.read_bytes() == "new ∅\n".encode("utf-8")
    write_bytes(target, b"\x00bytes")
    assert target.read_bytes() == b"\x00bytes"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "demand.graphml"
    target.write_text("<graphml/>", encoding="utf-8")
    with pytest.raises(ValueError, match="XML compatible"):
        with atomic_path(target) as tmp:
            tmp.write_text("<graphml><half", encoding="utf-8")
            raise ValueError("All strings must be XML compatible")
    assert target.read_text(encoding="utf-8") == "<graphml/>"
    assert [p.name for p in tmp_path.iterdir()] == ["demand.graphml"]


def test_temporary_file_is_beside_the_target_with_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "graph.html"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".graph.html.") and tmp.exists()
        assert not target.exists()  # nothing under the real name until the block ends
        tmp.write_text("page", encoding="utf-8")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
