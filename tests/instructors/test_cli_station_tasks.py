"""`instructor-tasks` as a user runs it: the feedback JSON contract, and bad input (month format, due before issued,
unknown station or instructor) → exit 2, one Chinese line, no task and no audit entry written."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_cli import run

from .test_cli_instructors import STATION, db, ok

__all__ = ["db"]


def rows(path: Path) -> tuple[int, int]:
    con = sqlite3.connect(path)
    try:
        return tuple(con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("key_tasks", "audit_log"))
    finally:
        con.close()


def test_issue_done_and_feedback_json(db):
    got = json.loads(ok(db, "instructor-tasks", "issue", "--month", "2026-03", "--station", STATION,
                        "--task", "走访新招商企业|2026-03-20", "--task", "报送工作简报", "--to", "全体指导员", "--json"))
    assert (got["month"], got["tasks"], got["owners"]) == ("2026-03", 4, 2)
    ok(db, "instructor-tasks", "issue", "--month", "2026-03", "--station", STATION, "--task", "站务例会|2026-03-05|")
    listed = json.loads(ok(db, "instructor-tasks", "list", "--month", "2026-03", "--json"))
    assert [(x["instructor"], x["title"]) for x in listed][:2] == [(None, "站务例会"), ("张明", "走访新招商企业")]
    first = next(x for x in listed if x["instructor"] == "张明" and x["title"] == "走访新招商企业")
    done = json.loads(ok(db, "instructor-tasks", "done", "--id", str(first["id"]), "--on", "2026-03-18",
                         "--evidence", "走访记录 4 份", "--json"))
    assert (done["status"], done["done_on"]) == ("已完成", "2026-03-18")
    fb = json.loads(ok(db, "instructor-tasks", "feedback", "--month", "2026-03", "--json"))
    assert {k: fb[k] for k in ("month", "total", "done", "on_time", "overdue", "open", "rate")} == {
        "month": "2026-03", "total": 5, "done": 1, "on_time": 1, "overdue": 4, "open": 0, "rate": "20.0"}
    (st,) = fb["stations"]
    assert st["station"] == STATION and [(x["instructor"], x["done"], x["total"], x["rate"]) for x in st["lines"]] == [
        (None, 0, 1, "0.0"), ("张明", 1, 2, "50.0"), ("李华", 0, 2, "0.0")]
    assert "张明：1/2 完成" in ok(db, "instructor-tasks", "feedback", "--month", "2026-03")
    assert json.loads(ok(db, "tasks", "list", "--month", "2026-03", "--json")) == []  # not an organisation's task
    ok(db, "instructor-tasks", "remove", "--id", str(first["id"]))
    assert len(json.loads(ok(db, "instructor-tasks", "list", "--month", "2026-03", "--json"))) == len(listed) - 1
    before = rows(db)
    r = run(db, "instructor-tasks", "remove", "--id", "x1")
    assert r.returncode == 2 and "任务编号应为整数" in r.stderr and rows(db) == before


@pytest.mark.parametrize(("args", "match"), [
    (("--month", "2026-3x", "--station", STATION, "--task", "走访"), "月份应为“年-月”，如 2026-11，收到“2026-3x”"),
    (("--month", "2026-03", "--station", "无此站", "--task", "走访"), "找不到指导站“无此站”"),
    (("--month", "2026-03", "--station", STATION, "--task", "走访|2026-02-28"),
     "任务“走访”的完成时限 2026-02-28 早于交办日期 2026-03-01"),
    (("--month", "2026-03", "--station", STATION, "--task", "走访|2026-03-10", "--issued", "2026-03-12"),
     "早于交办日期 2026-03-12"),
    (("--month", "2026-03", "--station", STATION, "--task", "走访", "--to", "张明、赵六"), "找不到指导员“赵六”"),
    (("--month", "2026-03", "--station", STATION), "没有任何任务"),
])
def test_bad_input_exit_2_one_line_nothing_written(db, args, match):
    before = rows(db)
    r = run(db, "instructor-tasks", "issue", *args)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and match in lines[0], r.stderr
    assert rows(db) == before


def test_feedback_of_a_bad_month_is_refused(db):
    r = run(db, "instructor-tasks", "feedback", "--month", "2026-00")
    assert r.returncode == 2 and "月份应为“年-月”" in r.stderr


def test_signing_off_station_by_station(db):
    ok(db, "instructor-log", "add", "--week", "2025-W10", "--instructor", "张明", "--b-days", "3", "--visited", "2")
    before = rows(db)
    r = run(db, "instructor-grades", "--year", "2025", "--signoff", "站内核实", "--by", "李站长", "--station", STATION)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and f"2025 年“{STATION}”下一步是“小组统计”" in lines[0]
    assert rows(db) == before
    got = json.loads(ok(db, "instructor-grades", "--year", "2025", "--signoff", "小组统计", "--by", "吴组长",
                        "--station", STATION, "--json"))
    assert got["by_station"] and got["next_step"] is None and not got["final"]
    assert [(x["station"], x["next_step"]) for x in got["stations"]] == [(STATION, "站内核实")]
    r = run(db, "instructor-grades", "--year", "2025", "--signoff", "站内核实", "--by", "李站长")
    assert r.returncode == 2 and "已按指导站逐站签认" in r.stderr
    assert "下一步：站内核实" in ok(db, "instructor-grades", "--year", "2025")
    ok(db, "instructor-grades", "--year", "2025", "--reopen", "--station", STATION, "--reason", "漏报")
    assert json.loads(ok(db, "instructor-grades", "--year", "2025", "--json"))["by_station"] is False
