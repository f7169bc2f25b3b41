"""书记项目 and 重点任务 at county scale: 3,000 branches under 20 township 党委, 1,000 projects with 4 milestones
and 6 调度 logs each, 12 monthly task lists of 4 tasks to every branch (144,000 tasks); then the 盯跟晒 board,
the project board, the alerts, one month's feedback, and a month list to every branch (preview, issue), timed.

.venv/bin/python bench/bench_tracking.py [--orgs 3000] [--projects 1000] [--runs 3]
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

from app.domain import tracking as rules
from app.services.opening import setup
from app.services.opening.setup import open_ledger
from app.services.tracking import board, task_lists
from db.models import Organization
from db.models_tracking import KeyTask, Milestone, SecretaryProject, TrackingLog
from db.types import new_uuid, utcnow

TODAY = date(2026, 11, 21)


def build(path: Path, n_orgs: int, n_projects: int) -> None:
    rng = random.Random(18)
    ledger = open_ledger(path)
    setup.initialize(ledger, "示范县委组织部")
    now = utcnow()
    stamp = {"created_at": now, "updated_at": now}
    with ledger.db.write() as s:
        root = s.scalar(select(Organization).where(Organization.parent_id.is_(None)))
        towns = []
        for t in range(20):
            town = Organization(code=f"T{t:02d}", name=f"第{t}乡镇党委", kind="党委", sector="机关事业单位",
                                parent_id=root.id)
            s.add(town)
            s.flush()
            towns.append(town.id)
        s.execute(insert(Organization), [dict(uuid=new_uuid(), code=f"T{i % 20:02d}{i:04d}", name=f"第{i}党支部",
                                              kind="党支部", sector="村(社区)", parent_id=towns[i % 20], status="active",
                                              sort_order=i, secretary="", contact="", member_count=20, address="",
                                              has_groups=False, **stamp) for i in range(n_orgs)])
        branch_ids = list(s.scalars(select(Organization.id).where(Organization.kind == "党支部")))
        s.execute(insert(SecretaryProject), [dict(
            uuid=new_uuid(), year=2026, title=f"书记项目{i}", level=rules.LEVELS[3], type=rules.TYPES[i % 3], theme="",
            lead_org_id=branch_ids[i % len(branch_ids)], lead_person="", partners="", problem="", goal="目标",
            measures="举措", start_on=date(2026, 2, 1), end_on=date(2026, 12, 31), declared_on=date(2026, 1, 10),
            decided_on=date(2026, 1, 20), filed_on=date(2026, 1, 25), status=rules.RUNNING, summary="", review="",
            end_reason="", **stamp) for i in range(n_projects)])
        pids = list(s.scalars(select(SecretaryProject.id)))
        ms, logs = [], []
        for pid in pids:
            for k in range(4):
                due = date(2026, 3 + k * 3, 28)
                done = due - timedelta(days=2) if due < TODAY and rng.random() < 0.8 else None
                ms.append(dict(uuid=new_uuid(), project_id=pid, title=f"节点{k}", due_on=due, done_on=done,
                               evidence="", sort_order=k, **stamp))
            for k in range(6):
                logs.append(dict(uuid=new_uuid(), project_id=pid, on=date(2026, 2 + k, 10), progress=10 + k * 12,
                                 note="推进", problems="", next_steps="", reason="", by="", **stamp))
        s.execute(insert(Milestone), ms)
        s.execute(insert(TrackingLog), logs)
        tasks = []
        for month in range(1, 13):
            for oid in branch_ids:
                for k in range(4):
                    due = date(2026, month, 8 + k * 5)
                    done = due if due < TODAY and rng.random() < 0.85 else None
                    tasks.append(dict(uuid=new_uuid(), title=f"任务{k}", source=rules.MONTHLY_LIST, owner_org_id=oid,
                                      owner_person="", issued_on=date(2026, month, 1), due_on=due,
                                      status=rules.DONE if done else rules.TODO, done_on=done, evidence="",
                                      verified_by="", list_month=f"2026-{month:02d}", **stamp))
        s.execute(insert(KeyTask), tasks)
    ledger.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orgs", type=int, default=3000)
    ap.add_argument("--projects", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        t0 = time.perf_counter()
        build(path, args.orgs, args.projects)
        print(f"built: {args.orgs} branches, {args.projects} projects, {args.orgs * 48} tasks "
              f"in {time.perf_counter() - t0:.1f} s")
        ledger = open_ledger(path)
        ledger.today = lambda: TODAY
        for name, fn in (("projects board (year)", lambda: board.board_rows(ledger, 2026)),
                         ("盯跟晒 per 党委 (year)", lambda: board.committee_boards(ledger, 2026)),
                         ("alerts (year)", lambda: board.alerts(ledger, 2026)),
                         ("month-end feedback (one month)", lambda: task_lists.feedback(ledger, "2026-11"))):
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                n = len(fn() if name != "month-end feedback (one month)" else fn().owners)
                times.append(time.perf_counter() - t)
            print(f"{name}: {n} rows, median {statistics.median(times):.2f} s (of {args.runs})")
        # 下发月度清单 to every branch (the GUI dialog's preview, then issuing it all or nothing)
        with ledger.db.read() as s:
            codes = list(s.scalars(select(Organization.code).where(Organization.kind == "党支部")))
        lines = [task_lists.ListLine(f"第 {k} 行", f"十二月任务{k}", None) for k in range(1, 5)]
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            n = len(task_lists.preview(ledger, "2026-12", codes, lines))
            times.append(time.perf_counter() - t)
        print(f"month list preview ({len(lines)} lines to {len(codes)} branches): {n} tasks, "
              f"median {statistics.median(times):.2f} s (of {args.runs})")
        t = time.perf_counter()
        r = task_lists.issue(ledger, "2026-12", codes, lines)
        print(f"month list issue: {r.tasks} tasks written in {time.perf_counter() - t:.2f} s (once)")
        ledger.close()


if __name__ == "__main__":
    main()
