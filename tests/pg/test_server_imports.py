"""Imports on the county server: no pre-import file copy, undo still works; file-only commands say so."""

from __future__ import annotations

from openpyxl import load_workbook

from app.services.scoring import scores
from tests.conftest import db_arg
from tests.io.conftest import column_of, fill
from tests.io.test_cli_excel import run


def test_import_and_undo_on_the_server(pg_demo_ledger, tmp_path):
    db = db_arg(pg_demo_ledger)
    tpl = tmp_path / "t.xlsx"
    assert run(db, "export-template", "--year", "2026", "--month", "11", "--unit", "QS02", "-o", str(tpl))[0] == 0
    ws = load_workbook(tpl)["2026-11"]
    row = next(c.row for c in ws["A"] if c.value == "QS0201")
    kf01 = column_of(tpl, "KF01", "2026-11")
    before = scores.cell(pg_demo_ledger, "QS0201", 2026, 11, "KF01")
    good = fill(tpl, tmp_path / "good.xlsx", {"2026-11": {f"{kf01}{row}": 1.5}})
    code, out, err = run(db, "import-scores", str(good))
    assert code == 0 and "已导入" in out and "服务器数据库不做导入前文件备份" in out, err
    assert scores.cell(pg_demo_ledger, "QS0201", 2026, 11, "KF01").manual_points == 1.5
    code, out, err = run(db, "undo-import")
    assert code == 0 and "已撤销" in out, err
    assert scores.cell(pg_demo_ledger, "QS0201", 2026, 11, "KF01") == before
    assert run(db, "verify-audit")[0] == 0


def test_file_only_commands_say_they_do_not_apply(pg_ledger, tmp_path):
    db = db_arg(pg_ledger)
    for args in (["backup"], ["backups", "list"], ["restore", str(tmp_path / "x.sqlite")]):
        code, _out, err = run(db, *args)
        assert code == 2 and "不适用于服务器数据库" in err and "pg_dump" in err and err.count("\n") == 1, args
