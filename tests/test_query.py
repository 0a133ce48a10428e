"""SPARQL: every shipped query on the real build of the seed article, and the mechanics (bound parameters,
errors with positions, output formats) on hand-written fixtures (tests/data/store/)."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg_builder.cli import app
from kg_builder.errors import QueryError
from kg_builder.store import Store, list_queries, query
from kg_builder.resources import ontology_dir

DATA = Path(__file__).parent / "data" / "store"
RES = "https://w3id.org/dipkg/id/"
ISTANBUL = RES + "article/58ca900ba07f5447"
SECOND = RES + "article/ea29dbea7b6a0fc1"
DOHA = RES + "article/4c453f045a1c311d"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("q") / "store"
    with Store(path) as store:
        for trig in sorted(DATA.glob("*.trig")):
            text = trig.read_text(encoding="utf-8")
            store.replace_graph(re.search(r"^<(\S+)> \{", text, re.MULTILINE).group(1), text)
    return path


@pytest.fixture
def store(store_path):
    with Store(store_path, read_only=True) as s:
        yield s


def rows(store, spec, **params) -> list[dict[str, str]]:
    doc = json.loads(query(store, spec, params=params or None, fmt="json"))
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def split(value: str) -> set[str]:
    return set(value.split(", ")) if value else set()


# -- the library -----------------------------------------------------------------------------
def test_list_queries_has_every_shipped_query_with_a_description():
    listed = dict(list_queries())
    assert set(listed) == {"mediators", "demands", "conditions", "agreements", "delegations", "persons",
                           "timeline", "evidence", "actor"}
    assert set(listed) == {p.stem for p in (ontology_dir() / "queries").glob("*.rq")}
    for name, description in listed.items():
        assert description and "\n" not in description, name


def test_mediators(store):
    got = {(r["mediatorName"], r["talksName"], frozenset(split(r["between"])), r.get("date"), r.get("location"))
           for r in rows(store, "mediators")}
    ru_ua = frozenset({"Russia", "Ukraine"})
    assert got == {
        ("Turkey", "Istanbul talks", ru_ua, "2025-05-16", "Istanbul"),
        ("Turkey", "second round of Istanbul talks", ru_ua, "2025-06-02", "Istanbul"),
        ("Hakan Fidan", "second round of Istanbul talks", ru_ua, "2025-06-02", "Istanbul"),
        ("Qatar", "Doha talks on the return of children", ru_ua, "2025-04-10", "Doha"),
        ("International Committee of the Red Cross", "Doha talks on the return of children", ru_ua,
         "2025-04-10", "Doha"),
    }


def test_demands(store):
    got = {(r["byName"], r["ofName"], r["text"], r["kind"].rsplit("/", 1)[1], r["article"])
           for r in rows(store, "demands")}
    assert got == {
        ("Russia", "Ukraine", "withdrawal of Ukrainian forces from four regions", "withdrawal", ISTANBUL),
        ("Ukraine", "Russia", "full and unconditional 30-day ceasefire", "ceasefire", SECOND),
    }


def test_conditions(store):
    got = {(r["setByName"], r["appliesTo"], r["requires"], r["modality"], r["statedBy"])
           for r in rows(store, "conditions")}
    assert got == {
        ("Russia", "meeting between Putin and Zelensky", "reaching specific agreements", "hypothetical",
         "Dmitry Peskov"),
        ("Ukraine", "peace settlement", "security guarantees for Ukraine", "future", "Volodymyr Zelensky"),
    }


def test_agreements(store):
    got = {(r["text"], frozenset(split(r["parties"])), r["reachedIn"]) for r in rows(store, "agreements")}
    assert got == {
        ("major prisoner exchange", frozenset({"Russia", "Ukraine"}), "Istanbul talks"),
        ("return the bodies of fallen soldiers", frozenset({"Russia", "Ukraine"}),
         "second round of Istanbul talks"),
    }


def test_delegations(store):
    got = {(r["representsName"], r.get("leaderName"), frozenset(split(r.get("members", ""))), r["article"])
           for r in rows(store, "delegations")}
    assert got == {
        ("Russia", "Vladimir Medinsky", frozenset(), ISTANBUL),
        ("Russia", "Vladimir Medinsky", frozenset(), SECOND),
        ("Ukraine", "Rustem Umerov", frozenset({"Sergiy Kyslytsya"}), ISTANBUL),
    }


def test_persons_merge_roles_across_articles(store):
    got = {r["name"]: (split(r["roles"]), r["affiliations"], int(r["articles"])) for r in rows(store, "persons")}
    assert got["Vladimir Medinsky"] == ({"chief negotiator", "presidential aide"}, "Russia", 2)
    assert got["Hakan Fidan"] == ({"foreign minister"}, "Turkey", 1)
    assert set(got) == {"Vladimir Medinsky", "Rustem Umerov", "Sergiy Kyslytsya", "Dmitry Peskov",
                        "Hakan Fidan", "Volodymyr Zelensky"}


def test_timeline_is_ordered_by_date(store):
    got = [(r["date"], r["name"], r["location"], split(r["mediators"])) for r in rows(store, "timeline")]
    assert got == [
        ("2025-04-10", "Doha talks on the return of children", "Doha",
         {"Qatar", "International Committee of the Red Cross"}),
        ("2025-05-16", "Istanbul talks", "Istanbul", {"Turkey"}),
        ("2025-06-02", "second round of Istanbul talks", "Istanbul", {"Turkey", "Hakan Fidan"}),
    ]


def test_evidence_for_one_fact_is_the_sentence_at_its_offsets(store):
    demand = rows(store, "demands")[0]["demand"]
    got = rows(store, "evidence", fact=demand)
    assert len(got) == 1
    text = next(iter(store.query(f"SELECT ?t WHERE {{ <{got[0]['article']}> dip:text ?t }}")))["t"].value
    assert text[int(got[0]["start"]):int(got[0]["end"])] == got[0]["quote"]
    assert got[0]["quote"].startswith(("Russia demanded", "Ukraine demanded"))
    assert len(rows(store, "evidence")) == 12  # without the parameter: every fact's evidence


def test_actor_by_iri_by_prefixed_name_and_by_name(store):
    by_iri = rows(store, "actor", actor=f"<{RES}person/hakan-fidan>")
    by_prefixed = rows(store, "actor", actor="res:person/hakan-fidan")
    by_name = rows(store, "actor", actor="fidan")  # an alias, any case
    triples = {(r["direction"], r["property"], r["value"]) for r in by_iri}
    assert triples == {(r["direction"], r["property"], r["value"]) for r in by_prefixed}
    assert triples == {(r["direction"], r["property"], r["value"]) for r in by_name}
    assert ("in", "https://w3id.org/dipkg/ontology#mediatedBy", next(
        r["talks"] for r in rows(store, "mediators") if r["mediatorName"] == "Hakan Fidan")) in triples
    assert ("out", "https://w3id.org/dipkg/ontology#roleTitle", "foreign minister") in triples
    russia = rows(store, "actor", actor="Russia")
    assert {r["article"] for r in russia} == {ISTANBUL, SECOND, DOHA}


def test_required_parameter_missing_is_a_clear_error(store):
    with pytest.raises(QueryError, match="needs --param actor="):
        query(store, "actor")


# -- parameters are bound, never pasted -------------------------------------------------------
HOSTILE = [
    '"} DROP ALL {',
    "Russia' } UNION { ?iri ?property ?value } #",
    '") || true || ("',
    "} DROP ALL { <x> <y> <z> }",
    "res:x> } { ?a ?b ?c",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameter_cannot_change_the_query(store, value):
    before = len(store)
    assert rows(store, "actor", actor=value) == []  # matched as a name: there is none
    got = rows(store, "SELECT ?v WHERE { ?s ?p ?o } LIMIT 1", v=value)
    assert got[0]["v"] == value  # came back as the very literal it was
    assert len(store) == before


def test_parameter_not_in_projection_is_a_query_error(store):
    with pytest.raises(QueryError, match="nope"):
        query(store, "demands", params={"nope": "x"})


def test_invalid_iri_parameter_is_a_query_error(store):
    with pytest.raises(QueryError, match="parameter IRI"):
        query(store, "evidence", params={"fact": "<https://x.org/a b>"})


# -- errors and sources of query text ---------------------------------------------------------
def test_malformed_query_reports_the_parser_position(store):
    with pytest.raises(QueryError) as err:
        query(store, "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?s = ) }")
    assert re.search(r"error at 3:\d+", str(err.value))


def test_malformed_library_file_names_the_file(store, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("# broken\nSELECT * WHERE { ?s ?p }\n", encoding="utf-8")
    with pytest.raises(QueryError, match=r"bad\.rq: malformed SPARQL, error at \d+:\d+"):
        query(store, str(bad))


def test_unknown_query_name_lists_the_known_ones(store):
    with pytest.raises(QueryError, match="mediators"):
        query(store, "mediatorz")


def test_query_from_file_equals_query_by_name(store, tmp_path):
    copy = tmp_path / "mine.rq"
    copy.write_text((ontology_dir() / "queries" / "demands.rq").read_text(encoding="utf-8"), encoding="utf-8")
    assert rows(store, str(copy)) == rows(store, "demands")


def test_query_on_a_missing_store_path_is_a_store_error(tmp_path):
    from kg_builder.errors import StoreError

    with pytest.raises(StoreError, match="no store here"):
        query(tmp_path / "none", "persons")


# -- output formats ---------------------------------------------------------------------------
def test_csv_tsv_json_and_table_agree(store):
    as_json = rows(store, "persons")
    as_csv = list(csv.DictReader(io.StringIO(query(store, "persons", fmt="csv"))))
    assert [r["name"] for r in as_csv] == [r["name"] for r in as_json]
    tsv = query(store, "persons", fmt="tsv").splitlines()
    assert tsv[0].split("\t")[:2] == ["?person", "?name"] and len(tsv) == len(as_json) + 1
    assert '"Hakan Fidan"' in tsv[2] or '"Hakan Fidan"' in "\n".join(tsv)
    table = query(store, "persons", fmt="table")
    assert "res:person/hakan-fidan" in table and "Hakan Fidan" in table and f"{len(as_json)} rows" in table


def test_ask_and_construct(store):
    assert query(store, "ASK { ?d a dip:Demand }", fmt="table").strip() == "true"
    assert json.loads(query(store, "ASK { ?d a dip:Nothing }", fmt="json"))["boolean"] is False
    nt = query(store, "CONSTRUCT { ?d dip:text ?t } WHERE { ?d a dip:Demand ; dip:text ?t }", fmt="nt")
    assert len(nt.strip().splitlines()) == 2
    with pytest.raises(QueryError, match="CONSTRUCT"):
        query(store, "CONSTRUCT WHERE { ?s ?p ?o }", fmt="csv")


# -- the CLI is a thin layer ------------------------------------------------------------------
def test_cli_query_list_param_and_error(store_path):
    runner = CliRunner()
    listed = runner.invoke(app, ["query", "--list"])
    assert listed.exit_code == 0 and "mediators" in listed.output and "timeline" in listed.output
    got = runner.invoke(app, ["query", "evidence", "--store", str(store_path), "--format", "csv",
                              "--param", "fact=res:demand/d8a7e592d97a0c79"])
    assert got.exit_code == 0, got.output
    assert "Russia demanded the withdrawal" in got.output
    bad = runner.invoke(app, ["query", "SELECT * WHERE { ?s }", "--store", str(store_path)])
    assert bad.exit_code == 1 and "error at 1:" in bad.output
    for command in ("query", "export", "push"):
        helped = runner.invoke(app, [command, "--help"])
        assert helped.exit_code == 0 and "--store" in helped.output


# -- shipped queries stay linear when actors recur across many articles -----------------------
def synthetic_article(i: int) -> tuple[str, str]:
    """Russia and Ukraine in every article, as the mapping describes them in each graph."""
    g = f"<{RES}article/s{i:05d}>"
    dip, lab = "https://w3id.org/dipkg/ontology#", "http://www.w3.org/2000/01/rdf-schema#label"
    lines = []
    for code, name in (("RU", "Russia"), ("UA", "Ukraine"), ("TR", "Turkey")):
        lines += [f"<{RES}country/{code}> <{lab}> \"{name}\" {g} .",
                  f"<{RES}country/{code}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{dip}Actor> {g} ."]
    person = f"<{RES}person/p{i % 7}>"
    lines += [f"{person} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{dip}Person> {g} .",
              f"{person} <{lab}> \"Person {i % 7}\" {g} .",
              f"{person} <{dip}roleTitle> \"envoy\" {g} .",
              f"{person} <{dip}affiliatedWith> <{RES}country/RU> {g} ."]
    t, d = f"<{RES}negotiation/s{i}>", f"<{RES}demand/s{i}>"
    lines += [f"{t} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{dip}Negotiation> {g} .",
              f"{t} <{dip}participant> <{RES}country/RU> {g} .", f"{t} <{dip}participant> <{RES}country/UA> {g} .",
              f"{t} <{dip}mediatedBy> <{RES}country/TR> {g} .",
              f"{d} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{dip}Demand> {g} .",
              f"{d} <{dip}demandedBy> <{RES}country/RU> {g} .", f"{d} <{dip}demandedOf> <{RES}country/UA> {g} .",
              f"{d} <{dip}text> \"demand {i}\" {g} ."]
    return g[1:-1], "\n".join(lines) + "\n"


def test_shipped_queries_do_not_multiply_rows_for_recurring_actors():
    """Over a union of graphs Oxigraph keeps duplicates (a bag), so a label looked up outside the
    article graph matches once per article; a product of such lookups is cubic. 300 articles
    took seconds per query that way; read within each graph, all queries together take ms."""
    import time

    with Store() as store:
        for i in range(300):
            store.replace_graph(*synthetic_article(i), format="nq")
        start = time.perf_counter()
        counts = {name: len(rows(store, name, **({"actor": "Ukraine"} if name == "actor" else {})))
                  for name, _ in list_queries()}
        elapsed = time.perf_counter() - start
    assert counts["demands"] == counts["mediators"] == counts["timeline"] == 300
    assert counts["persons"] == 7
    assert elapsed < 3.0, f"shipped queries took {elapsed:.1f}s on 300 articles"


# -- every shipped query on the real build of the seed article ---------------------------------
# The seed article (examples/istanbul_talks_2025.txt) as the pipeline builds it: the assertions
# are the article's real-world facts, not the extractor's exact wording.
TURKEY, RUSSIA, UKRAINE = RES + "country/TR", RES + "country/RU", RES + "country/UA"


@pytest.fixture(scope="module")
def seed(seed_build, tmp_path_factory):
    """The seed build's article graphs in a store of their own, opened read-only."""
    assert seed_build.ok and len(seed_build.graphs) == 1, seed_build.errors or seed_build.quarantined
    path = tmp_path_factory.mktemp("seed_query") / "store"
    with Store(path) as store:
        for graph in seed_build.graphs:
            store.replace_graph(str(graph.identifier), graph)
    with Store(path, read_only=True) as store:
        yield store


