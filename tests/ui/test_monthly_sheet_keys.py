"""月度积分 as a spreadsheet: Ctrl+C copies a rectangle, Ctrl+V pastes a block from Excel (each cell
judged as if typed, the refused ones named and tinted, the rest undone by one Ctrl+Z), Delete clears the
selection, Ctrl+D fills down."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from app.services.register import orgs
from app.services.scoring import scores
from app.services.scoring.scores import ScoreEntry
from ui.context import UiContext
from ui.models.monthly_grid import REFUSED_BG
from ui.pages.monthly import Page
from ui.widgets.sheet_keys import parse_block

D = Decimal
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def page(qtbot, ledger):
    orgs.add_org(ledger, code="B2", name="教育局党支部", sector="机关事业单位", parent="P1", category="B", year=2026)
    orgs.add_org(ledger, code="B3", name="卫健局党支部", sector="机关事业单位", parent="P1", category="A", year=2026)
    scores.write_scores(ledger, 2026, [ScoreEntry("B1", "RC01", 2, points=D("1.0")),
                                       ScoreEntry("B2", "RC01", 2, points=D("2.0"))])
    p = Page(UiContext(ledger))
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    qtbot.waitExposed(p)
    p.year.setValue(2026)
    p.month.set_month(2)
    p.refresh()
    qtbot.waitUntil(lambda: p.loaded, timeout=10000)
    return p


def _index(page: Page, org: str, item: str):
    m = page.model
    return page.proxy.mapFromSource(m.index(m.row_of[org], m.column_of(item)))


def _select(page: Page, first, last) -> None:
    page.view.setFocus()
    page.view.setCurrentIndex(first)
    page.view.selectionModel().select(QItemSelection(first, last), QItemSelectionModel.SelectionFlag.ClearAndSelect)


def _pts(page: Page, org: str, item: str):
    return scores.cell(page.ctx.ledger, org, 2026, 2, item).manual_points


def test_parse_block_reads_what_excel_and_wps_put_on_the_clipboard():
    assert parse_block("1\t2\r\n3\t4\r\n") == [["1", "2"], ["3", "4"]]
    assert parse_block('"a""b"\t 1.5 \n\n') == [['a"b', "1.5"], [""]]
    assert parse_block("") == []


def test_ctrl_c_copies_the_selected_rectangle(page):
    _select(page, _index(page, "B1", "RC01"), _index(page, "B2", "RC02"))
    QTest.keyClick(page.view, Qt.Key.Key_C, CTRL)
    assert QGuiApplication.clipboard().text() == "1.0\t\n2.0\t\n"
    assert "已复制 2 行" in page.status.text()


def test_paste_writes_what_passes_names_what_does_not_and_one_undo_takes_it_back(page):
    page.view.setFocus()
    page.view.setCurrentIndex(_index(page, "B1", "RC02"))
    # RC02 has a monthly cap of 2.0: 3.0 for B2 is refused, "abc" is not a number.
    QGuiApplication.clipboard().setText("1.5\t0.5\n3.0\t1.0\n2.0\tabc\n")
    QTest.keyClick(page.view, Qt.Key.Key_V, CTRL)
    assert (_pts(page, "B1", "RC02"), _pts(page, "B1", "RC03")) == (D("1.5"), D("0.5"))
    assert (_pts(page, "B2", "RC02"), _pts(page, "B2", "RC03")) == (None, D("1.0"))
    assert (_pts(page, "B3", "RC02"), _pts(page, "B3", "RC03")) == (D("2.0"), None)
    text = page.status.text()
    assert "已粘贴 4 个单元格" in text and "未录入 2 格" in text
    assert "教育局党支部" in text and "上限" in text and "卫健局党支部" in text
    bad = _index(page, "B2", "RC02")
    assert bad.data(Qt.ItemDataRole.BackgroundRole).color() == REFUSED_BG
    assert "上限" in bad.data(Qt.ItemDataRole.ToolTipRole)
    assert page.proxy.index(0, 2).data() == "3.0"  # B1's month total follows
    QTest.keyClick(page.view, Qt.Key.Key_Z, CTRL)  # one step undoes the whole paste
    for org, item in (("B1", "RC02"), ("B1", "RC03"), ("B2", "RC03"), ("B3", "RC02")):
        assert _pts(page, org, item) is None
    assert "已撤销" in page.status.text() and "粘贴 4 个单元格" in page.status.text()


def test_paste_past_the_editable_columns_is_refused_with_the_place_named(page):
    last = page.model.columnCount() - 1
    page.view.setFocus()
    page.view.setCurrentIndex(page.proxy.index(0, last))
    page.sheet.paste("0.5\t9\n")
    assert "落在不能录入的位置" in page.status.text()


def test_delete_clears_the_selection_and_undo_restores(page):
    _select(page, _index(page, "B1", "RC01"), _index(page, "B2", "RC01"))
    QTest.keyClick(page.view, Qt.Key.Key_Delete)
    assert _pts(page, "B1", "RC01") is None and _pts(page, "B2", "RC01") is None
    assert "已清除 2 个单元格" in page.status.text()
    QTest.keyClick(page.view, Qt.Key.Key_Z, CTRL)
    assert (_pts(page, "B1", "RC01"), _pts(page, "B2", "RC01")) == (D("1.0"), D("2.0"))


def test_ctrl_d_fills_the_top_row_down(page):
    _select(page, _index(page, "B1", "RC01"), _index(page, "B3", "RC01"))
    QTest.keyClick(page.view, Qt.Key.Key_D, CTRL)
    assert [_pts(page, o, "RC01") for o in ("B1", "B2", "B3")] == [D("1.0")] * 3
    assert "已向下填充 2 个单元格" in page.status.text()


def test_a_locked_month_takes_no_paste(page, qtbot):
    from app.services.kernel import locks

    locks.lock_month(page.ctx.ledger, 2026, 2)
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    page.view.setCurrentIndex(_index(page, "B3", "RC02"))
    page.sheet.paste("1.0\n")
    assert _pts(page, "B3", "RC02") is None
    assert "未录入" in page.status.text()
