"""`check`: the file's integrity, the audit chain, the schemes' rules, the derived ledger columns, and the
pairings against the 结对 rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, text

from app.domain.scheme import validate_scheme
from app.services.kernel import audit
from app.services.kernel.context import Ledger
from app.services.pairing import review
from app.services.scoring import aggregate
from app.services.scoring.schemes import to_domain
from db.models import MonthlyScore, Pairing, SchemeRow

from . import consistency, integrity


@dataclass(frozen=True)
class CheckLine:
    ok: bool
    text: str


@dataclass
class CheckReport:
    lines: list[CheckLine] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(line.ok for line in self.lines)

    def add(self, ok: bool, message: str) -> None:
        self.lines.append(CheckLine(ok, message))


def check(ledger: Ledger) -> CheckReport:
    report = CheckReport()
    if ledger.db.is_server:
        for finding in integrity.server_checks(ledger):
            report.add(finding.ok, f"{finding.title}{finding.detail}")
    else:
        with ledger.db.engine.connect() as conn:
            result = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
            report.add(result == ["ok"], "数据库文件完整" if result == ["ok"] else f"数据库文件损坏：{'；'.join(result[:3])}")
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            report.add(not fk, "数据关联完整" if not fk else f"有 {len(fk)} 处数据关联错误（如表 {fk[0][0]}）")
    ok, message = audit.verify_chain(ledger)
    report.add(ok, message)
    with ledger.db.read() as s:
        for row in s.scalars(select(SchemeRow).order_by(SchemeRow.year)):
            problems = validate_scheme(to_domain(row))
            report.add(not problems, f"{row.year} 年积分细则" + ("规则有效" if not problems else "有误：" + "；".join(problems)))
    report.add(*_derived_columns_ok(ledger))
    found = consistency.findings_of(ledger)
    report.add(not found, "已录入的积分符合录入规则" if not found else "积分与规则不一致：" + "\n".join(
        f.text for f in found))
    report.add(*_pairings_ok(ledger))
    return report


def _pairings_ok(ledger: Ledger) -> tuple[bool, str]:
    """Every year's pairings against that year's rules and classes as they are now (pairings check)."""
    with ledger.db.read() as s:
        years = sorted(set(s.scalars(select(Pairing.year))))
        broken = [b for y in years for b in review.check_in(s, ledger, y)]
    if not broken:
        return True, "结对共建符合结对规则"
    shown = "；".join(f"{b.year} 年 {b.leader}→{b.helped} {b.rule_name}" for b in broken[:5])
    more = f"等 {len(broken)} 处" if len(broken) > 5 else ""
    return False, f"结对不符合结对规则：{shown}{more}（用 pairings check --year 年份 查看详情）"


def _derived_columns_ok(ledger: Ledger) -> tuple[bool, str]:
    """Recompute every derived column inside a transaction that is rolled back, and compare."""
    if ledger.db.read_only:
        return True, "只读打开，跳过积分汇总核对"
    snapshot = "SELECT org_id, item_id, month, record_count, effective, capped FROM monthly_scores ORDER BY 1, 2, 3"
    with ledger.db._writer() as s:
        s.begin()
        try:
            before = s.execute(text(snapshot)).all()
            for year in s.scalars(select(MonthlyScore.year).distinct()).all():
                aggregate.refresh_year(s, year)
            after = s.execute(text(snapshot)).all()
        finally:
            s.rollback()
    if before == after:
        return True, f"积分汇总与原始记录一致（{len(before)} 个单元格）"
    diff = next((a for a, b in zip(before, after, strict=False) if a != b), None)
    return False, f"积分汇总与原始记录不一致（首个不一致：{diff}），请联系管理员"
