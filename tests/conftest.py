"""Fixtures every test file may use: the spaCy pipeline, the validator and one build of the seed
article, each made once per session because loading them is what takes the time; and
``browser``, a real headless Chromium driven over the DevTools protocol."""
from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def nlp():
    from kg_builder.extract import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def validator():
    from kg_builder.validate import load_validator

    return load_validator()


@pytest.fixture(scope="session")
def seed_article_path(repo_root) -> Path:
    return repo_root / "examples" / "istanbul_talks_2025.txt"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory, seed_article_path, nlp, validator):
    """``BuildResult`` of the seed article built into a fresh folder (``.out_dir``); read it, don't write."""
    from kg_builder.pipeline import build

    return build([seed_article_path], tmp_path_factory.mktemp("seed_build"), nlp=nlp, validator=validator)


# -- a real browser ---------------------------------------------------------------------------
class Page:
    """One Chromium tab over the DevTools protocol, collecting console errors and exceptions."""

    def __init__(self, ws_url: str):
        import websocket  # websocket-client, a test dependency

        self.ws = websocket.create_connection(ws_url, timeout=20)
        self.next_id = 0
        self.errors: list[str] = []
        self.events: list[dict[str, Any]] = []
        for method in ("Runtime.enable", "Log.enable", "Page.enable"):
            self.send(method)

    def _note(self, msg: dict[str, Any]) -> None:
        method, params = msg.get("method"), msg.get("params", {})
        if method == "Runtime.exceptionThrown":
            self.errors.append(json.dumps(params["exceptionDetails"])[:500])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            self.errors.append(json.dumps(params.get("args"))[:500])
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.errors.append(params["entry"]["text"])
        self.events.append(msg)

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self._note(msg)

    def wait_event(self, method: str, timeout: float = 20) -> None:
        if any(e.get("method") == method for e in self.events):
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = json.loads(self.ws.recv())
            self._note(msg)
            if msg.get("method") == method:
                return
        raise TimeoutError(method)

    def js(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_js(self, expression: str, timeout: float = 20) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.1)
        raise TimeoutError(expression)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (Debian package 'chromium')")
    profile = tmp_path / "profile"
    proc = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-extensions", "--disable-sync",
         f"--user-data-dir={profile}", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
         "--window-size=1400,900", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pages: list[Page] = []
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("chromium did not open its DevTools port")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])

        def open_page(url: str) -> Page:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
                tab = next(t for t in json.load(resp) if t["type"] == "page")
            page = Page(tab["webSocketDebuggerUrl"])
            pages.append(page)
            page.send("Page.navigate", url=url)
            page.wait_event("Page.loadEventFired")
            return page

        yield open_page
    finally:
        for page in pages:
            page.ws.close()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """A real Virtuoso 7 on 127.0.0.1 for the whole session (skips when it is not installed)."""
    from _servers import serve_virtuoso

    yield from serve_virtuoso(tmp_path_factory.mktemp("virtuoso"))


@pytest.fixture
def virtuoso(virtuoso_server):
    """The session's Virtuoso with none of our graphs in it."""
    virtuoso_server.drop_our_graphs()
    return virtuoso_server
