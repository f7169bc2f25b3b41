"""Entry-screen benchmark on the county-scale database (3,000 organisations).

    python bench/make_county_db.py                 # once: builds bench/data/county.sqlite
    python bench/bench_ui_monthly.py [--db PATH] [--repeat 5]

Measures, on the offscreen Qt platform, with the real pages:
  - 月度积分: switching month (query + model reset + layout and paint of the visible grid), target ≤ 0.5 s;
  - 月度积分: saving one typed cell (write + re-read of that organisation's row);
  - 年度定级 and 预警通报: loading the page until its table is filled.
The database is copied first, because the cell write changes it.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication

from app.services.opening.setup import open_ledger
from app.services.scoring.grid import month_grid


def report(label: str, runs: list[float], target: str = "") -> None:
    print(f"{label}: median {statistics.median(runs):.3f} s, worst {max(runs):.3f} s"
          + (f" (target {target})" if target else ""))


def wait_loaded(app: QApplication, page) -> None:
    while not page.loaded:
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", type=Path, default=Path(__file__).parent / "data" / "county.sqlite")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--year", type=int, default=2026)
    a = p.parse_args()
    if not a.db.exists():
        sys.exit(f"{a.db} not found: run bench/make_county_db.py first")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    app = QApplication([])
    from ui.context import UiContext
    from ui.pages import grades as grades_page
    from ui.pages import monthly
    from ui.pages import warnings as warnings_page

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "county.sqlite"
        shutil.copy(a.db, db)
        ledger = open_ledger(db, backup_dir=Path(tmp) / "backups")
        ctx = UiContext(ledger)

        runs = []
        for m in range(a.repeat):
            t = time.perf_counter()
            g = month_grid(ledger, a.year, 1 + m % 12)
            runs.append(time.perf_counter() - t)
        report(f"grid query alone ({len(g.orgs)} organisations, {len(g.cells)} cells)", runs)

        page = monthly.Page(ctx)
        page.resize(1366, 768)
        page.show()
        page.year.setValue(a.year)
        page.month.set_month(12)
        page.refresh()
        wait_loaded(app, page)
        shape = f"{page.model.rowCount()} rows × {page.model.columnCount()} columns"
        for label, months in (("within a quarter", [2, 3, 1, 2, 3, 1, 2, 3, 1, 2]),
                              ("into another quarter", [4, 7, 10, 1, 4, 7, 10, 1, 4, 7])):
            runs = []
            for month in months[: max(a.repeat, 2)]:
                t = time.perf_counter()
                page.month.set_month(month)  # reads in the background, then resets the model
                wait_loaded(app, page)
                page.view.viewport().repaint()
                runs.append(time.perf_counter() - t)
            report(f"月度积分 switch month {label} ({shape})", runs, "≤ 0.5 s")

        index = page.model.index(0, page.model.column_of("KF01"))  # no caps: every write is accepted
        runs = []
        for i in range(a.repeat):
            t = time.perf_counter()
            error = page.model.write(index, "1.0" if i % 2 == 0 else "")
            app.processEvents()
            runs.append(time.perf_counter() - t)
            assert error is None, error
        report("月度积分 save one typed cell and re-read its row", runs)

        for label, module in (("年度定级", grades_page), ("预警通报", warnings_page)):
            runs = []
            for _ in range(a.repeat):
                pg = module.Page(ctx)
                pg.resize(1366, 768)
                pg.show()
                t = time.perf_counter()
                pg.refresh()
                wait_loaded(app, pg)
                pg.view.viewport().repaint()
                runs.append(time.perf_counter() - t)
                rows = pg.model.rowCount()
                pg.close()
                pg.deleteLater()
            report(f"{label} page load ({rows} rows shown)", runs)
        ctx.tasks.wait()
        ledger.close()


if __name__ == "__main__":
    main()
