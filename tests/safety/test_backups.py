"""Backups: only when changed, thinned, previewed, restored with a copy of the current data first."""

import errno
import sqlite3
from datetime import datetime, timedelta

import pytest

from app.errors import DatabaseError, PermissionDeniedError, ValidationError
from app.services.register import orgs
from app.services.safety import backups, integrity
from app.services.scoring import scores


def test_automatic_backup_only_when_data_changed(ledger):
    first = backups.auto_backup(ledger, "启动")
    assert first is not None and first.exists()
    assert backups.auto_backup(ledger, "退出") is None  # nothing changed since
    scores.set_score(ledger, "B1", 2026, 3, "RC02", count=1)
    assert backups.auto_backup(ledger, "退出") is not None


def test_preview_shows_time_size_organisations_and_last_entry(ledger):
    scores.set_score(ledger, "B1", 2026, 3, "RC02", count=1)
    path = backups.backup_now(ledger, "手动")
    (path.parent / "随便.sqlite").write_text("不是数据库")
    rows = backups.list_backups(ledger)
    good = next(b for b in rows if b.path == path)
    assert good.ok and good.organizations == 3 and good.size > 0 and good.reason == "手动"
    assert "录入积分" in good.last_entry or "RC02" in good.last_entry
    bad = next(b for b in rows if b.path.name == "随便.sqlite")
    assert not bad.ok and "不是本软件的数据文件" in bad.problem
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_thinning_keeps_manual_backups_and_the_recent_automatic_ones(ledger):
    folder = backups.backup_folder(ledger)
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime(2026, 11, 21, 18)
    for d in range(60):
        stamp = (now - timedelta(days=d)).strftime("%Y%m%d-%H%M%S-000")
        (folder / f"{ledger.path.stem}-{stamp}-启动.sqlite").write_bytes(b"x")
    (folder / f"{ledger.path.stem}-20250101-090000-000-手动.sqlite").write_bytes(b"x")
    deleted = backups.thin(ledger)
    left = sorted(p.name for p in folder.glob("*.sqlite"))
    assert len(deleted) == 60 - len(left) + 1
    assert any("手动" in n for n in left) and 7 <= len(left) <= 1 + 7 + 4 + 12


def test_restore_brings_back_old_data_and_keeps_the_current_file(ledger):
    scores.set_score(ledger, "B1", 2026, 3, "RC02", count=1)
    old = backups.backup_now(ledger, "手动")
    orgs.add_org(ledger, code="B2", name="新支部", sector="机关事业单位", parent="P1")
    saved = backups.restore(ledger, old).saved
    assert [o.code for o in orgs.list_orgs(ledger)] == ["00", "P1", "B1"]
    assert "恢复前" in saved.name
    con = sqlite3.connect(saved)
    assert con.execute("SELECT count(*) FROM organizations WHERE code='B2'").fetchone()[0] == 1
    con.close()
    assert integrity.verify(ledger).ok  # the restored file is whole and the chain continues
    scores.set_score(ledger, "B1", 2026, 4, "RC02", count=1)  # and the ledger is usable again


def test_restore_refuses_a_damaged_file_and_a_clerk(ledger, tmp_path):
    broken = tmp_path / "坏.sqlite"
    good = backups.backup_now(ledger, "手动")
    data = bytearray(good.read_bytes())
    data[4096 * 2:4096 * 2 + 2000] = b"\xff" * 2000  # scribble over a b-tree page
    broken.write_bytes(bytes(data))
    with pytest.raises(ValidationError, match="坏.sqlite"):
        backups.restore(ledger, broken)
    ledger.role = "录入员"
    with pytest.raises(PermissionDeniedError, match="恢复"):
        backups.restore(ledger, good)


def test_a_full_disk_gives_a_clear_error_and_leaves_no_partial_file(ledger, monkeypatch):
    real_replace = backups.os.replace

    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups.os, "replace", full)
    with pytest.raises(DatabaseError, match="磁盘空间不足。现有数据未受影响"):
        backups.backup_now(ledger, "手动")
    monkeypatch.setattr(backups.os, "replace", real_replace)
    folder = backups.backup_folder(ledger)
    assert not list(folder.glob("*.part")) and not list(folder.glob("*.sqlite"))
    assert integrity.verify(ledger).ok


def test_sqlite_reporting_a_full_disk_mid_write_rolls_back_cleanly(ledger, monkeypatch):
    """An OSError while SQLite writes (simulated at the flush) leaves the file as before."""
    from app.services.scoring import aggregate

    before = scores.cells(ledger, 2026)

    def boom(*a, **k):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(aggregate, "refresh", boom)
    with pytest.raises(sqlite3.OperationalError, match="disk is full"):
        scores.set_score(ledger, "B1", 2026, 3, "RC02", count=1)
    monkeypatch.undo()
    assert scores.cells(ledger, 2026) == before
    assert integrity.verify(ledger).ok


def test_a_damaged_live_file_is_found_and_restored_from_the_newest_good_backup(ledger):
    scores.set_score(ledger, "B1", 2026, 3, "RC02", count=1)
    good = backups.backup_now(ledger, "手动")
    path = ledger.path
    ledger.db.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(path.read_bytes())
    data[4096 * 3:4096 * 3 + 3000] = b"\x00\x13" * 1500  # scribble over pages, as a bad sector would
    path.write_bytes(bytes(data))
    report = integrity.verify(ledger)
    assert not report.file_ok and "数据库文件" in report.first_problem()
    saved = backups.restore(ledger, good).saved
    assert saved.exists()
    assert integrity.verify(ledger).ok
    assert scores.cell(ledger, "B1", 2026, 3, "RC02").manual_count == 1


def test_a_really_full_database_gives_a_plain_message_and_writes_nothing(ledger):
    """SQLite's own limit on the file size stands in for a full disk: the same SQLITE_FULL error."""
    from sqlalchemy import event

    from app.services.book import records

    pages = sqlite3.connect(ledger.path).execute("PRAGMA page_count").fetchone()[0]

    def cap(dbapi_conn, _record):
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 3}")

    ledger.db.dispose()
    event.listen(ledger.db.engine, "connect", cap)
    written = 0
    with pytest.raises(DatabaseError, match="磁盘空间不足，刚才的修改没有保存"):
        for _ in range(200):  # grow the file until it is full
            records.add_record(ledger, "B1", "4.1", {"date": "2026-03-05", "topic": "学习", "content": "长" * 3000})
            written += 1
    event.remove(ledger.db.engine, "connect", cap)
    ledger.db.dispose()
    assert 0 < written < 200
    assert len(records.list_records(ledger, "B1", 2026)) == written  # the refused one left nothing behind
    assert integrity.verify(ledger).ok
