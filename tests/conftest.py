"""Fixtures every test file may use: the spaCy pipeline, the validator and one build of the seed
article, each made once per session because loading them is what takes the time."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def nlp():
    from kg_builder.extract import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def validator():
    from kg_builder.validate import load_validator

    return load_validator()


@pytest.fixture(scope="session")
def seed_article_path(repo_root) -> Path:
    return repo_root / "examples" / "istanbul_talks_2025.txt"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory, seed_article_path, nlp, validator):
    """``BuildResult`` of the seed article built into a fresh folder (``.out_dir``); read it, don't write."""
    from kg_builder.pipeline import build

    return build([seed_article_path], tmp_path_factory.mktemp("seed_build"), nlp=nlp, validator=validator)
