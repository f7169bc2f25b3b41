"""Tracking paper (issue 18.5): 书记项目清单, 书记项目台账 with signature lines, 调度通报 (滞后 first, then
completed), 重点任务台账, 月度工作任务清单 and 月末汇总反馈表, 例会纪要 with counts, and the handbook's page."""

from __future__ import annotations

from pathlib import Path

from app.domain import tracking as rules
from app.reports import tracking_dispatch as td
from app.reports import tracking_lists as tl
from app.reports import tracking_project as tp
from app.services.tracking import meetings, projects, task_lists, tasks

from .conftest import flat, font_report, pdf_pages


def _text(path: Path) -> str:
    assert all(font_report(path).values())
    return flat("".join(pdf_pages(path)))


def test_the_project_list_has_one_row_per_project(demo_ledger, out_dir):
    path = out_dir / "list.pdf"
    tl.build_project_list(demo_ledger, 2026, path)
    text = _text(path)
    rows = projects.listing(demo_ledger, 2026)
    assert "2026年度基层党建书记项目清单" in text and f"共{len(rows)}个项目" in text
    for p in rows:
        assert flat(p.title) in text


def test_a_project_ledger_prints_the_plan_milestones_log_and_signature_lines(demo_ledger, out_dir):
    p = next(x for x in projects.listing(demo_ledger, 2026, full=True) if x.status == rules.RUNNING and x.logs)
    path = out_dir / "p.pdf"
    tp.build_project_ledger(demo_ledger, p.id, path)
    text = _text(path)
    assert flat(p.goal) in text and flat(p.measures) in text and "会议研究确定" in text
    assert all(flat(m.title) in text for m in p.milestones) and flat(p.logs[-1].note) in text
    assert "领衔书记：" in text and "负责人（签字）" in text


def test_the_dispatch_notice_puts_the_laggards_first_then_the_completed(demo_ledger, out_dir):
    path = out_dir / "d.pdf"
    td.build_dispatch(demo_ledger, 2026, path)
    text = _text(path)
    rows = projects.listing(demo_ledger, 2026)
    lag = [p for p in rows if p.track.is_lagging]
    done = [p for p in rows if p.status == rules.COMPLETED]
    assert lag and done and f"有节点滞后的{len(lag)}个" in text
    first_done = min(text.index(flat(p.title)) for p in done)
    assert all(text.index(flat(p.title)) < text.index("三、已完成的项目") < first_done for p in lag)


def test_month_list_and_feedback_add_up(demo_ledger, out_dir):
    month = "2026-11"
    fb = task_lists.feedback(demo_ledger, month)
    listed = tasks.listing(demo_ledger, month=month)
    assert fb.total == len(listed) > 0
    path = out_dir / "m.pdf"
    tl.build_month_list(demo_ledger, month, path)
    assert f"本月任务{len(listed)}项" in _text(path)
    path = out_dir / "f.pdf"
    tl.build_feedback(demo_ledger, month, path)
    text = _text(path)
    assert f"合计{fb.total}{fb.done}" in text and f"{rules.rate(fb.done, fb.total)}%" in text
    assert text.index(flat(fb.owners[0].owner_name)) < text.index(flat(fb.owners[-1].owner_name))


def test_task_ledger_and_minutes(demo_ledger, out_dir):
    path = out_dir / "t.pdf"
    tl.build_task_ledger(demo_ledger, 2026, path)
    assert f"共{len(tasks.listing(demo_ledger, year=2026))}项" in _text(path)
    m = meetings.listing(demo_ledger, 2026)[-1]
    path = out_dir / "n.pdf"
    tp.build_minutes(demo_ledger, m.id, path)
    text = _text(path)
    assert f"发言{len(m.speakers)}人次，其中经验交流{m.exchanges}人次、表态发言{m.pledges}人次" in text
    assert f"交办问题{m.rectifications}个，已整改{m.rectified}个" in text and "记录人：" in text


def test_the_handbook_prints_the_branchs_projects_and_tasks(demo_ledger, out_dir):
    from app.reports.handbook import build_handbook

    path = out_dir / "h.pdf"
    build_handbook(demo_ledger, "QS0201", 2026, path)
    pages = [flat(p) for p in pdf_pages(path)]
    page = next(p for p in pages if "书记项目与重点任务" in p and "（一）书记项目" in p)
    assert "“红色物业”进小区" in page and "（二）重点任务" in page
    assert f"共{len(tasks.listing(demo_ledger, year=2026, owner='QS0201'))}项" in page
