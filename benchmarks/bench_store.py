"""Load and query N synthetic article graphs: our pyoxigraph store vs an in-memory rdflib Dataset.

    python benchmarks/bench_store.py [N]        (N articles, default 500)

Both sides get the same N-Quads text per article and run the same SPARQL over the union of
graphs. Prints the times and the rdflib/ours ratio. Not a test.
"""
from __future__ import annotations

import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

import rdflib

from kg_builder.store import Store

DIP = "https://w3id.org/dipkg/ontology#"
RES = "https://w3id.org/dipkg/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
COUNTRIES = ["RU", "UA", "TR", "QA", "US", "FR", "DE", "CN", "IN", "BR", "ZA", "SA", "EG", "IL", "PS", "IR"]

#: Four-pattern join (plus labels) over the union of graphs: each demand, who made it, of whom.
#: DISTINCT because Oxigraph's union default graph is a bag: a label stated in k articles matches
#: k times, so this form grows with how often actors recur (rdflib's union is a set).
JOIN_UNION = f"""
SELECT DISTINCT ?d ?byName ?ofName ?text WHERE {{
  ?d a <{DIP}Demand> ; <{DIP}demandedBy> ?by ; <{DIP}demandedOf> ?of ; <{DIP}text> ?text .
  ?by <{LABEL}> ?byName . ?of <{LABEL}> ?ofName .
}}"""
#: The same join inside each article graph, the form the shipped queries use.
JOIN_GRAPH = f"""
SELECT ?d ?byName ?ofName ?text WHERE {{ GRAPH ?g {{
  ?d a <{DIP}Demand> ; <{DIP}demandedBy> ?by ; <{DIP}demandedOf> ?of ; <{DIP}text> ?text .
  ?by <{LABEL}> ?byName . ?of <{LABEL}> ?ofName .
}} }}"""
#: Aggregate: how often each country mediates.
AGG = f"""
SELECT ?m (COUNT(DISTINCT ?t) AS ?n) WHERE {{ GRAPH ?g {{ ?t a <{DIP}Negotiation> ; <{DIP}mediatedBy> ?m . }} }}
GROUP BY ?m ORDER BY DESC(?n)"""


def article_nquads(i: int, rng: random.Random) -> tuple[str, str]:
    """One synthetic article graph, shaped like docs/rdf-mapping.md: actors, talks, demands, evidence."""
    aid = hashlib.sha256(f"url:https://example.org/{i}".encode()).hexdigest()[:16]
    g = f"<{RES}article/{aid}>"
    lines: list[str] = []

    def t(s: str, p: str, o: str) -> None:
        lines.append(f"{s} <{p}> {o} {g} .")

    def lit(v: str, dt: str | None = None) -> str:
        return f'"{v}"' + (f"^^<{XSD}{dt}>" if dt else "")

    t(g, RDF_TYPE, "<https://schema.org/NewsArticle>")
    t(g, "https://schema.org/headline", lit(f"Synthetic article {i}"))
    t(g, f"{DIP}text", lit(f"Article {i} text. " * 20))
    a, b, m = rng.sample(COUNTRIES, 3)
    for code in (a, b, m):
        c = f"<{RES}country/{code}>"
        t(c, RDF_TYPE, f"<{DIP}Country>")
        t(c, RDF_TYPE, f"<{DIP}Actor>")
        t(c, LABEL, lit(f"Country {code}"))
        t(c, f"{DIP}isoCode", lit(code))
    for k in range(rng.randint(2, 4)):
        p = f"<{RES}person/p{rng.randint(0, 300)}>"
        t(p, RDF_TYPE, f"<{DIP}Person>")
        t(p, LABEL, lit(p[-6:-1]))
        t(p, f"{DIP}roleTitle", lit("negotiator"))
        t(p, f"{DIP}affiliatedWith", f"<{RES}country/{rng.choice((a, b))}>")

    def evidence(n: int) -> str:
        e = f"<{RES}evidence/{aid}{n}>"
        t(e, RDF_TYPE, f"<{DIP}Evidence>")
        t(e, f"{DIP}quote", lit(f"sentence {n}"))
        t(e, f"{DIP}charStart", lit(str(n * 20), "integer"))
        t(e, f"{DIP}charEnd", lit(str(n * 20 + 19), "integer"))
        t(e, f"{DIP}inArticle", g)
        return e

    talks = f"<{RES}negotiation/{aid}>"
    t(talks, RDF_TYPE, f"<{DIP}Negotiation>")
    t(talks, LABEL, lit(f"talks {i}"))
    t(talks, f"{DIP}participant", f"<{RES}country/{a}>")
    t(talks, f"{DIP}participant", f"<{RES}country/{b}>")
    t(talks, f"{DIP}mediatedBy", f"<{RES}country/{m}>")
    t(talks, f"{DIP}date", lit(f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", "date"))
    t(talks, f"{DIP}evidence", evidence(0))
    for n in range(rng.randint(1, 3)):
        d = f"<{RES}demand/{aid}{n}>"
        by, of = (a, b) if n % 2 == 0 else (b, a)
        t(d, RDF_TYPE, f"<{DIP}Demand>")
        t(d, f"{DIP}demandedBy", f"<{RES}country/{by}>")
        t(d, f"{DIP}demandedOf", f"<{RES}country/{of}>")
        t(d, f"{DIP}text", lit(f"demand {n} of article {i}"))
        t(d, f"{DIP}confidence", lit("0.7", "decimal"))
        t(d, f"{DIP}evidence", evidence(n + 1))
    return g[1:-1], "\n".join(lines) + "\n"


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main(n: int) -> None:
    rng = random.Random(42)
    articles = [article_nquads(i, rng) for i in range(n)]
    quads = sum(text.count("\n") for _, text in articles)
    print(f"{n} synthetic articles, {quads} quads")

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "store")

        def load_ours():
            for iri, text in articles:
                store.replace_graph(iri, text, format="nq")
            return len(store)

        ds = rdflib.Dataset(default_union=True)

        def load_rdflib():
            for _, text in articles:
                ds.parse(data=text, format="nquads")
            return sum(len(g) for g in ds.graphs())

        results = []
        for name, ours, theirs in [
            ("load", load_ours, load_rdflib),
            ("join per graph", lambda: len(list(store.query(JOIN_GRAPH))), lambda: len(ds.query(JOIN_GRAPH))),
            ("join on union", lambda: len(list(store.query(JOIN_UNION))), lambda: len(ds.query(JOIN_UNION))),
            ("aggregate query", lambda: len(list(store.query(AGG))), lambda: len(ds.query(AGG))),
        ]:
            t_ours, r_ours = timed(ours)
            t_rdflib, r_rdflib = timed(theirs)
            if r_ours != r_rdflib:
                print(f"  warning: {name}: results differ ({r_ours} vs {r_rdflib})")
            results.append((name, t_ours, t_rdflib, r_ours))
        store.close()

    print(f"{'step':<16} {'pyoxigraph':>12} {'rdflib':>12} {'ratio':>9}  result")
    for name, t_ours, t_rdflib, r in results:
        print(f"{name:<16} {t_ours:>11.3f}s {t_rdflib:>11.3f}s {t_rdflib / max(t_ours, 1e-9):>8.1f}x  {r}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
