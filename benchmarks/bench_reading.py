"""Reading speed: the whole build against plain spaCy on the same texts, in one run.

    python benchmarks/bench_reading.py [N] [--articles-only]      (N articles, default 200)
    python benchmarks/bench_reading.py --long [CHARS]             (hostile lengths, default 1,000,000)

``--long`` (issue 9): reading time per character of a 1 MB article of real prose (the real
evaluation articles and examples/, concatenated and repeated) and of a 1 MB single line (the same
text without newlines or sentence punctuation), against the seed article's; the target is at
most 5x. Each is read without a time budget (so the ratio is measured, however slow). Then both
are built beside the seed article with ``build``'s defaults (5,000,000 characters, 60 s per
article): the seed must be written whatever happens to the long ones, which are written or
skipped with a message naming them.

Texts: the development articles (../shared/eval/articles, when present), examples/ and the
passages of tests/regression/ (left out with --articles-only: full-length articles only),
repeated to N articles (each copy made distinct, since ``build`` reads the same text once).
Timed, after a warm-up of each (model and shapes loading excluded):

  (a) plain spaCy: the base English model, ``nlp.pipe(texts)``, every doc consumed;
  (b) the whole build in-process: ``kg_builder.pipeline.build(jobs=1)`` on a folder of N text
      files (read, spaCy + reading rules, facts, links, RDF mapping, validation, shards merged
      into TriG/N-Quads/Turtle). For worker processes and the scale figures see bench_scale.py.

Prints articles/second of each and the throughput ratio (b)/(a) (issue 3 asks for >= 0.7), then
where (b)'s time goes, measured stage by stage on the same articles. Not a test.
"""
from __future__ import annotations

import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED_ARTICLES = ROOT.parent / "shared" / "eval" / "articles"


