"""The ontology: parses, documents every term, aligns with public vocabularies, lets a reasoner find
mediators, and carries the kind scheme the mapping doc lists."""
from __future__ import annotations

import json
import re
from pathlib import Path

import owlrl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

from kg_builder.rdf import DIP, DIPK, KIND_SCHEME, SCHEMA
from kg_builder.resources import ontology_file

ONTOLOGY_IRI = URIRef("https://w3id.org/dipkg/ontology")
MAPPING_DOC = Path(__file__).resolve().parents[1] / "docs" / "rdf-mapping.md"

CLASSES = [
    "Actor", "Person", "Country", "Organization", "Delegation", "Mediator", "Negotiation",
    "Demand", "Agreement", "Condition", "Evidence",
]
PROPERTIES = [
    "roleTitle", "affiliatedWith", "represents", "ledBy", "hasMember", "participant", "mediatedBy",
    "location", "date", "demandedBy", "demandedOf", "text", "party", "reachedIn", "setBy", "appliesTo",
    "requires", "statedBy", "evidence", "quote", "charStart", "charEnd", "inArticle", "kind", "modality",
    "confidence", "isoCode", "category",
]
#: CAMEO 1.1b3 codes of the act of granting/agreeing each kind (checked against the CAMEO codebook).
NOTATIONS = {
    "ceasefire": "0871", "prisoner-exchange": "0841", "withdrawal": "0874", "security-guarantees": "074",
    "sanctions": "085", "talks": "046", "humanitarian-access": "0863", "recognition": "054",
    "disarmament": "0873", "trade": "061", "peace-settlement": "057",
}
WITHOUT_NOTATION = {"territory", "neutrality", "elections", "normalisation", "nuclear"}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ontology_file("diplomacy.ttl"))


def dip_terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(str(DIP))}


def is_property(g: Graph, term: URIRef) -> bool:
    kinds = set(g.objects(term, RDF.type))
    return bool(kinds & {OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property})


def test_header(onto):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert onto.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert onto.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://www.apache.org/licenses/LICENSE-2.0")
    assert onto.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert onto.value(ONTOLOGY_IRI, DCTERMS.description) is not None


@pytest.mark.parametrize("name", CLASSES)
def test_required_classes_exist(onto, name):
    assert (DIP[name], RDF.type, OWL.Class) in onto


@pytest.mark.parametrize("name", PROPERTIES)
def test_required_properties_exist(onto, name):
    assert is_property(onto, DIP[name]), name


def test_every_term_has_label_and_definition(onto):
    terms = dip_terms(onto)
    assert len(terms) >= len(CLASSES) + len(PROPERTIES)
    missing = [
        t for t in terms
        if onto.value(t, RDFS.label) is None
        or (onto.value(t, SKOS.definition) is None and onto.value(t, RDFS.comment) is None)
    ]
    assert missing == []


def test_every_property_has_domain_and_range(onto):
    properties = [t for t in dip_terms(onto) if is_property(onto, t)]
    assert len(properties) >= len(PROPERTIES)
    assert [p for p in properties if onto.value(p, RDFS.domain) is None or onto.value(p, RDFS.range) is None] == []


def test_every_term_is_a_class_or_a_property(onto):
    assert [t for t in dip_terms(onto) if not is_property(onto, t) and (t, RDF.type, OWL.Class) not in onto] == []


def test_terms_used_by_the_mapping_and_shapes_are_defined(onto):
    """Every dip: IRI in the mapping doc and the shapes is a term of the ontology (catches typos)."""
    defined = {str(t) for t in dip_terms(onto)}
    used = {str(DIP) + name for name in re.findall(r"\bdip:([A-Za-z]+)", MAPPING_DOC.read_text())}
    shapes = Graph().parse(ontology_file("shapes.ttl"))
    used |= {str(o) for o in shapes.objects() if isinstance(o, URIRef) and str(o).startswith(str(DIP))}
    assert used and used <= defined, sorted(used - defined)


def test_alignment_with_public_vocabularies(onto):
    sub = lambda a, b: (a, RDFS.subClassOf, b) in onto  # noqa: E731
    assert sub(DIP.Person, SCHEMA.Person) and sub(DIP.Person, FOAF.Person)
    assert sub(DIP.Organization, SCHEMA.Organization) and sub(DIP.Organization, ORG.Organization)
    assert sub(DIP.Evidence, PROV.Entity) and sub(DIP.Country, SCHEMA.Country)
    assert sub(DIP.Negotiation, SCHEMA.Event)
    assert (DIP.evidence, RDFS.subPropertyOf, PROV.wasDerivedFrom) in onto
    assert (DIP.hasMember, RDFS.subPropertyOf, ORG.hasMember) in onto
    assert (DIP.inArticle, RDFS.range, SCHEMA.NewsArticle) in onto


def test_subclasses_are_actors(onto):
    for cls in (DIP.Person, DIP.Country, DIP.Organization):
        assert (cls, RDFS.subClassOf, DIP.Actor) in onto


