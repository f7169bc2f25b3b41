"""Package rows of 结果运用: the incentive rules of the package's years, the scope's confirmed
incentive results of the year, and its 表彰 and 补助经费 of the year and the one before."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.incentives import fmt_money
from app.domain.points import fmt
from db.models_incentives import Award, Grant, IncentiveResult, IncentiveRule

ENTITIES = ("incentive_rules", "incentives", "awards", "grants")
# Dated registers are written with the scores and records, before the grades that may confirm (close) their
# year arrive in the same package; the rules and frozen results after the grades they depend on.
BEFORE_GRADES = ("awards", "grants")
AFTER_GRADES = ("incentive_rules", "incentives")
LABELS = {"incentive_rules": "结果运用规则", "incentives": "奖补与绩效结果", "awards": "表彰", "grants": "补助经费"}
FIELDS = {"grade": "定级", "amount": "金额", "result": "结果", "person": "获表彰人员", "title": "名称",
          "issuer": "授予单位", "purpose": "用途", "bonus_item": "计入加分"}
NATURAL = ("incentive_rules", "incentives")  # keyed by year/sector/grade and organisation/year, not uuid
DELETABLE = ("awards", "grants")


def _money(v) -> str | None:
    return fmt_money(v) if v is not None else None


def collect(session: Session, ids: list[int], year: int, uuid_of: dict[int, str], only: set[str]) -> dict[str, list]:
    out: dict[str, list] = {e: [] for e in ENTITIES if e in only}
    first, last = date(year - 1, 1, 1), date(year, 12, 31)
    if "incentive_rules" in only:
        for r in session.scalars(select(IncentiveRule).where(IncentiveRule.year.in_([year - 1, year]))
                                 .order_by(IncentiveRule.year, IncentiveRule.id)):
            out["incentive_rules"].append({"uuid": r.uuid, "year": r.year, "sector": r.sector, "grade": r.grade,
                                           "kind": r.kind, "amount": _money(r.amount), "result": r.result})
    if "incentives" in only:
        for r in session.scalars(select(IncentiveResult).where(IncentiveResult.year == year,
                                                               IncentiveResult.org_id.in_(ids))
                                 .order_by(IncentiveResult.id)):
            out["incentives"].append({
                "uuid": r.uuid, "org_uuid": uuid_of[r.org_id], "year": r.year, "sector": r.sector,
                "score": fmt(r.score), "final_class": r.final_class, "veto": r.veto, "kind": r.kind,
                "amount": _money(r.amount), "result": r.result,
                "confirmed_at": r.confirmed_at.isoformat(timespec="milliseconds"), "confirmed_by": r.confirmed_by})
    if "awards" in only:
        for a in session.scalars(select(Award).where(Award.org_id.in_(ids), Award.date >= first, Award.date <= last)
                                 .order_by(Award.id)):
            out["awards"].append({"uuid": a.uuid, "org_uuid": uuid_of[a.org_id], "person": a.person,
                                  "level": a.level, "date": a.date.isoformat(), "title": a.title, "issuer": a.issuer,
                                  "note": a.note, "bonus_item": a.bonus_item})
    if "grants" in only:
        for g in session.scalars(select(Grant).where(Grant.org_id.in_(ids), Grant.date >= first, Grant.date <= last)
                                 .order_by(Grant.id)):
            out["grants"].append({"uuid": g.uuid, "org_uuid": uuid_of[g.org_id], "purpose": g.purpose,
                                  "amount": fmt_money(g.amount), "date": g.date.isoformat(), "note": g.note})
    return out
