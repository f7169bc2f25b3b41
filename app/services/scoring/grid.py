"""The 月度积分 grid: one month of every scored organisation in a few SQL queries.

The entry screen needs, for 3,000 organisations at once, each cell's hand-entered and
record-derived points, the month and quarter-to-date totals and the warning level the
quarter-to-date would get. Everything here is plain SQL sums over indexed columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import bindparam, text

from app.domain.enums import ItemKind, WarningLevel, previous_quarter, quarter_months, quarter_of
from app.domain.rules import consecutive_below, warning_level
from app.domain.scheme import Scheme, WarningRules
from app.services.kernel import locks, scope, validate
from app.services.kernel.context import Ledger
from app.services.register.orgs import SCORED_KINDS
from db.types import from_tenths

from . import aggregate
from .schemes import get_scheme, scheme_of_year


@dataclass(frozen=True)
class GridOrg:
    code: str
    name: str
    parent_code: str
    parent_name: str


class GridCell(NamedTuple):
    """One cell; a NamedTuple because a month holds tens of thousands (4× cheaper than a frozen dataclass)."""

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
    locked_rows: dict[str, str] = field(default_factory=dict)  # org code → its subtree's lock, when only part is locked




def _org_clause(codes: Sequence[str] | None, column: str) -> str:
    return f" AND {column} IN :codes" if codes is not None else ""


def _stmt(sql: str, codes: Sequence[str] | None):
    stmt = text(sql)
    return stmt.bindparams(bindparam("codes", expanding=True)) if codes is not None else stmt


def _negative_items(s, year: int) -> str:
    """Ids of the year's deduction and veto items, as an SQL list (sums then need no join)."""
    ids = s.scalars(
        text("""SELECT i.id FROM scheme_items i JOIN schemes sc ON sc.id = i.scheme_id
                WHERE sc.year = :y AND i.kind IN ('deduction', 'veto')"""),
        {"y": year},
    ).all()
    return ",".join(str(int(i)) for i in ids) or "0"


def _period_tenths(s, year: int, first: int, last: int) -> dict[int, int]:
    """Signed points (tenths) of every organisation over months first..last (as aggregate.period_scores)."""
    rows = s.execute(
        text(f"""SELECT s.org_id, SUM(CASE WHEN s.item_id IN ({_negative_items(s, year)}) THEN -s.capped
                                          ELSE s.capped END)
                 FROM monthly_scores s WHERE s.year = :y AND s.month BETWEEN :m1 AND :m2 GROUP BY s.org_id"""),
        {"y": year, "m1": first, "m2": last},
    )
    return dict(rows.all())


def _prior_below(s, ledger: Ledger, year: int, month: int, ids: list[int], rules: WarningRules) -> dict[int, int]:
    """Consecutive complete quarters right before this one below the yellow line (as warnings.compute)."""
    if not rules.consecutive or not ids:
        return {}
    earlier: list[dict[int, bool | None]] = []
    y, q = year, quarter_of(month)
    for _ in range(2):
        y, q = previous_quarter(y, q)
        if y < 2000:
            break
        m1, _m2, m3 = quarter_months(q)
        scores = _period_tenths(s, y, m1, m3)
        ledgered = set(ids) if y == year else aggregate.orgs_with_data(s, y, ids)
        past = rules if y == year else (getattr(scheme_of_year(s, y), "warning", None) or rules)
        earlier.append({oid: past.below_yellow(from_tenths(scores.get(oid, 0))) if oid in ledgered else None
                        for oid in ids})
    return {oid: consecutive_below([e[oid] for e in earlier]) for oid in ids}


_DECIMALS: dict[int, Decimal] = {}


def _dec(tenths: int) -> Decimal:
    """Decimal of a tenths count, shared: a month holds tens of thousands of cells but few distinct values."""
    d = _DECIMALS.get(tenths)
    if d is None:
        d = _DECIMALS[tenths] = from_tenths(tenths)
    return d