def one(found: list, what: str):
    assert len(found) == 1, f"{what}: expected one row, got {found}"
    return found[0]


def test_seed_mediators_turkey_between_russia_and_ukraine(seed):
    got = rows(seed, "mediators")
    assert {(r["mediator"], frozenset(split(r["between"]))) for r in got} == {
        (TURKEY, frozenset({"Russia", "Ukraine"}))}
    assert one(got, "mediators")["mediatorName"] == "Turkey"


def test_seed_demands_of_russia_ukraine_and_trump(seed):
    got = rows(seed, "demands")
    russia_of_ukraine = [r for r in got if r["by"] == RUSSIA and r.get("of") == UKRAINE]
    texts = " | ".join(r["text"].lower() for r in russia_of_ukraine)
    for what in ("neutral status", "foreign troops", "nuclear weapons", "territor", "withdrawal"):
        assert what in texts, f"Russia's demand of Ukraine about {what!r} is missing: {texts}"
    kinds = {r["kind"].rsplit("/", 1)[1] for r in russia_of_ukraine}
    assert {"neutrality", "security-guarantees", "territory", "withdrawal"} <= kinds
    ukraine = [r for r in got if r["by"] == UKRAINE]
    assert any("ceasefire" in r["text"] and r["kind"].endswith("/ceasefire") for r in ukraine), ukraine
    trump = one([r for r in got if r["byName"] == "Donald Trump"], "Trump's demands")
    assert trump["of"] == UKRAINE and "join" in trump["text"] and "talks" in trump["text"]
    assert trump["kind"].endswith("/talks")
    assert all(r["by"] != r.get("of") for r in got)  # nobody demands something of itself
    assert not [r for r in got if r["by"] == UKRAINE and "withdrawal" in r["text"]]  # direction kept


