"""党建指导员 paper from the demo: 周记录表 (a page per instructor), 月调度表, 年度考核汇总表, 补贴发放表, 问题帮办台账 —
every font embedded, the figures the services give, the sign-offs named; a rare name character kept."""

from __future__ import annotations

import pytest

from app.errors import ValidationError
from app.reports import instructor_sheets as sheets
from app.services.instructors import assessment, register, subsidies, tickets, weekly

from .conftest import flat, font_report, pdf_pages


def test_weekly_sheets_one_page_each(demo_ledger, out_dir):
    path = out_dir / "weekly.pdf"
    assert sheets.weekly_sheets(demo_ledger, "2026-W45", path) == 9
    pages = [flat(p) for p in pdf_pages(path)]
    assert all("党建指导员积分考核工作周记录表" in p and "2026-W45" in p for p in pages)
    log = weekly.list_logs(demo_ledger, week="2026-W45")[0]
    assert log.instructor in pages[0] and all(v.place in pages[0] for v in log.visits)
    assert all(font_report(path).values())


def test_month_grades_subsidy_and_tickets(demo_ledger, out_dir):
    year = demo_ledger.today().year - 1
    sheets.month_sheet(demo_ledger, year, 10, out_dir / "m.pdf")
    roll = weekly.month_rollup(demo_ledger, year, 10)
    text = flat("".join(pdf_pages(out_dir / "m.pdf")))
    assert f"{year}年10月工作调度表" in text and roll.weeks[0] in text
    sheets.grades_sheet(demo_ledger, year, out_dir / "g.pdf")
    text = flat("".join(pdf_pages(out_dir / "g.pdf")))
    for g in assessment.assess(demo_ledger, year).lines:
        assert g.instructor in text and g.grade in text
    assert "党支部认定：非公企业综合党委王书记" in text
    sheets.subsidy_pdf(demo_ledger, year, out_dir / "s.pdf")
    text = flat("".join(pdf_pages(out_dir / "s.pdf")))
    total = subsidies.totals(subsidies.subsidies(demo_ledger, year))[2]
    assert f"{total:,}" in text and "领取人签字" in text
    sheets.tickets_sheet(demo_ledger, year, out_dir / "t.pdf")
    text = flat("".join(pdf_pages(out_dir / "t.pdf")))
    assert f"共收集问题{len(tickets.listing(demo_ledger, year=year))}个" in text
    for name in ("m", "g", "s", "t"):
        assert all(font_report(out_dir / f"{name}.pdf").values())


def test_no_subsidy_sheet_before_the_grades_are_final(demo_ledger, out_dir):
    with pytest.raises(ValidationError, match="尚未最终认定"):
        sheets.subsidy_pdf(demo_ledger, demo_ledger.today().year, out_dir / "s.pdf")
    assert not (out_dir / "s.pdf").exists()


def test_a_rare_name_character_is_printed(demo_ledger, out_dir):
    register.add_instructor(demo_ledger, "青山开发区党建工作指导站", name="王䶮", source="市派", mode="专职")
    weekly.save_log(demo_ledger, "王䶮", "2026-W45", {"visits": 1})
    sheets.weekly_sheets(demo_ledger, "2026-W45", out_dir / "w.pdf")
    assert "王䶮" in flat(pdf_pages(out_dir / "w.pdf")[-1])


def test_the_month_sheet_prints_the_station_list_and_its_feedback(demo_ledger, out_dir):
    from app.services.tracking import station_lists

    today = demo_ledger.today()
    fb = station_lists.feedback(demo_ledger, f"{today.year}-{today.month:02d}")
    assert fb.stations  # the demo issues the month's list
    path = out_dir / "mt.pdf"
    sheets.month_sheet(demo_ledger, today.year, today.month, path)
    text = flat("".join(pdf_pages(path)))
    st = fb.stations[0]
    assert "本月任务清单完成情况（月初下达，月末反馈）" in text and "任务明细" in text
    assert f"{st.station}小计{st.total.total}{st.total.done}{st.total.on_time}{st.total.overdue}" in text
    for x in station_lists.listing(demo_ledger, f"{today.year}-{today.month:02d}")[:3]:
        assert x.task.title in text
    assert all(font_report(path).values())
    sheets.month_sheet(demo_ledger, today.year - 2, 1, out_dir / "empty.pdf")
    assert "本月没有向指导站下达任务清单" in flat("".join(pdf_pages(out_dir / "empty.pdf")))


def test_the_grades_sheet_names_each_stations_sign_offs(demo_ledger, out_dir):
    assessment.reopen(demo_ledger, 2025, "改为逐站签认")
    st = register.stations(demo_ledger)[0].name
    assessment.sign(demo_ledger, 2025, "小组统计", "吴组长", station=st)
    sheets.grades_sheet(demo_ledger, 2025, out_dir / "gs.pdf")
    text = flat("".join(pdf_pages(out_dir / "gs.pdf")))
    assert f"{st}小组统计：吴组长（" in text and "站内核实：＿＿＿＿＿＿" in text and "未最终认定（草稿）" in text