def test_applies_to_and_requires_admit_literals_and_resources(onto):
    """The eval README: dip:appliesTo / dip:requires may point at a literal or at a resource."""
    for p in (DIP.appliesTo, DIP.requires):
        assert set(onto.objects(p, RDF.type)) == {RDF.Property}, "neither Object- nor DatatypeProperty"
        assert onto.value(p, RDFS.range) == RDFS.Resource
        assert onto.value(p, RDFS.comment) is not None


def test_mediator_axiom_is_present(onto):
    ask = """
        ASK {
            dip:Mediator owl:equivalentClass ?c .
            ?c owl:intersectionOf ?list .
            ?list rdf:rest*/rdf:first dip:Actor .
            ?list rdf:rest*/rdf:first ?r .
            ?r owl:onProperty [ owl:inverseOf dip:mediatedBy ] ; owl:someValuesFrom dip:Negotiation .
        }"""
    assert onto.query(ask, initNs={"dip": DIP, "owl": OWL, "rdf": RDF}).askAnswer


def test_reasoner_infers_mediators_and_only_mediators(onto):
    g = Graph()
    g += onto
    talks, turkey, russia = (URIRef(f"urn:test:{n}") for n in ("talks", "turkey", "russia"))
    g.add((talks, RDF.type, DIP.Negotiation))
    for actor in (turkey, russia):
        g.add((actor, RDF.type, DIP.Country))
    g.add((talks, DIP.mediatedBy, turkey))
    g.add((talks, DIP.participant, russia))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    assert (turkey, RDF.type, DIP.Mediator) in g
    assert (russia, RDF.type, DIP.Mediator) not in g
    assert (turkey, RDF.type, DIP.Actor) in g, "Country is an Actor"


def kinds_in_mapping_doc() -> set[str]:
    section = MAPPING_DOC.read_text().split("## Kinds", 1)[1]
    listed = section.split("Each is a", 1)[0]
    return set(re.findall(r"`([a-z-]+)`", listed))


def test_kind_scheme_matches_the_mapping_doc(onto):
    listed = kinds_in_mapping_doc()
    assert len(listed) == 16
    in_scheme = {str(c).removeprefix(str(DIPK)) for c in onto.subjects(SKOS.inScheme, KIND_SCHEME)}
    assert in_scheme == listed
    assert (KIND_SCHEME, RDF.type, SKOS.ConceptScheme) in onto


@pytest.mark.parametrize("kind", sorted(kinds_in_mapping_doc()))
def test_each_kind_is_described(onto, kind):
    concept = DIPK[kind]
    assert (concept, RDF.type, SKOS.Concept) in onto
    assert onto.value(concept, SKOS.prefLabel) is not None
    assert onto.value(concept, SKOS.definition) is not None
    assert (KIND_SCHEME, SKOS.hasTopConcept, concept) in onto
    assert onto.value(concept, SKOS.note) is not None, "PLOVER / CAMEO remarks"


def test_kind_notations_are_the_cameo_codes(onto):
    assert set(NOTATIONS) | WITHOUT_NOTATION == kinds_in_mapping_doc()
    for kind, code in NOTATIONS.items():
        assert list(onto.objects(DIPK[kind], SKOS.notation)) == [Literal(code)], kind
        assert f"CAMEO {code}" in str(onto.value(DIPK[kind], SKOS.note)), kind
    for kind in WITHOUT_NOTATION:
        assert onto.value(DIPK[kind], SKOS.notation) is None, kind


def test_notations_are_unique_within_the_scheme(onto):
    codes = [str(n) for n in onto.objects(None, SKOS.notation)]
    assert len(codes) == len(set(codes))


def test_modality_range_lists_the_four_values(onto):
    datatype = onto.value(DIP.modality, RDFS.range)
    values = list(onto.items(onto.value(datatype, OWL.oneOf)))
    assert [str(v) for v in values] == ["asserted", "future", "hypothetical", "negated"]
    shapes = Graph().parse(ontology_file("shapes.ttl"))
    modality_shape = next(s for s in shapes.subjects(SH.path, DIP.modality))
    assert [str(v) for v in shapes.items(shapes.value(modality_shape, SH["in"]))] == [str(v) for v in values]


def test_json_ld_context_terms_are_defined(onto):
    context = json.loads(ontology_file("context.jsonld").read_text())["@context"]
    defined = {str(t) for t in dip_terms(onto)}
    for term, value in context.items():
        iri = value["@id"] if isinstance(value, dict) else value
        if isinstance(iri, str) and iri.startswith("dip:"):
            assert str(DIP) + iri[4:] in defined, term
    assert {name for name in PROPERTIES + CLASSES} <= set(context)


def test_ontology_and_shapes_load_together_without_clashes(onto):
    """The validator unions them: no term may be both a class and a property, and xsd: stays standard."""
    shapes = Graph().parse(ontology_file("shapes.ttl"))
    both = Graph()
    both += onto
    both += shapes
    classes = set(both.subjects(RDF.type, OWL.Class))
    assert not [t for t in classes if is_property(both, t)]
    assert (DIP.charStart, RDFS.range, XSD.integer) in both
