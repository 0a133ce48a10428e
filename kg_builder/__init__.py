"""kg_builder: diplomacy news in, a validated RDF knowledge graph out.

The public API is the functions below; every CLI command is a thin layer over the function of
the same name. Three stages share their name with their package and are called through it, as
a submodule import would shadow a top-level function: ``kg_builder.extract.extract``,
``kg_builder.validate.validate`` and ``kg_builder.viz.viz``. Stages are imported lazily so that ``import kg_builder`` stays cheap (no spaCy,
no pyshacl until a stage is used).
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name -> module that defines it
_EXPORTS = {
    "build": "kg_builder.pipeline",
    "BuildResult": "kg_builder.pipeline",
    "read_articles": "kg_builder.sources",
    "article_graph": "kg_builder.rdf",
    "evaluate": "kg_builder.evaluation",
    "validate_files": "kg_builder.validate",
    "Store": "kg_builder.store",
    "query": "kg_builder.store",
    "export": "kg_builder.store",
    "push": "kg_builder.store",
    "analyse": "kg_builder.analysis",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kg_builder' has no attribute {name!r}")
