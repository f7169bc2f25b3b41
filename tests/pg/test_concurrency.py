"""Several clients of one server database at once, each in its own process (tests/pg/child_client.py)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from app.services.kernel import audit, locks
from app.services.register import orgs
from app.services.safety import integrity
from app.services.scoring.scores import ScoreEntry, write_scores
from tests.cli.test_cli import run
from tests.conftest import db_arg

CHILD = Path(__file__).with_name("child_client.py")
ROOT = Path(__file__).resolve().parents[2]
# Writes per writer in the 4-writer test: the 4 × 500 (about 25 s on an idle 2-core machine,
# where the server takes 80–95 writes/s from 4 clients; see BENCHMARKS.md).
WRITES = int(os.environ.get("DANGJIAN_TEST_WRITES", "500"))


def _start(lg, user: str, mode: str, arg: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(CHILD), db_arg(lg), user, mode, arg], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _finish(p: subprocess.Popen, timeout: float = 600) -> str:
    out, err = p.communicate(timeout=timeout)
    assert p.returncode == 0, err
    return out


def _count(lg, sql: str, **params) -> int:
    with lg.db.read() as s:
        return s.execute(text(sql), params).scalar()


def _all_checks_pass(lg) -> None:
    ok, message = audit.verify_chain(lg)
    assert ok, message
    finding, problems, _ = integrity.check_seals(lg)
    assert finding.ok and problems == 0, finding.detail
    r = run(db_arg(lg), "verify-audit")  # type: ignore[arg-type]
    assert r.returncode == 0, r.stdout


def test_two_townships_enter_200_scores_each_at_once(pg_ledger):
    for town in "XY":
        orgs.add_org(pg_ledger, code=f"{town}0", name=f"{town}镇党委", sector="村(社区)", kind="党委", parent="00")
        for i in range(1, 10):
            orgs.add_org(pg_ledger, code=f"{town}{i}", name=f"{town}镇第{i}村党支部", sector="村(社区)",
                         parent=f"{town}0")
    clients = [_start(pg_ledger, f"{town}镇录入员", "cells", ",".join(f"{town}{i}" for i in range(1, 10)))
               for town in "XY"]
    outs = [_finish(p) for p in clients]
    assert all("DONE 200" in out for out in outs)
    assert _count(pg_ledger, "SELECT count(*) FROM monthly_scores WHERE year = 2026") == 400
    assert _count(pg_ledger, "SELECT count(*) FROM audit_log WHERE action = '录入积分'") == 400
    _all_checks_pass(pg_ledger)


def test_four_writers_keep_one_unbroken_chain(pg_ledger):
    for n in range(4):
        orgs.add_org(pg_ledger, code=f"W{n}", name=f"第{n}支部", sector="村(社区)", parent="P1")
    before = _count(pg_ledger, "SELECT count(*) FROM audit_log WHERE action = '录入积分'")
    clients = [_start(pg_ledger, f"录入员{n}", "writes", f"{WRITES}:W{n}") for n in range(4)]
    outs = [_finish(p, timeout=1200) for p in clients]
    assert all(f"DONE {WRITES}" in out for out in outs)
    assert _count(pg_ledger, "SELECT count(*) FROM audit_log WHERE action = '录入积分'") == before + 4 * WRITES
    # One chain: every entry's predecessor is the entry just before it (no fork).
    assert _count(pg_ledger, "SELECT count(*) FROM audit_log a JOIN audit_log b ON b.id = "
                             "(SELECT max(id) FROM audit_log c WHERE c.id < a.id) WHERE a.prev_hash <> b.hash") == 0
    _all_checks_pass(pg_ledger)


def test_no_write_lands_after_a_month_lock_commits(pg_ledger):
    clerks = [_start(pg_ledger, f"录入员{n}", "month", "5") for n in range(2)]
    for p in clerks:
        assert p.stdout.readline().strip() == "READY"
    deadline = time.monotonic() + 60
    while _count(pg_ledger, "SELECT count(*) FROM audit_log WHERE action = '录入积分'") < 10:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    locks.lock_month(pg_ledger, 2026, 5)
    outs = [_finish(p) for p in clerks]
    assert all("REFUSED" in out and "锁定" in out for out in outs)
    lock_id = _count(pg_ledger, "SELECT id FROM audit_log WHERE action = '锁定月份'")
    assert _count(pg_ledger, "SELECT count(*) FROM audit_log WHERE action = '录入积分' AND summary LIKE '2026-05%' "
                             "AND id > :lock", lock=lock_id) == 0
    with pytest.raises(Exception, match="锁定"):
        write_scores(pg_ledger, 2026, [ScoreEntry("B1", "KF01", 5, count=99)])
    _all_checks_pass(pg_ledger)


def test_sigkill_of_a_client_mid_transaction_is_all_or_nothing_and_frees_the_lock(pg_demo_ledger, monkeypatch):
    monkeypatch.setenv("DANGJIAN_WRITE_WAIT_S", "20")
    rng = random.Random(11)
    outcomes = []
    for n in range(1, 6):
        before = _count(pg_demo_ledger, "SELECT count(*) FROM monthly_scores WHERE year = 2026 AND manual_count = :n",
                        n=100 + n)
        p = _start(pg_demo_ledger, "被中断的客户端", "batch", str(100 + n))
        line = p.stdout.readline()
        while line and not line.startswith("BEGIN"):
            line = p.stdout.readline()
        cells = int(line.split()[1])
        time.sleep(rng.uniform(0.0, 1.5))
        p.send_signal(signal.SIGKILL)
        p.wait(30)
        got = _count(pg_demo_ledger, "SELECT count(*) FROM monthly_scores WHERE year = 2026 AND manual_count = :n",
                     n=100 + n) - before
        assert got in (0, cells), f"half a batch: {got} of {cells}"
        outcomes.append(got == cells)
        # The lock went with the killed connection: the next write goes through at once.
        write_scores(pg_demo_ledger, 2026, [ScoreEntry("QS0101", "KF01", 12, count=n)])
    _all_checks_pass(pg_demo_ledger)
    assert len(outcomes) == 5
