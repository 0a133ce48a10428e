"""How fast `kg-builder query` writes a large result, per output format (issue 10).

    python benchmarks/bench_query_output.py [ROWS]      (default 100000)

Builds a store with ROWS labelled nodes in one graph, then times the CLI writing
`SELECT ?s ?l` in csv, tsv, json and table to a file (not a terminal: a long table is then plain
tab-separated text, written as it comes). Times include starting the CLI (about 1 s). Not a test.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg_builder.store import Store

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def main(rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        with Store(store) as s:
            s.replace_graph("urn:bench:g", "".join(f'<urn:bench:s{i:07d}> <{LABEL}> "label {i}" .\n'
                                                   for i in range(rows)), format="nt")
        cli = Path(sys.executable).with_name("kg-builder")
        sparql = f"SELECT ?s ?l WHERE {{ GRAPH ?g {{ ?s <{LABEL}> ?l }} }}"
        print(f"{rows} rows")
        for fmt in ("csv", "tsv", "json", "table"):
            out = Path(tmp) / f"out.{fmt}"
            started = time.perf_counter()
            with out.open("wb") as handle:
                subprocess.run([str(cli), "query", sparql, "--store", str(store), "--format", fmt],
                               stdout=handle, check=True, env=dict(os.environ))
            print(f"  {fmt:<6} {time.perf_counter() - started:6.2f} s  {out.stat().st_size / 1e6:6.1f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