SEED_CONDITIONS = {  # (set by, holds back, waits on): words each side's phrase must contain
    "leaders' meeting on progress": (RUSSIA, ("meeting", "putin", "zelensky"), ("progress",)),
    "ceasefire on withdrawal": (RUSSIA, ("ceasefire",), ("withdrawal",)),
    "talks on a ceasefire": (UKRAINE, ("talks",), ("ceasefire",)),
}


def which_condition(row: dict[str, str]) -> str | None:
    for name, (setter, applies, requires) in SEED_CONDITIONS.items():
        if (row["setBy"] == setter and all(w in row["appliesTo"].lower() for w in applies)
                and all(w in row["requires"].lower() for w in requires)):
            return name
    return None


def test_seed_conditions(seed):
    got = rows(seed, "conditions")
    named = [which_condition(r) for r in got]
    assert sorted(n for n in named if n) == sorted(SEED_CONDITIONS), got
    assert None not in named, f"a condition the article does not state: {got[named.index(None)]}"
    assert {r["setByName"] for r in got} == {"Russia", "Ukraine"}


def test_seed_agreements_between_russia_and_ukraine(seed):
    got = rows(seed, "agreements")
    assert got and all(split(r["parties"]) == {"Russia", "Ukraine"} for r in got), got
    assert all(r["modality"] == "asserted" for r in got)
    by_kind = {r["kind"].rsplit("/", 1)[1]: r["text"].lower() for r in got}
    assert "prisoner exchange" in by_kind["prisoner-exchange"]
    assert "ceasefire" in by_kind["ceasefire"] and "proposals" in by_kind["ceasefire"]
    assert "follow-up meeting" in by_kind["talks"]