def corpus(n: int, *, passages: bool = True) -> list[str]:
    """N distinct article texts made from the dev articles, the examples and the regression passages."""
    base: list[str] = []
    for folder in (SHARED_ARTICLES, ROOT / "examples"):
        if folder.is_dir():
            base += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    for path in sorted((ROOT / "tests" / "regression").glob("*.yaml")) if passages else []:
        base += [str(p["text"]) for p in yaml.safe_load(path.read_text(encoding="utf-8"))["passages"]]
    base = list(dict.fromkeys(base))  # an example may also be a dev article
    # copy k of a text gets k extra trailing newlines: another article to build, the same words to read
    return [base[i % len(base)] + "\n" * (i // len(base)) for i in range(n)]


def write_folder(texts: list[str], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        (folder / f"article-{i:04d}.txt").write_text(text, encoding="utf-8")
    return folder


def runs(articles: list, chars: int) -> list[list]:
    """Consecutive articles of at most ``chars`` characters together (a longer one alone)."""
    out: list[list] = []
    size = 0
    for article in articles:
        if not out or size + len(article.text) > chars:
            out.append([])
            size = 0
        out[-1].append(article)
        size += len(article.text)
    return out


def time_plain_spacy(nlp, texts: list[str]) -> float:
    start = time.perf_counter()
    for doc in nlp.pipe(texts):
        len(doc)
    return time.perf_counter() - start


def time_build(folder: Path, out: Path, nlp, validator) -> tuple[float, int]:
    from kg_builder.pipeline import build

    start = time.perf_counter()
    result = build([folder], out, nlp=nlp, validator=validator)
    return time.perf_counter() - start, len(result.built) + len(result.quarantined)


def stage_times(folder: Path, out: Path, nlp, validator) -> dict[str, float]:
    """The stages of ``build --jobs 1`` run one after the other on the same articles, each timed:
    chunk by chunk as ``kg_builder.pipeline`` cuts them, facts spooled and read back, persons
    linked once, shards written per chunk, then merged into the files and bulk-loaded."""
    import pickle

    from kg_builder import pipeline
    from kg_builder._work import SPACY_BATCH_CHARS
    from kg_builder.extract import release
    from kg_builder.extract.facts import to_facts
    from kg_builder.extract.identity import apply_links, person_links, person_names
    from kg_builder.extract.language import COMPONENTS
    from kg_builder.rdf import article_graph
    from kg_builder.rdf.writer import merge_shards, to_quads, write_shards
    from kg_builder.sources import read_articles
    from kg_builder.store import Store

    times: dict[str, float] = defaultdict(float)
    out.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    articles = [a for a in read_articles([folder]) if not isinstance(a, Exception)]
    chunks = list(pipeline._chunks(articles))
    times["sources (read files, chunks)"] = time.perf_counter() - t

    components = [(name, nlp.get_pipe(name)) for name in COMPONENTS]
    spool: list[bytes] = []
    names: dict[str, str] = {}
    for chunk in chunks:
        t = time.perf_counter()
        docs = []
        with nlp.select_pipes(disable=list(COMPONENTS)):
            for run in runs(chunk, SPACY_BATCH_CHARS):  # as extract_many batches them
                docs += nlp.pipe([a.text for a in run], batch_size=len(run))
        times["spaCy model (+ dip_line_breaks, dip_limits)"] += time.perf_counter() - t
        for doc in docs:
            for name, proc in components:
                t = time.perf_counter()
                proc(doc)
                times[f"rules: {name}"] += time.perf_counter() - t
        t = time.perf_counter()
        facts = []
        for article, doc in zip(chunk, docs):
            facts.append(to_facts(article, doc))
            release(doc)
        del docs
        times["rules: to_facts (merge, model), release"] += time.perf_counter() - t
        t = time.perf_counter()
        for f in facts:
            for key, name in person_names(f):
                names.setdefault(key, name)
        spool.append(pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL))
        times["spool facts, collect persons"] += time.perf_counter() - t

    t = time.perf_counter()
    rename = person_links(names)
    times["person linking (once per build)"] = time.perf_counter() - t

    shards = []
    for i, blob in enumerate(spool):
        t = time.perf_counter()
        facts = pickle.loads(blob)
        for f in facts:
            apply_links(f, rename, names)
        times["read spool, apply links"] += time.perf_counter() - t
        t = time.perf_counter()
        graphs = [article_graph(f) for f in facts]
        times["RDF mapping"] += time.perf_counter() - t
        t = time.perf_counter()
        validator.validate_many(graphs)
        times["validation (SHACL, per chunk)"] += time.perf_counter() - t
        t = time.perf_counter()
        shard = (out / f"shard-{i:06d}.nq", out / f"shard-{i:06d}.nt")
        write_shards(to_quads(graphs), *shard)
        shards.append(shard)
        times["shards (sorted N-Quads, N-Triples)"] += time.perf_counter() - t

    t = time.perf_counter()
    files = {"trig": out / "kg.trig", "nq": out / "kg.nq", "ttl": out / "kg.ttl"}
    merge_shards([a for a, _ in shards], [b for _, b in shards], files, pipeline._file_prefixes(
        "https://w3id.org/dipkg/id/"), out)
    times["merge shards into TriG, N-Quads, Turtle"] = time.perf_counter() - t

    t = time.perf_counter()
    with Store(out / "store") as store:
        store.bulk_replace([], out / "kg.nq")
    times["store (bulk load of kg.nq; build --store only)"] = time.perf_counter() - t
    return dict(times)


REAL_ARTICLES = ROOT.parent / "shared" / "eval" / "real" / "articles"
SEED = ROOT / "examples" / "istanbul_talks_2025.txt"


def long_texts(chars: int) -> dict[str, str]:
    """A long article of real prose, and the same words as one line with no sentence end."""
    texts = [p.read_text(encoding="utf-8") for folder in (REAL_ARTICLES, ROOT / "examples")
             if folder.is_dir() for p in sorted(folder.glob("*.txt"))]
    base = "\n\n".join(texts)
    prose = (base * (chars // len(base) + 1))[:chars]
    words = prose.translate({ord(c): " " for c in ".!?;\n"}).split()
    line = " ".join(words)
    line = (line + " " + line)[:chars]  # the same length as the prose
    return {"prose": prose, "single line": line}


def long_main(argv: list[str]) -> int:
    from kg_builder.extract import ARTICLE_TIMEOUT, extract_many, load_nlp
    from kg_builder.model import Article
    from kg_builder.pipeline import build
    from kg_builder.validate import load_validator

    numbers = [a for a in argv if not a.startswith("-")]
    chars = int(numbers[0]) if numbers else 1_000_000
    nlp, validator = load_nlp(), load_validator()
    seed = Article(text=SEED.read_text(encoding="utf-8"), source=str(SEED))

    def read(article: Article, timeout: float | None) -> tuple[float, object]:
        start = time.perf_counter()
        [result] = list(extract_many([article], nlp, timeout=timeout))
        return time.perf_counter() - start, result

    read(seed, None)  # warm-up
    seed_time = min(read(seed, None)[0] for _ in range(5))
    per_char = seed_time / len(seed.text)
    print(f"seed article      {len(seed.text):>9,} chars  {seed_time:8.2f} s  {per_char * 1e6:8.1f} us/char")
    texts = long_texts(chars)
    for name, text in texts.items():
        seconds, result = read(Article(text=text, source=name), None)
        ratio = seconds / len(text) / per_char
        verdict = (f"failed: {result}" if isinstance(result, Exception) else
                   f"read, {ratio:.2f}x the seed's time per char (target <= 5x)"
                   + (f"; over the default budget of {ARTICLE_TIMEOUT:g} s" if seconds > ARTICLE_TIMEOUT else ""))
        print(f"{name:<17} {len(text):>9,} chars  {seconds:8.2f} s  {seconds / len(text) * 1e6:8.1f} us/char  {verdict}")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        (folder / "a-seed.txt").write_text(seed.text, encoding="utf-8")
        for n, (name, text) in enumerate(texts.items()):
            (folder / f"b{n}-{name.replace(' ', '-')}.txt").write_text(text, encoding="utf-8")
        start = time.perf_counter()
        result = build([folder], Path(tmp) / "out", nlp=nlp, validator=validator)
        seconds = time.perf_counter() - start
    print(f"\nbuild of the seed beside both ({seconds:.1f} s, default limits):")
    for src in result.built:
        print(f"  written  {Path(src).name}")
    for err in result.errors:
        print(f"  skipped  {err}")
    return 0 if str(folder / "a-seed.txt") in result.built else 1


def main(argv: list[str]) -> int:
    if "--long" in argv:
        return long_main(argv)
    from kg_builder.extract import load_nlp
    from kg_builder.extract.language import base_model
    from kg_builder.validate import load_validator

    numbers = [a for a in argv if not a.startswith("-")]
    n = int(numbers[0]) if numbers else 200
    texts = corpus(n, passages="--articles-only" not in argv)
    words = sum(len(t.split()) for t in texts)
    base, nlp, validator = base_model(), load_nlp(), load_validator()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        folder = write_folder(texts, tmp_path / "articles")
        warm = write_folder(texts[:8], tmp_path / "warm")
        time_plain_spacy(base, texts[:8])  # warm-up: first calls allocate and fill caches
        time_build(warm, tmp_path / "warm-out", nlp, validator)

        plain = time_plain_spacy(base, texts)
        whole, built = time_build(folder, tmp_path / "out", nlp, validator)
        stages = stage_times(folder, tmp_path / "stages-out", nlp, validator)

    print(f"{n} articles, {words} words (whitespace-separated), {built} built")
    print(f"(a) plain spaCy nlp.pipe  {plain:8.2f} s  {n / plain:8.1f} articles/s")
    print(f"(b) whole build           {whole:8.2f} s  {n / whole:8.1f} articles/s")
    print(f"throughput ratio (b)/(a)  {plain / whole:8.2f}   (issue 3: >= 0.70)")
    total = sum(stages.values())
    print(f"\nwhere (b)'s time goes (stages timed one by one, sum {total:.2f} s):")
    for name, seconds in stages.items():
        print(f"  {name:<42}{seconds:8.2f} s {100 * seconds / total:6.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
