"""The package surface: the public names all resolve, and importing it stays cheap."""
from __future__ import annotations

import subprocess
import sys

import kg_builder

HEAVY = ("spacy", "pyshacl", "owlrl", "pyoxigraph", "networkx", "trafilatura")


def test_every_public_name_resolves():
    missing = []
    for name in kg_builder.__all__:
        try:
            getattr(kg_builder, name)
        except (AttributeError, ImportError) as exc:
            missing.append(f"{name}: {exc}")
    assert not missing, missing
    assert "build" in kg_builder.__all__ and callable(kg_builder.build)


def test_unknown_names_are_attribute_errors():
    assert not hasattr(kg_builder, "no_such_function")


def _loaded_after(statement: str) -> list[str]:
    code = f"import sys; {statement}; print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    return [m for m in done.stdout.split() if m in HEAVY]


def test_import_kg_builder_loads_no_heavy_library():
    assert _loaded_after("import kg_builder") == []


def test_cli_help_loads_no_model_or_validator():
    """`kg-builder --help` must answer at once: spaCy and pyshacl only load when a command runs."""
    assert not {"spacy", "pyshacl"} & set(_loaded_after("import kg_builder.cli"))
