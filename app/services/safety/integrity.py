"""Is the data what the software wrote? File integrity, the audit chain, and the row seals."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.errors import ValidationError
from app.services.kernel import audit, permissions, validate
from app.services.kernel.context import Ledger
from db import seals

_WHAT = {
    "monthly_scores": "月度积分", "org_classes": "组织分类", "annual_grades": "年度定级",
    "work_records": "工作记录", "month_locks": "月份锁定", "users": "用户账户", "organizations": "组织",
    "warnings": "预警与整改", "schemes": "积分细则", "scheme_categories": "细则类别", "scheme_items": "细则项目",
    "settings": "系统设置",
    "incentive_rules": "结果运用规则", "incentive_results": "奖补与绩效结果", "grants": "补助经费",
}
_KIND = {"changed": "被软件之外的程序修改", "unsealed": "由软件之外的程序添加", "deleted": "被软件之外的程序删除",
         "seal": "所在数据块的封记被改动"}


@dataclass(frozen=True)
class Finding:
    ok: bool
    title: str
    detail: str


@dataclass
class IntegrityReport:
    findings: list[Finding] = field(default_factory=list)
    tampered_rows: int = 0
    rows_checked: int = 0

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.findings)

    @property
    def file_ok(self) -> bool:
        """False when SQLite itself reports damage (then nothing should be written)."""
        return all(f.ok for f in self.findings if f.title in ("数据库文件", "数据关联"))

    def first_problem(self) -> str:
        return next((f"{f.title}：{f.detail}" for f in self.findings if not f.ok), "")


class CheckCancelled(Exception):
    """The check was stopped before it finished (the window closed during a background check)."""


Cancelled = Callable[[], bool] | None


def _watch(raw: sqlite3.Connection, cancelled: Cancelled) -> None:
    # SQLite calls this every N VM steps; a non-zero answer aborts the running statement,
    # so a background check stops within moments of being cancelled.
    if cancelled is not None and isinstance(raw, sqlite3.Connection):  # a server check runs to its end
        raw.set_progress_handler(lambda: 1 if cancelled() else 0, 20000)


def _stop_if(cancelled: Cancelled) -> None:
    if cancelled is not None and cancelled():
        raise CheckCancelled()


@contextmanager
def _raw(ledger: Ledger, cancelled: Cancelled = None) -> Iterator:
    engine = ledger.db.engine
    if ledger.db.is_server:  # one snapshot: a client committing meanwhile must not look like tampering
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        _watch(raw, cancelled)
        try:
            yield raw
        finally:
            if cancelled is not None and isinstance(raw, sqlite3.Connection):
                raw.set_progress_handler(None, 0)


def describe_row(ledger: Ledger, table: str, row_id: int) -> str:
    """A person's words for one sealed row: whose, which month/year, which item."""
    queries = {
        "monthly_scores": "SELECT o.code || ' ' || o.name, m.year || ' 年 ' || m.month || ' 月 细则 ' || i.code "
                          "FROM monthly_scores m JOIN organizations o ON o.id = m.org_id "
                          "JOIN scheme_items i ON i.id = m.item_id WHERE m.id = :id",
        "org_classes": "SELECT o.code || ' ' || o.name, c.year || ' 年分类 ' || c.category FROM org_classes c "
                       "JOIN organizations o ON o.id = c.org_id WHERE c.id = :id",
        "annual_grades": "SELECT o.code || ' ' || o.name, g.year || ' 年定级 ' || g.final_class FROM annual_grades g "
                         "JOIN organizations o ON o.id = g.org_id WHERE g.id = :id",
        "work_records": "SELECT o.code || ' ' || o.name, r.date || ' ' || r.topic FROM work_records r "
                        "JOIN organizations o ON o.id = r.org_id WHERE r.id = :id",
        "month_locks": "SELECT '', year || ' 年 ' || month || ' 月' FROM month_locks WHERE id = :id",
        "users": "SELECT '', '“' || name || '”（' || role || '）' FROM users WHERE id = :id",
        "organizations": "SELECT code || ' ' || name, '状态 ' || status FROM organizations WHERE id = :id",
        "warnings": "SELECT o.code || ' ' || o.name, w.year || ' 年第 ' || w.quarter || ' 季度预警' FROM warnings w "
                    "JOIN organizations o ON o.id = w.org_id WHERE w.id = :id",
        "schemes": "SELECT '', year || ' 年' FROM schemes WHERE id = :id",
        "scheme_categories": "SELECT '', code || ' ' || name FROM scheme_categories WHERE id = :id",
        "scheme_items": "SELECT '', code || ' ' || name FROM scheme_items WHERE id = :id",
        "settings": "SELECT '', key FROM settings WHERE rowid = :id",
        "incentive_rules": "SELECT '', year || ' 年 ' || sector || ' ' || grade FROM incentive_rules WHERE id = :id",
        "incentive_results": "SELECT o.code || ' ' || o.name, r.year || ' 年' || r.kind FROM incentive_results r "
                             "JOIN organizations o ON o.id = r.org_id WHERE r.id = :id",
        "grants": "SELECT o.code || ' ' || o.name, g.date || ' ' || g.purpose FROM grants g "
                  "JOIN organizations o ON o.id = g.org_id WHERE g.id = :id",
    }
    if ledger.db.is_server:  # settings rows are numbered from their key there (db/seals_pg.py)
        from db.seals_pg import SETTINGS_ID

        queries["settings"] = f"SELECT '', key FROM settings WHERE {SETTINGS_ID.format(t='')} = :id"
    with ledger.db.read() as s:
        row = s.execute(text(queries[table]), {"id": row_id}).first()
    where = f"（第 {row_id} 行）"
    if row is None:
        return f"{_WHAT[table]}{where}"
    return f"{_WHAT[table]} {row[0]} {row[1]}".replace("  ", " ").strip() + where


