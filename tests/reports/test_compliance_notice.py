"""季度组织生活落实情况通报 (issue 16.5): the missed periods of the quarter, by 党委 and by branch."""

from __future__ import annotations

from pathlib import Path

from app.domain.compliance import MISSING
from app.reports.compliance_notice import build_compliance_notice
from app.services.compliance import status

from .conftest import flat, font_report, pdf_pages


def test_the_notice_names_every_branch_that_missed_a_meeting(demo_ledger, out_dir: Path):
    path = out_dir / "c.pdf"
    build_compliance_notice(demo_ledger, 2026, 3, path)
    whole = flat("".join(pdf_pages(path)))
    rows = status.year_status(demo_ledger, 2026, quarter=3)
    missed = [r for r in rows if r.status == MISSING]
    assert missed and "关于2026年第三季度基层党组织组织生活落实情况的通报" in whole
    assert f"缺{len(missed)}期" in whole and f"应开展{len(rows)}期" in whole
    for code in {r.org_code for r in missed}:
        assert flat(next(r.org_name for r in missed if r.org_code == code)) in whole
    clean = {r.org_name for r in rows} - {r.org_name for r in missed}
    for name in clean:
        assert f"{flat(name)}支部委员会会议（" not in whole
    assert whole.endswith("青山经济开发区党工委2026年11月21日青山经济开发区党工委办公室2026年11月21日印发") and "草稿" not in whole and all(font_report(path).values())


def test_a_running_quarter_prints_only_as_a_draft(demo_ledger, out_dir: Path):
    path = out_dir / "q4.pdf"
    build_compliance_notice(demo_ledger, 2026, 4, path)
    assert all("草稿（季度未结束）" in flat(p) for p in pdf_pages(path))


def test_each_handbook_has_its_branchs_compliance_page(demo_ledger, out_dir: Path):
    from app.reports.handbook import build_handbook

    path = out_dir / "h.pdf"
    build_handbook(demo_ledger, "QS0101", 2025, path)
    pages = [flat(p) for p in pdf_pages(path)]
    page = next(p for p in pages if p.startswith(flat("党政办公室党支部")) and "组织生活落实情况按" in p)
    missed = sum(1 for r in status.year_status(demo_ledger, 2025, org_code="QS0101") if r.status == MISSING)
    assert f"本年度共缺{missed}期" in page if missed else "均已落实" in page
    assert "每月事项" in page and "支部委员会会议" in page and "组织生活会" in page
