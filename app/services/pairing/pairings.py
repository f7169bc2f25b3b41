"""Pairings of a year: add (under the rules), edit, evaluate at the year's end, remove, list.

Each write is one transaction: check the input and the rules (rules.ensure_allowed) → permission →
the confirmed year and the month lock of the start date → write → audit. A pairing that other rows
depend on (结对共建活动 records naming it, or 需结对 points that would be left without a pairing) is not removed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.domain.pairing import GOALS, RATINGS, parse_goals
from app.errors import ConflictError, NotFoundError, ValidationError
from app.services.kernel import audit, locks, permissions, scope, tombstones, validate
from app.services.kernel.context import Ledger
from app.services.register.orgs import get_org_row
from db.models import MonthlyScore, Organization, Pairing, SchemeItemRow

from . import activities, rules


@dataclass(frozen=True)
class PairingInfo:
    id: int
    year: int
    strong_code: str
    strong_name: str
    weak_code: str
    weak_name: str
    note: str
    start_on: date | None = None
    end_on: date | None = None
    goals: tuple[str, ...] = ()
    reason: str = ""
    evaluation: str = ""
    rating: str = ""
    uuid: str = ""
    strong_sector: str = ""
    weak_sector: str = ""

    @property
    def span(self) -> str:
        a = self.start_on or date(self.year, 1, 1)
        b = self.end_on or date(self.year, 12, 31)
        return f"{a:%Y-%m-%d} 至 {b:%Y-%m-%d}"

    def as_dict(self) -> dict:
        d = asdict(self)
        d.update(leader=self.strong_code, helped=self.weak_code, goals=list(self.goals),
                 start_on=self.start_on.isoformat() if self.start_on else None,
                 end_on=self.end_on.isoformat() if self.end_on else None)
        return d


def _info(p: Pairing, a: Organization, b: Organization) -> PairingInfo:
    return PairingInfo(p.id, p.year, a.code, a.name, b.code, b.name, p.note, p.start_on, p.end_on,
                       tuple(x for x in (p.goals or "").split("、") if x), p.reason or "", p.evaluation or "",
                       p.rating or "", p.uuid, a.sector, b.sector)


def clean_span(year: int, start: object, end: object) -> tuple[date, date]:
    s = validate.parse_date(start, "开始日期", required=False) or date(year, 1, 1)
    e = validate.parse_date(end, "结束日期", required=False) or date(year, 12, 31)
    return s, e


def clean_goals(goals: object) -> tuple[str, ...]:
    out = parse_goals(goals)
    unknown = [g for g in out if g not in GOALS]
    if unknown:
        raise ValidationError(f"不符合结对规则“共建内容”：“{'、'.join(unknown)}”不是共建内容，可选：{'、'.join(GOALS)}")
    return out


def add_in(s: Session, ledger: Ledger, leader: str, helped: str, year: int, *, goals: object = (),
           reason: str = "", start_on: object = None, end_on: object = None, note: str = "") -> PairingInfo:
    """Add inside an open write transaction (the demo loads this way); the rules as on every path."""
    year = validate.year(year)
    start, end = clean_span(year, start_on, end_on)
    g = clean_goals(goals)
    reason = validate.text(reason, "理由", max_len=200)
    note = validate.text(note, "备注", max_len=200)
    a, b = get_org_row(s, leader), get_org_row(s, helped)
    permissions.require_org(s, ledger, a)  # a pairing is both organisations' row: both inside the user's scope
    permissions.require_org(s, ledger, b)
    if s.scalar(select(Pairing.id).where(Pairing.strong_org_id == a.id, Pairing.weak_org_id == b.id,
                                         Pairing.year == year)):
        raise ConflictError(f"“{a.name}”与“{b.name}”在 {year} 年已结对")
    rules.ensure_allowed(s, ledger.today(), year, a.id, b.id, start, end, g, reason)
    locks.ensure_year_open(s, year)
    if start <= ledger.today():
        locks.ensure_open(s, start.year, start.month, b.id)
    p = Pairing(strong_org_id=a.id, weak_org_id=b.id, year=year, note=note, start_on=start, end_on=end,
                goals="、".join(g), reason=reason)
    s.add(p)
    s.flush()
    audit.record(s, ledger, "结对共建", "pairing", entity_uuid=p.uuid, org_code=b.code,
                 summary=f"{year} 年 {a.name} 牵头结对 {b.name}" + (f"（{'、'.join(g)}）" if g else ""))
    return _info(p, a, b)


def add(ledger: Ledger, leader: str, helped: str, year: int, **kw: object) -> PairingInfo:
    permissions.require(ledger, "orgs")
    with ledger.db.write() as s:
        return add_in(s, ledger, leader, helped, year, **kw)  # type: ignore[arg-type]


def _row(s: Session, pairing_id: int) -> Pairing:
    p = s.get(Pairing, pairing_id)
    if p is None:
        raise NotFoundError(f"结对关系 {pairing_id} 不存在")
    return p


def update(ledger: Ledger, pairing_id: int, *, goals: object = None, reason: str | None = None,
           start_on: object = None, end_on: object = None, note: str | None = None) -> PairingInfo:
    """Change a pairing's span, goals, reason or note; the rules are checked again."""
    permissions.require(ledger, "orgs")
    with ledger.db.write() as s:
        p = _row(s, pairing_id)
        permissions.require_org(s, ledger, p.strong_org_id)
        permissions.require_org(s, ledger, p.weak_org_id)
        before = {k: getattr(p, k) for k in ("start_on", "end_on", "goals", "reason", "note")}
        start, end = clean_span(p.year, start_on if start_on is not None else p.start_on,
                                end_on if end_on is not None else p.end_on)
        g = clean_goals(goals) if goals is not None else tuple(x for x in p.goals.split("、") if x)
        why = validate.text(reason if reason is not None else p.reason, "理由", max_len=200)
        rules.ensure_allowed(s, ledger.today(), p.year, p.strong_org_id, p.weak_org_id, start, end, g, why)
        locks.ensure_year_open(s, p.year)
        if start != p.start_on:  # moving the start touches both months, as moving a record does
            for d in (p.start_on, start):
                if d is not None and d <= ledger.today():
                    locks.ensure_open(s, d.year, d.month)
        p.start_on, p.end_on, p.goals, p.reason = start, end, "、".join(g), why
        if note is not None:
            p.note = validate.text(note, "备注", max_len=200)
        s.flush()
        a, b = s.get(Organization, p.strong_org_id), s.get(Organization, p.weak_org_id)
        after = {k: getattr(p, k) for k in before}
        audit.record(s, ledger, "修改结对", "pairing", entity_uuid=p.uuid, org_code=b.code,
                     summary=f"{p.year} 年 {a.name} 结对 {b.name}", changes=audit.diff(before, after))
        return _info(p, a, b)


