"""County server benchmark: the same county data on PostgreSQL beside SQLite, and writes from 4 clients.

    python bench/bench_server.py [--orgs 3000] [--years 2] [--repeat 3] [--writes 500]

Starts its own PostgreSQL (as the test suite does: tests/pgserver.py), builds a county file with
bench/make_county_db.py, copies it to the server with copy-db, then times on both backends:
quarter warnings, a year's grades, one month's grid (月度积分 read), and the ledger export. Prints the
median of ``--repeat`` runs and the ratio server / file (target ≤ 2×). Finally 4 client processes
write ``--writes`` single-cell transactions each at once; prints writes/s and whether the audit
chain is still one unbroken chain (target ≥ 50 writes/s).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def measure(ledger, year: int, repeat: int, work: Path) -> dict[str, float]:
    from app.io.ledger_export import export_ledger
    from app.services.assessment import grades, warnings
    from app.services.scoring import grid

    return {
        f"quarter warnings {year} Q2": timed(lambda: warnings.quarter_warnings(ledger, year, 2), repeat),
        f"year grades {year - 1}": timed(lambda: grades.year_grades(ledger, year - 1), repeat),
        f"month grid {year}-05 (月度积分)": timed(lambda: grid.month_grid(ledger, year, 5), repeat),
        f"ledger export {year - 1}": timed(lambda: export_ledger(ledger, year - 1, work / "ledger.xlsx"), repeat),
    }


def writers(url: str, n: int, per: int, env: dict) -> tuple[float, int]:
    """n client processes × per single-cell writes at once: (seconds, writes done)."""
    from app.services.opening.setup import open_ledger
    from app.services.register import orgs

    lg = open_ledger(url)
    parent = next(o.code for o in orgs.list_orgs(lg) if o.kind == "党委")
    for i in range(n):
        if not any(o.code == f"BW{i}" for o in orgs.list_orgs(lg)):
            orgs.add_org(lg, code=f"BW{i}", name=f"基准写入支部{i}", sector="村(社区)", parent=parent)
    lg.close()
    child = ROOT / "tests" / "pg" / "child_client.py"
    procs = [subprocess.Popen([sys.executable, str(child), url, f"基准{i}", "writes", f"{per}:BW{i}"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for i in range(n)]
    for p in procs:  # all connected before the clock starts
        assert p.stdout.readline().strip() == "READY"
    t = time.perf_counter()
    done = 0
    for p in procs:
        out, err = p.communicate(timeout=3600)
        if p.returncode:
            sys.exit(err)
        done += int(out.split("DONE")[1].split()[0])
    return time.perf_counter() - t, done


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--orgs", type=int, default=3000)
    p.add_argument("--years", type=int, default=2)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--writes", type=int, default=500)
    p.add_argument("--year", type=int, default=2026)
    a = p.parse_args()
    from bench.make_county_db import build
    from tests.pgserver import start_server

    load = os.getloadavg()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {load[0]:.1f}")
    server = start_server()
    if isinstance(server, str):
        sys.exit(server)
    work = Path(tempfile.mkdtemp(prefix="bench-server-"))
    env = dict(os.environ, DANGJIAN_DATA_DIR=str(work / "client"), PGPASSFILE=str(work / "pgpass"))
    (work / "pgpass").write_text(f"127.0.0.1:{server.port}:*:postgres:{server.password}\n", encoding="utf-8")
    (work / "pgpass").chmod(0o600)
    os.environ.update(DANGJIAN_DATA_DIR=env["DANGJIAN_DATA_DIR"], PGPASSFILE=env["PGPASSFILE"])
    try:
        file = work / "county.sqlite"
        t = time.perf_counter()
        r = build(file, a.orgs, a.years, a.year)
        print(f"county file: {r['orgs']} organisations, {r['cells']:,} score cells, {r['size_mb']:.0f} MB "
              f"({time.perf_counter() - t:.0f} s)")
        from db.url import parse

        url = str(parse(server.url(server.new_database("county"))))
        from app.cli import main as cli

        t = time.perf_counter()

        # The generator writes its rows with sqlite3, bypassing the seals: accept them as the data.
        if cli(["--db", str(file), "accept-data", "--reason", "基准测试生成的数据"]) != 0:
            sys.exit("accept-data failed")
        if cli(["copy-db", str(file), url]) != 0:
            sys.exit("copy-db failed")
        print(f"copy-db file → server: {time.perf_counter() - t:.0f} s")

        from app.services.opening.setup import open_ledger

        results = {}
        for name, target in (("SQLite file", file), ("PostgreSQL", url)):
            lg = open_ledger(target)
            results[name] = measure(lg, a.year, a.repeat, work)
            lg.close()
        print("\n| query | SQLite file | PostgreSQL | ratio |\n| --- | --- | --- | --- |")
        for q, s in results["SQLite file"].items():
            pg = results["PostgreSQL"][q]
            print(f"| {q} | {s:.3f} s | {pg:.3f} s | {pg / s:.2f}× |")

        seconds, done = writers(url, 4, a.writes, env)
        from app.services.kernel import audit

        lg = open_ledger(url)
        ok, message = audit.verify_chain(lg)
        lg.close()
        print(f"\n4 clients × {a.writes} single-cell writes: {done} in {seconds:.1f} s = {done / seconds:.1f} writes/s; "
              f"audit chain: {message if ok else '✘ ' + message}")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
