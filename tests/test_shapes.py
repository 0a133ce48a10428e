"""The SHACL shapes: a graph built by the mapping conforms; each way of breaking it is caught by the
shape that guards against it, with that shape's message."""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS, XSD

from kg_builder.errors import ValidationError
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
from kg_builder.rdf import DIP, DIPK, DIPSH, SCHEMA, article_graph
from kg_builder.resources import ontology_file
from kg_builder.validate import ValidationReport, Validator, load_validator, validate

TEXT = (
    "Delegations met in Istanbul. Qatar mediated the talks. Medinsky led Russia's delegation. "
    "Russia demanded a withdrawal. Both agreed a prisoner swap. No ceasefire without withdrawal."
)


def ev(sentence: str) -> Evidence:
    start = TEXT.index(sentence)
    return Evidence(sentence, start, start + len(sentence))


def minimal_facts() -> ArticleFacts:
    """One of everything, each with only what the shapes require (plus a few optional values to break)."""
    return ArticleFacts(
        article=Article(text=TEXT, title="Talks", url="https://news.example/t", date=dt.date(2025, 5, 17)),
        actors={
            "country:RU": Actor("country:RU", "country", "Russia", code="RU"),
            "country:UA": Actor("country:UA", "country", "Ukraine", code="UA"),
            "country:QA": Actor("country:QA", "country", "Qatar", code="QA"),
            "person:medinsky": Actor(
                "person:medinsky", "person", "Vladimir Medinsky", roles=["chief negotiator"], affiliations=["country:RU"]
            ),
            "org:icrc": Actor("org:icrc", "organization", "ICRC", aliases=["Red Cross"], category="humanitarian"),
        },
        delegations=[
            Delegation("d:ru", "country:RU", leader="person:medinsky", members=["person:medinsky"],
                       evidence=[ev("Medinsky led Russia's delegation.")])
        ],
        negotiations=[
            Negotiation("n:ist", "Istanbul talks", participants=["country:RU", "d:ru", "country:UA"],
                        mediators=["country:QA"], location="Istanbul", date=dt.date(2025, 5, 16),
                        evidence=[ev("Qatar mediated the talks.")])
        ],
        demands=[
            Demand("country:RU", "withdrawal", of="country:UA", kind="withdrawal", stated_by="person:medinsky",
                   confidence=0.7, evidence=[ev("Russia demanded a withdrawal.")])
        ],
        agreements=[
            Agreement(["country:RU", "country:UA"], "prisoner swap", kind="prisoner-exchange", reached_in="n:ist",
                      evidence=[ev("Both agreed a prisoner swap.")])
        ],
        conditions=[
            Condition("country:RU", "ceasefire", "withdrawal", modality="negated",
                      evidence=[ev("No ceasefire without withdrawal.")])
        ],
    )


@pytest.fixture(scope="module")
def validator() -> Validator:
    return load_validator()


@pytest.fixture
def graph() -> Graph:
    return article_graph(minimal_facts())


def node(g: Graph, cls: URIRef) -> URIRef:
    (found,) = g.subjects(RDF.type, cls)
    return found


def country(g: Graph, code: str) -> URIRef:
    return g.value(predicate=DIP.isoCode, object=Literal(code))


def evidence_of(g: Graph, cls: URIRef) -> URIRef:
    return g.value(node(g, cls), DIP.evidence)


def drop(p: URIRef, cls: URIRef) -> Callable[[Graph], None]:
    return lambda g: g.remove((node(g, cls), p, None))


def add(p: URIRef, cls: URIRef, value) -> Callable[[Graph], None]:
    return lambda g: g.add((node(g, cls), p, value(g) if callable(value) else value))


def replace(p: URIRef, cls: URIRef, value) -> Callable[[Graph], None]:
    return lambda g: g.set((node(g, cls), p, value(g) if callable(value) else value))


def on_evidence(change: Callable[[Graph, URIRef], None]) -> Callable[[Graph], None]:
    return lambda g: change(g, evidence_of(g, DIP.Demand))


