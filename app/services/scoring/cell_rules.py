"""The one judge of hand-entered score cells: every entry path (the 月度积分 grid, `score set`, the
Excel import, data packages) turns what it received into ``CellInput``s and asks ``CellRules.check``.

A cell is refused, with a message naming it, when: the organisation lies outside the writer's scope
(kernel/scope.py); the month is not 1–12, locked (for the whole unit or the organisation's subtree) or in
a confirmed year; the organisation is unknown, not scored, stopped, or did not exist in that month; the item is
not in the year's scheme; the value is not a non-negative number with one decimal place (or a whole
count), or a 一票否决 item is given anything but a count of 0 or 1; or the value would take the cell
past its monthly cap, or the item past its yearly cap, counting the points linked work records
already earn there; or an item marked 需结对 (``needs_pairing``) is given points for an organisation with no
结对共建 pairing that year. Clearing a cell is refused only by the period and organisation rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from app.domain.enums import ItemKind
from app.domain.periods import existed_in_month, month_bounds
from app.domain.points import ZERO, fmt
from app.errors import LedgerError, LockedError, NotFoundError, PermissionDeniedError, ValidationError
from app.services.kernel import locks, scope, validate
from app.services.kernel.context import Ledger
from app.services.pairing.rules import paired_org_ids
from app.services.register.orgs import SCORED_KINDS
from db.models import MonthLock, Organization, SchemeItemRow
from db.types import from_tenths

from .schemes import item_ids

_WHOLE_YEAR_ABOVE = 200  # organisations in one batch beyond which the year's cells are read at once


class Problem(str):
    """A problem in words that also knows which typed error it is (a locked period, an unknown
    organisation or item, or bad input), so every path raises the same kind of error."""

    error: type[LedgerError] = ValidationError

    @classmethod
    def of(cls, message: str, error: type[LedgerError] = ValidationError) -> Problem:
        p = cls(message)
        p.error = error
        return p


@dataclass(frozen=True)
class CellInput:
    """One cell as an entry path received it. ``where`` names it in messages ("" for none);
    ``row_where`` names the row for problems of the organisation or month (defaults to ``where``)."""

    where: str
    org_code: str
    item_code: str
    month: object
    points: object = None
    count: object = None
    row_where: str = ""


@dataclass(frozen=True)
class CellWrite:
    """A checked cell: hand-entered points (None = cleared) and the count they came from, if any."""

    where: str
    org_id: int
    org_code: str
    item_id: int
    item_code: str
    month: int
    points: Decimal | None
    count: int | None


@dataclass(frozen=True)
class _Org:
    id: int
    code: str
    name: str
    kind: str
    status: str
    established_on: date | None
    closed_on: date | None


class CellRules:
    """Everything needed to judge the score cells of one year, read once per batch."""

    def __init__(self, session: Session, year: int, ledger: Ledger | None = None) -> None:
        self.s = session
        self.year = validate.year(year)
        self.ledger = ledger  # who writes: their scope (kernel/scope.py) bounds the organisations they may change
        self.items: dict[str, SchemeItemRow] = item_ids(session, self.year)
        self.confirmation = locks.confirmation(session, self.year)
        self.locked: dict[int, list[MonthLock]] = defaultdict(list)  # month → its locks (whole unit and subtrees)
        for lk in session.scalars(select(MonthLock).where(MonthLock.year == self.year)):
            self.locked[lk.month].append(lk)
        self._orgs: dict[str, _Org | None] = {}
        # (org_id, item_id) → month → (manual points, record count) as stored now
        self._cells: dict[tuple[int, int], dict[int, tuple[Decimal | None, int]]] = {}
        self._loaded: set[int] = set()
        self._paired_ids: set[int] | None = None

    # --- reading ---------------------------------------------------------------------------
    def _org(self, code: str) -> _Org | None:
        if code not in self._orgs:
            o = Organization.__table__
            r = self.s.execute(select(o.c.id, o.c.code, o.c.name, o.c.kind, o.c.status, o.c.established_on,
                                      o.c.closed_on).where(o.c.code == code)).first()
            self._orgs[code] = _Org(*r) if r else None
        return self._orgs[code]

    def _load(self, org_ids: Iterable[int]) -> None:
        wanted = sorted(set(org_ids) - self._loaded)
        if not wanted:
            return
        sql = ("SELECT org_id, item_id, month, manual_points, record_count FROM monthly_scores WHERE year = :y")
        if len(wanted) > _WHOLE_YEAR_ABOVE:
            rows = self.s.execute(text(sql), {"y": self.year})
        else:
            rows = self.s.execute(text(sql + " AND org_id IN :ids").bindparams(bindparam("ids", expanding=True)),
                                  {"y": self.year, "ids": wanted})
        keep = set(wanted)
        for oid, iid, m, mp, rc in rows:
            if oid in keep:
                self._cells.setdefault((oid, iid), {})[m] = (None if mp is None else from_tenths(mp), rc or 0)
        self._loaded |= keep

    def _paired(self) -> set[int]:
        if self._paired_ids is None:
            self._paired_ids = paired_org_ids(self.s, self.year)
        return self._paired_ids

    # --- judging ---------------------------------------------------------------------------
    def _period_problem(self, month: int, org: _Org | None = None) -> Problem | None:
        if self.confirmation is not None:
            return Problem.of(self.confirmation.message(), LockedError)
        lk = locks.covering_lock(self.locked.get(month, []), self.s, org.id if org is not None else None)
        if lk is not None:
            return Problem.of(locks.lock_message(lk, self.s), LockedError)
        return None

    def _scope_problem(self, org: _Org | None) -> Problem | None:
        if self.ledger is None or org is None:
            return None
        try:
            scope.ensure_covers(self.s, self.ledger, org.id)
        except PermissionDeniedError as e:
            return Problem.of(str(e), PermissionDeniedError)
        return None

    def _org_problem(self, org: _Org | None, code: str, month: int) -> str | None:
        if org is None:
            return Problem.of(f"找不到组织编码为“{code}”的党组织", NotFoundError)
        if org.kind not in SCORED_KINDS:
            return f"“{org.name}”是{org.kind}，不参与积分（积分录入到其下属支部）"
        if not existed_in_month(org.established_on, org.closed_on, self.year, month):
            if org.closed_on is not None and org.closed_on <= month_bounds(self.year, month)[0]:
                return f"“{org.name}”已于 {org.closed_on:%Y-%m-%d} 撤销，{self.year} 年 {month} 月不能录入积分"
            return f"“{org.name}”成立于 {org.established_on:%Y-%m-%d}，{self.year} 年 {month} 月尚未成立，不能录入积分"
        if org.status != "active" and org.closed_on is None:
            return f"“{org.name}”已停用，不能录入积分"
        return None

    @staticmethod
    def _value(item: SchemeItemRow, c: CellInput) -> tuple[Decimal | None, int | None]:
        has_pts = c.points is not None and str(c.points).strip() != ""
        has_n = c.count is not None and str(c.count).strip() != ""
        if has_pts and has_n:
            raise ValidationError("次数和分值只能填写一个")
        if not has_pts and not has_n:
            return None, None
        if item.kind == ItemKind.VETO.value:
            if has_pts:
                raise ValidationError(f"一票否决事项“{item.name}”请填写次数（1 表示发生，0 表示未发生），不填分值")
            n = validate.count(c.count, f"“{item.name}”的次数")
            if n > 1:
                raise ValidationError(f"一票否决事项“{item.name}”的次数只能是 0 或 1，收到 {n}")
            return item.points * n, n
        if has_n:
            n = validate.count(c.count, f"“{item.name}”的次数")
            return item.points * n, n
        return validate.points(c.points, f"“{item.name}”的分值"), None

    def check(self, cells: Sequence[CellInput]) -> tuple[list[CellWrite], list[str]]:
        """The cells that may be written, and every problem in words ("where: why"); nothing is written."""
        problems: list[str] = []
        row_done: set[tuple[str, int]] = set()
        parsed: list[tuple[CellInput, _Org, SchemeItemRow, int, Decimal | None, int | None]] = []
        for c in cells:
            where = f"{c.where}: " if c.where else ""
            try:
                month = validate.month(c.month)
            except LedgerError as e:
                problems.append(f"{where}{e}")
                continue
            org = self._org(str(c.org_code))
            row_problem = (self._scope_problem(org) or self._period_problem(month, org)
                           or self._org_problem(org, str(c.org_code), month))
            if row_problem:
                key = (str(c.org_code), month)
                if key not in row_done:
                    row_done.add(key)
                    rw = c.row_where or c.where
                    problems.append(Problem.of(f"{rw}: {row_problem}" if rw else row_problem,
                                               getattr(row_problem, "error", ValidationError)))
                continue
            item = self.items.get(str(c.item_code))
            if item is None:
                problems.append(Problem.of(f"{where}{self.year} 年积分细则中没有编码为“{c.item_code}”的细则",
                                           NotFoundError))
                continue
            try:
                pts, n = self._value(item, c)
            except LedgerError as e:
                problems.append(f"{where}{e}")
                continue
            parsed.append((c, org, item, month, pts, n))
        self._load({org.id for _c, org, _i, _m, _p, _n in parsed})
        # The batch's own new values count toward the yearly caps together.
        new: dict[tuple[int, int], dict[int, Decimal | None]] = defaultdict(dict)
        for _c, org, item, month, pts, _n in parsed:
            new[(org.id, item.id)][month] = pts
        writes = []
        for c, org, item, month, pts, n in parsed:
            where = f"{c.where}: " if c.where else ""
            if pts is not None and pts > ZERO and item.needs_pairing and org.id not in self._paired():
                problems.append(f"{where}“{org.name}”{self.year} 年没有结对共建关系，不能计“{item.name}”的分"
                                "（该细则需结对，请先在结对共建中登记）")
                continue
            if pts is not None and pts > ZERO:
                cap_problem = self._cap_problem(org, item, month, pts, new[(org.id, item.id)])
                if cap_problem:
                    problems.append(f"{where}{cap_problem}")
                    continue
            writes.append(CellWrite(c.where, org.id, org.code, item.id, item.code, month, pts, n))
        return writes, problems

    def _cap_problem(self, org: _Org, item: SchemeItemRow, month: int, pts: Decimal,
                     batch: dict[int, Decimal | None]) -> str | None:
        stored = self._cells.get((org.id, item.id), {})
        _old, records = stored.get(month, (None, 0))
        earned = item.points * records
        if item.monthly_cap is not None and pts + earned > item.monthly_cap:
            if earned:
                return (f"“{item.name}”{month} 月已由工作记录计 {fmt(earned)} 分，再填 {fmt(pts)} 分共 "
                        f"{fmt(pts + earned)} 分，超过月上限 {fmt(item.monthly_cap)}")
            return f"“{item.name}”{month} 月填写 {fmt(pts)} 分，超过月上限 {fmt(item.monthly_cap)}"
        if item.yearly_cap is None:
            return None
        total = ZERO
        for m in range(1, 13):
            manual, rc = stored.get(m, (None, 0))
            if m in batch:
                manual = batch[m]
            raw = (manual or ZERO) + item.points * rc
            total += min(raw, item.monthly_cap) if item.monthly_cap is not None else raw
        if total > item.yearly_cap:
            return (f"“{item.name}”{month} 月填写 {fmt(pts)} 分后全年累计 {fmt(total)} 分（含工作记录计分），"
                    f"超过年上限 {fmt(item.yearly_cap)}")
        return None


def refuse(problems: Sequence[str], limit: int = 20) -> LedgerError:
    """One error for a list of problems: the only one as it is (with its own type), or a count and the first ones."""
    kinds = {getattr(p, "error", ValidationError) for p in problems}
    error = kinds.pop() if len(kinds) == 1 else ValidationError
    if len(problems) == 1:
        return error(problems[0])
    listed = "\n".join(problems[:limit]) + (f"\n……另有 {len(problems) - limit} 处" if len(problems) > limit else "")
    return error(f"共有 {len(problems)} 处问题，未写入任何数据：\n{listed}")
