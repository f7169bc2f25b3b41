"""书记项目调度通报 in 公文 form (issue 18): the organ's red mark, the 文号, the title, 滞后 first, then 临期,
then completed, the 落款 and 成文日期; a 通报 of a month not yet ended is a marked draft on every page.
"Today" is 2026-11-21 (tests/conftest.py)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.domain import tracking as rules
from app.errors import ValidationError
from app.reports import tracking_dispatch as td
from app.services.tracking import projects

from .conftest import flat, font_report, pdf_pages
from .paper import problems


def test_a_past_months_notice_is_final_with_its_number_and_the_laggards_first(demo_ledger, out_dir):
    path = out_dir / "oct.pdf"
    td.build_dispatch(demo_ledger, 2026, path, month="2026-10", notice_no="青开党工〔2026〕09号")
    pages = pdf_pages(path)
    whole = re.sub(r"—\d+—", "", flat("".join(pages)))  # page numbers come first in the extracted text
    assert whole.startswith("青山经济开发区党工委青开党工〔2026〕9号关于2026年10月书记项目推进情况的调度通报各基层党组织：")
    assert "草稿" not in whole and all(font_report(path).values())
    assert whole.endswith("下月将继续调度通报。青山经济开发区党工委2026年11月21日"
                          "青山经济开发区党工委办公室2026年11月21日印发")  # then the 版记
    rows = projects.listing(demo_ledger, 2026, full=True, as_of=date(2026, 10, 31))  # as October ended
    lag = [p for p in rows if p.track.is_lagging]
    done = [p for p in rows if p.status == rules.COMPLETED]
    assert lag and f"有节点滞后的{len(lag)}个" in whole and f"已完成{len(done)}个" in whole
    order = [whole.index(h) for h in ("一、节点滞后的项目", "二、节点临期的项目", "三、已完成的项目")]
    assert order == sorted(order)
    assert all(order[0] < whole.index(flat(p.title)) < order[1] for p in lag)
    assert all(whole.index(flat(p.title)) > order[2] for p in done)
    assert problems(path) == []


def test_the_running_months_notice_is_a_draft_on_every_page(demo_ledger, out_dir):
    path = out_dir / "nov.pdf"
    td.build_dispatch(demo_ledger, 2026, path)  # this month of this year: November, not yet ended
    pages = pdf_pages(path)
    assert "关于2026年11月书记项目推进情况的调度通报" in flat(pages[0])
    assert pages and all("草稿（月份未结束）" in flat(p) for p in pages)
    td.build_dispatch(demo_ledger, 2025, out_dir / "2025.pdf")  # another year: its December, ended
    assert "草稿" not in flat("".join(pdf_pages(out_dir / "2025.pdf")))


@pytest.mark.parametrize(("month", "message"), [("2025-11", "月份 2025-11 不在 2026 年"), ("2026-13", "月份应为")])
def test_a_month_outside_the_year_is_refused(demo_ledger, out_dir, month, message):
    with pytest.raises(ValidationError, match=message):
        td.build_dispatch(demo_ledger, 2026, out_dir / "x.pdf", month=month)
    assert not (out_dir / "x.pdf").exists()


@pytest.mark.parametrize(("year", "month", "today", "ended"), [
    (2026, 11, "2026-11-30", False), (2026, 11, "2026-12-01", True), (2026, 12, "2026-11-21", False)])
def test_a_month_ends_after_its_last_day(year, month, today, ended):
    from datetime import date

    assert td.month_ended(year, month, date.fromisoformat(today)) is ended


def test_a_past_months_notice_is_not_rewritten_by_what_happened_after_the_month(ledger, out_dir):
    """A milestone due in October and done in November is 滞后 in October's 通报; the project completed in
    November is not among October's completed ones. Today is 2026-11-21."""
    p = projects.add_project(ledger, year=2026, title="村级集体经济提质增效项目", level=rules.LEVELS[2], type="重点",
                             lead="P1", start="2026-09-01", end="2026-12-31", goal="集体经济收入均超10万元",
                             measures="党支部领办合作社", declared_on="2026-09-01")
    m = projects.add_milestone(ledger, p.id, "完成合作社注册", "2026-10-15")
    projects.approve(ledger, p.id, "2026-09-10")
    projects.add_log(ledger, p.id, 40, "已完成选址", on="2026-10-10")
    projects.milestone_done(ledger, m.id, "2026-11-05", "营业执照")
    projects.complete(ledger, p.id, "合作社已运营，年收入12万元", on="2026-11-10")

    oct_pdf, nov_pdf = out_dir / "oct.pdf", out_dir / "nov.pdf"
    td.build_dispatch(ledger, 2026, oct_pdf, month="2026-10")
    octo = flat("".join(pdf_pages(oct_pdf)))
    assert "截至2026年10月31日" in octo and "有节点滞后的1个" in octo and "已完成0个" in octo
    assert "“完成合作社注册”时限10月15日未完成" in octo
    assert octo.index("村级集体经济提质增效项目") < octo.index("二、节点临期的项目")
    td.build_dispatch(ledger, 2026, nov_pdf, month="2026-11")
    nov = flat("".join(pdf_pages(nov_pdf)))
    assert "截至2026年11月21日" in nov and "有节点滞后的0个" in nov and "已完成1个" in nov
    assert nov.index("村级集体经济提质增效项目") > nov.index("三、已完成的项目")
    assert problems(oct_pdf) == []  # (a draft's watermark lies over its text on purpose)
