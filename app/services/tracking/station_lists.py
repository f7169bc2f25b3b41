"""指导站 清单调度制 (issue 19.5): a month's task list issued to a 党建工作指导站 at the start of the month — each
line to the station itself, or to each of the instructors named — and the month-end feedback, completion per
instructor and per station. The same tasks as every other list (``tasks.new_row``, ``task_lists.tally``): the
owner kind is the task's ``station_id`` / ``instructor_id``; its ``owner_org_id`` is the station's 党委, so the
packages of that 党委 carry the tasks and their deletions. Marking one done is ``tasks.mark_done``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import tracking as rules
from app.errors import LedgerError, ValidationError
from app.services.instructors import station_scope
from app.services.instructors.register import find_station, instructor_row
from app.services.kernel import locks, permissions, validate
from app.services.kernel.context import Ledger
from db.models import Organization
from db.models_instructors import Instructor, Station
from db.models_tracking import KeyTask

from . import engine, removal, task_lists, tasks

EVERYONE = "全体指导员"  # ``to``: one task per instructor of the station


@dataclass(frozen=True)
class StationTask:
    task: tasks.TaskInfo
    station: str
    instructor: str  # "" when the station itself owns it

    def as_dict(self) -> dict:
        t = self.task
        return {"id": t.id, "title": t.title, "station": self.station, "instructor": self.instructor or None,
                "month": t.list_month, "issued": t.issued.isoformat(), "due": t.due.isoformat(), "status": t.status,
                "done_on": t.done_on.isoformat() if t.done_on else None, "evidence": t.evidence}


def _owners(s: Session, st: Station, names: Sequence[str]) -> list[Instructor | None]:
    """None stands for the station itself; ``全体指导员`` for every instructor of the station."""
    if not names:
        return [None]
    if list(names) == [EVERYONE]:
        people = list(s.scalars(select(Instructor).where(Instructor.station_id == st.id).order_by(Instructor.id)))
        if not people:
            raise ValidationError(f"指导站“{st.name}”还没有登记指导员")
        return list(people)
    return [instructor_row(s, n, st.name) for n in names]


def issue(ledger: Ledger, month: object, station: object, lines: Sequence[task_lists.ListLine], *,
          to: Sequence[str] = (), issued: object = None) -> task_lists.IssueResult:
    """Every line is checked first (title, due day not before the issue day, the station and its instructors, the
    month open); any problem → nothing written, every problem listed with its line. A line's ``owners`` are
    instructor names of the station (``to`` when empty; neither: the station itself)."""
    permissions.require(ledger, "tracking")
    ym = tasks.parse_list_month(month)
    first, last = task_lists.month_range(ym)
    issued_on = validate.parse_date(issued, "交办日期") if issued not in (None, "") else first
    if not lines:
        raise ValidationError(f"{ym} 任务清单没有任何任务")
    with ledger.db.write() as s:
        st = find_station(s, ledger, str(station or ""), "下达任务清单给")
        if st.org_id is None:
            raise ValidationError(f"指导站“{st.name}”没有所属党委，请先在登记中指定，再下达任务清单")
        org = s.get(Organization, st.org_id)
        locks.ensure_open(s, issued_on.year, issued_on.month)
        default = _owners(s, st, to)
        problems: list[str] = []
        planned = []
        for ln in lines:
            try:
                t, src, iss, due_on = tasks.check_task(ln.title, rules.MONTHLY_LIST, issued_on,
                                                       ln.due if ln.due not in (None, "") else last)
                planned.append((t, src, iss, due_on, _owners(s, st, ln.owners) if ln.owners else default))
            except LedgerError as e:
                problems.append(f"{ln.where}：{e}" if ln.where else str(e))
        if problems:
            listed = "；".join(problems[:10]) + (f"；……另有 {len(problems) - 10} 处" if len(problems) > 10 else "")
            raise ValidationError(f"任务清单有 {len(problems)} 处问题，未写入任何任务：{listed}")
        ids, seen = [], set()
        for t, src, iss, due_on, owners in planned:
            for who in owners:
                ids.append(tasks.new_row(s, ledger, org, t, src, iss, due_on, person=who.name if who else "",
                                         list_month=ym, station_id=st.id,
                                         instructor_id=who.id if who else None).id)
                seen.add(who.id if who else 0)
        return task_lists.IssueResult(ym, len(ids), len(seen), tuple(ids))


def listing(ledger: Ledger, month: object, station: object = None) -> list[StationTask]:
    """The month's list tasks of every station inside the user's scope (or one), by station, the station's own
    first, then by instructor."""
    ym = tasks.parse_list_month(month)
    today, days = ledger.today(), engine.soon_days(ledger)
    with ledger.db.read() as s:
        q = (select(KeyTask, Station.name, Instructor.name, Organization)
             .join(Station, Station.id == KeyTask.station_id)
             .join(Organization, Organization.id == KeyTask.owner_org_id)
             .outerjoin(Instructor, Instructor.id == KeyTask.instructor_id)
             .where(KeyTask.list_month == ym))
        if station not in (None, ""):
            q = q.where(KeyTask.station_id == find_station(s, ledger, str(station), "查看").id)
        visible = station_scope.station_ids(s, ledger)
        if visible is not None:
            q = q.where(KeyTask.station_id.in_(visible))
        progress = engine.progress_by_task(s)
        rows = s.execute(q.order_by(Station.id, KeyTask.instructor_id.is_not(None), KeyTask.instructor_id,
                                    KeyTask.due_on, KeyTask.id)).all()
        return [StationTask(tasks.info(s, row, today, days, org, progress), st, who or "")
                for row, st, who, org in rows]


@dataclass(frozen=True)
class Line:
    """One owner's tasks of the month: an instructor, or the station itself (``instructor`` "")."""

    instructor: str
    total: int
    done: int
    on_time: int
    overdue: int
    open: int

    @property
    def rate(self) -> Decimal:
        return rules.rate(self.done, self.total)

    def counts(self) -> dict:
        return {"total": self.total, "done": self.done, "on_time": self.on_time, "overdue": self.overdue,
                "open": self.open, "rate": str(self.rate)}

    def as_dict(self) -> dict:
        return {"instructor": self.instructor or None, **self.counts()}


