"""The 指导员 commands as a user runs them: the JSON contract, and every bad input of issue 19.8 → exit 2,
one Chinese line, nothing written."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_cli import run

STATION = "开发区党建工作指导站"
TABLES = ("instructor_stations", "instructors", "guidance_targets", "instructor_assignments", "instructor_weekly_logs",
          "instructor_visits", "instructor_tickets", "instructor_schemes", "instructor_grades",
          "instructor_grade_signoffs", "audit_log")


def counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def ok(db: Path, *args: str) -> str:
    r = run(db, *args)
    assert r.returncode == 0, r.stderr
    return r.stdout


def refused(db: Path, *args: str, match: str, login: bool = False) -> str:
    """Exit 2, one line naming the problem, and not a row written anywhere (the audit log included; with
    accounts, only the login's own entry)."""
    before = counts(db)
    r = run(db, *args)
    assert r.returncode == 2, r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and match in lines[0], r.stderr
    after = counts(db)
    if login:
        con = sqlite3.connect(db)
        assert con.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone() == ("登录",)
        con.close()
        after["audit_log"] -= 1
    assert after == before
    return lines[0]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ins.sqlite"
    ok(path, "init", "--unit", "测试经开区党工委")
    ok(path, "orgs", "add", "--code", "P2", "--name", "开发区非公党委", "--sector", "非公企业", "--kind", "党委",
       "--parent", "00")
    ok(path, "orgs", "add", "--code", "N1", "--name", "甲机械公司党支部", "--sector", "非公企业", "--parent", "P2",
       "--class", "B")
    ok(path, "instructors", "station", "--name", STATION, "--org", "P2")
    ok(path, "instructors", "add", "--name", "张明", "--station", STATION, "--source", "市派", "--mode", "专职",
       "--group", "第一组")
    ok(path, "instructors", "add", "--name", "李华", "--station", STATION, "--source", "县(区)派", "--mode", "兼职")
    ok(path, "instructors", "target", "--name", "丙科技有限公司", "--committee", "P2", "--tags", "规上、互联网")
    return path


def test_register_assign_and_coverage_json(db):
    listed = json.loads(ok(db, "instructors", "list", "--json"))
    assert [(x["name"], x["mode"], x["station"]) for x in listed] == [("张明", "专职", STATION), ("李华", "兼职", STATION)]
    got = json.loads(ok(db, "instructors", "assign", "--instructor", "张明", "--org", "N1", "--from", "2025-01-01",
                        "--json"))
    assert (got["kind"], got["org"], got["start"], got["end"]) == ("党组织", "N1", "2025-01-01", None)
    cov = json.loads(ok(db, "instructors", "coverage", "--on", "2026-06-01", "--json"))
    assert {k: cov[k] for k in ("covered", "total", "percent")} == {"covered": 1, "total": 2, "percent": "50.0"}
    assert cov["uncovered"] == [{"kind": "指导对象", "org": None, "name": "丙科技有限公司", "committee": "开发区非公党委"}]
    assert "丙科技有限公司：建议" in ok(db, "instructors", "suggest")


def test_bad_register_input_is_refused_whole(db):
    ok(db, "instructors", "assign", "--instructor", "张明", "--target", "丙科技有限公司", "--from", "2026-01-01")
    refused(db, "instructors", "assign", "--instructor", "李华", "--target", "丙科技有限公司", "--from", "2026-03-01",
            match="与新的指派日期重叠")
    refused(db, "instructors", "add", "--name", "赵六", "--station", STATION, "--source", "国派", "--mode", "专职",
            match="选派来源")
    refused(db, "instructors", "assign", "--instructor", "没有这人", "--org", "N1", match="找不到指导员")
    refused(db, "instructors", "assign", "--instructor", "李华", "--org", "N1", "--from", "2026-02-30",
            match="不是有效日期")
    refused(db, "instructors", "target", "--name", "戊公司", "--tags", "大厂", match="标签“大厂”无效")


def test_weekly_log_and_tickets_json(db):
    log = json.loads(ok(db, "instructor-log", "add", "--week", "2026-W10", "--instructor", "张明", "--b-days", "3",
                        "--visited", "2", "--problems", "1", "--visit", "丙科技有限公司|2026-03-03|指导组建", "--json"))
    assert (log["week"], log["b_days"], log["visits"][0]["date"]) == ("2026-W10", 3, "2026-03-03")
    assert [x["week"] for x in json.loads(ok(db, "instructor-log", "list", "--week", "2026-W10", "--json"))] == ["2026-W10"]
    month = json.loads(ok(db, "instructor-log", "month", "--year", "2026", "--month", "3", "--json"))
    (zhang,) = [x for x in month["lines"] if x["instructor"] == "张明"]
    assert (zhang["b_days"], zhang["visits"], zhang["weeks"]) == (3, 2, 1)
    t = json.loads(ok(db, "tickets", "add", "--instructor", "张明", "--target", "丙科技有限公司", "--content", "融资难",
                      "--on", "2026-03-03", "--json"))
    assert t["status"] == "收集"
    t = json.loads(ok(db, "tickets", "update", "--id", str(t["id"]), "--status", "办结", "--closed-on", "2026-03-20",
                      "--json"))
    assert (t["status"], t["closed_on"]) == ("办结", "2026-03-20")
    rates = json.loads(ok(db, "tickets", "rates", "--year", "2026", "--json"))
    assert rates[-1] == {"name": "合计", "level": "全部", "total": 1, "closed": 1, "percent": "100.0"}


def test_bad_weekly_and_ticket_input_is_refused_whole(db):
    refused(db, "instructor-log", "add", "--week", "2026-W54", "--instructor", "张明", "--visited", "1",
            match="2026 年只有第 1–53 周")
    refused(db, "instructor-log", "add", "--week", "2026-W10", "--instructor", "张明", "--solved", "-1",
            match="帮办解决不能为负数")
    refused(db, "instructor-log", "add", "--week", "2026-W10", "--instructor", "张明", "--visited", "x",
            match="走访企业必须是整数")
    refused(db, "instructor-log", "add", "--week", "2026-W10", "--instructor", "张明",
            "--visit", "丙科技有限公司|2026-03-10|指导", match="不在 2026-W10（2026-03-02—2026-03-08）之内")
    ok(db, "tickets", "add", "--instructor", "张明", "--target", "N1", "--content", "缺活动场地", "--on", "2026-03-03")
    ok(db, "tickets", "update", "--id", "1", "--status", "办理中")
    refused(db, "tickets", "update", "--id", "1", "--status", "交办", match="不能退回“交办”")
    refused(db, "tickets", "update", "--id", "1", "--status", "完成", match="状态“完成”无效")


def _graded_2025(db: Path) -> None:
    ok(db, "instructors", "assign", "--instructor", "张明", "--org", "N1", "--from", "2025-01-01", "--to", "2025-12-31")
    ok(db, "instructors", "assign", "--instructor", "李华", "--target", "丙科技有限公司", "--from", "2025-01-01",
       "--to", "2025-12-31", "--town")
    ok(db, "instructor-log", "add", "--week", "2025-W20", "--instructor", "张明", "--visited", "60",
       "--orgs-founded", "4", "--solved", "10")
    ok(db, "instructor-log", "add", "--week", "2025-W20", "--instructor", "李华", "--visited", "60",
       "--orgs-founded", "4", "--solved", "10")


def test_grades_sign_offs_and_subsidy(db, tmp_path):
    _graded_2025(db)
    got = json.loads(ok(db, "instructor-grades", "--year", "2025", "--json"))
    assert (got["final"], got["next_step"]) == (False, "小组统计")
    assert [(g["instructor"], g["points"], g["grade"]) for g in got["grades"]] == [("张明", "60.0", "合格"),
                                                                                   ("李华", "60.0", "合格")]
    refused(db, "subsidy", "--year", "2025", "--json", match="尚未最终认定")
    refused(db, "instructor-grades", "--year", "2025", "--signoff", "站内核实", "--by", "周站长",
            match="下一步是“小组统计”")
    refused(db, "instructor-grades", "--year", "2025", "--signoff", "小组统计", match="--by")
    for step, who in (("小组统计", "吴组长"), ("站内核实", "周站长"), ("党支部认定", "钱书记")):
        ok(db, "instructor-grades", "--year", "2025", "--signoff", step, "--by", who)
    rows = json.loads(ok(db, "subsidy", "--year", "2025", "--json"))
    assert rows == [
        {"instructor": "张明", "station": STATION, "mode": "专职", "grade": "合格", "months": 12, "base": "12000.00",
         "transport": "0.00", "total": "12000.00"},
        {"instructor": "李华", "station": STATION, "mode": "兼职", "grade": "合格", "months": 12, "base": "3600.00",
         "transport": "0.00", "total": "3600.00"},  # 镇域 transport is for 专职 only
    ]
    out = tmp_path / "补贴发放表.xlsx"
    ok(db, "subsidy", "--year", "2025", "-o", str(out))
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == "2025 年度党建工作指导员补贴发放表"
    assert values[3][:9] == [1, STATION, "张明", "专职", "合格", 12, 12000, 0, 12000]
    assert values[5][0] == "合计" and values[5][8] == 15600
    assert ws.cell(4, 7).number_format == "#,##0.00"
    refused(db, "subsidy", "--year", "2025", "-o", str(tmp_path / "x.csv"), match="只能导出 .xlsx 或 .pdf")


def test_a_clerk_may_not_sign_off(db, monkeypatch):
    from app.services.safety import users

    monkeypatch.setattr(users, "KDF", "scrypt:n=1024,r=8,p=1")
    _graded_2025(db)
    monkeypatch.setenv("DANGJIAN_NEW_PASSWORD", "secret1")
    ok(db, "users", "add", "张书记", "--role", "管理员")
    monkeypatch.setenv("DANGJIAN_PASSWORD", "secret1")
    monkeypatch.setenv("DANGJIAN_NEW_PASSWORD", "secret2")
    ok(db, "--user", "张书记", "users", "add", "小王", "--role", "录入员")
    monkeypatch.setenv("DANGJIAN_PASSWORD", "secret2")
    line = refused(db, "--user", "小王", "instructor-grades", "--year", "2025", "--signoff", "小组统计", "--by", "吴组长",
                   match="需要审核员或管理员权限", login=True)
    assert "小王（录入员）" in line
    ok(db, "--user", "小王", "instructor-log", "add", "--week", "2025-W21", "--instructor", "张明", "--visited", "1")


def test_paper_commands(db, tmp_path):
    out = tmp_path / "w.pdf"
    refused(db, "instructor-paper", "weekly", "--week", "2026-W54", "-o", str(out), match="2026 年只有第 1–53 周")
    refused(db, "instructor-paper", "subsidy", "--year", "2025", "-o", str(out), match="尚未最终认定")
    assert not out.exists()
    assert "共 2 页" in ok(db, "instructor-paper", "weekly", "--week", "2026-W10", "-o", str(out))
    assert "共 1 页" in ok(db, "instructor-paper", "tickets", "--year", "2026", "-o", str(tmp_path / "t.pdf"))
