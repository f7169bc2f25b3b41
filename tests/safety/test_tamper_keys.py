"""Tamper evidence with per-installation keys: audit truncation and re-chaining, unsealed tables, logins."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from app.errors import PermissionDeniedError
from app.services.kernel import audit
from app.services.opening.setup import open_ledger
from app.services.safety import integrity, users
from app.services.scoring import scores


def _sql(path, *statements):
    con = sqlite3.connect(path)
    for st in statements:
        con.execute(st)
    con.commit()
    con.close()


def _reopen(ledger):
    path = ledger.path
    ledger.close()
    return open_ledger(path)


def _chain_problem(ledger) -> str:
    report = integrity.verify(ledger)
    return next((f.detail for f in report.findings if f.title == "审计记录链" and not f.ok), "")


@pytest.mark.parametrize("cut", ["last", "last3", "all"])
def test_truncating_the_audit_log_is_detected(ledger, cut):
    for m in range(1, 5):
        scores.set_score(ledger, "B1", 2026, m, "KF01", count=1)
    assert integrity.verify(ledger).ok
    where = {"last": "id = (SELECT max(id) FROM audit_log)",
             "last3": "id > (SELECT max(id) - 3 FROM audit_log)", "all": "1"}[cut]
    _sql(ledger.path, f"DELETE FROM audit_log WHERE {where}")
    lg = _reopen(ledger)
    try:
        assert "末尾的记录在软件之外被删除" in _chain_problem(lg)
    finally:
        lg.close()


def test_an_audit_entry_rewritten_and_rechained_is_detected(ledger):
    scores.set_score(ledger, "B1", 2026, 1, "KF01", count=1)
    con = sqlite3.connect(ledger.path)
    rows = con.execute("SELECT id, at, user, action, entity, entity_uuid, org_code, summary, changes "
                       "FROM audit_log ORDER BY id").fetchall()
    prev = audit.GENESIS
    for rid, at, user, action, entity, euuid, org, summary, changes in rows:  # the old, unkeyed recipe
        summary = summary.replace("KF01", "KF02")
        stamp = at.replace(" ", "T")[:23]
        body = json.dumps([prev, stamp, user, action, entity, euuid, org, summary, changes], ensure_ascii=False)
        digest = hashlib.sha256(body.encode()).hexdigest()
        con.execute("UPDATE audit_log SET summary = ?, prev_hash = ?, hash = ? WHERE id = ?", (summary, prev, digest, rid))
        prev = digest
    con.commit()
    con.close()
    assert "内容与其哈希不符" in _chain_problem(ledger)


def test_an_organisation_status_edited_in_the_database_is_found_by_check(ledger):
    assert integrity.verify(ledger).ok
    _sql(ledger.path, "UPDATE organizations SET status = 'inactive' WHERE code = 'B1'")
    report = integrity.verify(ledger)
    assert not report.ok and "组织 B1 财政局党支部" in report.first_problem() and "被软件之外的程序修改" in report.first_problem()


def test_settings_warnings_and_schemes_are_sealed(ledger):
    from app.services.scoring import schemes

    schemes.get_scheme(ledger, 2026)
    assert integrity.verify(ledger).ok
    _sql(ledger.path, "UPDATE schemes SET grade_a_min = 100 WHERE year = 2026")
    assert "积分细则" in integrity.verify(ledger).first_problem()
    _sql(ledger.path, "UPDATE schemes SET grade_a_min = 900 WHERE year = 2026")  # stored in tenths: put it back
    assert integrity.verify(ledger).ok
    _sql(ledger.path, """UPDATE settings SET value = '"某镇"' WHERE key = 'unit_name'""")
    assert "系统设置" in integrity.verify(ledger).first_problem()


def test_a_role_raised_in_the_users_table_is_refused_at_login(ledger, monkeypatch):
    monkeypatch.setattr(users, "_N", 2**4)
    monkeypatch.setattr(users, "KDF", "scrypt:n=16,r=8,p=1")
    users.add_user(ledger, "老王", "管理员", "secret-1")
    users.add_user(ledger, "小张", "录入员", "secret-2")
    _sql(ledger.path, "UPDATE users SET role = '管理员' WHERE name = '小张'")
    with pytest.raises(PermissionDeniedError, match="角色或密码在本软件之外被改动"):
        users.authenticate(ledger, "小张", "secret-2")
    assert users.authenticate(ledger, "老王", "secret-1").role == "管理员"


def test_a_lost_key_folder_is_reported_not_resealed(ledger):
    import shutil

    path = ledger.path
    ledger.close()
    shutil.rmtree(path.with_name(path.name + ".keys"))
    lg = open_ledger(path)
    try:
        report = integrity.verify(lg)
        assert not report.ok and any("另一把密钥封记" in f.detail for f in report.findings)
        integrity.accept_current_data(lg, "已核实：迁到新电脑时没有带密钥文件夹")
        assert integrity.verify(lg).ok
    finally:
        lg.close()


def test_truncating_the_log_while_the_file_is_open_is_not_followed_by_the_anchor(ledger):
    for m in range(1, 5):
        scores.set_score(ledger, "B1", 2026, m, "KF01", count=1)
    _sql(ledger.path, "DELETE FROM audit_log WHERE id > (SELECT max(id) - 3 FROM audit_log)")
    for m in range(5, 12):  # the software keeps writing; the ids of the deleted entries come round again
        scores.set_score(ledger, "B1", 2026, m, "KF01", count=1)
    assert _chain_problem(ledger)
    lg = _reopen(ledger)
    try:
        assert _chain_problem(lg)
    finally:
        lg.close()


def test_the_anchor_counts_every_entry_across_writes_and_reopenings(ledger):
    from db import keys

    for m in range(1, 4):
        scores.set_score(ledger, "B1", 2026, m, "KF01", count=1)
    lg = _reopen(ledger)
    try:
        scores.set_score(lg, "B1", 2026, 4, "KF01", count=1)
        count = sqlite3.connect(lg.path).execute("SELECT count(*) FROM audit_log").fetchone()[0]
        assert keys.read_anchor(lg.path, lg.db.seal_key)[0] == count
        assert integrity.verify(lg).ok
    finally:
        lg.close()


def test_accepting_data_after_other_writes_in_the_same_session_re_anchors(ledger):
    import shutil

    path = ledger.path
    ledger.close()
    shutil.rmtree(path.with_name(path.name + ".keys"))
    lg = open_ledger(path)
    try:
        from app.services.register import orgs

        orgs.add_org(lg, code="B9", name="新支部", sector="机关事业单位", parent="P1")  # a write before accepting
        integrity.accept_current_data(lg, "已核实：迁到新电脑时没有带密钥文件夹")
        report = integrity.verify(lg)
        assert report.ok, report.first_problem()
    finally:
        lg.close()


def test_a_change_behind_the_software_stays_found_after_later_writes_in_its_chunk(ledger):
    """The chunk seal is not re-made over a row changed behind the software when a neighbour is saved."""
    for m in range(1, 4):
        scores.set_score(ledger, "B1", 2026, m, "KF01", count=1)
    _sql(ledger.path, "UPDATE monthly_scores SET manual_count = 9 WHERE month = 2")
    scores.set_score(ledger, "B1", 2026, 4, "KF01", count=1)  # a legitimate save in the same 1,024 rows
    scores.set_score(ledger, "B1", 2026, 1, "KF01", count=2)
    assert "月度积分" in integrity.verify(ledger).first_problem()
