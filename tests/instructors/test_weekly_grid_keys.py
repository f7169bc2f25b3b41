"""周记录 as a spreadsheet (issue 21.1): a block pasted from Excel is judged cell by cell (a negative count
and a row over 7 duty days refused and named), the rest saved in one transaction and undone by one
Ctrl+Z; Delete clears the selection; Ctrl+C copies the rectangle."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from app.services.instructors import weekly
from ui.context import UiContext
from ui.models.weekly_grid import FIELDS, FIXED
from ui.pages.instructor_weekly import WeeklyTab

CTRL = Qt.KeyboardModifier.ControlModifier
WEEK = "2026-W20"


@pytest.fixture
def tab(qtbot, station):
    t = WeeklyTab(UiContext(station))
    qtbot.addWidget(t)
    t.resize(1366, 700)
    t.show()
    t.year.setValue(2026)
    t.week.setValue(20)
    t.refresh()
    return t


def _counts(tab, name: str) -> dict[str, int]:
    return next(r[4] for r in weekly.week_grid(tab.ctx.ledger, WEEK) if r[1] == name)


def _cell(tab, name: str, field: str):
    row = next(n for n, r in enumerate(tab.model.rows) if r[1] == name)
    return tab.model.index(row, FIXED + FIELDS.index(field))


def _paste(tab, text: str, at) -> None:
    QGuiApplication.clipboard().setText(text)
    tab.view.setFocus()
    tab.view.setCurrentIndex(at)
    QTest.keyClick(tab.view, Qt.Key.Key_V, CTRL)


def test_paste_takes_the_good_cells_refuses_the_bad_and_undoes_as_one(tab):
    names = [r[1] for r in tab.model.rows]
    first, second = names[0], names[1]
    # row 1: A岗 3, B岗 2, 走访 4; row 2: A岗 5, B岗 5 (10 days: refused together), 走访 -1 (refused)
    _paste(tab, "3\t2\t4\n5\t5\t-1\n", _cell(tab, first, "a_days"))
    got = _counts(tab, first)
    assert (got["a_days"], got["b_days"], got["visits"]) == (3, 2, 4)
    assert _counts(tab, second)["a_days"] == 0
    status = tab.status.text()
    assert "未录入 3 格" in status and "走访企业" in tab.status.toolTip() and "最多 7 天" in tab.status.toolTip()
    QTest.keyClick(tab.view, Qt.Key.Key_Z, CTRL)  # one Ctrl+Z takes back the whole paste
    got = _counts(tab, first)
    assert (got["a_days"], got["b_days"], got["visits"]) == (0, 0, 0)


def test_delete_clears_and_ctrl_c_copies_the_rectangle(tab):
    first = tab.model.rows[0][1]
    _paste(tab, "1\t1\t6\n", _cell(tab, first, "a_days"))
    start, end = _cell(tab, first, "a_days"), _cell(tab, first, "visits")
    tab.view.setCurrentIndex(start)
    tab.view.selectionModel().select(QItemSelection(start, end), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    QTest.keyClick(tab.view, Qt.Key.Key_C, CTRL)
    assert QGuiApplication.clipboard().text() == "1\t1\t6\n"
    QTest.keyClick(tab.view, Qt.Key.Key_Delete)
    got = _counts(tab, first)
    assert (got["a_days"], got["b_days"], got["visits"]) == (0, 0, 0)
