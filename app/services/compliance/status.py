"""The status of every organisation × requirement × period of a year (已完成/缺/即将到期/未到期/豁免).

One query counts the year's work records (and, for yearly rules due in the next year, the records up
to that due date); the rest is the pure rules in app.domain.compliance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from app.domain import compliance as rules
from app.errors import NotFoundError, ValidationError
from app.services.kernel import scope, validate
from app.services.kernel.context import Ledger
from app.services.register.orgs import SCORED_KINDS
from db.models import Organization

from . import exemptions, requirements

_ORG_LIST_MAX = 200  # beyond this many organisations the date range alone is the cheaper filter
SOON_DAYS = 7  # 即将到期: the period ends within this many days and is not yet met


@dataclass(slots=True)  # a county year is ~150,000 of these: slots, not frozen, for speed
class PeriodStatus:
    org_code: str
    org_name: str
    type_code: str
    type_name: str
    period: str  # "2025-03", "2025-Q1" or "2025"
    required: int
    held: int
    status: str
    due: date

    def as_dict(self) -> dict:
        return {"org": self.org_code, "name": self.org_name, "type": self.type_code, "type_name": self.type_name,
                "period": self.period, "required": self.required, "held": self.held, "status": self.status,
                "due": self.due.isoformat()}


def _months(w: rules.Window) -> list[date]:
    """The first day of each month a month or quarter window counts (yearly windows are found by range)."""
    if w.count_to.year != w.count_from.year or w.count_to.month - w.count_from.month > 2:
        return []
    return [date(w.count_from.year, m, 1) for m in range(w.count_from.month, w.count_to.month + 1)]


def _in_filter(w: rules.Window, req: rules.Requirement, quarter: int | None, month: int | None) -> bool:
    if month is not None:
        return req.period == "month" and w.first.month == month
    if quarter is not None:
        return req.period != "year" and (w.first.month - 1) // 3 + 1 == quarter
    return True


def _statuses(s: Session, year: int, today: date, *, quarter: int | None = None, month: int | None = None,
              type_code: str | None = None, org_code: str | None = None,
              soon_days: int = SOON_DAYS, due_by: date | None = None) -> list[PeriodStatus]:
    reqs, _source = requirements.read(s, year)
    if type_code is not None:
        reqs = [r for r in reqs if r.type_code == type_code]
        if not reqs:
            raise NotFoundError(f"{year} 年的组织生活要求中没有工作记录类型“{type_code}”")
    o = Organization
    q = (select(o.id, o.code, o.name, o.sector, o.has_groups, o.established_on, o.closed_on, o.status)
         .where(o.kind.in_(SCORED_KINDS)).order_by(o.sort_order, o.code))
    if org_code is not None:
        q = q.where(o.code == org_code)
    orgs = s.execute(q).all()
    if org_code is not None and not orgs:
        raise NotFoundError(f"找不到参评的党组织“{org_code}”")
    wins = {r.type_code: rules.windows(r, year) for r in reqs}
    # Only the periods asked for (a quarter, a month, or — for reminders — those falling due) are judged,
    # and only their records are read.
    chosen = {r.type_code: [w for w in wins[r.type_code] if _in_filter(w, r, quarter, month)
                            and (due_by is None or today <= w.due <= due_by)] for r in reqs}
    if not any(chosen.values()):
        return []
    ids = {r.id for r in orgs}
    held = _held(s, wins, chosen, ids)
    exempt = exemptions.by_org_type(s)
    # What an unmet period is today depends on the window only: judged once, not per branch.
    plan = {r.type_code: [(w, w.label, w.due, rules.status(r, w, 0, today, exempt=False, soon_days=soon_days))
                          for w in chosen[r.type_code]] for r in reqs}
    empty: dict[str, int] = {}
    out: list[PeriodStatus] = []
    append = out.append
    done, exempt_st, counts_for, covered = rules.DONE, rules.EXEMPT, rules.counts_for, rules.covered
    for org in orgs:
        closed = org.closed_on
        if org.status != "active" and closed is None:
            continue  # stopped with no date: no longer judged
        always = org.established_on is None and closed is None
        oid, ocode, oname = org.id, org.code, org.name
        for req in reqs:
            if not req.applies_to(org.sector, org.has_groups):
                continue
            code, minimum, tname = req.type_code, req.minimum, req.type_name
            spans = exempt.get((oid, code))
            counts = held.get((oid, code), empty)
            for w, label, due, unmet in plan[code]:
                if not always and not counts_for(org.established_on, closed, w):
                    continue
                n = counts.get(label, 0)
                if spans and covered(spans, w):
                    st = exempt_st
                elif n >= minimum:
                    st = done
                else:
                    st = unmet
                append(PeriodStatus(ocode, oname, code, tname, label, minimum, n, st, due))
    return out


def _held(s: Session, wins: dict[str, list[rules.Window]], chosen: dict[str, list[rules.Window]],
          ids: set[int]) -> dict[tuple[int, str], dict[str, int]]:
    """Records counted per (organisation, type) and period label, for the chosen windows only.

    Plain SQL over the indexed columns: a county year is a few hundred thousand records, and the ORM's
    per-row conversion would cost more than all the rest. Month and quarter windows are found by
    (year, month); yearly ones (which may run into the next year) by their date range.
    """
    held: dict[tuple[int, str], dict[str, int]] = {}
    few = len(ids) <= _ORG_LIST_MAX  # one branch (records page, a handbook): read its records only

    def run(sql: str, params: dict) -> list:
        query = text(sql)
        if few:
            query = text(sql + " AND org_id IN :ids").bindparams(bindparam("ids", expanding=True))
            params["ids"] = sorted(ids)
        return s.execute(query, params).all()

    def add(oid: int, code: str, label: str) -> None:
        counts = held.get((oid, code))
        if counts is None:
            counts = held[(oid, code)] = {}
        counts[label] = counts.get(label, 0) + 1

    by_month = {c: {(d.year, d.month): w.label for w in ws for d in _months(w)} for c, ws in chosen.items()}
    short = {c for c, ws in chosen.items() if ws and all(_months(w) for w in ws)}
    months = sorted({(d.year, d.month) for c in short for w in chosen[c] for d in _months(w)})
    if months:
        where = " OR ".join(f"(year = {int(y)} AND month IN ({','.join(str(int(m)) for yy, m in months if yy == y)}))"
                            for y in sorted({y for y, _m in months}))
        for oid, code, y, m in run(f"SELECT org_id, type_code, year, month FROM work_records WHERE ({where})", {}):
            label = by_month[code].get((y, m)) if code in short else None
            if label is not None and oid in ids:
                add(oid, code, label)
    for code in sorted(c for c, ws in chosen.items() if ws and c not in short):
        for w in chosen[code]:
            for (oid,) in run("SELECT org_id FROM work_records WHERE type_code = :t AND date >= :lo AND date <= :hi",
                              {"t": code, "lo": w.count_from.isoformat(), "hi": w.count_to.isoformat()}):
                if oid in ids:
                    add(oid, code, w.label)
    return held


def year_status(ledger: Ledger, year: int, *, quarter: int | None = None, month: int | None = None,
                type_code: str | None = None, org_code: str | None = None,
                on: date | None = None) -> list[PeriodStatus]:
    """Every branch × requirement × period of the year, judged as of ``on`` (default: today)."""
    year = validate.year(year)
    quarter = validate.quarter(quarter) if quarter is not None else None
    month = validate.month(month) if month is not None else None
    with ledger.db.read() as s:
        return scope.keep(ledger, _statuses(s, year, on or ledger.today(), quarter=quarter, month=month,
                                            type_code=type_code, org_code=org_code), lambda r: r.org_code, s)


def reminders(ledger: Ledger, on: date | None = None, days: int = SOON_DAYS) -> list[PeriodStatus]:
    """What falls due within ``days`` of ``on`` and is not met yet (including last year's yearly rules)."""
    on = on or ledger.today()
    days = validate.count(days, "提前天数")
    if days > 366:
        raise ValidationError(f"提前天数不能超过 366，收到 {days}")
    out: list[PeriodStatus] = []
    with ledger.db.read() as s:
        for year in (on.year - 1, on.year):
            for row in _statuses(s, year, on, soon_days=days, due_by=date.fromordinal(on.toordinal() + days)):
                if row.status == rules.DUE_SOON:
                    out.append(row)
        out = scope.keep(ledger, out, lambda r: r.org_code, s)
    return sorted(out, key=lambda r: (r.due, r.org_code, r.type_code))
