"""incentives / awards / grants on the command line: the JSON contract, exit 2 with one Chinese line, nothing written."""

import json
import shutil
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.cli.test_cli import run


@pytest.fixture
def demo_db(demo_file, tmp_path):
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, path)
    shutil.copytree(demo_file.with_name(demo_file.name + ".keys"), path.with_name(path.name + ".keys"))
    return path


def _bad(r, words):
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0]


def test_incentives_json_contract_and_totals(demo_db, tmp_path):
    r = run(demo_db, "incentives", "--year", "2025", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert rows and {"org", "sector", "score", "final", "kind", "amount", "result"} <= set(rows[0])
    for row in rows:
        assert row["kind"] in ("奖补", "绩效")
        assert (row["amount"] is None) == (row["kind"] == "绩效")
    total = sum(Decimal(x["amount"]) for x in rows if x["kind"] == "奖补")
    out = tmp_path / "奖补.xlsx"
    r = run(demo_db, "incentives", "--year", "2025", "--confirm", "-o", str(out))
    assert r.returncode == 0 and f"合计 {total:.2f} 元" in r.stdout
    ws = load_workbook(out)["奖补兑现"]
    values = [row for row in ws.iter_rows(min_row=4, values_only=True)]
    assert values[-1][1] == "合计" and Decimal(str(values[-1][5])) == total
    assert sum(Decimal(str(v[5])) for v in values[:-1]) == total
    confirmed = json.loads(run(demo_db, "incentives", "--year", "2025", "--json").stdout)
    assert {x["status"] for x in confirmed} == {"已确认"}


def test_incentives_before_grades_are_confirmed_exit_2(demo_db):
    _bad(run(demo_db, "incentives", "--year", "2026"), "定级尚未确认")
    _bad(run(demo_db, "incentives", "--year", "2026", "--confirm"), "定级尚未确认")


def test_rules_show_and_set_and_bad_values(demo_db):
    r = run(demo_db, "incentives", "rules", "set", "--year", "2025", "--sector", "社会组织", "--class", "A",
            "--amount", "6500")
    assert r.returncode == 0, r.stderr
    shown = json.loads(run(demo_db, "incentives", "rules", "show", "--year", "2025", "--json").stdout)
    assert {"sector": "社会组织", "grade": "A", "amount": "6500.00"}.items() <= next(
        x for x in shown if x["sector"] == "社会组织" and x["grade"] == "A").items()
    _bad(run(demo_db, "incentives", "rules", "set", "--year", "2025", "--sector", "社会组织", "--class", "A",
             "--amount", "-1"), "不能为负数")
    _bad(run(demo_db, "incentives", "rules", "set", "--year", "2025", "--sector", "社会组织", "--class", "否决",
             "--amount", "10"), "金额必须为 0")
    _bad(run(demo_db, "incentives", "rules", "set", "--year", "2025", "--sector", "村(社区)", "--class", "A",
             "--amount", "10"), "绩效评定不填金额")
    again = json.loads(run(demo_db, "incentives", "rules", "show", "--year", "2025", "--json").stdout)
    assert again == shown


def test_grants_and_awards_add_list_export_and_refuse(demo_db, tmp_path):
    r = run(demo_db, "grants", "add", "--org", "QS0301", "--purpose", "培育党支部工作经费", "--amount", "5000",
            "--date", "2026-03-01")
    assert r.returncode == 0, r.stderr
    before = run(demo_db, "grants", "list", "--json").stdout
    _bad(run(demo_db, "grants", "add", "--org", "QS0301", "--purpose", "x", "--amount", "-5", "--date", "2026-03-01"),
         "不能为负数")
    _bad(run(demo_db, "grants", "add", "--org", "NOPE", "--purpose", "x", "--amount", "5", "--date", "2026-03-01"),
         "找不到组织编码")
    _bad(run(demo_db, "grants", "add", "--org", "QS0301", "--purpose", "x", "--amount", "5", "--date", "2026-13-01"),
         "不是有效日期")
    assert run(demo_db, "grants", "list", "--json").stdout == before
    out = tmp_path / "补助.xlsx"
    assert run(demo_db, "grants", "list", "--year", "2026", "-o", str(out)).returncode == 0
    assert load_workbook(out)["补助经费"]["D4"].value == "培育党支部工作经费"

    r = run(demo_db, "awards", "add", "--org", "QS0301", "--level", "县", "--date", "2026-05-04",
            "--title", "县级先进基层党组织", "--bonus")
    assert r.returncode == 0 and "已计入加分 JF01" in r.stdout
    listed = json.loads(run(demo_db, "awards", "list", "--year", "2026", "--json").stdout)
    assert any(a["title"] == "县级先进基层党组织" and a["bonus_item"] == "JF01" for a in listed)
    _bad(run(demo_db, "awards", "add", "--org", "NOPE", "--level", "县", "--date", "2026-05-04", "--title", "x"),
         "找不到组织编码")
    _bad(run(demo_db, "awards", "add", "--org", "QS0301", "--level", "区", "--date", "2026-05-04", "--title", "x"),
         "表彰级别")
    assert json.loads(run(demo_db, "awards", "list", "--year", "2026", "--json").stdout) == listed
