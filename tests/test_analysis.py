"""kg_builder.analysis on the real build of the seed article (issue 5's "Done when") and, for the
mechanics, on hand-written TriG fixtures (tests/data/analysis/) that follow docs/rdf-mapping.md.

seed.trig is shaped like the seed article (Istanbul talks, Turkish mediation, Russia's conditions,
demands both ways, a prisoner exchange); conditions.trig holds a chain and a deadlock.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from typer.testing import CliRunner

from kg_builder.analysis import (
    AnalysisReport,
    agreement_graph,
    analyse,
    brokerage,
    conditioning_graph,
    demand_graph,
    load_facts,
    match,
    mediation_graph,
    terms,
)
from kg_builder.cli import app
from kg_builder.errors import SourceError

DATA = Path(__file__).parent / "data" / "analysis"
SEED = DATA / "seed.trig"
CONDITIONS = DATA / "conditions.trig"
RES = "https://w3id.org/dipkg/id/"
DIP = rdflib.Namespace("https://w3id.org/dipkg/ontology#")


@pytest.fixture(scope="module")
def seed_report() -> AnalysisReport:
    return analyse(SEED)


@pytest.fixture(scope="module")
def cond_report() -> AnalysisReport:
    return analyse(CONDITIONS)


def _fact_iris(*paths: Path) -> set[str]:
    ds = rdflib.Dataset()
    for p in paths:
        ds.parse(p, format="trig")
    classes = {DIP.Negotiation, DIP.Demand, DIP.Agreement, DIP.Condition, DIP.Delegation}
    return {str(s) for s, _, o, _ in ds.quads((None, rdflib.RDF.type, None, None)) if o in classes}


def _all_fact_lists(node: object) -> list[list[str]]:
    """Every ``facts`` list anywhere in the JSON report."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "facts" and isinstance(v, list):
                out.append(v)
            else:
                out += _all_fact_lists(v)
    elif isinstance(node, list):
        for v in node:
            out += _all_fact_lists(v)
    return out


# -- the seed article ------------------------------------------------------------------------
def test_seed_report_names_turkey_as_mediator_between_russia_and_ukraine(seed_report: AnalysisReport) -> None:
    pairs = {tuple(p["labels"]): p for p in seed_report.mediated_pairs}
    assert ("Russia", "Ukraine") in pairs
    row = pairs[("Russia", "Ukraine")]
    assert "Turkey" in [m["label"] for m in row["mediators"]]
    assert row["facts"] == [RES + "negotiation/8fcb7dd83bc89f57"]
    turkey = next(m for m in seed_report.mediators if m["label"] == "Turkey")
    assert (turkey["talks"], turkey["pairs"]) == (1, 1)
    # the person mediator is listed with the state she serves
    fidan = next(m for m in seed_report.mediators if m["label"] == "Hakan Fidan")
    assert [a["label"] for a in fidan["affiliations"]] == ["Turkey"]
    md = seed_report.to_markdown()
    line = next(ln for ln in md.splitlines() if ln.startswith("| Russia – Ukraine |"))
    assert "Turkey" in line and RES + "negotiation/8fcb7dd83bc89f57" in line


def test_seed_report_lists_russias_conditions(seed_report: AnalysisReport) -> None:
    russia = next(a for a in seed_report.conditions["by_actor"] if a["label"] == "Russia")
    got = {(c["applies_to"], c["requires"]) for c in russia["conditions"]}
    assert got == {("meeting between Putin and Zelensky", "progress in the talks"),
                   ("ceasefire", "withdrawal of Ukrainian troops from the four regions")}
    assert set(russia["facts"]) == {RES + "condition/dc933b506ddbbd96", RES + "condition/be16665d917b58d3"}
    md = seed_report.to_markdown()
    assert "**Russia** sets **2**" in md
    assert "| meeting between Putin and Zelensky | progress in the talks |" in md
    assert "| ceasefire | withdrawal of Ukrainian troops from the four regions |" in md


