"""盯跟晒: per 党委 and for the whole unit — projects by type and status, milestones on time, tasks overdue by
owner — the laggards first; and the 滞后 / 临期 items the 概览 shows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from app.domain import tracking as rules
from app.services.kernel import validate
from app.services.kernel.context import Ledger
from db.models import Organization

from . import engine, projects, tasks

COMMITTEE_KINDS = ("党委", "党工委")


def board_rows(ledger: Ledger, year: object) -> list[projects.ProjectInfo]:
    """The year's projects, the laggards first: 滞后, then 临期, then the lowest completion rate."""
    rows = projects.listing(ledger, validate.year(year))
    return sorted(rows, key=_lag_key)


def _lag_key(p: projects.ProjectInfo):
    finished = p.status in (rules.COMPLETED, rules.TERMINATED)
    return (finished, -p.track.lagging, not p.track.is_due_soon, p.track.rate, p.id)


@dataclass
class CommitteeBoard:
    code: str  # "" for the whole unit
    name: str
    by_type_status: Counter = field(default_factory=Counter)  # (type, status) → projects
    projects: int = 0
    lagging_projects: int = 0
    milestones_total: int = 0
    milestones_done: int = 0
    milestones_on_time: int = 0
    milestones_lagging: int = 0
    tasks_total: int = 0
    tasks_done: int = 0
    tasks_overdue: Counter = field(default_factory=Counter)  # owner name → overdue tasks

    @property
    def overdue(self) -> int:
        return sum(self.tasks_overdue.values())

    @property
    def on_time_rate(self):
        return rules.rate(self.milestones_on_time, self.milestones_done)

    def as_dict(self) -> dict:
        return {"code": self.code or None, "name": self.name, "projects": self.projects,
                "lagging_projects": self.lagging_projects,
                "by_type_status": [{"type": t, "status": st, "count": n}
                                   for (t, st), n in sorted(self.by_type_status.items())],
                "milestones_total": self.milestones_total, "milestones_done": self.milestones_done,
                "milestones_on_time": self.milestones_on_time, "milestones_lagging": self.milestones_lagging,
                "tasks_total": self.tasks_total, "tasks_done": self.tasks_done, "tasks_overdue": self.overdue,
                "overdue_by_owner": [{"owner": o, "overdue": n} for o, n in self.tasks_overdue.most_common()]}


def _committees(ledger: Ledger) -> dict[str, tuple[str, str]]:
    """org code → (code, name) of its nearest 党委 (itself if it is one); the unit for those under none."""
    with ledger.db.read() as s:
        rows = {r.id: r for r in s.scalars(select(Organization))}
    out = {}
    for r in rows.values():
        cur = r
        while cur is not None and cur.kind not in COMMITTEE_KINDS:
            cur = rows.get(cur.parent_id) if cur.parent_id else None
        out[r.code] = (cur.code, cur.name) if cur is not None else ("", "")
    return out


def committee_boards(ledger: Ledger, year: object) -> list[CommitteeBoard]:
    """One board per 党委 (laggards first), then the whole unit."""
    y = validate.year(year)
    owner_of = _committees(ledger)
    boards: dict[str, CommitteeBoard] = {}
    unit = CommitteeBoard("", "全单位")

    def targets(org_code: str) -> list[CommitteeBoard]:
        code, name = owner_of.get(org_code, ("", ""))
        if not code:
            return [unit]
        return [boards.setdefault(code, CommitteeBoard(code, name)), unit]

    for p in projects.listing(ledger, y):
        for b in targets(p.lead_code):
            b.projects += 1
            b.lagging_projects += p.track.is_lagging
            b.by_type_status[(p.type, p.status)] += 1
            b.milestones_total += p.track.milestones_total
            b.milestones_done += p.track.milestones_done
            b.milestones_on_time += p.track.on_time
            b.milestones_lagging += p.track.lagging
    for c in tasks.owner_counts(ledger, y):
        for b in targets(c.owner_code):
            b.tasks_total += c.total
            b.tasks_done += c.done
            if c.overdue:
                b.tasks_overdue[c.owner_name] += c.overdue
    ordered = sorted(boards.values(), key=lambda b: (-(b.lagging_projects + b.overdue), b.code))
    return [*ordered, unit]


@dataclass(frozen=True)
class Alert:
    kind: str  # 滞后 | 临期 | 逾期
    what: str  # 书记项目 | 重点任务
    title: str
    org_name: str
    due: date
    ref_id: int


def alerts(ledger: Ledger, year: object = None) -> list[Alert]:
    """What is 滞后 (project milestones past due), 逾期 (tasks past due) or 临期 (due within the window): the
    latest first among the late ones, the soonest among the coming ones."""
    y = validate.year(year if year not in (None, "") else ledger.today().year)
    soon_by = ledger.today() + timedelta(days=engine.soon_days(ledger))
    out: list[Alert] = []
    for p in projects.listing(ledger, y, full=True):
        if p.status in (rules.COMPLETED, rules.TERMINATED):
            continue
        for m in p.milestones:
            if m.lagging or m.due_soon:
                out.append(Alert("滞后" if m.lagging else "临期", "书记项目", f"{p.title}：{m.title}", p.lead_name,
                                 m.due, p.id))
    for t in tasks.listing(ledger, year=y, pending_by=soon_by):
        if t.status == rules.OVERDUE or t.due_soon:
            out.append(Alert("逾期" if t.status == rules.OVERDUE else "临期", "重点任务", t.title, t.owner_name,
                             t.due, t.id))
    return sorted(out, key=lambda a: (a.kind == "临期", a.due))


def branch_year(ledger: Ledger, org_code: str, year: object) -> tuple[list[projects.ProjectInfo], list[tasks.TaskInfo]]:
    """An organisation's 书记项目 of the year (as lead or as a responsible partner, with milestones) and the
    重点任务 it owns that fall due in the year: what its handbook prints."""
    y = validate.year(year)
    mine = [p for p in projects.listing(ledger, y, full=True)
            if p.lead_code == org_code or org_code in p.partners.split("、")]
    return mine, tasks.listing(ledger, year=y, owner=org_code)
