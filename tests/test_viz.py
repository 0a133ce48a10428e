"""kg_builder.viz: GraphML/GEXF read back by NetworkX, static drawings, and the HTML page in a real
headless Chromium driven over the DevTools protocol (console errors, actors shown, click, filters)."""
from __future__ import annotations

import json
import os
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from synthetic_world import article_graphs
from typer.testing import CliRunner

from kg_builder.cli import analysis as cli_analysis
from kg_builder.cli import app
from kg_builder.errors import KGBuilderError
from kg_builder.viz import viz
from kg_builder.viz._layout import LAYOUT_SEED
from kg_builder.viz._page import first_view
from kg_builder.viz._viz import NODE_LABEL_MAX, PHYSICS_MAX_NODES, TOP_ACTORS, TOP_FACTS

DATA = Path(__file__).parent / "data" / "analysis"
SEED = DATA / "seed.trig"
CONDITIONS = DATA / "conditions.trig"
SEED_ACTORS = {"Russia", "Ukraine", "Turkey", "Hakan Fidan", "Dmitry Peskov"}


@pytest.fixture(scope="module")
def seed_views(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("views")
    viz(SEED, out, formats=("html", "graphml", "gexf", "svg", "png"))
    return out


@pytest.mark.parametrize("projection", ["mediation", "demand", "conditioning", "agreement"])
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_read_back_with_labels_and_classes(seed_views: Path, projection: str, fmt: str) -> None:
    g = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(seed_views / f"{projection}.{fmt}")
    assert g.number_of_nodes() > 0 and g.number_of_edges() > 0
    for _, d in g.nodes(data=True):
        assert isinstance(d["label"], str) and d["label"]
        assert d["cls"] in {"Country", "Person", "Organization", "Negotiation", "Demand", "Agreement",
                            "Condition", "Matter"}
        assert d["facts"].startswith("https://w3id.org/dipkg/id/")
    for *_, d in g.edges(data=True):
        assert d["relation"]
    if projection == "mediation":
        assert g.nodes["https://w3id.org/dipkg/id/country/TR"]["label"] == "Turkey"
        assert g.nodes["https://w3id.org/dipkg/id/country/TR"]["cls"] == "Country"


def test_static_drawings(seed_views: Path) -> None:
    for name in ("mediation", "demand", "conditioning", "agreement"):
        root = ET.parse(seed_views / f"{name}.svg").getroot()
        assert root.tag.endswith("svg")
        assert (seed_views / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Turkey" in (seed_views / "mediation.svg").read_text(encoding="utf-8")


def test_html_is_self_contained(seed_views: Path) -> None:
    page = (seed_views / "graph.html").read_text(encoding="utf-8")
    assert "vis-network" in page and "@version 9.1.2" in page  # the bundle is inlined
    lowered = page.lower()
    assert "<script src" not in lowered and "<link" not in lowered
    assert "Hakan Fidan" in page


def _page_data(html_path: Path) -> dict[str, Any]:
    """The JSON the page carries (nodes, edges, vis-network options), as the browser parses it."""
    page = html_path.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match, "the page has no kg-data element"
    return json.loads(match.group(1))


#: A third article in which Russia makes two more demands of Ukraine: three edges one way, one back.
MORE_DEMANDS = """\
@prefix dip: <https://w3id.org/dipkg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/dipkg/id/article/00000000000000d3> {
  <https://w3id.org/dipkg/id/article/00000000000000d3> a schema:NewsArticle ;
    schema:headline "Russia sets out its demands" ; schema:url <https://example.org/news/demands> ;
    schema:datePublished "2025-05-17"^^xsd:date ;
    dip:text "Russia demanded that Ukraine stay neutral. Russia also demanded limits on Ukraine's army." .
  <https://w3id.org/dipkg/id/country/RU> a dip:Country, dip:Actor ; rdfs:label "Russia" .
  <https://w3id.org/dipkg/id/country/UA> a dip:Country, dip:Actor ; rdfs:label "Ukraine" .
  <https://w3id.org/dipkg/id/evidence/00000000000000e1> a dip:Evidence ;
    dip:quote "Russia demanded that Ukraine stay neutral." ;
    dip:inArticle <https://w3id.org/dipkg/id/article/00000000000000d3> .
  <https://w3id.org/dipkg/id/evidence/00000000000000e2> a dip:Evidence ;
    dip:quote "Russia also demanded limits on Ukraine's army." ;
    dip:inArticle <https://w3id.org/dipkg/id/article/00000000000000d3> .
  <https://w3id.org/dipkg/id/demand/00000000000000f1> a dip:Demand ;
    dip:demandedBy <https://w3id.org/dipkg/id/country/RU> ; dip:demandedOf <https://w3id.org/dipkg/id/country/UA> ;
    dip:text "Ukraine stay neutral" ; dip:evidence <https://w3id.org/dipkg/id/evidence/00000000000000e1> .
  <https://w3id.org/dipkg/id/demand/00000000000000f2> a dip:Demand ;
    dip:demandedBy <https://w3id.org/dipkg/id/country/RU> ; dip:demandedOf <https://w3id.org/dipkg/id/country/UA> ;
    dip:text "limits on Ukraine's army" ; dip:evidence <https://w3id.org/dipkg/id/evidence/00000000000000e2> .
}
"""
RU, UA = "https://w3id.org/dipkg/id/country/RU", "https://w3id.org/dipkg/id/country/UA"


@pytest.fixture(scope="module")
def demands_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page of the seed, the Gaza conditions article and MORE_DEMANDS."""
    out = tmp_path_factory.mktemp("demands")
    (out / "more_demands.trig").write_text(MORE_DEMANDS, encoding="utf-8")
    viz([SEED, CONDITIONS, out / "more_demands.trig"], out, formats=("html",))
    return out / "graph.html"


def test_html_nodes_carry_whole_labels_and_positions(demands_page: Path) -> None:
    """The page gets each label whole (it shortens them itself) and a position computed in Python."""
    data = _page_data(demands_page)
    assert any(len(n["label"]) > NODE_LABEL_MAX for n in data["nodes"])  # conditions and matters are long
    actors = {n["label"] for n in data["nodes"] if n["cls"] in {"Country", "Person"}}
    assert SEED_ACTORS <= actors
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"])  # no two on one spot
    # every fact the page points at is written once, with its quotes and articles
    facts = data["facts"]
    assert len({f[0] for f in facts}) == len(facts)
    assert all(0 <= i < len(facts) for x in [*data["nodes"], *data["edges"]] for i in x["f"])
    assert all(q[1] is None or 0 <= q[1] < len(data["articles"]) for f in facts for q in f[5])


def test_html_layout_has_a_fixed_seed(demands_page: Path, tmp_path: Path) -> None:
    data = _page_data(demands_page)
    assert data["options"]["layout"]["randomSeed"] == LAYOUT_SEED
    (tmp_path / "more_demands.trig").write_text(MORE_DEMANDS, encoding="utf-8")
    viz([SEED, CONDITIONS, tmp_path / "more_demands.trig"], tmp_path, formats=("html",))
    assert (tmp_path / "graph.html").read_bytes() == demands_page.read_bytes()  # same graph, same page


def test_html_parallel_edges_bend_apart(demands_page: Path) -> None:
    data = _page_data(demands_page)
    ids = [n["id"] for n in data["nodes"]]
    pairs: dict[frozenset[str], list[dict[str, Any]]] = {}
    for e in data["edges"]:
        e["from"], e["to"] = ids[e["from"]], ids[e["to"]]
        pairs.setdefault(frozenset((e["from"], e["to"])), []).append(e)
    parallel = {k: v for k, v in pairs.items() if len(v) > 1}
    ru_ua = parallel[frozenset((RU, UA))]  # Russia's three demands of Ukraine, Ukraine's one of Russia
    assert sorted(e["from"] for e in ru_ua) == [RU, RU, RU, UA]
    for (a, _), group in ((sorted(k), v) for k, v in parallel.items()):
        # the signed bend, as seen from the pair's first node: all different
        bends = [e["smooth"]["roundness"] * (1 if (e["smooth"]["type"] == "curvedCW") == (e["from"] == a) else -1)
                 for e in group]
        assert len(set(bends)) == len(bends), group
    assert all("smooth" not in e for v in pairs.values() if len(v) == 1 for e in v)


NO_FACTS = """\
@prefix schema: <https://schema.org/> .
<https://w3id.org/dipkg/id/article/00000000000000aa> {
  <https://w3id.org/dipkg/id/article/00000000000000aa> a schema:NewsArticle ; schema:headline "Nothing agreed" .
}
"""


@pytest.mark.browser
def test_page_of_an_article_without_facts_loads_empty(browser: Any, tmp_path: Path) -> None:
    (tmp_path / "none.trig").write_text(NO_FACTS, encoding="utf-8")
    viz(tmp_path / "none.trig", tmp_path, formats=("html", "graphml"))
    assert _page_data(tmp_path / "graph.html")["nodes"] == []
    page = browser((tmp_path / "graph.html").as_uri())
    page.wait_js("document.body.dataset.ready === '1'")
    assert page.js("document.getElementById('counts').textContent") == "0 nodes, 0 edges shown"
    assert page.js("document.querySelector('#article option:last-child').textContent") == "Nothing agreed"
    assert page.errors == []


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KGBuilderError, match="pdf"):
        viz(SEED, tmp_path, formats=("pdf",))


def test_cli_viz(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["viz", str(SEED), "--out", str(tmp_path), "--format", "graphml"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "agreement.graphml", "conditioning.graphml", "demand.graphml", "mediation.graphml"]


# -- a real browser (the ``browser`` fixture is in conftest.py) ------------------------------
@pytest.mark.browser
def test_html_in_chromium_shows_the_seed_actors(browser: Any, seed_views: Path) -> None:
    page = browser((seed_views / "graph.html").as_uri())
    assert page.wait_js("document.body.dataset.loaded === '1'")
    page.wait_js("document.body.dataset.ready === '1'")  # the network laid itself out
    listed = set(page.js("[...document.querySelectorAll('#node-list li')].map(li => li.textContent)"))
    assert SEED_ACTORS <= listed
    drawn = page.js("window.kgNetwork.body.data.nodes.get().map(n => n.label)")
    assert SEED_ACTORS <= set(drawn)
    assert page.js("document.querySelector('#graph canvas') !== null")
    # clicking an actor shows the sentence and article it was read from
    page.js("document.querySelector('#node-list li[data-id$=\"/country/TR\"]').click()")
    details = page.js("document.getElementById('details').textContent")
    assert "talks mediated by Turkey" in details
    assert "Russia and Ukraine meet in Istanbul under Turkish mediation" in details
    # ... and so does an edge (the mediation of the Istanbul talks by Turkey)
    page.js("""(() => { const n = window.kgNetwork, e = n.body.data.edges.get()
        .find(e => e.relation === 'mediatedBy' && e.from.endsWith('/country/TR'));
        n.selectEdges([e.id]); n.emit('click', {nodes: [], edges: [e.id]}); })()""")
    assert "Istanbul talks" in page.js("document.getElementById('details').textContent")
    assert page.errors == []


@pytest.mark.browser
def test_html_filters_by_relation_and_article(browser: Any, tmp_path: Path) -> None:
    viz([SEED, CONDITIONS], tmp_path, formats=("html",))
    page = browser((tmp_path / "graph.html").as_uri())
    page.wait_js("document.body.dataset.loaded === '1'")
    actors = "[...document.querySelectorAll('#node-list li')].map(li => li.textContent)"
    assert {"Turkey", "Qatar", "Israel", "Hakan Fidan"} <= set(page.js(actors))
    # untick mediatedBy: mediators that only mediate drop out
    page.js("document.querySelector('#relations input[value=mediatedBy]').click()")
    shown = set(page.js(actors))
    assert "Hakan Fidan" not in shown and "Qatar" not in shown and "Russia" in shown
    page.js("document.querySelector('#relations input[value=mediatedBy]').click()")
    # one article only: the Gaza article has Israel, Hamas, Qatar and no Turkey
    page.js("""(() => { const s = document.getElementById('article');
        s.value = 'https://w3id.org/dipkg/id/article/5d342516d7704ac0';
        s.dispatchEvent(new Event('change')); })()""")
    shown = set(page.js(actors))
    assert {"Israel", "Hamas", "Qatar"} <= shown and "Turkey" not in shown
    assert page.errors == []


@pytest.mark.browser
def test_html_in_chromium_same_layout_every_time_and_parallel_edges_apart(browser: Any, demands_page: Path
                                                                          ) -> None:
    """Two loads of one page settle to the same positions; the four edges between Russia and Ukraine
    are drawn apart; a shortened label shows its whole text in the tooltip and the panel."""
    settled = []
    for _ in range(2):
        page = browser(demands_page.as_uri())
        page.wait_js("document.body.dataset.ready === '1'")
        assert page.js("window.kgNetwork.getSeed()") == LAYOUT_SEED
        settled.append(_settled_positions(page))
        assert page.errors == []
    assert settled[0] == settled[1]
    # the middle of each RU-UA curve, as vis-network draws it
    mids = page.js("""(() => { const n = window.kgNetwork;
        return n.body.data.edges.get().filter(e => [e.from, e.to].every(x => x.endsWith('/country/RU') || x.endsWith('/country/UA')))
          .map(e => n.body.edges[e.id].edgeType.getPoint(0.5)).map(p => [p.x, p.y]); })()""")
    assert len(mids) == 4
    gaps = [((x0 - x1) ** 2 + (y0 - y1) ** 2) ** 0.5 for i, (x0, y0) in enumerate(mids) for x1, y1 in mids[i + 1:]]
    assert min(gaps) > 15, mids
    node = page.js("""(() => { const n = window.kgNetwork.body.data.nodes.get()
        .find(n => n.label !== n.full); window.kgNetwork.selectNodes([n.id]);
        window.kgNetwork.emit('click', {nodes: [n.id], edges: []}); return n; })()""")
    assert node["title"].endswith(node["full"]) and len(re.sub(" ×[0-9]+$", "", node["label"])) <= NODE_LABEL_MAX
    assert node["label"].startswith(node["full"][:NODE_LABEL_MAX - 1])
    assert node["full"] in page.js("document.getElementById('details').textContent")
    assert page.errors == []


def _settled_positions(page: Any, timeout: float = 20) -> dict[str, Any]:
    """Node positions once the layout has stopped moving (rounded to the pixel)."""
    expr = ("JSON.stringify(Object.entries(window.kgNetwork.getPositions())"
            ".map(([k, p]) => [k, Math.round(p.x), Math.round(p.y)]))")
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        now = page.js(expr)
        if now == last:
            return json.loads(now)
        last = now
        time.sleep(0.5)
    raise TimeoutError("the layout kept moving")


# -- the real build of the seed article ---------------------------------------------------------
def _screenshot(page: Any, path: Path) -> None:
    """The whole graph in view, once the layout has stopped moving, as a 1400x900 PNG."""
    positions = "JSON.stringify(window.kgNetwork.getPositions())"
    deadline, last = time.monotonic() + 20, None
    while time.monotonic() < deadline:
        now = page.js(positions)
        if now == last:
            break
        last = now
        time.sleep(0.5)
    page.js("void window.kgNetwork.fit()")
    time.sleep(0.5)
    page.screenshot(path)


@pytest.mark.browser
def test_html_of_the_real_seed_build_in_chromium(browser: Any, seed_build: Any, seed_article_path: Path,
                                                  tmp_path: Path) -> None:
    """The page of the seed article as the pipeline builds it: loads cleanly, shows the actors, and
    a click shows a sentence of the article. KG_VIZ_SCREENSHOTS=docs/img also writes the README
    screenshots (viz-seed.png settled, viz-seed-evidence.png with Turkey clicked)."""
    article = seed_article_path.read_text(encoding="utf-8")
    viz(seed_build.out_dir / "kg.trig", tmp_path, formats=("html",))
    page = browser((tmp_path / "graph.html").as_uri())
    assert page.wait_js("document.body.dataset.loaded === '1'")
    page.wait_js("document.body.dataset.ready === '1'")
    listed = set(page.js("[...document.querySelectorAll('#node-list li')].map(li => li.textContent)"))
    assert {"Russia", "Ukraine", "Turkey"} <= listed
    assert {"Russia", "Ukraine", "Turkey"} <= set(page.js("window.kgNetwork.body.data.nodes.get().map(n => n.label)"))
    shots = os.environ.get("KG_VIZ_SCREENSHOTS")
    if shots:
        _screenshot(page, Path(shots) / "viz-seed.png")
    # clicking Turkey shows the sentence saying it mediated, quoted from the article
    page.js("document.querySelector('#node-list li[data-id$=\"/country/TR\"]').click()")
    quotes = page.js("[...document.querySelectorAll('#details blockquote')].map(b => b.textContent)")
    assert quotes and all(q in article for q in quotes)
    assert any("Turkish mediators" in q for q in quotes), quotes
    details = page.js("document.getElementById('details').textContent")
    assert "Putin-Zelensky talks 'possible'" in details  # the article it was read from
    if shots:
        time.sleep(1.0)  # the focus animation; the shot then zooms back out, Turkey still selected
        _screenshot(page, Path(shots) / "viz-seed-evidence.png")
    # clicking Russia shows, among its facts, the demand that Ukraine withdraw
    page.js("document.querySelector('#node-list li[data-id$=\"/country/RU\"]').click()")
    quotes = page.js("[...document.querySelectorAll('#details blockquote')].map(b => b.textContent)")
    assert any("withdrawal of Ukrainian forces" in q for q in quotes) and all(q in article for q in quotes)
    assert page.errors == []


# -- hostile text: control characters and markup from articles ----------------------------------
HOSTILE = Path(__file__).parent / "data" / "hostile" / "hostile.trig"
#: Characters XML 1.0 cannot hold or a terminal would act on; none may reach a view.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")


def _check_views(out: Path) -> None:
    """Every view parses: GraphML/GEXF by lxml and NetworkX, SVG by lxml, the page's JSON by json."""
    from lxml import etree

    for path in sorted(out.glob("*.graphml")) + sorted(out.glob("*.gexf")) + sorted(out.glob("*.svg")):
        assert path.stat().st_size > 0, path
        etree.parse(str(path))  # raises on anything that is not well-formed XML
        assert not UNSAFE.search(path.read_text(encoding="utf-8")), path
    for path in out.glob("*.graphml"):
        nx.read_graphml(path)
    for path in out.glob("*.gexf"):
        nx.read_gexf(path)
    data = _page_data(out / "graph.html")
    assert not UNSAFE.search(json.dumps(data, ensure_ascii=False))
    assert not list(out.glob(".*.tmp")), "a temporary file was left behind"


def test_hostile_rdf_gives_views_that_parse_in_every_format(tmp_path: Path) -> None:
    """RDF made elsewhere may carry a form feed, NUL, ESC sequences, U+FFFE or mathtext: each view
    is still written whole and parses (a form feed once crashed GraphML and broke GEXF and SVG)."""
    result = CliRunner().invoke(app, ["viz", str(HOSTILE), "--out", str(tmp_path), "--format", "graphml",
                                      "--format", "gexf", "--format", "svg", "--format", "html", "--format", "png"])
    assert result.exit_code == 0, result.output
    _check_views(tmp_path)
    demand = nx.read_graphml(tmp_path / "demand.graphml")
    labels = {d["label"] for _, d in demand.nodes(data=True)}
    assert any(label.startswith("Rus sia <img") for label in labels), labels  # shown as text, blanked
    data = _page_data(tmp_path / "graph.html")
    assert [a[2] for a in data["articles"]] == [None]  # javascript: is never a link


@pytest.fixture(scope="module")
def hostile_build_views(tmp_path_factory: pytest.TempPathFactory, seed_article_path: Path, nlp: Any,
                        validator: Any) -> Path:
    """The real pipeline on the seed article with control characters inside sentences that become
    facts, then every view of it; returns the views folder."""
    from kg_builder.pipeline import build

    tmp_path = tmp_path_factory.mktemp("hostile_build")
    text = seed_article_path.read_text(encoding="utf-8")
    hostile = (text.replace("Turkish mediators", "Turkish\x0cmediators\x1b[31m\x1b]0;owned\x07")
                   .replace("withdrawal of", "withdrawal\x00\ufffe of", 1).replace("Istanbul", "Istan\x9bbul", 1))
    assert hostile != text
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "hostile.txt").write_text(hostile, encoding="utf-8")
    result = build([tmp_path / "in"], tmp_path / "out", nlp=nlp, validator=validator, keep=True)
    assert result.built and not result.quarantined and not result.errors
    [facts] = result.facts
    assert "Turkish mediators" in facts.article.text  # the form feed became a space
    for ev in (e for n in facts.negotiations for e in n.evidence):
        assert facts.article.text[ev.start:ev.end] == ev.quote
    viz(tmp_path / "out" / "kg.trig", tmp_path / "views", formats=("html", "graphml", "gexf", "svg", "png"))
    return tmp_path / "views"


