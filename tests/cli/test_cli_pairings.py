"""`pairings ...` (issue 17.7): bad input exits 2 with one Chinese line naming the rule and writes
nothing; `check --json` is the contract {"leader", "helped", "year", "rule", "message"}, `[]` when clean."""

from __future__ import annotations

import json

import pytest

from .test_cli import run


@pytest.fixture
def town(tmp_path):
    db = tmp_path / "cli.sqlite"
    assert run(db, "init", "--unit", "测试党工委").returncode == 0
    for args in (
        ("--code", "P1", "--name", "机关党委", "--sector", "机关事业单位", "--kind", "党委", "--parent", "00"),
        ("--code", "B1", "--name", "财政局党支部", "--sector", "机关事业单位", "--parent", "P1", "--class", "B"),
        ("--code", "P2", "--name", "社区综合党委", "--sector", "村(社区)", "--kind", "党委", "--parent", "00"),
        ("--code", "A1", "--name", "税务局党支部", "--sector", "机关事业单位", "--parent", "P1", "--class", "A"),
        ("--code", "N1", "--name", "华信电子党支部", "--sector", "非公企业", "--parent", "P2", "--class", "A"),
        ("--code", "C1", "--name", "青山村党支部", "--sector", "村(社区)", "--parent", "P2", "--class", "C"),
        ("--code", "C2", "--name", "河西村党支部", "--sector", "村(社区)", "--parent", "P2", "--class", "C"),
    ):
        assert run(db, "orgs", "add", *args).returncode == 0, args
    return db


def _pairs(path) -> list:
    return json.loads(run(path, "pairings", "list", "--year", "2026", "--json").stdout)


@pytest.mark.parametrize("args,rule", [
    (("--leader", "A1", "--helped", "A1"), "不能与自己结对"),
    (("--leader", "B1", "--helped", "C1"), "牵头方分类"),
    (("--leader", "A1", "--helped", "N1"), "被帮扶方分类"),
    (("--leader", "N1", "--helped", "C1"), "牵头方领域"),
    (("--leader", "P2", "--helped", "C1"), "组织层级一致"),
    (("--leader", "A1", "--helped", "C1", "--goal", "联谊"), "共建内容"),
    (("--leader", "A1", "--helped", "C1", "--start", "2026-09-01", "--end", "2026-02-01"), "结对起止日期"),
])
def test_each_refusal_is_one_line_exit_2_nothing_written(town, args, rule):
    r = run(town, "pairings", "add", "--year", "2026", *args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and f"不符合结对规则“{rule}”" in lines[0], r.stderr
    assert _pairs(town) == []


def test_year_after_next_and_unknown_organisation(town):
    r = run(town, "pairings", "add", "--year", "2028", "--leader", "A1", "--helped", "C1")
    assert r.returncode == 2 and "结对年份" in r.stderr
    r = run(town, "pairings", "add", "--year", "2026", "--leader", "ZZ", "--helped", "C1")
    assert r.returncode == 2 and "找不到组织编码为“ZZ”" in r.stderr
    assert _pairs(town) == []


def test_add_list_check_suggest_remove(town):
    r = run(town, "pairings", "add", "--year", "2026", "--leader", "A1", "--helped", "C1", "--goal", "阵地联用",
            "--goal", "活动联办")
    assert r.returncode == 0, r.stderr
    r = run(town, "pairings", "add", "--year", "2026", "--leader", "A1", "--helped", "C1")
    assert r.returncode == 2 and "已结对" in r.stderr
    pairs = _pairs(town)
    assert [(p["leader"], p["helped"], p["goals"]) for p in pairs] == [("A1", "C1", ["阵地联用", "活动联办"])]
    assert json.loads(run(town, "pairings", "check", "--year", "2026", "--json").stdout) == []
    sug = json.loads(run(town, "pairings", "suggest", "--year", "2026", "--json").stdout)
    assert [(s["helped"], s["leader"]) for s in sug] == [("C2", "A1")]
    # the leader becomes class B: check names it
    assert run(town, "orgs", "class", "--code", "A1", "--year", "2026", "--class", "B").returncode == 0
    found = json.loads(run(town, "pairings", "check", "--year", "2026", "--json").stdout)
    assert found == [{"leader": "A1", "helped": "C1", "year": 2026, "rule": "leader_class",
                      "message": found[0]["message"]}]
    assert "牵头方分类" in found[0]["message"]
    assert run(town, "pairings", "remove", "--id", str(pairs[0]["id"])).returncode == 0
    assert _pairs(town) == []


def test_rules_allow_b_leaders(town):
    assert run(town, "pairings", "add", "--year", "2026", "--leader", "B1", "--helped", "C1").returncode == 2
    r = run(town, "pairings", "rules", "--year", "2026", "--allow-b", "yes", "--json")
    assert json.loads(r.stdout) == {"year": 2026, "allow_b_leader": True, "sector": "机关事业单位", "set_in": 2026}
    assert run(town, "pairings", "add", "--year", "2026", "--leader", "B1", "--helped", "C1").returncode == 0


def test_print_writes_the_table(town, tmp_path):
    assert run(town, "pairings", "add", "--year", "2026", "--leader", "A1", "--helped", "C1").returncode == 0
    out = tmp_path / "结对.pdf"
    r = run(town, "pairings", "print", "--year", "2026", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:5] == b"%PDF-"
