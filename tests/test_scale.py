"""Building at scale: chunks, worker processes, a Dask cluster, Docs released — and the same bytes.

Small corpora cut into small chunks (``pipeline.CHUNK_ARTICLES`` lowered) so that several chunks,
several workers and the shard merge all take part.
"""
from __future__ import annotations

import gc
import json
import weakref

import pytest
import yaml

from kg_builder import pipeline
from kg_builder.extract import extract_many, release
from kg_builder.model import Article
from kg_builder.pipeline import NQUADS, QUARANTINE, REPORT, TRIG, TURTLE, build
from kg_builder.store import Store

FILES = (TRIG, NQUADS, TURTLE, REPORT)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, repo_root, seed_article_path):
    """The seed, 14 regression passages, and one person named short in an early article and in
    full in a late one (linking must cross chunks), as text files."""
    folder = tmp_path_factory.mktemp("corpus")
    texts = [seed_article_path.read_text(encoding="utf-8"),
             "Grain\n\nErdogan called for an extension of the grain deal.\n"]
    for path in sorted((repo_root / "tests" / "regression").glob("*.yaml"))[:7]:
        texts += [str(p["text"]) for p in yaml.safe_load(path.read_text(encoding="utf-8"))["passages"][:2]]
    texts.append("Talks\n\nTurkish President Recep Tayyip Erdogan urged Russia to return to talks.\n")
    for i, text in enumerate(texts):
        (folder / f"a{i:02d}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK_ARTICLES", 4)


def _files(out) -> dict[str, bytes]:
    """The graph files' bytes, and the report without what says where the store was."""
    files = {name: (out / name).read_bytes() for name in FILES if name != REPORT}
    report = json.loads((out / REPORT).read_text(encoding="utf-8"))
    report.pop("store")
    report["counts"].pop("articles_in_store")
    return {**files, REPORT: report}


def _quads(store_path) -> tuple[int, list[str]]:
    with Store(store_path, read_only=True) as store:
        return len(store), store.graphs()


@pytest.fixture(scope="module")
def local_build(tmp_path_factory, corpus, nlp, validator):
    """The corpus built in this process in one chunk: what every other way must reproduce."""
    out = tmp_path_factory.mktemp("local")
    result = build([corpus], out, nlp=nlp, validator=validator, store=out / "store")
    assert result.ok and len(result.built) == 17
    return out


def test_chunks_and_worker_processes_give_the_same_bytes_and_store(corpus, local_build, small_chunks, tmp_path):
    result = build([corpus], tmp_path / "jobs2", jobs=2, store=tmp_path / "jobs2" / "store")
    assert result.ok and len(result.built) == 17
    assert _files(tmp_path / "jobs2") == _files(local_build)
    assert (tmp_path / "jobs2" / REPORT).read_bytes() == (local_build / REPORT).read_bytes()
    assert _quads(tmp_path / "jobs2" / "store") == _quads(local_build / "store")
    assert not [p for p in (tmp_path / "jobs2").iterdir() if p.name.endswith(".tmp")]


def test_one_person_across_chunks(local_build):
    nq = (local_build / NQUADS).read_text(encoding="utf-8")
    assert "person/erdogan>" not in nq and "person/recep-tayyip-erdogan>" in nq


def test_smaller_chunks_in_process_give_the_same_bytes(corpus, local_build, nlp, validator, small_chunks, tmp_path):
    build([corpus], tmp_path, nlp=nlp, validator=validator, jobs=1)
    assert _files(tmp_path) == _files(local_build)


def test_many_shards_merge_through_intermediate_shards(corpus, local_build, nlp, validator, monkeypatch, tmp_path):
    from kg_builder.rdf import writer

    monkeypatch.setattr(pipeline, "CHUNK_ARTICLES", 1)  # 17 shards
    monkeypatch.setattr(writer, "FAN_IN", 3)  # merged 3 at a time, in three levels
    build([corpus], tmp_path, nlp=nlp, validator=validator)
    assert _files(tmp_path) == _files(local_build)


