"""Helpers for the Excel and exchange tests: make, fill and read back templates."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.io.template import export_template


def fill(src: Path, dst: Path, values: dict[str, dict[str, object]]) -> Path:
    """Copy a template, setting cells: {"2026-03": {"C4": 1.5, ...}}."""
    wb = load_workbook(src)
    for sheet, cells in values.items():
        for ref, value in cells.items():
            wb[sheet][ref] = value
    wb.save(dst)
    return dst


@pytest.fixture
def march_template(ledger, tmp_path) -> Path:
    """A March 2026 template of the small test ledger (one branch, B1, on row 4)."""
    return export_template(ledger, 2026, tmp_path / "tpl.xlsx", month=3)


def column_of(path: Path, item_code: str, sheet: str = "2026-03") -> str:
    ws = load_workbook(path)[sheet]
    for c in ws[3]:
        if isinstance(c.value, str) and c.value.split(" ")[0] == item_code:
            return c.column_letter
    raise KeyError(item_code)


def db_bytes(lg) -> str:
    """The database file's checksum once the write-ahead log is folded in (a pre-import backup folds it
    in too, which moves bytes between the two files without changing a single row)."""
    con = sqlite3.connect(lg.path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    return hashlib.sha256(Path(lg.path).read_bytes()).hexdigest()


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()
