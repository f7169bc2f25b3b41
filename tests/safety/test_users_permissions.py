"""Accounts, lockout and roles, enforced in the services themselves."""

from datetime import timedelta

import pytest

from app.errors import PermissionDeniedError, ValidationError
from app.services.assessment import grades
from app.services.book import records
from app.services.kernel import locks, permissions, settings
from app.services.safety import users
from app.services.scoring import schemes, scores


def _as(ledger, name, role):
    ledger.user, ledger.role = name, role
    return ledger


def test_first_account_is_an_administrator_and_single_user_needs_no_login(ledger):
    with pytest.raises(ValidationError, match="第一个账户必须是管理员"):
        users.add_user(ledger, "小王", "录入员", "secret1")
    users.add_user(ledger, "张书记", "管理员", "secret1")
    assert not users.login_required(ledger)
    assert users.act_as_single_user(ledger) and (ledger.user, ledger.role) == ("张书记", "管理员")
    users.add_user(ledger, "小王", "录入员", "secret2")
    assert users.login_required(ledger) and not users.act_as_single_user(ledger)


def test_passwords_are_stored_as_scrypt_hashes_only(ledger):
    import sqlite3

    users.add_user(ledger, "张书记", "管理员", "口令secret")
    con = sqlite3.connect(ledger.path)
    salt, digest, kdf = con.execute("SELECT salt, pw_hash, kdf FROM users").fetchone()
    con.close()
    assert kdf == users.KDF and kdf.startswith("scrypt:") and len(salt) == 32 and "secret" not in digest
    assert users.authenticate(ledger, "张书记", "口令secret").role == "管理员"


def test_the_real_cost_parameters(monkeypatch):
    monkeypatch.undo()  # the production KDF, once
    assert users.KDF == "scrypt:n=16384,r=8,p=1"
    assert len(users._hash("x" * 8, b"s" * 16)) == 64


def test_lockout_after_five_failures_then_unlocks_after_fifteen_minutes(ledger):
    users.add_user(ledger, "张书记", "管理员", "secret1")
    users.add_user(ledger, "小王", "录入员", "secret2")
    for _ in range(4):
        with pytest.raises(PermissionDeniedError, match="用户名或密码不正确"):
            users.authenticate(ledger, "小王", "wrong!")
    with pytest.raises(PermissionDeniedError, match="连续错误 5 次.*已锁定"):
        users.authenticate(ledger, "小王", "wrong!")
    with pytest.raises(PermissionDeniedError, match="已锁定"):
        users.authenticate(ledger, "小王", "secret2")  # even the right password, while locked
    # fifteen minutes later
    import db.types

    real = db.types.utcnow()
    monkey = pytest.MonkeyPatch()
    monkey.setattr(users, "utcnow", lambda: real + timedelta(minutes=16))
    try:
        assert users.authenticate(ledger, "小王", "secret2").role == "录入员"
    finally:
        monkey.undo()
    assert (ledger.user, ledger.role) == ("小王", "录入员")


def test_a_clerk_cannot_override_a_grade_or_change_the_scheme(ledger):
    users.add_user(ledger, "张书记", "管理员", "secret1")
    _as(ledger, "小王", "录入员")
    scores.set_score(ledger, "B1", 2026, 3, "RC02", count=1)  # allowed
    records.add_record(ledger, "B1", "2.2", {"date": "2026-03-05", "topic": "支委会", "attendance": "5/5"})
    with pytest.raises(PermissionDeniedError, match="小王（录入员） 无权调整或确认年度定级：需要审核员或管理员"):
        grades.override(ledger, "B1", 2026, "A", "获市级表彰")
    with pytest.raises(PermissionDeniedError, match="需要管理员"):
        schemes.copy_scheme(ledger, 2026, 2027)
    with pytest.raises(PermissionDeniedError):
        settings.set_value(ledger, "unit_name", "别的单位")
    with pytest.raises(PermissionDeniedError, match="审核锁定月份"):
        locks.lock_month(ledger, 2026, 3)
    with pytest.raises(PermissionDeniedError):
        users.add_user(ledger, "小李", "管理员", "secret3")
    # nothing of the refused calls was written
    assert grades.year_grades(ledger, 2026)[0].override_reason == ""
    assert locks.locked_months(ledger) == []


def test_a_reviewer_locks_but_only_an_administrator_unlocks(ledger):
    _as(ledger, "老李", "审核员")
    locks.lock_month(ledger, 2026, 3, "已核对")
    g = grades.override(ledger, "B1", 2026, "A", "获市级表彰")
    assert g.final.value == "A"
    with pytest.raises(PermissionDeniedError, match="解锁已锁定的月份：需要管理员"):
        locks.unlock_month(ledger, 2026, 3, "补录")
    _as(ledger, "张书记", "管理员")
    locks.unlock_month(ledger, 2026, 3, "补录遗漏的支委会")
    assert locks.locked_months(ledger) == []


def test_the_last_administrator_cannot_be_demoted(ledger):
    users.add_user(ledger, "张书记", "管理员", "secret1")
    with pytest.raises(ValidationError, match="至少要保留一个管理员"):
        users.set_role(ledger, "张书记", "录入员")
    with pytest.raises(ValidationError, match="密码至少 6 位"):
        users.add_user(ledger, "小王", "录入员", "123")


def test_every_role_has_a_known_permission_table():
    assert set(permissions.ROLES) == {"管理员", "审核员", "录入员"}
    for _perm, (role, label) in permissions.PERMISSIONS.items():
        assert role in permissions.ROLES and label
