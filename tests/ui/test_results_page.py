"""结果运用 page: rows and totals equal the service's; refusal before grades are confirmed; 待重新确认 after an
override until confirmed again; registers entered through their dialogs (bad input refused in place)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QMessageBox

from app.domain.incentives import APPRAISAL, REWARD, fmt_yuan
from app.services.assessment import grades
from app.services.incentives import grants, results
from ui.dialogs.results import GrantDialog
from ui.pages.results import Page


@pytest.fixture
def page(qtbot, demo_ctx):
    p = Page(demo_ctx)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    p.refresh()
    qtbot.waitUntil(lambda: p.loaded, timeout=10000)
    return p


def _reload(page, qtbot):
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)


def test_rows_and_total_match_the_service(page):
    assert page.year.year() == 2025
    sheet = results.year_incentives(page.ctx.ledger, 2025)
    assert [r.org_code for r in page.reward_model.rows()] == [r.org_code for r in sheet.of_kind(REWARD)]
    assert [r.org_code for r in page.appraisal_model.rows()] == [r.org_code for r in sheet.of_kind(APPRAISAL)]
    assert f"合计 <b>{fmt_yuan(sheet.total())}</b> 元" in page.reward_total.text()
    assert "已确认" in page.state.text() or "确认" in page.state.text()
    assert not page.confirm_button.isEnabled()  # already confirmed, nothing changed


def test_a_year_without_confirmed_grades_is_refused_in_words(page, qtbot):
    page.year.setValue(2026)
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    assert "2026 年度定级尚未确认" in page.state.text()
    assert page.reward_model.rowCount() == 0
    assert not page.confirm_button.isEnabled() and not page.print_button.isEnabled()


def test_an_override_marks_the_row_stale_until_confirmed_again(page, qtbot, monkeypatch):
    ledger = page.ctx.ledger
    target = next(r for r in page.reward_model.rows() if r.final == "B" and not r.veto)
    grades.reopen(ledger, 2025, "复核")
    grades.override(ledger, target.org_code, 2025, "A", "经工委会议研究")
    grades.confirm(ledger, 2025)
    _reload(page, qtbot)
    stale = [r for r in page.reward_model.rows() if r.stale]
    assert [r.org_code for r in stale] == [target.org_code]
    assert "待重新确认" in page.state.text() and page.confirm_button.isEnabled()

    class Yes:
        def exec(self):
            return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(page, "confirm_question", lambda: Yes())
    page.confirm()
    _reload(page, qtbot)
    assert not any(r.stale for r in page.reward_model.rows())
    assert next(r for r in page.reward_model.rows() if r.org_code == target.org_code).final == "A"


def test_grant_dialog_refuses_a_negative_amount_then_saves(page, qtbot, tmp_path):
    page.tabs.setCurrentIndex(3)
    before = grants.listing(page.ctx.ledger)
    dialog = GrantDialog(page.ctx.ledger, page.org_list, None, page)
    qtbot.addWidget(dialog)
    dialog.org.set_code("QS0301")
    dialog.purpose.setText("阵地建设补助")
    dialog.amount.setText("-100")
    dialog.on.setText("2026-04-01")
    assert not dialog.try_save()
    assert "不能为负数" in dialog.message.text()
    assert grants.listing(page.ctx.ledger) == before
    dialog.amount.setText("8000")
    assert dialog.try_save()
    page.year.setValue(2026)
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    assert any(g.purpose == "阵地建设补助" and g.amount == Decimal("8000.00") for g in page.grant_model.rows())
    out = page.export_to("grants", tmp_path / "补助.xlsx")
    assert "阵地建设补助" in [c.value for c in load_workbook(out)["补助经费"]["D"]]


def test_rule_dialog_refuses_a_negative_amount_in_place(page, qtbot):
    from ui.dialogs.results import RuleDialog

    dialog = RuleDialog(page.ctx.ledger, 2026, page)
    qtbot.addWidget(dialog)
    dialog.sector.setCurrentText("社会组织")
    dialog.grade.setCurrentText("B")
    assert dialog.amount.isEnabled()
    dialog.amount.setText("-1")
    assert not dialog.try_save() and "不能为负数" in dialog.message.text()
    dialog.amount.setText("3500")
    assert dialog.try_save()
    from app.services.incentives import rules

    assert rules.rules(page.ctx.ledger, 2026)[0].get("社会组织", "B").amount == Decimal("3500.00")
    dialog = RuleDialog(page.ctx.ledger, 2026, page)
    qtbot.addWidget(dialog)
    dialog.sector.setCurrentText("村(社区)")
    assert not dialog.amount.isEnabled()  # 绩效评定: a result, no money


def test_award_dialog_counts_the_bonus_of_a_county_award(page, qtbot):
    from app.services.incentives import awards
    from app.services.scoring import scores
    from ui.dialogs.results import AwardDialog

    before = scores.cell(page.ctx.ledger, "QS0302", 2026, 7, "JF01").manual_count or 0
    dialog = AwardDialog(page.ctx.ledger, page.org_list, None, page)
    qtbot.addWidget(dialog)
    dialog.org.set_code("QS0302")
    dialog.level.setCurrentText("县")
    dialog.on.setText("2026-07-01")
    dialog.title.setText("县级先进基层党组织")
    assert dialog.bonus.isChecked() and dialog.try_save()
    assert dialog.result_value.bonus_item == "JF01"
    assert scores.cell(page.ctx.ledger, "QS0302", 2026, 7, "JF01").manual_count == before + 1
    assert any(a.title == "县级先进基层党组织" for a in awards.listing(page.ctx.ledger, 2026, "QS0302"))
