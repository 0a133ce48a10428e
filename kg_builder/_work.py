"""The per-chunk work of a build, the same in-process, in a worker process or on a Dask worker.

A build cuts its articles into chunks and runs two steps on each (see ``kg_builder.pipeline``):

    read   articles → facts (spaCy + rules), spooled to ``work_dir``; persons' names returned
    write  spooled facts + person links → RDF → SHACL → sorted N-Quads / N-Triples shards

Only small records travel back to the process that runs the build (names, reports, quarantined
graphs); facts and quads stay in files of ``work_dir``. A :class:`Worker` holds what is costly to
load (the spaCy pipeline, the validator) and is made once per process.
"""
from __future__ import annotations

import os
import pickle
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from kg_builder.errors import ExtractionError
from kg_builder.extract import MAX_CHARS
from kg_builder.model import Article, ArticleFacts
from kg_builder.validate import ValidationReport, Validator

#: Characters per ``nlp.pipe`` batch inside a chunk. Counted in characters, not documents: a
#: batch of 16 short articles left spaCy a third slower than batches of 50, while 256 full-length
#: articles in one batch peaked at 1.27 GB.
SPACY_BATCH_CHARS = 32_000


@dataclass
class ChunkRead:
    """What reading one chunk returns: its persons in input order, and the articles it lost."""

    index: int
    articles: int
    persons: list[tuple[str, str]] = field(default_factory=list)  # (key, name), first seen first
    sources: list[str] = field(default_factory=list)  # every article of the chunk, in order
    errors: list[ExtractionError] = field(default_factory=list)


@dataclass
class ChunkWritten:
    """What writing one chunk returns; its quads are in the shards, not here."""

    index: int
    reports: list[tuple[str, ValidationReport]] = field(default_factory=list)  # (source, report) in order
    built: list[str] = field(default_factory=list)
    quarantined: list[tuple[str, str, bytes]] = field(default_factory=list)  # (source, article id, TriG)
    nq_shard: Path | None = None
    nt_shard: Path | None = None
    quads: int = 0
    facts: list[ArticleFacts] = field(default_factory=list)  # only when asked to keep them
    graphs: list = field(default_factory=list)


def facts_file(work_dir: Path, index: int) -> Path:
    return Path(work_dir) / f"facts-{index:06d}.pickle"


class Worker:
    """One process's reader and validator, loaded on first use."""

    def __init__(self, nlp=None, validator: Validator | None = None):
        self._nlp = nlp
        self._validator = validator

    @property
    def nlp(self):
        if self._nlp is None:
            from kg_builder.extract import load_nlp

            self._nlp = load_nlp()
        return self._nlp

    @property
    def validator(self) -> Validator:
        if self._validator is None:
            from kg_builder.validate import load_validator

            self._validator = load_validator()
        return self._validator

    def read(self, index: int, articles: list[Article], work_dir: Path, max_chars: int = MAX_CHARS,
             timeout: float | None = None) -> ChunkRead:
        """Extract a chunk's facts into ``work_dir`` (facts-INDEX.pickle); return its persons.
        ``max_chars`` and ``timeout``: the limits per article of ``extract_many``."""
        from kg_builder.extract import extract_many
        from kg_builder.extract.identity import person_names

        out = ChunkRead(index=index, articles=len(articles), sources=[a.source for a in articles])
        kept: list[ArticleFacts] = []
        for facts in extract_many(articles, self.nlp, run_chars=SPACY_BATCH_CHARS, max_chars=max_chars,
                                  timeout=timeout):
            if isinstance(facts, ExtractionError):
                out.errors.append(facts)
            else:
                kept.append(facts)
                out.persons += person_names(facts)
        with open(facts_file(work_dir, index), "wb") as f:
            pickle.dump(kept, f, protocol=pickle.HIGHEST_PROTOCOL)
        return out

    def write(self, index: int, work_dir: Path, rename: dict[str, str], names: dict[str, str],
              base_iri: str, prefixes: dict[str, str], keep: bool = False) -> ChunkWritten:
        """Link, map and validate a chunk's spooled facts; write its shards beside them."""
        from kg_builder.extract.identity import apply_links
        from kg_builder.rdf import article_graph
        from kg_builder.rdf.writer import serialize, to_quads, write_shards

        work_dir = Path(work_dir)
        path = facts_file(work_dir, index)
        with open(path, "rb") as f:
            read: list[ArticleFacts] = pickle.load(f)
        path.unlink()
        if rename:
            for facts in read:
                apply_links(facts, rename, names)
        graphs = [article_graph(facts, base_iri) for facts in read]
        out = ChunkWritten(index=index)
        good = []
        for facts, graph, report in zip(read, graphs, self.validator.validate_many(graphs)):
            source = facts.article.source
            out.reports.append((source, report))
            if report.conforms:
                good.append(graph)
                out.built.append(source)
                if keep:
                    out.facts.append(facts)
                    out.graphs.append(graph)
            else:
                out.quarantined.append((source, facts.article.id, serialize(to_quads([graph]), "trig", prefixes)))
        quads = to_quads(good)
        out.quads = len(set(quads))
        out.nq_shard, out.nt_shard = work_dir / f"shard-{index:06d}.nq", work_dir / f"shard-{index:06d}.nt"
        write_shards(quads, out.nq_shard, out.nt_shard)
        return out


# ---- entry points for worker processes (module-level: they are sent by name) --------------------

_worker: Worker | None = None


def init_process(validator: Validator | None = None, nlp=None) -> None:
    """Pool initializer: one Worker per process, with the build's validator (and pipeline, when
    the process was forked from one that has it); the process exits when the build's process
    is gone."""
    global _worker
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    _worker = Worker(nlp, validator)


def _exit_with_parent(parent: int) -> None:
    """A build killed with SIGKILL never shuts its pool down, and its idle workers would wait for
    work forever, each holding a spaCy model: they leave within a second of it instead."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def _this_worker(validator: Validator | None) -> Worker:
    global _worker
    if _worker is None or (validator is not None and _worker._validator is not validator):
        _worker = Worker(validator=validator) if _worker is None else Worker(_worker._nlp, validator)
    return _worker


def read_chunk(index: int, articles: list[Article], work_dir: Path, max_chars: int = MAX_CHARS,
               timeout: float | None = None, validator: Validator | None = None) -> ChunkRead:
    return _this_worker(validator).read(index, articles, work_dir, max_chars, timeout)


def write_chunk(index: int, work_dir: Path, rename: dict[str, str], names: dict[str, str], base_iri: str,
                prefixes: dict[str, str], keep: bool = False, validator: Validator | None = None) -> ChunkWritten:
    return _this_worker(validator).write(index, work_dir, rename, names, base_iri, prefixes, keep)
