"""Data-safety figures: verify-audit and backup on the county file, kill and tamper trials.

    .venv/bin/python bench/bench_safety.py [--kills 60] [--tampers 100] [--county bench/data/county.sqlite]

Prints figures only; nothing here asserts a time. The county file is only read (backups go to a
temporary folder). Rows the generator inserted with plain sqlite3 after migrating carry no seal; the
check then reports them, so the timing is the same either way.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "safety"))


def _t(label: str, fn):
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    print(f"{label:<44} {dt:8.2f} s")
    return out, dt


def _copy_ledger(src: Path, dst: Path) -> None:
    """A ledger file and its key folder (without the folder the copy would look sealed with another key)."""
    from db import keys

    shutil.copy(src, dst)
    shutil.rmtree(keys.folder_for(dst), ignore_errors=True)
    if keys.folder_for(src).is_dir():
        shutil.copytree(keys.folder_for(src), keys.folder_for(dst))


def county(path: Path, work: Path) -> None:
    from app.services.kernel import audit
    from app.services.kernel.context import Ledger
    from app.services.safety import backups
    from db import keys, seals
    from db.migrate import open_database

    copy = work / "county.sqlite"
    _t("copy the county file (plain file copy)", lambda: _copy_ledger(path, copy))
    _t("open + migrate the copy (seals if new)", lambda: open_database(copy).dispose())
    path = copy

    def reseal() -> int:  # rows the generator wrote with plain sqlite3 carry no seal: accept them, as accept-data does
        c = sqlite3.connect(path)
        try:
            with c:
                return seals.seal_all(c, keys.seal_key(path)[0])
        finally:
            c.close()

    n, _ = _t("seal every row (accept-data)", reseal)
    print(f"    rows sealed {n:,}")
    size = path.stat().st_size / 1024 / 1024
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    scores = con.execute("SELECT count(*) FROM monthly_scores").fetchone()[0]
    entries = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    print(f"county file: {size:.0f} MB, {scores:,} score rows, {entries:,} audit entries")
    (checked, _problems, total), _ = _t("row seals (verify, every sealed row)", lambda: seals.verify(con, keys.seal_key(path)[0]))
    print(f"    rows checked {checked:,}, rows failing {total:,}")
    _t("PRAGMA quick_check", lambda: con.execute("PRAGMA quick_check").fetchall())
    _t("PRAGMA integrity_check", lambda: con.execute("PRAGMA integrity_check").fetchall())
    _t("PRAGMA foreign_key_check", lambda: con.execute("PRAGMA foreign_key_check").fetchall())
    con.close()
    ledger = Ledger(open_database(path, read_only=True))
    _t("audit chain (verify_chain)", lambda: audit.verify_chain(ledger))
    target = work / "county-backup.sqlite"
    _t("backup (online backup API + quick_check)", lambda: backups.copy_database(path, target))
    print(f"    backup size {target.stat().st_size / 1024 / 1024:.0f} MB")
    target.unlink()
    ledger.close()
    writer = Ledger(open_database(path))

    def under_lock() -> Path:
        with backups.write_after_backup(writer, "基准", target) as (_s, written):
            return written

    _t("backup under the write lock (file copy)", under_lock)
    target.unlink()
    writer.close()


def kills(n: int, work: Path) -> None:
    import child_writer

    from app.services.opening import setup
    from app.services.opening.setup import open_ledger
    from app.services.register import orgs
    from app.services.scoring import schemes

    base = work / "kill.sqlite"
    lg = open_ledger(base)
    setup.initialize(lg, "故障测试党工委")
    orgs.add_org(lg, code="P1", name="测试党委", sector="机关事业单位", kind="党委", parent="00")
    for i in range(10):
        orgs.add_org(lg, code=f"B{i:02d}", name=f"第{i}党支部", sector="村(社区)", parent="P1", category="B", year=2026)
    schemes.get_scheme(lg, 2026)
    lg.close()
    for mode in ("scores", "import"):
        db = work / f"kill-{mode}.sqlite"
        _copy_ledger(base, db)
        outcome, _dt = _t(f"SIGKILL trial: {n} kills during {mode}", lambda db=db, mode=mode: child_writer.kill_many(
            db, mode, n, seed=2026, cells=10 * 12 * 2))
        print(f"    after each kill: integrity ok, seals ok, batch whole — old kept {outcome['none']}, "
              f"new committed {outcome['all']}")


TAMPERS = [
    ("score points", "UPDATE monthly_scores SET manual_points = coalesce(manual_points, 0) + 10 WHERE id = {id}",
     "monthly_scores"),
    ("score count changed", "UPDATE monthly_scores SET manual_count = coalesce(manual_count, 0) + 1 WHERE id = {id}",
     "monthly_scores"),
    ("class row added", "INSERT INTO org_classes (org_id, year, category, source, note, uuid, created_at, updated_at) "
     "SELECT org_id, 2031, 'A', 'manual', '', 'x-' || id, created_at, updated_at FROM org_classes WHERE id = {id}",
     "org_classes"),
    ("score row deleted", "DELETE FROM monthly_scores WHERE id = {id}", "monthly_scores"),
    ("class changed", "UPDATE org_classes SET category = CASE category WHEN 'A' THEN 'C' ELSE 'A' END WHERE id = {id}",
     "org_classes"),
    ("grade changed", "UPDATE annual_grades SET final_class = CASE final_class WHEN 'A' THEN 'B' ELSE 'A' END "
     "WHERE id = {id}", "annual_grades"),
    ("grade deleted", "DELETE FROM annual_grades WHERE id = {id}", "annual_grades"),
    ("work record re-dated", "UPDATE work_records SET date = '2026-01-01', month = 1 WHERE id = {id}", "work_records"),
    ("audit entry edited", "UPDATE audit_log SET summary = summary || '.' WHERE id = {id}", "audit_log"),
    ("audit entry deleted", "DELETE FROM audit_log WHERE id = {id}", "audit_log"),
]


def tampers(n: int, work: Path) -> None:
    from app.services.opening import demo
    from app.services.opening.setup import open_ledger
    from app.services.safety import integrity

    base = work / "demo.sqlite"
    lg = open_ledger(base)
    demo.load_demo(lg)
    lg.close()
    rng = random.Random(7)
    found = {name: [0, 0] for name, _sql, _t in TAMPERS}
    t0 = time.perf_counter()
    for _ in range(n):
        name, sql, table = rng.choice(TAMPERS)
        db = work / "tampered.sqlite"
        _copy_ledger(base, db)
        con = sqlite3.connect(db)
        ids = [r[0] for r in con.execute(f"SELECT id FROM {table}")]
        con.execute(sql.format(id=rng.choice(ids[:-1])))  # not the newest audit entry: see the README
        con.commit()
        con.close()
        lg = open_ledger(db)
        report = integrity.verify(lg)
        ok = report.ok
        lg.close()
        assert "另一把密钥" not in report.first_problem(), report.first_problem()  # caught for the right reason
        found[name][0] += 1
        found[name][1] += 0 if ok else 1
    print(f"tamper trial: {n} single edits with sqlite3 on copies of the demo file ({time.perf_counter() - t0:.1f} s)")
    for name, (tried, caught) in found.items():
        print(f"    {name:<32} tried {tried:>3}, detected {caught:>3}")


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--county", type=Path, default=ROOT / "bench" / "data" / "county.sqlite")
    p.add_argument("--kills", type=int, default=60)
    p.add_argument("--tampers", type=int, default=100)
    args = p.parse_args()
    import os

    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.county.exists():
            county(args.county, work)
        else:
            print(f"no county file at {args.county} (run bench/make_county_db.py)")
        if args.tampers:
            tampers(args.tampers, work)
        if args.kills:
            kills(args.kills, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
