"""The yearly ledger workbook: sheets, layout for print, warning fills, numbers as one decimal."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import load_workbook

from app.domain.enums import WarningLevel
from app.io.ledger_export import export_ledger
from app.services.assessment import grades, warnings
from app.services.kernel import audit


def test_ledger_workbook_sheets_and_print_setup(demo_ledger, tmp_path):
    path = export_ledger(demo_ledger, 2026, tmp_path / "l.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["汇总定级", "第1季度", "第2季度", "第3季度", "第4季度", "月度明细", "积分细则"]
    for ws in wb.worksheets:
        assert ws.freeze_panes in ("C4", "A4")
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$3"
        assert "青山经济开发区党工委" in (ws["A2"].value or "")
    head = [c.value for c in wb["汇总定级"][3]]
    assert head[:5] == ["排名", "组织编码", "党组织名称", "上级党组织", "领域"] and "年度得分" in head


def test_summary_matches_the_services_and_numbers_keep_one_decimal(demo_ledger, tmp_path):
    wb = load_workbook(export_ledger(demo_ledger, 2025, tmp_path / "l.xlsx"))
    ws = wb["汇总定级"]
    head = [c.value for c in ws[3]]
    col = head.index("年度得分")
    got = {r[1].value: (r[col].value, r[col].number_format) for r in ws.iter_rows(min_row=4)}
    want = {g.org_code: g.score for g in grades.year_grades(demo_ledger, 2025)}
    assert {k: Decimal(str(v[0])).quantize(Decimal("0.1")) for k, v in got.items()} == want
    assert {v[1] for v in got.values()} == {"0.0"}


def test_quarter_sheets_colour_warnings_by_level(demo_ledger, tmp_path):
    wb = load_workbook(export_ledger(demo_ledger, 2026, tmp_path / "l.xlsx"))
    ws = wb["第2季度"]
    levels = {w.org_code: w.level for w in warnings.quarter_warnings(demo_ledger, 2026, 2)}
    seen = set()
    for row in ws.iter_rows(min_row=4):
        level = levels[row[0].value]
        fill = row[5].fill.fgColor.rgb if row[5].fill.fill_type == "solid" else None
        assert row[5].value == level.label
        if level == WarningLevel.NONE:
            assert fill is None
        else:
            assert fill[-6:] == level.color.lstrip("#").upper()
            seen.add(level)
    assert len(seen) >= 2


def test_roster_only_on_request_and_audited(demo_ledger, tmp_path):
    wb = load_workbook(export_ledger(demo_ledger, 2026, tmp_path / "a.xlsx"))
    assert "党员花名册" not in wb.sheetnames
    wb = load_workbook(export_ledger(demo_ledger, 2026, tmp_path / "b.xlsx", with_roster=True))
    assert wb["党员花名册"].max_row > 10
    assert audit.recent(demo_ledger, 1)[0].action == "导出个人信息"