def _sum(label: str, lines: Sequence[Line]) -> Line:
    return Line(label, *(sum(getattr(x, k) for x in lines) for k in ("total", "done", "on_time", "overdue", "open")))


@dataclass(frozen=True)
class StationFeedback:
    station: str
    lines: tuple[Line, ...]

    @property
    def total(self) -> Line:
        return _sum("", self.lines)

    def as_dict(self) -> dict:
        return {"station": self.station, **self.total.counts(), "lines": [x.as_dict() for x in self.lines]}


@dataclass(frozen=True)
class Feedback:
    month: str
    stations: tuple[StationFeedback, ...]

    @property
    def total(self) -> Line:
        return _sum("", [st.total for st in self.stations])

    def as_dict(self) -> dict:
        return {"month": self.month, **self.total.counts(), "stations": [st.as_dict() for st in self.stations]}


def feedback(ledger: Ledger, month: object, station: object = None) -> Feedback:
    """月末汇总反馈 of the stations' lists: per station its own tasks and each instructor's, with the totals."""
    ym = tasks.parse_list_month(month)
    grouped: dict[str, dict[str, list[tasks.TaskInfo]]] = {}
    for x in listing(ledger, ym, station):
        grouped.setdefault(x.station, {}).setdefault(x.instructor, []).append(x.task)
    return Feedback(ym, tuple(StationFeedback(st, tuple(Line(who, *task_lists.tally(ts)) for who, ts in owners.items()))
                              for st, owners in grouped.items()))


def _ensure_station_task(ledger: Ledger, task_id: object) -> None:
    """Refused for a task that is not a station's: the 月调度 screen and its command never touch an organisation's;
    and for a station outside the user's scope (the task's 党委 is checked again by ``tasks``)."""
    with ledger.db.read() as s:
        row = tasks.get_row(s, task_id)
        if row.station_id is None:
            raise ValidationError(f"任务 {row.id}“{row.title}”不是指导站的任务清单任务")
        station_scope.ensure_station(s, ledger, s.get(Station, row.station_id))


def mark_done(ledger: Ledger, task_id: object, *, on: object = None, evidence: object = "") -> tasks.TaskInfo:
    """A station's task done (``tasks.mark_done``: evidence needed, the month's lock holds)."""
    _ensure_station_task(ledger, task_id)
    return tasks.mark_done(ledger, task_id, on=on, evidence=evidence)


def remove(ledger: Ledger, task_id: object) -> None:
    """A station's task entered by mistake (``removal.remove_task``: its tombstone travels in packages)."""
    _ensure_station_task(ledger, task_id)
    removal.remove_task(ledger, task_id)