def test_rebuilding_into_a_store_replaces_the_articles(corpus, local_build, small_chunks, nlp, validator, tmp_path):
    store = tmp_path / "store"
    build([corpus / "a00.txt"], tmp_path / "first", nlp=nlp, validator=validator, store=store)
    build([corpus], tmp_path / "all", nlp=nlp, validator=validator, store=store)
    assert _quads(store) == _quads(local_build / "store")


def test_quarantine_from_worker_processes(corpus, small_chunks, tmp_path):
    """A validator given to build() is the one the workers use (it travels to them)."""
    from rdflib import Graph

    from kg_builder.resources import ontology_file
    from kg_builder.validate import Validator

    shapes = Graph().parse(ontology_file("shapes.ttl"), format="turtle")
    shapes.parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:test:NoDemand> a sh:NodeShape ; sh:targetClass <https://w3id.org/dipkg/ontology#Demand> ;
            sh:property [ sh:path <urn:test:never> ; sh:minCount 1 ] .""", format="turtle")
    strict = Validator(shapes, Graph().parse(ontology_file("diplomacy.ttl"), format="turtle"))
    result = build([corpus], tmp_path, jobs=2, validator=strict)
    assert result.quarantined and result.built
    assert sorted(p.name for p in (tmp_path / QUARANTINE).iterdir()) == sorted(p.name for p in result.quarantined.values())


def test_workers_forked_with_the_given_pipeline(corpus, local_build, nlp, validator, small_chunks, tmp_path):
    """On Linux the workers are forked from the build's process, with its pipeline."""
    build([corpus], tmp_path, nlp=nlp, validator=validator, jobs=2)
    assert _files(tmp_path) == _files(local_build)


def test_each_doc_is_freed_once_its_facts_are_read(nlp):
    """The rules' state on doc._.dip points back to the Doc: without release() every Doc would
    wait for the cycle collector. With the collector off, each Doc must be gone as soon as read."""
    refs = []

    class Recording:  # the real pipeline, noting a weak reference to each Doc it makes
        def __getattr__(self, name):
            return getattr(nlp, name)

        def pipe(self, texts, **kwargs):
            for doc in nlp.pipe(texts, **kwargs):
                refs.append(weakref.ref(doc))
                yield doc

    texts = ["Qatar mediated talks between Israel and Hamas in Doha. Hamas demanded a full ceasefire.",
             "Turkey hosted talks between Russia and Ukraine in Istanbul."]
    gc.disable()
    try:
        facts = list(extract_many([Article(text=t) for t in texts], Recording()))
        assert len(refs) == 2 and [r() for r in refs] == [None, None]
        assert facts[0].demands
    finally:
        gc.enable()


def test_release_clears_the_state(nlp):
    doc = nlp("Turkey hosted talks between Russia and Ukraine in Istanbul.")
    assert doc._.dip is not None
    release(doc)
    assert doc._.dip is None


# -- Dask ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed", reason="dask distributed not installed (pip install '.[cluster]')")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, memory_limit="3GiB") as cluster:
        yield cluster


@pytest.mark.cluster
def test_dask_cluster_gives_the_same_bytes_and_store(corpus, local_build, dask_cluster, small_chunks, tmp_path):
    out = tmp_path / "dask"
    result = build([corpus], out, executor="dask", scheduler=dask_cluster.scheduler_address, store=out / "store")
    assert result.ok and len(result.built) == 17
    assert _files(out) == _files(local_build)
    assert (out / REPORT).read_bytes() == (local_build / REPORT).read_bytes()
    assert _quads(out / "store") == _quads(local_build / "store")


@pytest.mark.cluster
def test_dask_needs_a_scheduler(corpus, tmp_path):
    from kg_builder.errors import KGBuilderError

    with pytest.raises(KGBuilderError, match="scheduler"):
        build([corpus], tmp_path, executor="dask")
