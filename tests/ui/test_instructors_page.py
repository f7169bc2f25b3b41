"""指导员 page: one navigation entry before 设置, four tabs filled from the demo, the 周记录 grid typed like the
monthly grid (refusals in words and nothing written, Ctrl+Z undoes), 年度考核 shows the sign-offs and subsidies."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.instructors import weekly
from ui.models.weekly_grid import FIELDS, FIXED
from ui.pages import PAGES
from ui.pages.instructors import Page


@pytest.fixture
def page(qtbot, demo_ctx):
    p = Page(demo_ctx)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    p.refresh()
    return p


def test_one_entry_before_settings():
    names = [n for n, _t in PAGES]
    assert names[-2:] == ["instructors", "settings"] and dict(PAGES)["instructors"] == "指导员"


def test_every_tab_opens_with_demo_rows(page):
    assert page.register.people.rowCount() == 9 and page.register.assigned.rowCount() > 10
    assert page.register.uncovered.rowCount() == int(page.register.uncovered_card.number.text())
    for i in range(1, 4):
        page.tabs.setCurrentIndex(i)
    assert page.weekly.model.rowCount() == 9 and page.weekly.rollup.rowCount() == 10  # nine and the station's total
    assert page.tickets.model.rowCount() > 0 and page.tickets.rates.row(page.tickets.rates.rowCount() - 1).label == "合计"
    g = page.grades
    assert g.result.final and g.sign_button.text() == "已认定" and not g.sign_button.isEnabled()
    assert g.money.rowCount() == 9 and g.money_note.text().endswith("元</b>")


def test_the_week_grid_saves_refuses_and_undoes(page, qtbot):
    page.tabs.setCurrentIndex(1)
    tab = page.weekly
    tab.year.setValue(2026)
    tab.week.setValue(45)
    model = tab.model
    col = FIXED + FIELDS.index("solved")
    index = model.index(0, col)
    before = model.rows[0][4]["solved"]
    assert model.write(index, "-1") == "帮办解决不能为负数，收到 -1"
    assert model.write(model.index(0, FIXED), "8") == "A岗与B岗天数合计 " + str(8 + model.rows[0][4]["b_days"]) + " 天，一周最多 7 天"
    assert weekly.week_grid(page.ctx.ledger, "2026-W45")[0][4]["solved"] == before  # nothing written
    tab.view.setCurrentIndex(index)
    tab.view.setFocus()
    qtbot.keyClicks(tab.view, "4")
    qtbot.keyClick(tab.view.focusWidget(), Qt.Key.Key_Return)
    assert weekly.week_grid(page.ctx.ledger, "2026-W45")[0][4]["solved"] == 4
    assert tab.view.currentIndex().row() == 1  # Enter moved down, as in the monthly grid
    tab.undo()
    assert weekly.week_grid(page.ctx.ledger, "2026-W45")[0][4]["solved"] == before
    assert "已撤销：2026-W45" in tab.status.text()