def evaluate(ledger: Ledger, pairing_id: int, rating: str, evaluation: str) -> PairingInfo:
    """The year-end evaluation (评价等次 + 文字), from the pairing's last month on."""
    permissions.require(ledger, "orgs")
    rating = validate.one_of(rating, RATINGS, "评价等次")
    text = validate.text(evaluation, "年终评价", required=True, max_len=2000)
    with ledger.db.write() as s:
        p = _row(s, pairing_id)
        permissions.require_org(s, ledger, p.strong_org_id)
        permissions.require_org(s, ledger, p.weak_org_id)
        end = p.end_on or date(p.year, 12, 31)
        if ledger.today() < date(end.year, end.month, 1):
            raise ValidationError(f"年终评价须在结对结束的当月（{end:%Y 年 %m 月}）或以后填写")
        locks.ensure_year_open(s, p.year)
        before = {"rating": p.rating, "evaluation": p.evaluation}
        p.rating, p.evaluation = rating, text
        a, b = s.get(Organization, p.strong_org_id), s.get(Organization, p.weak_org_id)
        audit.record(s, ledger, "结对年终评价", "pairing", entity_uuid=p.uuid, org_code=b.code,
                     summary=f"{p.year} 年 {a.name} 结对 {b.name}：{rating}",
                     changes=audit.diff(before, {"rating": rating, "evaluation": text}))
        return _info(p, a, b)


def removal_problem(s: Session, p: Pairing) -> str | None:
    """Why a pairing may not go (every path that removes one asks this), or None."""
    n = activities.records_of_pair(s, p)
    if n:
        return f"该结对已有 {n} 条结对共建活动记录，请先删除这些记录再解除结对"
    for oid in (p.strong_org_id, p.weak_org_id):
        others = s.scalar(select(func.count()).select_from(Pairing).where(
            Pairing.year == p.year, Pairing.id != p.id,
            or_(Pairing.strong_org_id == oid, Pairing.weak_org_id == oid)))
        if others:
            continue
        given = s.scalar(select(func.count()).select_from(MonthlyScore)
                         .join(SchemeItemRow, SchemeItemRow.id == MonthlyScore.item_id)
                         .where(MonthlyScore.org_id == oid, MonthlyScore.year == p.year,
                                SchemeItemRow.needs_pairing.is_(True),
                                or_(MonthlyScore.manual_points > 0, MonthlyScore.manual_count > 0)))
        if given:
            name = s.scalar(select(Organization.name).where(Organization.id == oid))
            return (f"“{name}”{p.year} 年已有 {given} 个月计了需结对细则的分，解除后将没有结对关系；"
                    "请先清除这些积分")
    return None


def remove_in(s: Session, ledger: Ledger, p: Pairing) -> None:
    locks.ensure_year_open(s, p.year)
    if p.start_on is not None and p.start_on <= ledger.today():
        locks.ensure_open(s, p.start_on.year, p.start_on.month)
    problem = removal_problem(s, p)
    if problem:
        raise ValidationError(problem)
    tombstones.pairing_removed(s, ledger.user, p)
    s.delete(p)


def remove(ledger: Ledger, pairing_id: int) -> None:
    permissions.require(ledger, "orgs")
    with ledger.db.write() as s:
        p = _row(s, pairing_id)
        permissions.require_org(s, ledger, p.strong_org_id)
        permissions.require_org(s, ledger, p.weak_org_id)
        a, b = s.get(Organization, p.strong_org_id), s.get(Organization, p.weak_org_id)
        remove_in(s, ledger, p)
        audit.record(s, ledger, "解除结对", "pairing", entity_uuid=p.uuid, org_code=b.code,
                     summary=f"{p.year} 年 {a.name} 结对 {b.name}")


def listing(ledger: Ledger, year: int | None = None, code: str | None = None) -> list[PairingInfo]:
    with ledger.db.read() as s:
        sc = scope.of(s, ledger)  # a scoped user: the pairs with a side in their subtree
        return [p for p in list_in(s, year, code) if sc.covers_code(p.strong_code) or sc.covers_code(p.weak_code)]


def list_in(s: Session, year: int | None = None, code: str | None = None) -> list[PairingInfo]:
    orgs = {o.id: o for o in s.scalars(select(Organization))}
    q = select(Pairing).order_by(Pairing.year, Pairing.id)
    if year is not None:
        q = q.where(Pairing.year == year)
    out = []
    for p in s.scalars(q):
        a, b = orgs[p.strong_org_id], orgs[p.weak_org_id]
        if code is None or code in (a.code, b.code):
            out.append(_info(p, a, b))
    return sorted(out, key=lambda i: (i.year, i.strong_code, i.weak_code))
