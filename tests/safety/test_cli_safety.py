"""The safety commands as a user types them (in-process through app.cli.main)."""

import pytest

from app.cli import main


@pytest.fixture
def db(ledger):
    path = ledger.path
    ledger.close()
    return str(path)


def test_backup_list_and_restore(db, tmp_path, capsys):
    out = tmp_path / "手动备份.sqlite"
    assert main(["--db", db, "backup", "-o", str(out)]) == 0
    assert out.exists() and "已备份到" in capsys.readouterr().out
    assert main(["--db", db, "backup"]) == 0
    assert main(["--db", db, "backups", "list"]) == 0
    listing = capsys.readouterr().out
    assert "手动" in listing and "3 个组织" in listing
    assert main(["--db", db, "restore", str(out)]) == 0
    assert "恢复前的数据另存为" in capsys.readouterr().out


def test_users_login_and_roles(db, monkeypatch, capsys):
    from app.services.safety import users

    monkeypatch.setattr(users, "KDF", "scrypt:n=1024,r=8,p=1")
    monkeypatch.setenv("DANGJIAN_NEW_PASSWORD", "secret1")
    assert main(["--db", db, "users", "add", "张书记", "--role", "管理员"]) == 0
    monkeypatch.setenv("DANGJIAN_PASSWORD", "secret1")
    monkeypatch.setenv("DANGJIAN_NEW_PASSWORD", "secret2")
    assert main(["--db", db, "--user", "张书记", "users", "add", "小王", "--role", "录入员"]) == 0
    assert "从现在起需要登录" in capsys.readouterr().out
    # a second account exists: every command now needs a login
    monkeypatch.delenv("DANGJIAN_PASSWORD")
    assert main(["--db", db, "--user", "小王", "orgs", "list"]) == 2
    assert "DANGJIAN_PASSWORD" in capsys.readouterr().err
    monkeypatch.setenv("DANGJIAN_PASSWORD", "wrong!")
    assert main(["--db", db, "--user", "小王", "orgs", "list"]) == 2
    assert "用户名或密码不正确" in capsys.readouterr().err
    monkeypatch.setenv("DANGJIAN_PASSWORD", "secret2")
    assert main(["--db", db, "--user", "小王", "lock-month", "--year", "2026", "--month", "3"]) == 2
    assert "需要审核员或管理员权限" in capsys.readouterr().err
    assert main(["--db", db, "--user", "小王", "score", "set", "--org", "B1", "--year", "2026", "--month", "3",
                 "--item", "RC02", "--count", "1"]) == 0
    monkeypatch.setenv("DANGJIAN_PASSWORD", "secret1")
    assert main(["--db", db, "--user", "张书记", "lock-month", "--year", "2026", "--month", "3"]) == 0
    assert main(["--db", db, "--user", "张书记", "users", "list"]) == 0
    listing = capsys.readouterr().out
    assert "张书记" in listing and "录入员" in listing


def test_lock_unlock_and_verify(db, capsys):
    assert main(["--db", db, "lock-month", "--year", "2026", "--month", "4"]) == 0
    assert main(["--db", db, "score", "set", "--org", "B1", "--year", "2026", "--month", "4", "--item", "RC02",
                 "--count", "1"]) == 2
    assert "审核锁定" in capsys.readouterr().err
    assert main(["--db", db, "unlock-month", "--year", "2026", "--month", "4", "--reason", ""]) == 2
    assert "解锁理由不能为空" in capsys.readouterr().err
    assert main(["--db", db, "unlock-month", "--year", "2026", "--month", "4", "--reason", "补录"]) == 0
    assert main(["--db", db, "verify-audit"]) == 0
    out = capsys.readouterr().out
    assert "审计链完整" in out and "均由本软件写入" in out


def test_accept_data_after_an_outside_edit(db, capsys):
    import sqlite3

    con = sqlite3.connect(db)
    con.execute("UPDATE org_classes SET category = 'A'")
    con.commit()
    con.close()
    assert main(["--db", db, "verify-audit"]) == 1
    assert "组织分类 B1 财政局党支部 2026 年分类 A" in capsys.readouterr().err
    assert main(["--db", db, "accept-data", "--reason", "短"]) == 2
    assert main(["--db", db, "accept-data", "--reason", "已核实为上级通知调整"]) == 0
    assert main(["--db", db, "verify-audit"]) == 0
