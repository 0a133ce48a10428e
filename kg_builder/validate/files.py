"""Validate RDF that did not come out of a build: files, folders of files, or a store on disk.

Each file is read with pyoxigraph (fast, and it never fetches anything: a JSON-LD ``@context``
given as a URL is an error, not a download) and checked as a whole, the union of its graphs,
exactly as ``pyshacl -s ontology/shapes.ttl -e ontology/diplomacy.ttl FILE`` checks it.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from kg_builder.errors import ValidationError
from kg_builder.validate.validator import ValidationReport, Validator, load_validator

#: File suffixes read as RDF, and their formats.
RDF_SUFFIXES = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json-ld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


@dataclass
class FilesReport:
    """One :class:`ValidationReport` per file (``report.graph_iri`` is the file or store path),
    and one :class:`ValidationError` per input that could not be read."""

    reports: list[ValidationReport] = field(default_factory=list)
    errors: list[ValidationError] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """Everything was read and every file conforms."""
        return not self.errors and all(r.conforms for r in self.reports)

    @property
    def violations(self) -> int:
        return sum(len(r.violations) for r in self.reports)


def validate_files(paths: Iterable[str | Path] = (), *, store: str | Path | None = None,
                   validator: Validator | None = None) -> FilesReport:
    """Check RDF files (ttl, trig, nq, nt, jsonld, rdf), folders of them (walked recursively) and
    a pyoxigraph store (``store``, opened read-only) against the shipped shapes.

    A file that is missing or does not parse is reported in ``errors`` (its message names the
    file and, when the parser says, the line) and the others are still checked.
    """
    validator = validator or load_validator()
    result = FilesReport()
    inputs = list(_expand(paths, result.errors))
    if store is not None:
        inputs.append(Path(store))
    if not inputs and not result.errors:
        raise ValidationError("nothing to validate: give RDF files, folders or a store")
    for path in inputs:
        try:
            data = _read_store(path) if store is not None and path == Path(store) else _read_file(path)
        except ValidationError as exc:
            result.errors.append(exc)
            continue
        report = validator.validate(data)
        report.graph_iri = str(path)
        result.reports.append(report)
    return result


def _expand(paths: Iterable[str | Path], errors: list[ValidationError]) -> Iterator[Path]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in RDF_SUFFIXES and p.is_file())
            if not found:
                errors.append(ValidationError(f"{path}: no RDF files here ({', '.join(sorted(RDF_SUFFIXES))})"))
            yield from found
        elif path.is_file():
            yield path
        else:
            errors.append(ValidationError(f"{path}: no such file or folder"))


def _read_file(path: Path) -> Dataset:
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ValidationError(f"{path}: unknown RDF file type {path.suffix or '(none)'!r} "
                              f"(use one of {', '.join(sorted(RDF_SUFFIXES))})")
    try:
        with path.open("rb") as handle:
            quads = list(ox.parse(handle, format=fmt, base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        raise ValidationError(f"{path}: does not parse as {fmt.name}: {exc}") from exc
    except (OSError, ValueError) as exc:
        raise ValidationError(f"{path}: cannot be read ({exc})") from exc
    return _dataset(ox.serialize(quads, format=ox.RdfFormat.N_QUADS), path)


def _read_store(path: Path) -> Dataset:
    if not (path / "CURRENT").exists():
        raise ValidationError(f"{path}: no store here (build one with `kg-builder build --store`)")
    try:
        store = ox.Store.read_only(str(path))
        data = store.dump(format=ox.RdfFormat.N_QUADS)
    except OSError as exc:
        raise ValidationError(f"{path}: cannot open the store ({exc})") from exc
    finally:
        store = None  # pyoxigraph releases the store on drop
    return _dataset(data, path)


def _dataset(nquads: bytes, source: Path) -> Dataset:
    dataset = Dataset()
    try:
        dataset.parse(data=nquads, format="nquads")
    except Exception as exc:  # a term pyoxigraph accepts and rdflib refuses
        raise ValidationError(f"{source}: cannot be loaded for validation ({exc})") from exc
    return dataset
