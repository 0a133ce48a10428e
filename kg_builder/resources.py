"""Where shipped data lives: the ontology folder (shapes, queries, JSON-LD context) and lexicons."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def ontology_dir() -> Path:
    """`ontology/` at the top of the repository, reached through the package's link to it."""
    return _PACKAGE / "ontology"


def ontology_file(name: str) -> Path:
    return ontology_dir() / name


def lexicon_dir() -> Path:
    return _PACKAGE / "extract" / "lexicons"
