"""Figures for the 概览 (overview) page, all from SQL aggregates in one read (plus warnings).

The page asks once for a ``Dashboard`` and draws it; nothing here knows about Qt.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import bindparam, text

from app.domain.compliance import MISSING
from app.domain.enums import Category, WarningLevel, quarter_of
from app.domain.points import ZERO
from app.services.assessment import warnings
from app.services.compliance import status
from app.services.compliance.status import PeriodStatus
from app.services.kernel import scope
from app.services.kernel.context import Ledger
from app.services.register.orgs import SCORED_KINDS, class_map
from app.services.scoring import aggregate
from db.types import from_tenths

# Upper bounds of the score-distribution bins; the last bin is “90 分及以上”.
SCORE_BINS: tuple[int, ...] = (60, 70, 80, 90)


@dataclass(frozen=True)
class QuarterWarnings:
    year: int
    quarter: int
    complete: bool  # False while the quarter is still running (counts may still change)
    counts: dict[WarningLevel, int]  # YELLOW/ORANGE/RED → organisations


@dataclass(frozen=True)
class Dashboard:
    year: int
    month: int
    scored_total: int
    classes: dict[Category | None, int]  # None = not classified yet
    warnings: tuple[QuarterWarnings, ...]  # current quarter first, then the last complete one
    score_bins: tuple[tuple[str, int], ...]  # (label, organisations) of this year's score so far
    quarter_trend: tuple[tuple[str, Decimal], ...]  # ("25年3季度", average quarter score)
    overdue: tuple[warnings.OrgWarning, ...]
    todo: tuple[PeriodStatus, ...] = ()  # 待办提醒: due within the reminder window and not met yet
    missed: tuple[PeriodStatus, ...] = ()  # 缺项: periods of this year over and not met, latest first

    @property
    def missed_by_type(self) -> dict[str, int]:
        return dict(Counter(m.type_name for m in self.missed).most_common())


def _scored_orgs(session) -> list[tuple[int, str, str, str | None]]:
    rows = session.execute(
        text(
            """SELECT o.id, o.code, o.name, p.name FROM organizations o
               LEFT JOIN organizations p ON p.id = o.parent_id
               WHERE o.status = 'active' AND o.kind IN :kinds
               ORDER BY o.sort_order, o.code"""
        ).bindparams(bindparam("kinds", expanding=True)),
        {"kinds": list(SCORED_KINDS)},
    )
    return [tuple(r) for r in rows]


def _bin_label(i: int) -> str:
    if i == 0:
        return f"{SCORE_BINS[0]}分以下"
    if i == len(SCORE_BINS):
        return f"{SCORE_BINS[-1]}分及以上"
    return f"{SCORE_BINS[i - 1]}–{SCORE_BINS[i]}分"


def _score_bins(scores: list[Decimal]) -> tuple[tuple[str, int], ...]:
    counts = [0] * (len(SCORE_BINS) + 1)
    for s in scores:
        i = sum(1 for b in SCORE_BINS if s >= b)
        counts[i] += 1
    return tuple((_bin_label(i), n) for i, n in enumerate(counts))


def _quarter_trend(session, ids: set[int], year: int, quarter: int, n: int = 6) -> tuple[tuple[str, Decimal], ...]:
    """Average quarter score of the scored organisations over the last ``n`` quarters up to now."""
    y1, q1 = year, quarter
    for _ in range(n - 1):
        y1, q1 = (y1, q1 - 1) if q1 > 1 else (y1 - 1, 4)
    m1 = (q1 - 1) * 3 + 1
    rows = session.execute(
        text(
            """SELECT s.org_id, s.year, (s.month - 1) / 3 + 1 AS q,
                      SUM(CASE WHEN i.kind IN ('deduction','veto') THEN -s.capped ELSE s.capped END)
               FROM monthly_scores s JOIN scheme_items i ON i.id = s.item_id
               WHERE s.year BETWEEN :y1 AND :y2 AND (s.year > :y1 OR s.month >= :m1)
               GROUP BY s.org_id, s.year, q"""
        ),
        {"y1": y1, "y2": year, "m1": m1},
    )
    totals: dict[tuple[int, int], list[int]] = {}
    with_data: dict[int, set[int]] = {}
    for org_id, y, q, tenths in rows:
        if org_id in ids:
            totals.setdefault((y, q), []).append(tenths or 0)
            with_data.setdefault(y, set()).add(org_id)
    out = []
    y, q = year, quarter
    for _ in range(n):
        if y in with_data:
            # Organisations with a ledger that year but no points in the quarter count as 0.
            values = totals.get((y, q), [])
            avg = from_tenths(round(sum(values) / len(with_data[y]))) if with_data[y] else ZERO
            out.append((f"{y % 100:02d}年{q}季度", avg))
        y, q = (y, q - 1) if q > 1 else (y - 1, 4)
    return tuple(reversed(out))


def _warning_counts(ledger: Ledger, year: int, quarter: int, complete: bool) -> QuarterWarnings:
    counted = Counter(w.level for w in warnings.quarter_warnings(ledger, year, quarter))
    levels = (WarningLevel.YELLOW, WarningLevel.ORANGE, WarningLevel.RED)
    return QuarterWarnings(year, quarter, complete, {lv: counted.get(lv, 0) for lv in levels})


def dashboard(ledger: Ledger, on: date | None = None) -> Dashboard:
    """Everything the overview shows, for the day ``on`` (default: the ledger's today)."""
    today = on or ledger.today()
    year, month = today.year, today.month
    quarter = quarter_of(month)
    prev = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    with ledger.db.read() as s:
        orgs = scope.keep(ledger, _scored_orgs(s), lambda o: o[1], s)  # a scoped user's subtree only
        ids = {o[0] for o in orgs}
        held = class_map(s, year)
        classes: Counter[Category | None] = Counter(held.get(oid) for oid in ids)
        totals = aggregate.annual_totals(s, year)
        scores = [totals[oid].score if oid in totals else ZERO for oid in ids]
        trend = _quarter_trend(s, ids, year, quarter)
    quarters = (
        _warning_counts(ledger, year, quarter, False),  # today lies inside it
        _warning_counts(ledger, prev[0], prev[1], True),
    )
    return Dashboard(
        year=year,
        month=month,
        scored_total=len(orgs),
        classes={c: classes.get(c, 0) for c in (Category.A, Category.B, Category.C, None)},
        warnings=quarters,
        score_bins=_score_bins(scores),
        quarter_trend=trend,
        overdue=tuple(warnings.overdue(ledger)),
        todo=tuple(status.reminders(ledger, today)),
        missed=tuple(sorted((r for r in status.year_status(ledger, year, on=today) if r.status == MISSING),
                            key=lambda r: (-r.due.toordinal(), r.org_code, r.type_code))),
    )
