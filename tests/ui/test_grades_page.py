"""年度定级: figures equal the services'; override refused without a reason, stored with one; confirm."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.domain.enums import Category
from app.services.assessment import grades
from app.services.register import orgs
from ui.pages.grades import Page


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
    expected = grades.year_grades(page.ctx.ledger, 2026)
    assert [g.org_code for g in page.model.rows()] == [g.org_code for g in expected]
    for c in Category:
        n = sum(1 for g in expected if g.final == c)
        assert f"{c.label} <b>{n}</b> 个" in page.counts.text()
    header = [page.model.headerData(i, Qt.Orientation.Horizontal) for i in range(page.model.columnCount())]
    assert header[:3] == ["排名", "党组织", "上级党委"] and "日常工作" in header and "升/降" in header


def test_override_needs_a_reason_then_is_stored(page, qtbot):
    target = page.model.rows()[0]
    _select(page, target.org_code)
    dialog = page.override_dialog(target)
    dialog.final.setCurrentIndex(dialog.final.findData("B"))
    dialog.reason.setPlainText("   ")
    assert not dialog.try_save()
    assert "理由" in dialog.message.text() and dialog.message.isVisibleTo(dialog)
    stored = next(g for g in grades.year_grades(page.ctx.ledger, 2026) if g.org_code == target.org_code)
    assert stored.final == target.final and not stored.override_reason

    dialog.reason.setPlainText("专项检查发现台账不实")
    assert dialog.try_save()
    page._changed()
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    stored = next(g for g in grades.year_grades(page.ctx.ledger, 2026) if g.org_code == target.org_code)
    assert stored.final == Category.B and stored.override_reason == "专项检查发现台账不实"
    row = page.model.find(lambda g: g.org_code == target.org_code)
    assert page.model.index(row, [page.model.headerData(i, Qt.Orientation.Horizontal) for i in range(page.model.columnCount())]
                            .index("最终定级")).data() == "B *"
    assert "人工调整 <b>1</b> 个" in page.counts.text()


def test_the_running_year_cannot_be_confirmed(page):
    assert page.year.year() == 2026 and page.rows[0].provisional
    assert not page.confirm_button.isEnabled()
    assert "尚未结束" in page.summary.text()


def test_a_confirmed_year_is_closed_until_reopened_then_confirmed_again(page, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    page.year.setValue(2025)  # the demo confirmed 2025
    qtbot.waitUntil(lambda: page.loaded and page.year.year() == 2025, timeout=10000)
    assert page.confirmation is not None and "已关闭" in page.summary.text()
    assert not page.confirm_button.isEnabled() and not page.reopen_button.isHidden()
    page.view.selectRow(0)
    assert not page.override_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("核查发现一处积分录入错误", True))
    page.reopen()
    qtbot.waitUntil(lambda: page.loaded and page.confirmation is None, timeout=10000)
    assert page.confirm_button.isEnabled()
    box = page.confirm_question()
    assert "2026" in box.text() and "A类" in box.text() and "关闭" in box.text()
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.No)
    page.confirm()
    assert not any(g.confirmed for g in grades.year_grades(page.ctx.ledger, 2025))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Yes)
    page.confirm()
    qtbot.waitUntil(lambda: page.loaded and page.confirmation is not None, timeout=10000)
    result = [g for g in grades.year_grades(page.ctx.ledger, 2025) if g.graded]
    assert result and all(g.confirmed for g in result)
    first = result[0]
    assert orgs.get_org(page.ctx.ledger, first.org_code, 2026).category == first.final
    assert "已关闭" in page.summary.text()
