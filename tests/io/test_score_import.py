"""Template round trip, stale templates, locks, caps, all-or-nothing, and exact undo."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.errors import ConflictError, LockedError, ValidationError
from app.io.score_import import parse_scores
from app.io.template import META_SHEET, export_template
from app.services.imports import batches, undo
from app.services.kernel import audit, locks
from app.services.scoring import schemes, scores

from .conftest import column_of, fill


def _manual(ledger, year=2026):
    return {(c.org_code, c.item_code, c.month): (c.manual_points, c.manual_count)
            for c in scores.cells(ledger, year) if c.manual_points is not None or c.manual_count is not None}


def test_template_has_validation_protection_and_hidden_meta(ledger, march_template):
    wb = load_workbook(march_template)
    assert wb.sheetnames == ["说明", "2026-03", META_SHEET]
    assert wb[META_SHEET].sheet_state == "veryHidden"
    ws = wb["2026-03"]
    assert ws.protection.sheet is True
    assert ws["A4"].value == "B1" and ws["A4"].protection.locked is True
    assert ws["C3"].protection.locked is True
    assert ws["C4"].protection.locked is False
    ranges = {str(dv.sqref): (dv.type, dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}
    rc01 = column_of(march_template, "RC01")
    veto = column_of(march_template, "KF03")
    assert ranges[f"{rc01}4"] == ("decimal", "0", "3.0")
    assert ranges[f"{veto}4"] == ("whole", "0", "1")
    meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(values_only=True)}
    assert meta["fingerprint"] == schemes.get_scheme(ledger, 2026).fingerprint()
    assert meta["months"] == "3"


def test_round_trip_puts_exactly_the_filled_values_in_the_database(ledger, march_template, tmp_path):
    rc01, rc03, kf01, veto = (column_of(march_template, c) for c in ("RC01", "RC03", "KF01", "KF03"))
    filled = fill(march_template, tmp_path / "f.xlsx",
                  {"2026-03": {f"{rc01}4": 2, f"{rc03}4": "0.5", f"{kf01}4": 4.0, f"{veto}4": 1}})
    parsed = parse_scores(ledger, filled)
    preview = batches.preview_scores(ledger, parsed)
    assert preview.ok and preview.count(batches.NEW) == 1
    result = batches.apply_scores(ledger, parsed)
    assert result.cells == 4 and result.backup
    assert _manual(ledger) == {
        ("B1", "RC01", 3): (Decimal("2.0"), None),
        ("B1", "RC03", 3): (Decimal("0.5"), None),
        ("B1", "KF01", 3): (Decimal("4.0"), None),
        ("B1", "KF03", 3): (Decimal("0.0"), 1),
    }
    # The same file again is all unchanged; a fresh template carries the values back out.
    again = batches.preview_scores(ledger, parse_scores(ledger, filled))
    assert again.count(batches.UNCHANGED) == 1 and not again.has_changes
    fresh = export_template(ledger, 2026, tmp_path / "fresh.xlsx", month=3)
    ws = load_workbook(fresh)["2026-03"]
    assert ws[f"{rc01}4"].value == Decimal("2.0") or ws[f"{rc01}4"].value == 2
    assert ws[f"{veto}4"].value == 1


def test_a_mistake_writes_nothing_and_names_the_cell(ledger, march_template, tmp_path):
    rc01, rc02 = column_of(march_template, "RC01"), column_of(march_template, "RC02")
    filled = fill(march_template, tmp_path / "f.xlsx", {"2026-03": {f"{rc01}4": 2, f"{rc02}4": 5}})
    with pytest.raises(ValidationError, match=f"2026-03!{rc02}4: “召开支部委员会会议”3 月填写 5.0 分，超过月上限 2.0"):
        batches.apply_scores(ledger, parse_scores(ledger, filled))
    assert _manual(ledger) == {}
    assert undo.last_batch(ledger) is None


def test_skip_invalid_imports_only_the_good_rows(ledger, march_template, tmp_path):
    from app.services.register import orgs

    orgs.add_org(ledger, code="B2", name="税务局党支部", sector="机关事业单位", parent="P1")
    tpl = export_template(ledger, 2026, tmp_path / "two.xlsx", month=3)
    rc01 = column_of(tpl, "RC01")
    filled = fill(tpl, tmp_path / "f.xlsx", {"2026-03": {f"{rc01}4": 2, f"{rc01}5": "x"}})
    result = batches.apply_scores(ledger, parse_scores(ledger, filled), skip_invalid=True)
    assert result.cells == 1
    assert set(_manual(ledger)) == {("B1", "RC01", 3)}


def test_a_stale_template_is_refused(ledger, march_template, tmp_path):
    scheme = schemes.get_scheme(ledger, 2026)
    from dataclasses import replace

    cat = scheme.categories[0]
    item = replace(cat.items[0], monthly_cap=Decimal("2.5"))
    changed = replace(scheme, categories=(replace(cat, items=(item, *cat.items[1:])), *scheme.categories[1:]))
    schemes.save_scheme(ledger, changed, accept_calibration=True)
    with pytest.raises(ValidationError, match="旧版 2026 年积分细则"):
        parse_scores(ledger, march_template)


def test_a_locked_month_refuses_the_import_naming_the_lock(ledger, march_template, tmp_path):
    rc01 = column_of(march_template, "RC01")
    filled = fill(march_template, tmp_path / "f.xlsx", {"2026-03": {f"{rc01}4": 2}})
    locks.lock_month(ledger, 2026, 3)
    with pytest.raises(ValidationError, match="2026 年 3 月已于 .* 审核锁定"):
        batches.apply_scores(ledger, parse_scores(ledger, filled))
    assert _manual(ledger) == {}


def test_yearly_cap_counts_the_other_months(ledger, march_template, tmp_path):
    # RC01: 3.0 a month, 12.0 a year. Four months at 3.0 already; March would make 14.0.
    for m in (1, 2, 4, 5):
        scores.set_score(ledger, "B1", 2026, m, "RC01", points="3.0")
    tpl = export_template(ledger, 2026, tmp_path / "t.xlsx", month=3)
    rc01 = column_of(tpl, "RC01")
    filled = fill(tpl, tmp_path / "f.xlsx", {"2026-03": {f"{rc01}4": 2}})
    preview = batches.preview_scores(ledger, parse_scores(ledger, filled))
    assert preview.all_problems == [
        f"2026-03!{rc01}4: “召开支部党员大会”3 月填写 2.0 分后全年累计 14.0 分（含工作记录计分），超过年上限 12.0"]


def test_undo_restores_exactly_and_is_audited(ledger, march_template, tmp_path):
    scores.set_score(ledger, "B1", 2026, 3, "RC02", points="1.0")
    scores.set_score(ledger, "B1", 2026, 3, "JF01", count=1)
    before = _manual(ledger)
    rc01, rc02, jf01 = (column_of(march_template, c) for c in ("RC01", "RC02", "JF01"))
    tpl = export_template(ledger, 2026, tmp_path / "t.xlsx", month=3)
    filled = fill(tpl, tmp_path / "f.xlsx", {"2026-03": {f"{rc01}4": 1.5, f"{rc02}4": None, f"{jf01}4": 6}})
    batches.apply_scores(ledger, parse_scores(ledger, filled))
    assert _manual(ledger) != before
    undone = undo.undo_last(ledger)
    assert undone.undone and _manual(ledger) == before
    assert [a.action for a in audit.recent(ledger, 3)][:2] == ["撤销导入", "导入积分"]
    assert audit.verify_chain(ledger)[0]
    with pytest.raises(ValidationError, match="没有可以撤销的导入"):
        undo.undo_last(ledger)


def test_undo_is_refused_when_a_cell_changed_after_the_import(ledger, march_template, tmp_path):
    rc01 = column_of(march_template, "RC01")
    batches.apply_scores(ledger, parse_scores(ledger, fill(march_template, tmp_path / "f.xlsx",
                                                           {"2026-03": {f"{rc01}4": 2}})))
    scores.set_score(ledger, "B1", 2026, 3, "RC01", points="1.0")
    with pytest.raises(ConflictError, match="B1 2026-03 RC01"):
        undo.undo_last(ledger)
    assert scores.cell(ledger, "B1", 2026, 3, "RC01").manual_points == Decimal("1.0")


def test_undo_into_a_locked_month_is_refused(ledger, march_template, tmp_path):
    rc01 = column_of(march_template, "RC01")
    batches.apply_scores(ledger, parse_scores(ledger, fill(march_template, tmp_path / "f.xlsx",
                                                           {"2026-03": {f"{rc01}4": 2}})))
    locks.lock_month(ledger, 2026, 3)
    with pytest.raises(LockedError):
        undo.undo_last(ledger)
    assert scores.cell(ledger, "B1", 2026, 3, "RC01").manual_points == Decimal("2.0")


def test_quarter_template_has_three_month_sheets(ledger, tmp_path):
    tpl = export_template(ledger, 2026, tmp_path / "q.xlsx", quarter=2)
    assert load_workbook(tpl).sheetnames[1:4] == ["2026-04", "2026-05", "2026-06"]
    rc01 = column_of(tpl, "RC01", "2026-05")
    filled = fill(tpl, tmp_path / "f.xlsx", {"2026-05": {f"{rc01}4": 2}, "2026-06": {f"{rc01}4": 1}})
    batches.apply_scores(ledger, parse_scores(ledger, filled))
    assert _manual(ledger) == {("B1", "RC01", 5): (Decimal("2.0"), None), ("B1", "RC01", 6): (Decimal("1.0"), None)}


def test_a_change_made_after_the_preview_is_seen_before_writing(ledger, march_template, tmp_path):
    rc01, rc02 = column_of(march_template, "RC01"), column_of(march_template, "RC02")
    filled = fill(march_template, tmp_path / "f.xlsx", {"2026-03": {f"{rc01}4": 2, f"{rc02}4": 1}})
    parsed = parse_scores(ledger, filled)
    preview = batches.preview_scores(ledger, parsed)
    assert preview.count(batches.NEW) == 1
    # Someone enters RC02 by hand between the preview and the write: the import plans again,
    # so the batch remembers that hand-entered value and undo puts it back.
    scores.set_score(ledger, "B1", 2026, 3, "RC02", points="0.5")
    result = batches.apply_scores(ledger, parsed, preview=preview)
    assert result.cells == 2 and result.rows_changed == 1 and result.rows_new == 0
    undo.undo_last(ledger)
    assert _manual(ledger) == {("B1", "RC02", 3): (Decimal("0.5"), None)}


def test_a_month_locked_after_the_preview_is_not_written(ledger, march_template, tmp_path):
    rc01 = column_of(march_template, "RC01")
    parsed = parse_scores(ledger, fill(march_template, tmp_path / "f.xlsx", {"2026-03": {f"{rc01}4": 2}}))
    preview = batches.preview_scores(ledger, parsed)
    assert preview.ok
    locks.lock_month(ledger, 2026, 3)
    with pytest.raises(ValidationError, match="审核锁定"):
        batches.apply_scores(ledger, parsed, preview=preview)
    assert _manual(ledger) == {} and undo.last_batch(ledger) is None


def test_an_unchanged_preview_is_written_as_planned(ledger, march_template, tmp_path, monkeypatch):
    rc01 = column_of(march_template, "RC01")
    parsed = parse_scores(ledger, fill(march_template, tmp_path / "f.xlsx", {"2026-03": {f"{rc01}4": 2}}))
    preview = batches.preview_scores(ledger, parsed)
    planned = []
    real = batches._plan_scores
    monkeypatch.setattr(batches, "_plan_scores", lambda *a: planned.append(1) or real(*a))
    batches.apply_scores(ledger, parsed, preview=preview)
    assert planned == []  # nothing changed since the preview: its plan is used as it stands
    assert _manual(ledger) == {("B1", "RC01", 3): (Decimal("2.0"), None)}


def _stones(ledger) -> dict[str, tuple]:
    from db.models_io import Tombstone

    with ledger.db.read() as s:
        return {t.row_key: (t.org_id, t.year, t.deleted_by, t.deleted_at) for t in s.query(Tombstone).filter_by(entity="scores")}


def test_cells_an_import_or_its_undo_clears_leave_one_tombstone_each(ledger, march_template, tmp_path):
    """Deletions travel in packages: a cell cleared by an import, and the cells its undo clears, leave tombstones —
    written in one go (24,000 of them took 26 s one by one), one per cell however often it is cleared."""
    from app.services.register import orgs

    scores.set_score(ledger, "B1", 2026, 3, "RC02", points="1.0")
    rc01, rc02 = (column_of(march_template, c) for c in ("RC01", "RC02"))
    tpl = export_template(ledger, 2026, tmp_path / "t.xlsx", month=3)
    batches.apply_scores(ledger, parse_scores(ledger, fill(tpl, tmp_path / "f.xlsx",
                                                           {"2026-03": {f"{rc01}4": 2, f"{rc02}4": None}})))
    b1 = orgs.get_org(ledger, "B1")
    rc02_key = f"{b1.uuid}|2026|3|RC02"
    assert set(_stones(ledger)) == {rc02_key}  # the import cleared RC02
    undo.undo_last(ledger)  # RC01 was new: the undo clears it; RC02 comes back
    first = _stones(ledger)
    assert set(first) == {rc02_key, f"{b1.uuid}|2026|3|RC01"}
    assert first[f"{b1.uuid}|2026|3|RC01"][:3] == (b1.id, 2026, ledger.user)
    batches.apply_scores(ledger, parse_scores(ledger, fill(tpl, tmp_path / "g.xlsx", {"2026-03": {f"{rc01}4": 1}})))
    undo.undo_last(ledger)  # cleared again: the same stone, moved on
    again = _stones(ledger)
    assert set(again) == set(first) and again[f"{b1.uuid}|2026|3|RC01"][3] >= first[f"{b1.uuid}|2026|3|RC01"][3]
