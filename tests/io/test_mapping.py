"""Users' own sheets: headers guessed, or mapped once and remembered."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from app.errors import ValidationError
from app.io.score_import import parse_scores, read_user_table
from app.services.imports import batches
from app.services.scoring import scores


def _own_sheet(path, headers, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "三月积分"
    ws.append(["某某街道三月份支部积分统计"])  # a title row above the headers, as people do
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_plain_headers_are_recognised(ledger, tmp_path):
    path = _own_sheet(tmp_path / "own.xlsx", ["编码", "名称", "召开支部党员大会", "RC02"], [["B1", "财政局党支部", 2, 1.5]])
    with pytest.raises(ValidationError, match="请指定年份和月份"):
        parse_scores(ledger, path)
    parsed = parse_scores(ledger, path, year=2026, month=3)
    batches.apply_scores(ledger, parsed)
    assert scores.cell(ledger, "B1", 2026, 3, "RC01").manual_points == Decimal("2.0")
    assert scores.cell(ledger, "B1", 2026, 3, "RC02").manual_points == Decimal("1.5")


def test_unrecognised_headers_need_a_mapping_which_is_remembered(ledger, tmp_path):
    path = _own_sheet(tmp_path / "own.xlsx", ["支部代号", "党员大会次数分", "备注"], [["B1", 2, "好"]])
    with pytest.raises(ValidationError, match="缺少“组织编码”列"):
        parse_scores(ledger, path, year=2026, month=4)
    table = read_user_table(path)
    assert table.header_row == 2 and table.headers == ["支部代号", "党员大会次数分", "备注"]
    parsed = parse_scores(ledger, path, year=2026, month=4, mapping={0: "org_code", 1: "RC01"})
    preview = batches.preview_scores(ledger, parsed)
    assert preview.ok and [c.new for r in preview.rows for c in r.changes] == ["2.0"]
    assert preview.rows[0].where == "三月积分!3"
    # Next time the same layout needs no mapping.
    again = parse_scores(ledger, _own_sheet(tmp_path / "b.xlsx", ["支部代号", "党员大会次数分", "备注"],
                                            [["B1", 1, ""]]), year=2026, month=5)
    assert [(v.item_code, v.points) for v in again.values] == [("RC01", Decimal("1.0"))]


def test_mapped_cells_are_checked_like_template_cells(ledger, tmp_path):
    path = _own_sheet(tmp_path / "own.xlsx", ["组织编码", "RC01"], [["B1", 4], ["", 1]])
    problems = batches.preview_scores(ledger, parse_scores(ledger, path, year=2026, month=3)).all_problems
    assert sorted(problems) == ["三月积分!A4: 缺少组织编码", "三月积分!B3: “召开支部党员大会”3 月填写 4.0 分，超过月上限 3.0"]
