"""Push: Graph Store Protocol PUTs to a real `oxigraph serve`, plus auth/retry against a tiny real server."""
from __future__ import annotations

import base64
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pyoxigraph as ox
import pytest

from kg_builder.errors import PushError
from kg_builder.store import Store, push

DATA = Path(__file__).parent / "data" / "store"
OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "store"
    with Store(path) as store:
        for trig in sorted(DATA.glob("*.trig")):
            text = trig.read_text(encoding="utf-8")
            store.replace_graph(re.search(r"^<(\S+)> \{", text, re.MULTILINE).group(1), text)
    return path


def local_quads(path: Path) -> set[str]:
    with Store(path, read_only=True) as store:
        return {str(q) for q in store.quads()}


@pytest.fixture
def oxigraph_server(tmp_path):
    """A real Oxigraph server on 127.0.0.1, on a free port, over a temporary location."""
    yield from serve(tmp_path / "server")


def serve(location: Path, *extra: str):
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


def server_quads(base: str) -> set[str]:
    response = httpx.get(base + "/store", headers={"Accept": "application/n-quads"}, timeout=10)
    response.raise_for_status()
    return {str(q) for q in ox.parse(response.content, format=ox.RdfFormat.N_QUADS)}


@pytest.mark.server
def test_oxigraph_serve_opens_our_store_and_runs_a_shipped_query(store_path):
    from kg_builder.resources import ontology_dir

    sparql = (ontology_dir() / "queries" / "demands.rq").read_text(encoding="utf-8")
    for base in serve(store_path, "--union-default-graph"):
        response = httpx.post(base + "/query", content=sparql.encode(), timeout=10, headers={
            "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
        assert response.status_code == 200, response.text
        texts = {b["text"]["value"] for b in response.json()["results"]["bindings"]}
        assert texts == {"withdrawal of Ukrainian forces from four regions",
                         "full and unconditional 30-day ceasefire"}


@pytest.mark.server
def test_push_round_trips_to_a_live_oxigraph(store_path, oxigraph_server):
    expected = local_quads(store_path)
    summary = push(store_path, oxigraph_server + "/store")
    assert summary.ok and summary.graphs_sent == 3
    assert summary.triples_sent == len(expected)
    assert server_quads(oxigraph_server) == expected


@pytest.mark.server
def test_push_twice_does_not_duplicate_and_a_changed_graph_replaces(store_path, oxigraph_server):
    push(store_path, oxigraph_server + "/store", fmt="ttl")
    push(store_path, oxigraph_server + "/store")
    assert server_quads(oxigraph_server) == local_quads(store_path)
    with Store(store_path) as store:
        graph = store.graphs()[0]
        store.replace_graph(graph, f'<{graph}> <https://schema.org/headline> "only this" .\n')
    summary = push(store_path, oxigraph_server + "/store", graphs=[graph])
    assert summary.graphs_sent == 1 and summary.triples_sent == 1
    assert server_quads(oxigraph_server) == local_quads(store_path)


@pytest.mark.server
def test_down_server_is_a_push_error_and_the_store_is_unchanged(store_path):
    before = local_quads(store_path)
    endpoint = f"http://127.0.0.1:{free_port()}/store"
    with pytest.raises(PushError) as err:
        push(store_path, endpoint, retries=2, backoff=0.01)
    assert endpoint in str(err.value) and "3 attempts" in str(err.value)
    assert local_quads(store_path) == before


@pytest.mark.server
def test_unknown_graph_is_refused_before_anything_is_sent(store_path, oxigraph_server):
    with pytest.raises(PushError, match="not in the store"):
        push(store_path, oxigraph_server + "/store", graphs=["https://example.org/nope"])
    assert server_quads(oxigraph_server) == set()


# -- a tiny real HTTP server that records what it receives ------------------------------------
class Recorder:
    """Answers each request with the next scripted status (the last one repeats)."""

    def __init__(self, statuses: list[int]):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                recorder.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status = recorder.statuses.pop(0) if len(recorder.statuses) > 1 else recorder.statuses[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/data"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.server
def test_basic_auth_header_graph_parameter_and_body(store_path, monkeypatch):
    monkeypatch.delenv("KG_PUSH_TOKEN", raising=False)
    monkeypatch.setenv("KG_PUSH_USER", "ann")
    monkeypatch.setenv("KG_PUSH_PASSWORD", "s3cr:t")
    with Recorder([204]) as server:
        summary = push(store_path, server.url)
    assert summary.graphs_sent == 3
    expected = "Basic " + base64.b64encode(b"ann:s3cr:t").decode()
    with Store(store_path, read_only=True) as store:
        graphs = store.graphs()
    assert [parse_qs(urlsplit(r["path"]).query)["graph"][0] for r in server.requests] == graphs
    for request in server.requests:
        assert request["headers"]["Authorization"] == expected
        assert request["headers"]["Content-Type"] == "application/n-triples"
        assert len(list(ox.parse(request["body"], format=ox.RdfFormat.N_TRIPLES))) > 0


@pytest.mark.server
def test_bearer_token_wins_over_basic(store_path, monkeypatch):
    monkeypatch.setenv("KG_PUSH_TOKEN", "tok-123")
    monkeypatch.setenv("KG_PUSH_USER", "ann")
    with Recorder([201]) as server:
        push(store_path, server.url)
    assert {r["headers"]["Authorization"] for r in server.requests} == {"Bearer tok-123"}


@pytest.mark.server
def test_5xx_is_retried_with_backoff_then_succeeds(store_path, monkeypatch):
    monkeypatch.delenv("KG_PUSH_TOKEN", raising=False)
    monkeypatch.delenv("KG_PUSH_USER", raising=False)
    with Recorder([503, 502, 204]) as server:
        summary = push(store_path, server.url, retries=3, backoff=0.01)
    assert summary.ok and summary.graphs_sent == 3 and summary.attempts == 5
    assert all("Authorization" not in r["headers"] for r in server.requests)


@pytest.mark.server
def test_refusing_server_is_a_push_error_with_the_status(store_path):
    before = local_quads(store_path)
    with Recorder([401]) as server:
        with pytest.raises(PushError) as err:
            push(store_path, server.url, backoff=0.01)
    assert server.url in str(err.value) and "401" in str(err.value)
    assert len(server.requests) == 1  # no retry on a refusal
    assert local_quads(store_path) == before


@pytest.mark.server
def test_server_failing_every_graph_is_a_push_error(store_path):
    with Recorder([500]) as server:
        with pytest.raises(PushError, match="took none of 3 graphs.*HTTP 500"):
            push(store_path, server.url, retries=1, backoff=0.01)
    assert len(server.requests) == 6


@pytest.mark.server
def test_cli_push_prints_a_summary_and_fails_on_a_down_server(store_path, oxigraph_server):
    from typer.testing import CliRunner

    from kg_builder.cli import app

    runner = CliRunner()
    ok = runner.invoke(app, ["push", "--endpoint", oxigraph_server + "/store", "--store", str(store_path)])
    assert ok.exit_code == 0, ok.output
    assert "sent 3 graphs" in ok.output
    down = runner.invoke(app, ["push", "--endpoint", f"http://127.0.0.1:{free_port()}/store",
                               "--retries", "0", "--store", str(store_path)])
    assert down.exit_code == 1 and "cannot reach the server" in down.output
