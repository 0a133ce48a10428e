"""The validation stage: does an article graph have the shape docs/rdf-mapping.md promises?

A :class:`Validator` parses the shapes and the ontology once; a build makes one and validates
every article graph with it. ``validate(graph)`` without a validator loads one for that call.
"""
from __future__ import annotations

from kg_builder.validate.validator import (
    ValidationReport,
    Validator,
    Violation,
    load_validator,
    validate,
)

__all__ = ["ValidationReport", "Validator", "Violation", "load_validator", "validate"]
