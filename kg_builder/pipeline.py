"""``build``: articles in, a validated knowledge graph out. The one place the stages meet.

    sources → extract → rdf → validate → files (+ store)

A bad input is reported and skipped (an article too long, or too slow to read, too); a graph
that fails its shapes is quarantined beside the output, never written into it; everything else
is kept. Same input, same bytes out. Nothing is written when no article could be read; every
file is replaced atomically and the report last, so a run killed half way shows in the report.

Articles stream through in chunks (``CHUNK_ARTICLES``), so memory does not grow with the corpus:

    1. read    each chunk is extracted (in worker processes, or on a Dask cluster); its facts are
               spooled to a work folder, only its persons' names come back, in input order;
    2. link    one IRI per person across the whole build, decided once over all names
               (``kg_builder.extract.identity``): the same answer whatever the chunks or workers;
    3. write   each chunk's spooled facts are linked, mapped, validated and written as sorted
               N-Quads / N-Triples shards;
    4. merge   a k-way merge of the shards writes kg.trig, kg.nq and kg.ttl, byte for byte what
               sorting all quads at once would write; the store bulk-loads kg.nq.
"""
from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from kg_builder._files import atomic_path, write_bytes
from kg_builder.errors import ExtractionError, KGBuilderError, SourceError, StoreError, ValidationError
from kg_builder.extract import ARTICLE_TIMEOUT, MAX_CHARS
from kg_builder.model import Article, ArticleFacts
from kg_builder.rdf import DEFAULT_BASE, dataset_of, prefixes
from kg_builder.rdf.writer import merge_shards, remove_stale_temporaries
from kg_builder.sources import display_name, read_articles
from kg_builder.validate import ValidationReport, Validator, load_validator

#: Files written into the output folder.
TRIG, NQUADS, TURTLE, REPORT = "kg.trig", "kg.nq", "kg.ttl", "validation-report.json"
FILES = {TRIG: "trig", NQUADS: "nq", TURTLE: "ttl"}
QUARANTINE = "quarantine"
#: ``status`` of the report: written "in progress" before the files, "complete" after them.
IN_PROGRESS, COMPLETE = "in progress", "complete"
#: A chunk: at most this many articles and (past its first article) this many characters. The
#: unit of work sent to a worker, and of what is held in memory per chunk in flight.
CHUNK_ARTICLES = 50
CHUNK_CHARS = 250_000


