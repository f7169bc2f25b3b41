"""Township scope: what limiting a user to a subtree costs, on the county data (3,000 organisations in 20
townships). Times the same reads for a county user (no scope) and for a user limited to one township.

    python bench/bench_scope.py [--years 2] [--repeat 3]

Prints one line per read: the county user's time, the scoped user's time, and the rows each sees.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def timed(fn, repeat: int) -> tuple[float, int]:
    runs, n = [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        runs.append(time.perf_counter() - t)
        n = len(out) if hasattr(out, "__len__") else 0
    return statistics.median(runs), n


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--years", type=int, default=2)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()

    from app.services.assessment import grades, warnings
    from app.services.kernel import scope
    from app.services.opening.setup import open_ledger
    from app.services.register import orgs
    from app.services.scoring import grid
    from bench.make_county_db import build

    work = Path(tempfile.mkdtemp(prefix="bench-scope-"))
    file = work / "county.sqlite"
    r = build(file, 3000, args.years, 2026)
    print(f"county file: {r['orgs']} organisations in 20 townships, {r['cells']:,} score cells")
    ledger = open_ledger(file)
    ledger.today = lambda: date(2026, 11, 21)
    reads = {
        "orgs list": lambda: orgs.list_orgs(ledger),
        "quarter warnings 2026 Q2": lambda: warnings.quarter_warnings(ledger, 2026, 2),
        "year grades 2025 (ranked)": lambda: grades.year_grades(ledger, 2025),
        "month grid 2026-05": lambda: grid.month_grid(ledger, 2026, 5).orgs,
        "scope of the user (subtree walk)": lambda: [scope.current(ledger)],
    }
    print(f"{'read':<34}{'county user':>14}{'rows':>7}{'scoped user':>14}{'rows':>7}{'ratio':>8}")
    for name, fn in reads.items():
        ledger.scope = ""
        whole, n_whole = timed(fn, args.repeat)
        ledger.scope = "T03"
        part, n_part = timed(fn, args.repeat)
        ratio = f"{part / whole:>8.2f}" if whole > 0.001 else f"{'—':>8}"
        print(f"{name:<34}{whole * 1000:>12.1f}ms{n_whole:>7}{part * 1000:>12.1f}ms{n_part:>7}{ratio}")
    ledger.close()


if __name__ == "__main__":
    main()
