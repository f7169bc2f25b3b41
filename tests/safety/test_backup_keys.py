"""Backups carry the key folder; a restore brings it back and re-anchors the audit log."""

from __future__ import annotations

import shutil
import sqlite3

from app.cli import main
from app.services.kernel import identity
from app.services.opening.setup import open_ledger
from app.services.safety import backups, integrity
from app.services.scoring import scores
from db import keys


def _sql(path, statement):
    con = sqlite3.connect(path)
    con.execute(statement)
    con.commit()
    con.close()


def _cli_ok(path, capsys) -> None:
    for command in (["check"], ["verify-audit"]):
        rc = main(["--db", str(path), *command])
        out = capsys.readouterr()
        assert rc == 0, (command, out.out, out.err)


def test_a_backup_carries_the_key_folder_and_an_anchor_of_its_own_log(ledger):
    scores.set_score(ledger, "B1", 2026, 3, "RC02", count=1)
    path = backups.backup_now(ledger, "手动")
    folder = keys.folder_for(path)
    live = keys.folder_for(ledger.path)
    assert path.name.endswith("-手动.sqlite")  # naming unchanged: the folder sits beside the file
    for name in ("seal.key", "signing.key"):
        assert (folder / name).read_bytes() == (live / name).read_bytes()
    count = sqlite3.connect(path).execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert keys.read_anchor(path, ledger.db.seal_key)[0] == count
    listed = next(b for b in backups.list_backups(ledger) if b.path == path)
    assert listed.ok and listed.keys
    assert all(b.path.suffix == ".sqlite" for b in backups.list_backups(ledger))  # folders are not listed


def test_backup_more_writes_restore_then_check_and_verify_pass(ledger, capsys):
    scores.set_score(ledger, "B1", 2026, 1, "RC02", count=1)
    old = backups.backup_now(ledger, "手动")
    for m in range(2, 7):
        scores.set_score(ledger, "B1", 2026, m, "RC02", count=1)
    done = backups.restore(ledger, old)
    assert "一并恢复" in done.keys and keys.has_keys(done.saved)
    report = integrity.verify(ledger)
    assert report.ok, report.first_problem()
    assert report.rows_checked > 0
    assert scores.cell(ledger, "B1", 2026, 2, "RC02") is None or not scores.cell(ledger, "B1", 2026, 2, "RC02").manual_count
    path = ledger.path
    ledger.close()
    _cli_ok(path, capsys)
    # truncation after the restore is still caught
    _sql(path, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
    lg = open_ledger(path)
    try:
        assert "末尾的记录在软件之外被删除" in integrity.verify(lg).first_problem()
    finally:
        lg.close()


def test_a_lost_key_folder_comes_back_with_the_restore(ledger, capsys):
    fingerprint, unit = identity.own_fingerprint(ledger), identity.unit_id(ledger)
    good = backups.backup_now(ledger, "手动")
    path = ledger.path
    ledger.close()
    shutil.rmtree(keys.folder_for(path))  # the PC's key folder is lost: a new key is made at the next start
    lg = open_ledger(path)
    try:
        assert not integrity.verify(lg).ok
        done = backups.restore(lg, good)
        assert "一并恢复" in done.keys
        assert integrity.verify(lg).ok
        assert identity.own_fingerprint(lg) == fingerprint and identity.unit_id(lg) == unit  # the same installation
        scores.set_score(lg, "B1", 2026, 5, "RC02", count=1)
        assert integrity.verify(lg).ok
    finally:
        lg.close()


def test_a_backup_without_keys_from_this_installation_restores_and_says_so(ledger):
    scores.set_score(ledger, "B1", 2026, 1, "RC02", count=1)
    old = backups.backup_now(ledger, "手动")
    keys.remove_folder(old)  # as a backup made before backups carried keys
    assert not next(b for b in backups.list_backups(ledger) if b.path == old).keys
    scores.set_score(ledger, "B1", 2026, 2, "RC02", count=1)
    done = backups.restore(ledger, old)
    assert "不含密钥文件夹" in done.keys and "沿用本机密钥" in done.keys
    assert integrity.verify(ledger).ok


def test_a_backup_without_keys_from_another_installation_says_what_to_do(ledger, tmp_path):
    other = open_ledger(tmp_path / "别处" / "other.sqlite")
    try:
        foreign = backups.backup_now(other, "手动")
    finally:
        other.close()
    keys.remove_folder(foreign)
    done = backups.restore(ledger, foreign, other_ledger=True)  # another unit: confirmed by name
    assert "另一把密钥" in done.keys and "确认当前数据" in done.keys
    report = integrity.verify(ledger)
    assert not report.ok and "另一把密钥封记" in report.first_problem()
    entry = sqlite3.connect(ledger.path).execute(
        "SELECT summary FROM audit_log WHERE action = '恢复备份' ORDER BY id DESC").fetchone()[0]
    assert "另一把密钥" in entry and "审计锚点" in entry


def test_thinning_removes_the_key_folder_with_the_backup(ledger):
    from datetime import datetime, timedelta

    folder = backups.backup_folder(ledger)
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now()
    for d in range(30):
        stamp = (now - timedelta(days=d)).strftime("%Y%m%d-%H%M%S-000")
        p = folder / f"{ledger.path.stem}-{stamp}-启动.sqlite"
        p.write_bytes(b"x")
        keys.write_private(keys.folder_for(p) / "seal.key", b"00" * 32)
    deleted = backups.thin(ledger)
    assert deleted and not any(keys.folder_for(p).exists() for p in deleted)
    assert all(keys.folder_for(p).exists() for p in folder.glob("*.sqlite"))


def test_a_pre_import_backup_carries_the_keys(ledger):
    with backups.write_after_backup(ledger, "导入前") as (_s, target):
        pass
    assert keys.has_keys(target)
    assert keys.read_anchor(target, ledger.db.seal_key)[0] == (
        sqlite3.connect(target).execute("SELECT count(*) FROM audit_log").fetchone()[0])


def test_an_emergency_restore_brings_the_keys_and_a_matching_anchor(ledger):
    scores.set_score(ledger, "B1", 2026, 1, "RC02", count=1)
    good = backups.backup_now(ledger, "手动")
    for m in range(2, 6):
        scores.set_score(ledger, "B1", 2026, m, "RC02", count=1)
    path = ledger.path
    ledger.close()
    backups.emergency_restore(path, good)
    lg = open_ledger(path)
    try:
        report = integrity.verify(lg)
        assert report.ok, report.first_problem()
    finally:
        lg.close()
