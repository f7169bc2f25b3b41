"""Child processes for the fault tests (and bench/bench_safety.py's longer runs).

python tests/safety/child_writer.py DB MODE VALUE [GO_FILE]
  MODE scores  — one write_scores call over every branch × month × item (VALUE = the count written)
  MODE import  — the same cells through the Excel import path (batches.apply_scores)
  MODE package — the same cells through import-package (packages prepared by prepare_packages)
  MODE hold    — take the writer lock, print READY, sleep VALUE seconds
python tests/safety/child_writer.py DB zygote
  reads "MODE VALUE" lines; for each forks a writer (already imported, so it starts in milliseconds),
  which prints "BEGIN <pid>" just before its transaction; the zygote prints "EXIT <status>" when it ends.
"""

from __future__ import annotations

import contextlib
import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ITEMS = ("KF01", "KF02")  # deductions: no caps, so any batch number is a valid count
PER = {"KF01": Decimal("2.0"), "KF02": Decimal("1.0")}
ROOT = Path(__file__).resolve().parents[2]


def batch(codes: list[str], value: int):
    from app.services.scoring.scores import ScoreEntry

    return [ScoreEntry(org, item, m, count=value) for org in codes for m in range(1, 13) for item in ITEMS]


def write(db: Path, mode: str, value: int, go: Path | None = None) -> int:
    from app.errors import LedgerError
    from app.services.opening import access
    from app.services.register import orgs

    opened = access.open_guarded(db, user=f"子进程{value}")
    print("READY" if not opened.read_only else "READONLY", flush=True)
    if mode == "hold":
        time.sleep(value)
        opened.close()
        return 0
    if go is not None:
        while not go.exists():
            time.sleep(0.01)
    codes = [o.code for o in orgs.list_orgs(opened.ledger) if o.kind == "党支部"]
    entries = batch(codes, value)
    print(f"BEGIN {os.getpid()}", flush=True)
    try:
        if mode == "scores":
            from app.services.scoring import scores

            scores.write_scores(opened.ledger, 2026, entries)
        elif mode == "package":
            from app.io.package import import_package, read_package

            import_package(opened.ledger, read_package(package_path(db, value)))
        else:
            from app.io.score_import import ParsedScores, ScoreValue
            from app.services.imports import batches

            values = [ScoreValue(f"S!{i}", e.org_code, e.item_code, e.month, PER[e.item_code] * value, None)
                      for i, e in enumerate(entries)]
            rows = {(v.org_code, v.month): f"S!{i}" for i, v in enumerate(values)}
            batches.apply_scores(opened.ledger, ParsedScores("子进程.xlsx", 2026, list(range(1, 13)), values, rows))
    except LedgerError as e:
        print(f"REFUSED {e}", flush=True)
        opened.close()
        return 3
    print("DONE", flush=True)
    opened.close()
    return 0


def package_path(db: Path, value: int) -> Path:
    return db.with_name(f"{db.stem}-packages") / f"{value}.djpkg"


def prepare_packages(db: Path, values: range) -> None:
    """One package per batch number, from a sender holding the same organisations (a copy of ``db``)."""
    from app.io.package import export_package
    from app.services.opening.setup import open_ledger
    from app.services.register import orgs
    from app.services.scoring import scores

    folder = package_path(db, 0).parent
    folder.mkdir(exist_ok=True)
    sender_db = folder / "sender.sqlite"
    sender_db.write_bytes(db.read_bytes())
    # The same installation (its unit id and keys), so its packages need no trust step.
    keys = db.with_name(db.name + ".keys")
    if keys.exists():
        shutil.copytree(keys, sender_db.with_name(sender_db.name + ".keys"))
    sender = open_ledger(sender_db)
    try:
        codes = [o.code for o in orgs.list_orgs(sender) if o.kind == "党支部"]
        root = next(o.code for o in orgs.list_orgs(sender) if o.parent_code is None)
        for value in values:
            scores.write_scores(sender, 2026, batch(codes, value))
            export_package(sender, root, 2026, package_path(db, value))
    finally:
        sender.close()


def audit_ok(db: Path) -> bool:
    from app.services.kernel import audit
    from app.services.opening.setup import open_ledger

    lg = open_ledger(db)
    try:
        return audit.verify_chain(lg)[0]
    finally:
        lg.close()


