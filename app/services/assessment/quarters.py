"""The quarters of a year for every scored organisation: which it existed for, their scores and 三级预警.

One place for what the quarterly warnings and the annual grade both need: a quarter counts only if
the organisation existed for all of it (founding and closing dates), its score is the points after
monthly caps, and the consecutive-quarter rule looks back across the year end only to quarters the
organisation existed for and had a ledger in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from app.domain.enums import quarter_months
from app.domain.periods import existed_whole_quarter, existed_whole_year
from app.domain.points import ZERO
from app.domain.rules import WarningResult, consecutive_below, warning_level
from app.domain.scheme import WarningRules
from app.services.register.orgs import SCORED_KINDS
from db.models import Organization
from db.types import from_tenths


@dataclass(frozen=True)
class ScoredOrg:
    id: int
    code: str
    name: str
    parent_name: str | None
    sector: str
    established_on: date | None
    closed_on: date | None

    def whole_quarter(self, year: int, quarter: int) -> bool:
        return existed_whole_quarter(self.established_on, self.closed_on, year, quarter)

    def whole_year(self, year: int) -> bool:
        return existed_whole_year(self.established_on, self.closed_on, year)

    def lived_in(self, year: int) -> bool:
        """Existed on at least one day of the year."""
        started = self.established_on is None or self.established_on <= date(year, 12, 31)
        return started and (self.closed_on is None or self.closed_on > date(year, 1, 1))


def scored_orgs(session: Session) -> list[ScoredOrg]:
    """Every organisation that takes part in scoring: active ones, and closed ones with a closing date
    (they keep the quarters and years they lived through). A stopped one without a date is left out."""
    o = Organization.__table__
    p = o.alias("p")
    rows = session.execute(
        select(o.c.id, o.c.code, o.c.name, p.c.name, o.c.sector, o.c.established_on, o.c.closed_on)
        .select_from(o.outerjoin(p, p.c.id == o.c.parent_id))
        .where(o.c.kind.in_(SCORED_KINDS), or_(o.c.status == "active", o.c.closed_on.is_not(None)))
        .order_by(o.c.sort_order, o.c.code)
    ).all()
    return [ScoredOrg(*r) for r in rows]


def quarter_scores(session: Session, year: int, first_month: int, last_month: int) -> dict[int, dict[int, Decimal]]:
    """organisation id → quarter → signed points after monthly caps, for months first..last of a year."""
    rows = session.execute(
        text(
            """SELECT s.org_id, (s.month - 1) / 3 + 1 AS q,
                      SUM(CASE WHEN i.kind IN ('deduction','veto') THEN -s.capped ELSE s.capped END)
               FROM monthly_scores s JOIN scheme_items i ON i.id = s.item_id
               WHERE s.year = :y AND s.month BETWEEN :m1 AND :m2
               GROUP BY s.org_id, q"""
        ),
        {"y": year, "m1": first_month, "m2": last_month},
    )
    out: dict[int, dict[int, Decimal]] = {}
    for oid, q, tenths in rows:
        out.setdefault(oid, {})[q] = from_tenths(tenths)
    return out


def veto_months(session: Session, year: int) -> dict[int, int]:
    """organisation id → the first month of the year with a 一票否决 (red from that quarter to year end)."""
    rows = session.execute(
        text(
            """SELECT s.org_id, MIN(s.month) FROM scheme_items i
               JOIN schemes sc ON sc.id = i.scheme_id AND sc.year = :y
               JOIN monthly_scores s ON s.item_id = i.id
               WHERE i.kind = 'veto' AND (COALESCE(s.manual_count, 0) > 0 OR s.record_count > 0
                                         OR COALESCE(s.manual_points, 0) > 0)
               GROUP BY s.org_id"""
        ),
        {"y": year},
    )
    return dict(rows.all())


def _orgs_with_data(session: Session, year: int) -> set[int]:
    return set(session.scalars(text("SELECT DISTINCT org_id FROM monthly_scores WHERE year = :y"), {"y": year}))


@dataclass(frozen=True)
class QuarterResult:
    score: Decimal
    result: WarningResult


def year_quarters(
    session: Session, year: int, orgs: list[ScoredOrg], rules: WarningRules, prev_rules: WarningRules | None,
    quarters: tuple[int, ...] = (1, 2, 3, 4),
) -> dict[int, dict[int, QuarterResult]]:
    """organisation id → quarter → score and warning, for the asked quarters the organisation existed
    for in full (a quarter it did not is absent). ``prev_rules``: last year's lines, for the run."""
    first_q = max(1, min(quarters) - 2)
    last_q = max(quarters)
    this = quarter_scores(session, year, quarter_months(first_q)[0], quarter_months(last_q)[2])
    vetoes = veto_months(session, year)
    looks_back = rules.consecutive and min(quarters) <= 2
    before = quarter_scores(session, year - 1, 7, 12) if looks_back else {}
    ledgered_before = _orgs_with_data(session, year - 1) if looks_back else set()
    out: dict[int, dict[int, QuarterResult]] = {}
    for org in orgs:
        # below-the-line flags of the quarters in order, None where a quarter does not count
        flags: dict[tuple[int, int], bool | None] = {}
        if looks_back:
            for q in (3, 4):
                counted = org.id in ledgered_before and org.whole_quarter(year - 1, q)
                score = before.get(org.id, {}).get(q, ZERO)
                flags[(year - 1, q)] = (prev_rules or rules).below_yellow(score) if counted else None
        mine = out.setdefault(org.id, {})
        for q in range(first_q, last_q + 1):
            if not org.whole_quarter(year, q):
                flags[(year, q)] = None
                continue
            score = this.get(org.id, {}).get(q, ZERO)
            flags[(year, q)] = rules.below_yellow(score)
            if q not in quarters:
                continue
            earlier = [flags.get(_back(year, q, k)) for k in (1, 2)]
            veto = org.id in vetoes and vetoes[org.id] <= quarter_months(q)[2]
            mine[q] = QuarterResult(score, warning_level(score, consecutive_below(earlier), veto, rules))
    return out


def _back(year: int, quarter: int, k: int) -> tuple[int, int]:
    n = year * 4 + quarter - 1 - k
    return n // 4, n % 4 + 1
