"""Push: Graph Store Protocol PUTs to a real `oxigraph serve`, plus auth/retry against a tiny real server."""
from __future__ import annotations

import base64
import logging
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pyoxigraph as ox
import pytest

from _servers import free_port
from _servers import serve_oxigraph as serve
from kg_builder.errors import PushError
from kg_builder.store import Store, push

DATA = Path(__file__).parent / "data" / "store"


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
    """Answers each request with the next scripted status (the last one repeats).

    A status may be ``(status, headers)``; ``challenge`` makes every request without an
    Authorization header get ``401`` with that ``WWW-Authenticate`` value; ``delay`` seconds are
    waited before each answer."""

    def __init__(self, statuses: list, *, challenge: str | None = None, delay: float = 0.0):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                recorder.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                time.sleep(delay)
                if challenge and "Authorization" not in self.headers:
                    status, headers = 401, {"WWW-Authenticate": challenge}
                else:
                    status = recorder.statuses.pop(0) if len(recorder.statuses) > 1 else recorder.statuses[0]
                    status, headers = status if isinstance(status, tuple) else (status, {})
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
                    pass

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
        summary = push(store_path, server.url, auth="basic")
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


# -- authentication: chosen by --auth, or by the server's 401 challenge ------------------------
@pytest.fixture
def no_env_credentials(monkeypatch):
    for name in ("KG_PUSH_TOKEN", "KG_PUSH_USER", "KG_PUSH_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.server
def test_auto_sends_nothing_until_a_basic_challenge_then_basic_from_the_start(store_path, no_env_credentials):
    with Recorder([204], challenge='Basic realm="kg"') as server:
        summary = push(store_path, server.url.replace("http://", "http://ann:pw%40x@"))
    assert summary.ok and summary.graphs_sent == 3
    sent = [r["headers"].get("Authorization") for r in server.requests]
    expected = "Basic " + base64.b64encode(b"ann:pw@x").decode()
    assert sent == [None, expected, expected, expected]  # one challenge, then preemptive


@pytest.mark.server
def test_auth_needs_what_it_names(store_path, no_env_credentials):
    with pytest.raises(PushError, match="--auth digest needs a user"):
        push(store_path, "http://127.0.0.1:9/data", auth="digest")
    with pytest.raises(PushError, match="--auth bearer needs a token in KG_PUSH_TOKEN"):
        push(store_path, "http://127.0.0.1:9/data", auth="bearer")
    with pytest.raises(PushError, match="unknown auth 'kerberos'"):
        push(store_path, "http://127.0.0.1:9/data", auth="kerberos")


@pytest.mark.server
def test_a_401_says_which_scheme_the_server_wants(store_path, no_env_credentials):
    with Recorder([204], challenge='Digest realm="x", nonce="abc", qop="auth"') as server:
        with pytest.raises(PushError) as err:
            push(store_path, server.url, auth="none")
    assert "401" in str(err.value) and "asks for Digest authentication" in str(err.value)
    assert "KG_PUSH_USER" in str(err.value)


# -- secrets never shown, timeouts -------------------------------------------------------------
SECRETS = ("hunter2pw", "tok-Zq9", "k3y-abc")


@pytest.mark.server
def test_secrets_in_the_url_are_redacted_everywhere(store_path, no_env_credentials, caplog):
    caplog.set_level(logging.DEBUG)
    down = f"http://ann:hunter2pw@127.0.0.1:{free_port()}/store?token=tok-Zq9&apikey=k3y-abc&x=1"
    with pytest.raises(PushError) as err:
        push(store_path, down, retries=0)
    assert "ann:***@" in str(err.value) and "token=***" in str(err.value) and "x=1" in str(err.value)
    with Recorder([(404, {})]) as server:
        url = server.url.replace("http://", "http://ann:hunter2pw@") + "?password=tok-Zq9"
        with pytest.raises(PushError) as refused:
            push(store_path, url, auth="basic")
    assert "404" in str(refused.value) and "password=***" in str(refused.value)
    assert "?password=tok-Zq9" in server.requests[0]["path"]  # the server still gets its token
    shown = [str(err.value), repr(err.value), str(refused.value), caplog.text]
    assert "HTTP Request: PUT" in caplog.text  # httpx did log, with the URL scrubbed
    for text in shown:
        for secret in SECRETS:
            assert secret not in text, text


@pytest.mark.server
def test_cli_push_never_prints_a_secret(store_path, no_env_credentials):
    from typer.testing import CliRunner

    from kg_builder.cli import app

    with Recorder([401]) as server:
        url = server.url.replace("http://", "http://ann:hunter2pw@") + "?apikey=k3y-abc"
        result = CliRunner().invoke(app, ["push", "--endpoint", url, "--store", str(store_path)])
    assert result.exit_code == 1 and "401" in result.output
    assert not any(secret in result.output for secret in SECRETS)


@pytest.mark.server
def test_timeout_bounds_each_request(store_path, no_env_credentials):
    with Recorder([204], delay=2.0) as server:
        started = time.monotonic()
        with pytest.raises(PushError, match="no answer within the timeout after 1 attempts"):
            push(store_path, server.url, timeout=0.3, retries=0)
    assert time.monotonic() - started < 2.0
    with pytest.raises(PushError, match="--timeout must be a positive"):
        push(store_path, server.url, timeout=0)


# -- Virtuoso 7: Graph Store Protocol with HTTP Digest -----------------------------------------
def virtuoso_quads(virtuoso) -> set[str]:
    rows = virtuoso.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                           "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/dipkg/')) }")
    return {(r["s"], r["p"], r["o"], r["g"]) for r in rows}


