"""copy-db: a ledger file to the county server and back; checks pass and every listing is identical."""

from __future__ import annotations

import shutil

from tests.cli.test_cli import run
from tests.pg.test_same_answers import COMMANDS


def test_copy_a_file_to_the_server_and_back(demo_file, pg_url, server_home, tmp_path):
    from db.url import parse

    src = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, src)
    shutil.copytree(demo_file.with_name(demo_file.name + ".keys"), src.with_name(src.name + ".keys"))
    server = str(parse(pg_url))  # no password on the command line: the pgpass file has it
    back = tmp_path / "back" / "copy.sqlite"

    r = run(src, "copy-db", str(src), server)
    assert r.returncode == 0 and "已复制" in r.stdout, r.stderr
    r = run(src, "copy-db", server, str(back))
    assert r.returncode == 0, r.stderr
    for where in (server, back):
        for command in ("check", "verify-audit"):
            r = run(where, command)  # type: ignore[arg-type]
            assert r.returncode == 0 and "✘" not in r.stdout, (where, command, r.stdout)
    for command in COMMANDS:
        answers = {run(where, *command).stdout for where in (src, server, back)}  # type: ignore[arg-type]
        assert len(answers) == 1, command

    again = run(src, "copy-db", str(src), server)
    assert again.returncode == 2 and "不是空的" in again.stderr and again.stderr.count("\n") == 1
    exists = run(src, "copy-db", server, str(back))
    assert exists.returncode == 2 and "已存在" in exists.stderr


def test_a_tampered_source_is_not_copied(pg_server, pg_demo_ledger, tmp_path):
    from tests.conftest import db_arg

    pg_server.psql("UPDATE monthly_scores SET manual_count = 7 WHERE id = (SELECT min(id) FROM monthly_scores "
                   "WHERE manual_count IS NOT NULL)", pg_demo_ledger.db.url.database)
    target = tmp_path / "copy.sqlite"
    r = run(db_arg(pg_demo_ledger), "copy-db", db_arg(pg_demo_ledger), str(target))  # type: ignore[arg-type]
    assert r.returncode == 2 and "没有通过核对" in r.stderr and "月度积分" in r.stderr
    assert not target.exists()