def test_every_number_links_to_facts_of_the_graph(seed_report: AnalysisReport, cond_report: AnalysisReport) -> None:
    known = _fact_iris(SEED, CONDITIONS)
    for report in (seed_report, cond_report):
        lists = _all_fact_lists(json.loads(report.to_json()))
        assert lists, "the report lists no facts at all"
        for facts in lists:
            assert set(facts) <= known
    # counts equal the number of facts they were counted from
    for m in seed_report.mediators:
        assert m["talks"] == len(m["facts"])
    for row in seed_report.demands["most_demanding"] + seed_report.demands["most_demanded_of"]:
        assert row["count"] == len(row["facts"]) > 0


def test_reciprocal_demands_and_demand_met_by_agreement(seed_report: AnalysisReport) -> None:
    d = seed_report.demands
    assert d["reciprocal_found"] == 1
    rec = d["reciprocal"][0]
    assert set(rec["labels"]) == {"Russia", "Ukraine"}
    assert set(rec["facts"]) == {RES + "demand/03a75a7d361bcce3", RES + "demand/3769d52dc6fb4dd4"}
    assert [(m["demand"], m["agreement"]) for m in d["met"]] == [
        (RES + "demand/3769d52dc6fb4dd4", RES + "agreement/a2b7da4da534ebed")]
    assert "prisoner-exchange" in d["met"][0]["reason"]
    # Russia's withdrawal demand is not met by a prisoner exchange
    assert RES + "demand/03a75a7d361bcce3" not in {m["demand"] for m in d["met"]}


# -- conditions: chains, blocks, deadlocks ---------------------------------------------------
def test_condition_chain_is_found_across_wordings(cond_report: AnalysisReport) -> None:
    chains = cond_report.conditions["chains"]
    assert [c["matters"] for c in chains] == [
        ["end of the war", "release of all hostages", "withdrawal of Israeli forces", "disarmament of Hamas"]]
    assert chains[0]["facts"] == [RES + "condition/3a04a137763d3535", RES + "condition/980a336227988f99",
                                  RES + "condition/f44a43f7f78b8a92"]
    assert set(chains[0]["actor_labels"]) == {"Israel", "Hamas"}


def test_what_an_actors_conditions_block(cond_report: AnalysisReport) -> None:
    hamas = next(a for a in cond_report.conditions["by_actor"] if a["label"] == "Hamas")
    blocks = [b["label"] for b in hamas["conditions"][0]["blocks"]]
    # Hamas holds back the hostages' release, and with it the end of the war that waits on it
    assert blocks[0] in ("release of all hostages", "release of the hostages")
    assert "end of the war" in blocks
    assert hamas["blocked"] == 2


def test_deadlock_needs_two_sides(cond_report: AnalysisReport) -> None:
    dls = cond_report.conditions["deadlocks"]
    assert len(dls) == 1
    assert set(dls[0]["actor_labels"]) == {"Russia", "Ukraine"}
    assert set(dls[0]["facts"]) == {RES + "condition/87e1bf64f505b14c", RES + "condition/e6ef9f1aab549d37"}
    assert "deadlock" not in json.dumps(cond_report.conditions["chains"])
    assert "### Deadlocks (1 found)" in cond_report.to_markdown()


def test_one_sided_cycle_is_not_a_deadlock(tmp_path: Path) -> None:
    text = CONDITIONS.read_text(encoding="utf-8").replace(
        "dip:setBy <https://w3id.org/dipkg/id/country/UA>", "dip:setBy <https://w3id.org/dipkg/id/country/RU>")
    path = tmp_path / "one_sided.trig"
    path.write_text(text, encoding="utf-8")
    assert analyse(path).conditions["deadlocks"] == []


def test_term_rule() -> None:
    assert terms("Progress in the talks") == {"progress", "talk"}
    assert match(terms("a ceasefire"), terms("full ceasefire"))
    assert match(terms("withdrawal of Israeli forces"), terms("withdrawal of Israeli forces from Gaza"))
    assert not match(terms("ceasefire in Gaza"), terms("release of hostages in Gaza"))
    assert not match(terms(""), terms("ceasefire"))


