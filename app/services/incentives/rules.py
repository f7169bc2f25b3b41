"""Incentive rules per year (versioned like the scoring scheme): read, stored on first change from
the nearest earlier year (or the defaults in resources/incentive_rules.json), set one row."""

from __future__ import annotations

import json
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.incentives import (
    APPRAISAL,
    GRADES,
    REWARD,
    Rule,
    RuleSet,
    check_rule,
    fmt_money,
    parse_money,
    rule_order,
    rules_from_dict,
    validate_rules,
)
from app.errors import ValidationError
from app.paths import resources_dir
from app.services.kernel import audit, permissions, validate
from app.services.kernel.context import Ledger
from db.models_incentives import IncentiveRule


@cache
def _defaults_data() -> dict:
    return json.loads((resources_dir() / "incentive_rules.json").read_text(encoding="utf-8"))


def default_rules(year: int) -> RuleSet:
    return rules_from_dict(_defaults_data(), year)


def _stored(s: Session, year: int) -> RuleSet | None:
    rows = list(s.scalars(select(IncentiveRule).where(IncentiveRule.year == year)))
    if not rows:
        return None
    return RuleSet(year, tuple(sorted((Rule(r.sector, r.grade, r.kind, r.amount, r.result) for r in rows),
                                      key=rule_order)))


def read(s: Session, year: int) -> tuple[RuleSet, int | None]:
    """The year's rules and the year they were set in (None: the defaults); never writes."""
    own = _stored(s, year)
    if own is not None:
        return own, year
    earlier = s.scalar(select(IncentiveRule.year).where(IncentiveRule.year < year)
                       .order_by(IncentiveRule.year.desc()).limit(1))
    if earlier is not None:
        src = _stored(s, earlier)
        return RuleSet(year, src.rules), earlier
    return default_rules(year), None


def rules(ledger: Ledger, year: int) -> tuple[RuleSet, int | None]:
    year = validate.year(year)
    with ledger.db.read() as s:
        return read(s, year)


def store(s: Session, rule_set: RuleSet) -> None:
    """Write a whole year's rules (matched by sector and grade)."""
    cur = {(r.sector, r.grade): r for r in s.scalars(select(IncentiveRule).where(IncentiveRule.year == rule_set.year))}
    for r in rule_set.rules:
        row = cur.get((r.sector, r.grade))
        if row is None:
            row = IncentiveRule(year=rule_set.year, sector=r.sector, grade=r.grade)
            s.add(row)
        row.kind, row.amount, row.result = r.kind, r.amount, r.result
    s.flush()


def ensure(s: Session, ledger: Ledger, year: int) -> RuleSet:
    """The year's rules, stored now if they were only inherited (so a confirmed year keeps its own)."""
    found, source = read(s, year)
    if source != year:
        store(s, found)
        audit.record(s, ledger, "建立结果运用规则", "incentive_rule",
                     summary=f"{year} 年结果运用规则（来自{f'{source} 年' if source else '默认规则'}）")
    return found


def _grade(value: object) -> str:
    g = str(value or "").strip().upper().replace("类", "")
    return "否决" if g in ("否决", "VETO", "一票否决") else g


def make_rule(sector: object, grade: object, *, amount: object = None, result: object = None,
              kind: str | None = None) -> Rule:
    """A rule row from raw input, checked; the one place every entry path turns input into a rule."""
    sector = validate.text(sector, "领域", required=True, max_len=20)
    grade = _grade(validate.text(grade, "定级", required=True, max_len=6))
    if grade not in GRADES:
        raise ValidationError(f"定级“{grade}”无效，可选：{'、'.join(GRADES)}")
    money = None
    if amount is not None and str(amount).strip() != "":
        try:
            money = parse_money(amount, "奖补金额")
        except ValueError as e:
            raise ValidationError(str(e)) from None
    kind = kind or (REWARD if money is not None else APPRAISAL)
    rule = Rule(sector, grade, kind, money, validate.text(result, "结果说明", max_len=60))
    problem = check_rule(rule)
    if problem:
        raise ValidationError(problem)
    return rule


def set_rule(ledger: Ledger, year: int, sector: object, grade: object, *, amount: object = None,
             result: object = None) -> RuleSet:
    """Change one row of a year's rules; the whole year's rules must still hold together."""
    permissions.require(ledger, "scheme")
    year = validate.year(year)
    with ledger.db.write() as s:
        current = ensure(s, ledger, year)
        sector_kind = current.kind_of(str(sector).strip())
        old = current.get(str(sector).strip(), _grade(grade))
        if sector_kind == REWARD and (amount is None or str(amount).strip() == "") and old is not None:
            amount = old.amount  # only the wording changes
        rule = make_rule(sector, grade, amount=amount, result=result, kind=sector_kind)
        if rule.kind == REWARD and result is None and old is not None:
            rule = Rule(rule.sector, rule.grade, rule.kind, rule.amount, old.result)  # keep the wording
        updated = current.replace(rule)
        problems = validate_rules(updated)
        if problems:
            raise ValidationError("结果运用规则有误：" + "；".join(problems))
        store(s, updated)
        audit.record(s, ledger, "修改结果运用规则", "incentive_rule",
                     summary=f"{year} 年 {rule.sector} {rule.grade}：{describe(rule)}",
                     changes={"rule": (describe(old) if old else None, describe(rule))})
        return updated


def describe(rule: Rule) -> str:
    if rule.kind == REWARD:
        return f"奖补 {fmt_money(rule.amount)} 元" + (f"（{rule.result}）" if rule.result else "")
    return f"绩效评定“{rule.result}”"


def as_dicts(rule_set: RuleSet) -> list[dict]:
    return [{"year": rule_set.year, "sector": r.sector, "grade": r.grade, "kind": r.kind,
             "amount": fmt_money(r.amount) if r.amount is not None else None, "result": r.result}
            for r in rule_set.rules]
