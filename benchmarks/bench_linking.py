"""Person linking: blocked by last word against comparing every pair, on 1,000-16,000 distinct names.

    python benchmarks/bench_linking.py

Names from tests/test_linking.py's generator (shared surnames, short forms, middle names). Prints
seconds per run and the growth from one size to the next (2.0 is linear; all pairs gives ~4).
Not a test.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_linking import all_pairs_links, generated_names  # noqa: E402

from kg_builder.extract.identity import person_links  # noqa: E402


def timed(fn, names) -> float:
    start = time.perf_counter()
    fn(names)
    return time.perf_counter() - start


def main() -> None:
    prev: dict[str, float] = {}
    print(f"{'names':>7} {'blocked s':>10} {'growth':>7} {'all pairs s':>12} {'growth':>7}")
    for n in (1000, 2000, 4000, 8000, 16000):
        names = generated_names(n)
        blocked = timed(person_links, names)
        pairs = timed(all_pairs_links, names) if n <= 8000 else float("nan")
        print(f"{n:>7} {blocked:>10.3f} {blocked / prev.get('b', blocked) if prev else 1:>7.2f} "
              f"{pairs:>12.3f} {pairs / prev.get('p', pairs) if prev else 1:>7.2f}")
        prev = {"b": blocked, "p": pairs}


if __name__ == "__main__":
    main()
