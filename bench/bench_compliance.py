"""组织生活 compliance at county scale: 3,000 branches with a year and a half of meetings recorded,
then one year's status for every requirement (each branch × type × period), timed.

.venv/bin/python bench/bench_compliance.py [--orgs 3000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from app.services.compliance import status
from app.services.opening import setup
from app.services.opening.setup import open_ledger
from db.models import Organization, WorkRecord
from db.types import new_uuid

TYPES = {"2.2": 1, "2.3": 1, "3.1": 1, "6.2": 1, "2.1": 3, "2.4": 3, "5.1": 12, "5.2": 12}  # every n months


def build(path: Path, n_orgs: int) -> int:
    rng = random.Random(16)
    ledger = open_ledger(path)
    setup.initialize(ledger, "示范县委组织部")
    with ledger.db.write() as s:
        root = s.query(Organization).filter(Organization.parent_id.is_(None)).one()
        town_ids = []
        for t in range(20):
            town = Organization(code=f"T{t:02d}", name=f"第{t}乡镇党委", kind="党委", sector="机关事业单位",
                                parent_id=root.id)
            s.add(town)
            s.flush()
            town_ids.append(town.id)
        orgs = [dict(uuid=new_uuid(), code=f"T{i % 20:02d}{i:04d}", name=f"第{i}党支部", kind="党支部",
                     sector="村(社区)", parent_id=town_ids[i % 20], has_groups=i % 3 == 0, status="active",
                     sort_order=i, secretary="", contact="", member_count=20, address="")
                for i in range(n_orgs)]
        s.execute(insert(Organization), orgs)
        ids = [r[0] for r in s.query(Organization.id).filter(Organization.kind == "党支部")]
        rows = []
        for oid in ids:
            for year, months in ((2025, range(1, 13)), (2026, range(1, 7))):
                for m in months:
                    for code, every in TYPES.items():
                        if m % every == 0 and rng.random() < 0.85:
                            rows.append(dict(uuid=new_uuid(), org_id=oid, type_code=code, date=date(year, m, 10),
                                             year=year, month=m, topic="会议", content="", place="", host="",
                                             recorder="", absentees="", extra="{}"))
        for start in range(0, len(rows), 20000):
            s.execute(insert(WorkRecord), rows[start:start + 20000])
    ledger.close()
    return len(rows)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--orgs", type=int, default=3000)
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "county-compliance.sqlite"
        t0 = time.perf_counter()
        n = build(path, a.orgs)
        print(f"{a.orgs:,} branches, {n:,} work records (2025 and the first half of 2026), built in "
              f"{time.perf_counter() - t0:.1f} s")
        ledger = open_ledger(path)
        ledger.today = lambda: date(2026, 6, 20)
        times, cpu, rows = [], [], []
        for _ in range(a.runs):
            t, c = time.perf_counter(), time.process_time()
            rows = status.year_status(ledger, 2025)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        # CPU time is printed too: it holds when the machine is busy with other work, wall time does not.
        print(f"year_status(2025), every type: {len(rows):,} branch × type × period rows; "
              f"median {statistics.median(times):.3f} s (CPU {statistics.median(cpu):.3f} s), "
              f"worst {max(times):.3f} s over {a.runs} runs")
        t, c = time.perf_counter(), time.process_time()
        due = status.reminders(ledger, date(2026, 6, 25), 7)
        print(f"reminders on 2026-06-25 (7 days): {len(due):,} rows in {time.perf_counter() - t:.3f} s "
              f"(CPU {time.process_time() - c:.3f} s)")
        ledger.close()


if __name__ == "__main__":
    main()
