"""``build``: articles in, a validated knowledge graph out. The one place the stages meet.

    sources → extract → rdf → validate → files (+ store)

A bad input is reported and skipped (an article too long, or too slow to read, too); a graph
that fails its shapes is quarantined beside the output, never written into it; everything else
is kept. Same input, same bytes out. Nothing is written when no article could be read; every
file is replaced atomically and the report last, so a run killed half way shows in the report.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from kg_builder._files import write_bytes
from kg_builder.errors import ExtractionError, KGBuilderError, SourceError, StoreError, ValidationError
from kg_builder.extract import ARTICLE_TIMEOUT, MAX_CHARS
from kg_builder.model import Article, ArticleFacts
from kg_builder.rdf import DEFAULT_BASE, article_graph, dataset_of, prefixes
from kg_builder.rdf.writer import remove_stale_temporaries, serialize, to_quads, write
from kg_builder.sources import display_name, read_articles
from kg_builder.validate import ValidationReport, Validator, load_validator

#: Files written into the output folder.
TRIG, NQUADS, TURTLE, REPORT = "kg.trig", "kg.nq", "kg.ttl", "validation-report.json"
FILES = {TRIG: "trig", NQUADS: "nq", TURTLE: "ttl"}
QUARANTINE = "quarantine"
#: ``status`` of the report: written "in progress" before the files, "complete" after them.
IN_PROGRESS, COMPLETE = "in progress", "complete"


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
    max_chars: int = MAX_CHARS,
    article_timeout: float | None = ARTICLE_TIMEOUT,
) -> BuildResult:
    """Build the graph of ``inputs`` (files or folders) into ``out_dir``.

    ``store``: also add each article as its named graph to this pyoxigraph store (replacing an
    earlier version of the same article); the store is opened (and locked) before any reading.
    ``strict``: raise ``ValidationError`` after writing when any graph failed its shapes.
    ``on_progress(done, total, source)`` is called per article. An article longer than
    ``max_chars`` characters, or whose reading takes longer than ``article_timeout`` seconds
    (None: no limit), is skipped with an ``ExtractionError`` naming it. When no article at all
    can be read, a ``SourceError`` naming the inputs is raised and nothing is written.

    Files are written atomically, the report last: it says whether the run was ``complete``
    and holds each file's checksum (see :func:`check_output`).
    """
    inputs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    out = Path(out_dir)
    with contextlib.ExitStack() as stack:
        # an existing store is opened (and locked) before any reading, so a store in use fails
        # the run at once; a new one is made only when there is something to write into it
        opened = stack.enter_context(_open_store(store)) if store is not None and Path(store).exists() else None
        result = BuildResult(out_dir=out, prefixes=_file_prefixes(base_iri))
        articles: list[Article] = []
        for item in read_articles(inputs):
            if isinstance(item, SourceError):
                result.errors.append(item)
            else:
                articles.append(item)
        articles = _unique(articles, result)
        if not articles:  # keep the previous output as it was
            raise _nothing_read(inputs, result.errors)
        read = _read(articles, result, nlp, on_progress, max_chars, article_timeout)
        if not read:  # every article failed reading: nothing to write over the previous output
            raise ExtractionError(", ".join(e.source for e in result.errors),
                                  "; ".join(e.problem for e in result.errors) + " (nothing built)")
        out.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(out, [*FILES, REPORT])
        _clear_quarantine(out)
        validator = validator or load_validator()
        mapped = [article_graph(facts, base_iri) for facts in read]
        graphs: list[Graph] = []
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
        if store is not None and opened is None:
            opened = stack.enter_context(_open_store(store))
        result.files = _write(out, result, graphs, opened, store)
    if strict and result.quarantined:
        first = next(iter(result.quarantined))
        raise ValidationError(
            f"{len(result.quarantined)} article graph(s) failed the shapes (--strict); first: {first}: "
            + "; ".join(result.reports[first].messages[:3]))
    return result


def check_output(out_dir: str | Path) -> list[str]:
    """What is wrong with the output of a build in ``out_dir``: empty when the last run completed
    and every file is the one its report describes. A run killed half way, a file changed or
    left from another run, a missing or unreadable report: each is one message naming the file."""
    out = Path(out_dir)
    try:
        report = json.loads((out / REPORT).read_text(encoding="utf-8"))
        files = report["files"]
        status = report["status"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"{out / REPORT}: no readable build report ({exc})"]
    problems = []
    if status != COMPLETE:
        problems.append(f"{out / REPORT}: the last build did not finish (status {status!r}); "
                        "the files may come from different runs")
    for name, expected in sorted(files.items()):
        try:
            digest = hashlib.sha256((out / name).read_bytes()).hexdigest()
        except OSError as exc:
            problems.append(f"{out / name}: cannot read ({exc.strerror or exc})")
            continue
        if digest != expected.get("sha256"):
            problems.append(f"{out / name}: not the file the report describes (checksum differs)")
    return problems


def _read(articles: list[Article], result: BuildResult, nlp, on_progress, max_chars: int,
          article_timeout: float | None) -> list[ArticleFacts]:
    from kg_builder.extract import extract_many, load_nlp
    from kg_builder.extract.identity import link_persons

    nlp = nlp or load_nlp()
    read: list[ArticleFacts] = []
    facts_of = extract_many(articles, nlp, max_chars=max_chars, timeout=article_timeout)
    for n, (article, facts) in enumerate(zip(articles, facts_of), 1):
        if on_progress:
            on_progress(n, len(articles), article.source)
        if isinstance(facts, ExtractionError):
            result.errors.append(facts)
        else:
            read.append(facts)
    return link_persons(read)  # one IRI per person across the articles of this build


@contextlib.contextmanager
def _open_store(path: str | Path):
    """The store, opened before any reading: a locked or broken store fails the run at once."""
    from kg_builder.store import Store

    try:
        store = Store(path)
    except StoreError as exc:
        hint = " (is another build, or `oxigraph serve`, using it?)" if "lock" in str(exc).lower() else ""
        raise StoreError(f"{exc}{hint}; nothing built") from exc
    with store:
        yield store


def _nothing_read(inputs: list, errors: list[KGBuilderError]) -> SourceError:
    from kg_builder.sources import why_no_articles

    problems = [str(e) for e in errors]
    named = {e.source.split(":", 1)[0] for e in errors}
    problems += [f"{display_name(p)}: {why_no_articles(p)}" for p in inputs if display_name(p) not in named]
    return SourceError(", ".join(display_name(p) for p in inputs),
                       "no article could be read (" + "; ".join(problems) + "); nothing written")


def _unique(articles: list[Article], result: BuildResult) -> list[Article]:
    """The same article given twice (same URL, same file or same text) is built once."""
    seen: set[str] = set()
    out = []
    for a in articles:
        text = hashlib.sha256(a.text.encode("utf-8", "surrogatepass")).hexdigest()
        if a.id in seen or text in seen:
            continue
        seen.update((a.id, text))
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


def _write(out: Path, result: BuildResult, graphs: list[Graph], store, store_path) -> list[Path]:
    """The graph files, then the store, then the report: first marked "in progress" with the
    checksums of the files about to be written, at the end "complete" with the counts."""
    quads = to_quads(graphs)
    data = {name: serialize(quads, fmt, result.prefixes) for name, fmt in FILES.items()}
    files = {name: {"sha256": hashlib.sha256(blob).hexdigest(), "bytes": len(blob)} for name, blob in data.items()}
    counts = {"articles_in_files": len(result.built), "quarantined": len(result.quarantined),
              "skipped": len(result.errors), "articles_in_store": None}
    where = None if store is None else _relative(Path(store_path), out)
    write_bytes(out / REPORT, _report(result, IN_PROGRESS, files, counts, where, out))
    for name, blob in data.items():
        write_bytes(out / name, blob)
    if store is not None:
        for g in graphs:
            store.replace_graph(str(g.identifier), g)
        counts["articles_in_store"] = len(store.graphs())
    write_bytes(out / REPORT, _report(result, COMPLETE, files, counts, where, out))
    return [out / name for name in (*FILES, REPORT)]


def _report(result: BuildResult, status: str, files: dict, counts: dict, store: str | None, out: Path) -> bytes:
    report = {
        "status": status,
        # the same graphs give the same files, so the id of a build is the hash of its files
        "build": hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16],
        "conforms": not result.quarantined,
        "counts": counts,
        "files": files,
        "store": store,
        "articles": [
            {"source": src, "conforms": rep.conforms, "graph": rep.graph_iri,
             "violations": [{"focus": v.focus, "path": v.path, "message": v.message, "severity": v.severity}
                            for v in rep.violations]}
            for src, rep in sorted(result.reports.items())],
        "quarantined": {src: str(p.relative_to(out)) for src, p in sorted(result.quarantined.items())},
        "errors": [str(e) for e in result.errors],
    }
    return (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _relative(path: Path, out: Path) -> str:
    try:
        return str(path.resolve().relative_to(out.resolve()))
    except ValueError:
        return str(path)
