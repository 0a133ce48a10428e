"""Fixtures every test file may use: the spaCy pipeline, the validator and one build of the seed
article, each made once per session because loading them is what takes the time; and
``browser``, a real headless Chromium driven over the DevTools protocol."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def _hypothesis_profiles() -> None:
    """``kg`` (default): a few dozen examples per property, so the suite stays quick; ``kg-fuzz``:
    long fuzzing (``KG_HYPOTHESIS_PROFILE=kg-fuzz`` or ``--hypothesis-profile=kg-fuzz``). No
    deadline: the spaCy model's first calls are slow, and time is bounded per character instead."""
    try:
        from hypothesis import HealthCheck, settings
    except ImportError:  # only tests/test_properties.py needs it, and it says so
        return
    quiet = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
    settings.register_profile("kg", max_examples=30, deadline=None, suppress_health_check=quiet)
    settings.register_profile("kg-fuzz", max_examples=2000, deadline=None, suppress_health_check=quiet)
    settings.load_profile(os.environ.get("KG_HYPOTHESIS_PROFILE", "kg"))


_hypothesis_profiles()


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

    return build([seed_article_path], tmp_path_factory.mktemp("seed_build"), nlp=nlp, validator=validator, keep=True)


# -- a real browser ---------------------------------------------------------------------------
@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """``open_page(url)`` on a real headless Chromium (tests/chromium.py), closed after the test."""
    from chromium import CHROMIUM, chromium

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (Debian package 'chromium')")
    with chromium(tmp_path / "profile") as open_page:
        yield open_page


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """A real Virtuoso 7 on 127.0.0.1 for the whole session (skips when it is not installed)."""
    from _servers import serve_virtuoso

    yield from serve_virtuoso(tmp_path_factory.mktemp("virtuoso"))


@pytest.fixture
def virtuoso(virtuoso_server):
    """The session's Virtuoso with none of our graphs in it."""
    virtuoso_server.drop_our_graphs()
    return virtuoso_server
