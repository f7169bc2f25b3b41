"""党建指导员 at county scale: 14 指导站 × 10 instructors (seed 001: 14 stations, 116 instructors), 600 guidance
targets, a weekly log for every instructor and week of two years, 2,000 tickets; then coverage, one month's 月调度,
the year's grades, 办结率 and subsidies (after the three sign-offs), timed.

.venv/bin/python bench/bench_instructors.py [--stations 14] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select

from app.domain import instructors as rules
from app.services.instructors import assessment, assignments, subsidies, tickets, weekly
from app.services.opening import setup
from app.services.opening.setup import open_ledger
from app.services.register import orgs
from db.models import Organization
from db.models_instructors import Assignment, GuidanceTarget, Instructor, Station, Ticket, WeeklyLog
from db.types import new_uuid, utcnow

TODAY = date(2026, 11, 21)


def _rows(model, rows: list[dict]) -> tuple:
    now = utcnow()
    return model, [{"uuid": new_uuid(), "created_at": now, "updated_at": now, **r} for r in rows]


def build(path: Path, stations: int) -> None:
    lg = open_ledger(path)
    lg.today = lambda: TODAY
    setup.initialize(lg, "县委组织部")
    orgs.add_org(lg, code="P1", name="非公企业综合党委", sector="非公企业", kind="党委", parent="00")
    rng = random.Random(19)
    with lg.db.write() as s:
        com = s.scalar(select(Organization.id).where(Organization.code == "P1"))
        s.execute(insert(Station), _rows(Station, [{"id": i + 1, "name": f"第{i + 1}指导站", "org_id": com, "note": ""}
                                                   for i in range(stations)])[1])
        people = [{"id": n + 1, "name": f"指导员{n + 1}", "source": "县(区)派", "mode": "专职" if n % 3 else "兼职",
                   "station_id": n // 10 + 1, "group_name": f"第{n % 3 + 1}组", "post": "指导员", "phone": ""}
                  for n in range(stations * 10)]
        s.execute(insert(Instructor), _rows(Instructor, people)[1])
        targets = [{"id": n + 1, "name": f"企业{n + 1}", "sector": "非公企业", "tags": "规上", "industry": "制造",
                    "committee_id": com, "status": "active", "note": ""} for n in range(600)]
        s.execute(insert(GuidanceTarget), _rows(GuidanceTarget, targets)[1])
        s.execute(insert(Assignment), _rows(Assignment, [
            {"instructor_id": n % len(people) + 1, "target_id": n + 1, "start_on": date(2025, 1, 1),
             "in_town": n % 4 == 0} for n in range(540)])[1])
        logs = []
        for y in (2025, 2026):
            for w in range(1, rules.weeks_in_year(y) + 1):
                if rules.week_days(y, w)[1] >= TODAY:
                    continue
                for p in people:
                    logs.append({"instructor_id": p["id"], "week": rules.week_label(y, w), "year": y,
                                 "month": rules.week_month(y, w)[1], "a_days": rng.randint(0, 2),
                                 "b_days": rng.randint(1, 3), "visits": rng.randint(0, 3),
                                 "orgs_founded": int(rng.random() < 0.08), "mass_orgs": int(rng.random() < 0.04),
                                 "problems": int(rng.random() < 0.2), "solved": int(rng.random() < 0.2),
                                 "experiences": int(rng.random() < 0.03), "briefs": int(rng.random() < 0.2), "note": ""})
        s.execute(insert(WeeklyLog), _rows(WeeklyLog, logs)[1])
        ts = []
        for n in range(2000):
            raised = date(2025, 1, 1) + timedelta(days=rng.randint(0, 680))
            done = rng.random() < 0.8
            ts.append({"instructor_id": n % len(people) + 1, "target_id": n % 600 + 1, "place": f"企业{n % 600 + 1}",
                       "raised_by": "", "raised_on": raised, "content": "问题", "status": "办结" if done else "交办",
                       "handled_by": "", "closed_on": raised + timedelta(days=10) if done else None,
                       "satisfaction": "", "note": ""})
        s.execute(insert(Ticket), _rows(Ticket, ts)[1])
    for step in rules.SIGNOFF_STEPS:
        assessment.sign(lg, 2025, step, "签认人")
    print(f"{stations} 个指导站，{len(people)} 名指导员，{len(logs)} 条周记录，2,000 个问题")
    lg.close()


def timed(label: str, fn, runs: int) -> None:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    print(f"| {label} | {statistics.median(times):.3f} s median, {max(times):.3f} s worst ({runs} runs) |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=14)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "county.sqlite"
        t = time.perf_counter()
        build(path, args.stations)
        print(f"build {time.perf_counter() - t:.1f} s")
        lg = open_ledger(path)
        lg.today = lambda: TODAY
        timed("coverage (600 targets, 540 assigned)", lambda: assignments.coverage(lg), args.runs)
        timed("month_rollup 2026-10", lambda: weekly.month_rollup(lg, 2026, 10), args.runs)
        timed("week_grid 2026-W45", lambda: weekly.week_grid(lg, "2026-W45"), args.runs)
        timed("assess 2026 (computed from the logs)", lambda: assessment.assess(lg, 2026), args.runs)
        timed("subsidies 2025 (final)", lambda: subsidies.subsidies(lg, 2025), args.runs)
        timed("tickets.rates 2025", lambda: tickets.rates(lg, 2025), args.runs)
        lg.close()


if __name__ == "__main__":
    main()
