"""Benchmark of the printed documents: one handbook, and 150 handbooks in a batch.

    python bench/bench_reports.py [--demo /tmp/bench-demo.sqlite] [--county bench/data/county.sqlite]

The demo ledger (created if missing) has ~90 work records per branch and year, so its handbooks are
full (80–160 pages); 150 handbooks cycle its 38 branches over 2026, 2025, 2024 and 2026 again.
The county ledger (bench/make_county_db.py), when present, shows the batch at 3,000 organisations
(its branches have scores but no work records, so those handbooks are thinner). Prints figures;
asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.reports.batch import export_handbooks, handbook_orgs
from app.reports.fonts import register_fonts
from app.reports.handbook import build_handbook
from app.services.opening import demo
from app.services.opening.setup import open_ledger

TODAY = date(2026, 11, 21)


def _ledger(path: Path):
    lg = open_ledger(path)
    lg.today = lambda: TODAY
    return lg


def demo_ledger(path: Path):
    if not path.exists():
        lg = _ledger(path)
        demo.load_demo(lg)
        lg.close()
    return _ledger(path)


def one_handbook(lg, out: Path) -> None:
    t = time.perf_counter()
    register_fonts()
    fonts = time.perf_counter() - t
    times, pages = [], 0
    cpus = []
    for _ in range(7):
        c = cpu()
        t = time.perf_counter()
        pages = build_handbook(lg, "QS0101", 2026, out / "one.pdf")
        times.append(time.perf_counter() - t)
        cpus.append(cpu() - c)
    size = (out / "one.pdf").stat().st_size / 1024
    print(f"one handbook (QS0101 2026, {pages} pages, {size:.0f} KiB), data read + layout + write:")
    print(f"  median {statistics.median(times):.2f} s, best {min(times):.2f} s, first {times[0]:.2f} s "
          f"(+ {fonts:.2f} s once per process to load the font); CPU median {statistics.median(cpus):.2f} s")


def cpu() -> float:
    """CPU seconds of this process and of its finished children (the worker processes)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def batch_demo(lg, out: Path, workers: int) -> None:
    codes = [o.code for o in handbook_orgs(lg, 2026)]
    plan = [(2026, codes), (2025, codes), (2024, codes), (2026, codes[: 150 - 3 * len(codes)])]
    c = cpu()
    t = time.perf_counter()
    n = pages = 0
    for i, (year, chunk) in enumerate(plan):
        files = export_handbooks(lg, year, out / f"demo{workers}-{i}", codes=chunk, workers=workers)
        n += len(files)
    elapsed = time.perf_counter() - t
    used = cpu() - c
    import pypdf

    pages = sum(len(pypdf.PdfReader(str(f)).pages) for f in (out / f"demo{workers}-0").glob("*.pdf"))
    print(f"{n} demo handbooks, {workers} worker process(es): {elapsed:.1f} s wall, {used:.1f} s CPU "
          f"({elapsed / n:.2f} s each; the 2026 set averages {pages / len(codes):.0f} pages)")


def batch_county(path: Path, out: Path, workers: int) -> None:
    work = out / "county.sqlite"
    shutil.copy(path, work)  # the services may add this year's scheme on first use
    lg = _ledger(work)
    try:
        year = max(y for y in range(2020, 2027) if handbook_orgs(lg, y))
        codes = [o.code for o in handbook_orgs(lg, year)][:150]
        c = cpu()
        t = time.perf_counter()
        files = export_handbooks(lg, year, out / f"county{workers}", codes=codes, workers=workers)
        elapsed = time.perf_counter() - t
        print(f"{len(files)} county handbooks of {len(handbook_orgs(lg, year))} organisations ({year}), "
              f"{workers} worker process(es): {elapsed:.1f} s wall, {cpu() - c:.1f} s CPU")
    finally:
        lg.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo", type=Path, default=Path(tempfile.gettempdir()) / "bench-reports-demo.sqlite")
    parser.add_argument("--county", type=Path, default=Path(__file__).parent / "data" / "county.sqlite")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    out = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    try:
        lg = demo_ledger(args.demo)
        one_handbook(lg, out)
        for workers in (1, 2):
            batch_demo(lg, out, workers)
        lg.close()
        if args.county.exists():
            batch_county(args.county, out, 2)
        else:
            print(f"(county ledger {args.county} not found: run bench/make_county_db.py for that figure)")
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
