"""Excel benchmark on the county-scale database (3,000 organisations).

    python bench/bench_excel.py [--db bench/data/county.sqlite] [--year 2026] [--month 6]

Works on a copy of the database. Prints: ledger export time; a 3,000-row template import time
(reading + validation + preview, and the write), plus undo; an exchange package round trip.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import load_workbook

from app.errors import LedgerError
from app.io.ledger_export import export_ledger
from app.io.package import export_package, import_package, read_package, trust_sender
from app.io.score_import import parse_scores
from app.io.template import FIRST_COL, HEADER_ROW, export_template, item_upper
from app.services.imports import batches, undo
from app.services.kernel import settings
from app.services.opening.setup import open_ledger
from app.services.safety import backups
from app.services.scoring import schemes


def timed(label: str, fn):
    t = time.perf_counter()
    result = fn()
    print(f"{label:<44} {time.perf_counter() - t:7.2f} s")
    return result


def _locked_backup(ledger) -> Path:
    with backups.write_after_backup(ledger, "基准") as (_s, written):
        return written


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=Path(__file__).parent / "data" / "county.sqlite")
    ap.add_argument("--year", type=int, default=2026)
    ap.add_argument("--import-year", type=int, default=2027, help="模板导入的年份（默认空白的下一年，避开年上限）")
    ap.add_argument("--month", type=int, default=1)
    args = ap.parse_args()
    if not args.db.exists():
        print(f"缺少 {args.db}：先运行 python bench/make_county_db.py", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="bench-excel-"))
    try:
        db = work / "county.sqlite"
        shutil.copy(args.db, db)
        ledger = open_ledger(db, backup_dir=work / "bk")
        (work / "bk").mkdir(exist_ok=True)  # a backup folder must exist before it is set (settings check it)
        settings.set_value(ledger, "backup_dir", str(work / "bk"))
        print(f"数据库：{args.db}（{args.db.stat().st_size / 1e6:.0f} MB），CPU {os.cpu_count()} 核")
        out = timed(f"导出 {args.year} 年积分台账", lambda: export_ledger(ledger, args.year, work / "ledger.xlsx"))
        print(f"  台账文件 {out.stat().st_size / 1e6:.1f} MB")

        tpl = timed(f"导出 {args.import_year} 年 {args.month} 月填报模板（全县）", lambda: export_template(
            ledger, args.import_year, work / "tpl.xlsx", month=args.month))
        # Fill every row with fresh values (not timed: this is what the branches do by hand).
        scheme = schemes.get_scheme(ledger, args.import_year)
        items = [i for _c, i in scheme.items()]
        wb = load_workbook(tpl)
        ws = wb[f"{args.import_year}-{args.month:02d}"]
        rng = random.Random(1)
        rows = 0
        for r in range(HEADER_ROW + 1, ws.max_row + 1):
            rows += 1
            for n, item in enumerate(items[:8]):
                upper = item_upper(item)
                ws.cell(r, FIRST_COL + n).value = float(min(upper, rng.choice([0.5, 1, 1.5, 2])))
        wb.save(work / "filled.xlsx")
        print(f"  模板行数 {rows}，每行 {len(items)} 项细则")
        t0 = time.perf_counter()
        parsed = timed(f"读取并校验 {rows} 行模板", lambda: parse_scores(ledger, work / "filled.xlsx"))
        preview = timed("对照数据库生成预览", lambda: batches.preview_scores(ledger, parsed))
        print(f"  {preview.summary()}；问题 {len(preview.all_problems)} 处")
        result = timed("写入（备份 + 一个事务 + 重算）", lambda: batches.apply_scores(ledger, parsed, preview=preview))
        print(f"  写入 {result.cells} 个单元格")
        print(f"{'导入全程（首次：读取+校验+预览+备份+写入）':<44} {time.perf_counter() - t0:7.2f} s")
        t = time.perf_counter()
        parsed = parse_scores(ledger, work / "filled.xlsx")
        batches.preview_scores(ledger, parsed)
        print(f"{'读取+校验+预览（已写入后重读）':<44} {time.perf_counter() - t:7.2f} s")
        timed("撤销上次导入（含撤销前备份）", lambda: undo.undo_last(ledger))
        # Again, right after two 600 MB backups (import, undo): a disk that was just busy.
        t = time.perf_counter()
        parsed = parse_scores(ledger, work / "filled.xlsx")
        batches.apply_scores(ledger, parsed, preview=batches.preview_scores(ledger, parsed))
        print(f"{'导入全程（撤销后再导入一次）':<44} {time.perf_counter() - t:7.2f} s")
        timed("备份整个数据库：导入前方式（写入锁下复制文件）", lambda: _locked_backup(ledger))
        timed("备份整个数据库：平时方式（在线备份 + 校验）", lambda: backups.backup_now(ledger, "基准"))

        scope = "T00"
        pkg = timed(f"导出数据包（{scope} 一个乡镇一年）", lambda: export_package(ledger, scope, args.year, work / "t.djpkg"))
        print(f"  数据包 {pkg.stat().st_size / 1e6:.1f} MB")
        other = open_ledger(work / "other.sqlite", backup_dir=work / "bk2")
        (work / "bk2").mkdir(exist_ok=True)
        settings.set_value(other, "backup_dir", str(work / "bk2"))
        info = timed("校验数据包", lambda: read_package(pkg))
        trust_sender(other, info)  # the fingerprint is checked by hand in real use (packages need a trusted sender)
        t = time.perf_counter()
        try:
            plan = import_package(other, info)
        except LedgerError as e:
            # make_county_db.py fills the cells in bulk without the scheme's caps; a package is judged cell by cell
            # like hand entry, so the receiver refuses it whole — measured up to that refusal.
            print(f"{'导入到空数据库：整包拒绝（生成数据超出细则上限）':<44} {time.perf_counter() - t:7.2f} s")
            print(f"  {str(e).splitlines()[0]}")
        else:
            print(f"{'导入到空数据库':<44} {time.perf_counter() - t:7.2f} s")
            print(f"  {plan.summary()}")
            timed("再次导入同一数据包（无变化）", lambda: import_package(other, info))
        ledger.close()
        other.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