def zygote(db: Path) -> int:
    import app.io.package
    import app.io.score_import
    import app.services.imports.batches
    import app.services.scoring.scores  # noqa: F401

    for line in sys.stdin:
        mode, value = line.split()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = write(db, mode, int(value))
            finally:
                sys.stdout.flush()
                os._exit(code)
        _pid, status = os.waitpid(pid, 0)
        print(f"EXIT {status}", flush=True)
    return 0


# ---- the kill loop, shared by tests/safety/test_faults.py and bench/bench_safety.py ----------------

def state(db: Path) -> tuple[str, int, int, int | None]:
    """(integrity_check, cells with points, seal problems, the batch the cells come from or None if mixed)."""
    from db import keys, seals

    con = sqlite3.connect(db)
    try:
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
        n = con.execute("SELECT count(*) FROM monthly_scores WHERE manual_points IS NOT NULL").fetchone()[0]
        problems = seals.verify(con, keys.seal_key(db)[0])[2]
        # KF01 holds 2.0 and KF02 1.0 × the batch number (stored in tenths)
        batches = {r[0] for r in con.execute(
            "SELECT m.manual_points / (CASE i.code WHEN 'KF01' THEN 20 ELSE 10 END) "
            "FROM monthly_scores m JOIN scheme_items i ON i.id = m.item_id")}
    finally:
        con.close()
    return check, n, problems, (batches.pop() if len(batches) == 1 else None)


def kill_many(db: Path, mode: str, kills: int, seed: int, cells: int) -> dict[str, int]:
    """Write batch 1, then ``kills`` times start a batch and SIGKILL it at a random moment; check each time."""
    rng = random.Random(seed)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    z = subprocess.Popen([sys.executable, __file__, str(db), "zygote"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT, bufsize=1)

    pending = [b""]

    def read_line(timeout: float = 180.0) -> str:
        """One line from the zygote, or a failure after ``timeout`` seconds of silence (never a hung CI)."""
        fd = z.stdout.fileno()
        while b"\n" not in pending[0]:
            ready, _w, _x = select.select([fd], [], [], timeout)
            if not ready:
                raise AssertionError(f"the zygote said nothing for {timeout:.0f} s (so far: {pending[0]!r})")
            chunk = os.read(fd, 4096)
            if not chunk:
                raise AssertionError("the zygote ended without a word")
            pending[0] += chunk
        line, _nl, pending[0] = pending[0].partition(b"\n")
        return line.decode("utf-8", "replace")

    def next_line(*marks: str) -> str:
        """The next line carrying one of ``marks``, from the mark on: a writer killed in the middle of a line
        leaves that line unfinished, and the zygote's EXIT then continues it ("…ing 3EXIT 9")."""
        while True:
            line = read_line()
            found = [line.index(m) for m in marks if m in line]
            if found:
                return line[min(found):]

    def run(value: int, kill_after: float | None) -> str:
        z.stdin.write(f"{mode} {value}\n")
        z.stdin.flush()
        line = next_line("BEGIN", "EXIT")
        if line.startswith("BEGIN") and kill_after is not None:
            time.sleep(kill_after)
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(line.split()[1]), signal.SIGKILL)
        if not line.startswith("EXIT"):
            line = next_line("EXIT")
        return line

    outcome = {"none": 0, "all": 0}
    if mode == "package":
        prepare_packages(db, range(1, kills + 2))
    try:
        t0 = time.perf_counter()
        assert run(1, None).strip() == "EXIT 0", "the first batch must write"
        span = time.perf_counter() - t0
        committed = 1
        for k in range(kills):
            value = 2 + k
            run(value, rng.uniform(0, span))
            check, n, problems, got = state(db)
            assert check == "ok", f"kill {k}: integrity_check says {check}"
            assert problems == 0, f"kill {k}: {problems} rows fail their seals"
            assert audit_ok(db), f"kill {k}: the audit chain does not verify"
            assert n == cells and got is not None, f"kill {k}: a half-written batch ({n} of {cells} cells, {got})"
            assert got in (committed, value), f"kill {k}: neither the old nor the new batch"
            outcome["all" if got == value else "none"] += 1
            committed = got
    finally:
        z.stdin.close()
        z.wait(timeout=30)
    return outcome


if __name__ == "__main__":
    if sys.argv[2] == "zygote":
        sys.exit(zygote(Path(sys.argv[1])))
    sys.exit(write(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]) if len(sys.argv) > 4 else None))
