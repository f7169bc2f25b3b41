"""The Excel and package commands as a user runs them: fill, mistake, fix, import, undo, import again."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from openpyxl import load_workbook

from app.cli import main
from app.services.opening.setup import open_ledger
from app.services.scoring import scores

from .conftest import column_of, fill


def run(db: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--db", str(db), *args])
        except SystemExit as e:
            code = int(e.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_the_whole_template_story(demo_ledger, tmp_path):
    db = demo_ledger.path
    tpl = tmp_path / "t.xlsx"
    assert run(db, "export-template", "--year", "2026", "--month", "11", "--unit", "QS02", "-o", str(tpl))[0] == 0
    ws = load_workbook(tpl)["2026-11"]
    row = next(c.row for c in ws["A"] if c.value == "QS0201")
    rc01 = column_of(tpl, "RC01", "2026-11")
    bad = fill(tpl, tmp_path / "bad.xlsx", {"2026-11": {f"{rc01}{row}": 20}})
    code, out, err = run(db, "import-scores", str(bad))
    assert code == 2 and f"2026-11!{rc01}{row}: " in err and "超过月上限 3.0" in err
    # The good file fills an item no work record earns (a deduction), so the demo's records cannot crowd it.
    kf01 = column_of(tpl, "KF01", "2026-11")
    before = scores.cell(demo_ledger, "QS0201", 2026, 11, "KF01")
    good = fill(tpl, tmp_path / "good.xlsx", {"2026-11": {f"{kf01}{row}": 1.5}})
    code, out, _ = run(db, "import-scores", str(good), "--dry-run")
    assert code == 0 and "KF01 未按时完成上级交办任务" in out and "→ 1.5" in out
    assert scores.cell(demo_ledger, "QS0201", 2026, 11, "KF01") == before
    code, out, _ = run(db, "import-scores", str(good))
    assert code == 0 and "已导入" in out
    assert scores.cell(demo_ledger, "QS0201", 2026, 11, "KF01").manual_points == 1.5
    code, out, _ = run(db, "undo-import")
    assert code == 0 and "已撤销" in out
    assert scores.cell(demo_ledger, "QS0201", 2026, 11, "KF01") == before
    assert run(db, "import-scores", str(good))[0] == 0
    assert run(db, "undo-import")[0] == 0
    code, _, err = run(db, "undo-import")
    assert code == 2 and "没有可以撤销的导入" in err


def test_ledger_and_package_commands(demo_ledger, tmp_path):
    db = demo_ledger.path
    code, out, _ = run(db, "export-ledger", "--year", "2026", "-o", str(tmp_path / "l.xlsx"))
    assert code == 0 and (tmp_path / "l.xlsx").exists()
    assert run(db, "export-package", "--scope", "QS", "--year", "2026", "-o", str(tmp_path / "p.djpkg"))[0] == 0
    other = tmp_path / "other.sqlite"
    code, out, _ = run(other, "import-package", str(tmp_path / "p.djpkg"), "--dry-run")
    assert code == 0 and "党组织：新增 43" in out
    lg = open_ledger(other)
    assert not scores.cells(lg, 2026)
    lg.close()
    code, out, _ = run(other, "import-package", str(tmp_path / "p.djpkg"))
    assert code == 0 and "已导入" in out
    code, out, _ = run(other, "import-package", str(tmp_path / "p.djpkg"))
    assert code == 0 and "没有任何变化" in out
    (tmp_path / "junk.djpkg").write_bytes(b"PK\x03\x04junk")
    code, _, err = run(other, "import-package", str(tmp_path / "junk.djpkg"))
    assert code == 2 and "已损坏或不是本软件的数据包" in err


def test_roster_import_with_a_column_map(demo_ledger, tmp_path):
    from openpyxl import Workbook

    from app.services.register import members

    book = tmp_path / "roster.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["支部代号", "党员姓名", "性别", "手机"])
    ws.append(["QS0101", "测试映射", "女", "13800000000"])
    wb.save(book)
    db = demo_ledger.path
    code, _out, err = run(db, "import-roster", str(book), "--map", "不存在的表头=name")
    assert code == 2 and "不存在的表头" in err
    code, _out, err = run(db, "import-roster", str(book), "--map", "支部代号=org_code", "--map", "党员姓名=name",
                          "--map", "手机=phone")
    assert code == 0, err
    added = [m for m in members.roster(demo_ledger, "QS0101") if m.name == "测试映射"]
    assert len(added) == 1 and added[0].phone == "13800000000"