# -- brokerage ------------------------------------------------------------------------------
def test_shuttle_mediator_ranks_first_in_brokerage(cond_report: AnalysisReport) -> None:
    b = cond_report.brokerage
    assert b["method"] == "exact" and b["k"] is None
    assert b["scores"][0]["label"] == "Qatar" and b["scores"][0]["score"] > 0
    assert "Method: **exact**" in cond_report.to_markdown()


def test_brokerage_is_sampled_above_the_threshold() -> None:
    idx = load_facts([SEED, CONDITIONS])
    b = brokerage(idx, exact_max_nodes=3)
    assert (b["method"], b["k"], b["seed"]) == ("sampled", b["nodes"], 42)
    assert b == brokerage(idx, exact_max_nodes=3)  # fixed seed: same numbers twice
    assert b["scores"][0]["label"] == "Qatar"


# -- projections ----------------------------------------------------------------------------
def test_projections_carry_label_cls_facts_articles() -> None:
    article = RES + "article/b9c77fd19c1580c7"
    for build in (mediation_graph, demand_graph, conditioning_graph, agreement_graph):
        g = build(SEED)
        assert g.number_of_nodes() > 0 and g.number_of_edges() > 0, build.__name__
        for _, d in g.nodes(data=True):
            assert d["label"] and d["cls"] and d["facts"] and d["articles"] == [article]
        for *_, d in g.edges(data=True):
            assert d["label"] and d["relation"] and d["facts"] and d["articles"] == [article]
    med = mediation_graph(SEED)
    talks = RES + "negotiation/8fcb7dd83bc89f57"
    assert med.nodes[RES + "country/TR"]["cls"] == "Country"
    assert med.edges[RES + "country/TR", talks]["relation"] == "mediatedBy"
    assert med.edges[RES + "country/RU", talks]["relation"] == "participant"
    dem = demand_graph(SEED)
    assert {d["label"] for *_, d in dem.edges(data=True)} == {
        "withdrawal of Ukrainian troops from four regions", "exchange of all prisoners"}
    cond = conditioning_graph(CONDITIONS)
    deps = nx.DiGraph((u, v) for u, v, d in cond.edges(data=True) if d["relation"] == "dependsOn")
    labels = {n: cond.nodes[n]["label"] for n in deps}
    assert any(len(c) == 2 and {labels[n] for n in c} == {"ceasefire", "negotiations on territory"}
               for c in nx.simple_cycles(deps))
    agr = agreement_graph(SEED)
    assert agr.edges[RES + "agreement/a2b7da4da534ebed", talks]["relation"] == "reachedIn"


# -- sources --------------------------------------------------------------------------------
def _summary(report: AnalysisReport) -> tuple:
    return (report.counts, report.mediated_pairs, report.conditions["by_actor"], report.demands)


def test_same_answers_from_files_rdflib_and_store(tmp_path: Path, seed_report: AnalysisReport) -> None:
    from kg_builder.store import Store

    ds = rdflib.Dataset()
    ds.parse(SEED, format="trig")
    assert _summary(analyse(ds)) == _summary(seed_report)

    nq = tmp_path / "seed.nq"
    nq.write_bytes(ox.serialize(ox.parse(path=str(SEED)), format=ox.RdfFormat.N_QUADS))
    assert _summary(analyse(nq)) == _summary(seed_report)

    path = tmp_path / "store"
    with Store(path) as store:
        for g in ds.graphs():
            if len(g) and isinstance(g.identifier, rdflib.URIRef) and "article/" in str(g.identifier):
                store.replace_graph(str(g.identifier), g)
        assert _summary(analyse(store)) == _summary(seed_report)
    assert _summary(analyse(path)) == _summary(seed_report)  # a store folder, opened read-only


def test_writes_each_format(tmp_path: Path) -> None:
    for fmt in ("markdown", "json", "table"):
        out = tmp_path / f"report.{fmt}"
        analyse(SEED, fmt=fmt, out=out)
        text = out.read_text(encoding="utf-8")
        assert "Turkey" in text and "Russia" in text
    assert json.loads((tmp_path / "report.json").read_text())["counts"]["negotiations"] == 1
    with pytest.raises(ValueError, match="unknown report format"):
        analyse(SEED, fmt="pdf")  # type: ignore[arg-type]


