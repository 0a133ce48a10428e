"""The RDF mapping: each model class becomes the triples docs/rdf-mapping.md promises, with stable, safe IRIs."""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from decimal import Decimal

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg_builder.model import (
    Actor,
    Agreement,
    Article,
    ArticleFacts,
    Condition,
    Delegation,
    Demand,
    Evidence,
    Negotiation,
)
from kg_builder.rdf import DEFAULT_BASE, DIP, DIPK, RES, SCHEMA, article_graph, dataset_of
from kg_builder.resources import ontology_file

RES_ = RES()
TEXT = (
    "Russian and Ukrainian delegations met in Istanbul on Friday. The talks were facilitated by "
    "Turkish mediators. Vladimir Medinsky, Russia's chief negotiator, led the Russian delegation. "
    "Russia demanded the withdrawal of Ukrainian forces. Both sides agreed to a prisoner exchange. "
    "A ceasefire is possible only if Ukraine withdraws its troops."
)
#: An IRI safe in every syntax: no space, quote, angle bracket, brace, pipe, backslash, caret, backtick.
SAFE_IRI = re.compile(r'^[^\x00-\x20<>"{}|\\^`]+$')


def ev(sentence: str) -> Evidence:
    start = TEXT.index(sentence)
    return Evidence(sentence, start, start + len(sentence))


def make_facts(text: str = TEXT, url: str | None = "https://news.example/istanbul") -> ArticleFacts:
    article = Article(text=text, title="Istanbul talks", url=url, date=dt.date(2025, 5, 17), source="test")
    actors = {
        "country:RU": Actor("country:RU", "country", "Russia", aliases=["Moscow"], code="RU"),
        "country:UA": Actor("country:UA", "country", "Ukraine", code="UA"),
        "country:TR": Actor("country:TR", "country", "Turkey", code="tr"),
        "person:vladimir-medinsky": Actor(
            "person:vladimir-medinsky", "person", "Vladimir Medinsky",
            roles=["Chief Negotiator"], affiliations=["country:RU"],
        ),
        "org:un": Actor("org:un", "organization", "United Nations", aliases=["UN"], category="international organisation"),
    }
    return ArticleFacts(
        article=article,
        actors=actors,
        delegations=[
            Delegation(
                "delegation:ru", represents="country:RU", leader="person:vladimir-medinsky",
                members=["person:vladimir-medinsky"], label="Russian delegation",
                evidence=[ev("Vladimir Medinsky, Russia's chief negotiator, led the Russian delegation.")],
            )
        ],
        negotiations=[
            Negotiation(
                "talks:istanbul", "Istanbul talks", participants=["country:RU", "delegation:ru", "country:UA"],
                mediators=["country:TR"], location="Istanbul", date=dt.date(2025, 5, 16),
                evidence=[ev("The talks were facilitated by Turkish mediators.")],
            )
        ],
        demands=[
            Demand(
                by="country:RU", of="country:UA", text="withdrawal of Ukrainian forces", kind="withdrawal",
                stated_by="person:vladimir-medinsky", modality="asserted", confidence=0.8,
                evidence=[ev("Russia demanded the withdrawal of Ukrainian forces.")],
            )
        ],
        agreements=[
            Agreement(
                parties=["country:UA", "country:RU"], text="prisoner exchange", kind="prisoner-exchange",
                reached_in="talks:istanbul", modality="asserted", confidence=0.9,
                evidence=[ev("Both sides agreed to a prisoner exchange.")],
            )
        ],
        conditions=[
            Condition(
                set_by="country:RU", applies_to="ceasefire", requires="Ukraine withdraws its troops",
                modality="hypothetical", confidence=0.6,
                evidence=[ev("A ceasefire is possible only if Ukraine withdraws its troops.")],
            )
        ],
    )


@pytest.fixture(scope="module")
def facts() -> ArticleFacts:
    return make_facts()


@pytest.fixture(scope="module")
def graph(facts) -> Graph:
    return article_graph(facts)


def only(graph: Graph, cls: URIRef) -> URIRef:
    nodes = list(graph.subjects(RDF.type, cls))
    assert len(nodes) == 1, f"expected one {cls}, found {nodes}"
    return nodes[0]


