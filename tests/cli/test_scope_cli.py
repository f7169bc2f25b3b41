"""Township scope on the command line: ``users add/update --scope``, a scoped user's listings, writes outside
refused with exit 2 and one line, ``lock-month --scope``. On both backends."""

from __future__ import annotations

import json

import pytest

from .test_cli import db, run  # noqa: F401  (the fixture, on both backends)

PW = "secret123"


@pytest.fixture
def town(db, monkeypatch):  # noqa: F811
    """The CLI ledger with a second township (P2 → B2), a county 管理员 and a 录入员 / 审核员 limited to P2."""
    assert run(db, "orgs", "add", "--code", "P2", "--name", "城南乡镇党委", "--sector", "村(社区)",
               "--kind", "党委", "--parent", "00").returncode == 0
    assert run(db, "orgs", "add", "--code", "B2", "--name", "河西村党支部", "--sector", "村(社区)",
               "--parent", "P2", "--class", "B").returncode == 0
    monkeypatch.setenv("DANGJIAN_NEW_PASSWORD", PW)
    monkeypatch.setenv("DANGJIAN_PASSWORD", PW)
    assert run(db, "users", "add", "县管理员", "--role", "管理员").returncode == 0
    r = run(db, "--user", "县管理员", "users", "add", "城南录入", "--role", "录入员", "--scope", "P2")
    assert r.returncode == 0 and "管理范围：城南乡镇党委（P2）及其下属组织" in r.stdout
    assert run(db, "--user", "县管理员", "users", "add", "城南审核", "--role", "审核员", "--scope", "P2").returncode == 0
    return db


def _as(target, user: str, *args: str):
    return run(target, "--user", user, *args)


def test_users_carry_their_scope_and_a_county_admin_changes_it(town):
    listed = {u["name"]: u["scope"] for u in json.loads(_as(town, "县管理员", "users", "list", "--json").stdout)}
    assert listed == {"县管理员": "", "城南录入": "P2", "城南审核": "P2"}
    r = _as(town, "县管理员", "users", "update", "城南录入", "--scope", "NOPE")
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0 and "找不到组织编码为“NOPE”" in r.stderr
    r = _as(town, "县管理员", "users", "update", "城南录入", "--scope", "")
    assert r.returncode == 0 and "管理范围：全单位" in r.stdout
    assert _as(town, "县管理员", "users", "add", "城南管理", "--role", "管理员", "--scope", "P2").returncode == 0
    r = _as(town, "城南管理", "users", "update", "城南管理", "--scope", "")
    assert r.returncode == 2 and "全单位" in r.stderr  # a scoped 管理员 cannot widen their own scope


def test_a_scoped_user_lists_only_the_subtree_and_is_refused_outside_it(town):
    codes = [o["code"] for o in json.loads(_as(town, "城南录入", "orgs", "list", "--json").stdout)]
    assert codes == ["P2", "B2"]
    everyone = [o["code"] for o in json.loads(_as(town, "县管理员", "orgs", "list", "--json").stdout)]
    assert set(everyone) == {"00", "P1", "B1", "P2", "B2"}
    r = _as(town, "城南录入", "score", "set", "--org", "B1", "--year", "2026", "--month", "3", "--item", "KF01",
            "--count", "1")
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0
    assert "城南录入 的范围是“城南乡镇党委”（P2）及其下属组织" in r.stderr and "“财政局党支部”（B1）" in r.stderr
    assert _as(town, "城南录入", "score", "set", "--org", "B2", "--year", "2026", "--month", "3", "--item", "KF01",
               "--count", "1").returncode == 0
    scored = json.loads(_as(town, "县管理员", "score", "list", "--org", "B1", "--year", "2026", "--json").stdout)
    assert all(c["count"] is None for c in scored)  # nothing written for B1


def test_lock_month_for_a_subtree(town):
    r = _as(town, "城南审核", "lock-month", "--year", "2026", "--month", "3")
    assert r.returncode == 0 and "城南乡镇党委（P2）及其下属组织" in r.stdout
    r = _as(town, "城南审核", "lock-month", "--year", "2026", "--month", "4", "--scope", "P1")
    assert r.returncode == 2 and "不能锁定或解锁“P1”的月份" in r.stderr
    r = _as(town, "城南录入", "score", "set", "--org", "B2", "--year", "2026", "--month", "3", "--item", "KF01",
            "--count", "1")
    assert r.returncode == 2 and "“城南乡镇党委”（P2）及其下属组织的 2026 年 3 月已于" in r.stderr
    assert _as(town, "县管理员", "score", "set", "--org", "B1", "--year", "2026", "--month", "3", "--item", "KF01",
               "--count", "1").returncode == 0  # the other township's March is open
    r = _as(town, "县管理员", "unlock-month", "--year", "2026", "--month", "3", "--scope", "P2", "--reason", "补录")
    assert r.returncode == 0
