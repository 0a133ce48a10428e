"""ArticleFacts -> one named graph, triple for triple as docs/rdf-mapping.md lays out.

The mapping judges nothing: a fact that points at an unknown actor or kind still gets its
triples, and the shapes (``kg_builder.validate``) say what is wrong with it. Facts that mint the
same IRI (the extractor read the same demand twice) become one node: multi-valued properties
are merged, single-valued ones keep the first value, confidence keeps the highest.
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg_builder._text import clean
from kg_builder.model import (
    Actor,
    Agreement,
    ArticleFacts,
    Condition,
    Delegation,
    Demand,
    Evidence,
    Negotiation,
)
from kg_builder.rdf import iris
from kg_builder.rdf.iris import DEFAULT_BASE
from kg_builder.rdf.namespaces import DIP, DIPK, SCHEMA, bind_prefixes

def _text(value: str) -> Literal:
    """A string literal, cleaned of what no RDF or XML writer can hold (a hand-made Article may
    carry it; articles read by kg_builder.sources never do)."""
    return Literal(clean(value))


_ACTOR_CLASS = {"person": DIP.Person, "country": DIP.Country, "organization": DIP.Organization}


def article_graph(facts: ArticleFacts, base_iri: str = DEFAULT_BASE) -> Graph:
    """The named graph of one article; its identifier is the article IRI."""
    return _Mapper(facts, iris.check_base(base_iri)).run()


def dataset_of(graphs: Iterable[Graph]) -> Dataset:
    """Article graphs gathered into one dataset, each under its own name (for TriG / N-Quads writers)."""
    dataset = Dataset()
    bind_prefixes(dataset)
    for graph in graphs:
        target = dataset.graph(graph.identifier)
        for triple in graph:
            target.add(triple)
        for prefix, ns in graph.namespaces():
            dataset.bind(prefix, ns, override=False)
    return dataset


class _Mapper:
    """One run of the mapping; holds the graph being written and the key -> IRI lookups."""

    def __init__(self, facts: ArticleFacts, base: str):
        self.facts = facts
        self.base = base
        self.article_id = facts.article.id
        self.article = iris.article_iri(base, facts.article)
        # "none": rdflib's two dozen default prefixes cost more to bind than the triples to add
        self.graph = bind_prefixes(Graph(identifier=self.article, bind_namespaces="none"), base)
        self.delegation_keys = {d.key for d in facts.delegations}

    # ---- lookups -------------------------------------------------------------------------

    def ref(self, key: str) -> URIRef:
        """The node an actor key points at: an actor, else a delegation, else an IRI from the key."""
        actor = self.facts.actors.get(key)
        if actor is not None:
            return iris.actor_iri(self.base, actor)
        if key in self.delegation_keys:
            return self.delegation_iri(key)
        return iris.key_iri(self.base, key)

    def delegation_iri(self, key: str) -> URIRef:
        return iris.fact_iri(self.base, "delegation", self.article_id, key)

    def negotiation_iri(self, key: str) -> URIRef:
        return iris.fact_iri(self.base, "negotiation", self.article_id, key)

    # ---- writing helpers -----------------------------------------------------------------

    def add(self, s: Node, p: URIRef, o: Node) -> None:
        self.graph.add((s, p, o))

    def add_once(self, s: Node, p: URIRef, o: Node | None) -> None:
        """Add unless ``s`` already has a value for ``p`` (keeps single-valued properties single)."""
        if o is not None and self.graph.value(s, p) is None:
            self.graph.add((s, p, o))

    def evidence(self, node: URIRef, items: list[Evidence]) -> None:
        for ev in items:
            ev_iri = iris.fact_iri(self.base, "evidence", self.article_id, ev.start, ev.end, ev.quote)
            self.add(node, DIP.evidence, ev_iri)
            self.add(ev_iri, RDF.type, DIP.Evidence)
            self.add_once(ev_iri, DIP.quote, _text(ev.quote))
            self.add_once(ev_iri, DIP.charStart, Literal(ev.start, datatype=XSD.integer))
            self.add_once(ev_iri, DIP.charEnd, Literal(ev.end, datatype=XSD.integer))
            self.add_once(ev_iri, DIP.inArticle, self.article)

    def claim(self, node: URIRef, fact: Demand | Agreement | Condition) -> None:
        """What demands, agreements and conditions share: who said it, how sure, from where."""
        if fact.stated_by:
            self.add_once(node, DIP.statedBy, self.ref(fact.stated_by))
        self.add_once(node, DIP.modality, _text(fact.modality))
        # canonical lexical form ("0.85", not "0.8500"): stores that normalise decimals (Oxigraph)
        # then hold the very same term as our files
        lexical = format(Decimal(f"{fact.confidence:.4f}").normalize(), "f")
        confidence = Literal(lexical if "." in lexical else lexical + ".0", datatype=XSD.decimal)
        old = self.graph.value(node, DIP.confidence)
        if old is None or old.toPython() < confidence.toPython():
            self.graph.set((node, DIP.confidence, confidence))
        self.evidence(node, fact.evidence)

    def kind(self, node: URIRef, kind: str | None) -> None:
        if kind:
            self.add_once(node, DIP.kind, DIPK[iris.slug(kind)])

    # ---- the mapping ---------------------------------------------------------------------

    def run(self) -> Graph:
        self.map_article()
        for actor in self.facts.actors.values():
            self.map_actor(actor)
        for delegation in self.facts.delegations:
            self.map_delegation(delegation)
        for negotiation in self.facts.negotiations:
            self.map_negotiation(negotiation)
        for demand in self.facts.demands:
            self.map_demand(demand)
        for agreement in self.facts.agreements:
            self.map_agreement(agreement)
        for condition in self.facts.conditions:
            self.map_condition(condition)
        return self.graph

    def map_article(self) -> None:
        article, node = self.facts.article, self.article
        self.add(node, RDF.type, SCHEMA.NewsArticle)
        if article.title:
            self.add(node, SCHEMA.headline, _text(article.title))
        if article.url:
            self.add(node, SCHEMA.url, iris.url_term(article.url))
        if article.date:
            self.add(node, SCHEMA.datePublished, Literal(article.date, datatype=XSD.date))
        self.add(node, DIP.text, _text(article.text))

    def map_actor(self, actor: Actor) -> None:
        node = iris.actor_iri(self.base, actor)
        self.add(node, RDF.type, _ACTOR_CLASS[actor.kind])
        self.add(node, RDF.type, DIP.Actor)
        name = actor.name.strip() or iris.key_local(actor.key).strip() or actor.key
        self.add(node, RDFS.label, _text(name))
        for alias in actor.aliases:
            if alias.strip() and alias.strip() != name:
                self.add(node, SKOS.altLabel, _text(alias.strip()))
        if actor.kind != "country":
            for key in actor.affiliations:
                self.add(node, DIP.affiliatedWith, self.ref(key))
        if actor.kind == "person":
            for role in actor.roles:
                if role.strip():
                    self.add(node, DIP.roleTitle, _text(role.strip().lower()))
        elif actor.kind == "country":
            code = iris.iso2(actor.code)
            if code:
                self.add_once(node, DIP.isoCode, _text(code))
        elif actor.category:
            self.add_once(node, DIP.category, _text(actor.category))

    def map_delegation(self, delegation: Delegation) -> None:
        node = self.delegation_iri(delegation.key)
        represented = self.ref(delegation.represents)
        self.add(node, RDF.type, DIP.Delegation)
        self.add_once(node, DIP.represents, represented)
        if delegation.leader:
            self.add_once(node, DIP.ledBy, self.ref(delegation.leader))
        for member in delegation.members:
            self.add(node, DIP.hasMember, self.ref(member))
        label = delegation.label
        if not label:
            actor = self.facts.actors.get(delegation.represents)
            label = f"{actor.name if actor else delegation.represents} delegation"
        self.add_once(node, RDFS.label, _text(label))
        self.evidence(node, delegation.evidence)

    def map_negotiation(self, negotiation: Negotiation) -> None:
        node = self.negotiation_iri(negotiation.key)
        self.add(node, RDF.type, DIP.Negotiation)
        self.add_once(node, RDFS.label, _text(negotiation.label))
        for key in negotiation.participants:
            self.add(node, DIP.participant, self.ref(key))
        for key in negotiation.mediators:
            self.add(node, DIP.mediatedBy, self.ref(key))
        if negotiation.location:
            self.add_once(node, DIP.location, _text(negotiation.location))
        if negotiation.date:
            self.add_once(node, DIP.date, Literal(negotiation.date, datatype=XSD.date))
        self.evidence(node, negotiation.evidence)

    def map_demand(self, demand: Demand) -> None:
        node = iris.fact_iri(self.base, "demand", self.article_id, demand.by, demand.of, demand.text)
        self.add(node, RDF.type, DIP.Demand)
        self.add_once(node, DIP.demandedBy, self.ref(demand.by))
        if demand.of:
            self.add_once(node, DIP.demandedOf, self.ref(demand.of))
        self.add_once(node, DIP.text, _text(demand.text))
        self.kind(node, demand.kind)
        self.claim(node, demand)

    def map_agreement(self, agreement: Agreement) -> None:
        parties = sorted(set(agreement.parties))
        node = iris.fact_iri(self.base, "agreement", self.article_id, parties, agreement.text)
        self.add(node, RDF.type, DIP.Agreement)
        for key in parties:
            self.add(node, DIP.party, self.ref(key))
        self.add_once(node, DIP.text, _text(agreement.text))
        self.kind(node, agreement.kind)
        if agreement.reached_in:
            self.add_once(node, DIP.reachedIn, self.negotiation_iri(agreement.reached_in))
        self.claim(node, agreement)

    def map_condition(self, condition: Condition) -> None:
        node = iris.fact_iri(
            self.base, "condition", self.article_id,
            condition.set_by, condition.applies_to, condition.requires,
        )
        self.add(node, RDF.type, DIP.Condition)
        self.add_once(node, DIP.setBy, self.ref(condition.set_by))
        self.add_once(node, DIP.appliesTo, _text(condition.applies_to))
        self.add_once(node, DIP.requires, _text(condition.requires))
        self.claim(node, condition)
