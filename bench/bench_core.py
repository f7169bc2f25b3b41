"""Core engine benchmark on the county-scale database: quarter warnings, year grades, file size.

    python bench/make_county_db.py          # once: builds bench/data/county.sqlite
    python bench/bench_core.py [--db PATH] [--repeat 5]

Prints the median and the worst of several runs for each figure (targets: warnings ≤ 0.3 s,
grades ≤ 0.5 s).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.services.assessment import grades, warnings
from app.services.opening.setup import open_ledger


def timed(fn, repeat: int) -> tuple[float, float, object]:
    runs, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), max(runs), result


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", type=Path, default=Path(__file__).parent / "data" / "county.sqlite")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--year", type=int, default=2026)
    a = p.parse_args()
    if not a.db.exists():
        sys.exit(f"{a.db} not found: run bench/make_county_db.py first")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    ledger = open_ledger(a.db)
    for q in (1, 4):
        med, worst, rows = timed(lambda q=q: warnings.quarter_warnings(ledger, a.year, q), a.repeat)
        warned = sum(1 for w in rows if w.level)
        print(f"warnings {a.year} Q{q}: {len(rows)} organisations, {warned} warned — median {med:.3f} s, worst {worst:.3f} s"
              " (target ≤ 0.3 s)")
    med, worst, rows = timed(lambda: grades.year_grades(ledger, a.year), a.repeat)
    print(f"grades {a.year}: {len(rows)} organisations — median {med:.3f} s, worst {worst:.3f} s (target ≤ 0.5 s)")
    size = a.db.stat().st_size / 1e6
    print(f"database size: {size:.1f} MB")
    ledger.close()


if __name__ == "__main__":
    main()
