"""Monthly points (月度积分): set by hand beside those earned by linked work records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import ItemKind, quarter_months, quarter_of
from app.domain.points import ZERO, fmt
from app.errors import NotFoundError, ValidationError
from app.services.kernel import audit, locks, permissions, validate
from app.services.kernel.context import Ledger
from app.services.register.orgs import SCORED_KINDS, get_org_row
from db.models import MonthlyScore, Organization, SchemeItemRow

from . import aggregate
from .schemes import ensure_scheme, item_ids


@dataclass(frozen=True)
class ScoreEntry:
    """One cell to write: exactly one of ``count`` and ``points`` (None for both clears the cell)."""

    org_code: str
    item_code: str
    month: int
    count: int | None = None
    points: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class ScoreCell:
    org_code: str
    item_code: str
    month: int
    manual_points: Decimal | None
    manual_count: int | None
    record_count: int
    record_points: Decimal  # before caps
    effective: Decimal  # after caps, a magnitude
    signed: Decimal  # effective with the item's sign


@dataclass(frozen=True)
class WriteResult:
    written: int
    cleared: int
    unchanged: int


def _check_org(org: Organization) -> None:
    if org.status != "active":
        raise ValidationError(f"“{org.name}”已停用，不能录入积分")
    if org.kind not in SCORED_KINDS:
        raise ValidationError(f"“{org.name}”是{org.kind}，不参与积分（积分录入到其下属支部）")


def _resolve(item: SchemeItemRow, entry: ScoreEntry) -> tuple[Decimal | None, int | None]:
    if entry.count is not None and entry.points is not None:
        raise ValidationError("次数和分值只能填写一个")
    if entry.count is None and entry.points is None:
        return None, None
    if entry.count is not None:
        n = validate.count(entry.count)
        if item.kind == ItemKind.VETO.value and n > 1:
            raise ValidationError(f"一票否决事项“{item.name}”的次数只能是 0 或 1")
        return item.points * n, n
    pts = validate.points(entry.points, f"“{item.name}”的分值")
    if item.kind == ItemKind.VETO.value:
        raise ValidationError(f"一票否决事项“{item.name}”请填写次数（1 表示发生），不填分值")
    return pts, None


def _check_caps(session: Session, item: SchemeItemRow, org_id: int, month: int, points: Decimal) -> None:
    if item.monthly_cap is not None and points > item.monthly_cap:
        raise ValidationError(f"“{item.name}”{month} 月填写 {fmt(points)} 分，超过月上限 {fmt(item.monthly_cap)}")
    if item.yearly_cap is not None:
        other = session.scalar(
            select(func.sum(MonthlyScore.__table__.c.manual_points)).where(
                MonthlyScore.org_id == org_id, MonthlyScore.item_id == item.id, MonthlyScore.month != month
            )
        )
        other_pts = other or ZERO  # func.sum keeps the Points type, so this is already a Decimal
        if other_pts + points > item.yearly_cap:
            raise ValidationError(
                f"“{item.name}”{month} 月填写 {fmt(points)} 分后全年累计 {fmt(other_pts + points)} 分，"
                f"超过年上限 {fmt(item.yearly_cap)}"
            )


def write_scores(
    ledger: Ledger, year: int, entries: Sequence[ScoreEntry], *, action: str = "录入积分", session: Session | None = None
) -> WriteResult:
    """Validate every entry, then write them all in one transaction (or none)."""
    permissions.require(ledger, "scores")
    year = validate.year(year)
    if session is not None:
        return _write(session, ledger, year, entries, action)
    with ledger.db.write() as s:
        return _write(s, ledger, year, entries, action)


def _write(session: Session, ledger: Ledger, year: int, entries: Sequence[ScoreEntry], action: str) -> WriteResult:
    ensure_scheme(session, ledger, year)
    items = item_ids(session, year)
    orgs: dict[str, Organization] = {}
    written = cleared = unchanged = 0
    touched: set[int] = set()
    for e in entries:
        month = validate.month(e.month)
        locks.ensure_open(session, year, month)
        org = orgs.get(e.org_code)
        if org is None:
            org = orgs[e.org_code] = get_org_row(session, e.org_code)
            _check_org(org)
        item = items.get(e.item_code)
        if item is None:
            raise NotFoundError(f"{year} 年积分细则中没有编码为“{e.item_code}”的细则")
        pts, n = _resolve(item, e)
        if pts is not None:
            _check_caps(session, item, org.id, month, pts)
        cell = session.scalar(
            select(MonthlyScore).where(
                MonthlyScore.org_id == org.id, MonthlyScore.item_id == item.id, MonthlyScore.month == month
            )
        )
        old = (cell.manual_points, cell.manual_count) if cell else (None, None)
        if old == (pts, n):
            unchanged += 1
            continue
        if cell is None:
            cell = MonthlyScore(org_id=org.id, item_id=item.id, year=year, month=month, record_count=0)
            session.add(cell)
        cell.manual_points, cell.manual_count = pts, n
        cell.note = validate.text(e.note, "备注") if e.note else cell.note
        session.flush()
        touched.add(org.id)
        if pts is None:
            cleared += 1
        else:
            written += 1
        audit.record(
            session, ledger, action, "monthly_score", entity_uuid=cell.uuid, org_code=org.code,
            summary=f"{year}-{month:02d} {item.code} {item.name}",
            changes={"points": (fmt(old[0]) if old[0] is not None else None, fmt(pts) if pts is not None else None),
                     "count": (old[1], n)},
        )
    if touched:
        aggregate.refresh(session, year, sorted(touched))
    return WriteResult(written, cleared, unchanged)


def set_score(
    ledger: Ledger, org_code: str, year: int, month: int, item_code: str, *,
    count: int | None = None, points: object = None, note: str = "",
) -> ScoreCell:
    if count is None and points is None:
        raise ValidationError("请填写次数或分值")
    pts = validate.points(points) if points is not None else None
    write_scores(ledger, year, [ScoreEntry(org_code, item_code, month, count, pts, note)])
    return cell(ledger, org_code, year, month, item_code)


def clear_score(ledger: Ledger, org_code: str, year: int, month: int, item_code: str) -> None:
    write_scores(ledger, year, [ScoreEntry(org_code, item_code, month)], action="清除积分")


def _cells_query(year: int):
    i = SchemeItemRow.__table__
    s = MonthlyScore.__table__
    o = Organization.__table__
    return (
        select(o.c.code, i.c.code, i.c.kind, i.c.points, s.c.month, s.c.manual_points, s.c.manual_count,
               s.c.record_count, s.c.effective)
        .select_from(s.join(i, i.c.id == s.c.item_id).join(o, o.c.id == s.c.org_id))
        .where(s.c.year == year)
    )


def _to_cell(row) -> ScoreCell:
    org_code, item_code, kind, per, month, manual, mcount, rcount, eff = row
    sign = -1 if kind in ("deduction", "veto") else 1
    # Core columns keep their Points type, so these arrive as Decimals.
    return ScoreCell(org_code, item_code, month, manual, mcount, rcount, per * rcount, eff, sign * eff)


def cells(ledger: Ledger, year: int, *, org_code: str | None = None, month: int | None = None) -> list[ScoreCell]:
    year = validate.year(year)
    q = _cells_query(year)
    if month is not None:
        q = q.where(MonthlyScore.__table__.c.month == validate.month(month))
    with ledger.db.read() as s:
        if org_code is not None:
            org = get_org_row(s, org_code)
            q = q.where(MonthlyScore.__table__.c.org_id == org.id)
        return [_to_cell(r) for r in s.execute(q.order_by(MonthlyScore.__table__.c.month))]


def cell(ledger: Ledger, org_code: str, year: int, month: int, item_code: str) -> ScoreCell:
    for c in cells(ledger, year, org_code=org_code, month=month):
        if c.item_code == item_code:
            return c
    return ScoreCell(org_code, item_code, month, None, None, 0, ZERO, ZERO, ZERO)


@dataclass(frozen=True)
class MonthTotals:
    month: Decimal
    quarter_to_date: Decimal


def month_totals(ledger: Ledger, year: int, month: int) -> dict[str, MonthTotals]:
    """Every organisation's signed points this month and in its quarter up to this month."""
    month = validate.month(month)
    first = quarter_months(quarter_of(month))[0]
    with ledger.db.read() as s:
        this = aggregate.period_scores(s, year, month, month)
        qtd = aggregate.period_scores(s, year, first, month)
        codes = dict(s.execute(select(Organization.id, Organization.code)).all())
    return {codes[oid]: MonthTotals(this.get(oid, ZERO), total) for oid, total in qtd.items()}
