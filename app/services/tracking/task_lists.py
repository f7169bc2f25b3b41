"""清单调度: 月初拟定工作任务清单 — one month's list issued to many organisations at once (each line becomes
one task per owner) — and 月末汇总反馈: completion per owner, the laggards first."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain import tracking as rules
from app.errors import LedgerError, ValidationError
from app.services.kernel import permissions, validate
from app.services.kernel.context import Ledger

from . import tasks


@dataclass(frozen=True)
class ListLine:
    """One line of a month's list as an entry path received it; ``where`` names it in messages (e.g. 第 3 行)."""

    where: str
    title: object
    due: object = None
    owners: Sequence[str] = ()  # empty: every organisation the list is issued to
    person: object = ""


@dataclass(frozen=True)
class IssueResult:
    month: str
    tasks: int
    owners: int
    ids: tuple[int, ...]


def month_range(month: str) -> tuple[date, date]:
    y, m = (int(x) for x in month.split("-"))
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


@dataclass(frozen=True)
class PlannedTask:
    """One task a list will write: a line for one owner (the preview shows these)."""

    where: str
    title: str
    due: date
    owner_code: str
    owner_name: str
    person: str


def _plan(s, ledger: Ledger, ym: str, to: Sequence[str], lines: Sequence[ListLine], issued_on: date, source: object) -> list[tuple]:
    """Every line checked (title, due day, known owners); any problem → ValidationError listing each with its line."""
    _first, last = month_range(ym)
    if not lines:
        raise ValidationError(f"{ym} 任务清单没有任何任务")
    default_owners = [tasks.owner_row(s, c) for c in to]
    for o in default_owners:  # a list for organisations outside the user's scope is refused whole
        permissions.require_org(s, ledger, o)
    problems: list[str] = []
    planned = []
    for ln in lines:
        try:
            t, src, iss, due_on = tasks.check_task(ln.title, source, issued_on, ln.due if ln.due not in (None, "")
                                                   else last)
            owners = [tasks.owner_row(s, c) for c in ln.owners] or default_owners
            for o in owners:
                permissions.require_org(s, ledger, o)
            if not owners:
                raise ValidationError("没有责任单位（请选择下发的组织，或在“责任单位编码”列填写）")
            person = validate.text(ln.person, "责任人", max_len=40)
            planned.append((ln.where, t, src, iss, due_on, owners, person))
        except LedgerError as e:  # bad input or an unknown owner: named with its line
            problems.append(f"{ln.where}：{e}" if ln.where else str(e))
    if problems:
        listed = "；".join(problems[:10]) + (f"；……另有 {len(problems) - 10} 处" if len(problems) > 10 else "")
        raise ValidationError(f"任务清单有 {len(problems)} 处问题，未写入任何任务：{listed}")
    return planned


def _issued_on(ym: str, issued: object) -> date:
    return validate.parse_date(issued, "交办日期") if issued not in (None, "") else month_range(ym)[0]


def preview(ledger: Ledger, month: object, to: Sequence[str], lines: Sequence[ListLine], *,
            issued: object = None, source: object = rules.MONTHLY_LIST) -> list[PlannedTask]:
    """What ``issue`` would write, checked by the same rules, writing nothing."""
    ym = tasks.parse_list_month(month)
    issued_on = _issued_on(ym, issued)
    with ledger.db.read() as s:
        return [PlannedTask(where, t, due_on, org.code, org.name, person)
                for where, t, _src, _iss, due_on, owners, person in _plan(s, ledger, ym, to, lines, issued_on, source)
                for org in owners]


def issue(ledger: Ledger, month: object, to: Sequence[str], lines: Sequence[ListLine], *,
          issued: object = None, source: object = rules.MONTHLY_LIST) -> IssueResult:
    """Every line is checked first (title, due day within reason, known owners); any problem → nothing written,
    every problem listed with its line."""
    permissions.require(ledger, "tracking")
    ym = tasks.parse_list_month(month)
    issued_on = _issued_on(ym, issued)
    with ledger.db.write() as s:
        planned = _plan(s, ledger, ym, to, lines, issued_on, source)
        rows = []
        seen_owners = set()
        open_days: set = set()
        for _where, t, src, iss, due_on, owners, person in planned:
            for org in owners:
                rows.append(tasks.new_row(s, ledger, org, t, src, iss, due_on, person=person, list_month=ym,
                                          open_days=open_days))
                seen_owners.add(org.id)
        s.flush()
        return IssueResult(ym, len(rows), len(seen_owners), tuple(r.id for r in rows))


@dataclass(frozen=True)
class OwnerFeedback:
    owner_code: str
    owner_name: str
    total: int
    done: int  # 已完成 or 销号
    on_time: int  # done by the due day
    overdue: int  # not done and past due
    open: int  # not done, not yet due

    @property
    def rate(self) -> Decimal:
        return rules.rate(self.done, self.total)

    def as_dict(self) -> dict:
        return {"owner": self.owner_code, "owner_name": self.owner_name, "total": self.total, "done": self.done,
                "on_time": self.on_time, "overdue": self.overdue, "open": self.open, "rate": str(self.rate)}


@dataclass(frozen=True)
class Feedback:
    month: str
    owners: tuple[OwnerFeedback, ...]

    @property
    def total(self) -> int:
        return sum(o.total for o in self.owners)

    @property
    def done(self) -> int:
        return sum(o.done for o in self.owners)

    @property
    def overdue(self) -> int:
        return sum(o.overdue for o in self.owners)

    def as_dict(self) -> dict:
        return {"month": self.month, "total": self.total, "done": self.done, "overdue": self.overdue,
                "rate": str(rules.rate(self.done, self.total)), "owners": [o.as_dict() for o in self.owners]}


def tally(ts: Sequence[tasks.TaskInfo]) -> tuple[int, int, int, int, int]:
    """The month-end counts of some tasks, one rule for every list: (total, done — 已完成 or 销号, on time — done
    by the due day, overdue — not done and past due, open — not done, not yet due)."""
    done = [t for t in ts if t.stored_status in (rules.DONE, rules.CLOSED)]
    return (len(ts), len(done), sum(1 for t in done if t.done_on and t.done_on <= t.due),
            sum(1 for t in ts if t.status == rules.OVERDUE), sum(1 for t in ts if t.status in (rules.TODO, rules.DOING)))


def feedback(ledger: Ledger, month: object) -> Feedback:
    """月末汇总反馈: each owner's tasks of the month's list; the lowest completion first, then most overdue."""
    ym = tasks.parse_list_month(month)
    by_owner: dict[str, list[tasks.TaskInfo]] = {}
    for t in tasks.listing(ledger, month=ym):
        by_owner.setdefault(t.owner_code, []).append(t)
    rows = [OwnerFeedback(code, ts[0].owner_name, *tally(ts)) for code, ts in by_owner.items()]
    rows.sort(key=lambda o: (o.rate, -o.overdue, o.owner_code))
    return Feedback(ym, tuple(rows))
