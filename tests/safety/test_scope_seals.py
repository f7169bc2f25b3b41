"""The township scope is sealed (migration 0018_seal_scope): an account's scope or a lock's subtree changed with a
database tool is found; moving the seals up and down between versions hides nothing and breaks nothing."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command

from app.errors import PermissionDeniedError
from app.services.kernel import locks
from app.services.opening.setup import open_ledger
from app.services.safety import integrity, users
from db import seals
from db.migrate import _alembic_config
from db.seal_columns import BEFORE_SCOPE, sealed_as

PW = "secret-123"


@pytest.fixture
def fast_kdf(monkeypatch):
    monkeypatch.setattr(users, "_N", 2**4)
    monkeypatch.setattr(users, "KDF", "scrypt:n=16,r=8,p=1")


def _sql(path, *statements):
    con = sqlite3.connect(path)
    for st in statements:
        con.execute(st)
    con.commit()
    con.close()


def _accounts(lg):
    users.add_user(lg, "县管理员", "管理员", PW)
    users.authenticate(lg, "县管理员", PW)
    users.add_user(lg, "镇录入", "录入员", PW, scope="P1")
    locks.lock_month(lg, 2026, 3, "全单位")
    locks.lock_month(lg, 2026, 4, "镇", scope_code="P1")


def _problems(lg) -> list[tuple[str, str]]:
    with lg.db.read() as s:
        _n, found, _total = seals.verify(s.connection().connection.dbapi_connection, lg.db.seal_key, limit=100)
    return [(p.table, p.kind) for p in found]


def _migrate(lg, rev: str, down: bool) -> None:
    cfg = _alembic_config()
    with lg.db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, rev)


def test_a_scope_widened_in_the_database_is_refused_at_login_and_found_by_check(ledger, fast_kdf):
    _accounts(ledger)
    assert _problems(ledger) == []
    _sql(ledger.path, "UPDATE users SET scope = '' WHERE name = '镇录入'")  # the township clerk takes the county
    with pytest.raises(PermissionDeniedError, match="在本软件之外被改动"):
        users.authenticate(ledger, "镇录入", PW)
    assert ("users", "changed") in _problems(ledger)
    _sql(ledger.path, "UPDATE month_locks SET scope = 'B1' WHERE month = 4")  # a lock narrowed
    assert ("month_locks", "changed") in _problems(ledger)
    problem = integrity.verify(ledger).first_problem()
    assert problem and ("users" in str(problem) or "month_locks" in str(problem) or "账户" in str(problem))


def test_the_seals_move_down_and_up_between_versions_without_hiding_a_change(ledger, fast_kdf):
    _accounts(ledger)
    _migrate(ledger, "0016_station_tasks", down=True)
    with ledger.db.read() as s:
        raw = s.connection().connection.dbapi_connection
        assert "scope" not in {r[1] for r in raw.execute("PRAGMA table_info(users)")}
        assert raw.execute("SELECT count(*) FROM month_locks").fetchone()[0] == 1  # the subtree's lock went
        with sealed_as(BEFORE_SCOPE):  # as the version before judged them: every seal agrees
            assert seals.verify(raw, ledger.db.seal_key, limit=10)[2] == 0
    path = ledger.path
    ledger.close()
    # Behind the software, at the old version: the clerk made 管理员. The upgrade must not launder it.
    _sql(path, "UPDATE users SET role = '管理员' WHERE name = '镇录入'")
    lg = open_ledger(path)  # migrates to the head again, 0017 and 0018
    try:
        assert _problems(lg) == [("users", "changed")]
        with pytest.raises(PermissionDeniedError, match="在本软件之外被改动"):
            users.authenticate(lg, "镇录入", PW)
        assert users.authenticate(lg, "县管理员", PW).scope == ""
        users.add_user(lg, "新录入", "录入员", PW, scope="P1")  # written after the upgrade: sealed with its scope
        assert _problems(lg) == [("users", "changed")]
    finally:
        lg.close()
