"""A county-server client in its own process, for the concurrency tests (tests/pg/test_concurrency.py).

python tests/pg/child_client.py URL USER MODE ARG
  cells ORGS   — one transaction per cell: every org in ORGS (comma-separated) × months 1–12 × KF01/KF02,
                 until 200 cells are written; prints DONE n
  writes N:ORG — N separate write transactions on ORG's cells (one deduction cell each, the count rising)
  batch N      — one transaction writing every branch × month × KF01/KF02 with count N; prints BEGIN then DONE
  month M      — write month M of 2026 over and over until refused; prints each accepted write as OK <audit id>
The password comes from PGPASSFILE (never on the command line).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main(argv: list[str]) -> int:
    from sqlalchemy import text

    from app.errors import LedgerError
    from app.services.opening.setup import open_ledger
    from app.services.register import orgs
    from app.services.scoring.scores import ScoreEntry, write_scores

    url, user, mode, arg = argv
    lg = open_ledger(url, user=user)
    print("READY", flush=True)
    try:
        if mode == "cells":
            cells = [(o, item, m) for o in arg.split(",") for m in range(1, 13) for item in ("KF01", "KF02")][:200]
            for o, item, m in cells:
                write_scores(lg, 2026, [ScoreEntry(o, item, m, count=1)])
            print(f"DONE {len(cells)}", flush=True)
        elif mode == "writes":
            count, org = arg.split(":")
            n = int(count)
            for i in range(n):
                write_scores(lg, 2026, [ScoreEntry(org, ("KF01", "KF02")[i // 12 % 2], 1 + i % 12, count=i + 1)])
            print(f"DONE {n}", flush=True)
        elif mode == "batch":
            codes = [o.code for o in orgs.list_orgs(lg) if o.kind == "党支部"]
            entries = [ScoreEntry(c, item, m, count=int(arg)) for c in codes for m in range(1, 13)
                       for item in ("KF01", "KF02")]
            print(f"BEGIN {len(entries)}", flush=True)
            write_scores(lg, 2026, entries)
            print("DONE", flush=True)
        elif mode == "month":
            i = 0
            while True:
                i += 1
                try:
                    write_scores(lg, 2026, [ScoreEntry("B1", "KF01", int(arg), count=i)])
                except LedgerError as e:
                    print(f"REFUSED {e}", flush=True)
                    break
                with lg.db.read() as s:
                    last = s.execute(text("SELECT max(id) FROM audit_log WHERE action = '录入积分'")).scalar()
                print(f"OK {last}", flush=True)
    finally:
        lg.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