def shape_message(shape: URIRef, path: URIRef | str | None = None) -> str:
    """The sh:message of ``shape``, read from shapes.ttl itself.

    ``path`` picks the property shape on that path; a string picks the one message of the shape
    containing it (for two checks on one path, or an inverse path); None the node-level message.
    """
    shapes = Graph().parse(ontology_file("shapes.ttl"))
    if path is None:
        return str(shapes.value(shape, SH.message))
    property_shapes = list(shapes.objects(shape, SH.property))
    if not isinstance(path, URIRef):  # URIRef is a str too
        candidates = [shapes.value(ps, SH.message) for ps in property_shapes]
        messages = {str(m) for m in candidates if m is not None and path in str(m)}
    else:
        messages = {str(shapes.value(ps, SH.message)) for ps in property_shapes if shapes.value(ps, SH.path) == path}
    assert len(messages) == 1, (shape, path, messages)
    return messages.pop()


QA = lambda g: country(g, "QA")  # noqa: E731
ARTICLE = lambda g: g.identifier  # noqa: E731

#: (shape, which of its messages to expect (see shape_message), how to break the graph)
BREAKS: dict[str, tuple[URIRef, URIRef | str | None, Callable[[Graph], None]]] = {
    # articles
    "article without text": (DIPSH.ArticleShape, DIP.text, lambda g: g.remove((g.identifier, DIP.text, None))),
    "article with two texts": (DIPSH.ArticleShape, DIP.text, lambda g: g.add((g.identifier, DIP.text, Literal("x")))),
    "article date as string": (
        DIPSH.ArticleShape, SCHEMA.datePublished,
        lambda g: g.set((g.identifier, SCHEMA.datePublished, Literal("17 May 2025"))),
    ),
    "article with two headlines": (
        DIPSH.ArticleShape, SCHEMA.headline, lambda g: g.add((g.identifier, SCHEMA.headline, Literal("Other")))
    ),
    # actors
    "bare actor": (DIPSH.ActorShape, None, lambda g: g.add((URIRef("urn:x:someone"), RDF.type, DIP.Actor))),
    "actor both person and country": (
        DIPSH.ActorShape, None, lambda g: g.add((node(g, DIP.Person), RDF.type, DIP.Country))
    ),
    "altLabel as IRI": (DIPSH.ActorShape, SKOS.altLabel, add(SKOS.altLabel, DIP.Organization, URIRef("urn:x:a"))),
    "person without label": (DIPSH.PersonShape, RDFS.label, drop(RDFS.label, DIP.Person)),
    "person with empty label": (DIPSH.PersonShape, RDFS.label, replace(RDFS.label, DIP.Person, Literal(""))),
    "empty role title": (DIPSH.PersonShape, DIP.roleTitle, add(DIP.roleTitle, DIP.Person, Literal(""))),
    "affiliated with a person": (
        DIPSH.PersonShape, DIP.affiliatedWith, add(DIP.affiliatedWith, DIP.Person, lambda g: node(g, DIP.Person))
    ),
    "country without label": (DIPSH.CountryShape, RDFS.label, lambda g: g.remove((QA(g), RDFS.label, None))),
    "lower-case iso code": (DIPSH.CountryShape, DIP.isoCode, lambda g: g.set((QA(g), DIP.isoCode, Literal("qa")))),
    "two iso codes": (DIPSH.CountryShape, DIP.isoCode, lambda g: g.add((QA(g), DIP.isoCode, Literal("QT")))),
    "organization without label": (DIPSH.OrganizationShape, RDFS.label, drop(RDFS.label, DIP.Organization)),
    "two categories": (DIPSH.OrganizationShape, DIP.category, add(DIP.category, DIP.Organization, Literal("other"))),
    "organisation affiliated with a person": (
        DIPSH.OrganizationShape, DIP.affiliatedWith,
        add(DIP.affiliatedWith, DIP.Organization, lambda g: node(g, DIP.Person)),
    ),
    "mediator that mediates nothing": (
        DIPSH.MediatorShape, "must mediate", lambda g: g.add((country(g, "UA"), RDF.type, DIP.Mediator))
    ),
    # delegations and negotiations
    "delegation representing nobody": (DIPSH.DelegationShape, DIP.represents, drop(DIP.represents, DIP.Delegation)),
    "delegation representing two": (
        DIPSH.DelegationShape, DIP.represents, add(DIP.represents, DIP.Delegation, lambda g: country(g, "UA"))
    ),
    "delegation representing an article": (
        DIPSH.DelegationShape, DIP.represents, replace(DIP.represents, DIP.Delegation, ARTICLE)
    ),
    "delegation led by a country": (
        DIPSH.DelegationShape, DIP.ledBy, replace(DIP.ledBy, DIP.Delegation, lambda g: country(g, "RU"))
    ),
    "delegation member a country": (
        DIPSH.DelegationShape, DIP.hasMember, add(DIP.hasMember, DIP.Delegation, lambda g: country(g, "RU"))
    ),
    "delegation evidence not evidence": (
        DIPSH.DelegationShape, DIP.evidence, add(DIP.evidence, DIP.Delegation, ARTICLE)
    ),
    "negotiation without label": (DIPSH.NegotiationShape, RDFS.label, drop(RDFS.label, DIP.Negotiation)),
    "negotiation without evidence": (DIPSH.NegotiationShape, DIP.evidence, drop(DIP.evidence, DIP.Negotiation)),
    "negotiation with two dates": (
        DIPSH.NegotiationShape, DIP.date, add(DIP.date, DIP.Negotiation, Literal(dt.date(2025, 5, 17)))
    ),
    "negotiation date as string": (
        DIPSH.NegotiationShape, DIP.date, replace(DIP.date, DIP.Negotiation, Literal("Friday"))
    ),
    "negotiation with two locations": (
        DIPSH.NegotiationShape, DIP.location, add(DIP.location, DIP.Negotiation, Literal("Ankara"))
    ),
    "participant is an article": (DIPSH.NegotiationShape, DIP.participant, add(DIP.participant, DIP.Negotiation, ARTICLE)),
    "mediator is a literal": (
        DIPSH.NegotiationShape, DIP.mediatedBy, add(DIP.mediatedBy, DIP.Negotiation, Literal("Qatar"))
    ),
    # demands
    "demand without demandedBy": (DIPSH.DemandShape, DIP.demandedBy, drop(DIP.demandedBy, DIP.Demand)),
    "demand with two demandedBy": (
        DIPSH.DemandShape, DIP.demandedBy, add(DIP.demandedBy, DIP.Demand, lambda g: country(g, "UA"))
    ),
    "demand by an unknown key": (
        DIPSH.DemandShape, DIP.demandedBy, replace(DIP.demandedBy, DIP.Demand, URIRef("urn:x:undescribed"))
    ),
    "demand of two": (DIPSH.DemandShape, DIP.demandedOf, add(DIP.demandedOf, DIP.Demand, lambda g: country(g, "QA"))),
    "demand without text": (DIPSH.DemandShape, DIP.text, drop(DIP.text, DIP.Demand)),
    "demand with two texts": (DIPSH.DemandShape, DIP.text, add(DIP.text, DIP.Demand, Literal("another"))),
    "demand with empty text": (DIPSH.DemandShape, DIP.text, replace(DIP.text, DIP.Demand, Literal(""))),
    "demand of unknown kind": (DIPSH.DemandShape, DIP.kind, replace(DIP.kind, DIP.Demand, DIPK["bogus"])),
    "demand kind not in scheme": (DIPSH.DemandShape, DIP.kind, replace(DIP.kind, DIP.Demand, DIP.Person)),
    "demand stated by a country": (
        DIPSH.DemandShape, DIP.statedBy, replace(DIP.statedBy, DIP.Demand, lambda g: country(g, "RU"))
    ),
    "bad modality": (DIPSH.DemandShape, DIP.modality, replace(DIP.modality, DIP.Demand, Literal("maybe"))),
    "two modalities": (DIPSH.DemandShape, DIP.modality, add(DIP.modality, DIP.Demand, Literal("future"))),
    "confidence above one": (
        DIPSH.DemandShape, DIP.confidence, replace(DIP.confidence, DIP.Demand, Literal("1.5", datatype=XSD.decimal))
    ),
    "confidence as string": (DIPSH.DemandShape, DIP.confidence, replace(DIP.confidence, DIP.Demand, Literal("0.5"))),
    "demand without evidence": (DIPSH.DemandShape, DIP.evidence, drop(DIP.evidence, DIP.Demand)),
    "demand evidence not evidence": (DIPSH.DemandShape, DIP.evidence, replace(DIP.evidence, DIP.Demand, ARTICLE)),
    # agreements
    "agreement without parties": (DIPSH.AgreementShape, DIP.party, drop(DIP.party, DIP.Agreement)),
    "agreement party a literal": (DIPSH.AgreementShape, DIP.party, add(DIP.party, DIP.Agreement, Literal("Russia"))),
    "agreement without text": (DIPSH.AgreementShape, DIP.text, drop(DIP.text, DIP.Agreement)),
    "agreement with two texts": (DIPSH.AgreementShape, DIP.text, add(DIP.text, DIP.Agreement, Literal("more"))),
    "agreement reached in an article": (
        DIPSH.AgreementShape, DIP.reachedIn, replace(DIP.reachedIn, DIP.Agreement, ARTICLE)
    ),
    "agreement confidence negative": (
        DIPSH.AgreementShape, DIP.confidence, replace(DIP.confidence, DIP.Agreement, Literal("-0.1", datatype=XSD.decimal))
    ),
    "agreement without evidence": (DIPSH.AgreementShape, DIP.evidence, drop(DIP.evidence, DIP.Agreement)),
    # conditions
    "condition without setBy": (DIPSH.ConditionShape, DIP.setBy, drop(DIP.setBy, DIP.Condition)),
    "condition set by two": (
        DIPSH.ConditionShape, DIP.setBy, add(DIP.setBy, DIP.Condition, lambda g: country(g, "UA"))
    ),
    "condition without appliesTo": (DIPSH.ConditionShape, DIP.appliesTo, drop(DIP.appliesTo, DIP.Condition)),
    "condition applying to two things": (
        DIPSH.ConditionShape, DIP.appliesTo, add(DIP.appliesTo, DIP.Condition, Literal("talks"))
    ),
    "condition applying to a blank node": (
        DIPSH.ConditionShape, DIP.appliesTo, replace(DIP.appliesTo, DIP.Condition, BNode())
    ),
    "condition without requires": (DIPSH.ConditionShape, DIP.requires, drop(DIP.requires, DIP.Condition)),
    "condition with bad modality": (
        DIPSH.ConditionShape, DIP.modality, replace(DIP.modality, DIP.Condition, Literal("Negated"))
    ),
    "condition without evidence": (DIPSH.ConditionShape, DIP.evidence, drop(DIP.evidence, DIP.Condition)),
    # evidence
    "evidence without quote": (DIPSH.EvidenceShape, DIP.quote, on_evidence(lambda g, e: g.remove((e, DIP.quote, None)))),
    "evidence with two quotes": (
        DIPSH.EvidenceShape, DIP.quote, on_evidence(lambda g, e: g.add((e, DIP.quote, Literal("Russia"))))
    ),
    "charStart as string": (
        DIPSH.EvidenceShape, "exactly one dip:charStart",
        on_evidence(lambda g, e: g.set((e, DIP.charStart, Literal("3")))),
    ),
    "negative charStart": (
        DIPSH.EvidenceShape, "exactly one dip:charStart",
        on_evidence(lambda g, e: g.set((e, DIP.charStart, Literal(-1, datatype=XSD.integer)))),
    ),
    "charEnd as decimal": (
        DIPSH.EvidenceShape, DIP.charEnd,
        on_evidence(lambda g, e: g.set((e, DIP.charEnd, Literal("120.0", datatype=XSD.decimal)))),
    ),
    "evidence without inArticle": (
        DIPSH.EvidenceShape, DIP.inArticle, on_evidence(lambda g, e: g.remove((e, DIP.inArticle, None)))
    ),
    "evidence in a non-article": (
        DIPSH.EvidenceShape, DIP.inArticle,
        on_evidence(lambda g, e: g.set((e, DIP.inArticle, node(g, DIP.Demand)))),
    ),
}