def check_seals(ledger: Ledger, cancelled: Cancelled = None) -> tuple[Finding, int, int]:
    try:
        with _raw(ledger, cancelled) as raw:
            if seals.key_state(raw, ledger.db.seal_key) == "other":
                return Finding(False, "数据与审计记录", "数据文件是用另一把密钥封记的：数据文件旁的 .keys 文件夹丢失、"
                               "没有随文件一起复制，或被替换。请把原来的 .keys 文件夹放回（备份文件夹中有一份），"
                               "或从备份恢复；核实数据无误后也可由管理员“确认当前数据”改用本机密钥"), 1, 0
            checked, problems, total = seals.verify(raw, ledger.db.seal_key, limit=5)
    except sqlite3.OperationalError:
        _stop_if(cancelled)  # "interrupted" because we asked: not a finding
        raise
    if not total:
        return Finding(True, "数据与审计记录", f"{checked} 行关键数据均由本软件写入，未被改动"), 0, checked
    lines = [f"{describe_row(ledger, p.table, p.row_id)}{_KIND[p.kind]}" for p in problems]
    more = f"；共 {total} 处" if total > len(problems) else ""
    return Finding(False, "数据与审计记录", "；".join(lines) + more), total, checked


def _sealed_with_another_key(ledger: Ledger) -> bool:
    with ledger.db.read() as s:
        return seals.key_state(s.connection().connection.dbapi_connection, ledger.db.seal_key) == "other"


QUICK_ABOVE = 64 * 1024 * 1024  # start-up uses quick_check above this size: a county file takes a minute otherwise


def file_checks(ledger: Ledger, *, quick: bool = False, cancelled: Cancelled = None) -> list[Finding]:
    if ledger.db.is_server:
        return server_checks(ledger)
    out = []
    try:
        with ledger.db.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            _watch(raw, cancelled)
            try:
                pragma = "PRAGMA quick_check" if quick else "PRAGMA integrity_check"
                result = [r[0] for r in conn.exec_driver_sql(pragma)]
                out.append(Finding(result == ["ok"], "数据库文件", "完整" if result == ["ok"] else "；".join(result[:3])))
                fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                out.append(Finding(not fk, "数据关联",
                                   "完整" if not fk else f"有 {len(fk)} 处数据关联错误（如表 {fk[0][0]}）"))
            finally:
                if cancelled is not None:
                    raw.set_progress_handler(None, 0)
    except SQLAlchemyError as e:  # so damaged that SQLite cannot even finish the check
        _stop_if(cancelled)  # …unless it was stopped on purpose
        out.append(Finding(False, "数据库文件", f"已损坏，无法读取（{getattr(e, 'orig', e)}）"))
    return out


