"""The 书记项目 / 重点任务 commands as scripts use them (issue 18.6): the JSON contract, and every bad input
listed there → exit 2, one Chinese line on stderr, nothing written (the audit trail and the tables unchanged)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.cli.test_cli import run

TODAY = date.today()
FUTURE = (TODAY + timedelta(days=5)).isoformat()
Y = TODAY.year


def _state(db: Path) -> tuple:
    with sqlite3.connect(db) as con:
        return tuple(con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in (
            "audit_log", "secretary_projects", "tracking_milestones", "tracking_logs", "key_tasks", "meetings",
            "monthly_scores"))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.sqlite"
    for args in (("init", "--unit", "测试党工委"),
                 ("orgs", "add", "--code", "P1", "--name", "机关党委", "--sector", "机关事业单位", "--kind", "党委",
                  "--parent", "00"),
                 ("orgs", "add", "--code", "B1", "--name", "财政局党支部", "--sector", "机关事业单位", "--parent", "P1",
                  "--class", "B"),
                 ("orgs", "add", "--code", "B2", "--name", "教育局党支部", "--sector", "机关事业单位", "--parent", "P1",
                  "--class", "B")):
        assert run(path, *args).returncode == 0
    return path


def _add(db, *extra, **kw):
    values = {"--year": str(Y), "--title": "红色物业", "--level": "支部书记项目", "--type": "重点", "--lead": "B1",
              "--start": f"{Y}-01-01", "--end": f"{Y}-12-31", "--goal": "全覆盖", "--measures": "一月一议",
              "--declared": f"{Y}-01-01"} | kw
    return run(db, "projects", "add", *[x for kv in values.items() for x in kv], *extra)


def _json(result):
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_project_through_the_command_line(db):
    pid = _json(_add(db, "--json"))["id"]
    assert _add(db).stdout.strip() == str(pid + 1)  # plain: just the id
    early = (TODAY - timedelta(days=3)).isoformat()
    mid = _json(run(db, "projects", "milestone", "add", "--project", str(pid), "--title", "调研", "--due", early,
                    "--json"))["id"]
    assert run(db, "projects", "approve", "--id", str(pid), "--decided", f"{Y}-01-02").returncode == 0
    assert run(db, "projects", "log", "--project", str(pid), "--progress", "40", "--note", "推进中").returncode == 0
    board = _json(run(db, "projects", "board", "--year", str(Y), "--json"))
    assert board[0] == {"id": pid, "title": "红色物业", "type": "重点", "status": "推进中", "lagging": True,
                        "due_soon": False, "milestones_done": 0, "milestones_total": 1}
    assert board[1]["status"] == "申报" and board[1]["lagging"] is False
    assert run(db, "projects", "milestone", "done", "--id", str(mid), "--on", early, "--evidence", "报告").returncode == 0
    assert run(db, "projects", "close", "--id", str(pid), "--summary", "成效明显").returncode == 0
    shown = _json(run(db, "projects", "show", "--id", str(pid), "--json"))
    assert shown["status"] == "已完成" and shown["milestones"][0]["done_on"] == early and shown["logs"][0]["progress"] == 40
    assert [p["id"] for p in _json(run(db, "projects", "list", "--year", str(Y), "--json"))] == [pid, pid + 1]


def test_tasks_lists_and_meetings_through_the_command_line(db, tmp_path):
    month = f"{Y}-{TODAY.month:02d}"
    tid = _json(run(db, "tasks", "add", "--title", "报送材料", "--owner", "B1", "--issued", TODAY.isoformat(),
                    "--due", TODAY.isoformat(), "--json"))["id"]
    assert run(db, "tasks", "done", "--id", str(tid), "--evidence", "回执").returncode == 0
    wb = Workbook()
    ws = wb.active
    ws.append(["任务名称", "完成时限", "责任单位编码", "责任人"])
    ws.append(["学习全会精神", None, "B1、B2", "组织委员"])
    ws.append(["更新党员信息", None, None, None])
    path = tmp_path / "清单.xlsx"
    wb.save(path)
    issued = _json(run(db, "task-lists", "issue", "--month", month, "--to", "B2", "--task", "走访党员",
                       "--from-file", str(path), "--json"))
    assert (issued["tasks"], issued["owners"]) == (4, 2)  # 走访党员→B2, 学习→B1+B2, 更新→B2
    fb = _json(run(db, "task-lists", "feedback", "--month", month, "--json"))
    assert (fb["total"], fb["done"]) == (4, 0) and {o["owner"]: o["total"] for o in fb["owners"]} == {"B1": 1, "B2": 3}
    mid = _json(run(db, "meetings", "add", "--date", TODAY.isoformat(), "--title", "例会", "--site", "幸福村",
                    "--speaker", "张三:经验交流", "--speaker", "李四:表态发言", "--problem", f"B1:记录不全:{FUTURE}",
                    "--json"))["id"]
    (m,) = _json(run(db, "meetings", "list", "--json"))
    assert (m["id"], m["speeches"], m["exchanges"], m["pledges"], m["rectifications"]) == (mid, 2, 1, 1, 1)
    listed = _json(run(db, "tasks", "list", "--owner", "B1", "--json"))
    assert {t["source"] for t in listed} == {"上级交办", "月度任务清单", "例会表态"}


BAD = [
    ("unknown type", lambda db: _add(db, **{"--type": "特色"}), "项目类型“特色”无效"),
    ("unknown level", lambda db: _add(db, **{"--level": "村级"}), "项目层级“村级”无效"),
    ("end before start", lambda db: _add(db, **{"--end": f"{Y}-01-01", "--start": f"{Y}-02-01"}), "结束日期"),
    ("milestone outside", lambda db: run(db, "projects", "milestone", "add", "--project", "1", "--title", "x",
                                         "--due", f"{Y + 1}-01-05"), "不在项目"),
    ("progress over 100", lambda db: run(db, "projects", "log", "--project", "2", "--progress", "101", "--note", "x"),
     "进度应为 0–100"),
    ("progress not a number", lambda db: run(db, "projects", "log", "--project", "2", "--progress", "半", "--note", "x"),
     "进度应为 0–100 的整数"),
    ("progress down without reason", lambda db: run(db, "projects", "log", "--project", "2", "--progress", "10",
                                                    "--note", "x"), "需要说明原因"),
    ("done date in the future", lambda db: run(db, "projects", "milestone", "done", "--id", "1", "--on", FUTURE),
     "晚于今天"),
    ("closing with open milestones", lambda db: run(db, "projects", "close", "--id", "2", "--summary", "好"),
     "个节点未完成"),
    ("立项 without 方案", lambda db: run(db, "projects", "approve", "--id", "1", "--decided", f"{Y}-01-02"),
     "方案不完整"),
    ("task due before issued", lambda db: run(db, "tasks", "add", "--title", "x", "--owner", "B1", "--issued",
                                              f"{Y}-03-02", "--due", f"{Y}-03-01"), "早于交办日期"),
    ("task unknown source", lambda db: run(db, "tasks", "add", "--title", "x", "--owner", "B1", "--source", "口头",
                                           "--issued", f"{Y}-03-02", "--due", f"{Y}-03-09"), "任务来源"),
    ("list bad month", lambda db: run(db, "task-lists", "issue", "--month", f"{Y}-13", "--to", "B1", "--task", "x"),
     "月份应为"),
    ("list unknown owner", lambda db: run(db, "task-lists", "issue", "--month", f"{Y}-03", "--to", "B1,ZZ",
                                          "--task", "x"), "找不到组织编码为“ZZ”"),
    ("meeting bad speaker", lambda db: run(db, "meetings", "add", "--date", f"{Y}-01-05", "--title", "例会",
                                           "--speaker", "张三:批评"), "发言类型"),
    ("type change after 立项 without reason", lambda db: run(db, "projects", "update", "--id", "2", "--type", "改薄"),
     "需要说明理由"),
]


@pytest.mark.parametrize(("case", "call", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_exits_2_with_one_chinese_line_and_writes_nothing(db, case, call, message):
    # project 1: declared without a 方案; project 2: 立项 with an open milestone and progress 50
    _add(db, **{"--goal": "", "--measures": ""})
    _add(db, **{"--title": "二号项目"})
    run(db, "projects", "milestone", "add", "--project", "2", "--title", "验收", "--due", f"{Y}-12-01")
    run(db, "projects", "approve", "--id", "2", "--decided", f"{Y}-01-02")
    run(db, "projects", "log", "--project", "2", "--progress", "50", "--note", "x", "--on", f"{Y}-01-03")
    before = _state(db)
    r = call(db)
    assert r.returncode == 2, (case, r.stdout, r.stderr)
    assert r.stderr.startswith("错误：") and r.stderr.count("\n") == 1 and message in r.stderr, r.stderr
    assert _state(db) == before


def test_a_bad_task_list_sheet_is_refused_naming_the_row_and_nothing_is_written(db, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["任务名称", "完成时限", "责任单位编码"])
    ws.append(["学习全会精神", f"{Y}-03-20", "B1"])
    ws.append(["倒挂任务", f"{Y}-02-10", "B1"])
    good_then_bad = tmp_path / "清单.xlsx"
    wb.save(good_then_bad)
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(good_then_bad.read_bytes()[:300])
    wrong = Workbook()
    wrong.active.append(["序号", "内容说明"])
    wrong.active.append(["1", "x"])
    wrong_path = tmp_path / "表头.xlsx"
    wrong.save(wrong_path)
    before = _state(db)
    for path, message in ((good_then_bad, "第 3 行：任务“倒挂任务”的完成时限"), (broken, "不完整或已损坏"),
                          (wrong_path, "缺少“任务名称”列")):
        r = run(db, "task-lists", "issue", "--month", f"{Y}-03", "--from-file", str(path))
        assert r.returncode == 2 and r.stderr.count("\n") == 1 and message in r.stderr, r.stderr
    assert _state(db) == before


def test_removals_through_the_command_line(db):
    pid = _json(_add(db, "--json"))["id"]
    mid = _json(run(db, "projects", "milestone", "add", "--project", str(pid), "--title", "调研", "--due",
                    f"{Y}-06-30", "--json"))["id"]
    assert run(db, "projects", "milestone", "remove", "--id", str(mid)).returncode == 0
    assert run(db, "projects", "remove", "--id", str(pid)).returncode == 0
    assert _json(run(db, "projects", "list", "--json")) == []
    with sqlite3.connect(db) as con:
        kinds = {r[0] for r in con.execute("SELECT entity FROM tombstones")}
    assert {"projects", "milestones"} <= kinds
    r = run(db, "tasks", "remove", "--id", "99")
    assert r.returncode == 2 and "找不到编号为 99 的重点任务" in r.stderr
