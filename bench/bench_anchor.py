"""What the audit anchor costs per write, as the audit log grows.

    .venv/bin/python bench/bench_anchor.py [--sizes 1000,100000,1000000] [--writes 200]

For each size, a fresh ledger gets that many audit entries (bulk-inserted with sqlite3: only the
log's length matters here), then ``--writes`` single score edits are timed through the services,
once with the anchor written after each commit and once with the anchor step skipped. Prints the
median and 90th percentile per write; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _fill(path: Path, n: int) -> None:
    con = sqlite3.connect(path)
    with con:
        con.executemany(
            "INSERT INTO audit_log (at, user, action, entity, entity_uuid, org_code, summary, changes, prev_hash, hash) "
            "VALUES ('2025-01-01 00:00:00.000', '基准', '录入积分', 'score', '', 'B1', '基准填充', '{}', ?, ?)",
            ((f"{i:064x}", f"{i + 1:064x}") for i in range(n)))
    con.close()


def _time_writes(ledger, writes: int, tag: str) -> list[float]:
    from app.services.scoring import scores

    out = []
    for i in range(writes):
        t0 = time.perf_counter()
        scores.set_score(ledger, "B1", 2026, 1 + i % 12, "RC02", count=1, note=f"{tag}{i}")
        out.append(time.perf_counter() - t0)
    return out


def _fmt(samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=10)
    return f"median {statistics.median(samples) * 1000:6.2f} ms, p90 {q[-1] * 1000:6.2f} ms"


def run(size: int, writes: int, work: Path) -> None:
    from app.services.opening import setup
    from app.services.opening.setup import open_ledger
    from app.services.register import orgs
    from db.engine import Database

    path = work / f"anchor-{size}.sqlite"
    lg = open_ledger(path)
    setup.initialize(lg, "基准党工委")
    orgs.add_org(lg, code="P1", name="基准党委", sector="机关事业单位", kind="党委", parent="00")
    orgs.add_org(lg, code="B1", name="基准支部", sector="机关事业单位", parent="P1", category="B", year=2026)
    lg.close()
    _fill(path, size)
    lg = open_ledger(path)
    try:
        _time_writes(lg, 20, "预热")  # warm up
        with_anchor: list[float] = []
        without: list[float] = []
        real = Database.update_anchor
        for block in range(writes // 10):  # interleaved, so the page cache and the disk favour neither
            with_anchor += _time_writes(lg, 10, f"甲{block}-")
            Database.update_anchor = lambda self: None
            try:
                without += _time_writes(lg, 10, f"乙{block}-")
            finally:
                Database.update_anchor = real
        t0 = time.perf_counter()
        for _ in range(writes):
            lg.db.update_anchor()
        anchor_only = (time.perf_counter() - t0) / writes
    finally:
        lg.close()
    print(f"audit log {size:>9,} entries: with anchor {_fmt(with_anchor)}; without {_fmt(without)}; "
          f"anchor step alone {anchor_only * 1000:.2f} ms")


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="1000,100000,1000000")
    p.add_argument("--writes", type=int, default=200)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            run(size, args.writes, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
