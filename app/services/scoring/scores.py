"""Monthly points (月度积分): set by hand beside those earned by linked work records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import quarter_months, quarter_of
from app.domain.points import ZERO, fmt
from app.errors import StaleError, ValidationError
from app.services.kernel import audit, permissions, scope, tombstones, validate
from app.services.kernel.context import Ledger
from app.services.register.orgs import get_org_row
from db.models import MonthlyScore, Organization, SchemeItemRow

from . import aggregate
from .cell_rules import CellInput, CellRules, refuse
from .schemes import ensure_scheme


@dataclass(frozen=True)
class ScoreEntry:
    """One cell to write: exactly one of ``count`` and ``points`` (None for both clears the cell)."""

    org_code: str
    item_code: str
    month: int
    count: int | None = None
    points: Decimal | None = None
    note: str = ""
    # (manual points, manual count) as the user saw the cell before editing; when given and the cell has
    # changed since (another client saved first), the write is refused naming who changed it and when.
    seen: tuple[Decimal | None, int | None] | None = None


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
    rules = CellRules(session, year, ledger)
    many = len(entries) > 1
    checked, problems = rules.check([
        CellInput(f"{e.org_code} {year}-{e.month:02d} {e.item_code}" if many and isinstance(e.month, int) else "",
                  e.org_code, e.item_code, e.month, e.points, e.count)
        for e in entries
    ])
    if problems:
        raise refuse(problems)
    notes = {(e.org_code, e.item_code, int(e.month)): e.note for e in entries}
    seen = {(e.org_code, e.item_code, int(e.month)): e.seen for e in entries if e.seen is not None}
    written = cleared = unchanged = 0
    touched: set[int] = set()
    for w in checked:
        cell = session.scalar(
            select(MonthlyScore).where(
                MonthlyScore.org_id == w.org_id, MonthlyScore.item_id == w.item_id, MonthlyScore.month == w.month
            )
        )
        old = (cell.manual_points, cell.manual_count) if cell else (None, None)
        expected = seen.get((w.org_code, w.item_code, w.month))
        if expected is not None and tuple(expected) != old:
            raise _stale(session, cell, w, year, expected, old)
        if old == (w.points, w.count):
            unchanged += 1
            continue
        if cell is None:
            cell = MonthlyScore(org_id=w.org_id, item_id=w.item_id, year=year, month=w.month, record_count=0)
            session.add(cell)
        cell.manual_points, cell.manual_count = w.points, w.count
        note = notes.get((w.org_code, w.item_code, w.month))
        cell.note = validate.text(note, "备注") if note else cell.note
        session.flush()
        touched.add(w.org_id)
        if w.points is None:
            cleared += 1
            tombstones.score_cleared(session, ledger.user, w.org_id, w.item_id, year, w.month)
        else:
            written += 1
        item = rules.items[w.item_code]
        audit.record(
            session, ledger, action, "monthly_score", entity_uuid=cell.uuid, org_code=w.org_code,
            summary=f"{year}-{w.month:02d} {item.code} {item.name}",
            changes={"points": (fmt(old[0]) if old[0] is not None else None, fmt(w.points) if w.points is not None else None),
                     "count": (old[1], w.count)},
        )
    if touched:
        aggregate.refresh(session, year, sorted(touched))
    return WriteResult(written, cleared, unchanged)


def write_accepted(ledger: Ledger, year: int, entries: Sequence[ScoreEntry], *,
                   action: str = "粘贴积分") -> tuple[WriteResult, dict[int, str]]:
    """Write the entries the rules accept, all in one transaction, and say why each other one was
    refused: (result, {index in ``entries``: reason}). A paste from Excel takes what it can, as a
    spreadsheet does; the judge is the same CellRules as for every other path."""
    permissions.require(ledger, "scores")
    year = validate.year(year)
    with ledger.db.write() as s:
        ensure_scheme(s, ledger, year)
        labels = [f"#{i}" for i in range(len(entries))]
        writes, problems = CellRules(s, year, ledger).check([
            CellInput(labels[i], e.org_code, e.item_code, e.month, e.points, e.count) for i, e in enumerate(entries)])
        refused: dict[int, str] = {}
        row_reason: dict[tuple[str, object], str] = {}
        for p in problems:
            head, _sep, reason = p.partition(": ")
            i = int(head[1:])
            refused[i] = reason
            row_reason.setdefault((entries[i].org_code, entries[i].month), reason)
        ok = {w.where: w for w in writes}
        accepted = []
        for i, e in enumerate(entries):
            w = ok.get(labels[i])
            if w is not None:
                stale = _stale_now(s, w, year, e.seen)
                if stale is None:
                    accepted.append(e)
                else:  # another client saved this cell since the paste's grid was read: keep theirs
                    refused[i] = str(stale)
            elif i not in refused:  # a problem of its organisation or month is told once, on the row's first cell
                refused[i] = row_reason.get((e.org_code, e.month), "未能录入")
        result = _write(s, ledger, year, accepted, action) if accepted else WriteResult(0, 0, 0)
        return result, refused


def _stale_now(session: Session, w, year: int, expected) -> StaleError | None:
    """The refusal for a cell changed from ``expected`` (what the user saw) since; None when unchanged."""
    if expected is None:
        return None
    cell = session.scalar(select(MonthlyScore).where(
        MonthlyScore.org_id == w.org_id, MonthlyScore.item_id == w.item_id, MonthlyScore.month == w.month))
    old = (cell.manual_points, cell.manual_count) if cell else (None, None)
    return None if tuple(expected) == old else _stale(session, cell, w, year, expected, old)


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
        t = MonthlyScore.__table__.c  # ties in a fixed order: the same list on a file and on the server
        return scope.keep(ledger, [_to_cell(r) for r in s.execute(q.order_by(t.month, t.id))], lambda c: c.org_code, s)


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


def _shown(value: tuple[Decimal | None, int | None]) -> str:
    points, count = value
    if points is None:
        return "空"
    return f"{count} 次（{fmt(points)} 分）" if count is not None else f"{fmt(points)} 分"


def _stale(session: Session, cell: MonthlyScore | None, w, year: int, expected, old) -> StaleError:
    """Who changed the cell, when, to what: from its last audit entry."""
    from db.models import AuditEntry

    last = None
    if cell is not None:
        last = session.scalar(select(AuditEntry).where(AuditEntry.entity_uuid == cell.uuid)
                              .order_by(AuditEntry.id.desc()).limit(1))
    who = f"“{last.user}”于 {last.at.replace(tzinfo=UTC).astimezone():%Y-%m-%d %H:%M:%S} " if last is not None else "另一位用户"
    return StaleError(
        f"{w.org_code} {year}-{w.month:02d} {w.item_code} 已被{who}改为{_shown(old)}（您看到的是{_shown(tuple(expected))}）："
        "本次没有保存。确认要以您的值覆盖，请再保存一次")
