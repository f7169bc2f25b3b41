"""概览 leads somewhere: a class card opens 组织台账 filtered to that class, a warning card the quarter's
预警通报, an overdue row that warning (filtered to 已逾期), a meeting row the branch's records of that type."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from app.domain.enums import Category
from ui.main_window import MainWindow


def _window(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    dash = window.select_page("dashboard")
    dash.refresh()
    qtbot.waitUntil(lambda: dash.data is not None, timeout=30000)
    return window, dash


def _wait(qtbot, page):
    qtbot.waitUntil(lambda: getattr(page, "loaded", True), timeout=30000)


def test_class_card_opens_the_register_filtered(qtbot, demo_ctx):
    window, dash = _window(qtbot, demo_ctx)
    card = dash.class_cards[Category.C]
    QTest.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert window.current_name() == "orgs"
    page = window.current_page()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=30000)
    shown = [r.info.category for r in page.model.rows()]
    assert shown and set(shown) == {Category.C}
    assert len(shown) == dash.data.classes.get(Category.C, 0)
    demo_ctx.tasks.wait(30000)


def test_warning_card_and_overdue_row_open_the_quarter(qtbot, demo_ctx):
    window, dash = _window(qtbot, demo_ctx)
    q = dash.data.warnings[1]
    dash.open_warnings(1)
    page = window.current_page()
    assert window.current_name() == "warnings"
    _wait(qtbot, page)
    assert (page.year.year(), page.quarter.quarter()) == (q.year, q.quarter)
    if dash.data.overdue:
        w = dash.data.overdue[0]
        dash.open_overdue(w)
        qtbot.waitUntil(lambda: page.loaded and page.filter.currentText() == "已逾期", timeout=30000)
        qtbot.waitUntil(lambda: page.view.selectionModel().selectedRows() != [], timeout=30000)
        from ui.widgets.tables import selected_row

        assert selected_row(page.view).org_code == w.org_code
    demo_ctx.tasks.wait(30000)


def test_meeting_row_opens_the_branchs_records(qtbot, demo_ctx):
    window, dash = _window(qtbot, demo_ctx)
    rows = dash.data.missed or dash.data.todo
    assert rows
    st = rows[0]
    dash.open_meeting(st)
    assert window.current_name() == "records"
    page = window.current_page()
    qtbot.waitUntil(lambda: page.org.code() == st.org_code, timeout=30000)
    demo_ctx.tasks.wait(30000)