def test_minimal_graph_conforms(validator, graph):
    report = validator.validate(graph)
    assert report.conforms, "\n".join(map(str, report.violations))
    assert report.violations == []
    assert report.graph_iri == str(graph.identifier)


@pytest.mark.parametrize("case", sorted(BREAKS))
def test_each_break_is_caught_with_its_message(validator, graph, case):
    shape, path, breaking = BREAKS[case]
    breaking(graph)
    report = validator.validate(graph)
    assert not report.conforms
    expected = shape_message(shape, path)
    assert expected in report.messages, f"{case}: wanted {expected!r}, got {report.messages}"
    assert all(v.severity == "Violation" for v in report.violations)


@pytest.mark.parametrize("case", sorted(BREAKS))
def test_our_verdict_is_plain_pyshacls(validator, graph, case):
    """Our Validator speeds pyshacl up (parsed queries kept, parameters looked up by hash) while it
    runs; a plain ``pyshacl -s shapes.ttl -e diplomacy.ttl`` run, after ours, finds the same."""
    import pyshacl
    from pyshacl import shape

    from kg_builder.validate.validator import _ListWithSet, _violations

    BREAKS[case][2](graph)
    ours = validator.validate(graph)
    assert not isinstance(getattr(shape, "CONSTRAINT_PARAMS", [None])[0], _ListWithSet)  # left as found
    conforms, results, _ = pyshacl.validate(graph, shacl_graph=validator.shapes, ont_graph=validator.ontology,
                                            inference="none", allow_warnings=False)
    assert (ours.conforms, ours.violations) == (conforms, _violations(results, validator.shapes))


