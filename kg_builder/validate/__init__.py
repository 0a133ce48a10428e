"""The validation stage: does an article graph have the shape docs/rdf-mapping.md promises?

A :class:`Validator` parses the shapes and the ontology once; a build makes one and validates
every article graph with it. ``validate(graph)`` without a validator loads one for that call.
``validate_files`` checks RDF files, folders and stores that did not come out of a build
(``kg-builder validate``).
"""
from __future__ import annotations

from kg_builder.validate.validator import (
    ValidationReport,
    Validator,
    Violation,
    load_validator,
    validate,
)
from kg_builder.validate.files import FilesReport, validate_files

__all__ = ["FilesReport", "ValidationReport", "Validator", "Violation", "load_validator", "validate",
           "validate_files"]
