"""The backup before an import is taken under the write lock: exactly the state the write starts from."""

import errno
import sqlite3

import pytest
from sqlalchemy import text

from app.errors import DatabaseError
from app.services.register import orgs
from app.services.safety import backups
from app.services.scoring import scores
from db import filecopy


def _manual_rows(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM monthly_scores WHERE manual_points IS NOT NULL").fetchone()[0]
    finally:
        con.close()


def _assert_self_contained_backup(path):
    assert path.exists() and not path.with_name(path.name + ".part").exists()
    assert not path.with_name(path.name + "-wal").exists()
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()


def test_the_file_itself_is_copied_when_the_wal_can_be_emptied(ledger, monkeypatch):
    scores.set_score(ledger, "B1", 2026, 3, "RC01", points="1.0")
    used = []
    monkeypatch.setattr(backups, "copy_database", lambda *a: used.append("online") or pytest.fail("online API"))
    with backups.write_after_backup(ledger, "导入前") as (s, path):
        used.append("file")
        s.execute(text("UPDATE monthly_scores SET manual_points = NULL"))  # the copy is the state before this
    assert used == ["file"] and _manual_rows(path) == 1 and _manual_rows(ledger.path) == 0
    _assert_self_contained_backup(path)
    assert "导入前" in path.name


def test_a_busy_reader_falls_back_to_the_online_backup(ledger, monkeypatch):
    scores.set_score(ledger, "B1", 2026, 3, "RC01", points="1.0")
    reader = sqlite3.connect(ledger.path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM monthly_scores").fetchone()  # holds a snapshot: the WAL cannot be emptied
    scores.set_score(ledger, "B1", 2026, 4, "RC01", points="1.0")
    used = []
    real = backups.copy_database
    monkeypatch.setattr(backups, "copy_database", lambda *a: used.append("online") or real(*a))
    try:
        with backups.write_after_backup(ledger, "导入前") as (_s, path):
            pass
    finally:
        reader.rollback()
        reader.close()
    assert used == ["online"] and _manual_rows(path) == 2  # the committed state, WAL included
    _assert_self_contained_backup(path)


def test_nothing_is_written_when_the_backup_cannot_be_made(ledger):
    from app.services.kernel import settings

    blocker = ledger.path.parent / "not-a-folder"
    blocker.mkdir()
    settings.set_value(ledger, "backup_dir", str(blocker))
    blocker.rmdir()  # the U 盘 is pulled out later: a file now stands where the folder was
    blocker.write_text("x")
    with pytest.raises(DatabaseError, match="备份到.*失败"), backups.write_after_backup(ledger, "导入前") as (s, _p):
        s.execute(text("UPDATE organizations SET name = 'x'"))  # runs while the copy is tried, then rolled back
    assert "x" not in {o.name for o in orgs.list_orgs(ledger)}


def test_a_copy_that_is_not_this_state_is_never_put_in_place(ledger, tmp_path):
    raw = ledger.db.engine.raw_connection()
    try:
        assert filecopy.checkpoint_now(raw.driver_connection)
    finally:
        raw.close()
    assert filecopy.wal_is_empty(ledger.path)
    target = tmp_path / "b.sqlite"
    with pytest.raises(sqlite3.DatabaseError, match="不一致"):
        filecopy.copy_still_file(ledger.path, target, audit_head="0" * 64)
    assert not target.exists() and not target.with_name("b.sqlite.part").exists()


def test_a_fast_copy_that_fails_for_another_reason_falls_back_to_the_online_backup(ledger, monkeypatch):
    def refuse(*_a, **_k):
        raise sqlite3.DatabaseError("备份副本与数据文件的内容不一致")

    monkeypatch.setattr(backups, "copy_still_file", refuse)
    with backups.write_after_backup(ledger, "导入前") as (_s, path):
        pass
    _assert_self_contained_backup(path)


def test_a_full_disk_refuses_the_write_with_a_plain_message(ledger, monkeypatch):
    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups, "copy_still_file", full)
    with pytest.raises(DatabaseError, match="磁盘空间不足"), backups.write_after_backup(ledger, "导入前") as (s, _p):
        s.execute(text("UPDATE organizations SET name = 'x'"))
    assert "x" not in {o.name for o in orgs.list_orgs(ledger)}


def test_an_ordinary_backup_does_not_hold_the_write_lock(ledger, monkeypatch):
    # A start-up backup to a slow stick must not stop the user saving meanwhile.
    real = backups.copy_database

    def slow_copy(source, target):
        scores.set_score(ledger, "B1", 2026, 5, "RC01", points="1.0")  # saving while the copy runs
        return real(source, target)

    monkeypatch.setattr(backups, "copy_database", slow_copy)
    path = backups.backup_now(ledger, "启动")
    assert path.exists() and _manual_rows(ledger.path) == 1


def test_outside_wal_mode_the_file_is_never_copied_beside_the_writes(ledger, monkeypatch):
    # A rollback journal lets uncommitted pages into the main file: copy page by page, first.
    monkeypatch.setattr(backups, "_in_wal_mode", lambda _s: False)
    monkeypatch.setattr(backups, "copy_still_file", lambda *a, **k: pytest.fail("file copied beside the writes"))
    scores.set_score(ledger, "B1", 2026, 3, "RC01", points="1.0")
    with backups.write_after_backup(ledger, "导入前") as (s, path):
        assert path.exists()  # already complete before the first write
        s.execute(text("UPDATE monthly_scores SET manual_points = NULL"))
    assert _manual_rows(path) == 1 and _manual_rows(ledger.path) == 0


def test_the_live_ledger_is_in_wal_mode(ledger):
    with ledger.db.write() as s:
        assert backups._in_wal_mode(s)
