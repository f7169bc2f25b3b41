"""The 月度积分 grid: one month of every scored organisation in a few SQL queries.

The entry screen needs, for 3,000 organisations at once, each cell's hand-entered and
record-derived points, the month and quarter-to-date totals and the warning level the
quarter-to-date would get. Everything here is plain SQL sums over indexed columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import bindparam, text

from app.domain.enums import ItemKind, WarningLevel, quarter_months, quarter_of
from app.domain.points import ZERO, from_tenths
from app.domain.rules import consecutive_below, warning_level
from app.domain.scheme import Scheme, WarningRules

from . import aggregate, locks, validate
from .context import Ledger
from .orgs import SCORED_KINDS
from .schemes import get_scheme


@dataclass(frozen=True)
class GridOrg:
    code: str
    name: str
    parent_code: str
    parent_name: str


@dataclass(frozen=True)
class GridCell:
    manual_points: Decimal | None
    manual_count: int | None
    record_count: int
    record_points: Decimal  # linked records × points per occurrence, before caps
    effective: Decimal  # after the item's caps, a magnitude


@dataclass(frozen=True)
class GridTotals:
    month: Decimal  # signed
    quarter_to_date: Decimal  # signed, months of the quarter up to this one
    level: WarningLevel
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MonthGrid:
    year: int
    month: int
    scheme: Scheme
    orgs: tuple[GridOrg, ...]
    cells: dict[tuple[str, str], GridCell]  # (org code, item code) → cell; absent = empty
    totals: dict[str, GridTotals]  # org code → totals (every org in ``orgs``)
    lock_text: str  # "" when the month is open
    prior_below: dict[str, int]  # org code → consecutive earlier quarters below yellow (for reuse)


_SIGNED = "CASE WHEN i.kind IN ('deduction','veto') THEN -s.effective ELSE s.effective END"


def _org_clause(codes: Sequence[str] | None, column: str) -> str:
    return f" AND {column} IN :codes" if codes is not None else ""


def _stmt(sql: str, codes: Sequence[str] | None):
    stmt = text(sql)
    return stmt.bindparams(bindparam("codes", expanding=True)) if codes is not None else stmt


def _prior_below(s, ledger: Ledger, year: int, month: int, ids: list[int], rules: WarningRules) -> dict[int, int]:
    """Consecutive complete quarters right before this one below the yellow line (as warnings.compute)."""
    if not rules.consecutive or not ids:
        return {}
    from .warnings import _prev_quarter, _scheme_rules

    earlier: list[dict[int, Decimal | None]] = []
    y, q = year, quarter_of(month)
    for _ in range(2):
        y, q = _prev_quarter(y, q)
        if y < 2000:
            break
        m1, _m2, m3 = quarter_months(q)
        scores = aggregate.period_scores(s, y, m1, m3)
        ledgered = set(ids) if y == year else aggregate.orgs_with_data(s, y, ids)
        past = rules if y == year else (getattr(_scheme_rules(s, ledger, y), "warning", None) or rules)
        earlier.append(
            {
                oid: (ZERO if scores.get(oid, ZERO) < past.yellow_below else rules.yellow_below)
                if oid in ledgered else None
                for oid in ids
            }
        )
    return {oid: consecutive_below([e[oid] for e in earlier], rules) for oid in ids}


_DECIMALS: dict[int, Decimal] = {}


def _dec(tenths: int) -> Decimal:
    """Decimal of a tenths count, shared: a month holds tens of thousands of cells but few distinct values."""
    d = _DECIMALS.get(tenths)
    if d is None:
        d = _DECIMALS[tenths] = from_tenths(tenths)
    return d


def month_grid(
    ledger: Ledger, year: int, month: int, org_codes: Sequence[str] | None = None,
    prior_below: dict[str, int] | None = None,
) -> MonthGrid:
    """The month's grid for every active scored organisation (or only ``org_codes``, to refresh rows).

    ``prior_below`` (organisation code → consecutive earlier quarters below the yellow line) may be
    passed back from an earlier grid of the same quarter: it depends only on earlier quarters.
    """
    year, month = validate.year(year), validate.month(month)
    scheme = get_scheme(ledger, year)  # created on first use, so read it before the read session
    codes = list(org_codes) if org_codes is not None else None
    lock = next((lk for lk in locks.locked_months(ledger, year) if lk.month == month), None)
    lock_text = (
        f"{year} 年 {month} 月已于 {lock.locked_at:%Y-%m-%d %H:%M} 由 {lock.locked_by} 审核锁定，只能查看；如需修改请由管理员解锁"
        if lock else ""
    )
    m1 = quarter_months(quarter_of(month))[0]
    kinds = ",".join(f"'{k}'" for k in SCORED_KINDS)
    code_params = {"codes": codes} if codes is not None else {}
    with ledger.db.read() as s:
        org_rows = s.execute(
            _stmt(
                f"""SELECT o.id, o.code, o.name, COALESCE(p.code, ''), COALESCE(p.name, '')
                    FROM organizations o LEFT JOIN organizations p ON p.id = o.parent_id
                    WHERE o.status = 'active' AND o.kind IN ({kinds}){_org_clause(codes, 'o.code')}
                    ORDER BY p.sort_order, p.code, o.sort_order, o.code""",
                codes,
            ),
            code_params,
        ).all()
        # One read of the month's cells gives the cells and the month totals.
        cell_rows = s.execute(
            _stmt(
                f"""SELECT s.org_id, i.code, s.manual_points, s.manual_count, s.record_count, i.points, s.effective,
                           CASE WHEN i.kind IN ('deduction','veto') THEN -1 ELSE 1 END
                    FROM monthly_scores s
                    JOIN scheme_items i ON i.id = s.item_id
                    {'JOIN organizations o ON o.id = s.org_id' if codes is not None else ''}
                    WHERE s.year = :y AND s.month = :m{_org_clause(codes, 'o.code')}""",
                codes,
            ),
            {"y": year, "m": month, **code_params},
        ).all()
        earlier: dict[int, int] = {}
        if month > m1:  # the quarter's months before this one
            earlier = dict(s.execute(
                _stmt(
                    f"""SELECT s.org_id, SUM({_SIGNED}) FROM monthly_scores s
                        JOIN scheme_items i ON i.id = s.item_id
                        {'JOIN organizations o ON o.id = s.org_id' if codes is not None else ''}
                        WHERE s.year = :y AND s.month BETWEEN :m1 AND :m0{_org_clause(codes, 'o.code')}
                        GROUP BY s.org_id""",
                    codes,
                ),
                {"y": year, "m1": m1, "m0": month - 1, **code_params},
            ).all())
        ids = [r[0] for r in org_rows]
        veto = aggregate.vetoes(s, year, month)
        if prior_below is None:
            by_id = _prior_below(s, ledger, year, month, ids, scheme.warning)
        else:
            by_id = {r[0]: prior_below.get(r[1], 0) for r in org_rows}
    code_of = {r[0]: r[1] for r in org_rows}
    cells = {}
    this: dict[int, int] = {}
    for oid, ic, mp, mc, rc, per, eff, sign in cell_rows:
        oc = code_of.get(oid)
        if oc is None:
            continue  # an inactive or unscored organisation's leftover cell
        cells[(oc, ic)] = GridCell(None if mp is None else _dec(mp), mc, rc, _dec(per * rc), _dec(eff))
        this[oid] = this.get(oid, 0) + sign * eff
    totals = {}
    orgs = []
    for oid, code, name, pcode, pname in org_rows:
        orgs.append(GridOrg(code, name, pcode, pname))
        month_tenths = this.get(oid, 0)
        qtd_points = from_tenths(month_tenths + earlier.get(oid, 0))
        result = warning_level(qtd_points, by_id.get(oid, 0), oid in veto, scheme.warning)
        totals[code] = GridTotals(from_tenths(month_tenths), qtd_points, result.level, result.reasons)
    prior = {code_of[oid]: n for oid, n in by_id.items()}
    return MonthGrid(year, month, scheme, tuple(orgs), cells, totals, lock_text, prior)


def is_veto(scheme: Scheme, item_code: str) -> bool:
    item = scheme.item(item_code)
    return item is not None and item.kind is ItemKind.VETO
