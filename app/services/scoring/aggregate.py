"""SQL that keeps the derived ledger columns right and totals quarters and years for every organisation.

``monthly_scores.effective`` holds each cell's points after the item's monthly and yearly caps
(as integer tenths); ``capped`` after the monthly cap only, which is what quarter scores count. It is recomputed here, in SQL, whenever its inputs change: hand-entered
points, linked work records, or the year's scheme. Quarter and annual totals are then plain
indexed sums, fast for thousands of organisations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from db.sqlbits import sql_for
from db.types import from_tenths

YEAR_INDEX = "ix_scores_year_month_org"  # (year, month, org_id): named where SQLite must be told to use it
_BIG = 10**12  # stands for "no cap" in MIN(); far above any real tenths total



def _org_filter(org_ids: Sequence[int] | None, column: str) -> tuple[str, dict]:
    if org_ids is None:
        return "", {}
    return f" AND {column} IN :org_ids", {"org_ids": list(org_ids)}


def _bind(sql: str, org_ids: Sequence[int] | None):
    stmt = text(sql)
    if org_ids is not None:
        stmt = stmt.bindparams(bindparam("org_ids", expanding=True))
    return stmt


def refresh_record_counts(session: Session, year: int, org_ids: Sequence[int] | None = None) -> None:
    """Recount linked work records per (organisation, item, month) of a year, adding or dropping cells."""
    f_s, params = _org_filter(org_ids, "s.org_id")
    f_r, _ = _org_filter(org_ids, "r.org_id")
    params = {**params, "year": year}
    w = sql_for(session)
    linked = f"""
        SELECT r.org_id, i.id AS item_id, r.month, COUNT(*) AS n
        FROM work_records r
        JOIN scheme_items i ON i.record_type = r.type_code
        JOIN schemes sc ON sc.id = i.scheme_id AND sc.year = r.year
        WHERE r.year = :year{f_r}
        GROUP BY r.org_id, i.id, r.month
    """
    session.execute(
        _bind(
            f"""UPDATE monthly_scores AS s SET record_count = COALESCE(
                   (SELECT l.n FROM ({linked}) AS l
                    WHERE l.org_id = s.org_id AND l.item_id = s.item_id AND l.month = s.month), 0)
                WHERE s.year = :year{f_s}""",
            org_ids,
        ),
        params,
    )
    session.execute(
        _bind(
            f"""INSERT INTO monthly_scores
                   (uuid, org_id, item_id, year, month, record_count, effective, note, created_at, updated_at)
                SELECT {w.uuid7}, l.org_id, l.item_id, :year, l.month, l.n, 0, '',
                       {w.now_ms}, {w.now_ms}
                FROM (SELECT *, {w.random_hex32} AS h, {w.ms_hex12} AS t FROM ({linked}){w.subquery_alias}) AS l
                WHERE NOT EXISTS (SELECT 1 FROM monthly_scores s
                                  WHERE s.org_id = l.org_id AND s.item_id = l.item_id AND s.month = l.month)""",
            org_ids,
        ),
        params,
    )
    session.execute(
        _bind(
            f"""DELETE FROM monthly_scores AS s WHERE s.year = :year{f_s}
                AND s.manual_points IS NULL AND s.manual_count IS NULL AND s.record_count = 0""",
            org_ids,
        ),
        params,
    )


def recompute_effective(session: Session, year: int, org_ids: Sequence[int] | None = None) -> None:
    """capped = raw points after the monthly cap; effective = capped, then the yearly cap in month order."""
    f_s, params = _org_filter(org_ids, "s.org_id")
    # Year-wide, SQLite would rather walk the whole (org, item, year, month) index to skip a sort;
    # seeking the year and sorting its rows is 1.6× quicker for a full year, 10× for a new one.
    w = sql_for(session)
    hint = f" INDEXED BY {YEAR_INDEX}" if org_ids is None and not w.server else ""
    session.execute(
        _bind(
            f"""WITH capped AS (
                    SELECT s.id, s.org_id, s.item_id, s.month, i.yearly_cap,
                           {w.least}(COALESCE(s.manual_points, 0) + s.record_count * i.points,
                               COALESCE(i.monthly_cap, {_BIG})) AS c
                    FROM monthly_scores s{hint} JOIN scheme_items i ON i.id = s.item_id
                    WHERE s.year = :year{f_s}
                ), cum AS (
                    SELECT id, c, yearly_cap,
                           SUM(c) OVER (PARTITION BY org_id, item_id ORDER BY month) AS run
                    FROM capped
                )
                UPDATE monthly_scores SET capped = cum.c, effective = CASE
                    WHEN cum.yearly_cap IS NULL THEN cum.c
                    ELSE {w.greatest}(0, {w.least}(cum.run, cum.yearly_cap) - {w.least}(cum.run - cum.c, cum.yearly_cap)) END
                FROM cum WHERE monthly_scores.id = cum.id AND (monthly_scores.capped {w.is_not} cum.c
                    OR monthly_scores.effective {w.is_not}
                    (CASE WHEN cum.yearly_cap IS NULL THEN cum.c
                     ELSE {w.greatest}(0, {w.least}(cum.run, cum.yearly_cap) - {w.least}(cum.run - cum.c, cum.yearly_cap)) END))""",
            org_ids,
        ),
        {**params, "year": year},
    )


def refresh(session: Session, year: int, org_ids: Sequence[int]) -> None:
    refresh_record_counts(session, year, org_ids)
    recompute_effective(session, year, org_ids)


def refresh_year(session: Session, year: int) -> None:
    refresh_record_counts(session, year)
    recompute_effective(session, year)


# Quarter scores: points after monthly caps, before yearly and category caps (so Q4 is not warned
# merely because a yearly cap binds in autumn).
_SIGNED = "CASE WHEN i.kind IN ('deduction','veto') THEN -s.capped ELSE s.capped END"
_VETO_HIT = (
    "CASE WHEN i.kind = 'veto' AND (COALESCE(s.manual_count,0) > 0 OR s.record_count > 0"
    " OR COALESCE(s.manual_points,0) > 0) THEN 1 ELSE 0 END"
)


def period_scores(session: Session, year: int, first_month: int, last_month: int) -> dict[int, Decimal]:
    """Signed monthly-capped points of every organisation over a range of months (no yearly or category caps)."""
    rows = session.execute(
        text(
            f"""SELECT s.org_id, SUM({_SIGNED}) FROM monthly_scores s
                JOIN scheme_items i ON i.id = s.item_id
                WHERE s.year = :year AND s.month BETWEEN :m1 AND :m2
                GROUP BY s.org_id"""
        ),
        {"year": year, "m1": first_month, "m2": last_month},
    )
    return {org_id: from_tenths(total) for org_id, total in rows}


def vetoes(session: Session, year: int, through_month: int = 12) -> set[int]:
    rows = session.execute(
        text(
            f"""SELECT DISTINCT s.org_id FROM scheme_items i
                JOIN schemes sc ON sc.id = i.scheme_id AND sc.year = :year
                JOIN monthly_scores s ON s.item_id = i.id
                WHERE i.kind = 'veto' AND s.month <= :m AND {_VETO_HIT} = 1"""
        ),
        {"year": year, "m": through_month},
    )
    return {r[0] for r in rows}


def orgs_with_data(session: Session, year: int, org_ids: Iterable[int]) -> set[int]:
    """Organisations that have any ledger cell in ``year`` (one index probe each)."""
    rows = session.execute(
        text(
            """SELECT o.id FROM organizations o WHERE o.id IN :ids AND EXISTS
                 (SELECT 1 FROM monthly_scores s WHERE s.org_id = o.id AND s.year = :year)"""
        ).bindparams(bindparam("ids", expanding=True)),
        {"ids": list(org_ids), "year": year},
    )
    return {r[0] for r in rows}


@dataclass(frozen=True)
class AnnualTotals:
    score: Decimal
    categories: dict[str, Decimal]  # category code → capped total (magnitude)


def annual_totals(session: Session, year: int) -> dict[int, AnnualTotals]:
    """Each organisation's annual score: category totals capped by their maxima, signed, floored at 0."""
    w = sql_for(session)
    rows = session.execute(
        text(
            f"""SELECT s.org_id, c.code, c.kind,
                       {w.least}(SUM(s.effective), COALESCE(c.max_points, {_BIG})) AS capped
                FROM monthly_scores s
                JOIN scheme_items i ON i.id = s.item_id
                JOIN scheme_categories c ON c.id = i.category_id
                WHERE s.year = :year
                GROUP BY s.org_id, c.id"""
        ),
        {"year": year},
    )
    out: dict[int, dict[str, int]] = {}
    signed: dict[int, int] = {}
    for org_id, code, kind, capped in rows:
        out.setdefault(org_id, {})[code] = capped
        signed[org_id] = signed.get(org_id, 0) + (-capped if kind == "deduction" else capped)
    return {
        org_id: AnnualTotals(from_tenths(max(0, signed[org_id])), {k: from_tenths(v) for k, v in cats.items()})
        for org_id, cats in out.items()
    }
