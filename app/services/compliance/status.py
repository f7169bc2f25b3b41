"""The status of every organisation × requirement × period of a year (已完成/缺/即将到期/未到期/豁免).

One query counts the year's work records (and, for yearly rules due in the next year, the records up
to that due date); the rest is the pure rules in app.domain.compliance.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from app.domain import compliance as rules
from app.errors import NotFoundError, ValidationError
from app.services.kernel import validate
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
    lo = min(w.count_from for ws in chosen.values() for w in ws)
    hi = max(w.count_to for ws in chosen.values() for w in ws)
    ids = {r.id for r in orgs}
    # Month and quarter windows are found by (year, month); yearly ones (one or two) by their range.
    by_month = {c: {(d.year, d.month): w.label for w in ws for d in _months(w)} for c, ws in wins.items()}
    held: Counter = Counter()
    # Plain SQL over the indexed date column: a county year is a few hundred thousand records, and the
    # ORM's per-row date conversion would cost more than all the rest.
    sql = "SELECT org_id, type_code, year, month, date FROM work_records WHERE date >= :lo AND date <= :hi"
    params: dict = {"lo": lo.isoformat(), "hi": hi.isoformat()}
    query = text(sql)
    if len(ids) <= _ORG_LIST_MAX:  # one branch (records page, a handbook): its records only
        query = text(sql + " AND org_id IN :ids").bindparams(bindparam("ids", expanding=True))
        params["ids"] = sorted(ids)
    for oid, tcode, y, m, raw in s.execute(query, params):
        if oid not in ids or tcode not in wins:
            continue
        label = by_month[tcode].get((y, m))
        if label is None:
            on = date.fromisoformat(str(raw)[:10])
            label = next((w.label for w in wins[tcode] if w.count_from <= on <= w.count_to), None)
        if label is not None:
            held[(oid, tcode, label)] += 1
    exempt = exemptions.by_org_type(s)
    # What an unmet period is today depends on the window only: judged once, not per branch.
    unmet = {(r.type_code, w.label): rules.status(r, w, 0, today, exempt=False, soon_days=soon_days)
             for r in reqs for w in chosen[r.type_code]}
    out: list[PeriodStatus] = []
    append = out.append
    for org in orgs:
        closed = org.closed_on
        if org.status != "active" and closed is None:
            continue  # stopped with no date: no longer judged
        always = org.established_on is None and closed is None
        for req in reqs:
            if not req.applies_to(org.sector, org.has_groups):
                continue
            code, minimum = req.type_code, req.minimum
            spans = exempt.get((org.id, code))
            for w in chosen[code]:
                if not always and not rules.counts_for(org.established_on, closed, w):
                    continue
                n = held.get((org.id, code, w.label), 0)
                if spans and rules.covered(spans, w):
                    st = rules.EXEMPT
                else:
                    st = rules.DONE if n >= minimum else unmet[(code, w.label)]
                append(PeriodStatus(org.code, org.name, code, req.type_name, w.label, minimum, n, st, w.due))
    return out


def year_status(ledger: Ledger, year: int, *, quarter: int | None = None, month: int | None = None,
                type_code: str | None = None, org_code: str | None = None,
                on: date | None = None) -> list[PeriodStatus]:
    """Every branch × requirement × period of the year, judged as of ``on`` (default: today)."""
    year = validate.year(year)
    quarter = validate.quarter(quarter) if quarter is not None else None
    month = validate.month(month) if month is not None else None
    with ledger.db.read() as s:
        return _statuses(s, year, on or ledger.today(), quarter=quarter, month=month, type_code=type_code,
                         org_code=org_code)


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
    return sorted(out, key=lambda r: (r.due, r.org_code, r.type_code))
