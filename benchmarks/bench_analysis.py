"""Time and peak memory of ``kg_builder.analysis.analyse`` on synthetic graphs of 10,000 and 100,000 facts.

The synthetic graph follows docs/rdf-mapping.md: ten facts per article, one evidence sentence per
fact; 30% negotiations (2-3 parties, a mediator in 60%), 30% demands, 20% agreements, 20%
conditions. Actors and distinct condition phrases grow with the number of facts (one actor per 25
facts, one phrase per 50), so a bigger graph is more of the same world, not a denser one.

Each size is analysed twice from an in-memory pyoxigraph store: once for wall time, once under
tracemalloc for peak Python memory (tracemalloc slows the run, so its time is not reported).

    .venv/bin/python benchmarks/bench_analysis.py            # 10k and 100k
    .venv/bin/python benchmarks/bench_analysis.py 2000 20000 # other sizes
"""
from __future__ import annotations

import random
import sys
import time
import tracemalloc

import pyoxigraph as ox

from kg_builder.analysis import analyse

RES = "https://w3id.org/dipkg/id/"
DIP = "https://w3id.org/dipkg/ontology#"
KINDS = ["ceasefire", "prisoner-exchange", "withdrawal", "territory", "neutrality", "security-guarantees",
         "sanctions", "talks", "humanitarian-access", "recognition", "disarmament", "elections",
         "normalisation", "trade", "nuclear", "peace-settlement"]
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def synthetic_nquads(n_facts: int, seed: int = 1) -> str:
    """N-Quads text of a graph with ``n_facts`` facts (see the module docstring)."""
    rnd = random.Random(seed)
    n_actors = max(20, n_facts // 25)
    actors = [f"{RES}country/C{i}" for i in range(n_actors)]
    words = [f"w{i}" for i in range(max(40, n_facts // 250))]
    phrases = [f"{rnd.choice(words)} {rnd.choice(words)}" for _ in range(max(50, n_facts // 50))]
    lines: list[str] = []

    def q(s: str, p: str, o: str, g: str) -> None:
        lines.append(f"<{s}> <{p}> {o} <{g}> .")

    for start in range(0, n_facts, 10):
        art = f"{RES}article/a{start // 10:015x}"
        q(art, TYPE, "<https://schema.org/NewsArticle>", art)
        q(art, "https://schema.org/headline", _lit(f"Article {start // 10}"), art)
        q(art, "https://schema.org/datePublished",
          f'"2025-{1 + (start // 10) % 12:02d}-{1 + (start // 10) % 28:02d}"^^<http://www.w3.org/2001/XMLSchema#date>', art)
        used: set[str] = set()
        for i in range(start, min(start + 10, n_facts)):
            ev = f"{RES}evidence/e{i:015x}"
            q(ev, TYPE, f"<{DIP}Evidence>", art)
            q(ev, DIP + "quote", _lit(f"Sentence {i}."), art)
            q(ev, DIP + "inArticle", f"<{art}>", art)
            r = rnd.random()
            if r < 0.3:
                f = f"{RES}negotiation/n{i:015x}"
                q(f, TYPE, f"<{DIP}Negotiation>", art)
                q(f, LABEL, _lit(f"talks {i}"), art)
                parties = rnd.sample(actors, rnd.choice((2, 2, 3)))
                for a in parties:
                    q(f, DIP + "participant", f"<{a}>", art)
                used.update(parties)
                if rnd.random() < 0.6:
                    m = rnd.choice(actors)
                    q(f, DIP + "mediatedBy", f"<{m}>", art)
                    used.add(m)
            elif r < 0.6:
                f = f"{RES}demand/d{i:015x}"
                by, of = rnd.sample(actors, 2)
                q(f, TYPE, f"<{DIP}Demand>", art)
                q(f, DIP + "demandedBy", f"<{by}>", art)
                q(f, DIP + "demandedOf", f"<{of}>", art)
                q(f, DIP + "text", _lit(rnd.choice(phrases)), art)
                q(f, DIP + "kind", f"<https://w3id.org/dipkg/kind/{rnd.choice(KINDS)}>", art)
                used.update((by, of))
            elif r < 0.8:
                f = f"{RES}agreement/g{i:015x}"
                parties = rnd.sample(actors, 2)
                q(f, TYPE, f"<{DIP}Agreement>", art)
                for a in parties:
                    q(f, DIP + "party", f"<{a}>", art)
                q(f, DIP + "text", _lit(rnd.choice(phrases)), art)
                q(f, DIP + "kind", f"<https://w3id.org/dipkg/kind/{rnd.choice(KINDS)}>", art)
                q(f, DIP + "modality", _lit("asserted"), art)
                used.update(parties)
            else:
                f = f"{RES}condition/c{i:015x}"
                setter = rnd.choice(actors)
                q(f, TYPE, f"<{DIP}Condition>", art)
                q(f, DIP + "setBy", f"<{setter}>", art)
                a, b = rnd.sample(phrases, 2)
                q(f, DIP + "appliesTo", _lit(a), art)
                q(f, DIP + "requires", _lit(b), art)
                used.add(setter)
            q(f, DIP + "evidence", f"<{ev}>", art)
        for a in sorted(used):
            q(a, TYPE, f"<{DIP}Country>", art)
            q(a, TYPE, f"<{DIP}Actor>", art)
            q(a, LABEL, _lit("Country " + a.rsplit("C", 1)[-1]), art)
    return "\n".join(lines) + "\n"


def measure(n_facts: int) -> dict[str, float]:
    store = ox.Store()
    store.bulk_load(synthetic_nquads(n_facts).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    t0 = time.perf_counter()
    report = analyse(store)
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    analyse(store)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    b = report.brokerage
    print(f"{n_facts:>8,} facts  {len(store):>9,} quads  {seconds:7.2f} s  peak {peak / 2**20:8.1f} MiB  "
          f"betweenness {b['method']}{' k=' + str(b['k']) if b['k'] else ''} on {b['nodes']:,} actors",
          flush=True)
    return {"facts": n_facts, "quads": len(store), "seconds": seconds, "peak": peak}


def main(sizes: list[int]) -> None:
    results = [measure(n) for n in sizes]
    for small, big in zip(results, results[1:]):
        print(f"{small['facts']:,} -> {big['facts']:,} facts (x{big['facts'] / small['facts']:.0f}): "
              f"time x{big['seconds'] / small['seconds']:.1f}, peak memory x{big['peak'] / small['peak']:.1f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
