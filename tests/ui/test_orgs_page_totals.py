"""组织台账: a 党委's 党员数 is the sum of its branches'; the details panel follows the filter."""

from __future__ import annotations

from app.services.register import orgs
from ui.context import UiContext
from ui.pages.orgs import Page, load_rows


def test_parent_rows_sum_their_branches_members(ledger):
    orgs.update_org(ledger, "B1", member_count=23)
    orgs.add_org(ledger, code="B2", name="教育局党支部", sector="机关事业单位", parent="P1", member_count=17)
    orgs.add_org(ledger, code="B3", name="已撤销党支部", sector="机关事业单位", parent="P1", member_count=9)
    orgs.set_status(ledger, "B3", False)
    rows = {r.code: r for r in load_rows(ledger, 2026)}
    assert rows["P1"].member_total == 40 and rows["00"].member_total == 40  # the stopped branch not counted
    assert rows["B1"].member_total == 23


def test_the_details_follow_the_filter(qtbot, ledger):
    page = Page(UiContext(ledger))
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10000)
    assert page.select_code("B1")
    qtbot.waitUntil(lambda: page.details.org is not None and page.details.org.code == "B1", timeout=5000)
    page.search.setText("没有这个组织")
    qtbot.waitUntil(lambda: page.details.org is None, timeout=5000)