def _covers_view(ledger: Ledger, lock: locks.LockInfo) -> bool:
    """Does the lock close every row this user's grid shows (a whole-unit lock, or one on their subtree or above)?
    A lock on part of the view closes only those rows: their cells are refused one by one (CellRules)."""
    own = getattr(ledger, "scope", "")
    if not lock.scope:
        return True
    if not own:
        return False
    return lock.scope == own or not scope.current(ledger).covers_code(lock.scope)


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
    month_locks = [lk for lk in locks.locked_months(ledger, year) if lk.month == month]
    lock = next((lk for lk in month_locks if _covers_view(ledger, lk)), None)
    partial = [lk for lk in month_locks if lock is None and not _covers_view(ledger, lk)]
    lock_text = (
        f"{'' if not lock.scope else lock.where + ' '}{year} 年 {month} 月已于 {lock.locked_at:%Y-%m-%d %H:%M} "
        f"由 {lock.locked_by} 审核锁定，只能查看；如需修改请由管理员解锁"
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
        org_rows = scope.keep(ledger, org_rows, lambda r: r[1], s)  # a scoped user's grid: their subtree only
        shown = {r[1] for r in org_rows}
        locked_rows = {code: f"{lk.where} {year} 年 {month} 月已于 {lk.locked_at:%Y-%m-%d %H:%M} 由 {lk.locked_by} 审核锁定，"
                             "只能查看；如需修改请由管理员解锁"
                       for lk in partial for code in (scope.subtree(s, lk.scope).codes or ())
                       if code in shown}
        # The year's items once, so the cell reads need no join (31,000 cells for 3,000 organisations).
        items = {
            iid: (code, per, -1 if kind in ("deduction", "veto") else 1)
            for iid, code, per, kind in s.execute(
                text("""SELECT i.id, i.code, i.points, i.kind FROM scheme_items i
                        JOIN schemes sc ON sc.id = i.scheme_id WHERE sc.year = :y"""),
                {"y": year},
            )
        }
        ids = [r[0] for r in org_rows]
        id_params = {"ids": ids} if codes is not None else {}
        id_clause = " AND s.org_id IN :ids" if codes is not None else ""

        def stmt(sql: str):
            t = text(sql)
            return t.bindparams(bindparam("ids", expanding=True)) if codes is not None else t

        # One read of the month's cells gives the cells and the month totals.
        cell_rows = s.execute(
            stmt(f"""SELECT s.org_id, s.item_id, s.manual_points, s.manual_count, s.record_count, s.effective,
                            s.capped
                     FROM monthly_scores s WHERE s.year = :y AND s.month = :m{id_clause}"""),
            {"y": year, "m": month, **id_params},
        ).all()
        earlier: dict[int, int] = {}
        negative = [iid for iid, (_c, _p, sign) in items.items() if sign < 0] or [0]
        if month > m1:  # the quarter's months before this one
            earlier = dict(s.execute(
                stmt(f"""SELECT s.org_id,
                            SUM(CASE WHEN s.item_id IN ({','.join(map(str, negative))}) THEN -s.capped
                                ELSE s.capped END)
                         FROM monthly_scores s
                         WHERE s.year = :y AND s.month BETWEEN :m1 AND :m0{id_clause}
                         GROUP BY s.org_id"""),
                {"y": year, "m1": m1, "m0": month - 1, **id_params},
            ).all())
        veto = aggregate.vetoes(s, year, month)
        if prior_below is None:
            by_id = _prior_below(s, ledger, year, month, ids, scheme.warning)
        else:
            by_id = {r[0]: prior_below.get(r[1], 0) for r in org_rows}
    code_of = {r[0]: r[1] for r in org_rows}
    cells = {}
    this: dict[int, int] = {}
    for oid, iid, mp, mc, rc, eff, capped in cell_rows:
        oc = code_of.get(oid)
        item = items.get(iid)
        if oc is None or item is None:
            continue  # an inactive or unscored organisation's leftover cell
        ic, per, sign = item
        cells[(oc, ic)] = GridCell(None if mp is None else _dec(mp), mc, rc, _dec(per * rc), _dec(eff))
        this[oid] = this.get(oid, 0) + sign * capped  # totals count toward the quarter: monthly caps only
    totals = {}
    orgs = []
    for oid, code, name, pcode, pname in org_rows:
        orgs.append(GridOrg(code, name, pcode, pname))
        month_tenths = this.get(oid, 0)
        qtd_points = from_tenths(month_tenths + earlier.get(oid, 0))
        result = warning_level(qtd_points, by_id.get(oid, 0), oid in veto, scheme.warning)
        totals[code] = GridTotals(from_tenths(month_tenths), qtd_points, result.level, result.reasons)
    prior = {code_of[oid]: n for oid, n in by_id.items()}
    return MonthGrid(year, month, scheme, tuple(orgs), cells, totals, lock_text, prior, locked_rows)


def is_veto(scheme: Scheme, item_code: str) -> bool:
    item = scheme.item(item_code)
    return item is not None and item.kind is ItemKind.VETO
