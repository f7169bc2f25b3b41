"""Writes on the county server: one writer at a time (advisory lock), who is writing, tamper evidence."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import text

from app.errors import DatabaseError
from app.services.kernel import audit
from app.services.register import orgs
from app.services.safety import integrity
from app.services.scoring.scores import ScoreEntry, write_scores


def _reopen(pg_ledger, user: str):
    from app.services.opening.setup import open_ledger

    lg = open_ledger(pg_ledger.db.url, user=user)
    lg.today = pg_ledger.today
    return lg


def test_a_waiting_writer_is_told_who_is_writing_and_nothing_is_written(pg_ledger, monkeypatch):
    monkeypatch.setenv("DANGJIAN_WRITE_WAIT_S", "0.5")
    holder = _reopen(pg_ledger, "甲镇录入员")
    other = _reopen(pg_ledger, "乙镇录入员")
    inside, leave = threading.Event(), threading.Event()

    def hold():
        with holder.db.write() as s:
            s.execute(text("SELECT 1"))  # the transaction has begun: the write lock is held
            inside.set()
            leave.wait(30)

    t = threading.Thread(target=hold)
    t.start()
    try:
        assert inside.wait(30)
        with pytest.raises(DatabaseError) as e:
            write_scores(other, 2026, [ScoreEntry("B1", "RC02", 3, count=1)])
        message = str(e.value)
        assert "甲镇录入员" in message and "没有保存" in message and "\n" not in message
    finally:
        leave.set()
        t.join(30)
    with other.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM monthly_scores")).scalar() == 0
    write_scores(other, 2026, [ScoreEntry("B1", "RC02", 3, count=1)])  # the lock is free again
    with other.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM monthly_scores")).scalar() == 1
    holder.close()
    other.close()


def test_two_clients_writing_at_once_keep_one_audit_chain(pg_ledger):
    clients = [_reopen(pg_ledger, f"{n}镇录入员") for n in "甲乙"]
    errors: list[BaseException] = []

    def enter(lg, months):
        try:
            for m in months:
                write_scores(lg, 2025, [ScoreEntry("B1", "RC02", m, count=1)])
                orgs.update_org(lg, "B1", secretary=f"书记{lg.user[0]}{m}")
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=enter, args=(c, range(1 + i * 6, 7 + i * 6))) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    ok, message = audit.verify_chain(clients[0])
    assert ok, message
    finding, problems, _checked = integrity.check_seals(clients[0])
    assert finding.ok and problems == 0, finding.detail
    for c in clients:
        c.close()


def _psql(pg_server, lg, sql: str) -> str:
    return pg_server.psql(sql, lg.db.url.database)


@pytest.mark.parametrize("tamper, words", [
    ("UPDATE monthly_scores SET manual_count = 9 WHERE id = (SELECT min(id) FROM monthly_scores)",
     "财政局党支部 2026 年 3 月"),
    ("DELETE FROM monthly_scores WHERE id = (SELECT min(id) FROM monthly_scores)", "月度积分（第 1 行）被软件之外的程序删除"),
    ("INSERT INTO org_classes (uuid, org_id, year, category, source, note, created_at, updated_at) "
     "SELECT 'x-added', id, 2027, 'A', 'manual', '', now(), now() FROM organizations WHERE code = 'B1'", "2027 年分类 A"),
    ("UPDATE organizations SET name = '假支部' WHERE code = 'B1'", "假支部"),
])
def test_psql_edits_are_found_naming_the_row(pg_server, pg_ledger, tamper, words):
    write_scores(pg_ledger, 2026, [ScoreEntry("B1", "RC02", 3, count=1)])
    finding, problems, _ = integrity.check_seals(pg_ledger)
    assert finding.ok and problems == 0
    _psql(pg_server, pg_ledger, tamper)
    finding, problems, _ = integrity.check_seals(pg_ledger)
    assert not finding.ok and problems >= 1
    assert words in finding.detail, finding.detail
    write_scores(pg_ledger, 2026, [ScoreEntry("B1", "RC02", 4, count=1)])  # a neighbour saved afterwards
    finding, problems, _ = integrity.check_seals(pg_ledger)
    assert not finding.ok and words in finding.detail, finding.detail


def test_psql_edits_of_the_audit_log_are_found(pg_server, pg_ledger):
    assert audit.verify_chain(pg_ledger)[0]
    _psql(pg_server, pg_ledger, "UPDATE audit_log SET summary = '改过' WHERE id = (SELECT min(id) FROM audit_log)")
    ok, message = audit.verify_chain(pg_ledger)
    assert not ok and "软件之外被修改" in message
    _psql(pg_server, pg_ledger, "DELETE FROM audit_log WHERE id >= (SELECT min(id) FROM audit_log)")
    ok, message = audit.verify_chain(pg_ledger)
    assert not ok and "少了" in message


def test_every_string_sqlite_accepts_is_accepted(pg_ledger):
    from app.services.opening.setup import open_ledger

    long_user = "县" * 60  # audit_log.user is VARCHAR(40) in the model; SQLite stores it anyway
    lg = open_ledger(pg_ledger.db.url, user=long_user)
    lg.today = pg_ledger.today
    write_scores(lg, 2026, [ScoreEntry("B1", "RC02", 4, points=Decimal("1.0"))])
    with lg.db.read() as s:
        assert s.execute(text("SELECT max(length(\"user\")) FROM audit_log")).scalar() == 60
    lg.close()