def verify(ledger: Ledger, *, file_too: bool = True, quick: bool = False,
           cancelled: Cancelled = None) -> IntegrityReport:
    """The start-up and ``verify-audit`` check; stops early only when the file itself is damaged.

    ``quick``: at start-up, a large file gets SQLite's quick_check instead of the full integrity_check.
    ``cancelled``: polled while the check runs (in the background at start-up); when it answers
    True the check stops and raises CheckCancelled instead of reporting.
    """
    report = IntegrityReport()
    if file_too:
        big = quick and ledger.path.exists() and ledger.path.stat().st_size > QUICK_ABOVE
        report.findings.extend(file_checks(ledger, quick=big, cancelled=cancelled))
        if not report.file_ok:
            return report
    _stop_if(cancelled)
    ok, message = audit.verify_chain(ledger)
    if not ok and _sealed_with_another_key(ledger):
        message = "审计记录链无法用本机密钥核对：数据文件是用另一把密钥封记的（.keys 文件夹与数据文件不配套，见下一项）"
    report.findings.append(Finding(ok, "审计记录链", message))
    _stop_if(cancelled)
    finding, tampered, checked = check_seals(ledger, cancelled)
    report.findings.append(finding)
    report.tampered_rows, report.rows_checked = tampered, checked
    return report


def reseal_legacy(ledger: Ledger) -> str:
    """A file made before per-installation keys: check it with the old seals, then seal it and re-chain
    its audit log with this installation's key, in one audited transaction; returns what was done ("" when
    the file is not such a file). A file sealed with another key (its key folder lost or not copied with
    it) is left alone: the check reports it. Rows changed behind the software before the upgrade are
    counted in the audit entry, so the re-seal never hides them silently."""
    with ledger.db.read() as s:
        raw = s.connection().connection.dbapi_connection
        if seals.key_state(raw, ledger.db.seal_key) != "legacy":
            return ""
        _checked, problems, before = seals.verify(raw, seals.LEGACY_KEY, limit=1_000_000,
                                                  tables=seals.LEGACY_TABLES)
    with ledger.db.write() as s:
        raw = s.connection().connection.dbapi_connection
        entries, old_chain = audit.rekey(s, ledger.db.seal_key)
        ledger.db.forget_anchor()  # every hash changed: the anchor is counted afresh after the commit
        sealed = seals.seal_all(raw, ledger.db.seal_key)
        seals.keep_reported(raw, problems)  # changed before the upgrade: still reported until accepted
        found = (f"{before} 处封记不符（仍标为软件之外的改动，请核实后由管理员“确认当前数据”或从备份恢复）"
                 if before else "封记均相符")
        summary = (f"数据封记和审计链改用本机密钥：重新封记 {sealed} 行、{entries} 条审计记录；"
                   f"升级前核对：{found}；{old_chain}")
        if entries:
            audit.record(s, ledger, "启用本机密钥", "integrity", summary=summary)
    return summary


def accept_current_data(ledger: Ledger, reason: str) -> int:
    """An administrator vouches for the data as it is now (after a known repair); audited. Returns rows sealed."""
    permissions.require(ledger, "accept")
    reason = validate.text(reason, "理由", required=True)
    if len(reason) < 4:
        raise ValidationError("请写明确认的理由（至少 4 个字）")
    before = check_seals(ledger)[1]
    with ledger.db.write() as s:
        raw = s.connection().connection.dbapi_connection
        if seals.key_state(raw, ledger.db.seal_key) != "ok":
            audit.rekey(s, ledger.db.seal_key)  # the audit chain moves to this installation's key too
            ledger.db.forget_anchor()
        sealed = seals.seal_all(raw, ledger.db.seal_key)
        audit.record(s, ledger, "确认数据", "integrity",
                     summary=f"管理员确认当前数据（{before} 处软件之外的改动）：{reason}")
    return sealed


def server_checks(ledger: Ledger) -> list[Finding]:
    """On the county server there is no file to check: the server keeps its pages and enforces the
    foreign keys itself. What can be checked is that the database answers and every key holds."""
    try:
        with ledger.db.read() as s:
            s.execute(text("SELECT 1")).scalar()
    except SQLAlchemyError as e:
        return [Finding(False, "服务器数据库", f"无法读取（{str(getattr(e, 'orig', e)).splitlines()[0]}）")]
    return [Finding(True, "服务器数据库", f"可以读取（{ledger.db.where}）；数据页和数据关联由服务器保证，文件检查不适用")]
