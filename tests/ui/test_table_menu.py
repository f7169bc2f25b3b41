"""Every list has the office right-click menu: open, copy the selected rows, export the rows shown
(after filtering and sorting) to Excel; the 组织生活 matrix adds its own actions above them."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QGuiApplication

from ui.context import UiContext
from ui.pages.orgs import Page as OrgsPage
from ui.widgets import table_menu


def test_orgs_list_copies_exports_the_rows_shown_and_opens(qtbot, demo_ledger, tmp_path):
    page = OrgsPage(UiContext(demo_ledger))
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=20000)
    page.search.setText("社区")
    shown = page.model.rowCount()
    assert 0 < shown < len(page.all_rows)
    view = page.table
    view.selectRow(0)
    menu = table_menu.build_menu(view, "组织台账", view.model().index(0, 1))
    labels = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert labels == ["打开", "复制所选行", "导出显示的行到 Excel…"]  # 打开 = the list's double-click (编辑)
    next(a for a in menu.actions() if a.text() == "复制所选行").trigger()
    copied = QGuiApplication.clipboard().text()
    assert copied.count("\n") == 1 and page.model.row(0).info.name in copied
    target = table_menu.export_shown(view, "组织台账", str(tmp_path / "组织台账.xlsx"))
    ws = openpyxl.load_workbook(target).active
    assert ws.title == "组织台账" and ws["A1"].value == "组织台账"
    assert [c.value for c in ws[3]][:2] == ["编码", "组织名称"]
    assert ws.max_row == 3 + shown
    no_open = table_menu.build_menu(page.details.roster_view, "党员花名册", QModelIndex())
    assert "打开" not in [a.text() for a in no_open.actions()]  # nothing opens on a double-click there
    assert {ws.cell(r, 2).value for r in range(4, ws.max_row + 1)} == {r.info.name for r in page.model.rows()}


def test_compliance_cells_put_their_own_actions_first(qtbot, demo_ctx):
    from ui.pages.compliance import Page

    page = Page(demo_ctx)
    qtbot.addWidget(page)
    page.year.setValue(2025)
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    menu = page.cell_menu(page.model.index(0, 4))
    labels = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert labels[0] == "打开该支部的工作记录" and labels[1].startswith("为该期设豁免")
    assert labels[-2:] == ["复制所选行", "导出显示的行到 Excel…"]
    assert page.cell_menu(QModelIndex()) is None