@dataclass
class BuildResult:
    """What a build did: which articles made it into the graph, which did not, and why."""

    out_dir: Path
    built: list[str] = field(default_factory=list)  # sources of articles written
    facts: list[ArticleFacts] = field(default_factory=list)  # only with build(keep=True)
    errors: list[KGBuilderError] = field(default_factory=list)  # inputs that could not be read
    reports: dict[str, ValidationReport] = field(default_factory=dict)  # source -> report
    quarantined: dict[str, Path] = field(default_factory=dict)  # source -> quarantine file
    files: list[Path] = field(default_factory=list)
    graphs: list[Graph] = field(default_factory=list)  # the article graphs written (keep=True)
    prefixes: dict[str, str] = field(default_factory=dict)

    @property
    def dataset(self) -> Dataset:
        """The written graphs as one rdflib Dataset (made on first use; needs ``keep=True``)."""
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
    on_progress: Callable[[int, int | None, str], None] | None = None,
    max_chars: int = MAX_CHARS,
    article_timeout: float | None = ARTICLE_TIMEOUT,
    jobs: int | None = None,
    executor: str = "local",
    scheduler=None,
    work_dir: str | Path | None = None,
    keep: bool = False,
) -> BuildResult:
    """Build the graph of ``inputs`` (files or folders) into ``out_dir``.

    ``store``: also add each article as its named graph to this pyoxigraph store (replacing an
    earlier version of the same article); the store is opened (and locked) before any reading.
    ``strict``: raise ``ValidationError`` after writing when any graph failed its shapes.
    ``on_progress(done, total, source)`` is called per article read (``total`` is None: inputs
    are streamed, not counted first). An article longer than ``max_chars`` characters, or whose
    reading takes longer than ``article_timeout`` seconds (None: no limit), is skipped with an
    ``ExtractionError`` naming it. When no article at all can be read, a ``SourceError`` naming
    the inputs is raised and nothing is written.

    ``jobs``: worker processes (default: every core this process may use; 1 when ``nlp`` is
    given, as tests and notebooks building many times do). ``executor="dask"`` runs the same work on the Dask
    cluster at ``scheduler`` (an address such as ``tcp://10.0.0.5:8786``, or a
    ``distributed.Client``); ``work_dir`` (default: a temporary folder of the system's) must then
    be on a file system the workers share. The files are the same bytes whatever the executor and
    the number of workers. ``keep``: also keep the built articles' facts and graphs in the result
    (memory then grows with the corpus).

    Files are written atomically, the report last: it says whether the run was ``complete``
    and holds each file's checksum (see :func:`check_output`).
    """
    from kg_builder.extract.identity import person_links

    inputs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    out = Path(out_dir)
    with contextlib.ExitStack() as stack:
        # an existing store is opened (and locked) before any reading, so a store in use fails
        # the run at once; a new one is made only when there is something to write into it
        opened = stack.enter_context(_open_store(store)) if store is not None and Path(store).exists() else None
        result = BuildResult(out_dir=out, prefixes=_file_prefixes(base_iri))
        source_errors: list[KGBuilderError] = []
        chunks = _chunks(_unique(read_articles(inputs), source_errors))
        first = next(chunks, None)
        if first is None:  # keep the previous output as it was
            raise _nothing_read(inputs, source_errors)
        validator = validator or load_validator()
        second = next(chunks, None)
        runner = _executor(executor, jobs, nlp, validator, scheduler, one_chunk=second is None)
        work = Path(tempfile.mkdtemp(prefix="kg-build-", dir=work_dir))
        stack.callback(shutil.rmtree, work, ignore_errors=True)
        extraction_errors: list[KGBuilderError] = []
        shards: list[tuple[Path, Path]] = []
        failed: dict[Path, bytes] = {}  # quarantine file -> its TriG
        with contextlib.closing(runner):
            # 1. read every chunk (in parallel, results in input order); collect persons' names
            names: dict[str, str] = {}  # person key -> first name seen, in input order
            chunk_persons: list[list[str]] = []
            done = read_ok = 0
            all_chunks = itertools.chain([c for c in (first, second) if c is not None], chunks)
            tasks = ((i, chunk, work, max_chars, article_timeout) for i, chunk in enumerate(all_chunks))
            for read in runner.map("read", tasks):
                extraction_errors += read.errors
                read_ok += read.articles - len(read.errors)
                chunk_persons.append(list(dict.fromkeys(k for k, _ in read.persons)))
                for key, name in read.persons:
                    names.setdefault(key, name)
                for source in read.sources:
                    done += 1
                    if on_progress:
                        on_progress(done, None, source)
            result.errors = source_errors + extraction_errors
            if not read_ok:  # every article failed reading: nothing to write over the previous output
                raise ExtractionError(", ".join(e.source for e in extraction_errors),
                                      "; ".join(e.problem for e in extraction_errors) + " (nothing built)")
            out.mkdir(parents=True, exist_ok=True)
            remove_stale_temporaries(out, [*FILES, REPORT])
            # 2. one IRI per person across the build, decided once over all names
            rename = person_links(names)

            def links(keys: list[str]) -> tuple[dict[str, str], dict[str, str]]:
                sub = {k: rename[k] for k in keys if k in rename}
                return sub, {t: names[t] for t in sub.values()}

            # 3. link, map and validate each chunk; its quads go to sorted shards
            tasks = ((i, work, *links(keys), base_iri, result.prefixes, keep) for i, keys in enumerate(chunk_persons))
            for written in runner.map("write", tasks):
                for source, report in written.reports:
                    result.reports[source] = report
                result.built += written.built
                for source, article_id, trig in written.quarantined:  # written after the report is marked
                    result.quarantined[source] = out / QUARANTINE / f"{article_id}.trig"
                    failed[result.quarantined[source]] = trig
                result.facts += written.facts
                result.graphs += written.graphs
                shards.append((written.nq_shard, written.nt_shard))
        # 4. merge the shards into the files; the store bulk-loads the N-Quads
        if store is not None and opened is None:
            opened = stack.enter_context(_open_store(store))
        result.files = _write(out, result, shards, failed, work, opened, store)
    if strict and result.quarantined:
        first_bad = next(iter(result.quarantined))
        raise ValidationError(
            f"{len(result.quarantined)} article graph(s) failed the shapes (--strict); first: {first_bad}: "
            + "; ".join(result.reports[first_bad].messages[:3]))
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


