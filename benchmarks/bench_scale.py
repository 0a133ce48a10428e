"""Scale: build, store, query, analyse and viz on 1,000 / 3,000 / 10,000 articles, with peak memory.

    python benchmarks/bench_scale.py [--sizes 1000,3000,10000] [--jobs 2] [--keep DIR]

Articles are made from real text: each is a headline and two to four paragraphs drawn (seeded,
so every run makes the same corpus) from the development articles (../shared/eval/articles, when
present), examples/ and the passages of tests/regression/ — distinct short articles, real
sentences. For each size, each step runs as its own process (as a user would run it), timed
from start to exit, its peak memory sampled every 50 ms over the process and its children:

  pipe 1 / pipe N   plain spaCy: the base English model, ``nlp.pipe(texts, n_process=1|N)``
  build 1 / build N ``kg-builder build FOLDER -o OUT --no-store --jobs 1|N``
  store             ``Store.bulk_replace`` of OUT/kg.nq into a new store
  query / analyse / viz   every shipped query as CSV, ``analyse`` (Markdown), ``viz`` (HTML)

Prints a table and the ratios issue 10 asks about: build N vs build 1 (>= 1.6x at 3,000), build N
vs pipe N (>= 0.8x), and peak memory at the largest size vs the smallest (<= +15 %).
Not a test. The machine's load (``uptime``) is printed first and last: on a shared machine,
compare runs made under the same load.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED_ARTICLES = ROOT.parent / "shared" / "eval" / "articles"
PY = sys.executable
KG = str(Path(PY).with_name("kg-builder"))
CPU: dict[str, float] = {}


def paragraphs() -> tuple[list[str], list[str]]:
    """(headlines, paragraphs) of the real texts."""
    heads: list[str] = []
    paras: list[str] = []
    for folder in (SHARED_ARTICLES, ROOT / "examples"):
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
            head, _, body = path.read_text(encoding="utf-8").partition("\n")
            heads.append(head.strip())
            paras += [p.strip() for p in body.split("\n\n") if len(p.strip()) > 40]
    for path in sorted((ROOT / "tests" / "regression").glob("*.yaml")):
        for p in yaml.safe_load(path.read_text(encoding="utf-8"))["passages"]:
            text = str(p["text"]).strip()
            first, _, rest = text.partition("\n")
            if rest.strip() and len(first) < 90:
                heads.append(first.strip())
                text = rest.strip()
            paras += [q.strip() for q in text.split("\n\n") if q.strip()]
    return list(dict.fromkeys(heads)), list(dict.fromkeys(paras))


def corpus(n: int, folder: Path) -> Path:
    heads, paras = paragraphs()
    rng = random.Random(10)
    seen: set[str] = set()
    folder.mkdir(parents=True, exist_ok=True)
    i = 0
    while i < n:
        text = rng.choice(heads) + "\n\n" + "\n\n".join(rng.sample(paras, rng.randint(2, 4))) + "\n"
        if text in seen:
            continue
        seen.add(text)
        (folder / f"article-{i:05d}.txt").write_text(text, encoding="utf-8")
        i += 1
    return folder


def cpu_of_children() -> float:
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def run(cmd: list[str]) -> tuple[float, float, str]:
    """Seconds, peak RSS in MiB (the process and all its children together), stdout. The CPU
    seconds the process and its workers used are added to ``CPU[" ".join(cmd)]``."""
    cpu0 = cpu_of_children()
    start = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        try:
            procs = [proc, *proc.children(recursive=True)]
            rss = 0
            for p in procs:
                try:
                    rss += p.memory_info().rss
                except psutil.Error:
                    pass
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.05)
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    CPU[" ".join(cmd)] = cpu_of_children() - cpu0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return seconds, peak / 2**20, out


PIPE = """
import sys, pathlib
from kg_builder.extract.language import base_model
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))]
nlp = base_model()
for doc in nlp.pipe(texts, n_process=int(sys.argv[2])):
    len(doc)
"""

STORE = """
import sys, time
from kg_builder.store import Store
t = time.perf_counter()
with Store(sys.argv[2]) as store:
    store.bulk_replace([], sys.argv[1])
    print(len(store))
"""

QUERY = """
import sys
from kg_builder.store import query
from kg_builder.store._query import list_queries
for name, _ in list_queries():
    if name in ("actor",):  # needs a parameter
        continue
    query(sys.argv[1], name, fmt="csv")
