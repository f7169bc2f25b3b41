"""Period rules, one place for every write path: a locked month and a confirmed year are closed.

A reviewer locks a checked month; no score or record of it may change until an administrator
unlocks it. A lock is for the whole unit (scope "") or for a subtree (scope = the code of an
organisation, typically a township 党委: it and everything under it); a user limited to a subtree
locks and unlocks within it only (kernel/scope.py). Once a year's grades are confirmed, nothing that decides that year's points, records,
classes or grades may change until an administrator reopens the year (grades.reopen).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import LockedError, PermissionDeniedError, ValidationError
from db.models import AnnualGrade, MonthLock, Organization

from . import audit, permissions, scope, validate
from .context import Ledger


@dataclass(frozen=True)
class LockInfo:
    year: int
    month: int
    locked_by: str
    locked_at: datetime
    note: str
    scope: str = ""  # "" = the whole unit; else the code of the subtree's root
    scope_name: str = ""

    @property
    def where(self) -> str:
        """“全单位” or “城关镇党委（CG）及其下属组织”."""
        return "全单位" if not self.scope else f"{self.scope_name or self.scope}（{self.scope}）及其下属组织"


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


def ancestor_codes(session: Session, org_id: int) -> list[str]:
    """The organisation's own code and those of everything above it (nearest first)."""
    out: list[str] = []
    seen: set[int] = set()
    node = session.get(Organization, org_id)
    while node is not None and node.id not in seen:
        seen.add(node.id)
        out.append(node.code)
        node = session.get(Organization, node.parent_id) if node.parent_id is not None else None
    return out


def lock_message(lock: MonthLock, session: Session | None = None) -> str:
    """The refusal naming the lock: its subtree (by name when a session is given), month, who and when."""
    name = session.scalar(select(Organization.name).where(Organization.code == lock.scope)) if lock.scope and session else ""
    where = "" if not lock.scope else f"“{name or lock.scope}”（{lock.scope}）及其下属组织的 "
    return (f"{where}{lock.year} 年 {lock.month} 月已于 {lock.locked_at:%Y-%m-%d %H:%M} 由 {lock.locked_by} 审核锁定，"
            "不能修改；如需修改请由管理员解锁")


def covering_lock(locks_of_month: list[MonthLock], session: Session, org_id: int | None) -> MonthLock | None:
    """The lock among a month's locks that closes this organisation: the whole-unit one, or a subtree lock whose
    root is the organisation or above it (None when org_id is None: only whole-unit locks then apply)."""
    whole = next((lk for lk in locks_of_month if not lk.scope), None)
    if whole is not None:
        return whole
    scoped = [lk for lk in locks_of_month if lk.scope]
    if not scoped or org_id is None:
        return None
    above = ancestor_codes(session, org_id)
    return min((lk for lk in scoped if lk.scope in above), key=lambda lk: above.index(lk.scope), default=None)


def ensure_open(session: Session, year: int, month: int, org_id: int | None = None) -> None:
    """Raise LockedError naming the lock or the confirmation if (year, month) is closed to writes — for the whole
    unit, or (given ``org_id``) for a subtree the organisation belongs to. Every path that writes points or
    records calls this."""
    ensure_year_open(session, year)
    month_locks = list(session.scalars(select(MonthLock).where(MonthLock.year == year, MonthLock.month == month)))
    lock = covering_lock(month_locks, session, org_id)
    if lock is not None:
        raise LockedError(lock_message(lock, session))


def ensure_subtree_open(session: Session, year: int, month: int, org_id: int) -> None:
    """Only the subtree locks of (year, month) that cover the organisation (the whole-unit lock and the confirmed
    year are ``ensure_open``'s)."""
    scoped = list(session.scalars(select(MonthLock).where(MonthLock.year == year, MonthLock.month == month,
                                                          MonthLock.scope != "")))
    lock = covering_lock(scoped, session, org_id)
    if lock is not None:
        raise LockedError(lock_message(lock, session))


