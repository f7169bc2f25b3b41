"""Malformed workbooks: each gets its own named message and nothing is written."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.errors import ValidationError
from app.io.score_import import parse_scores
from app.services.imports import batches, undo
from app.services.scoring import scores

from .conftest import column_of, fill


def _nothing_written(ledger):
    assert not [c for c in scores.cells(ledger, 2026) if c.manual_points is not None or c.manual_count is not None]
    assert undo.last_batch(ledger) is None


def _problems(ledger, path):
    return batches.preview_scores(ledger, parse_scores(ledger, path)).all_problems


def _refused(ledger, path, match):
    with pytest.raises(ValidationError, match=match):
        batches.apply_scores(ledger, parse_scores(ledger, path))
    _nothing_written(ledger)


def test_wrong_header(ledger, march_template, tmp_path):
    path = fill(march_template, tmp_path / "f.xlsx", {"2026-03": {"C3": "党员大会", "C4": 2}})
    _refused(ledger, path, "2026-03!C3: 表头应为“RC01 召开支部党员大会”，实际为“党员大会”")


def test_missing_header(ledger, march_template, tmp_path):
    wb = load_workbook(march_template)
    ws = wb["2026-03"]
    ws.delete_cols(4)  # one item column gone: everything after it shifts
    wb.save(tmp_path / "f.xlsx")
    problems = _problems(ledger, tmp_path / "f.xlsx")
    assert problems[0].startswith("2026-03!D3: 表头应为“RC02 召开支部委员会会议”")
    _refused(ledger, tmp_path / "f.xlsx", "表头应为")


def test_missing_sheet(ledger, march_template, tmp_path):
    wb = load_workbook(march_template)
    wb["2026-03"].title = "三月"
    wb.save(tmp_path / "f.xlsx")
    assert _problems(ledger, tmp_path / "f.xlsx")[0] == "2026-03: 缺少工作表“2026-03”（请不要重命名或删除模板中的工作表）"


def test_text_in_a_number_cell(ledger, march_template, tmp_path):
    path = fill(march_template, tmp_path / "f.xlsx", {"2026-03": {"C4": "两分"}})
    _refused(ledger, path, "2026-03!C4: 分值必须是数字，收到“两分”")


def test_merged_cells(ledger, march_template, tmp_path):
    wb = load_workbook(march_template)
    wb["2026-03"].merge_cells("C4:D4")
    wb.save(tmp_path / "f.xlsx")
    _refused(ledger, tmp_path / "f.xlsx", "2026-03!C4:D4: 合并了单元格")


def test_blank_rows_are_skipped(ledger, march_template, tmp_path):
    wb = load_workbook(march_template)
    ws = wb["2026-03"]
    ws.insert_rows(4, 2)  # two blank rows above the branch
    ws["C6"] = 2
    wb.save(tmp_path / "f.xlsx")
    result = batches.apply_scores(ledger, parse_scores(ledger, tmp_path / "f.xlsx"))
    assert result.cells == 1
    assert scores.cell(ledger, "B1", 2026, 3, "RC01").manual_points == Decimal("2.0")


def test_extra_sheets_are_ignored_with_a_notice(ledger, march_template, tmp_path):
    wb = load_workbook(march_template)
    wb.create_sheet("我的草稿")["A1"] = "随便写点"
    wb.save(tmp_path / "f.xlsx")
    preview = batches.preview_scores(ledger, parse_scores(ledger, tmp_path / "f.xlsx"))
    assert preview.ok and preview.notices == ["工作表“我的草稿”不属于模板，已忽略"]


def test_formula(ledger, march_template, tmp_path):
    path = fill(march_template, tmp_path / "f.xlsx", {"2026-03": {"C4": "=1+1"}})
    _refused(ledger, path, "2026-03!C4: 含公式“=1\\+1”，请改为直接填写数值")


def test_date_in_a_number_cell(ledger, march_template, tmp_path):
    path = fill(march_template, tmp_path / "f.xlsx", {"2026-03": {"C4": datetime(2026, 3, 2)}})
    _refused(ledger, path, "2026-03!C4: 是日期格式，不是分值")


def test_huge_value(ledger, march_template, tmp_path):
    path = fill(march_template, tmp_path / "f.xlsx", {"2026-03": {"C4": 1e20}})
    _refused(ledger, path, "2026-03!C4: 分值数值过大")


def test_unknown_and_duplicate_organisations(ledger, march_template, tmp_path):
    path = fill(march_template, tmp_path / "f.xlsx",
                {"2026-03": {"A5": "ZZ9", "C5": 1, "A6": "B1", "B6": "重复", "C6": 1}})
    problems = _problems(ledger, path)
    assert "2026-03!A5: 找不到组织编码为“ZZ9”的党组织" in problems
    assert "2026-03!A6: 组织编码“B1”与第 4 行重复" in problems


def test_legacy_xls_encrypted_truncated_and_not_excel(ledger, march_template, tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    (tmp_path / "old.xls").write_bytes(ole + b"Workbook".ljust(64, b"\0"))
    (tmp_path / "locked.xlsx").write_bytes(ole + "EncryptedPackage".encode("utf-16-le"))
    (tmp_path / "cut.xlsx").write_bytes(march_template.read_bytes()[:4000])
    (tmp_path / "note.xlsx").write_text("不是表格", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "empty.xlsx", "w") as z:
        z.writestr("hello.txt", "x")
    cases = {"old.xls": "旧版 Excel 97-2003", "locked.xlsx": "设置了打开密码", "cut.xlsx": "不完整或已损坏",
             "note.xlsx": "不是 Excel 工作簿", "empty.xlsx": "已损坏或不是有效的 Excel 工作簿"}
    for name, message in cases.items():
        with pytest.raises(ValidationError, match=message):
            parse_scores(ledger, tmp_path / name)
    _nothing_written(ledger)


def _expected(value) -> Decimal | str | None:
    """What a cell of RC01 (0–3.0 a month) should give: a value, None for blank, or 'bad'."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (bool, date, datetime)) or (isinstance(value, str) and value.strip().startswith("=")):
        return "bad"
    try:
        d = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        return "bad"
    if not d.is_finite() or d < 0 or d > 3 or d != d.quantize(Decimal("0.1")):
        return "bad"
    return d.quantize(Decimal("0.1"))


cell_values = st.one_of(
    st.none(),
    st.integers(min_value=-5, max_value=5),
    st.decimals(min_value=-3, max_value=3, places=2).map(float),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["1.5", " 2 ", "abc", "0.05", "-1", "=A1*2", "", "２", "1e1", "0.0"]),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=cell_values)
def test_any_cell_value_is_either_read_exactly_or_named(ledger, march_template, tmp_path_factory, value):
    rc01 = column_of(march_template, "RC01")
    path = fill(march_template, tmp_path_factory.mktemp("h") / "f.xlsx", {"2026-03": {f"{rc01}4": value}})
    expected = _expected(load_workbook(path)["2026-03"][f"{rc01}4"].value)
    preview = batches.preview_scores(ledger, parse_scores(ledger, path))
    if expected == "bad":
        assert len(preview.all_problems) == 1 and preview.all_problems[0].startswith(f"2026-03!{rc01}4: ")
        with pytest.raises(ValidationError):
            batches.apply_scores(ledger, parse_scores(ledger, path))
        _nothing_written(ledger)
    elif expected is None:
        assert preview.ok and not preview.has_changes
    else:
        assert preview.ok
        changes = [c for r in preview.rows for c in r.changes]
        assert [c.new for c in changes] == [f"{expected}"]