# ---- articles and graphs ------------------------------------------------------------------


def test_graph_identifier_is_the_article_iri(facts, graph):
    article = RES_[f"article/{facts.article.id}"]
    assert graph.identifier == article
    assert only(graph, SCHEMA.NewsArticle) == article


def test_article_triples(facts, graph):
    article = graph.identifier
    assert graph.value(article, SCHEMA.headline) == Literal("Istanbul talks")
    assert graph.value(article, SCHEMA.url) == URIRef("https://news.example/istanbul")
    assert graph.value(article, SCHEMA.datePublished) == Literal("2025-05-17", datatype=XSD.date)
    assert graph.value(article, DIP.text) == Literal(TEXT)


def test_article_without_title_url_or_date_has_only_type_and_text():
    g = article_graph(ArticleFacts(article=Article(text="Just text.")))
    assert set(g.predicates(g.identifier)) == {RDF.type, DIP.text}


def test_graph_identity_from_url_ignores_text():
    one = article_graph(make_facts(url="https://news.example/x"))
    other = article_graph(make_facts(text=TEXT + " Updated.", url="https://news.example/x"))
    assert one.identifier == other.identifier


def test_graph_identity_without_url_follows_text():
    one = article_graph(ArticleFacts(article=Article(text="First version.")))
    same = article_graph(ArticleFacts(article=Article(text="First version.", source="elsewhere")))
    other = article_graph(ArticleFacts(article=Article(text="Second version.")))
    assert one.identifier == same.identifier != other.identifier
    assert str(one.identifier).startswith(DEFAULT_BASE + "article/")


# ---- actors -------------------------------------------------------------------------------


def test_person(graph):
    person = RES_["person/vladimir-medinsky"]
    assert {DIP.Person, DIP.Actor} <= set(graph.objects(person, RDF.type))
    assert graph.value(person, RDFS.label) == Literal("Vladimir Medinsky")
    assert graph.value(person, DIP.roleTitle) == Literal("chief negotiator")
    assert graph.value(person, DIP.affiliatedWith) == RES_["country/RU"]


def test_country_iri_from_iso_code(graph):
    russia, turkey = RES_["country/RU"], RES_["country/TR"]
    assert {DIP.Country, DIP.Actor} <= set(graph.objects(russia, RDF.type))
    assert graph.value(russia, RDFS.label) == Literal("Russia")
    assert graph.value(russia, SKOS.altLabel) == Literal("Moscow")
    assert graph.value(russia, DIP.isoCode) == Literal("RU")
    assert graph.value(turkey, DIP.isoCode) == Literal("TR"), "codes are upper-cased"


def test_country_without_code_uses_its_key():
    facts = ArticleFacts(
        article=Article(text="t"), actors={"country:kosovo": Actor("country:kosovo", "country", "Kosovo")}
    )
    g = article_graph(facts)
    assert (RES_["country/kosovo"], RDF.type, DIP.Country) in g
    assert g.value(RES_["country/kosovo"], DIP.isoCode) is None


def test_organization(graph):
    un = RES_["org/un"]
    assert {DIP.Organization, DIP.Actor} <= set(graph.objects(un, RDF.type))
    assert graph.value(un, DIP.category) == Literal("international organisation")
    assert graph.value(un, SKOS.altLabel) == Literal("UN")


# ---- facts --------------------------------------------------------------------------------


def test_delegation(graph):
    d = only(graph, DIP.Delegation)
    assert str(d).startswith(DEFAULT_BASE + "delegation/")
    assert graph.value(d, DIP.represents) == RES_["country/RU"]
    assert graph.value(d, DIP.ledBy) == RES_["person/vladimir-medinsky"]
    assert set(graph.objects(d, DIP.hasMember)) == {RES_["person/vladimir-medinsky"]}
    assert graph.value(d, RDFS.label) == Literal("Russian delegation")
    assert len(list(graph.objects(d, DIP.evidence))) == 1


