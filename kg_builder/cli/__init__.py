"""`kg-builder`: one command per public function, each a thin layer over it.

Commands live in modules by stage (``build``, ``store``, ``analysis``); each registers itself
on ``app`` when imported here.
"""
from __future__ import annotations

from kg_builder.cli._app import app
from kg_builder.cli import build as _build  # noqa: F401  (registers commands)
from kg_builder.cli import store as _store  # noqa: F401
from kg_builder.cli import analysis as _analysis  # noqa: F401
from kg_builder.cli import evaluate as _evaluate  # noqa: F401
from kg_builder.cli import validate as _validate  # noqa: F401


def main() -> None:
    app()
