"""`kill -9` at chosen and at random moments of a 300-article build (real processes, real files,
real store): no file is ever cut, and whenever the files (or the store) disagree, the report says
so. The fixed set of kill points runs by default; `-m slow` adds many random ones."""
from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg_builder.pipeline import COMPLETE, NQUADS, REPORT, TRIG, TURTLE, build, check_output
from kg_builder.store import Store

SCHEMA_ARTICLE = ox.NamedNode("https://schema.org/NewsArticle")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
MEDIATORS = ("Qatar", "Turkey", "Egypt", "Norway", "Switzerland", "Oman")
SIDES = (("Israel", "Hamas"), ("Russia", "Ukraine"), ("Armenia", "Azerbaijan"), ("Serbia", "Kosovo"))


def _articles(folder: Path, numbers: range) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in numbers:
        mediator, (a, b) = MEDIATORS[i % len(MEDIATORS)], SIDES[i % len(SIDES)]
        (folder / f"talks-{i:04d}.txt").write_text(
            f"Round {i} of talks\n\n{mediator} mediated talks between {a} and {b} in round {i}, "
            f"officials said. {a} demanded a ceasefire.\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> tuple[Path, Path]:
    """Two folders of 300 short articles sharing half of them, so each build changes every file."""
    root = tmp_path_factory.mktemp("kill")
    return _articles(root / "a", range(0, 300)), _articles(root / "b", range(150, 450))


def _ino(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except FileNotFoundError:
        return None


def _build_and_kill(folder: Path, out: Path, when: str | float, jobs: int = 1) -> int:
    """Run `kg-builder build` in a process and SIGKILL it at ``when``: seconds after the start, or
    when the named output file is replaced ("report" = the report's first replacement: the run
    marked in progress). Its worker processes, if any, are killed with it (the whole process
    group, as a terminal's kill or an OOM kill of the session would). Returns the exit status
    (-9 when killed)."""
    watched = {"report": out / REPORT, "trig": out / TRIG, "nq": out / NQUADS, "ttl": out / TURTLE}
    before = {name: _ino(path) for name, path in watched.items()}
    work = out.parent / "work"
    work.mkdir(exist_ok=True)
    cmd = [sys.executable, "-c", "from kg_builder.cli import main; main()", "build", str(folder),
           "-o", str(out), "--store", str(out / "store"), "--jobs", str(jobs), "--work-dir", str(work)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    start = time.monotonic()
    try:
        while proc.poll() is None and time.monotonic() - start < 300:
            if isinstance(when, float) and time.monotonic() - start >= when:
                break
            if isinstance(when, str) and _ino(watched[when]) != before[when]:
                break
            time.sleep(0.0005)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        return proc.wait(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # workers left behind by a run that ended
        proc.wait()


def _articles_in(out: Path) -> dict[str, set[str]]:
    """Every file parses (a cut file would not); the articles each one holds."""
    found = {}
    for name, fmt in ((TRIG, ox.RdfFormat.TRIG), (NQUADS, ox.RdfFormat.N_QUADS), (TURTLE, ox.RdfFormat.TURTLE)):
        quads = list(ox.parse(path=str(out / name), format=fmt))  # raises SyntaxError on a cut file
        found[name] = {q.subject.value for q in quads if q.predicate == RDF_TYPE and q.object == SCHEMA_ARTICLE}
    with Store(out / "store", read_only=True) as store:  # the store always reopens
        found["store"] = set(store.graphs())
    return found


def _check(out: Path) -> None:
    report = json.loads((out / REPORT).read_text(encoding="utf-8"))  # never a cut report either
    found = _articles_in(out)
    problems = check_output(out)
    files_agree = found[TRIG] == found[NQUADS] == found[TURTLE]
    if problems:  # the report says the run did not finish, or a file is not the one it describes
        assert report["status"] != COMPLETE or any("checksum" in p for p in problems), problems
        return
    assert files_agree, "files disagree but the report says all is well"
    graphs = {a["graph"] for a in report["articles"] if a["conforms"]}
    assert found[TRIG] == graphs
    assert report["counts"]["articles_in_files"] == len(found[TRIG])
    assert report["counts"]["articles_in_store"] == len(found["store"])
    assert found[TRIG] <= found["store"]


def _first_build(inputs, out: Path, nlp, validator) -> None:
    build([inputs[0]], out, store=out / "store", nlp=nlp, validator=validator)
    assert check_output(out) == []
    assert len(_articles_in(out)[TRIG]) == 300


#: Reading (before anything is written), the report marked in progress, after the first and the
#: second graph file, after the last one (the store being written).
KILL_POINTS = (2.5, "report", "trig", "nq", "ttl")


def test_kill_9_at_each_stage_never_leaves_a_cut_file_or_an_unflagged_disagreement(inputs, nlp, validator, tmp_path):
    out = tmp_path / "out"
    _first_build(inputs, out, nlp, validator)
    flagged = 0
    for n, when in enumerate(KILL_POINTS):
        status = _build_and_kill(inputs[(n + 1) % 2], out, when)
        _check(out)
        flagged += bool(check_output(out))
        assert not list(out.glob(".*.tmp")) or status == -signal.SIGKILL
    assert flagged >= 1, "the kills inside the writing phase should have been seen by the report"
    # the next run repairs everything
    assert _build_and_kill(inputs[0], out, 1e9) == 0
    _check(out)
    assert check_output(out) == [] and not list(out.glob(".*.tmp"))
    assert len(_articles_in(out)[TRIG]) == 300


@pytest.mark.slow
def test_kill_9_at_random_moments(inputs, nlp, validator, tmp_path):
    """40 kills at moments spread over a whole run (seeded, so a failure can be replayed)."""
    out = tmp_path / "out"
    _first_build(inputs, out, nlp, validator)
    start = time.monotonic()
    assert _build_and_kill(inputs[1], out, 1e9) == 0
    duration = time.monotonic() - start
    rng = random.Random(int(os.environ.get("KILL_SEED", "9")))
    for n in range(40):
        _build_and_kill(inputs[n % 2], out, rng.uniform(0.5 * duration, 1.05 * duration), jobs=1 + n % 2)
        _check(out)


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the worker processes")
def test_worker_processes_leave_when_the_build_is_killed(inputs, tmp_path):
    """Only the build's own process is killed (kill -9 PID): its workers must not linger."""
    out = tmp_path / "out"
    cmd = [sys.executable, "-c", "from kg_builder.cli import main; main()", "build", str(inputs[0]),
           "-o", str(out), "--no-store", "--jobs", "2", "--work-dir", str(tmp_path)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            workers = {p for p in _children(proc.pid) if _cmdline(p)}  # forked (Linux) or spawned
            time.sleep(0.05)
        assert len(workers) == 2, "the build should have started two worker processes"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        deadline = time.monotonic() + 30
        left = workers
        while left and time.monotonic() < deadline:
            time.sleep(0.1)
            left = {p for p in workers if _cmdline(p)}  # a zombie has no command line
        assert not left, f"worker processes {left} outlived the killed build"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""