def test_delegation_without_label_is_named_after_what_it_represents():
    facts = make_facts()
    facts.delegations[0].label = None
    g = article_graph(facts)
    assert g.value(only(g, DIP.Delegation), RDFS.label) == Literal("Russia delegation")


def test_negotiation(graph):
    n = only(graph, DIP.Negotiation)
    assert graph.value(n, RDFS.label) == Literal("Istanbul talks")
    assert set(graph.objects(n, DIP.participant)) == {
        RES_["country/RU"], RES_["country/UA"], only(graph, DIP.Delegation)
    }, "a participant key naming a delegation points at the delegation"
    assert set(graph.objects(n, DIP.mediatedBy)) == {RES_["country/TR"]}
    assert graph.value(n, DIP.location) == Literal("Istanbul")
    assert graph.value(n, DIP.date) == Literal("2025-05-16", datatype=XSD.date)
    assert (None, RDF.type, DIP.Mediator) not in graph, "Mediator is left to a reasoner"


def test_demand(graph):
    d = only(graph, DIP.Demand)
    assert graph.value(d, DIP.demandedBy) == RES_["country/RU"]
    assert graph.value(d, DIP.demandedOf) == RES_["country/UA"]
    assert graph.value(d, DIP.text) == Literal("withdrawal of Ukrainian forces")
    assert graph.value(d, DIP.kind) == DIPK["withdrawal"]
    assert graph.value(d, DIP.statedBy) == RES_["person/vladimir-medinsky"]
    assert graph.value(d, DIP.modality) == Literal("asserted")
    confidence = graph.value(d, DIP.confidence)
    assert confidence.datatype == XSD.decimal and confidence.toPython() == Decimal("0.8")


def test_agreement(graph):
    a = only(graph, DIP.Agreement)
    assert set(graph.objects(a, DIP.party)) == {RES_["country/RU"], RES_["country/UA"]}
    assert graph.value(a, DIP.text) == Literal("prisoner exchange")
    assert graph.value(a, DIP.kind) == DIPK["prisoner-exchange"]
    assert graph.value(a, DIP.reachedIn) == only(graph, DIP.Negotiation)


def test_condition(graph):
    c = only(graph, DIP.Condition)
    assert graph.value(c, DIP.setBy) == RES_["country/RU"]
    assert graph.value(c, DIP.appliesTo) == Literal("ceasefire")
    assert graph.value(c, DIP.requires) == Literal("Ukraine withdraws its troops")
    assert graph.value(c, DIP.modality) == Literal("hypothetical")


def test_evidence(graph):
    demand = only(graph, DIP.Demand)
    e = graph.value(demand, DIP.evidence)
    assert (e, RDF.type, DIP.Evidence) in graph
    quote = "Russia demanded the withdrawal of Ukrainian forces."
    start = TEXT.index(quote)
    assert graph.value(e, DIP.quote) == Literal(quote)
    assert graph.value(e, DIP.charStart) == Literal(start, datatype=XSD.integer)
    assert graph.value(e, DIP.charEnd) == Literal(start + len(quote), datatype=XSD.integer)
    assert graph.value(e, DIP.inArticle) == graph.identifier
    assert len(list(graph.subjects(RDF.type, DIP.Evidence))) == 5


def test_kind_names_are_normalised_to_concept_ids():
    facts = make_facts()
    facts.demands[0].kind = "Prisoner Exchange"
    g = article_graph(facts)
    assert g.value(only(g, DIP.Demand), DIP.kind) == DIPK["prisoner-exchange"]


def test_the_same_demand_twice_is_one_node_with_merged_evidence():
    facts = make_facts()
    first = facts.demands[0]
    again = Demand(
        by=first.by, of=first.of, text=first.text, kind=first.kind, modality="future", confidence=0.95,
        evidence=[ev("Russia demanded the withdrawal of Ukrainian forces."), ev("Both sides agreed to a prisoner exchange.")],
    )
    facts.demands.append(again)
    g = article_graph(facts)
    d = only(g, DIP.Demand)
    assert list(g.objects(d, DIP.modality)) == [Literal("asserted")], "single values keep the first"
    assert [c.toPython() for c in g.objects(d, DIP.confidence)] == [Decimal("0.95")], "confidence keeps the highest"
    assert len(set(g.objects(d, DIP.evidence))) == 2


