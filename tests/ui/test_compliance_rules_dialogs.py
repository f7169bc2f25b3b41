"""组织生活 rules edited on screen: the requirements of a year and the exemptions of branches go
through the same service checks as the command line; a refusal shows in place and writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from app.domain.compliance import APPLIES, EXEMPT
from app.services.compliance import exemptions, requirements, status
from app.services.safety import audit_query
from ui.dialogs.compliance_rules import (
    ExemptionDialog,
    ExemptionsDialog,
    RequirementDialog,
    RequirementsDialog,
)
from ui.pages.compliance import FIXED, Page


def _req(ledger, year, code):
    reqs, _source = requirements.requirements(ledger, year)
    return next((r for r in reqs if r.type_code == code), None)


@pytest.fixture
def yes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def test_change_one_requirement(qtbot, demo_ledger):
    before = _req(demo_ledger, 2026, "2.2")
    dialogs = RequirementsDialog(demo_ledger, 2026)
    qtbot.addWidget(dialogs)
    assert dialogs.model.rowCount() == len(requirements.requirements(demo_ledger, 2026)[0])
    d = RequirementDialog(demo_ledger, 2026, dialogs.types, before)
    qtbot.addWidget(d)
    assert not d.type.isEnabled()  # changing a requirement keeps its type
    d.minimum.setValue(before.minimum + 1)
    assert d.try_save()
    after = _req(demo_ledger, 2026, "2.2")
    assert after.minimum == before.minimum + 1
    assert after.period == before.period
    assert _req(demo_ledger, 2025, "2.2").minimum == before.minimum  # other years untouched
    assert audit_query.search(demo_ledger, action="设定组织生活要求")


def test_sectors_without_a_sector_is_refused_in_place(qtbot, demo_ledger):
    before = requirements.requirements(demo_ledger, 2026)[0]
    d = RequirementDialog(demo_ledger, 2026, RequirementsDialog(demo_ledger, 2026).types, before[0])
    qtbot.addWidget(d)
    d.applies.setCurrentText(APPLIES["sectors"])
    for box in d.sector_boxes:
        box.setChecked(False)
    assert not d.try_save()
    assert "适用范围无效" in d.message.text()
    assert requirements.requirements(demo_ledger, 2026)[0] == before  # nothing written


def test_new_requirement_with_a_due_date_next_year(qtbot, demo_ledger):
    dialogs = RequirementsDialog(demo_ledger, 2026)
    qtbot.addWidget(dialogs)
    reqs = requirements.requirements(demo_ledger, 2026)[0]
    unused = next(t for t in dialogs.types if t.code not in {r.type_code for r in reqs})
    d = RequirementDialog(demo_ledger, 2026, dialogs.types)
    qtbot.addWidget(d)
    d.type.setCurrentIndex(d.type.findData(unused.code))
    d.period.setCurrentText("月")
    assert not d.due.isEnabled()  # only yearly rules have a due date in the next year
    d.period.setCurrentText("年")
    assert d.due.isEnabled()
    d.due.setCurrentIndex(d.due.findData("3-31"))
    assert d.try_save()
    added = _req(demo_ledger, 2026, unused.code)
    assert (added.period, added.due_month, added.due_day, added.minimum) == ("year", 3, 31, 1)


def test_remove_and_copy_from_the_year_before(qtbot, demo_ledger, yes):
    dialogs = RequirementsDialog(demo_ledger, 2026)
    qtbot.addWidget(dialogs)
    n = dialogs.model.rowCount()
    dialogs.view.selectRow(0)
    gone = dialogs.model.row(0).type_code
    dialogs.remove()
    assert dialogs.model.rowCount() == n - 1
    assert _req(demo_ledger, 2026, gone) is None
    assert "2026 年自己的要求" in dialogs.source.text()
    dialogs.copy_previous()
    assert _req(demo_ledger, 2026, gone) == _req(demo_ledger, 2025, gone)
    assert dialogs.changed


def test_exemption_needs_a_reason_and_then_counts(qtbot, demo_ledger):
    st = next(s for s in status.year_status(demo_ledger, 2025, type_code="2.1") if s.status != EXEMPT)
    reqs = requirements.requirements(demo_ledger, 2025)[0]
    from app.services.register import orgs

    scored = [o for o in orgs.list_orgs(demo_ledger, 2025) if o.scored]
    q = int(st.period[-1])
    d = ExemptionDialog(demo_ledger, scored, reqs, org_code=st.org_code, type_code="2.1",
                        first=date(2025, 3 * q - 2, 1), last=date(2025, 3 * q, 1))
    qtbot.addWidget(d)
    assert d.org.code() == st.org_code and d.type.currentData() == "2.1"
    assert not d.try_save()
    assert "豁免理由不能为空" in d.message.text()
    assert exemptions.listing(demo_ledger, st.org_code) == []
    d.last.setText(f"2025-{3 * q - 3:02d}" if q > 1 else "2024-12")
    d.reason.setText("经批准延期")
    assert not d.try_save()
    assert "早于起始月份" in d.message.text()
    d.last.setText(f"2025-{3 * q:02d}")
    assert d.try_save()
    after = next(s for s in status.year_status(demo_ledger, 2025, type_code="2.1", org_code=st.org_code)
                 if s.period == st.period)
    assert after.status == EXEMPT


def test_exemption_list_withdraws(qtbot, demo_ledger, yes):
    from app.services.register import orgs

    org = next(o for o in orgs.list_orgs(demo_ledger, 2025) if o.scored)
    exemptions.add(demo_ledger, org.code, "2.2", "2025-01", "2025-02", "新建支部")
    reqs = requirements.requirements(demo_ledger, 2025)[0]
    d = ExemptionsDialog(demo_ledger, [org], reqs, org_code=org.code)
    qtbot.addWidget(d)
    assert d.model.rowCount() == 1 and d.model.row(0).reason == "新建支部"
    d.view.selectRow(0)
    d.remove()
    assert d.model.rowCount() == 0
    assert exemptions.listing(demo_ledger, org.code) == []
    assert d.changed


def test_a_matrix_column_names_its_months(qtbot, demo_ctx):
    p = Page(demo_ctx)
    qtbot.addWidget(p)
    p.year.setValue(2025)
    qtbot.waitUntil(lambda: p.loaded, timeout=20000)
    kinds = {p.reqs[p.type.itemData(i)].period: p.type.itemData(i) for i in range(p.type.count())}
    p.type.setCurrentIndex(p.type.findData(kinds["quarter"]))
    assert p.cell_months(FIXED + 1) == (date(2025, 4, 1), date(2025, 6, 1))
    assert p.cell_months(0) is None and p.cell_months(FIXED + 4) is None
    p.type.setCurrentIndex(p.type.findData(kinds["month"]))
    assert p.cell_months(FIXED + 11) == (date(2025, 12, 1), date(2025, 12, 1))
    p.type.setCurrentIndex(p.type.findData(kinds["year"]))
    assert p.cell_months(FIXED) == (date(2025, 1, 1), date(2025, 12, 1))
