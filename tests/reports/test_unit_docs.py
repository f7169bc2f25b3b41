"""季度预警通报, 年度分类定级汇总表 and 月度积分记录表 made from the demo data."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from app.domain.enums import WarningLevel
from app.errors import ValidationError
from app.reports.monthly_sheet import build_monthly_sheet
from app.reports.notice import build_notice
from app.reports.summary import build_summary
from app.services.assessment import grades, warnings
from app.services.register import orgs

from .conftest import flat, font_report, pdf_pages


def _landscape(path: Path) -> bool:
    return all(float(p.mediabox.width) > float(p.mediabox.height) for p in pypdf.PdfReader(str(path)).pages)


def test_notice_lists_warned_orgs_by_level_with_deadlines(demo_ledger, out_dir: Path):
    path = out_dir / "n.pdf"
    build_notice(demo_ledger, 2026, 3, path)
    whole = flat("".join(pdf_pages(path)))
    rows = warnings.quarter_warnings(demo_ledger, 2026, 3)
    warned = [r for r in rows if r.level != WarningLevel.NONE]
    assert warned
    assert "关于2026年第三季度基层党组织党建积分预警情况的通报" in whole
    for r in warned:
        assert flat(r.org_name) in whole
    for r in rows:
        if r.level == WarningLevel.NONE:
            assert flat(r.org_name) not in whole
    issued_no = next(r.notice_no for r in rows if r.notice_no)
    assert flat(issued_no) in whole
    assert "整改期限" in whole and whole.endswith("青山经济开发区党工委2026年10月10日"  # 落款 over 成文日期, then the 版记
                                                   "青山经济开发区党工委办公室2026年10月10日印发")
    assert all(font_report(path).values())


def test_an_issued_notice_prints_what_it_said_and_a_running_quarter_only_as_a_draft(demo_ledger, out_dir: Path):
    from app.services.scoring import scores

    issued = next(w for w in warnings.quarter_warnings(demo_ledger, 2026, 3) if w.issued and w.level)
    scores.set_score(demo_ledger, issued.org_code, 2026, 9, "KF01", count=1)  # the ledger moves on…
    build_notice(demo_ledger, 2026, 3, out_dir / "q3.pdf")
    q3 = flat("".join(pdf_pages(out_dir / "q3.pdf")))
    assert f"季度积分{issued.quarter_score}分" in q3  # …the printed notice does not
    assert "草稿" not in q3
    build_notice(demo_ledger, 2026, 4, out_dir / "q4.pdf")
    pages = pdf_pages(out_dir / "q4.pdf")
    assert pages and all("草稿（季度未结束）" in flat(p) for p in pages)


def test_notice_number_given_on_the_command_wins(demo_ledger, out_dir: Path):
    path = out_dir / "n.pdf"
    build_notice(demo_ledger, 2026, 3, path, notice_no="青开党工〔2026〕99号")
    assert "青开党工〔2026〕99号" in flat("".join(pdf_pages(path)))


def test_notice_rejects_a_bad_quarter(demo_ledger, out_dir: Path):
    with pytest.raises(ValidationError, match="季度"):
        build_notice(demo_ledger, 2026, 5, out_dir / "n.pdf")


def test_summary_ranks_every_graded_org_in_landscape(demo_ledger, out_dir: Path):
    path = out_dir / "s.pdf"
    build_summary(demo_ledger, 2025, path)
    assert _landscape(path)
    texts = pdf_pages(path)
    whole = flat("".join(texts))
    rows = grades.year_grades(demo_ledger, 2025)
    assert len(rows) == 38
    for g in rows:
        assert flat(g.org_name) in whole
    best = min(rows, key=lambda g: g.rank)
    worst = max(rows, key=lambda g: g.rank)
    assert whole.find(flat(best.org_name)) < whole.find(flat(worst.org_name))
    assert "审批意见" in whole and "制表人" in whole
    # The header row repeats on every page of the table.
    assert len(texts) > 1 and all("党组织名称" in t for t in texts)


def test_monthly_sheet_has_every_branch_for_signing(demo_ledger, out_dir: Path):
    path = out_dir / "m.pdf"
    build_monthly_sheet(demo_ledger, 2026, 10, path)
    assert _landscape(path)
    texts = pdf_pages(path)
    whole = flat("".join(texts))
    branches = [o for o in orgs.list_orgs(demo_ledger, 2026) if o.scored and o.active]
    for o in branches:
        assert flat(o.name) in whole
    assert "2026年10月基层党组织党建积分记录表" in whole
    assert all("书记签字" in t for t in texts)
    assert all(font_report(path).values())


def test_monthly_sheet_rejects_month_13(demo_ledger, out_dir: Path):
    with pytest.raises(ValidationError, match="月份"):
        build_monthly_sheet(demo_ledger, 2026, 13, out_dir / "m.pdf")


def test_wide_tables_fit_a_scheme_with_many_categories(demo_ledger, out_dir: Path, monkeypatch):
    from dataclasses import replace

    from app.domain.enums import CategoryKind
    from app.domain.scheme import SchemeCategory
    from app.services.scoring import schemes

    real = schemes.get_scheme

    def many(ledger, year):
        s = real(ledger, year)
        extra = tuple(SchemeCategory(f"X{i}", f"附加类别{i}", CategoryKind.NORMAL, None) for i in range(8))
        return replace(s, categories=(*s.categories, *extra))

    monkeypatch.setattr(schemes, "get_scheme", many)
    build_summary(demo_ledger, 2025, out_dir / "s.pdf")
    build_monthly_sheet(demo_ledger, 2026, 10, out_dir / "m.pdf")
    assert "附加类别7" in flat("".join(pdf_pages(out_dir / "s.pdf")))
    assert "附加类别7" in flat("".join(pdf_pages(out_dir / "m.pdf")))