def comparable(path: Path) -> set[tuple[str, str, str, str]]:
    with Store(path, read_only=True) as store:
        return {(q.subject.value, q.predicate.value, q.object.value, q.graph_name.value) for q in store.quads()}


@pytest.mark.server
def test_push_to_virtuoso_answers_its_digest_challenge(store_path, virtuoso, monkeypatch):
    monkeypatch.setenv("KG_PUSH_USER", virtuoso.user)
    monkeypatch.setenv("KG_PUSH_PASSWORD", virtuoso.password)
    monkeypatch.delenv("KG_PUSH_TOKEN", raising=False)
    summary = push(store_path, virtuoso.graph_store)  # auto: Digest found from the 401
    assert summary.ok and summary.graphs_sent == 3
    assert virtuoso_quads(virtuoso) == comparable(store_path)
    again = push(store_path, virtuoso.graph_store, auth="digest", fmt="ttl")
    assert again.ok and virtuoso_quads(virtuoso) == comparable(store_path)  # replaced, not doubled


@pytest.mark.server
def test_virtuoso_refuses_basic_and_wrong_passwords_without_echoing_them(store_path, virtuoso, no_env_credentials):
    url = virtuoso.graph_store.replace("http://", "http://dba:hunter2pw@")
    with pytest.raises(PushError) as wrong:
        push(store_path, url)
    with pytest.raises(PushError) as basic:
        push(store_path, virtuoso.graph_store.replace("http://", "http://dba:dba@"), auth="basic")
    with pytest.raises(PushError) as anonymous:
        push(store_path, virtuoso.graph_store)
    for err in (wrong, anonymous):  # (to Basic credentials Virtuoso answers a bare 401)
        assert "asks for Digest authentication" in str(err.value)
    for err in (wrong, basic, anonymous):
        assert "401" in str(err.value)
        assert "hunter2pw" not in str(err.value) and "dba:dba" not in str(err.value)
    assert "KG_PUSH_USER" in str(anonymous.value)
    assert virtuoso.our_graphs() == set()


@pytest.mark.server
def test_cli_push_to_virtuoso_with_auth_digest(store_path, virtuoso, monkeypatch):
    from typer.testing import CliRunner

    from kg_builder.cli import app

    monkeypatch.setenv("KG_PUSH_USER", "dba")
    monkeypatch.setenv("KG_PUSH_PASSWORD", "dba")
    result = CliRunner().invoke(app, ["push", "--endpoint", virtuoso.graph_store, "--auth", "digest",
                                      "--timeout", "30", "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    assert "sent 3 graphs" in result.output
    assert virtuoso_quads(virtuoso) == comparable(store_path)