def test_seed_delegations(seed):
    got = rows(seed, "delegations")
    russia = one([r for r in got if r["represents"] == RUSSIA], "Russia's delegation")
    assert (russia["leader"], russia["leaderName"]) == (RES + "person/vladimir-medinsky", "Vladimir Medinsky")
    assert {r["represents"] for r in got} == {RUSSIA, UKRAINE}


def test_seed_persons_roles_and_affiliations(seed):
    got = {r["name"]: (split(r["roles"]), split(r["affiliations"])) for r in rows(seed, "persons")}
    assert got["Vladimir Medinsky"] == ({"chief negotiator"}, {"Russia"})
    assert got["Dmitry Peskov"] == ({"spokesperson"}, {"Russia"})
    assert got["Vladimir Putin"][1] == {"Russia"} and got["Volodymyr Zelensky"][1] == {"Ukraine"}
    assert "president" in got["Vladimir Putin"][0] and "president" in got["Volodymyr Zelensky"][0]
    assert "Donald Trump" in got


def test_seed_timeline(seed):
    talks = one(rows(seed, "timeline"), "talks in the timeline")
    assert split(talks["parties"]) == {"Russia", "Ukraine"} and split(talks["mediators"]) == {"Turkey"}
    assert talks["talks"] == one(rows(seed, "mediators"), "mediators")["talks"]
    assert talks["location"] in ("Istanbul", "Turkey")  # the talks were held in Istanbul, Turkey


