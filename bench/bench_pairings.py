"""结对共建 at county scale: 3,000 branches under 60 党委 in four sectors (A 20 %, B 50 %, C 30 %), then
timed: suggestions for every unpaired C-class branch, accepting them all (one pairing per call, the rules
checked each time), `pairings check`, and the page's year board.

.venv/bin/python bench/bench_pairings.py [--orgs 3000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from app.services.opening import setup
from app.services.opening.setup import open_ledger
from app.services.pairing import board, pairings, review, suggest
from db.models import Organization, OrgClass
from db.types import new_uuid

SECTORS = ("机关事业单位", "村(社区)", "非公企业", "社会组织")
YEAR = 2026


def build(path: Path, n: int):
    ledger = open_ledger(path)
    ledger.today = lambda: date(YEAR, 11, 21)
    setup.initialize(ledger, "示范县委组织部")
    rng = random.Random(17)
    with ledger.db.write() as s:
        root = s.query(Organization).filter_by(code="00").one()
        parents = []
        for p in range(60):
            o = Organization(uuid=new_uuid(), code=f"P{p:02d}", name=f"第{p}党委", kind="党委",
                             sector=SECTORS[p % 4], parent_id=root.id, sort_order=p)
            s.add(o)
            parents.append(o)
        s.flush()
        orgs, classes = [], []
        for i in range(n):
            par = parents[i % len(parents)]
            orgs.append(dict(uuid=new_uuid(), code=f"B{i:04d}", name=f"第{i}党支部", kind="党支部", sector=par.sector,
                             parent_id=par.id, sort_order=100 + i, status="active"))
        s.execute(insert(Organization), orgs)
        ids = dict(s.query(Organization.code, Organization.id).filter(Organization.code.like("B%")).all())
        for oid in ids.values():
            r = rng.random()
            classes.append(dict(uuid=new_uuid(), org_id=oid, year=YEAR, category="A" if r < 0.2 else "B" if r < 0.7 else "C",
                                source="initial", note=""))
        s.execute(insert(OrgClass), classes)
    return ledger


def timed(label: str, fn):
    t = time.perf_counter()
    out = fn()
    print(f"{label}: {time.perf_counter() - t:.2f} s")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orgs", type=int, default=3000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ledger = timed(f"build {args.orgs} branches", lambda: build(Path(tmp) / "p.sqlite", args.orgs))
        found = timed("pairings suggest (every unpaired C)", lambda: suggest.suggest(ledger, YEAR))
        led: dict[str, int] = {}
        for sg in found:
            led[sg.leader] = led.get(sg.leader, 0) + 1
        print(f"  {len(found)} suggestions over {len(led)} leaders; most led by one: {max(led.values())}, "
              f"fewest: {min(led.values())}")
        sample = found[:200]
        t = time.perf_counter()
        for sg in sample:
            pairings.add(ledger, sg.leader, sg.helped, YEAR)
        print(f"pairings add (rules checked each time): {(time.perf_counter() - t) / len(sample) * 1000:.1f} ms a pairing")
        for sg in found[200:]:
            pairings.add(ledger, sg.leader, sg.helped, YEAR)
        breaches = timed(f"pairings check ({len(found)} pairings)", lambda: review.check_year(ledger, YEAR))
        assert breaches == []
        b = timed("结对共建 page board", lambda: board.year_board(ledger, YEAR))
        print(f"  {len(b.pairs)} pairs, {len(b.unpaired)} unpaired")
        ledger.close()


if __name__ == "__main__":
    main()
