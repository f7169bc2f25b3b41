"""结果运用 benchmark: a year's 奖补 / 绩效 from confirmed grades at county scale, confirming them, and the
printed 年度奖补兑现表.

    python bench/make_county_db.py [--years 2]      # once: bench/data/county.sqlite
    python bench/bench_results.py [--db PATH] [--year 2025] [--repeat 3]

Works on a copy of the file (it confirms the year's grades and results there). Prints the median and the worst
of several runs; no target is asserted anywhere (tests never time anything).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.incentives import REWARD, fmt_money
from app.reports.results_tables import build_rewards
from app.services.assessment import grades
from app.services.incentives import results
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
    p.add_argument("--year", type=int, default=2025)
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    if not a.db.exists():
        sys.exit(f"{a.db} not found: run bench/make_county_db.py first")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    work = Path(tempfile.mkdtemp(prefix="bench-results-"))
    try:
        copy = work / "county.sqlite"
        shutil.copy(a.db, copy)
        keys = a.db.with_name(a.db.name + ".keys")
        if keys.exists():
            shutil.copytree(keys, copy.with_name(copy.name + ".keys"))
        ledger = open_ledger(copy)
        ledger.today = lambda: date(a.year + 1, 6, 30)
        t = time.perf_counter()
        if grades.year_confirmation(ledger, a.year) is None:
            grades.confirm(ledger, a.year)
        graded = grades.year_grades(ledger, a.year)
        print(f"grades {a.year} confirmed: {len(graded)} organisations — {time.perf_counter() - t:.2f} s (setup)")
        med, worst, sheet = timed(lambda: results.year_incentives(ledger, a.year), a.repeat)
        print(f"incentives {a.year} ({sheet.state}): {len(sheet.rows)} rows, {len(sheet.of_kind(REWARD))} 奖补, "
              f"total {fmt_money(sheet.total())} 元 — median {med:.3f} s, worst {worst:.3f} s")
        med, worst, sheet = timed(lambda: results.confirm(ledger, a.year), a.repeat)
        print(f"incentives --confirm {a.year}: {len(sheet.rows)} rows — median {med:.3f} s, worst {worst:.3f} s")
        med, worst, sheet = timed(lambda: results.year_incentives(ledger, a.year), a.repeat)
        print(f"incentives {a.year} (confirmed, with the stale check): median {med:.3f} s, worst {worst:.3f} s")
        buf = BytesIO()
        t = time.perf_counter()
        pages = build_rewards(ledger, a.year, buf)
        print(f"年度奖补兑现表 PDF: {pages} pages, {len(buf.getvalue()) / 1e3:.0f} kB — {time.perf_counter() - t:.2f} s")
        ledger.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