def test_char_start_after_char_end(validator, graph):
    e = evidence_of(graph, DIP.Demand)
    start, end = graph.value(e, DIP.charStart).toPython(), graph.value(e, DIP.charEnd).toPython()
    graph.set((e, DIP.charStart, Literal(end, datatype=XSD.integer)))
    graph.set((e, DIP.charEnd, Literal(start, datatype=XSD.integer)))
    report = validator.validate(graph)
    assert not report.conforms
    assert "dip:charStart must not be greater than dip:charEnd" in report.messages
    (violation,) = [v for v in report.violations if v.message.startswith("dip:charStart must not")]
    assert violation.focus == str(e) and violation.path == "dip:charStart"


def test_quote_that_is_not_the_article_text_at_its_offsets(validator, graph):
    e = evidence_of(graph, DIP.Demand)
    graph.set((e, DIP.quote, Literal("Russia demanded a ceasefire.")))
    report = validator.validate(graph)
    assert not report.conforms
    (violation,) = report.violations
    assert violation.focus == str(graph.identifier)
    assert str(e) in violation.message and "is not the article's dip:text" in violation.message


def test_offsets_count_code_points_like_python(validator):
    text = "Émigrés 😀 said: Kyiv demands talks."
    quote = "Kyiv demands talks."
    start = text.index(quote)
    facts = ArticleFacts(
        article=Article(text=text),
        actors={"country:UA": Actor("country:UA", "country", "Ukraine", code="UA")},
        demands=[Demand("country:UA", "talks", kind="talks", evidence=[Evidence(quote, start, start + len(quote))])],
    )
    report = validator.validate(article_graph(facts))
    assert report.conforms, report.violations


