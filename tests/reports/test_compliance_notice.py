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
    assert "（盖章）" in whole and "草稿" not in whole and all(font_report(path).values())


def test_a_running_quarter_prints_only_as_a_draft(demo_ledger, out_dir: Path):
    path = out_dir / "q4.pdf"
    build_compliance_notice(demo_ledger, 2026, 4, path)
    assert all("草稿（季度未结束）" in flat(p) for p in pdf_pages(path))
