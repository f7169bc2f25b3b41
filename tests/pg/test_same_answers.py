"""Same answers: the demo on the county server gives byte-for-byte the same JSON as on a file."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.cli.test_cli import run
from tests.conftest import db_arg

COMMANDS = [
    ("warnings", "--year", "2025", "--quarter", "1", "--json"),
    ("warnings", "--year", "2025", "--quarter", "4", "--json"),
    ("warnings", "--year", "2026", "--quarter", "2", "--json"),
    ("grades", "--year", "2025", "--json"),
    ("grades", "--year", "2024", "--json"),
    ("orgs", "list", "--json"),
    ("score", "list", "--org", "QS0101", "--year", "2025", "--json"),
    ("records", "list", "--org", "QS0203", "--year", "2025", "--json"),
    ("compliance", "--year", "2025", "--json"),
    ("scheme", "show", "--year", "2026", "--json"),
    # the tables of 结对共建, 结果运用, 书记项目/重点任务 and 党建指导员 (issues 17–19)
    ("pairings", "list", "--year", "2026", "--json"),  # uuids: made when each demo was loaded
    ("incentives", "--year", "2025", "--json"),
    ("awards", "list", "--year", "2025", "--json"),
    ("projects", "list", "--year", "2026", "--json"),
    ("board", "--year", "2026", "--json"),
    ("tasks", "list", "--json"),
    ("task-lists", "feedback", "--month", "2026-11", "--json"),
    ("meetings", "list", "--json"),
    ("instructors", "coverage", "--json"),
    ("instructor-log", "month", "--year", "2026", "--month", "10", "--json"),
    ("tickets", "rates", "--year", "2025", "--json"),
    ("instructor-grades", "--year", "2025", "--json"),  # sign-off times: when each demo was loaded
    ("subsidy", "--year", "2025", "--json"),
]


@pytest.fixture
def file_copy(demo_file, tmp_path):
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, path)
    shutil.copytree(demo_file.with_name(demo_file.name + ".keys"), path.with_name(path.name + ".keys"))
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_the_demo_answers_the_same_on_both(pg_demo_ledger, file_copy, command):
    on_file = run(file_copy, *command)
    on_server = run(db_arg(pg_demo_ledger), *command)  # type: ignore[arg-type]
    assert on_file.returncode == 0, on_file.stderr
    assert on_server.returncode == 0, on_server.stderr
    assert len(on_file.stdout) > 50
    if command[0] in LOAD_TIME:  # the two demos were loaded separately: drop what records that moment
        assert _without(json.loads(on_server.stdout)) == _without(json.loads(on_file.stdout))
    else:
        assert on_server.stdout == on_file.stdout


LOAD_TIME = {"pairings", "instructor-grades"}


def _without(value, keys=frozenset({"uuid", "at"})):
    """``value`` with the keys that record when and by which install a row was made removed."""
    if isinstance(value, dict):
        return {k: _without(v) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [_without(v) for v in value]
    return value


def test_chinese_names_sort_the_same_on_both(pg_ledger, ledger):
    from app.services.register import orgs

    names = ["张家村党支部", "阿里社区党支部", "𠮷祥社区党支部", "䶮山村党支部", "Z公司党支部", "中心校党支部", "一村党支部"]
    for lg in (ledger, pg_ledger):
        for i, name in enumerate(names):
            orgs.add_org(lg, code=f"C{i}", name=name, sector="村(社区)", parent="P1")
    sql = "SELECT name FROM organizations WHERE code LIKE 'C%' ORDER BY name"
    from sqlalchemy import text

    with ledger.db.read() as s:
        on_file = [r[0] for r in s.execute(text(sql))]
    with pg_ledger.db.read() as s:
        on_server = [r[0] for r in s.execute(text(sql))]
    assert on_server == on_file == sorted(names)