def test_bad_sources_name_the_input(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="missing.trig"):
        analyse(tmp_path / "missing.trig")
    bad = tmp_path / "bad.trig"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(SourceError, match="bad.trig"):
        analyse(bad)
    with pytest.raises(SourceError, match="bad.trig"):
        analyse(tmp_path)  # a folder is read file by file


def test_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="neither a store nor RDF files"):
        analyse(tmp_path)


def test_empty_graph_gives_an_empty_report() -> None:
    report = analyse(rdflib.Graph())
    assert report.counts["facts"] == 0 and report.mediators == []
    assert "No mediated talks." in report.to_markdown()


# -- CLI ------------------------------------------------------------------------------------
def test_cli_analyse(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["analyse", str(SEED), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["mediated_pairs"][0]["labels"] == ["Russia", "Ukraine"]
    result = runner.invoke(app, ["analyse", str(SEED), str(CONDITIONS), "--format", "table"])
    assert result.exit_code == 0 and "Qatar" in result.stdout
    result = runner.invoke(app, ["analyse", str(tmp_path / "nope.trig")])
    assert result.exit_code == 1 and "nope.trig" in result.output
    result = runner.invoke(app, ["analyse", "--help"])
    assert result.exit_code == 0 and "mediates" in result.stdout


# -- the real build of the seed article (issue 5, "Done when") ---------------------------------
TURKEY, RUSSIA, UKRAINE = RES + "country/TR", RES + "country/RU", RES + "country/UA"


@pytest.fixture(scope="module")
def real_report(seed_build) -> AnalysisReport:
    assert seed_build.ok, seed_build.errors or seed_build.quarantined
    return analyse(seed_build.out_dir / "kg.trig")


def _conditions_of(report_dict: dict, actor: str) -> list[dict]:
    return next(a for a in report_dict["conditions"]["by_actor"] if a["actor"] == actor)["conditions"]


def _has(text: str, *words: str) -> bool:
    return all(w in text.lower() for w in words)


def test_real_seed_names_turkey_as_mediator_between_russia_and_ukraine(real_report: AnalysisReport,
                                                                       seed_build) -> None:
    for doc in (real_report.to_dict(), json.loads(real_report.to_json())):
        pair = next(p for p in doc["mediated_pairs"] if set(p["parties"]) == {RUSSIA, UKRAINE})
        assert [m["actor"] for m in pair["mediators"]] == [TURKEY]
        assert sorted(pair["labels"]) == ["Russia", "Ukraine"]
        talks = {str(s) for s, *_ in seed_build.dataset.quads((None, rdflib.RDF.type, DIP.Negotiation, None))}
        assert pair["facts"] and set(pair["facts"]) <= talks
        assert [m["actor"] for m in doc["mediators"]] == [TURKEY]
        assert (doc["mediators"][0]["talks"], doc["mediators"][0]["pairs"]) == (1, 1)
    md = real_report.to_markdown()
    line = next(ln for ln in md.splitlines() if ln.startswith("| Russia – Ukraine |"))
    assert "Turkey" in line and pair["facts"][0] in line


def test_real_seed_lists_russias_conditions(real_report: AnalysisReport) -> None:
    for doc in (real_report.to_dict(), json.loads(real_report.to_json())):
        russia = _conditions_of(doc, RUSSIA)
        assert len(russia) == 2
        assert any(_has(c["applies_to"], "meeting", "putin", "zelensky") and _has(c["requires"], "progress")
                   for c in russia), russia
        assert any(_has(c["applies_to"], "ceasefire") and _has(c["requires"], "withdrawal", "ukrainian forces")
                   for c in russia), russia
    md = real_report.to_markdown()
    section = md[md.index("**Russia** sets **2**"):md.index("### Chains")]
    rows = [ln for ln in section.splitlines() if ln.startswith("| ") and "holds back" not in ln]
    assert any(_has(r.split(" | ")[0], "meeting") and _has(r.split(" | ")[1], "progress") for r in rows), rows
    assert any(_has(r.split(" | ")[0], "ceasefire") and _has(r.split(" | ")[1], "withdrawal") for r in rows), rows


def test_real_seed_chain_talks_wait_on_ceasefire_waits_on_withdrawal(real_report: AnalysisReport) -> None:
    """Ukraine's talks wait on a ceasefire ("a full and unconditional 30-day ceasefire"), which Russia
    makes wait on withdrawal ("any ceasefire could take effect"): linked by the head term 'ceasefire'."""
    cd = real_report.conditions
    assert cd["chains_found"] == 1
    chain = cd["chains"][0]
    talks, ceasefire, withdrawal = chain["matters"]
    assert _has(talks, "talks") and _has(ceasefire, "ceasefire") and _has(withdrawal, "withdrawal")
    assert set(chain["actors"]) == {UKRAINE, RUSSIA}
    # the two steps are Ukraine's condition (talks on a ceasefire) and Russia's (ceasefire on withdrawal)
    setter = {f: a["actor"] for a in cd["by_actor"] for f in a["facts"]}
    assert [setter[f] for f in chain["facts"]] == [UKRAINE, RUSSIA]
    # Russia's withdrawal condition blocks the ceasefire and, down the chain, Ukraine entering talks
    russia_ceasefire = next(c for c in _conditions_of(real_report.to_dict(), RUSSIA)
                            if _has(c["requires"], "withdrawal"))
    assert [b["label"] for b in russia_ceasefire["blocks"]] == [ceasefire, talks]
    assert cd["deadlocks"] == []
    md = real_report.to_markdown()
    assert "### Chains of dependency (1 found)" in md
    assert f"| {talks} ⇐ {ceasefire} ⇐ {withdrawal} |" in md


def test_real_seed_same_report_from_the_dataset_and_every_number_links_to_its_facts(
        real_report: AnalysisReport, seed_build) -> None:
    assert _summary(analyse(seed_build.dataset)) == _summary(real_report)
    known = {str(s) for s, _, o, _ in seed_build.dataset.quads((None, rdflib.RDF.type, None, None))
             if o in {DIP.Negotiation, DIP.Demand, DIP.Agreement, DIP.Condition, DIP.Delegation}}
    lists = _all_fact_lists(real_report.to_dict())
    assert lists and all(set(facts) <= known for facts in lists)
    demanding = {r["actor"]: r["count"] for r in real_report.demands["most_demanding"]}
    assert max(demanding, key=demanding.get) == RUSSIA
    assert real_report.demands["most_demanded_of"][0]["actor"] == UKRAINE


# -- the head-term rule ----------------------------------------------------------------------
def test_head_terms_come_from_the_kinds_of_the_ontology() -> None:
    from kg_builder.analysis import head_terms
    from kg_builder.resources import ontology_file

    heads = head_terms()
    assert {"ceasefire", "truce", "withdrawal", "talk", "sanction", "prisoner", "embargo"} <= heads
    assert not {"deal", "diplomatic", "exchange", "agreement", "status"} & heads  # shared or one-off words
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    g = rdflib.Graph().parse(ontology_file("diplomacy.ttl"))
    kinds = g.subjects(skos.inScheme, rdflib.URIRef("https://w3id.org/dipkg/kind/scheme"))
    labels = [terms(str(label)) for c in kinds for p in (skos.prefLabel, skos.altLabel) for label in g.objects(c, p)]
    assert heads <= set().union(*labels)
    assert {next(iter(t)) for t in labels if len(t) == 1} <= heads


def test_head_term_rule() -> None:
    assert match(terms("any ceasefire could take effect"), terms("a full and unconditional 30-day ceasefire"))
    assert match(terms("progress in the talks"), terms("entering talks"))
    assert match(terms("release of prisoners of war"), terms("prisoner swap"))
    # two heads: no head, so only the overlap rule applies
    assert not match(terms("withdrawal of troops before any ceasefire"),
                     terms("a full and unconditional 30-day ceasefire"))
    assert not match(terms("a summit of the leaders"), terms("entering talks"))  # different heads
    assert not match(terms("tangible progress"), terms("entering talks"))  # no head


# -- hostile text: the report escapes for each format --------------------------------------------
HOSTILE = Path(__file__).parent / "data" / "hostile" / "hostile.trig"
#: Characters a terminal would act on or XML cannot hold.
UNSAFE = set("\x00\x07\x0c\x1b\x85\x9b\ufffe")


def _render_markdown(text: str) -> str:
    """CommonMark with GFM tables and raw HTML *allowed*: nothing but our escaping stands between
    the article text and the page."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


def _page(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>report</title></head>"
                    f"<body>{body}</body></html>", encoding="utf-8")
    return path


def test_markdown_report_of_hostile_text_holds_no_html_and_no_script_link() -> None:
    from lxml import html as lhtml

    report = analyse(HOSTILE)
    text = report.to_markdown()
    assert not UNSAFE & set(text)
    rendered = _render_markdown(text)
    tree = lhtml.fromstring(f"<div>{rendered}</div>")
    assert tree.xpath("//script | //img | //iframe") == []
    assert [el.tag for el in tree.iter() if any(a.lower().startswith("on") for a in el.attrib)] == []
    hrefs = tree.xpath("//a/@href")
    assert hrefs and all(h.startswith("https://w3id.org/dipkg/id/") for h in hrefs), hrefs
    assert tree.xpath("//strong | //em") and not tree.xpath("//em[contains(., 'em')]")  # *em* stays text
    shown = tree.text_content()
    assert "<img src=x onerror=" in shown and "[bold]x[/bold]" in shown  # markup shown as written
    assert "javascript:window.pwned='demand'" in shown  # a javascript: fact IRI is text, not a link
    # the tables stay tables: a '|' in a label does not add a column
    assert all(len(row.xpath("td")) == len(row.getparent().getparent().xpath(".//th"))
               for row in tree.xpath("//tbody/tr"))


@pytest.mark.browser
def test_markdown_report_in_chromium_runs_no_script(browser, tmp_path: Path) -> None:
    """The report rendered by markdown-it-py, opened in real Chromium: no handler or script from
    the articles runs. The control page (the same HTML unescaped) shows that one would."""
    control = _page(tmp_path, "control.html", _render_markdown(
        "<img src=x onerror=\"window.pwned='control'\"> <script>document.title='pwned'</script>"))
    page = browser(control.as_uri())
    assert page.wait_js("window.pwned === 'control'") and page.js("document.title") == "pwned"

    report = _page(tmp_path, "report.html", _render_markdown(analyse(HOSTILE).to_markdown()))
    page = browser(report.as_uri())
    page.wait_js("document.readyState === 'complete'")
    time.sleep(0.5)  # a failed image load fires onerror after the load event
    assert page.js("typeof window.pwned") == "undefined"
    assert page.js("document.title") == "report"
    assert page.js("document.querySelectorAll('img, script').length") == 0
    assert page.js("[...document.querySelectorAll('a')].every(a => a.protocol === 'https:')")
    assert "<script>window.pwned='mediator'</script>" in page.js("document.body.textContent")


def test_terminal_tables_and_json_carry_no_control_characters_or_markup() -> None:
    report = analyse(HOSTILE)
    table = report.to_table()
    assert not UNSAFE & set(table)
    assert "[bold]x[/bold]" in table  # rich did not read it as markup
    result = CliRunner().invoke(app, ["analyse", str(HOSTILE), "--format", "table"])
    assert result.exit_code == 0 and not UNSAFE & set(result.output) and "[bold]x[/bold]" in result.output
    as_json = report.to_json()
    assert not UNSAFE & set(as_json)
    labels = {row["label"] for row in json.loads(as_json)["demands"]["most_demanding"]}
    assert any("\x0c" in label for label in labels)  # JSON keeps the text as read, escaped


def test_report_file_is_written_whole(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    analyse(HOSTILE, out=out)
    assert out.read_text(encoding="utf-8") == analyse(HOSTILE).to_markdown()
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]  # no temporary file left
