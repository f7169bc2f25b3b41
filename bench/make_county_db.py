"""Generate a county-scale ledger for benchmarks: 3,000 organisations × 5 years × ~12 items a month.

    python bench/make_county_db.py [--out bench/data/county.sqlite] [--orgs 3000] [--years 5]

Rows are inserted in bulk with sqlite3 (the services' per-entry validation is not what is being
measured); derived columns are then computed by the same SQL the app uses (aggregate.refresh_year).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.services.opening import setup
from app.services.opening.setup import open_ledger
from app.services.scoring import aggregate
from app.services.scoring.schemes import ensure_scheme, item_ids
from db.seals import seal_all

SECTORS = ("机关事业单位", "村(社区)", "非公企业", "社会组织")


def build(out: Path, n_orgs: int, n_years: int, last_year: int, seed: int = 7) -> dict:
    if out.exists():
        out.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    ledger = open_ledger(out)
    setup.initialize(ledger, "示范县委组织部")
    years = list(range(last_year - n_years + 1, last_year + 1))
    with ledger.db.write() as s:
        for y in years:
            ensure_scheme(s, ledger, y)
        items = {y: sorted(item_ids(s, y).values(), key=lambda i: i.code) for y in years}
    ledger.close()
    rng = random.Random(seed)
    con = sqlite3.connect(out)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    now = datetime.now().isoformat(sep=" ")
    root_id = con.execute("SELECT id FROM organizations WHERE code='00'").fetchone()[0]
    townships = 20
    per = n_orgs // townships
    org_rows = []
    next_id = root_id + 1
    branch_ids = []
    for t in range(townships):
        tid = next_id
        next_id += 1
        org_rows.append((tid, str(uuid.uuid4()), f"T{t:02d}", f"第{t + 1}镇党委", "党委", SECTORS[t % 4], root_id, now))
        for b in range(per):
            bid = next_id
            next_id += 1
            branch_ids.append(bid)
            org_rows.append((bid, str(uuid.uuid4()), f"T{t:02d}{b:03d}", f"第{t + 1}镇第{b + 1}党支部", "党支部",
                             SECTORS[b % 4], tid, now))
    con.executemany(
        "INSERT INTO organizations (id, uuid, code, name, kind, sector, parent_id, secretary, contact, member_count,"
        " address, status, sort_order, created_at, updated_at) VALUES (?,?,?,?,?,?,?,'','',20,'','active',0,?,?)",
        [(*r, r[-1]) for r in org_rows],
    )
    con.executemany(
        "INSERT INTO org_classes (uuid, org_id, year, category, source, note, created_at, updated_at)"
        " VALUES (?,?,?,?,'initial','',?,?)",
        [(str(uuid.uuid4()), bid, years[0], rng.choice("ABC"), now, now) for bid in branch_ids],
    )
    cells = 0
    for y in years:
        normal = [i for i in items[y] if i.kind == "normal"]
        rows = []
        for bid in branch_ids:
            level = rng.uniform(0.75, 1.0)
            for m in range(1, 13):
                for it in normal:
                    if rng.random() < level:
                        count = 1 if it.monthly_cap is None or it.monthly_cap <= it.points else rng.randint(1, 2)
                        pts = int(it.points * 10) * count
                        rows.append((str(uuid.uuid4()), bid, it.id, y, m, pts, count, now, now))
        con.executemany(
            "INSERT INTO monthly_scores (uuid, org_id, item_id, year, month, manual_points, manual_count, record_count,"
            " effective, note, created_at, updated_at) VALUES (?,?,?,?,?,?,?,0,0,'',?,?)",
            rows,
        )
        cells += len(rows)
        con.commit()
    con.close()
    ledger = open_ledger(out)
    t1 = time.perf_counter()
    with ledger.db.write() as s:
        for y in years:
            aggregate.recompute_effective(s, y)
    refresh_s = time.perf_counter() - t1
    ledger.close()
    con = sqlite3.connect(out)
    # The bulk inserts above bypassed the app's connection, so seal every row as it now stands
    # (otherwise verify-audit would rightly report them as written outside the software).
    seal_all(con)
    con.commit()
    con.execute("ANALYZE")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return {"orgs": len(branch_ids), "years": years, "cells": cells, "seconds": time.perf_counter() - t0,
            "recompute_s": refresh_s, "size_mb": out.stat().st_size / 1e6}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", type=Path, default=Path(__file__).parent / "data" / "county.sqlite")
    p.add_argument("--orgs", type=int, default=3000)
    p.add_argument("--years", type=int, default=5)
    p.add_argument("--last-year", type=int, default=2026)
    a = p.parse_args()
    a.out.parent.mkdir(parents=True, exist_ok=True)
    r = build(a.out, a.orgs, a.years, a.last_year)
    print(f"organisations: {r['orgs']}, years: {r['years'][0]}–{r['years'][-1]}, score cells: {r['cells']:,}")
    print(f"built in {r['seconds']:.1f} s (effective-points recompute of all years: {r['recompute_s']:.1f} s)")
    print(f"database size: {r['size_mb']:.1f} MB → {a.out}")


if __name__ == "__main__":
    main()