def test_mediator_typed_where_it_mediates_conforms(validator, graph):
    graph.add((country(graph, "QA"), RDF.type, DIP.Mediator))
    assert validator.validate(graph).conforms


def test_condition_may_point_at_a_resource(validator, graph):
    """The eval README allows dip:appliesTo / dip:requires to be resources with a dip:text."""
    thing = URIRef("urn:x:ceasefire")
    graph.set((node(graph, DIP.Condition), DIP.appliesTo, thing))
    graph.add((thing, DIP.text, Literal("ceasefire")))
    assert validator.validate(graph).conforms


def test_every_targeted_shape_is_exercised_by_a_break():
    shapes = Graph().parse(ontology_file("shapes.ttl"))
    targeted = set(shapes.subjects(SH.targetClass, None))
    assert targeted == {shape for shape, _, _ in BREAKS.values()}


def test_every_shape_class_is_covered():
    """Each dip: class of the ontology has a shape targeting it."""
    ontology = Graph().parse(ontology_file("diplomacy.ttl"))
    shapes = Graph().parse(ontology_file("shapes.ttl"))
    classes = {c for c in ontology.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class"))
               if isinstance(c, URIRef) and str(c).startswith(str(DIP))}
    assert classes and classes <= set(shapes.objects(None, SH.targetClass))


