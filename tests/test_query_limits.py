"""``query`` under pressure: a timeout, Ctrl-C, large results, and data that is hostile to a terminal."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg_builder.errors import QueryError
from kg_builder.store import Store, query
from kg_builder.store._query import TABLE_ROWS

#: Four-way cross join over a few hundred triples: billions of rows to count, hours of work (only
#: ever run in a child process, which the test ends).
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
#: Three-way: 27 million rows over 300 triples, several seconds. In-process, a timed-out query is
#: abandoned but runs to its end in the background, so it must end on its own.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
HOSTILE = 'ESC\x1b[2Jclear NUL\x00 C1\x9b bidi\u202eevil [bold red]markup[/] tab\there'


def _store(path: Path, rows: int) -> Path:
    with Store(path) as store:
        body = "".join(f'<urn:test:s{i:05d}> <{LABEL}> "label {i}" .\n' for i in range(rows))
        store.replace_graph("urn:test:g", body, format="nt")
    return path


@pytest.fixture(scope="module")
def big_store(tmp_path_factory) -> Path:
    return _store(tmp_path_factory.mktemp("big") / "store", 5 * TABLE_ROWS)


@pytest.fixture(scope="module")
def join_store(tmp_path_factory) -> Path:
    return _store(tmp_path_factory.mktemp("join") / "store", 300)


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "store"
    with Store(path) as store:
        text = json.dumps(HOSTILE)  # a JSON string is a valid N-Triples string literal here
        store.replace_graph("urn:test:h", f"<urn:test:x> <{LABEL}> {text} .\n", format="nt")
    return path


def test_timeout_stops_a_local_query(join_store):
    started = time.monotonic()
    with pytest.raises(QueryError, match=r"stopped after 0.5 s \(--timeout\)"):
        query(join_store, SLOW, timeout=0.5)
    assert time.monotonic() - started < 3  # the query alone takes several seconds
    with pytest.raises(QueryError, match="positive"):
        query(join_store, "demands", timeout=0)


def _cli(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("kg-builder")), "query", *args]


def _wait_until_store_is_open(pid: int, store: Path) -> None:
    """The child has opened the store (the query starts right after): one of its open files is in it."""
    fds = Path(f"/proc/{pid}/fd")
    if not fds.is_dir():
        time.sleep(4.0)  # no /proc: give it time
        return
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if any(os.readlink(fd).startswith(str(store)) for fd in fds.iterdir()):
                return
        except OSError:  # a descriptor closed while we looked
            pass
        time.sleep(0.05)
    pytest.fail("the query process never opened the store")


def _interactive() -> None:
    """Ctrl-C as a terminal sends it: a suite started in the background (`pytest &` in a script,
    some CI runners) passes on SIGINT ignored, which a child honours, as a background job should."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_a_running_query_at_once(join_store):
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    proc = subprocess.Popen(_cli(ENDLESS, "--store", str(join_store)), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_interactive)
    try:
        _wait_until_store_is_open(proc.pid, join_store)
        time.sleep(1.0)  # deep in the evaluation
        assert proc.poll() is None, proc.stderr.read().decode()
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()  # never leave the endless query running (it would load the machine for hours)
        proc.wait()
    assert proc.returncode == 130 and b"query interrupted" in err, err.decode()
    assert time.monotonic() - sent < 10  # about a second here; the query alone would run for hours
    done = subprocess.run(_cli(ENDLESS, "--store", str(join_store), "--timeout", "1"), env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "stopped after 1 s" in done.stderr


def test_a_long_table_is_plain_text_off_a_terminal_and_cut_on_one(big_store):
    sparql = f"SELECT ?s ?l WHERE {{ GRAPH ?g {{ ?s <{LABEL}> ?l }} }} ORDER BY ?s"
    plain = query(big_store, sparql).splitlines()
    assert plain[0] == "s\tl" and len(plain) == 1 + 5 * TABLE_ROWS
    assert plain[1] == "urn:test:s00000\tlabel 0" and plain[-1] == f"urn:test:s{5 * TABLE_ROWS - 1:05d}\tlabel {5 * TABLE_ROWS - 1}"
    terminal = query(big_store, sparql, terminal=True)
    assert f"first {TABLE_ROWS} of {5 * TABLE_ROWS} rows" in terminal and "┃ s " in terminal
    assert "urn:test:s00999" in terminal and "urn:test:s01000" not in terminal
    short = query(big_store, sparql + " LIMIT 3")
    assert "┃ s " in short and "3 rows" in short


def test_output_streams_the_same_text(big_store):
    sparql = f"SELECT ?s ?l WHERE {{ GRAPH ?g {{ ?s <{LABEL}> ?l }} }} ORDER BY ?s"
    for fmt in ("csv", "tsv", "json", "table"):
        sink = io.BytesIO()
        assert query(big_store, sparql, fmt=fmt, output=sink) == ""
        assert sink.getvalue().decode("utf-8") == query(big_store, sparql, fmt=fmt), fmt


def test_terminal_table_shows_control_characters_as_escapes(hostile_store):
    sparql = f"SELECT ?l WHERE {{ GRAPH ?g {{ ?s <{LABEL}> ?l }} }}"
    for table in (query(hostile_store, sparql), query(hostile_store, sparql, terminal=True)):
        assert not any(c in table for c in "\x1b\x00\x9b\u202e\t")
        flat = "".join(line.strip("│ ") for line in table.splitlines())
        for shown in ("ESC\\x1b[2Jclear", "NUL\\x00", "C1\\x9b", "bidi\\u202eevil", "[bold red]markup[/]", "tab\\there"):
            assert shown in flat, shown
    doc = json.loads(query(hostile_store, sparql, fmt="json"))  # JSON escapes by its own rules
    assert doc["results"]["bindings"][0]["l"]["value"] == HOSTILE
    assert "\x1b" not in query(hostile_store, sparql, fmt="json")
    tsv = query(hostile_store, sparql, fmt="tsv")  # TSV writes N-Triples-style escapes
    assert "\t" not in tsv.splitlines()[1] and "\\t" in tsv


def test_error_messages_carry_no_raw_control_characters(hostile_store, tmp_path):
    from typer.testing import CliRunner

    from kg_builder.cli import app

    missing = tmp_path / "evil\x1b]0;owned\x07\x9b.rq"  # the message names the input
    result = CliRunner().invoke(app, ["query", str(missing), "--store", str(hostile_store)])
    assert result.exit_code == 1 and "no such query name or file" in result.stderr
    assert not any(c in result.output for c in "\x1b\x07\x9b")
    assert "evil\\x1b]0;owned\\x07\\x9b.rq" in result.stderr
