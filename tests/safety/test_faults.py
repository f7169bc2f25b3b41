"""Faults: SIGKILL in the middle of big writes, two writers at once, tampering behind the app's back."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.services.opening import setup
from app.services.opening.setup import open_ledger
from app.services.register import orgs
from app.services.safety import integrity
from app.services.scoring import schemes

from . import child_writer

CHILD = Path(__file__).with_name("child_writer.py")
ROOT = Path(__file__).resolve().parents[2]
BRANCHES = 10
CELLS = BRANCHES * 12 * 2


@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fault") / "base.sqlite"
    lg = open_ledger(path)
    setup.initialize(lg, "故障测试党工委")
    orgs.add_org(lg, code="P1", name="测试党委", sector="机关事业单位", kind="党委", parent="00")
    for i in range(BRANCHES):
        orgs.add_org(lg, code=f"B{i:02d}", name=f"第{i}党支部", sector="村(社区)", parent="P1", category="B", year=2026)
    schemes.get_scheme(lg, 2026)
    lg.close()
    return path


def _child(db: Path, mode: str, value: int, go: Path | None = None) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    args = [sys.executable, str(CHILD), str(db), mode, str(value)] + ([str(go)] if go else [])
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def _wait_for(proc: subprocess.Popen, word: str) -> str:
    line = proc.stdout.readline().strip()
    while line and not line.startswith(word):
        line = proc.stdout.readline().strip()
    return line


def _copy(base_db: Path, tmp_path: Path, name: str) -> Path:
    """A copy of the ledger with its key folder (the same installation)."""
    import shutil

    db = tmp_path / name
    db.write_bytes(base_db.read_bytes())
    shutil.copytree(base_db.with_name(base_db.name + ".keys"), db.with_name(db.name + ".keys"))
    return db


def test_sigkill_during_a_batch_of_score_writes(base_db, tmp_path):
    outcome = child_writer.kill_many(_copy(base_db, tmp_path, "k.sqlite"), "scores", kills=12, seed=6, cells=CELLS)
    assert outcome["none"] + outcome["all"] == 12
    assert outcome["none"] > 0  # some kills really landed before the commit


def test_sigkill_during_an_excel_import(base_db, tmp_path):
    outcome = child_writer.kill_many(_copy(base_db, tmp_path, "i.sqlite"), "import", kills=12, seed=7, cells=CELLS)
    assert outcome["none"] + outcome["all"] == 12 and outcome["none"] > 0


def test_sigkill_during_a_package_import(base_db, tmp_path):
    outcome = child_writer.kill_many(_copy(base_db, tmp_path, "p.sqlite"), "package", kills=10, seed=8, cells=CELLS)
    assert outcome["none"] + outcome["all"] == 10 and outcome["none"] > 0


def test_two_processes_writing_at_once_never_both_write(base_db, tmp_path):
    db = _copy(base_db, tmp_path, "two.sqlite")
    go = tmp_path / "go"
    a, b = _child(db, "scores", 5, go), _child(db, "scores", 6, go)
    starts = sorted([a.stdout.readline().strip(), b.stdout.readline().strip()])
    assert starts == ["READONLY", "READY"]  # exactly one got the writer lock
    go.touch()
    outs = [p.communicate(timeout=60) for p in (a, b)]
    codes = sorted([a.returncode, b.returncode])
    assert codes == [0, 3]
    refused = next(out for out, _err in outs if "REFUSED" in out)
    assert "子进程" in refused and "正在使用此数据文件" in refused
    check, n, problems, got = child_writer.state(db)
    assert check == "ok" and problems == 0 and n == CELLS and got in (5, 6)


def test_cli_write_is_refused_while_another_instance_holds_the_file(base_db, tmp_path):
    db = _copy(base_db, tmp_path, "held.sqlite")
    holder = _child(db, "hold", 20)
    try:
        assert holder.stdout.readline().strip() == "READY"
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        r = subprocess.run([sys.executable, "-m", "app", "--db", str(db), "score", "set", "--org", "B01",
                            "--year", "2026", "--month", "3", "--item", "RC02", "--count", "1"],
                           capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
        assert r.returncode == 2
        assert "“子进程20”在计算机" in r.stderr and "只读" in r.stderr
        r = subprocess.run([sys.executable, "-m", "app", "--db", str(db), "orgs", "list"],
                           capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
        assert r.returncode == 0 and "B01" in r.stdout  # reading still works
    finally:
        holder.kill()
        holder.wait()
    assert child_writer.state(db)[1] == 0


def test_tampered_audit_entry_and_score_are_named_by_verify_audit(base_db, tmp_path):
    db = _copy(base_db, tmp_path, "tamper.sqlite")
    env = dict(os.environ, PYTHONPATH=str(ROOT))

    def verify():
        return subprocess.run([sys.executable, "-m", "app", "--db", str(db), "verify-audit"],
                              capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)

    assert subprocess.run([sys.executable, "-m", "app", "--db", str(db), "score", "set", "--org", "B03", "--year",
                           "2026", "--month", "4", "--item", "RC02", "--count", "1"], env=env, cwd=ROOT,
                          capture_output=True, timeout=60).returncode == 0
    r = verify()
    assert r.returncode == 0, r.stderr
    con = sqlite3.connect(db)
    con.execute("UPDATE monthly_scores SET manual_points = 100, manual_count = NULL")
    con.commit()
    r = verify()
    assert r.returncode == 1
    assert "月度积分 B03 第3党支部 2026 年 4 月 细则 RC02" in r.stderr and "被软件之外的程序修改" in r.stderr
    con.execute("UPDATE monthly_scores SET manual_points = 10, manual_count = 1")  # put it back exactly
    con.execute("UPDATE audit_log SET summary = summary || '（改）' WHERE id = 3")
    con.commit()
    con.close()
    r = verify()
    assert r.returncode == 1 and "审计记录 #3 的内容与其哈希不符" in r.stderr


def test_locked_month_refuses_every_write_path(tmp_path, base_db):
    from app.errors import LockedError
    from app.services.book import records
    from app.services.imports import batches
    from app.services.kernel import locks
    from app.services.scoring import scores
    from app.services.scoring.scores import ScoreEntry

    db = _copy(base_db, tmp_path, "locked.sqlite")
    lg = open_ledger(db)
    try:
        scores.set_score(lg, "B01", 2026, 3, "RC02", count=1)
        rec = records.add_record(lg, "B01", "2.2", {"date": "2026-03-05", "topic": "支委会", "attendance": "5/5"})
        lg.user, lg.role = "老李", "审核员"
        locks.lock_month(lg, 2026, 3, "已核对")
        before = child_writer.state(db)
        attempts = [
            lambda: scores.set_score(lg, "B01", 2026, 3, "RC02", count=2),
            lambda: scores.clear_score(lg, "B01", 2026, 3, "RC02"),
            lambda: scores.write_scores(lg, 2026, [ScoreEntry("B02", "RC02", 4, count=1),
                                                   ScoreEntry("B02", "RC02", 3, count=1)]),
            lambda: records.add_record(lg, "B02", "2.2", {"date": "2026-03-09", "topic": "支委会", "attendance": "5/5"}),
            lambda: records.update_record(lg, rec.id, {"date": "2026-03-06", "topic": "改", "attendance": "5/5"}),
            lambda: records.update_record(lg, rec.id, {"date": "2026-04-06", "topic": "移出三月", "attendance": "5/5"}),
            lambda: records.delete_record(lg, rec.id),
        ]
        for attempt in attempts:
            with pytest.raises(LockedError, match="2026 年 3 月已于 .* 由 老李 审核锁定"):
                attempt()
        from decimal import Decimal

        from app.errors import ValidationError
        from app.io.score_import import ParsedScores, ScoreValue

        with pytest.raises((LockedError, ValidationError), match="2026 年 3 月已于 .* 由 老李 审核锁定"):
            batches.apply_scores(lg, ParsedScores("x.xlsx", 2026, [3], [
                ScoreValue("S!B2", "B02", "RC02", 3, Decimal("1.0"), None)], {("B02", 3): "S!2"}))
        assert child_writer.state(db) == before
        assert integrity.verify(lg).ok
    finally:
        lg.close()