def test_agreement_identity_ignores_party_order():
    facts = make_facts()
    a = facts.agreements[0]
    facts.agreements.append(Agreement(parties=list(reversed(a.parties)), text=a.text, evidence=a.evidence))
    assert len(list(article_graph(facts).subjects(RDF.type, DIP.Agreement))) == 1


def test_unknown_actor_key_still_gets_an_iri_from_its_key():
    facts = make_facts()
    facts.demands[0].of = "person:someone unknown"
    g = article_graph(facts)
    target = g.value(only(g, DIP.Demand), DIP.demandedOf)
    assert target == RES_["person/someone-unknown"]
    assert (target, RDF.type, None) not in g, "undescribed: validation reports it"


# ---- IRIs -----------------------------------------------------------------------------------


def test_same_input_same_graph(facts, graph):
    again = article_graph(make_facts())
    assert set(again) == set(graph), "no blank nodes, same IRIs: the graphs are equal, not just isomorphic"


def test_iris_are_stable_across_processes(graph):
    """Python's string hashing is salted per process; the IRIs must not depend on it."""
    script = (
        "import sys; sys.path.insert(0, %r)\n"
        "from test_rdf import make_facts\n"
        "from kg_builder.rdf import article_graph\n"
        "print('\\n'.join(sorted({str(s) for s in article_graph(make_facts()).subjects()})))\n"
    ) % str(__import__("pathlib").Path(__file__).parent)
    runs = [
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1] == "\n".join(sorted({str(s) for s in graph.subjects()})) + "\n"


HOSTILE = [
    'Abu "the Fox" <al-Baghdadi>',
    "  spaced   out  ",
    "Владимир Зеленский",
    "Владимир Путин",
    "李强",
    "José Ramos-Horta",
    "{curly}|pipe\\back^caret`tick",
    "",
    "   ",
    "!!!",
    "a\nnew\tline",
]


def hostile_facts() -> ArticleFacts:
    actors = {}
    for i, name in enumerate(HOSTILE):
        actors[f"person:{name}"] = Actor(f"person:{name}", "person", name, roles=[name], affiliations=[f"org:{name}"])
        actors[f"org:{name}"] = Actor(f"org:{name}", "organization", name, category=name)
        actors[f"country:{name}"] = Actor(f"country:{name}", "country", name, code=name or None)
    quote = TEXT[:20]
    demands = [
        Demand(by=f"person:{name}", of=f"country:{name}", text=name or "x", kind=name or None,
               evidence=[Evidence(quote, 0, 20)])
        for name in HOSTILE
    ]
    article = Article(text='<html> "quoted" {text}', url='https://news.example/a b"<c>"?q={x}|y')
    return ArticleFacts(article=article, actors=actors, demands=demands)


def test_iris_are_safe_for_hostile_text():
    g = article_graph(hostile_facts())
    iris = {t for triple in g for t in triple if isinstance(t, URIRef)}
    assert not [i for i in iris if not SAFE_IRI.match(i)]
    assert not any(isinstance(t, BNode) for triple in g for t in triple)
    # Every syntax reads back what was written.
    for fmt in ("nt", "turtle", "xml"):
        assert isomorphic(Graph().parse(data=g.serialize(format=fmt), format=fmt), g), fmt


def test_hostile_names_keep_distinct_iris():
    g = article_graph(hostile_facts())
    persons = set(g.subjects(RDF.type, DIP.Person))
    assert len(persons) == len(HOSTILE), "names with no Latin letters fall back to distinct hashes"
    assert RES_["person/jose-ramos-horta"] in persons
    assert all(re.fullmatch(r"[a-z0-9-]+", str(p).rsplit("/", 1)[1]) for p in persons)


def test_hostile_names_keep_their_text_in_literals():
    g = article_graph(hostile_facts())
    labels = {str(o) for o in g.objects(None, RDFS.label)}
    assert 'Abu "the Fox" <al-Baghdadi>' in labels and "Владимир Путин" in labels
    assert "" not in labels, "an empty name falls back to the key, never an empty label"