def test_every_property_shape_has_a_message():
    shapes = Graph().parse(ontology_file("shapes.ttl"))
    property_shapes = set(shapes.objects(None, SH.property)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    assert property_shapes
    assert not [ps for ps in property_shapes if shapes.value(ps, SH.message) is None]
    for shape in shapes.subjects(SH.targetClass, None):
        has_own = any(shapes.value(shape, p) is not None for p in (SH["or"], SH.xone, SH.sparql))
        if has_own:
            assert shapes.value(shape, SH.message) or shapes.value(shapes.value(shape, SH.sparql), SH.message)


def test_validate_function_without_validator(graph):
    report = validate(graph)
    assert isinstance(report, ValidationReport) and report.conforms


def test_report_raises_validation_error_naming_the_graph(validator, graph):
    drop(DIP.demandedBy, DIP.Demand)(graph)
    report = validator.validate(graph)
    with pytest.raises(ValidationError, match=str(graph.identifier).replace("/", ".")):
        report.raise_for_violations()
    validator.validate(article_graph(minimal_facts())).raise_for_violations()  # conforming: no error


def test_rdfs_inference_option_gives_the_same_verdicts(graph):
    rdfs = load_validator(inference="rdfs")
    assert rdfs.validate(graph).conforms
    drop(DIP.text, DIP.Demand)(graph)
    assert not rdfs.validate(graph).conforms


def test_bad_inference_option_is_refused():
    with pytest.raises(ValueError, match="inference"):
        load_validator(inference="owl-full")


def test_missing_shapes_file_is_a_validation_error(tmp_path):
    with pytest.raises(ValidationError, match="not found"):
        load_validator(shapes=tmp_path / "nope.ttl")


def test_broken_shapes_file_is_a_validation_error(tmp_path):
    broken = tmp_path / "shapes.ttl"
    broken.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\nthis is not turtle")
    with pytest.raises(ValidationError, match="shapes.ttl"):
        load_validator(shapes=broken)


def test_validating_a_larger_article_stays_fast(validator):
    """A build validates every article: one graph with dozens of facts must take well under a second."""
    facts = minimal_facts()
    quote = "Russia demanded a withdrawal."
    base = facts.demands[0]
    for i in range(40):
        facts.demands.append(Demand(base.by, f"demand number {i}", of=base.of, kind="withdrawal",
                                    evidence=[ev(quote), Evidence(TEXT[i:i + 10], i, i + 10)]))
    g = article_graph(facts)
    validator.validate(g)  # warm up
    started = time.perf_counter()
    report = validator.validate(g)
    elapsed = time.perf_counter() - started
    assert report.conforms, report.violations
    assert elapsed < 1.0, f"validating {len(g)} triples took {elapsed:.2f}s"


def test_dataset_is_validated_as_the_union_of_its_graphs(validator):
    from kg_builder.rdf import dataset_of

    good = article_graph(minimal_facts())
    bad = article_graph(ArticleFacts(article=Article(text="Other article."),
                                     demands=[Demand("country:RU", "", evidence=[])]))
    assert validator.validate(dataset_of([good])).conforms
    report = validator.validate(dataset_of([good, bad]))
    assert not report.conforms
    assert shape_message(DIPSH.DemandShape, DIP.evidence) in report.messages
