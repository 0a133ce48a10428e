"""Real triple stores on 127.0.0.1 for the tests: `oxigraph serve` and Virtuoso 7.

Each is started on free ports over a temporary folder and stopped after the session. When the
program is not installed the tests that need it skip, saying how to get it
(``python3 dev.py test`` installs Virtuoso from the Debian package ``virtuoso-opensource-7``).
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
VIRTUOSO = "virtuoso-t"
#: Graphs are ours when their IRI starts with one of these; Virtuoso keeps system graphs beside them.
OUR_GRAPHS = ("https://w3id.org/dipkg/", "urn:test:")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_oxigraph(location: Path, *extra: str):
    """Generator: yields the base URL of an `oxigraph serve` over ``location``, stops it after."""
    binary = OXIGRAPH if OXIGRAPH.exists() else shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the oxigraph server binary (pip install oxigraph) is not installed")
    port = free_port()
    proc = subprocess.Popen([str(binary), "serve", "--location", str(location),
                             "--bind", f"127.0.0.1:{port}", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/store", headers={"Accept": "application/n-quads"}, timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None:
                    pytest.fail(f"oxigraph serve exited: {proc.stderr.read().decode()}")
                time.sleep(0.05)
        else:
            pytest.fail("oxigraph serve did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stderr.close()


@dataclass
class Virtuoso:
    """A running Virtuoso: its HTTP base URL, the dba account, and the graphs it started with."""

    base: str
    isql_port: int
    user: str = "dba"
    password: str = "dba"
    system_graphs: set[str] = field(default_factory=set)

    @property
    def graph_store(self) -> str:
        """The Graph Store Protocol endpoint that takes writes (HTTP Digest)."""
        return self.base + "/sparql-graph-crud-auth"

    @property
    def sparql(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint (anonymous, read-only)."""
        return self.base + "/sparql"

    def select(self, sparql: str) -> list[dict[str, str]]:
        response = httpx.post(self.sparql, data={"query": sparql}, timeout=30,
                              headers={"Accept": "application/sparql-results+json"})
        response.raise_for_status()
        return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]

    def graphs(self) -> set[str]:
        return {r["g"] for r in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}

    def our_graphs(self) -> set[str]:
        return {g for g in self.graphs() if g.startswith(OUR_GRAPHS)}

    def drop_our_graphs(self) -> None:
        for graph in self.our_graphs():
            response = httpx.delete(self.graph_store, params={"graph": graph}, timeout=30,
                                    auth=httpx.DigestAuth(self.user, self.password))
            assert response.status_code < 300, response.text


_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{isql}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def serve_virtuoso(folder: Path):
    """Generator: yields a :class:`Virtuoso` running over a fresh database in ``folder``."""
    binary = shutil.which(VIRTUOSO)
    if binary is None:
        pytest.skip("Virtuoso 7 (virtuoso-t, Debian package virtuoso-opensource-7) is not installed; "
                    "`python3 dev.py test` installs it when it runs as root with apt-get")
    folder.mkdir(parents=True, exist_ok=True)
    isql, http = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_INI.format(d=folder, isql=isql, http=http), encoding="utf-8")
    log = open(folder / "stdout.log", "wb")
    proc = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder,
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = Virtuoso(f"http://127.0.0.1:{http}", isql)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(server.sparql, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = (folder / "stdout.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"Virtuoso did not start (exit {proc.poll()}):\n{tail}")
            time.sleep(0.2)
        server.system_graphs = server.graphs()
        yield server
    finally:
        proc.terminate()  # Virtuoso checkpoints and exits on SIGTERM
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()
