"""SHACL validation of article graphs with pyshacl, shapes and ontology parsed once per Validator.

A graph is checked exactly as ``pyshacl -s ontology/shapes.ttl -e ontology/diplomacy.ttl FILE``
checks the file it is written to: to (a copy of) the data graph are added the ontology axioms
that pyshacl's ``-e`` mixes in (classes and property definitions, so that ``sh:class`` follows
``rdfs:subClassOf``), and nothing else. The shapes need no other ontology triples (kinds are
checked against a list in the shapes), so our verdict and a user's plain pyshacl run agree on
every file we write. No RDFS inference is run by default: the mapping types every node
explicitly, and inference would triple the time per graph (measured: about 3x) while finding
nothing the shapes need.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, ConjunctiveGraph, Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg_builder.errors import ValidationError
from kg_builder.resources import ontology_file

SHAPES_FILE = "shapes.ttl"
ONTOLOGY_FILE = "diplomacy.ttl"
_INFERENCE = ("none", "rdfs", "owlrl", "both")


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node, which property path, what is wrong, how bad."""

    focus: str
    path: str | None
    message: str
    severity: str

    def __str__(self) -> str:
        where = f"{self.focus} {self.path}" if self.path else self.focus
        return f"{self.severity}: {where}: {self.message}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    graph_iri: str = ""

    @property
    def messages(self) -> list[str]:
        return [v.message for v in self.violations]

    def raise_for_violations(self) -> None:
        """Raise :class:`ValidationError` naming the graph and its first problems (``--strict``)."""
        if not self.conforms:
            shown = "; ".join(str(v) for v in self.violations[:5])
            more = f" (and {len(self.violations) - 5} more)" if len(self.violations) > 5 else ""
            raise ValidationError(f"{self.graph_iri}: does not conform to the shapes: {shown}{more}")


class Validator:
    """Shapes and ontology held in memory, ready to check any number of graphs."""

    def __init__(self, shapes: Graph, ontology: Graph | None = None, *, inference: str = "none"):
        if inference not in _INFERENCE:
            raise ValueError(f"inference must be one of {', '.join(_INFERENCE)}, not {inference!r}")
        self.shapes = shapes
        self.ontology = ontology
        self.inference = inference
        self._prepared: dict = {}  # SPARQL constraint text -> parsed and translated query
        self._axioms = _axioms_of(ontology) if ontology is not None else []

    def __getstate__(self) -> dict:  # sent to worker processes: the parsed-query cache is rebuilt there
        return {**self.__dict__, "_prepared": {}}

    @classmethod
    def from_files(
        cls, shapes: Path | str, ontology: Path | str | None = None, *, inference: str = "none"
    ) -> Validator:
        return cls(_parse(Path(shapes)), _parse(Path(ontology)) if ontology else None, inference=inference)

    def validate(self, graph: Graph) -> ValidationReport:
        """Check ``graph`` (one article graph, or a Dataset checked as the union of its graphs, as
        pyshacl checks a TriG or N-Quads file)."""
        return self._run(self._with_ontology(graph), graph_iri=_name(graph))

    def _run(self, data: Graph, graph_iri: str = "") -> ValidationReport:
        """Validate ``data`` (a private graph that already holds the ontology axioms) in place."""
        # Imported here: pyshacl pulls in owlrl and more, and importing kg_builder stays cheap.
        import pyshacl

        with _prepared_queries(self._prepared), _hashed_parameters():
            conforms, results, _text = pyshacl.validate(
                data,
                shacl_graph=self.shapes,
                inference=self.inference,
                inplace=True,  # on our private copy
                allow_warnings=False,
                allow_infos=False,
                abort_on_first=False,
            )
        return ValidationReport(
            conforms=bool(conforms),
            violations=_violations(results, self.shapes),
            graph_iri=graph_iri,
        )

    def validate_many(self, graphs: list[Graph], *, batch: int = 200) -> list[ValidationReport]:
        """One report per graph, in order. pyshacl's cost is mostly per call, so graphs are checked
        together in batches; only a batch that fails is checked again graph by graph, to say which
        article each violation belongs to. Same verdicts as ``validate`` on each graph."""
        reports: list[ValidationReport] = []
        for start in range(0, len(graphs), batch):
            chunk = graphs[start:start + batch]
            if len(chunk) > 1:
                union = Graph(bind_namespaces="none")
                for triple in self._axioms:
                    union.add(triple)
                for g in chunk:
                    for triple in g:
                        union.add(triple)
                if self._run(union).conforms:
                    reports += [ValidationReport(conforms=True, graph_iri=str(g.identifier)) for g in chunk]
                    continue
            reports += [self.validate(g) for g in chunk]
        return reports

    def _with_ontology(self, graph: Graph) -> Graph:
        """A private copy of ``graph`` plus the ontology axioms ``pyshacl -e`` would mix in."""
        union = Graph(identifier=_name(graph) or None, bind_namespaces="none")
        if isinstance(graph, ConjunctiveGraph):  # Dataset too: all its graphs, as one
            for s, p, o, _ in graph.quads((None, None, None, None)):
                union.add((s, p, o))
        else:
            for triple in graph:
                union.add(triple)
        for triple in self._axioms:
            union.add(triple)
        return union


