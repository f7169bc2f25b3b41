"""月度积分 by keyboard: values stored through the services, totals and warning colour follow,
caps are refused in place, Ctrl+Z writes the previous value back, locked months are read-only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from app.domain.enums import WarningLevel
from app.services.kernel import locks
from app.services.scoring import schemes, scores
from app.services.scoring.scores import ScoreEntry
from ui.context import UiContext
from ui.models.monthly_grid import COL_MONTH, COL_QTD, LEVEL_ROLE, MARKER_ROLE
from ui.models.org_year import TOTAL_COL
from ui.pages.monthly import Page

D = Decimal


@pytest.fixture
def page(qtbot, ledger):
    # January of Q1 2026 holds 14.0 points for B1: red (below 15) until one more point arrives.
    jan = {"RC01": "2.0", "RC02": "2.0", "RC04": "2.0", "ZT01": "2.0", "ZY01": "2.0", "XX01": "2.0",
           "RC05": "1.0", "ZY03": "1.0"}
    scores.write_scores(ledger, 2026, [ScoreEntry("B1", code, 1, points=D(v)) for code, v in jan.items()])
    ctx = UiContext(ledger)
    p = Page(ctx)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    qtbot.waitExposed(p)
    p.year.setValue(2026)
    p.month.set_month(2)
    p.refresh()
    _wait(qtbot, p)
    return p


def _wait(qtbot, page: Page) -> None:
    """The month is read in the background; wait until it is shown."""
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)


def _index(page: Page, org: str, item: str, column: int | None = None):
    m = page.model
    src = m.index(m.row_of[org], m.column_of(item) if column is None else column)
    return page.proxy.mapFromSource(src)


def _editor(page: Page) -> QLineEdit:
    editors = [w for w in page.view.viewport().findChildren(QLineEdit) if w.isVisible()]
    assert len(editors) == 1
    return editors[0]


def _type(page: Page, org: str, item: str, text: str, key=Qt.Key.Key_Return) -> QLineEdit:
    page.view.setFocus()
    page.view.setCurrentIndex(_index(page, org, item))
    QTest.keyClick(page.view, text[0])  # the first key opens the editor, like a spreadsheet
    editor = _editor(page)
    QTest.keyClicks(editor, text[1:])
    QTest.keyClick(editor, key)
    return editor


def test_grid_lists_items_and_january_total(page, qtbot):
    m = page.model
    assert m.rowCount() == 1  # only B1 is scored (00 and P1 manage)
    assert page.proxy.index(0, COL_MONTH).data() == "0.0"  # nothing in February yet
    assert page.proxy.index(0, COL_QTD).data() == "14.0"  # January counts towards the quarter
    page.month.set_month(1)
    assert not page.loaded and page.model.locked  # no typing into the old month while reading
    _wait(qtbot, page)
    assert page.proxy.index(0, COL_MONTH).data() == "14.0"
    assert page.proxy.index(0, COL_QTD).data(LEVEL_ROLE) == WarningLevel.RED


def test_enter_saves_moves_down_and_updates_total_and_colour(page):
    before = page.proxy.index(0, COL_QTD).data(LEVEL_ROLE)
    assert before == WarningLevel.RED
    _type(page, "B1", "RC02", "1.5")
    assert scores.cell(page.ctx.ledger, "B1", 2026, 2, "RC02").manual_points == D("1.5")
    assert page.proxy.index(0, COL_MONTH).data() == "1.5"
    assert page.proxy.index(0, COL_QTD).data() == "15.5"
    assert page.proxy.index(0, COL_QTD).data(LEVEL_ROLE) == WarningLevel.ORANGE  # above 15 (15.0 itself is red)
    assert page.model.data(page.model.index(0, COL_QTD), Qt.ItemDataRole.BackgroundRole).color().name() == "#f07800"
    assert _index(page, "B1", "RC02").data() == "1.5"
    assert not [w for w in page.view.viewport().findChildren(QLineEdit) if w.isVisible()]


def test_tab_saves_and_moves_right(page):
    _type(page, "B1", "RC03", "0.5", key=Qt.Key.Key_Tab)
    assert scores.cell(page.ctx.ledger, "B1", 2026, 2, "RC03").manual_points == D("0.5")
    assert page.view.currentIndex() == _index(page, "B1", "RC04")


def test_value_over_cap_is_refused_in_place(page):
    editor = _type(page, "B1", "RC02", "3.0")
    assert editor.isVisible()  # still editing
    assert "2.0" in page.delegate.last_error and "上限" in page.delegate.last_error
    assert "d7261e" in editor.styleSheet()
    assert editor.toolTip() == page.delegate.last_error
    assert scores.cell(page.ctx.ledger, "B1", 2026, 2, "RC02").manual_points is None
    assert page.proxy.index(0, COL_MONTH).data() == "0.0"


def test_yearly_cap_from_service_is_refused_in_place(page):
    # XX02 has no monthly cap, only a yearly one: March holds 7.5, so 5.0 more in February passes the
    # monthly check and is refused by the service's yearly check.
    cap = schemes.get_scheme(page.ctx.ledger, 2026).item("XX02").yearly_cap
    scores.write_scores(page.ctx.ledger, 2026, [ScoreEntry("B1", "XX02", 3, points=cap - D("2.5"))])
    editor = _type(page, "B1", "XX02", "5.0")
    assert editor.isVisible()
    assert "年上限" in page.delegate.last_error
    assert scores.cell(page.ctx.ledger, "B1", 2026, 2, "XX02").manual_points is None


def test_not_a_number_is_refused(page):
    editor = _type(page, "B1", "RC02", "abc")
    assert editor.isVisible()
    assert "数字" in page.delegate.last_error


def test_ctrl_z_writes_previous_value_back(page):
    _type(page, "B1", "RC02", "1.0")
    _type(page, "B1", "RC02", "2.0")
    assert scores.cell(page.ctx.ledger, "B1", 2026, 2, "RC02").manual_points == D("2.0")
    page.view.setFocus()
    QTest.keyClick(page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert scores.cell(page.ctx.ledger, "B1", 2026, 2, "RC02").manual_points == D("1.0")
    QTest.keyClick(page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert scores.cell(page.ctx.ledger, "B1", 2026, 2, "RC02").manual_points is None
    assert page.proxy.index(0, COL_MONTH).data() == "0.0"
    assert "已撤销" in page.status.text()


def test_veto_takes_zero_or_one(page):
    editor = _type(page, "B1", "KF03", "2")
    assert editor.isVisible() and "1" in page.delegate.last_error
    QTest.keyClick(editor, Qt.Key.Key_Escape)
    _type(page, "B1", "KF03", "1")
    assert scores.cell(page.ctx.ledger, "B1", 2026, 2, "KF03").manual_count == 1
    assert page.proxy.index(0, COL_QTD).data(LEVEL_ROLE) == WarningLevel.RED
    assert any("一票否决" in r for r in page.model.grid.totals["B1"].reasons)


def test_record_points_are_marked_with_tooltip(page, qtbot):
    from app.services.book import records

    records.add_record(page.ctx.ledger, "B1", "7.1", {"date": "2026-02-10", "topic": "党员志愿服务"})
    scores.write_scores(page.ctx.ledger, 2026, [ScoreEntry("B1", "ZY01", 2, points=D("0.5"))])
    page.refresh()
    _wait(qtbot, page)
    idx = _index(page, "B1", "ZY01")
    assert idx.data() == "1.5"
    assert idx.data(MARKER_ROLE) is True
    assert idx.data(Qt.ItemDataRole.ToolTipRole) == "手工 0.5 + 工作记录 1 条 1.0，计入 1.5"


def test_locked_month_is_read_only_with_banner(page, qtbot):
    locks.lock_month(page.ctx.ledger, 2026, 2)
    page.refresh()
    _wait(qtbot, page)
    assert page.banner.isVisible() and "锁定" in page.banner.text()
    assert not (page.model.flags(page.model.index(0, page.model.column_of("RC02"))) & Qt.ItemFlag.ItemIsEditable)
    assert "锁定" in page.model.write(page.model.index(0, page.model.column_of("RC02")), "1.0")
    assert scores.cell(page.ctx.ledger, "B1", 2026, 2, "RC02").manual_points is None


def test_org_year_view_shows_months_and_quarters(page):
    page.tabs.setCurrentIndex(1)
    ym = page.year_model
    jan = ym.index(0, TOTAL_COL)
    q1 = ym.index(3, TOTAL_COL)
    assert ym.headerData(3, Qt.Orientation.Vertical) == "第一季度"
    assert jan.data() == "14.0" and q1.data() == "14.0"
    assert ym.index(ym.rowCount() - 1, TOTAL_COL).data() == "14.0"
    assert ym.index(0, 1 + [i.code for _c, i in ym.items].index("RC01")).data() == "2.0"


def test_opening_another_file_reloads_and_forgets_undo(page, qtbot, tmp_path):
    from app.services.opening import setup
    from app.services.opening.setup import open_ledger

    _type(page, "B1", "RC02", "1.0")
    assert page.model.undo_stack
    other = open_ledger(tmp_path / "other.sqlite")
    other.today = page.ctx.ledger.today
    setup.initialize(other, "另一个单位")
    page.ctx.replace_ledger(other)
    page.refresh()  # the main window does this on the ALL change
    _wait(qtbot, page)
    assert page.model.ledger is other
    assert page.model.rowCount() == 0 and not page.model.undo_stack
    other.close()


def test_leaving_a_cell_with_a_refused_value_says_so(page):
    # Clicking elsewhere closes the editor (Qt commits on focus-out): the refusal goes to the status line.
    index = _index(page, "B1", "RC02")
    editor = page.delegate.createEditor(page.view.viewport(), None, index)
    editor.setText("5.0")
    page.delegate.setModelData(editor, page.proxy, index)
    assert "未保存" in page.status.text() and "2.0" in page.status.text()
    assert scores.cell(page.ctx.ledger, "B1", 2026, 2, "RC02").manual_points is None
    editor.setText("1.5")
    page.delegate.setModelData(editor, page.proxy, index)
    assert scores.cell(page.ctx.ledger, "B1", 2026, 2, "RC02").manual_points == D("1.5")
    editor.deleteLater()


def test_marker_role_is_always_a_bool(page):
    # Reading None back from Qt leaks a reference in PySide6 6.12; the delegate reads this role per cell.
    m = page.model
    assert all(isinstance(m.data(m.index(0, c), MARKER_ROLE), bool) for c in range(m.columnCount()))
    ym = page.year_model
    ym.set_data(m.items, [])
    assert all(isinstance(ym.data(ym.index(r, c), MARKER_ROLE), bool)
               for r in range(ym.rowCount()) for c in range(ym.columnCount()))


def test_earlier_quarters_are_reread_after_an_edit_in_them(page, qtbot):
    page.month.set_month(4)
    _wait(qtbot, page)
    assert page.model.grid.prior_below["B1"] == 1  # Q1 holds 14.0, below the yellow line 25
    page.month.set_month(2)
    _wait(qtbot, page)
    feb = {"RC01": "2.0", "RC02": "2.0", "RC03": "1.0", "RC04": "2.0", "RC05": "0.5", "ZT01": "2.0",
           "ZT02": "1.0", "ZY01": "2.0"}
    for code, value in feb.items():
        assert page.model.write(page.model.index(0, page.model.column_of(code)), value) is None
    assert page.proxy.index(0, COL_QTD).data() == "26.5"
    page.month.set_month(4)
    _wait(qtbot, page)
    assert page.model.grid.prior_below["B1"] == 0  # Q1 is no longer below 25


def test_a_cell_holding_record_points_refuses_a_value_past_the_cap_in_the_status_line(page, qtbot):
    from app.services.book import records

    # One 支委会 record earns RC02's whole monthly cap (2.0); 0.5 more by hand would make 2.5.
    records.add_record(page.ctx.ledger, "B1", "2.2", {"date": "2026-02-10", "topic": "研究发展党员"})
    page.refresh()
    _wait(qtbot, page)
    editor = _type(page, "B1", "RC02", "0.5")
    assert editor.isVisible()
    status = page.status.text()
    assert "未保存" in status and "已由工作记录计 2.0 分，再填 0.5 分共 2.5 分，超过月上限 2.0" in status
    assert scores.cell(page.ctx.ledger, "B1", 2026, 2, "RC02").manual_points is None
