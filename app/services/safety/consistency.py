"""Stored points held against the rules every entry path enforces (scoring.cell_rules).

Data written before a rule existed, by an older version, or straight into the file can still
break one; `check` lists such cells so an office can correct them before acting on the figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from app.domain.periods import existed_in_month
from app.domain.points import fmt
from app.services.kernel.context import Ledger
from db.models import MonthlyScore, Organization, Pairing, SchemeItemRow

SHOWN = 3  # examples named per rule


@dataclass(frozen=True)
class RuleFinding:
    rule: str
    count: int
    examples: tuple[str, ...]

    @property
    def text(self) -> str:
        more = f"等 {self.count} 处" if self.count > len(self.examples) else ""
        return f"{self.rule}：{'；'.join(self.examples)}{more}"


def findings_of(ledger: Ledger) -> list[RuleFinding]:
    with ledger.db.read() as s:
        return findings(s)


def findings(s: Session) -> list[RuleFinding]:
    ms, it, o = MonthlyScore, SchemeItemRow, Organization
    base = select(o.code, o.name, ms.year, ms.month, it.name.label("item"), ms.manual_points, ms.manual_count, ms.record_count,
                  it.points, it.monthly_cap, o.established_on, o.closed_on)
    base = base.join(it, it.id == ms.item_id).join(o, o.id == ms.org_id)
    given = or_(ms.manual_points != 0, ms.manual_count != 0, ms.record_count > 0)
    paired = exists().where(Pairing.year == ms.year,
                            or_(Pairing.strong_org_id == ms.org_id, Pairing.weak_org_id == ms.org_id))
    out: list[RuleFinding] = []

    def add(rule: str, where, describe) -> None:
        q = base.where(where).order_by(ms.year, o.code, ms.month)
        total = s.scalar(select(func.count()).select_from(q.subquery()))
        if total:
            out.append(RuleFinding(rule, total, tuple(describe(r) for r in s.execute(q.limit(SHOWN)))))

    def cell(r) -> str:
        return f"{r.code} {r.name} {r.year} 年 {r.month} 月“{r.item}”"

    add("结对共建积分给了当年没有结对关系的组织", and_(it.needs_pairing.is_(True), given, ~paired), cell)
    add("手工分值或次数为负数", or_(ms.manual_points < 0, ms.manual_count < 0),
        lambda r: f"{cell(r)} {fmt(r.manual_points) or r.manual_count}")
    add("手工分值加工作记录计分超过月上限",
        and_(it.monthly_cap.is_not(None), ms.manual_points > 0,
             ms.manual_points + ms.record_count * it.points > it.monthly_cap),
        lambda r: f"{cell(r)} 共 {fmt(r.manual_points + r.points * r.record_count)} 分，月上限 {fmt(r.monthly_cap)}")
    # Past the yearly cap counting records (monthly-capped), where hand-entered points took it there.
    raw = func.coalesce(ms.manual_points, 0) + ms.record_count * it.points
    month_pts = case((and_(it.monthly_cap.is_not(None), raw > it.monthly_cap), it.monthly_cap), else_=raw)
    yearly = (select(o.code, o.name, ms.year, it.name.label("item"), func.sum(month_pts).label("total"),
                     it.yearly_cap)
              .join(it, it.id == ms.item_id).join(o, o.id == ms.org_id)
              .where(it.yearly_cap.is_not(None))
              .group_by(o.code, o.name, ms.year, it.id, it.name, it.yearly_cap)
              .having(and_(func.sum(month_pts) > it.yearly_cap, func.max(ms.manual_points) > 0))
              .order_by(ms.year, o.code))
    over = s.execute(yearly).all()
    if over:
        out.append(RuleFinding("手工分值使全年累计超过年上限", len(over), tuple(
            f"{r.code} {r.name} {r.year} 年“{r.item}”共 {fmt(r.total)} 分，年上限 {fmt(r.yearly_cap)}"
            for r in over[:SHOWN])))
    rows = s.execute(base.where(given, or_(o.established_on.is_not(None), o.closed_on.is_not(None)))
                     .order_by(ms.year, o.code, ms.month)).all()
    outside = [r for r in rows if not existed_in_month(r.established_on, r.closed_on, r.year, r.month)]
    if outside:
        out.append(RuleFinding("组织成立前或撤销后的月份有积分", len(outside), tuple(cell(r) for r in outside[:SHOWN])))
    return out