def _axioms_of(ontology: Graph) -> list[tuple[Node, Node, Node]]:
    """The triples pyshacl's ``ont_graph`` (``-e``) mixes into a data graph: classes and property
    definitions, computed once here instead of once per validated graph."""
    from pyshacl.rdfutil.inoculate import inoculate

    return list(inoculate(Graph(bind_namespaces="none"), ontology))


@contextlib.contextmanager
def _prepared_queries(cache: dict) -> Iterator[None]:
    """pyshacl hands rdflib the same SPARQL constraint text once per focus node, and rdflib parses
    it every time (half of all validation time, measured). While we validate, a query text is
    parsed and translated once per Validator; evaluation, with its bindings, is unchanged."""
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
            if key not in cache:
                cache[key] = processor.translateQuery(processor.parseQuery(strOrQuery), base, initNs)
            strOrQuery = cache[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original


class _ListWithSet(list):
    """A list whose ``in`` is a set lookup: rdflib's ``URIRef.__eq__`` is Python code."""

    def __init__(self, items):
        super().__init__(items)
        self._set = frozenset(items)

    def __contains__(self, item) -> bool:
        return item in self._set


@contextlib.contextmanager
def _hashed_parameters() -> Iterator[None]:
    """pyshacl checks every predicate of a shape against its list of ~40 constraint parameters,
    once per focus node it evaluates the shape for (about a tenth of validation's CPU, measured);
    while we validate, that list answers ``in`` by hash. Which constraints apply is unchanged."""
    from pyshacl import shape
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP

    before = getattr(shape, "CONSTRAINT_PARAMS", None)
    shape.CONSTRAINT_PARAMS = (_ListWithSet(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)
    try:
        yield
    finally:
        if before is None:
            del shape.CONSTRAINT_PARAMS
        else:
            shape.CONSTRAINT_PARAMS = before


def _name(graph: Graph) -> str:
    """An article graph's IRI; a Dataset (validated as the union of its graphs) has none."""
    return "" if isinstance(graph, ConjunctiveGraph) else str(graph.identifier)


def load_validator(
    shapes: Path | str | None = None, ontology: Path | str | None = None, *, inference: str = "none"
) -> Validator:
    """A Validator over the shipped ``ontology/shapes.ttl`` and ``ontology/diplomacy.ttl`` (or the given files)."""
    return Validator.from_files(
        shapes or ontology_file(SHAPES_FILE), ontology or ontology_file(ONTOLOGY_FILE), inference=inference
    )


def validate(graph: Graph, *, validator: Validator | None = None) -> ValidationReport:
    """Check one article graph against the shapes; pass ``validator`` when checking many."""
    return (validator or load_validator()).validate(graph)


def _parse(path: Path) -> Graph:
    try:
        return Graph().parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise ValidationError(f"{path}: shapes or ontology file not found") from exc
    except Exception as exc:  # rdflib raises several parser exception types
        raise ValidationError(f"{path}: cannot parse as Turtle: {exc}") from exc


def _violations(results: Graph, shapes: Graph) -> list[Violation]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        severity = results.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        found.append(
            Violation(
                focus=str(focus),
                path=_render_path(results, path, shapes) if path is not None else None,
                message=messages[0] if messages else "(no message)",
                severity=_local(severity) if isinstance(severity, URIRef) else "Violation",
            )
        )
    return sorted(found, key=lambda v: (v.focus, v.path or "", v.message))


def _render_path(results: Graph, path: Node, shapes: Graph) -> str:
    """A path as the shapes file writes it: ``dip:demandedBy``, ``^dip:mediatedBy``."""
    if isinstance(path, BNode):
        inverse = results.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + _render_path(results, inverse, shapes)
        return "(complex path)"
    if isinstance(path, URIRef):
        try:
            return shapes.namespace_manager.normalizeUri(path)
        except Exception:
            return str(path)
    return str(path)


def _local(iri: URIRef) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
