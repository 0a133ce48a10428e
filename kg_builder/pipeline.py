"""``build``: articles in, a validated knowledge graph out. The one place the stages meet.

    sources → extract → rdf → validate → files (+ store)

A bad input is reported and skipped; a graph that fails its shapes is quarantined beside the
output, never written into it; everything else is kept. Same input, same bytes out.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from kg_builder.errors import ExtractionError, KGBuilderError, SourceError, ValidationError
from kg_builder.model import Article, ArticleFacts
from kg_builder.rdf import DEFAULT_BASE, article_graph, dataset_of, prefixes
from kg_builder.rdf.writer import to_quads, write
from kg_builder.sources import read_articles
from kg_builder.validate import ValidationReport, Validator, load_validator

#: Files written into the output folder.
TRIG, NQUADS, TURTLE, REPORT = "kg.trig", "kg.nq", "kg.ttl", "validation-report.json"
QUARANTINE = "quarantine"


@dataclass
class BuildResult:
    """What a build did: which articles made it into the graph, which did not, and why."""

    out_dir: Path
    built: list[str] = field(default_factory=list)  # sources of articles written
    facts: list[ArticleFacts] = field(default_factory=list)
    errors: list[KGBuilderError] = field(default_factory=list)  # inputs that could not be read
    reports: dict[str, ValidationReport] = field(default_factory=dict)  # source -> report
    quarantined: dict[str, Path] = field(default_factory=dict)  # source -> quarantine file
    files: list[Path] = field(default_factory=list)
    graphs: list[Graph] = field(default_factory=list)  # the article graphs written
    prefixes: dict[str, str] = field(default_factory=dict)

    @property
    def dataset(self) -> Dataset:
        """The written graphs as one rdflib Dataset (made on first use: large builds skip it)."""
        if self._dataset is None:
            self._dataset = dataset_of(self.graphs)
        return self._dataset

    _dataset: Dataset | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.quarantined


def build(
    inputs: Iterable[str | Path] | str | Path,
    out_dir: str | Path,
    *,
    strict: bool = False,
    base_iri: str = DEFAULT_BASE,
    store: str | Path | None = None,
    nlp=None,
    validator: Validator | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> BuildResult:
    """Build the graph of ``inputs`` (files or folders) into ``out_dir``.

    ``store``: also add each article as its named graph to this pyoxigraph store (replacing an
    earlier version of the same article). ``strict``: raise ``ValidationError`` after writing
    when any graph failed its shapes. ``on_progress(done, total, source)`` is called per article.
    """
    from kg_builder.extract import extract_many, load_nlp
    from kg_builder.extract.identity import link_persons

    out = Path(out_dir)
    result = BuildResult(out_dir=out, prefixes=_file_prefixes(base_iri))
    articles: list[Article] = []
    for item in read_articles(inputs):
        if isinstance(item, SourceError):
            result.errors.append(item)
        else:
            articles.append(item)
    articles = _unique(articles, result)
    if not articles and result.errors:  # e.g. a mistyped path: keep the previous output as it was
        raise SourceError(", ".join(e.source for e in result.errors),
                          "; ".join(e.problem for e in result.errors) + " (nothing built)")
    out.mkdir(parents=True, exist_ok=True)
    _clear_quarantine(out)
    validator = validator or load_validator()
    graphs: list[Graph] = []
    read: list[ArticleFacts] = []
    if articles:
        nlp = nlp or load_nlp()
        for n, (article, facts) in enumerate(zip(articles, extract_many(articles, nlp)), 1):
            if on_progress:
                on_progress(n, len(articles), article.source)
            if isinstance(facts, ExtractionError):
                result.errors.append(facts)
            else:
                read.append(facts)
    read = link_persons(read)  # one IRI per person across the articles of this build
    mapped = [article_graph(facts, base_iri) for facts in read]
    for facts, graph, report in zip(read, mapped, validator.validate_many(mapped)):
        article = facts.article
        result.reports[article.source] = report
        if report.conforms:
            graphs.append(graph)
            result.built.append(article.source)
            result.facts.append(facts)
        else:
            result.quarantined[article.source] = _quarantine(out, article, graph, base_iri)
    result.graphs = graphs
    result.files = _write(out, result, graphs)
    if store is not None:
        _ingest(store, graphs)
    if strict and result.quarantined:
        first = next(iter(result.quarantined))
        raise ValidationError(
            f"{len(result.quarantined)} article graph(s) failed the shapes (--strict); first: {first}: "
            + "; ".join(result.reports[first].messages[:3]))
    return result


def _unique(articles: list[Article], result: BuildResult) -> list[Article]:
    """The same article given twice (same URL or text) is built once."""
    seen: dict[str, str] = {}
    out = []
    for a in articles:
        if a.id in seen:
            continue
        seen[a.id] = a.source
        out.append(a)
    return out


def _clear_quarantine(out: Path) -> None:
    """Quarantine files of an earlier build into the same folder would outlive their report."""
    for path in (out / QUARANTINE).glob("*.trig"):
        path.unlink()


def _file_prefixes(base_iri: str) -> dict[str, str]:
    """Our prefixes minus res: instance IRIs have a slash after it ('res:demand/…'), which
    Turtle can only write escaped; full IRIs read better."""
    return {p: ns for p, ns in prefixes(base_iri).items() if p != "res"}


def _quarantine(out: Path, article: Article, graph: Graph, base_iri: str) -> Path:
    folder = out / QUARANTINE
    folder.mkdir(exist_ok=True)
    path = folder / f"{article.id}.trig"
    write(to_quads([graph]), path, "trig", _file_prefixes(base_iri))
    return path


def _write(out: Path, result: BuildResult, graphs: list[Graph]) -> list[Path]:
    quads = to_quads(graphs)
    paths = []
    for name, fmt in ((TRIG, "trig"), (NQUADS, "nq"), (TURTLE, "ttl")):
        write(quads, out / name, fmt, result.prefixes)
        paths.append(out / name)
    report = {
        "conforms": not result.quarantined,
        "articles": [
            {"source": src, "conforms": rep.conforms, "graph": rep.graph_iri,
             "violations": [{"focus": v.focus, "path": v.path, "message": v.message, "severity": v.severity}
                            for v in rep.violations]}
            for src, rep in sorted(result.reports.items())],
        "quarantined": {src: str(p.relative_to(out)) for src, p in sorted(result.quarantined.items())},
        "errors": [str(e) for e in result.errors],
    }
    (out / REPORT).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    paths.append(out / REPORT)
    return paths


def _ingest(store_path: str | Path, graphs: list[Graph]) -> None:
    from kg_builder.store import Store

    with Store(store_path) as store:
        for g in graphs:
            store.replace_graph(str(g.identifier), g)
