"""Issue 18, what was left, through the command line: tracking dates in a locked month → exit 2 naming the
lock, nothing written; a wrong log entry deleted (projects log-remove / tasks log-remove), refused in a
locked month, leaving a tombstone."""

from __future__ import annotations

import sqlite3

from tests.cli.test_cli import run
from tests.cli.test_tracking_cli import Y, _add, _json, _state, db  # noqa: F401  (db is a fixture)


def _running(db):  # noqa: F811
    pid = _json(_add(db, "--json"))["id"]
    mid = _json(run(db, "projects", "milestone", "add", "--project", str(pid), "--title", "调研", "--due",
                    f"{Y}-03-31", "--json"))["id"]
    assert run(db, "projects", "approve", "--id", str(pid), "--decided", f"{Y}-01-02").returncode == 0
    return pid, mid


def test_a_log_or_a_milestone_done_in_a_locked_month_exits_2_naming_the_lock(db):  # noqa: F811
    pid, mid = _running(db)
    assert run(db, "lock-month", "--year", str(Y), "--month", "2").returncode == 0
    before = _state(db)
    for args, field in (
            (("projects", "log", "--project", str(pid), "--progress", "30", "--note", "推进", "--on", f"{Y}-02-10"),
             f"调度日期 {Y}-02-10"),
            (("projects", "milestone", "done", "--id", str(mid), "--on", f"{Y}-02-11"), f"节点完成日期 {Y}-02-11")):
        r = run(db, *args)
        assert r.returncode == 2, r.stderr
        assert r.stderr.startswith(f"错误：{field}：{Y} 年 2 月已于") and "审核锁定" in r.stderr, r.stderr
        assert r.stderr.count("\n") == 1
    assert _state(db) == before
    assert run(db, "projects", "log", "--project", str(pid), "--progress", "30", "--note", "推进",
               "--on", f"{Y}-03-10").returncode == 0


def test_a_wrong_log_is_deleted_through_the_command_line_but_not_in_a_locked_month(db):  # noqa: F811
    pid, _mid = _running(db)
    out = run(db, "projects", "log", "--project", str(pid), "--progress", "40", "--note", "录错", "--on", f"{Y}-01-05")
    lid = int(out.stdout.split("[")[1].split("]")[0])
    shown = _json(run(db, "projects", "show", "--id", str(pid), "--json"))
    assert [lg["id"] for lg in shown["logs"]] == [lid]
    r = run(db, "projects", "log-remove", "--id", str(lid))
    assert r.returncode == 0 and f"已删除调度记录 {lid}" in r.stdout
    shown = _json(run(db, "projects", "show", "--id", str(pid), "--json"))
    assert shown["logs"] == [] and shown["status"] == "立项"
    with sqlite3.connect(db) as con:
        assert ("tracking_logs",) in set(con.execute("SELECT entity FROM tombstones"))
        assert con.execute("SELECT COUNT(*) FROM audit_log WHERE action = '删除调度记录'").fetchone()[0] == 1
    tid = _json(run(db, "tasks", "add", "--title", "报送材料", "--owner", "B1", "--issued", f"{Y}-01-02",
                    "--due", f"{Y}-01-31", "--json"))["id"]
    out = run(db, "tasks", "log", "--id", str(tid), "--progress", "50", "--note", "已起草", "--on", f"{Y}-01-06")
    tlid = int(out.stdout.split("[")[1].split("]")[0])
    assert run(db, "lock-month", "--year", str(Y), "--month", "1").returncode == 0
    before = _state(db)
    r = run(db, "tasks", "log-remove", "--id", str(tlid))
    assert r.returncode == 2 and r.stderr.startswith(f"错误：调度日期 {Y}-01-06：{Y} 年 1 月已于"), r.stderr
    assert _state(db) == before
    r = run(db, "projects", "log-remove", "--id", "x")
    assert r.returncode == 2 and "调度记录编号应为整数" in r.stderr


def test_the_dispatch_notice_prints_for_a_month_with_its_number(db, tmp_path):  # noqa: F811
    import pypdf

    _running(db)
    out = tmp_path / "调度通报.pdf"
    r = run(db, "tracking-print", "dispatch", "--month", f"{Y}-01", "--no", f"测党〔{Y}〕03号", "-o", str(out))
    assert r.returncode == 0, r.stderr
    text = "".join(p.extract_text() for p in pypdf.PdfReader(str(out)).pages).replace("\n", "").replace(" ", "")
    assert f"测党〔{Y}〕3号" in text and f"关于{Y}年1月书记项目推进情况的调度通报" in text
    r = run(db, "tracking-print", "dispatch", "--year", str(Y), "--month", f"{Y - 1}-12", "-o", str(tmp_path / "x.pdf"))
    assert r.returncode == 2 and f"月份 {Y - 1}-12 不在 {Y} 年" in r.stderr and not (tmp_path / "x.pdf").exists()
