"""有党小组 on every entry path: the register import (with undo), the organisation dialog; it decides
whether 党小组会 is required of a branch."""

from __future__ import annotations

from openpyxl import Workbook

from app.io.register_import import ORGS, parse_register
from app.services.compliance import status
from app.services.imports import batches, undo
from app.services.imports.registers import apply_register, preview_register
from app.services.register import orgs


def _sheet(path, headers, rows):
    wb = Workbook()
    wb.active.append(headers)
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def _group_meetings(ledger, code):
    return [s for s in status.year_status(ledger, ledger.today().year, org_code=code) if s.type_code == "2.3"]


def test_import_sets_has_groups_and_undo_clears_it(ledger, tmp_path):
    assert not orgs.get_org(ledger, "B1").has_groups and not _group_meetings(ledger, "B1")
    path = _sheet(tmp_path / "o.xlsx", ["组织编码", "党组织名称", "有党小组"], [["B1", "财政局党支部", "是"]])
    parsed = parse_register(ledger, path, ORGS)
    preview = preview_register(ledger, parsed)
    assert preview.ok and preview.count(batches.CHANGED) == 1
    change = preview.rows[0].changes[0]
    assert (change.field, change.old, change.new) == ("有党小组", "否", "是")
    apply_register(ledger, parsed)
    assert orgs.get_org(ledger, "B1").has_groups
    assert len(_group_meetings(ledger, "B1")) == 12  # 党小组会 every month now
    undo.undo_last(ledger)
    assert not orgs.get_org(ledger, "B1").has_groups


def test_import_refuses_a_yes_no_it_cannot_read(ledger, tmp_path):
    path = _sheet(tmp_path / "o.xlsx", ["组织编码", "党组织名称", "有党小组"], [["B1", "财政局党支部", "三个"]])
    preview = preview_register(ledger, parse_register(ledger, path, ORGS))
    assert not preview.ok
    problems = [p for r in preview.rows for p in r.problems]
    assert any("有党小组只能填“是”或“否”，收到“三个”" in p for p in problems), problems
    assert not orgs.get_org(ledger, "B1").has_groups


def test_org_dialog_ticks_has_groups(qtbot, ledger):
    from ui.dialogs.org import OrgDialog

    all_orgs = orgs.list_orgs(ledger)
    d = OrgDialog(ledger, all_orgs, orgs.get_org(ledger, "B1"))
    qtbot.addWidget(d)
    assert not d.has_groups.isChecked()
    d.has_groups.setChecked(True)
    assert d.try_save()
    assert orgs.get_org(ledger, "B1").has_groups
    d2 = OrgDialog(ledger, orgs.list_orgs(ledger), orgs.get_org(ledger, "B1"))
    qtbot.addWidget(d2)
    assert d2.has_groups.isChecked()