def _info(session: Session, r: MonthLock) -> LockInfo:
    name = session.scalar(select(Organization.name).where(Organization.code == r.scope)) if r.scope else ""
    return LockInfo(r.year, r.month, r.locked_by, r.locked_at, r.note, r.scope, name or "")


def _scope_for(session: Session, ledger: Ledger, wanted: str | None) -> str:
    """The subtree a lock or unlock is for: the one asked, else the user's own; a scoped user stays inside theirs."""
    own = getattr(ledger, "scope", "") or ""
    code = (own if wanted is None else str(wanted)).strip()
    if code and session.scalar(select(Organization.id).where(Organization.code == code)) is None:
        raise ValidationError(f"锁定范围：找不到组织编码为“{code}”的党组织")
    if own:
        mine = scope.of(session, ledger)
        if not code or not mine.covers_code(code):
            target = "全单位" if not code else f"“{code}”"
            raise PermissionDeniedError(
                f"当前用户 {ledger.user} 的范围是{mine.label()}，不能锁定或解锁{target}的月份")
    return code


def locked_months(ledger: Ledger, year: int | None = None) -> list[LockInfo]:
    """The locks (whole unit and subtrees); a scoped user sees the ones that concern their subtree."""
    with ledger.db.read() as s:
        q = select(MonthLock).order_by(MonthLock.year, MonthLock.month, MonthLock.scope)
        if year is not None:
            q = q.where(MonthLock.year == year)
        rows = list(s.scalars(q))
        if getattr(ledger, "scope", ""):
            mine = scope.of(s, ledger)
            root = s.scalar(select(Organization.id).where(Organization.code == mine.code))
            above = set(ancestor_codes(s, root)) if root is not None else set()
            rows = [r for r in rows if not r.scope or mine.covers_code(r.scope) or r.scope in above]
        return [_info(s, r) for r in rows]


def lock_month(ledger: Ledger, year: int, month: int, note: str = "", scope_code: str | None = None) -> LockInfo:
    """Lock a month for the whole unit (scope "") or for a subtree (an organisation's code); a scoped user's lock
    defaults to their own subtree."""
    permissions.require(ledger, "lock")
    year, month = validate.year(year), validate.month(month)
    with ledger.db.write() as s:
        code = _scope_for(s, ledger, scope_code)
        existing = s.scalar(select(MonthLock).where(MonthLock.year == year, MonthLock.month == month,
                                                    MonthLock.scope.in_(["", code])))
        if existing is not None:
            raise ValidationError(f"{year} 年 {month} 月已经锁定（{_info(s, existing).where}）")
        row = MonthLock(year=year, month=month, locked_by=ledger.user, note=validate.text(note, "备注"), scope=code)
        s.add(row)
        s.flush()
        info = _info(s, row)
        audit.record(s, ledger, "锁定月份", "month_lock", summary=f"{year} 年 {month} 月审核锁定（{info.where}）",
                     org_code=code)
        return info


def unlock_month(ledger: Ledger, year: int, month: int, reason: str, scope_code: str | None = None) -> None:
    permissions.require(ledger, "unlock")
    year, month = validate.year(year), validate.month(month)
    reason = validate.text(reason, "解锁理由", required=True)
    with ledger.db.write() as s:
        code = _scope_for(s, ledger, scope_code)
        row = s.scalar(select(MonthLock).where(MonthLock.year == year, MonthLock.month == month, MonthLock.scope == code))
        if row is None:
            where = "" if not code else f"（“{code}”及其下属组织）"
            raise ValidationError(f"{year} 年 {month} 月{where}没有锁定")
        s.delete(row)
        audit.record(s, ledger, "解锁月份", "month_lock", summary=f"{year} 年 {month} 月解锁（{_info(s, row).where}）：{reason}",
                     changes={"locked_by": (row.locked_by, None)}, org_code=code)