def test_seed_evidence_is_the_article_sentence(seed, seed_article_path):
    article_text = seed_article_path.read_text(encoding="utf-8")
    talks = one(rows(seed, "mediators"), "mediators")["talks"]
    ev = one(rows(seed, "evidence", fact=talks), "evidence of the talks")
    assert "Turkish mediators" in ev["quote"]
    assert ev["quote"] in article_text
    stored = next(iter(seed.query(f"SELECT ?t WHERE {{ <{ev['article']}> a schema:NewsArticle ; dip:text ?t }}")))
    assert stored["t"].value[int(ev["start"]):int(ev["end"])] == ev["quote"]
    withdrawal = next(r["demand"] for r in rows(seed, "demands") if "withdrawal" in r["text"])
    quote = one(rows(seed, "evidence", fact=withdrawal), "evidence of the withdrawal demand")["quote"]
    assert "withdrawal of Ukrainian forces" in quote and quote in article_text
    every = rows(seed, "evidence")
    assert all(r["quote"] in article_text for r in every)
    facts = {r["fact"] for r in every}
    for name, key in (("demands", "demand"), ("conditions", "condition"), ("agreements", "agreement")):
        assert {r[key] for r in rows(seed, name)} <= facts, f"a {key} without evidence"


def test_seed_actor_russia(seed):
    by_name = rows(seed, "actor", actor="russia")  # a name, any case
    by_iri = rows(seed, "actor", actor="res:country/RU")
    assert by_name and [{k: v for k, v in r.items() if k != "actor"} for r in by_name] == [
        {k: v for k, v in r.items() if k != "actor"} for r in by_iri]
    incoming = {(r["property"].rsplit("#", 1)[1], r["value"]) for r in by_name if r["direction"] == "in"}
    props = {p for p, _ in incoming}
    assert {"demandedBy", "setBy", "participant", "party", "represents", "affiliatedWith"} <= props
    assert ("affiliatedWith", RES + "person/vladimir-medinsky") in incoming
    assert ("affiliatedWith", RES + "person/dmitry-peskov") in incoming
    demands = {r["demand"] for r in rows(seed, "demands") if r["by"] == RUSSIA}
    assert {v for p, v in incoming if p == "demandedBy"} == demands
    assert ("out", "http://www.w3.org/2000/01/rdf-schema#label", "Russia") in {
        (r["direction"], r["property"], r["value"]) for r in by_name}