def test_build_with_control_characters_then_viz_in_every_format(hostile_build_views: Path) -> None:
    _check_views(hostile_build_views)
    assert "Turkey" in (hostile_build_views / "mediation.svg").read_text(encoding="utf-8")


@pytest.mark.browser
def test_html_of_a_build_with_control_characters_loads_in_chromium(browser: Any, hostile_build_views: Path) -> None:
    page = browser((hostile_build_views / "graph.html").as_uri())
    assert page.wait_js("document.body.dataset.loaded === '1'")
    listed = page.js("[...document.querySelectorAll('#node-list li')].map(li => li.textContent)")
    assert {"Russia", "Ukraine", "Turkey"} <= set(listed)
    assert page.errors == []


@pytest.mark.browser
def test_html_of_hostile_rdf_runs_no_script_and_links_no_javascript(browser: Any, tmp_path: Path) -> None:
    viz(HOSTILE, tmp_path, formats=("html",))
    page = browser((tmp_path / "graph.html").as_uri())
    page.wait_js("document.body.dataset.loaded === '1'")
    listed = page.js("[...document.querySelectorAll('#node-list li')].map(li => li.textContent)")
    assert any("<img src=x" in name for name in listed)  # markup shown as text
    page.js("document.querySelector('#node-list li[data-id$=\"/country/RU\"]').click()")
    hrefs = page.js("[...document.querySelectorAll('#details a')].map(a => a.getAttribute('href'))")
    # the javascript: URL is dropped: the link goes to the article's IRI instead
    assert hrefs and all(h.startswith("https://w3id.org/dipkg/id/article/") for h in hrefs), hrefs
    assert page.js("document.querySelectorAll('#details img, #details script').length") == 0
    assert page.js("typeof window.pwned") == "undefined"
    assert "pwned" not in page.js("document.title")


