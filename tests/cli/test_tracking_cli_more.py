"""Issue 18, what was left, through the command line: tracking dates in a locked month → exit 2 naming the
lock, nothing written; a wrong log entry deleted (projects log-remove / tasks log-remove), refused in a
locked month, leaving a tombstone."""

from __future__ import annotations

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
