"""Opening a ledger on the county server: URLs, migrations under a lock, newer versions refused."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from app.errors import DatabaseError
from db.url import ServerUrl, looks_like_url, parse, target
from tests.cli.test_cli import run, run_process
from tests.pgserver import PASSWORD


@pytest.mark.parametrize("value", ["mysql://u@h/db", "sqlite:///x.db", "ftp://a/b", "postgres://u@h/db",
                                   "http://x", "mysql:/u@h/db"])
def test_other_schemes_are_refused_never_a_file(value, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatabaseError) as e:
        target(value)
    assert "不支持的数据库地址类型" in str(e.value)
    r = run(value, "orgs", "list")  # type: ignore[arg-type]
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "不支持" in r.stderr
    assert list(tmp_path.iterdir()) == []  # no file named after the URL


def test_a_windows_drive_is_a_file_not_a_scheme():
    assert not looks_like_url(r"C:\data\ledger.sqlite") and not looks_like_url("C:/data/ledger.sqlite")
    assert target("C:/data/ledger.sqlite") == Path("C:/data/ledger.sqlite")


def test_url_parts_and_the_password_is_never_shown():
    u = parse("postgresql://county:s3cr%40t@db.example:6543/ledger")
    assert (u.user, u.host, u.port, u.database, u.password) == ("county", "db.example", 6543, "ledger", "s3cr@t")
    assert "s3cr" not in str(u) and "s3cr" not in repr(u)
    assert str(u) == "postgresql://county@db.example:6543/ledger"
    assert parse("postgresql://u@h/d").port == 5432
    for bad, words in [("postgresql://h/d", "用户名"), ("postgresql://u@h/", "数据库名"),
                       ("postgresql://u@h:99999/d", "端口"), ("postgresql://u@h/d?sslmode=x", "参数")]:
        with pytest.raises(DatabaseError, match=words):
            parse(bad)
    assert isinstance(target("postgresql://u@h/d"), ServerUrl)


def test_open_migrates_an_empty_database_to_head(pg_empty_url, server_home):
    from db.migrate import known_revisions, open_database
    from db.seal_spec import SEALED

    db = open_database(pg_empty_url, key_home=server_home / "servers")
    try:
        with db.engine.connect() as conn:
            revs = {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
            triggers = conn.execute(text("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'ledger_seal_%'")).scalar()
        assert revs == set(known_revisions()[1])
        assert triggers == len(SEALED)  # one seal trigger per sealed table
        assert db.is_server and PASSWORD not in db.where
        assert (server_home / "servers").is_dir()  # this client's key folder for the server database
    finally:
        db.dispose()


def test_two_clients_opening_an_empty_database_at_once_one_migrates(pg_empty_url, server_home):
    from db.migrate import known_revisions, open_database

    results: list[object] = []

    def client():
        try:
            db = open_database(pg_empty_url, key_home=server_home / "servers")
            with db.engine.connect() as conn:
                results.append({r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))})
            db.dispose()
        except Exception as e:
            results.append(e)

    threads = [threading.Thread(target=client) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert results == [set(known_revisions()[1])] * 2


def test_a_database_from_a_newer_version_is_refused(pg_server, pg_url, server_home):
    from db.migrate import open_database

    open_database(pg_url, key_home=server_home / "servers").dispose()
    name = pg_url.rsplit("/", 1)[1]
    pg_server.psql("UPDATE alembic_version SET version_num = '9999_future'", name)
    with pytest.raises(DatabaseError, match="更新版本"):
        open_database(pg_url, key_home=server_home / "servers")
    assert pg_server.psql("SELECT version_num FROM alembic_version", name) == "9999_future"


def test_cli_on_the_server_and_a_wrong_password_never_printed(pg_server, pg_url, server_home):
    r = run(pg_url, "init", "--unit", "县委组织部")  # type: ignore[arg-type]
    assert r.returncode == 0, r.stderr
    assert PASSWORD not in r.stdout + r.stderr
    wrong = pg_url.replace("%E6%B5%8B", "%E6%B5%8C")  # one byte of the password changed
    p = run_process(wrong, "orgs", "list")  # type: ignore[arg-type]
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "密码" in p.stderr
    assert "测试" not in p.stderr and "%E6" not in p.stderr


def test_the_password_can_come_from_a_pgpass_file(pg_server, pg_url, server_home, tmp_path, monkeypatch):
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{pg_server.port}:*:postgres:{PASSWORD}\n", encoding="utf-8")
    pgpass.chmod(0o600)
    no_password = pg_server.url(pg_url.rsplit("/", 1)[1], password=False)
    assert "%E6" not in no_password
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))
    p = run_process(no_password, "init", "--unit", "县委组织部")  # type: ignore[arg-type]
    assert p.returncode == 2 and "密码" in p.stderr  # no pgpass yet, and no terminal to ask on
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    p = run_process(no_password, "init", "--unit", "县委组织部")  # type: ignore[arg-type]
    assert p.returncode == 0, p.stderr