"""

ANALYSE = """
import sys
from kg_builder import analyse
analyse(sys.argv[1])
"""

VIZ = """
import sys
from kg_builder.viz import viz
viz(sys.argv[1], sys.argv[2], formats=("html",))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,3000,10000")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="keep corpora and outputs here (default: a temporary folder)")
    ap.add_argument("--skip", default="", help="steps to leave out, e.g. pipe1,build1")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    skip = set(filter(None, args.skip.split(",")))
    env_note = os.popen("uptime").read().strip()
    print(f"load at start: {env_note}; cores: {os.cpu_count()}; jobs: {args.jobs}", flush=True)
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    j = args.jobs
    rows: dict[int, dict[str, tuple[float, float]]] = {}
    cpu: dict[tuple[int, str], float] = {}
    for n in sizes:
        folder = corpus(n, base / f"corpus-{n}")
        out = base / f"out-{n}"
        steps = {
            "pipe1": [PY, "-c", PIPE, str(folder), "1"],
            f"pipe{j}": [PY, "-c", PIPE, str(folder), str(j)],
            "build1": [KG, "build", str(folder), "-o", str(out / "j1"), "--no-store", "--jobs", "1"],
            f"build{j}": [KG, "build", str(folder), "-o", str(out / f"j{j}"), "--no-store", "--jobs", str(j)],
        }
        row: dict[str, tuple[float, float]] = {}
        for name, cmd in steps.items():
            if name in skip:
                continue
            seconds, rss, _ = run(cmd)
            row[name] = (seconds, rss)
            cpu[(n, name)] = CPU[" ".join(cmd)]
            print(f"{n:>6} {name:<8} {seconds:8.1f} s  {rss:7.0f} MiB  cpu {cpu[(n, name)]:7.1f} s", flush=True)
        built = out / f"j{j}"
        if "build1" in row and f"build{j}" in row:
            same = all((out / "j1" / f).read_bytes() == (built / f).read_bytes()
                       for f in ("kg.trig", "kg.nq", "kg.ttl", "validation-report.json"))
            print(f"{n:>6} files of build1 and build{j} byte-identical: {same}", flush=True)
        store = out / "store"
        post = {
            "store": [PY, "-c", STORE, str(built / "kg.nq"), str(store)],
            "query": [PY, "-c", QUERY, str(store)],
            "analyse": [PY, "-c", ANALYSE, str(store)],
            "viz": [PY, "-c", VIZ, str(store), str(out / "viz")],
        }
        for name, cmd in post.items():
            if name in skip:
                continue
            seconds, rss, stdout = run(cmd)
            row[name] = (seconds, rss)
            extra = f"  ({stdout.strip()} quads)" if name == "store" else ""
            print(f"{n:>6} {name:<8} {seconds:8.1f} s  {rss:7.0f} MiB{extra}", flush=True)
        rows[n] = row
        report = json.loads((built / "validation-report.json").read_text(encoding="utf-8"))
        print(f"{n:>6} articles built: {sum(a['conforms'] for a in report['articles'])}, "
              f"kg.nq {os.path.getsize(built / 'kg.nq') / 2**20:.1f} MiB", flush=True)

    print("\n| articles | " + " | ".join(f"{k} s (MiB)" for k in next(iter(rows.values()))) + " |")
    print("|---|" + "---|" * len(next(iter(rows.values()))))
    for n, row in rows.items():
        print(f"| {n:,} | " + " | ".join(f"{s:.1f} ({m:.0f})" for s, m in row.values()) + " |")
    print()
    for n, row in rows.items():
        if "build1" in row and f"build{j}" in row:
            print(f"{n:>6}: build{j} is {row['build1'][0] / row[f'build{j}'][0]:.2f}x build1 (target >= 1.6 at 3,000)")
        if f"pipe{j}" in row and f"build{j}" in row:
            print(f"{n:>6}: build{j} runs at {row[f'pipe{j}'][0] / row[f'build{j}'][0]:.2f}x the speed of "
                  f"nlp.pipe n_process={j} (target >= 0.8)")
        if "build1" in row and f"build{j}" in row:
            print(f"{n:>6}: CPU seconds build1 {cpu[(n, 'build1')]:.1f}, build{j} {cpu[(n, f'build{j}')]:.1f} "
                  f"(all processes): the parallel build's extra work is "
                  f"{cpu[(n, f'build{j}')] / cpu[(n, 'build1')] - 1:+.0%}")
        if "pipe1" in row and "build1" in row:
            print(f"{n:>6}: build1 runs at {row['pipe1'][0] / row['build1'][0]:.2f}x the speed of nlp.pipe n_process=1")
    lo, hi = min(rows), max(rows)
    for step in ("build1", f"build{j}"):
        if step in rows[lo] and step in rows[hi]:
            growth = rows[hi][step][1] / rows[lo][step][1] - 1
            print(f"peak RSS of {step}: {rows[lo][step][1]:.0f} MiB at {lo:,} -> {rows[hi][step][1]:.0f} MiB at "
                  f"{hi:,} ({growth:+.0%}; target <= +15 %)")
    print(f"load at end: {os.popen('uptime').read().strip()}")


if __name__ == "__main__":
    main()