def _chunks(articles: Iterable[Article]) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    size = 0
    for article in articles:
        if chunk and (len(chunk) >= CHUNK_ARTICLES or size + len(article.text) > CHUNK_CHARS):
            yield chunk
            chunk, size = [], 0
        chunk.append(article)
        size += len(article.text)
    if chunk:
        yield chunk


def _executor(kind: str, jobs: int | None, nlp, validator: Validator, scheduler, *, one_chunk: bool):
    from kg_builder import _executors

    if kind == "dask":
        if nlp is not None:
            raise ValueError("nlp is used in this process only; Dask workers load their own")
        return _executors.Dask(scheduler, validator)
    if kind != "local":
        raise ValueError(f"executor must be 'local' or 'dask', not {kind!r}")
    if jobs is None:
        jobs = 1 if nlp is not None else _executors.available_cores()
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if jobs == 1 or one_chunk:  # one chunk: starting workers would cost more than it saves
        return _executors.InProcess(nlp, validator)
    return _executors.Processes(jobs, validator, nlp)


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


def _unique(items: Iterable[Article | SourceError], errors: list[KGBuilderError]) -> Iterator[Article]:
    """Articles in input order, each once (the same article given twice, same URL, same file or
    same text, is built once); inputs that could not be read go to ``errors``."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, SourceError):
            errors.append(item)
            continue
        text = hashlib.sha256(item.text.encode("utf-8", "surrogatepass")).hexdigest()
        if item.id in seen or text in seen:
            continue
        seen.update((item.id, text))
        yield item


def _file_prefixes(base_iri: str) -> dict[str, str]:
    """Our prefixes minus res: instance IRIs have a slash after it ('res:demand/…'), which
    Turtle can only write escaped; full IRIs read better."""
    return {p: ns for p, ns in prefixes(base_iri).items() if p != "res"}


def _write_quarantine(out: Path, failed: dict[Path, bytes]) -> None:
    """Graphs that failed their shapes, one file each; those of an earlier build are removed
    (they would outlive their report)."""
    folder = out / QUARANTINE
    for path in [*folder.glob("*.trig"), *folder.glob(".*.tmp")]:
        path.unlink()
    for path, trig in failed.items():
        folder.mkdir(exist_ok=True)
        write_bytes(path, trig)


def _write(out: Path, result: BuildResult, shards: list[tuple[Path, Path]], failed: dict[Path, bytes], work: Path,
           store, store_path) -> list[Path]:
    """The report marked "in progress" with the checksums of the files about to be written, then
    the quarantine, the graph files and the store, and last the report "complete" with the counts.
    The files are merged from the chunks' shards into temporary files beside their final names,
    hashed, then renamed into place."""
    with contextlib.ExitStack() as renames:
        temps = {name: renames.enter_context(atomic_path(out / name)) for name in FILES}
        merge_shards([nq for nq, _ in shards], [nt for _, nt in shards],
                     {FILES[name]: path for name, path in temps.items()}, result.prefixes, work)
        files = {name: _digest(path) for name, path in temps.items()}
        counts = {"articles_in_files": len(result.built), "quarantined": len(result.quarantined),
                  "skipped": len(result.errors), "articles_in_store": None}
        where = None if store is None else _relative(Path(store_path), out)
        write_bytes(out / REPORT, _report(result, IN_PROGRESS, files, counts, where, out))
        _write_quarantine(out, failed)
    if store is not None:
        store.bulk_replace([result.reports[s].graph_iri for s in result.built], out / NQUADS)
        counts["articles_in_store"] = len(store.graphs())
    write_bytes(out / REPORT, _report(result, COMPLETE, files, counts, where, out))
    return [out / name for name in (*FILES, REPORT)]


def _digest(path: Path) -> dict:
    sha = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            sha.update(block)
            size += len(block)
    return {"sha256": sha.hexdigest(), "bytes": size}


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
