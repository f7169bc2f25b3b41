"""The tracking engine's pure rules (书记项目 and 重点任务 alike): milestones, 滞后 and 临期, completion rate,
progress entries, and the statuses and transitions of projects and tasks.

A milestone is 滞后 when it is not done and its due day has passed (on the due day itself it is still on
time); it is 临期 when it is not done and due within ``soon_days`` days from today (the due day counts: due
today is 临期, due in exactly ``soon_days`` days is 临期, one day later is not). A done milestone is never
滞后 or 临期; it was done on time when its done day is not after its due day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

DEFAULT_SOON_DAYS = 14

# 书记项目
LEVELS = ("县委书记项目", "常委项目", "乡镇(街道、开发区)党(工)委书记项目", "支部书记项目")
TYPES = ("重点", "提升", "改薄")
DECLARED, APPROVED, RUNNING, COMPLETED, TERMINATED = "申报", "立项", "推进中", "已完成", "已终止"
PROJECT_STATUSES = (DECLARED, APPROVED, RUNNING, COMPLETED, TERMINATED)
PROJECT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    DECLARED: (APPROVED, TERMINATED),
    APPROVED: (RUNNING, COMPLETED, TERMINATED),
    RUNNING: (COMPLETED, TERMINATED),
    COMPLETED: (),
    TERMINATED: (),
}

# 重点任务
SOURCES = ("上级交办", "月度任务清单", "季度清单", "责任清单", "督查发现", "例会表态", "承诺")
SUPERIOR = "上级交办"
MONTHLY_LIST = "月度任务清单"
MEETING_SOURCE = "例会表态"
TODO, DOING, DONE, OVERDUE, CLOSED = "待办", "办理中", "已完成", "逾期", "销号"
TASK_STATUSES = (TODO, DOING, DONE, OVERDUE, CLOSED)
STORED_TASK_STATUSES = (TODO, DOING, DONE, CLOSED)  # 逾期 is read from the dates, never stored

# 例会
SPEAKER_KINDS = ("经验交流", "表态发言")  # 正反发言: the good share what worked, the laggards state what they will do


@dataclass(frozen=True)
class Milestone:
    title: str
    due: date
    done_on: date | None = None

    @property
    def done(self) -> bool:
        return self.done_on is not None


def lagging(m: Milestone, today: date) -> bool:
    """滞后: not done and past its due day."""
    return not m.done and m.due < today


def due_soon(m: Milestone, today: date, soon_days: int = DEFAULT_SOON_DAYS) -> bool:
    """临期: not done, not yet late, and due within ``soon_days`` days (inclusive)."""
    return not m.done and today <= m.due <= today + timedelta(days=soon_days)


def on_time(m: Milestone) -> bool:
    return m.done_on is not None and m.done_on <= m.due


def rate(done: int, total: int) -> Decimal:
    """Completion rate in per cent with one decimal place (0.0 when there is nothing to do)."""
    if total <= 0:
        return Decimal("0.0")
    return (Decimal(done) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Track:
    """Where something tracked stands today."""

    milestones_total: int
    milestones_done: int
    lagging: int  # milestones past due and not done
    due_soon: int  # milestones due within the window and not done
    on_time: int  # milestones done by their due day
    progress: int  # the last logged progress, per cent

    @property
    def is_lagging(self) -> bool:
        return self.lagging > 0

    @property
    def is_due_soon(self) -> bool:
        return self.due_soon > 0

    @property
    def rate(self) -> Decimal:
        return rate(self.milestones_done, self.milestones_total)


def track(milestones: Iterable[Milestone], today: date, soon_days: int = DEFAULT_SOON_DAYS,
          progress: int = 0, *, active: bool = True) -> Track:
    """Where something stands; a finished or terminated one (``active=False``) is never 滞后 or 临期."""
    ms = list(milestones)
    late = sum(lagging(m, today) for m in ms) if active else 0
    soon = sum(due_soon(m, today, soon_days) for m in ms) if active else 0
    return Track(len(ms), sum(m.done for m in ms), late, soon, sum(on_time(m) for m in ms), progress)


def status_on(status: str, day: date, *, declared_on: date | None, decided_on: date | None,
              finished_on: date | None, logged_by_then: bool) -> str | None:
    """A project's status as it stood at the end of ``day`` (None: not yet declared then), read from its dated
    trail — so a 通报 of a past month reports that month, not today."""
    if declared_on is not None and declared_on > day:
        return None
    if status in (COMPLETED, TERMINATED) and finished_on is not None and finished_on <= day:
        return status
    if status == DECLARED or decided_on is None or decided_on > day:
        return DECLARED
    return RUNNING if logged_by_then else APPROVED


def progress_problem(new: int, previous: int | None, reason: str) -> str | None:
    """A progress entry must be 0–100 and may go down only with a reason (a setback is explained)."""
    if not 0 <= new <= 100:
        return f"进度应为 0–100，收到 {new}"
    if previous is not None and new < previous and not reason.strip():
        return f"进度从 {previous}% 降到 {new}%，需要说明原因（--reason）"
    return None


def transition_problem(current: str, target: str) -> str | None:
    if target not in PROJECT_TRANSITIONS.get(current, ()):
        return f"项目状态为“{current}”，不能改为“{target}”"
    return None


def task_status(stored: str, due: date, today: date) -> str:
    """The status shown: 逾期 when not finished and the due day has passed; otherwise the stored one."""
    if stored in (TODO, DOING) and due < today:
        return OVERDUE
    return stored


def task_due_soon(stored: str, due: date, today: date, soon_days: int = DEFAULT_SOON_DAYS) -> bool:
    return stored in (TODO, DOING) and today <= due <= today + timedelta(days=soon_days)


def finished_late(due: date, done_on: date | None, today: date) -> bool:
    """未按时完成: done after its due day, or still not done once the due day has passed."""
    return done_on > due if done_on is not None else today > due


def deduction_month(due: date) -> tuple[int, int]:
    """The month a late task's deduction falls in: the month of the first day it was late."""
    first_late = due + timedelta(days=1)
    return first_late.year, first_late.month
