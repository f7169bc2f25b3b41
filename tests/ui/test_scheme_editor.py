"""积分细则 editor: invalid schemes are refused with the reasons shown; valid edits are saved;
unsaved edits are reported and never dropped silently when switching year."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QMessageBox

from app.services.scoring import schemes
from ui.pages.scheme import POS_ROLE, Page


@pytest.fixture
def page(qtbot, ctx):
    p = Page(ctx)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    p.refresh()
    return p


def _select(page: Page, code: str) -> None:
    for i in range(page.tree.topLevelItemCount()):
        node = page.tree.topLevelItem(i)
        if node.text(0).split(" ")[0] == code:
            page.tree.setCurrentItem(node)
            return
        for j in range(node.childCount()):
            if node.child(j).text(0).split(" ")[0] == code:
                page.tree.setCurrentItem(node.child(j))
                return
    raise AssertionError(code)


def _type(edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    if not text.isascii():  # QTest can only type ASCII keys; emit what typing would
        edit.setText(text)
        edit.textEdited.emit(text)
    elif text:
        QTest.keyClicks(edit, text)
    else:
        QTest.keyClick(edit, "\b")


def test_tree_shows_the_years_scheme(page):
    scheme = schemes.get_scheme(page.ctx.ledger, 2026)
    assert page.tree.topLevelItemCount() == len(scheme.categories)
    _select(page, "RC02")
    assert page.forms.currentIndex() == 2
    assert page.i_points.text() == "2.0" and page.i_monthly.text() == "2.0"
    assert page.i_record.currentData() == "2.2"
    assert not page.has_unsaved_changes()


def test_invalid_scheme_is_refused_with_every_reason(page):
    _select(page, "RC01")
    _type(page.i_monthly, "13.0")  # yearly cap is 12.0
    _select(page, "RC02")
    _type(page.i_points, "abc")
    _type(page.yellow, "10.0")  # below orange 20.0
    assert page.has_unsaved_changes() and page.save_button.isEnabled()
    assert page.save() is False
    text = page.problems.text()
    assert page.problems.isVisibleTo(page)
    assert "“abc”不是数字" in text
    assert schemes.get_scheme(page.ctx.ledger, 2026).item("RC01").monthly_cap == Decimal("3.0")
    _type(page.i_points, "1.0")
    assert page.save() is False
    text = page.problems.text()
    assert "月上限 13.0 大于年上限 12.0" in text
    assert "预警线必须满足" in text
    assert schemes.get_scheme(page.ctx.ledger, 2026).item("RC01").monthly_cap == Decimal("3.0")


def test_valid_edit_is_saved(page):
    _select(page, "RC02")
    _type(page.i_points, "1.5")
    assert page.tree.currentItem().text(2) == "1.5"
    assert page.save() is True
    assert schemes.get_scheme(page.ctx.ledger, 2026).item("RC02").points == Decimal("1.5")
    assert not page.has_unsaved_changes() and not page.problems.isVisibleTo(page)
    assert "已保存" in page.status.text()


def test_add_and_remove_items_and_categories(page):
    _select(page, "JF")
    page.add_item()
    assert page.tree.currentItem().data(0, POS_ROLE)[1] >= 0
    code = page.i_code.text()
    assert code.startswith("JF") and page.i_kind.currentData() == "bonus"
    _type(page.i_name, "获评先进基层党组织")
    _type(page.i_points, "2.0")
    page.add_category()
    _type(page.c_name, "特色工作")
    assert page.save() is True
    saved = schemes.get_scheme(page.ctx.ledger, 2026)
    assert saved.item(code).name == "获评先进基层党组织"
    assert any(c.name == "特色工作" for c in saved.categories)


def test_switching_year_asks_about_unsaved_edits(page, monkeypatch):
    _select(page, "RC02")
    _type(page.i_points, "1.5")
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Cancel)
    page.year.setValue(2025)
    assert page.year.value() == 2026 and page.has_unsaved_changes()  # nothing lost
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Save)
    page.year.setValue(2025)
    assert page.draft.year == 2025
    assert schemes.get_scheme(page.ctx.ledger, 2026).item("RC02").points == Decimal("1.5")


def test_copy_from_previous_year_loads_rules_into_the_draft(page, monkeypatch):
    prev = schemes.get_scheme(page.ctx.ledger, 2025)
    schemes.save_scheme(page.ctx.ledger, prev.__class__(
        prev.year, prev.name, prev.categories, prev.warning.__class__(Decimal("30.0"), Decimal("20.0"), Decimal("15.0")),
        prev.grade), accept_calibration=True)
    page.copy_previous()
    assert page.yellow.text() == "30.0"
    assert page.has_unsaved_changes()
    assert schemes.get_scheme(page.ctx.ledger, 2026).warning.yellow_below == Decimal("25.0")  # not yet saved
    # At 30 a routine branch (27.0 a quarter) would be warned: the user is asked, and may decline…
    asked = []
    monkeypatch.setattr(page, "confirm_calibration", lambda problems: asked.append(problems) or False)
    assert page.save() is False
    assert "每季度只得 27.0 分，不高于预警线 30.0 分" in asked[0][0] and "校准提示" in page.problems.text()
    assert schemes.get_scheme(page.ctx.ledger, 2026).warning.yellow_below == Decimal("25.0")
    # …or accept it.
    monkeypatch.setattr(page, "confirm_calibration", lambda problems: True)
    assert page.save() is True
    assert schemes.get_scheme(page.ctx.ledger, 2026).warning.yellow_below == Decimal("30.0")
