"""The 数据 menu flows and dialogs, driven as a user would (modal boxes answered by the test)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu

from app.io.package import export_package
from app.io.template import export_template
from app.services.imports import undo
from app.services.scoring import scores
from ui.actions import excel as actions
from ui.context import UiContext

from .conftest import column_of, fill


class Window(QMainWindow):
    def __init__(self, ctx) -> None:
        super().__init__()
        self.ctx = ctx
        self.menus: dict[str, QMenu] = {}

    def menu(self, name: str) -> QMenu:
        return self.menus.setdefault(name, self.menuBar().addMenu(name))


@pytest.fixture
def window(demo_ledger, qapp, monkeypatch):
    ctx = UiContext(demo_ledger)
    w = Window(ctx)
    messages: list[str] = []
    monkeypatch.setattr(actions, "_info", lambda _p, title, text: messages.append(f"{title}|{text}"))
    monkeypatch.setattr(actions, "_confirm", lambda *_a: True)
    w.messages = messages
    yield w
    ctx.tasks.wait(20000)


def _accept(monkeypatch, cls, before=None):
    def exec_(self):
        if before:
            before(self)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(cls, "exec", exec_)


def test_menu_has_every_action(window):
    actions.install(window)
    texts = [a.text() for a in window.menus["数据"].actions() if a.text()]
    assert texts == ["导出台账…", "导出填报模板…", "导入积分…", "导入党员花名册…", "导入组织…", "撤销上次导入",
                     "导出数据包…", "导入数据包…"]


def test_import_preview_apply_and_undo_through_the_ui(window, qtbot, tmp_path, monkeypatch):
    ledger = window.ctx.ledger
    tpl = export_template(ledger, 2026, tmp_path / "t.xlsx", month=11, unit="QS02")
    rc01, kf01 = column_of(tpl, "RC01", "2026-11"), column_of(tpl, "KF01", "2026-11")
    # Row 4 fills an item no work record earns, so the demo's records cannot crowd it; row 5 is over the cap.
    filled = fill(tpl, tmp_path / "f.xlsx", {"2026-11": {f"{kf01}4": 1.5, f"{rc01}5": 9}})
    seen = {}

    def look(dlg):
        seen["ok"] = dlg.ok_button.isEnabled()
        seen["reason"] = dlg.reason.text()
        dlg.resize(1200, 600)
        dlg.grab().save(str(tmp_path / "preview.png"))
        dlg.skip_invalid.setChecked(True)
        seen["ok_after"] = dlg.ok_button.isEnabled()

    from ui.excel.preview_dialog import ImportPreviewDialog

    _accept(monkeypatch, ImportPreviewDialog, look)
    with qtbot.waitSignal(window.ctx.changed, timeout=20000):
        actions.import_scores(window, filled)
    assert seen["ok"] is False and "1 行有错误" in seen["reason"] and seen["ok_after"] is True
    row4 = scores.cell(ledger, "QS0201", 2026, 11, "KF01")
    assert row4.manual_points == Decimal("1.5")
    assert window.messages[-1].startswith("导入完成|已导入：")
    with qtbot.waitSignal(window.ctx.changed, timeout=20000):
        actions.undo_import(window)
    assert scores.cell(ledger, "QS0201", 2026, 11, "KF01").manual_points is None
    assert undo.last_batch(ledger) is None


def test_a_users_own_sheet_goes_through_the_mapping_dialog(window, qtbot, tmp_path, monkeypatch):
    wb = Workbook()
    wb.active.append(["支部代号", "党员大会"])
    wb.active.append(["QS0201", 2])
    wb.save(tmp_path / "own.xlsx")
    from ui.excel.mapping_dialog import ColumnMappingDialog
    from ui.excel.preview_dialog import ImportPreviewDialog

    state = {}

    def map_it(dlg):
        state["blocked"] = not dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()
        dlg.combos[0].setCurrentIndex(dlg.combos[0].findData("org_code"))
        dlg.combos[1].setCurrentIndex(dlg.combos[1].findData("KF01"))
        dlg.month.setValue(10)
        state["ok"] = dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()

    _accept(monkeypatch, ColumnMappingDialog, map_it)
    _accept(monkeypatch, ImportPreviewDialog)
    with qtbot.waitSignal(window.ctx.changed, timeout=20000):
        actions.import_scores(window, tmp_path / "own.xlsx")
    assert state == {"blocked": True, "ok": True}
    assert scores.cell(window.ctx.ledger, "QS0201", 2026, 10, "KF01").manual_points == Decimal("2.0")


def test_package_conflicts_are_decided_in_the_dialog(window, qtbot, tmp_path, demo_file):
    from app.services.opening.setup import open_ledger

    ledger = window.ctx.ledger
    other = open_ledger(tmp_path / "other.sqlite")
    from app.io.package import import_package, read_package, trust_sender
    from app.services.kernel import identity

    first = read_package(export_package(ledger, "QS01", 2026, tmp_path / "a.djpkg"))
    trust_sender(other, first)
    import_package(other, first)
    other_fp = identity.own_fingerprint(other)
    scores.set_score(other, "QS0101", 2026, 11, "KF01", points="12.0")
    scores.set_score(ledger, "QS0101", 2026, 11, "KF01", points="8.0")
    pkg = export_package(other, "QS01", 2026, tmp_path / "b.djpkg")
    other.close()
    seen = {}

    def decide(dlg):
        seen["n"] = len(dlg.plan.conflicts)
        dlg.resize(900, 400)
        dlg.grab().save(str(tmp_path / "conflicts.png"))
        dlg.set_all("theirs")

    def compare(sender, unit_id, fingerprint):  # the fingerprint read out over the phone matches
        seen["fp"] = fingerprint
        return fingerprint == other_fp

    with qtbot.waitSignal(window.ctx.changed, timeout=20000):
        actions.import_package(window, pkg, dialog_hook=decide, trust_hook=compare)
    assert seen["n"] >= 1 and seen["fp"] == other_fp
    assert scores.cell(ledger, "QS0101", 2026, 11, "KF01").manual_points == Decimal("12.0")


def test_export_dialogs_write_their_files(window, qtbot, tmp_path):
    from ui.excel.export_dialogs import LedgerExportDialog, PackageExportDialog, TemplateExportDialog

    d = LedgerExportDialog(window.ctx, window)
    d.path.setText(str(tmp_path / "l.xlsx"))
    actions.export_ledger(window, d)
    t = TemplateExportDialog(window.ctx, window)
    t.by_quarter.setChecked(True)
    t.path.setText(str(tmp_path / "t.xlsx"))
    actions.export_template(window, t)
    p = PackageExportDialog(window.ctx, window)
    p.scope.set_code("QS01")
    p.path.setText(str(tmp_path / "p"))
    actions.export_package(window, p)
    window.ctx.tasks.wait(30000)
    qtbot.waitUntil(lambda: len(window.messages) == 3, timeout=20000)
    assert (tmp_path / "l.xlsx").exists() and (tmp_path / "t.xlsx").exists() and (tmp_path / "p.djpkg").exists()
    assert t.default_name() == "2026年第4季度积分填报模板.xlsx"


def test_roster_import_through_the_ui_maps_once_then_remembers(window, qtbot, tmp_path, monkeypatch):
    from app.services.register import members

    wb = Workbook()
    wb.active.append(["所在支部", "姓名", "手机号"])
    wb.active.append(["QS0201", "测试党员", "13900000000"])
    wb.save(tmp_path / "roster.xlsx")
    asked = []

    def map_it(dlg):
        asked.append(True)
        dlg.combos[0].setCurrentIndex(dlg.combos[0].findData("org_code"))
        dlg.combos[2].setCurrentIndex(dlg.combos[2].findData("phone"))

    with qtbot.waitSignal(window.ctx.changed, timeout=20000):
        actions.import_register(window, "roster", tmp_path / "roster.xlsx", mapping_hook=map_it,
                                preview_hook=lambda dlg: None)
    got = {m.name: m.phone for m in members.roster(window.ctx.ledger, "QS0201")}
    assert got["测试党员"] == "13900000000" and asked == [True]
    done = []
    actions.import_register(window, "roster", tmp_path / "roster.xlsx", mapping_hook=map_it,
                            preview_hook=lambda dlg: done.append(dlg.preview.summary()) or dlg.reject())
    qtbot.waitUntil(lambda: bool(done), timeout=20000)
    assert asked == [True] and "无变化 1 行" in done[0]
