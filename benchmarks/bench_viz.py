"""The HTML view at scale: time to write the page, its size, and its time to settle in headless Chromium.

    python benchmarks/bench_viz.py [N ...] [--source RDF ...] [--runs R] [--shots DIR]

Pages measured: the synthetic archive of N distinct articles for each N (default 3000;
tests/synthetic_world.py: Zipf-popular actors, 2 facts per article), and each ``--source`` given
(RDF files or folders, e.g. the kg.nq of a real ``build``). For each page it prints:

- write: seconds ``viz`` takes to write graph.html (load, projections, grouping, layout);
- size: the page in MB;
- settle: ms from navigation start to the page's ready flag, as the page measures it
  (``window.kgReadyMs``: above the physics threshold, the first frame drawn at the Python layout;
  below, vis-network's stabilisation), median of R loads in a fresh tab; then it checks that no
  node moves any more (positions read twice, 0.5 s apart);
- filter: ms for the page to redraw after picking one article, then after going back to all;
- nodes/edges drawn in the first view, of all nodes/edges on the page.

``--shots DIR`` also saves a 1400x900 screenshot of each page's first view (``viz-<N>-synthetic.png``,
``viz-<articles>.png`` for a source; docs/img has those of 3,000 articles). Not a test.
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from chromium import chromium  # noqa: E402  (tests/chromium.py)

from kg_builder.viz import viz  # noqa: E402

_FILTER = """(async () => {
  const s = document.getElementById('article'), t0 = performance.now();
  s.value = %s; s.dispatchEvent(new Event('change'));
  await new Promise(r => window.kgNetwork.once('afterDrawing', r));
  const one = performance.now() - t0, t1 = performance.now();
  s.value = ''; s.dispatchEvent(new Event('change'));
  await new Promise(r => window.kgNetwork.once('afterDrawing', r));
  return [one, performance.now() - t1];
})()"""


def measure(html: Path, runs: int, shot: Path | None) -> dict[str, float]:
    settle = []
    with chromium() as open_page:
        for _ in range(runs):
            page = open_page(html.resolve().as_uri())
            page.wait_js("document.body.dataset.ready === '1'", timeout=120)
            settle.append(page.js("window.kgReadyMs"))
        positions = "JSON.stringify(window.kgNetwork.getPositions())"
        first = page.js(positions)
        time.sleep(0.5)
        still = first == page.js(positions)
        shown = page.js("[window.kgNetwork.body.data.nodes.length, window.kgNetwork.body.data.edges.length]")
        data = json.loads(page.js("document.getElementById('kg-data').textContent"))
        if shot:
            page.screenshot(shot)
        article = json.dumps(data["articles"][len(data["articles"]) // 2][0])
        result = page.send("Runtime.evaluate", expression=_FILTER % article, awaitPromise=True, returnByValue=True)
        one, back = result["result"]["value"]
        errors = page.errors
    return {"settle_ms": statistics.median(settle), "settle_runs": settle, "still": still,
            "nodes_shown": shown[0], "edges_shown": shown[1], "nodes": len(data["nodes"]), "edges": len(data["edges"]),
            "filter_one_ms": one, "filter_all_ms": back, "errors": len(errors)}


def main(argv: list[str]) -> None:
    sizes, sources, runs, shots = [], [], 3, None
    args = iter(argv)
    for arg in args:
        if arg == "--source":
            sources.append(Path(next(args)))
        elif arg == "--runs":
            runs = int(next(args))
        elif arg == "--shots":
            shots = Path(next(args))
            shots.mkdir(parents=True, exist_ok=True)
        else:
            sizes.append(int(arg))
    if not sizes and not sources:
        sizes = [3000]
    from synthetic_world import article_graphs

    pages: list[tuple[str, object]] = [(f"synthetic-{n}", n) for n in sizes] + [(str(s), s) for s in sources]
    with tempfile.TemporaryDirectory() as tmp:
        for name, what in pages:
            source = article_graphs(what) if isinstance(what, int) else what
            out = Path(tmp) / name.replace("/", "_")
            t0 = time.perf_counter()
            viz(source, out, formats=("html",))
            write = time.perf_counter() - t0
            html = out / "graph.html"
            shot = None
            if shots:  # docs/img/viz-3000.png (a real build), viz-3000-synthetic.png
                n_articles = html.read_text(encoding="utf-8").count('["https://w3id.org/dipkg/id/article/')
                shot = shots / (f"viz-{what}-synthetic.png" if isinstance(what, int) else f"viz-{n_articles}.png")
            m = measure(html, runs, shot)
            print(f"{name}: write {write:.2f} s, size {html.stat().st_size / 1e6:.2f} MB, "
                  f"settle {m['settle_ms']:.0f} ms (runs {', '.join(f'{x:.0f}' for x in m['settle_runs'])}; "
                  f"{'still' if m['still'] else 'STILL MOVING'} after), filter one article "
                  f"{m['filter_one_ms']:.0f} ms, back to all {m['filter_all_ms']:.0f} ms; first view "
                  f"{m['nodes_shown']}/{m['nodes']} nodes, {m['edges_shown']}/{m['edges']} edges; "
                  f"{m['errors']} console errors")


if __name__ == "__main__":
    main(sys.argv[1:])
