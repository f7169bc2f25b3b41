"""Writing 结果运用 package rows under the same checks as entering them by hand (mixed into Writer)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.domain.incentives import KINDS, REWARD, parse_money, validate_rules
from app.domain.points import parse_points
from app.errors import ValidationError
from app.services.incentives import awards, grants, rules
from app.services.kernel import locks, permissions, tombstones, validate
from db.models import Organization
from db.models_incentives import Award, Grant, IncentiveResult, IncentiveRule

PERMISSIONS = {"incentive_rules": "scheme", "incentives": "grades", "awards": "records", "grants": "records"}


def _text(v: object, max_len: int) -> str:
    if v is None:
        return ""
    if not isinstance(v, str) or len(v) > max_len:
        raise ValueError(f"不是有效文字：{str(v)[:20]!r}")
    return v


class ResultRows:
    """Methods Writer looks up by entity name (``_<entity>``, ``_after_<entity>``, ``_delete_<entity>``)."""

    def _incentive_rules(self, action: str, row: dict) -> None:
        y = validate.year(row["year"])
        kind = _text(row.get("kind"), 4)
        if kind not in KINDS:
            raise ValueError(f"兑现方式“{kind}”无效")
        rule = rules.make_rule(row["sector"], row["grade"], amount=row.get("amount"), result=row.get("result"),
                               kind=kind)  # the same check as setting it by hand
        cur = self.s.scalar(select(IncentiveRule).where(IncentiveRule.year == y, IncentiveRule.sector == rule.sector,
                                                        IncentiveRule.grade == rule.grade))
        if cur is None:
            cur = IncentiveRule(uuid=self._uuid(IncentiveRule, row), year=y, sector=rule.sector, grade=rule.grade)
            self.s.add(cur)
        cur.kind, cur.amount, cur.result = rule.kind, rule.amount, rule.result
        self.__dict__.setdefault("_rule_years", set()).add(y)

    def _after_incentive_rules(self) -> None:
        """A year's rules must still hold together once the package's rows are in."""
        self.s.flush()
        for y in sorted(self.__dict__.get("_rule_years", ())):
            problems = validate_rules(rules.read(self.s, y)[0])
            if problems:
                raise ValidationError(f"数据包内容有误：{y} 年结果运用规则：{'；'.join(problems)}")

    def _incentives(self, action: str, row: dict) -> None:
        oid, y = self.org(row["org_uuid"]), validate.year(row["year"])
        kind = _text(row.get("kind"), 4)
        if kind not in KINDS:
            raise ValueError(f"兑现方式“{kind}”无效")
        if row.get("final_class") not in ("A", "B", "C"):
            raise ValueError(f"定级“{row.get('final_class')}”无效")
        amount = parse_money(row["amount"], "奖补金额") if row.get("amount") is not None else None
        if (amount is None) == (kind == REWARD):
            raise ValueError("奖补须有金额，绩效评定不填金额")
        cur = self.s.scalar(select(IncentiveResult).where(IncentiveResult.org_id == oid, IncentiveResult.year == y))
        if cur is None:
            cur = IncentiveResult(uuid=self._uuid(IncentiveResult, row), org_id=oid, year=y)
            self.s.add(cur)
        cur.sector, cur.score = _text(row["sector"], 20), parse_points(row["score"], field="年度得分")
        cur.final_class, cur.veto, cur.kind, cur.amount = row["final_class"], bool(row.get("veto")), kind, amount
        cur.result = _text(row.get("result"), 60)
        cur.confirmed_at = datetime.fromisoformat(str(row["confirmed_at"]))
        cur.confirmed_by = _text(row.get("confirmed_by"), 40)

    def _org_code(self, uuid: str) -> str:
        return self.s.scalar(select(Organization.code).where(Organization.id == self.org(uuid)))

    def _awards(self, action: str, row: dict) -> None:
        cur = self.s.scalar(select(Award).where(Award.uuid == row["uuid"]))
        if cur is not None:
            permissions.require_org(self.s, self.ledger, cur.org_id)
            locks.ensure_open(self.s, cur.date.year, cur.date.month, cur.org_id)  # moving it out of a month changes that month
        f = awards.check(self.s, self.ledger.today(), ledger=self.ledger, org=self._org_code(row["org_uuid"]), level=row["level"],
                         on=row["date"], title=row["title"], person=_text(row.get("person"), 40),
                         issuer=_text(row.get("issuer"), 120), note=_text(row.get("note"), 200))
        if cur is None:
            cur = Award(uuid=row["uuid"], org_id=f.org.id)
            self.s.add(cur)
        cur.org_id, cur.person, cur.level, cur.date, cur.title, cur.issuer, cur.note = (
            f.org.id, f.person, f.level, f.date, f.title, f.issuer, f.note)
        cur.bonus_item = _text(row.get("bonus_item"), 20) or None  # its points travel as the score cell itself

    def _grants(self, action: str, row: dict) -> None:
        cur = self.s.scalar(select(Grant).where(Grant.uuid == row["uuid"]))
        if cur is not None:
            permissions.require_org(self.s, self.ledger, cur.org_id)
            locks.ensure_open(self.s, cur.date.year, cur.date.month, cur.org_id)
        f = grants.check(self.s, self.ledger.today(), ledger=self.ledger, org=self._org_code(row["org_uuid"]),
                         purpose=_text(row.get("purpose"), 120), amount=row["amount"], on=row["date"],
                         note=_text(row.get("note"), 200))
        if cur is None:
            cur = Grant(uuid=row["uuid"], org_id=f.org.id)
            self.s.add(cur)
        cur.org_id, cur.purpose, cur.amount, cur.date, cur.note = f.org.id, f.purpose, f.amount, f.date, f.note

    def _delete_awards(self, ident: dict) -> None:
        self._delete_dated(Award, "awards", ident)

    def _delete_grants(self, ident: dict) -> None:
        self._delete_dated(Grant, "grants", ident)

    def _delete_dated(self, model, entity: str, ident: dict) -> None:
        row = self.s.scalar(select(model).where(model.uuid == ident["uuid"]))
        if row is None:
            return
        permissions.require_org(self.s, self.ledger, row.org_id)
        locks.ensure_open(self.s, row.date.year, row.date.month, row.org_id)  # as deleting by hand
        tombstones.bury(self.s, self.ledger.user, entity, {"uuid": row.uuid, "org_uuid": ident["org_uuid"]},
                        org_id=row.org_id, year=row.date.year)
        self.s.delete(row)
