"""The tracking engine both ledgers use: milestones (title, due, done, evidence) and dated 调度/跟踪 logs
(progress, problems, next steps, by whom) of a project or a task, and where each stands today."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import tracking as rules
from app.errors import LockedError, NotFoundError, ValidationError
from app.services.kernel import locks, settings, validate
from app.services.kernel.context import Ledger
from db.models_tracking import Milestone, TrackingLog


@dataclass(frozen=True)
class MilestoneInfo:
    id: int
    title: str
    due: date
    done_on: date | None
    evidence: str
    lagging: bool
    due_soon: bool

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "due": self.due.isoformat(),
                "done_on": self.done_on.isoformat() if self.done_on else None, "evidence": self.evidence,
                "lagging": self.lagging, "due_soon": self.due_soon}


@dataclass(frozen=True)
class LogInfo:
    id: int
    on: date
    progress: int
    note: str
    problems: str
    next_steps: str
    reason: str
    by: str

    def as_dict(self) -> dict:
        return {"id": self.id, "on": self.on.isoformat(), "progress": self.progress, "note": self.note,
                "problems": self.problems, "next_steps": self.next_steps, "reason": self.reason, "by": self.by}


def soon_days(ledger: Ledger) -> int:
    """The 临期 window in days (setting, default 14)."""
    return int(settings.get(ledger, "tracking_soon_days"))


def _owner_filter(model, project_id: int | None, task_id: int | None):
    return model.project_id == project_id if project_id is not None else model.task_id == task_id


def milestone_rows(s: Session, *, project_id: int | None = None, task_id: int | None = None) -> list[Milestone]:
    return list(s.scalars(select(Milestone).where(_owner_filter(Milestone, project_id, task_id))
                          .order_by(Milestone.due_on, Milestone.sort_order, Milestone.id)))


def log_rows(s: Session, *, project_id: int | None = None, task_id: int | None = None) -> list[TrackingLog]:
    return list(s.scalars(select(TrackingLog).where(_owner_filter(TrackingLog, project_id, task_id))
                          .order_by(TrackingLog.on, TrackingLog.id)))


def to_domain(m: Milestone) -> rules.Milestone:
    return rules.Milestone(m.title, m.due_on, m.done_on)


def milestone_info(m: Milestone, today: date, days: int, *, as_of: date | None = None) -> MilestoneInfo:
    """Where a milestone stands on ``today``; with ``as_of`` one done after that day counts as not done yet."""
    done_on = m.done_on if as_of is None or (m.done_on is not None and m.done_on <= as_of) else None
    d = rules.Milestone(m.title, m.due_on, done_on)
    return MilestoneInfo(m.id, m.title, m.due_on, done_on, m.evidence if done_on else "", rules.lagging(d, today),
                         rules.due_soon(d, today, days))


def log_info(r: TrackingLog) -> LogInfo:
    return LogInfo(r.id, r.on, r.progress, r.note, r.problems, r.next_steps, r.reason, r.by)


def milestones_by_project(s: Session, project_ids: Iterable[int] | None = None) -> dict[int, list[Milestone]]:
    q = select(Milestone).where(Milestone.project_id.is_not(None)).order_by(Milestone.due_on, Milestone.id)
    ids = None if project_ids is None else set(project_ids)
    out: dict[int, list[Milestone]] = {}
    for m in s.scalars(q):
        if ids is None or m.project_id in ids:
            out.setdefault(m.project_id, []).append(m)
    return out


def last_progress(s: Session, *, project_id: int | None = None, task_id: int | None = None) -> int | None:
    rows = log_rows(s, project_id=project_id, task_id=task_id)
    return rows[-1].progress if rows else None


def logs_by_owner(s: Session, column) -> dict[int, list[TrackingLog]]:
    """Every log of projects (``TrackingLog.project_id``) or tasks (``TrackingLog.task_id``), in date order:
    one query for a whole listing instead of one per row."""
    out: dict[int, list[TrackingLog]] = {}
    for r in s.scalars(select(TrackingLog).where(column.is_not(None)).order_by(TrackingLog.on, TrackingLog.id)):
        out.setdefault(getattr(r, column.key), []).append(r)
    return out


def progress_by_task(s: Session) -> dict[int, int]:
    out: dict[int, int] = {}
    for tid, progress in s.execute(select(TrackingLog.task_id, TrackingLog.progress)
                                   .where(TrackingLog.task_id.is_not(None)).order_by(TrackingLog.on, TrackingLog.id)):
        out[tid] = progress
    return out


# --- checks every path calls -------------------------------------------------------------------
def check_milestone(title: object, due: object, first: date, last: date, what: str) -> tuple[str, date]:
    """A milestone's title and due day, which must fall within its project's (or task's) dates."""
    title = validate.text(title, "节点名称", required=True)
    due_on = validate.parse_date(due, "节点完成时限")
    if not first <= due_on <= last:
        raise ValidationError(f"节点“{title}”的时限 {due_on} 不在{what}的起止日期 {first}—{last} 之内")
    return title, due_on


def check_done_on(on: object, today: date, field: str = "完成日期") -> date:
    done = validate.parse_date(on, field) if on not in (None, "") else today
    if done > today:
        raise ValidationError(f"{field} {done} 晚于今天 {today}，不能登记将来的完成")
    return done


def ensure_day_open(s: Session, day: date | None, field: str) -> None:
    """Month locks and confirmed years hold the tracking engine's dates as they hold scores and records: a
    milestone done, a log dated, a task done or 销号, a project finished, a 例会 held in a closed month is refused with
    the lock named. Every path (by hand, the CLI, the GUI, a package) calls this."""
    if day is None:
        return
    try:
        locks.ensure_open(s, day.year, day.month)
    except LockedError as e:
        raise LockedError(f"{field} {day}：{e}") from None


def ensure_change_open(s: Session, old: date | None, new: date | None, field: str) -> None:
    """A date that changes: both the month it leaves and the month it enters must be open."""
    if old != new:
        ensure_day_open(s, old, field)
        ensure_day_open(s, new, field)


def check_progress(progress: object, previous: int | None, reason: str) -> int:
    try:
        value = int(str(progress).strip().rstrip("%"))
    except (TypeError, ValueError):
        raise ValidationError(f"进度应为 0–100 的整数，收到“{progress}”") from None
    problem = rules.progress_problem(value, previous, reason)
    if problem:
        raise ValidationError(problem)
    return value


# --- writes (inside the caller's transaction) --------------------------------------------------
def add_milestone_row(s: Session, title: str, due_on: date, *, project_id: int | None = None,
                      task_id: int | None = None) -> Milestone:
    order = len(milestone_rows(s, project_id=project_id, task_id=task_id))
    row = Milestone(project_id=project_id, task_id=task_id, title=title, due_on=due_on, sort_order=order)
    s.add(row)
    s.flush()
    return row


def get_milestone(s: Session, milestone_id: object) -> Milestone:
    try:
        mid = int(str(milestone_id))
    except ValueError:
        raise ValidationError(f"节点编号应为整数，收到“{milestone_id}”") from None
    row = s.get(Milestone, mid)
    if row is None:
        raise NotFoundError(f"找不到编号为 {mid} 的节点")
    return row


def add_log_row(s: Session, ledger: Ledger, progress: object, note: object, *, on: object = None,
                problems: object = "", next_steps: object = "", reason: object = "", by: object = "",
                project_id: int | None = None, task_id: int | None = None,
                not_before: date | None = None) -> TrackingLog:
    """One 调度/跟踪 entry, checked: a date not in the future (nor before the start), progress 0–100 and
    not going down without a reason, a note."""
    today = ledger.today()
    day = check_done_on(on, today, "调度日期")
    if not_before is not None and day < not_before:
        raise ValidationError(f"调度日期 {day} 早于开始日期 {not_before}")
    ensure_day_open(s, day, "调度日期")
    reason = validate.text(reason, "进度下降原因")
    previous = last_progress(s, project_id=project_id, task_id=task_id)
    value = check_progress(progress, previous, reason)
    row = TrackingLog(project_id=project_id, task_id=task_id, on=day, progress=value,
                      note=validate.text(note, "调度情况", required=True, max_len=2000),
                      problems=validate.text(problems, "存在问题", max_len=2000),
                      next_steps=validate.text(next_steps, "下步打算", max_len=2000), reason=reason,
                      by=validate.text(by, "填报人", max_len=40) or ledger.user)
    s.add(row)
    s.flush()
    return row
