"""奖补兑现 / 绩效评定 of a year, from confirmed grades: listed, confirmed (frozen as stored rows), and
marked 待重新确认 when a grade or a rule changed after the confirmation."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.incentives import KIND_LABELS, REWARD, ZERO_YUAN, RuleSet, fmt_money, fmt_yuan, outcome
from app.domain.points import fmt
from app.errors import ValidationError
from app.services.assessment import grades
from app.services.assessment.grades import OrgGrade
from app.services.kernel import audit, locks, permissions, scope, validate
from app.services.kernel.context import Ledger
from db.models import Organization
from db.models_incentives import IncentiveResult

from . import rules as rules_service

PENDING, CONFIRMED, STALE = "待确认", "已确认", "待重新确认"


@dataclass(frozen=True)
class IncentiveRow:
    org_code: str
    org_name: str
    parent_name: str
    sector: str
    score: Decimal
    final: str
    veto: bool
    kind: str  # 奖补 | 绩效
    amount: Decimal | None
    result: str
    status: str  # 待确认 | 已确认 | 待重新确认
    why_stale: str = ""

    @property
    def stale(self) -> bool:
        return self.status == STALE


@dataclass(frozen=True)
class IncentiveSheet:
    year: int
    rows: tuple[IncentiveRow, ...]
    confirmed_at: datetime | None
    confirmed_by: str
    grades_confirmed: bool

    def of_kind(self, kind: str) -> list[IncentiveRow]:
        return [r for r in self.rows if r.kind == kind]

    def total(self, sector: str | None = None) -> Decimal:
        """The 奖补 total: always the sum of the rows shown."""
        return sum((r.amount or ZERO_YUAN for r in self.rows if r.kind == REWARD and sector in (None, r.sector)),
                   ZERO_YUAN)

    @property
    def stale_count(self) -> int:
        return sum(1 for r in self.rows if r.stale)

    @property
    def state(self) -> str:
        if self.confirmed_at is None:
            return PENDING
        return STALE if self.stale_count else CONFIRMED


def _not_confirmed(year: int) -> ValidationError:
    return ValidationError(f"{year} 年度定级尚未确认，不能计算奖补兑现和绩效评定；"
                           f"请先确认 {year} 年度定级（“年度定级”页面，或 grades --year {year} --confirm）")


def _current(graded: list[OrgGrade], rule_set: RuleSet) -> dict[str, IncentiveRow]:
    out = {}
    for g in graded:
        if g.final is None:
            continue  # 本年新建 / 年内撤销: not graded, so nothing to award
        rule = outcome(rule_set, g.sector, g.final.value, g.veto)
        if rule is None:
            raise ValidationError(f"{rule_set.year} 年结果运用规则没有“{g.sector}”的规则")
        out[g.org_code] = IncentiveRow(g.org_code, g.org_name, g.parent_name or "", g.sector, g.score,
                                       g.final.value, g.veto, rule.kind, rule.amount, rule.result, PENDING)
    return out


def _differences(stored: IncentiveRow, now: IncentiveRow | None, grades_confirmed: bool) -> str:
    if not grades_confirmed:
        return "年度定级已重新打开，尚未再次确认"
    if now is None:
        return "已不在本年度定级中"
    bits = []
    if (stored.final, stored.veto) != (now.final, now.veto):
        bits.append(f"定级 {stored.final} → {now.final}" + ("（一票否决）" if now.veto and not stored.veto else ""))
    if stored.score != now.score:
        bits.append(f"得分 {fmt(stored.score)} → {fmt(now.score)}")
    if stored.sector != now.sector:
        bits.append(f"领域 {stored.sector} → {now.sector}")
    if (stored.kind, stored.amount, stored.result) != (now.kind, now.amount, now.result):
        if (stored.final, stored.veto, stored.sector) == (now.final, now.veto, now.sector):
            bits.append("结果运用规则已修改")
        if stored.amount != now.amount and REWARD in (stored.kind, now.kind):
            bits.append(f"奖补 {fmt_yuan(stored.amount) or '—'} → {fmt_yuan(now.amount) or '—'} 元")
        elif stored.result != now.result:
            bits.append(f"结果 {stored.result} → {now.result}")
    return "；".join(bits)


def _sheet(s: Session, ledger: Ledger, year: int, graded: list[OrgGrade]) -> IncentiveSheet:
    done = locks.confirmation(s, year)
    rows_here = list(s.scalars(select(IncentiveResult).where(IncentiveResult.year == year)))
    if done is None and not rows_here:
        raise _not_confirmed(year)
    rule_set, _source = rules_service.read(s, year)
    now = _current(graded, rule_set) if done is not None else {}
    if not rows_here:
        return IncentiveSheet(year, tuple(now.values()), None, "", True)
    names = {o.id: (o.code, o.name, o.parent.name if o.parent else "")
             for o in s.scalars(select(Organization).where(Organization.id.in_([r.org_id for r in rows_here])))}
    out, seen = [], set()
    for r in rows_here:
        code, name, parent = names[r.org_id]
        row = IncentiveRow(code, name, parent, r.sector, r.score, r.final_class, r.veto, r.kind, r.amount, r.result,
                           CONFIRMED)
        why = _differences(row, now.get(code), done is not None)
        out.append(row if not why else IncentiveRow(*_fields(row)[:-2], STALE, why))
        seen.add(code)
    for code, row in now.items():
        if code not in seen:
            out.append(IncentiveRow(*_fields(row)[:-2], STALE, "确认后新参加定级"))
    order = {g.org_code: i for i, g in enumerate(graded)}
    out.sort(key=lambda r: (order.get(r.org_code, 10**6), r.org_code))
    first = max(rows_here, key=lambda r: r.confirmed_at)
    return IncentiveSheet(year, tuple(out), first.confirmed_at, first.confirmed_by, done is not None)


def _fields(row: IncentiveRow) -> tuple:
    return (row.org_code, row.org_name, row.parent_name, row.sector, row.score, row.final, row.veto, row.kind,
            row.amount, row.result, row.status, row.why_stale)


def year_incentives(ledger: Ledger, year: int) -> IncentiveSheet:
    """The year's results: the confirmed rows (each marked 待重新确认 if its grade or rule changed since),
    or, before confirmation, what the confirmed grades give. Refused before the grades are confirmed."""
    year = validate.year(year)
    graded = grades.year_grades(ledger, year)
    with ledger.db.read() as s:
        sheet = _sheet(s, ledger, year, graded)
        return replace(sheet, rows=tuple(scope.keep(ledger, sheet.rows, lambda r: r.org_code, s)))


def confirm(ledger: Ledger, year: int) -> IncentiveSheet:
    """Freeze the year's results as stored rows (the year's rules are stored with them)."""
    permissions.require(ledger, "grades")
    scope.ensure_whole_unit(ledger, "确认全单位的奖补兑现和绩效评定")
    year = validate.year(year)
    grades.year_grades(ledger, year)  # the year's scheme exists before the write below
    with ledger.db.write() as s:
        return confirm_in(s, ledger, year)


def confirm_in(s: Session, ledger: Ledger, year: int) -> IncentiveSheet:
    if locks.confirmation(s, year) is None:
        raise _not_confirmed(year)
    rule_set = rules_service.ensure(s, ledger, year)
    graded = grades.compute(s, ledger, year)  # the grades are not changed below: computed once
    now = _current(graded, rule_set)
    ids = dict(s.execute(select(Organization.code, Organization.id)).all())
    stored = {r.org_id: r for r in s.scalars(select(IncentiveResult).where(IncentiveResult.year == year))}
    at = datetime.now().replace(microsecond=0)
    for code, row in now.items():
        oid = ids[code]
        cur = stored.pop(oid, None)
        if cur is None:
            cur = IncentiveResult(org_id=oid, year=year)
            s.add(cur)
        cur.sector, cur.score, cur.final_class, cur.veto = row.sector, row.score, row.final, row.veto
        cur.kind, cur.amount, cur.result = row.kind, row.amount, row.result
        cur.confirmed_at, cur.confirmed_by = at, ledger.user
    for gone in stored.values():  # no longer graded this year
        s.delete(gone)
    s.flush()
    sheet = _sheet(s, ledger, year, graded)
    audit.record(s, ledger, "确认结果运用", "incentive_result",
                 summary=f"{year} 年度结果运用确认：奖补兑现 {len(sheet.of_kind(REWARD))} 个组织，"
                         f"合计 {fmt_money(sheet.total())} 元；绩效评定 {len(sheet.rows) - len(sheet.of_kind(REWARD))} 个组织")
    return sheet


def as_dict(row: IncentiveRow) -> dict:
    return {"org": row.org_code, "name": row.org_name, "sector": row.sector, "score": fmt(row.score),
            "final": row.final, "veto": row.veto, "kind": row.kind,
            "amount": fmt_money(row.amount) if row.kind == REWARD and row.amount is not None else None,
            "result": row.result, "status": row.status, "stale": row.stale, "why_stale": row.why_stale}


def kind_label(kind: str) -> str:
    return KIND_LABELS[kind]
