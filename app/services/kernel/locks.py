"""Period rules, one place for every write path: a locked month and a confirmed year are closed.

A reviewer locks a checked month; no score or record of it may change until an administrator
unlocks it. Once a year's grades are confirmed, nothing that decides that year's points, records,
classes or grades may change until an administrator reopens the year (grades.reopen).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import LockedError, ValidationError
from db.models import AnnualGrade, MonthLock

from . import audit, permissions, validate
from .context import Ledger


@dataclass(frozen=True)
class LockInfo:
    year: int
    month: int
    locked_by: str
    locked_at: datetime
    note: str


@dataclass(frozen=True)
class YearConfirmation:
    year: int
    confirmed_at: datetime
    confirmed_by: str

    def message(self) -> str:
        return (f"{self.year} 年度定级已于 {self.confirmed_at:%Y-%m-%d %H:%M} 由 {self.confirmed_by or '（未记录）'} 确认，"
                f"该年度已关闭，不能修改；如需修改请由管理员重新打开 {self.year} 年度")


def confirmation(session: Session, year: int) -> YearConfirmation | None:
    """Who confirmed the year's grades and when, if they are confirmed."""
    row = session.execute(
        select(AnnualGrade.confirmed_at, AnnualGrade.confirmed_by)
        .where(AnnualGrade.year == year, AnnualGrade.confirmed_at.is_not(None))
        .order_by(AnnualGrade.confirmed_at.desc()).limit(1)
    ).first()
    return YearConfirmation(year, row[0], row[1]) if row else None


def ensure_year_open(session: Session, year: int) -> None:
    """Raise LockedError naming the confirmation if the year's grades are confirmed."""
    done = confirmation(session, year)
    if done is not None:
        raise LockedError(done.message())


def ensure_open(session: Session, year: int, month: int) -> None:
    """Raise LockedError naming the lock or the confirmation if (year, month) is closed to writes.
    Every path that writes points or records calls this."""
    ensure_year_open(session, year)
    lock = session.scalar(select(MonthLock).where(MonthLock.year == year, MonthLock.month == month))
    if lock is not None:
        raise LockedError(
            f"{year} 年 {month} 月已于 {lock.locked_at:%Y-%m-%d %H:%M} 由 {lock.locked_by} 审核锁定，不能修改；"
            "如需修改请由管理员解锁"
        )


def locked_months(ledger: Ledger, year: int | None = None) -> list[LockInfo]:
    with ledger.db.read() as s:
        q = select(MonthLock).order_by(MonthLock.year, MonthLock.month)
        if year is not None:
            q = q.where(MonthLock.year == year)
        return [LockInfo(r.year, r.month, r.locked_by, r.locked_at, r.note) for r in s.scalars(q)]


def lock_month(ledger: Ledger, year: int, month: int, note: str = "") -> LockInfo:
    permissions.require(ledger, "lock")
    year, month = validate.year(year), validate.month(month)
    with ledger.db.write() as s:
        existing = s.scalar(select(MonthLock).where(MonthLock.year == year, MonthLock.month == month))
        if existing is not None:
            raise ValidationError(f"{year} 年 {month} 月已经锁定")
        row = MonthLock(year=year, month=month, locked_by=ledger.user, note=validate.text(note, "备注"))
        s.add(row)
        s.flush()
        audit.record(s, ledger, "锁定月份", "month_lock", summary=f"{year} 年 {month} 月审核锁定")
        return LockInfo(row.year, row.month, row.locked_by, row.locked_at, row.note)


def unlock_month(ledger: Ledger, year: int, month: int, reason: str) -> None:
    permissions.require(ledger, "unlock")
    year, month = validate.year(year), validate.month(month)
    reason = validate.text(reason, "解锁理由", required=True)
    with ledger.db.write() as s:
        row = s.scalar(select(MonthLock).where(MonthLock.year == year, MonthLock.month == month))
        if row is None:
            raise ValidationError(f"{year} 年 {month} 月没有锁定")
        s.delete(row)
        audit.record(s, ledger, "解锁月份", "month_lock", summary=f"{year} 年 {month} 月解锁：{reason}",
                     changes={"locked_by": (row.locked_by, None)})
