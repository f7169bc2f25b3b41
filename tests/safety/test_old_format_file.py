"""A real file made by the version before per-installation keys (tests/fixtures/ledger-before-keys.sqlite.gz).

It was written with `python -m app init / orgs add / score set` by commit df450ac (the one before
"Tamper evidence keyed per installation"): rows sealed with the constant legacy key, the audit log
chained with plain SHA-256, no seal.key and no audit anchor. Opening it once re-seals it with this
installation's key; a row changed behind the old version stays reported.
"""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.services.opening.setup import open_ledger
from app.services.safety import backups, integrity
from db import keys, seals

FIXTURE = Path(__file__).parent.parent / "fixtures" / "ledger-before-keys.sqlite.gz"


@pytest.fixture
def old_file(tmp_path) -> Path:
    path = tmp_path / "旧台账.sqlite"
    path.write_bytes(gzip.decompress(FIXTURE.read_bytes()))
    return path


def _one(path: Path, sql: str):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchone()
    finally:
        con.close()


def test_the_fixture_is_really_in_the_old_format(old_file):
    con = sqlite3.connect(old_file)
    try:
        assert seals.key_state(con, b"x" * 32) == "legacy"
        assert seals.verify(con, seals.LEGACY_KEY, tables=seals.LEGACY_TABLES)[2] == 0
    finally:
        con.close()
    assert not keys.has_keys(old_file)


def test_opening_an_old_file_reseals_it_once_and_audits_it(old_file, capsys):
    entries_before = _one(old_file, "SELECT count(*) FROM audit_log")[0]
    lg = open_ledger(old_file)
    try:
        report = integrity.verify(lg)
        assert report.ok, report.first_problem()
        assert report.rows_checked >= 6
        with lg.db.read() as s:
            assert seals.key_state(s.connection().connection.dbapi_connection, lg.db.seal_key) == "ok"
    finally:
        lg.close()
    summary = _one(old_file, "SELECT summary FROM audit_log WHERE action = '启用本机密钥'")[0]
    assert f"{entries_before} 条审计记录" in summary and "封记均相符" in summary and "旧审计链完整" in summary
    assert keys.has_keys(old_file) and (keys.folder_for(old_file) / keys.ANCHOR).exists()
    for command in (["check"], ["verify-audit"]):
        assert main(["--db", str(old_file), *command]) == 0, capsys.readouterr()
    # a second opening does not re-seal again
    open_ledger(old_file).close()
    assert _one(old_file, "SELECT count(*) FROM audit_log WHERE action = '启用本机密钥'")[0] == 1


def test_a_row_changed_before_the_upgrade_is_reported_not_silently_resealed(old_file, capsys):
    con = sqlite3.connect(old_file)
    con.execute("UPDATE monthly_scores SET manual_count = 9 WHERE month = 2")  # behind the old version's back
    con.commit()
    con.close()
    lg = open_ledger(old_file)
    try:
        report = integrity.verify(lg)
        assert not report.ok and report.tampered_rows == 1
        assert "月度积分" in report.first_problem() and "被软件之外的程序修改" in report.first_problem()
        assert next(f for f in report.findings if f.title == "审计记录链").ok  # the chain itself is sound
    finally:
        lg.close()
    summary = _one(old_file, "SELECT summary FROM audit_log WHERE action = '启用本机密钥'")[0]
    assert "1 处封记不符" in summary
    assert main(["--db", str(old_file), "verify-audit"]) == 1  # still reported after reopening
    capsys.readouterr()
    lg = open_ledger(old_file)
    try:
        integrity.accept_current_data(lg, "已核实：二月份次数是补录的")
        assert integrity.verify(lg).ok
    finally:
        lg.close()


def test_an_old_audit_log_rewritten_before_the_upgrade_is_named_in_the_upgrade_entry(old_file):
    con = sqlite3.connect(old_file)
    con.execute("UPDATE audit_log SET summary = '改过' WHERE id = 5")
    con.commit()
    con.close()
    open_ledger(old_file).close()
    summary = _one(old_file, "SELECT summary FROM audit_log WHERE action = '启用本机密钥'")[0]
    assert "审计记录 #5" in summary


def test_restoring_an_old_format_backup_reseals_it(ledger, old_file):
    done = backups.restore(ledger, old_file, other_ledger=True)  # another unit's file: confirmed
    assert "旧版本" in done.keys and "重新封记" in done.keys
    report = integrity.verify(ledger)
    assert report.ok, report.first_problem()
    assert _one(ledger.path, "SELECT count(*) FROM audit_log WHERE action = '启用本机密钥'")[0] == 1
