"""One table of bad values, driven through every path that writes a score cell (issue 13.5): the
月度积分 grid, `score set`, write_scores, the Excel import and a data package. Each path must refuse
with the same reason and write nothing."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
import sqlite3
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from app.cli import main as cli_main
from app.errors import LedgerError
from app.io.package import build as build_package
from app.io.package import export_package, import_package, read_package
from app.io.score_import import parse_scores
from app.io.template import export_template
from app.services.assessment import grades
from app.services.imports import batches
from app.services.kernel import locks
from app.services.opening.setup import open_ledger
from app.services.register import orgs
from app.services.scoring import scores
from ui.context import UiContext
from ui.pages.monthly import Page

from ..conftest import TODAY
from ..io.conftest import column_of, fill


@dataclass(frozen=True)
class Case:
    name: str
    item: str
    value: str  # as typed: points, or a count for 一票否决
    reason: str  # the part of the message every path must give
    year: int = 2026
    month: int = 2


CASES = [
    Case("over the monthly cap", "RC02", "9.0", "超过月上限 2.0"),
    Case("negative points", "RC02", "-1.0", "负"),
    Case("veto count of 2", "KF03", "2", "只能是 0 或 1"),
    Case("locked month", "RC02", "1.0", "审核锁定"),
    Case("before the founding date", "RC02", "1.0", "尚未成立"),
    Case("结对共建 without a pairing", "ZY02", "1.0", "没有结对共建关系"),
    Case("需结对 item under another name", "ZY02", "1.0", "没有结对共建关系"),  # the flag decides, not the name
    Case("over the yearly cap", "XX02", "5.0", "超过年上限 5.0"),
    Case("confirmed year", "RC02", "1.0", "由 管理员 确认，该年度已关闭", year=2025),
]


def _setup(ledger, case: Case) -> None:
    if case.name == "locked month":
        locks.lock_month(ledger, case.year, case.month)
    elif case.name == "before the founding date":
        orgs.update_org(ledger, "B1", established_on=date(2026, 6, 10))
    elif case.name == "over the yearly cap":
        scores.set_score(ledger, "B1", 2026, 1, "XX02", count=1)  # 2.5 of 5.0 used; 5.0 more would be 7.5
    elif case.name == "需结对 item under another name":
        from app.domain.scheme import scheme_from_dict, scheme_rules_dict
        from app.services.scoring import schemes

        current = schemes.get_scheme(ledger, 2026)
        data = scheme_rules_dict(current)
        item = next(i for c in data["categories"] for i in c["items"] if i["code"] == "ZY02")
        item["name"], item["needs_pairing"] = "共建活动", True
        schemes.save_scheme(ledger, scheme_from_dict({**data, "name": current.name}, 2026), accept_calibration=True)
    elif case.name == "confirmed year":
        scores.set_score(ledger, "B1", 2025, 1, "RC02", count=1)
        grades.confirm(ledger, 2025)


def _entry(case: Case) -> scores.ScoreEntry:
    if case.item == "KF03":
        return scores.ScoreEntry("B1", case.item, case.month, count=int(case.value))
    return scores.ScoreEntry("B1", case.item, case.month, points=D(case.value))


def _cells(ledger, year):
    return sorted((c.item_code, c.month, c.manual_points, c.manual_count) for c in scores.cells(ledger, year))


# --- the paths: each returns the refusal in words (or "" when it wrote) ----------------------------
def via_service(ledger, case, tmp_path, qtbot):
    try:
        scores.write_scores(ledger, case.year, [_entry(case)])
    except LedgerError as e:
        return str(e)
    return ""


def via_cli(ledger, case, tmp_path, qtbot):
    kind = "--count" if case.item == "KF03" else "--points"
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli_main(["--db", str(ledger.path), "score", "set", "--org", "B1", "--year", str(case.year),
                         "--month", str(case.month), "--item", case.item, kind, case.value])
    return err.getvalue() if code else ""


def via_grid(ledger, case, tmp_path, qtbot):
    ctx = UiContext(ledger)
    page = Page(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.year.setValue(case.year)
    page.month.set_month(case.month)
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    m = page.model
    if "B1" not in m.row_of:  # the grid does not even offer the row
        return "尚未成立" if case.name == "before the founding date" else "no row"
    index = page.proxy.mapFromSource(m.index(m.row_of["B1"], m.column_of(case.item)))
    if not (page.proxy.flags(index) & Qt.ItemFlag.ItemIsEditable):
        return page.banner.text() if page.banner.isVisible() else "read-only"
    page.view.setFocus()
    page.view.setCurrentIndex(index)
    QTest.keyClick(page.view, case.value[0])
    editor = next(w for w in page.view.viewport().findChildren(QLineEdit) if w.isVisible())
    QTest.keyClicks(editor, case.value[1:])
    QTest.keyClick(editor, Qt.Key.Key_Return)
    said = page.status.text()
    ctx.tasks.wait(10000)
    return said if "未保存" in said else ""


def via_excel(ledger, case, tmp_path, qtbot):
    try:
        tpl = export_template(ledger, case.year, tmp_path / "t.xlsx", month=case.month)
    except LedgerError as e:  # a template is not even offered
        return str(e)
    col = column_of(tpl, case.item, f"{case.year}-{case.month:02d}")
    value = int(case.value) if case.item == "KF03" else float(case.value)
    filled = fill(tpl, tmp_path / "f.xlsx", {f"{case.year}-{case.month:02d}": {f"{col}4": value}})
    try:
        batches.apply_scores(ledger, parse_scores(ledger, filled))
    except LedgerError as e:
        return str(e)
    return ""


def via_package(ledger, case, tmp_path, qtbot):
    """The sender's own rules are bypassed (the row is added to a finished package by hand); the
    receiver, a copy of the same ledger (so its locks, dates and confirmations hold), judges it."""
    pkg = export_package(ledger, "P1", case.year, tmp_path / "p.djpkg")
    src, dst = sqlite3.connect(ledger.path), sqlite3.connect(tmp_path / "receiver.sqlite")
    src.backup(dst)  # a plain file copy would miss what is still in the write-ahead log
    src.close()
    dst.close()
    keys = ledger.path.with_name(ledger.path.name + ".keys")  # the copy is the same installation: its keys too
    shutil.copytree(keys, tmp_path / "receiver.sqlite.keys")
    receiver = open_ledger(tmp_path / "receiver.sqlite")
    receiver.today = lambda: TODAY
    try:
        org_uuid = next(o["uuid"] for o in read_package(pkg).payload["organizations"] if o["code"] == "B1")
        count = int(case.value) if case.item == "KF03" else None
        row = {"org_uuid": org_uuid, "year": case.year, "month": case.month, "item_code": case.item,
               "manual_points": None if count is not None else case.value, "manual_count": count, "note": ""}

        def add_row(p: bytes) -> bytes:
            data = json.loads(p)
            data["scores"].append(row)
            return json.dumps(data).encode()

        with zipfile.ZipFile(pkg) as z:
            manifest, payload = json.loads(z.read("manifest.json")), add_row(z.read("payload.json"))
        manifest["payload_sha256"] = hashlib.sha256(payload).hexdigest()
        forged = tmp_path / "forged.djpkg"  # signed again with the sender's key: only its rules are bypassed
        forged.write_bytes(build_package(ledger, json.dumps(manifest).encode(), payload))
        before = _cells(receiver, case.year)
        try:
            import_package(receiver, read_package(forged))
        except LedgerError as e:
            assert _cells(receiver, case.year) == before, "nothing of the package is written"
            return str(e)
        return ""
    finally:
        receiver.close()


PATHS = {"service": via_service, "cli": via_cli, "grid": via_grid, "excel": via_excel, "package": via_package}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_path_refuses_the_same_bad_value_for_the_same_reason(ledger, tmp_path, qtbot, case, path):
    _setup(ledger, case)
    before = _cells(ledger, case.year)
    said = PATHS[path](ledger, case, tmp_path, qtbot)
    assert case.reason in said, f"{path}: {said!r}"
    assert _cells(ledger, case.year) == before
