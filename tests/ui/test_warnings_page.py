"""预警通报: levels and counts equal the services' figures; notice, rectification and filters work."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel

from app.domain.enums import WarningLevel
from app.services.assessment import warnings
from ui.pages.warnings import Page, last_complete_quarter


def test_default_quarter_is_last_complete_one():
    assert last_complete_quarter(date(2026, 11, 21)) == (2026, 3)
    assert last_complete_quarter(date(2026, 2, 1)) == (2025, 4)
    assert last_complete_quarter(date(2026, 4, 1)) == (2026, 1)


@pytest.fixture
def page(qtbot, demo_ctx):
    p = Page(demo_ctx)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    p.refresh()
    qtbot.waitUntil(lambda: p.loaded, timeout=10000)
    return p


def _select(page: Page, org_code: str) -> None:
    for r in range(page.proxy.rowCount()):
        if page.proxy.source_row(r).org_code == org_code:
            page.view.selectRow(r)
            return
    raise AssertionError(org_code)


def test_rows_and_counts_match_the_service(page):
    expected = warnings.quarter_warnings(page.ctx.ledger, 2026, 3)
    warned = [w for w in expected if w.level != WarningLevel.NONE]
    assert (page.year.year(), page.quarter.quarter()) == (2026, 3)
    assert page.model.rowCount() == len(warned)
    shown_levels = [page.proxy.source_row(r).level for r in range(page.proxy.rowCount())]
    assert shown_levels == sorted(shown_levels, reverse=True)  # grouped: red, orange, yellow
    for lv in (WarningLevel.RED, WarningLevel.ORANGE, WarningLevel.YELLOW):
        n = sum(1 for w in warned if w.level == lv)
        assert f"{lv.label}（{lv.action}）<b>{n}</b> 个" in page.counts.text()


def test_filters(page):
    today = page.ctx.ledger.today()
    rows = page.model.rows()
    for choice, status in (("已逾期", {"已逾期"}), ("已整改", {"已整改"}), ("未整改", {"待整改", "已逾期"})):
        page.filter.setCurrentText(choice)
        shown = [page.proxy.source_row(r) for r in range(page.proxy.rowCount())]
        assert len(shown) == sum(1 for w in rows if w.issued and w.status(today) in status)
        assert all(w.status(today) in status for w in shown)
    page.filter.setCurrentText("全部")
    assert page.proxy.rowCount() == len(rows)


def test_rectification_closes_an_overdue_warning(page):
    page.filter.setCurrentText("已逾期")
    target = page.proxy.source_row(0)
    page.view.selectRow(0)
    dialog = page.rectification_dialog(target)
    dialog.closed.setChecked(True)
    dialog.verified_by.setText("")
    dialog.measures.setPlainText("已补开支委会并完善台账")
    assert not dialog.try_save()  # 销号 needs the verifier
    assert "验收人" in dialog.message.text()
    dialog.verified_by.setText("王组织委员")
    dialog.closed_on.setDate(QDate(2026, 11, 20))
    assert dialog.try_save()
    page._changed([dialog.result_value if r.org_code == target.org_code else r for r in page.rows])
    stored = next(w for w in warnings.quarter_warnings(page.ctx.ledger, 2026, 3) if w.org_code == target.org_code)
    assert stored.rectification.closed_on == date(2026, 11, 20)
    assert stored.rectification.verified_by == "王组织委员"
    assert all(page.proxy.source_row(r).org_code != target.org_code for r in range(page.proxy.rowCount()))


def test_a_notice_for_an_unfinished_quarter_is_only_a_draft(page, qtbot):
    page.quarter.set_quarter(4)  # Q4 2026 is still running on 2026-11-21
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    assert not any(r.issued for r in page.rows) and all(r.provisional for r in page.rows)
    dialog = page.issue_dialog()
    assert "尚未结束" in dialog.findChild(QLabel, "hint").text() and "草稿" in dialog.findChild(QLabel, "hint").text()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.notice_no.setText("青开党工〔2026〕15号")
    assert not dialog.try_save()  # the service refuses too
    assert not any(w.issued for w in warnings.quarter_warnings(page.ctx.ledger, 2026, 4))


def test_a_second_notice_adds_only_new_warnings_and_keeps_what_was_issued(page, qtbot):
    from app.services.scoring import scores

    ledger = page.ctx.ledger
    before = {w.org_code: w for w in warnings.quarter_warnings(ledger, 2026, 3)}
    calm = next(w for w in before.values() if not w.level and not w.issued)
    warned = next(w for w in before.values() if w.issued)
    # A 一票否决 found in August for the calm branch: it is newly red for Q3.
    scores.set_score(ledger, calm.org_code, 2026, 8, "KF03", count=1)
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    dialog = page.issue_dialog()
    assert "只通报新达到预警线" in dialog.findChild(QLabel, "hint").text()
    dialog.notice_no.setText("青开党工〔2026〕16号")
    assert dialog.try_save(), dialog.message.text()
    page._changed(dialog.result_value)
    after = {w.org_code: w for w in warnings.quarter_warnings(ledger, 2026, 3)}
    assert after[calm.org_code].issued and after[calm.org_code].notice_no == "青开党工〔2026〕16号"
    assert after[warned.org_code].notice_no == warned.notice_no  # kept as issued
    assert after[warned.org_code].as_issued == warned.as_issued


def test_an_issued_notice_keeps_its_figures_and_the_change_is_marked(page, qtbot):
    from app.domain.points import fmt
    from app.services.scoring import scores

    issued = next(w for w in page.rows if w.issued and w.level != WarningLevel.NONE)
    scores.set_score(page.ctx.ledger, issued.org_code, 2026, 9, "KF01", count=1)  # a deduction found later
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    row = next(r for r in range(page.proxy.rowCount()) if page.proxy.source_row(r).org_code == issued.org_code)
    w = page.proxy.source_row(row)
    assert w.changed_since_issue and w.quarter_score == issued.quarter_score - 2
    headers = [page.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(page.proxy.columnCount())]
    cell = {h: page.proxy.index(row, c).data() for c, h in enumerate(headers)}
    assert cell["预警等级"] == issued.level.label and cell["季度积分"] == fmt(issued.quarter_score)
    assert cell["现状"] == f"发布后有变化：现{w.level.label.split('·')[-1]} {fmt(w.quarter_score)}"
    assert "发布后台账有变化的 1 个，通报内容不变" in page.summary.text()


def test_a_running_quarter_is_shown_as_provisional(page, qtbot):
    page.quarter.set_quarter(4)
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    assert "本季度尚未结束" in page.summary.text()
    assert all(page.proxy.source_row(r).provisional for r in range(page.proxy.rowCount()))


def test_the_row_worked_on_stays_selected(page):
    page.filter.setCurrentText("全部")
    page.view.selectRow(2)
    chosen = page.proxy.source_row(2).org_code
    page._changed(list(page.rows))  # as after 登记整改: the table is re-read
    from ui.widgets.tables import selected_row

    assert selected_row(page.view).org_code == chosen