def test_article_url_is_percent_encoded_not_dropped():
    g = article_graph(hostile_facts())
    assert g.value(g.identifier, SCHEMA.url) == URIRef("https://news.example/a%20b%22%3Cc%3E%22?q=%7Bx%7D%7Cy")


def test_relative_url_becomes_an_anyuri_literal():
    g = article_graph(ArticleFacts(article=Article(text="t", url="news/today.html")))
    assert g.value(g.identifier, SCHEMA.url) == Literal("news/today.html", datatype=XSD.anyURI)


def test_custom_base_iri(facts):
    g = article_graph(facts, base_iri="http://example.org/kg")
    assert str(g.identifier) == f"http://example.org/kg/article/{facts.article.id}"
    assert all(str(s).startswith("http://example.org/kg/") for s in g.subjects())


@pytest.mark.parametrize("base", ["", "no-scheme/", "http://example.org/a b/", 'http://x/"q"/'])
def test_bad_base_iri_is_refused(facts, base):
    with pytest.raises(ValueError, match="base IRI"):
        article_graph(facts, base_iri=base)


# ---- writers' helpers ---------------------------------------------------------------------


def test_dataset_of_keeps_one_named_graph_per_article(graph):
    other = article_graph(ArticleFacts(article=Article(text="Another article.")))
    ds = dataset_of([graph, other])
    names = {g.identifier for g in ds.graphs() if len(g)}
    assert names == {graph.identifier, other.identifier}
    assert set(ds.graph(graph.identifier)) == set(graph)
    trig = ds.serialize(format="trig")
    assert "@prefix dip: <https://w3id.org/dipkg/ontology#>" in trig


def test_json_ld_context_round_trips_an_article_graph(graph):
    context = json.loads(ontology_file("context.jsonld").read_text())["@context"]
    text = graph.serialize(format="json-ld", context=context)
    doc = json.loads(text)
    assert "demandedBy" in text and "dip:demandedBy" not in json.dumps(doc.get("@graph", doc))
    assert isomorphic(Graph().parse(data=text, format="json-ld"), graph)


def test_rdf_stage_does_not_import_spacy():
    code = "import sys, kg_builder.rdf; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# -- found by tests/test_properties.py -------------------------------------------------------------
@pytest.mark.parametrize("url", ["http://[::1", "http://ex.org/%zz", "http://ex.org/100%", " JAVASCRIPT:x y",
                                 "https://ex.org/\x00\x1b[31m\ufffe", "http://x/\ud800"])
def test_any_article_url_becomes_a_term_the_writers_accept(url, tmp_path):
    """URLs that crashed the mapping (urlsplit's "Invalid IPv6 URL") or the writer (a stray '%',
    a space after a scheme, a lone surrogate) now give an IRI or an xsd:anyURI literal."""
    from kg_builder.rdf.writer import to_quads, write

    facts = ArticleFacts(article=Article(text="Russia and Ukraine met.", url=url, source="t"))
    graph = article_graph(facts)
    write(to_quads([graph]), tmp_path / "kg.nq", "nq", {})
    from rdflib import Dataset

    back = Dataset()
    back.parse(tmp_path / "kg.nq", format="nquads")
    assert len(back) == len(graph)


def test_hand_made_article_with_control_characters_and_surrogates_maps_and_writes(tmp_path):
    from kg_builder.rdf.writer import to_quads, write

    text = "Russia\x0c demanded\ud800 a \x1b[31mceasefire."
    facts = ArticleFacts(article=Article(text=text, title="T\x00", source="t"), demands=[
        Demand(by="country:RU", text="a \x1b[31mceasefire", evidence=[Evidence(text[:-1], 0, len(text) - 1)])])
    graph = article_graph(facts)
    write(to_quads([graph]), tmp_path / "kg.trig", "trig", {})
    texts = [str(o) for o in graph.objects(None, DIP.text)]
    assert "Russia  demanded  a      ceasefire." in texts  # same length: offsets still hold
