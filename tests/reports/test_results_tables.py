"""Printed 年度奖补兑现表 and 绩效评定结果表: every row, subtotals and the total, the approval block, fonts."""

from pathlib import Path

import pytest

from app.domain.incentives import APPRAISAL, REWARD, fmt_yuan
from app.errors import ValidationError
from app.reports.results_tables import build_appraisals, build_rewards
from app.services.assessment import grades
from app.services.incentives import results

from .conftest import flat, font_report, pdf_pages


def test_reward_table_lists_every_row_with_the_total_and_approval_block(demo_ledger, out_dir: Path):
    sheet = results.confirm(demo_ledger, 2025)
    path = out_dir / "奖补.pdf"
    pages = build_rewards(demo_ledger, 2025, path)
    text = flat("".join(pdf_pages(path)))
    assert pages >= 1 and "2025年度奖补兑现表" in text
    for r in sheet.of_kind(REWARD):
        assert flat(r.org_name) in text
    assert f"合计（{len(sheet.of_kind(REWARD))}个党组织）{fmt_yuan(sheet.total())}" in text
    assert "非公企业小计" in text and fmt_yuan(sheet.total("非公企业")) in text
    for word in ("经办人", "审核人", "批准人", "盖章", "日期"):
        assert word in text
    assert all(font_report(path).values())
    assert "草稿" not in text


def test_appraisal_table_lists_every_row(demo_ledger, out_dir: Path):
    path = out_dir / "绩效.pdf"
    build_appraisals(demo_ledger, 2025, path)
    text = flat("".join(pdf_pages(path)))
    sheet = results.year_incentives(demo_ledger, 2025)
    assert sheet.of_kind(APPRAISAL)
    for r in sheet.of_kind(APPRAISAL):
        assert flat(r.org_name) in text and flat(r.result) in text
    assert "批准人" in text and "草稿" not in text


def test_a_table_not_yet_confirmed_prints_as_a_draft(ledger, out_dir: Path):
    grades.confirm(ledger, 2025)
    path = out_dir / "绩效.pdf"
    build_appraisals(ledger, 2025, path)
    text = flat("".join(pdf_pages(path)))
    assert "财政局党支部" in text and "草稿" in text


def test_tables_before_grades_are_confirmed_are_refused(demo_ledger, out_dir: Path):
    with pytest.raises(ValidationError, match="定级尚未确认"):
        build_rewards(demo_ledger, 2026, out_dir / "x.pdf")