# -- at scale: a synthetic archive of 3,000 articles (tests/synthetic_world.py) ----------------------
LARGE = 3000


@pytest.fixture(scope="module")
def large_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page of 3,000 synthetic articles (about 300 actors, 6,000 facts), written by ``viz``."""
    out = tmp_path_factory.mktemp("large")
    viz(article_graphs(LARGE), out, formats=("html",))
    return out / "graph.html"


def test_large_page_is_laid_out_in_python_with_physics_off(large_page: Path) -> None:
    data = _page_data(large_page)
    assert len(data["articles"]) == LARGE
    assert len(data["nodes"]) > PHYSICS_MAX_NODES
    assert data["options"]["physics"] == {"enabled": False}
    assert data["view"] == {"top": TOP_ACTORS, "topFacts": TOP_FACTS, "physics": False, "labelMax": NODE_LABEL_MAX}
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    # the same talks reported by several articles are one node holding every report
    merged = [n for n in data["nodes"] if n["cls"] == "Negotiation" and len(n["f"]) > 1]
    assert merged
    for n in merged:
        assert {data["facts"][i][2] for i in n["f"]} == {n["label"]}
        assert len({a for i in n["f"] for a in data["facts"][i][4]}) == len(n["f"])  # one per article
    # each fact is written once: the page grows with the facts, not with the nodes drawing them
    assert len(data["facts"]) == len({f[0] for f in data["facts"]}) == 2 * LARGE
    assert large_page.stat().st_size < 5_000_000  # 11 MB when each node and edge carried its facts and articles


def test_page_options_are_checked_and_configurable(tmp_path: Path) -> None:
    with pytest.raises(KGBuilderError, match="top_actors"):
        viz(SEED, tmp_path, formats=("html",), top_actors=-1)
    with pytest.raises(KGBuilderError, match="top_facts must be 0 or more, not -3"):
        viz(SEED, tmp_path, formats=("html",), top_facts=-3)
    viz(SEED, tmp_path, formats=("html",), top_actors=2, top_facts=0, physics_max_nodes=0)
    data = _page_data(tmp_path / "graph.html")
    assert data["view"]["top"] == 2 and data["view"]["topFacts"] == 0 and data["view"]["physics"] is False
    assert data["options"]["physics"] == {"enabled": False}
    result = CliRunner().invoke(app, ["viz", str(SEED), "--out", str(tmp_path), "--format", "html",
                                      "--top", "3", "--top-facts", "7", "--physics-max", "1000"])
    assert result.exit_code == 0, result.output
    assert _page_data(tmp_path / "graph.html")["view"] == {"top": 3, "topFacts": 7, "physics": True,
                                                           "labelMax": NODE_LABEL_MAX}
    # the CLI's defaults are the library's
    assert (cli_analysis.TOP_ACTORS, cli_analysis.TOP_FACTS, cli_analysis.PHYSICS_MAX_NODES) == (
        TOP_ACTORS, TOP_FACTS, PHYSICS_MAX_NODES)


_ACTORS_DRAWN = ("window.kgNetwork.body.data.nodes.get()"
                 ".filter(n => ['Country', 'Person', 'Organization', 'Actor'].includes(n.cls))")


@pytest.mark.browser
def test_large_page_in_chromium_is_ready_still_and_filters(browser: Any, large_page: Path) -> None:
    """3,000 articles: drawn where Python placed them (nothing moves after the ready flag), the 30
    most connected actors first with a note of how many are hidden, and every filter changes what
    is drawn, to what it says."""
    page = browser(large_page.as_uri())
    page.wait_js("document.body.dataset.ready === '1'")
    assert page.js("window.kgNetwork.physics.physicsEnabled") is False
    before = _settled_positions(page)
    data = _page_data(large_page)
    placed = {n["id"]: [n["x"], n["y"]] for n in data["nodes"]}
    assert all(placed[k] == [x, y] for k, x, y in before)  # as computed in Python
    # the default view: the most connected actors, and a note of the hidden ones
    drawn = page.js(f"{_ACTORS_DRAWN}.map(n => n.deg)")
    assert len(drawn) == TOP_ACTORS
    all_degrees = sorted((n["deg"] for n in data["nodes"] if n["cls"] in {"Country", "Person", "Organization"}),
                         reverse=True)
    assert sorted(drawn, reverse=True) == all_degrees[:TOP_ACTORS]
    hidden = int(page.js("document.body.dataset.hiddenActors"))
    assert hidden == len(all_degrees) - TOP_ACTORS
    assert f"{hidden} hidden" in page.js("document.getElementById('hidden').textContent")
    shown_default = page.js("window.kgNetwork.body.data.nodes.length")
    assert TOP_ACTORS < shown_default < len(data["nodes"]) / 2
    # ... and of the facts among them, the most reported (fact nodes and demands between actors)
    hidden_facts = int(page.js("document.body.dataset.hiddenFacts"))
    assert hidden_facts > 0 and f"{hidden_facts} hidden" in page.js("document.getElementById('hidden').textContent")
    fact_nodes = page.js("window.kgNetwork.body.data.nodes.get().filter(n => !['Country', 'Person', "
                         "'Organization', 'Actor', 'Matter'].includes(n.cls)).map(n => n.facts.length)")
    demands = page.js("window.kgNetwork.body.data.edges.get().filter(e => e.relation === 'demandedOf')"
                      ".map(e => e.facts.length)")
    assert len(fact_nodes) + len(demands) == TOP_FACTS
    assert max(fact_nodes) == max(len(n["f"]) for n in data["nodes"] if n["cls"] == "Negotiation")
    # the page's rule and the one the Python layout planned for are the same
    ids = [n["id"] for n in data["nodes"]]
    actor_ids = [n["id"] for n in data["nodes"] if n["cls"] in {"Country", "Person", "Organization", "Actor"}]
    by_id = {n["id"]: (i, n) for i, n in enumerate(data["nodes"])}
    focus = sorted(actor_ids, key=lambda a: (-by_id[a][1]["deg"], -len(by_id[a][1]["f"]), by_id[a][0]))[:TOP_ACTORS]
    planned = first_view(ids, [(ids[e["from"]], ids[e["to"]], len(e["f"])) for e in data["edges"]],
                         actors=set(actor_ids), facts={n["id"] for n in data["nodes"] if n["cls"] not in
                                                       {"Country", "Person", "Organization", "Actor", "Matter"}},
                         focus=set(focus), reports={n["id"]: len(n["f"]) for n in data["nodes"]},
                         degree={n["id"]: n["deg"] for n in data["nodes"]}, top_facts=TOP_FACTS)
    assert set(planned) == set(page.js("window.kgNetwork.body.data.nodes.getIds()"))

    def drawn_facts() -> set[int]:
        return set(page.js("[].concat(...window.kgNetwork.body.data.nodes.get().map(n => n.facts))"))

    # a hidden actor picked from the list is drawn with its facts
    hidden_id = page.js("document.querySelector('#hidden-list li').dataset.id")
    assert hidden_id not in page.js("window.kgNetwork.body.data.nodes.getIds()")
    page.js("document.querySelector('#hidden-list li').click()")
    assert hidden_id in page.js("window.kgNetwork.body.data.nodes.getIds()")
    assert page.js("document.body.dataset.hiddenActors") == str(hidden - 1)
    assert hidden_id in page.js("[...document.querySelectorAll('#node-list li')].map(li => li.dataset.id)")
    its_facts = page.js(f"window.kgNetwork.body.data.edges.get().filter(e => [e.from, e.to].includes("
                        f"{json.dumps(hidden_id)})).length")
    assert its_facts > 0
    shown_pinned = page.js("window.kgNetwork.body.data.nodes.length")
    # one article: only what it reports
    article = data["articles"][LARGE // 2]
    page.js(f"""(() => {{ const s = document.getElementById('article'); s.value = {json.dumps(article[0])};
        s.dispatchEvent(new Event('change')); }})()""")
    in_article = {i for i, f in enumerate(data["facts"]) if LARGE // 2 in f[4]}
    assert in_article and in_article <= drawn_facts()
    names = page.js("window.kgNetwork.body.data.nodes.get().map(n => n.id)")
    assert all(any(i in in_article for i in placed_f) for placed_f in
               (next(n["f"] for n in data["nodes"] if n["id"] == name) for name in names))
    assert page.js("document.getElementById('hidden').textContent") == ""
    page.js("(() => { const s = document.getElementById('article'); s.value = '';"
            " s.dispatchEvent(new Event('change')); })()")
    assert page.js("window.kgNetwork.body.data.nodes.length") == shown_pinned
    # a month of dates: every node drawn has a fact of that month
    page.js("""(() => { for (const [id, v] of [['from', '2024-03-01'], ['to', '2024-03-31']]) {
        const b = document.getElementById(id); b.value = v; b.dispatchEvent(new Event('change')); } })()""")
    march = page.js("window.kgNetwork.body.data.nodes.get().map(n => n.facts)")
    assert 0 < len(march) < shown_default + 200
    assert all(any("2024-03-01" <= (data["facts"][i][3] or "") <= "2024-03-31" for i in fs) for fs in march)
    page.js("""(() => { for (const id of ['from', 'to']) { const b = document.getElementById(id); b.value = '';
        b.dispatchEvent(new Event('change')); } })()""")
    # a relation unticked: none of its edges drawn
    page.js("document.querySelector('#relations input[value=demandedOf]').click()")
    assert "demandedOf" not in page.js("window.kgNetwork.body.data.edges.get().map(e => e.relation)")
    page.js("document.querySelector('#relations input[value=demandedOf]').click()")
    # every actor: none hidden
    page.js("(() => { const t = document.getElementById('top'); t.value = '0'; t.dispatchEvent(new Event('change')); })()")
    assert len(page.js(f"{_ACTORS_DRAWN}.map(n => n.id)")) == len(all_degrees)
    assert page.js("document.body.dataset.hiddenActors") == "0"
    # and a click on the most connected actor shows its facts and sentences
    top_id = max((n for n in data["nodes"] if n["cls"] in {"Country", "Person", "Organization"}),
                 key=lambda n: n["deg"])["id"]
    page.js(f"document.querySelector('#node-list li[data-id=\"{top_id}\"]').click()")
    assert page.js("document.querySelectorAll('#details blockquote').length") > 0
    assert page.errors == []
