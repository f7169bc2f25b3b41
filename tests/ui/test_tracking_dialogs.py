"""The 重点任务 and 书记项目 dialogs that were CLI-only (issue 18, GUI): 下发月度任务清单 (tree, typed or Excel
lines, preview, all or nothing naming the row), 新增例会, 验收销号, 变更类型/层级 and 终止. Each saves through the
service the CLI calls; a refusal stays in the dialog with the service's message and writes nothing.
"Today" is 2026-11-21 (tests/conftest.py); screenshots at 1366×768 over the demo."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from PySide6.QtWidgets import QApplication

from app.domain import tracking as rules
from app.services.safety import audit_query
from app.services.tracking import meetings, projects, task_lists, tasks
from ui.pages import projects as projects_page
from ui.pages import tasks as tasks_page


def _page(qtbot, ctx, module):
    p = module.Page(ctx)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    p.refresh()
    qtbot.waitUntil(lambda: p.loaded, timeout=20000)
    return p


def _dialog(qtbot, d):
    qtbot.addWidget(d)
    return d


def _branches(ledger, n):
    from app.services.register import orgs

    return [o.code for o in orgs.list_orgs(ledger, include_inactive=False) if o.kind.endswith("支部")][:n]


def test_a_month_list_goes_to_the_ticked_branches_after_a_preview(qtbot, demo_ctx, tmp_path):
    page = _page(qtbot, demo_ctx, tasks_page)
    codes = _branches(demo_ctx.ledger, 3)
    d = _dialog(qtbot, page.issue_dialog())
    d.month.setText("2026-12")
    d.tree.set_checked(codes)
    assert d.tree.checked_codes() == codes
    d.add_line("开展主题党日活动", "2026-12-10")
    d.add_line("报送年度工作总结", "")  # due at the month's end
    assert d.show_preview()
    assert d.preview.rowCount() == 6 and "将下发 6 项任务给 3 个责任单位" in d.preview_total.text()
    assert {d.preview.item(r, 2).text() for r in range(6)} == {"2026-12-10", "2026-12-31"}
    d.resize(1000, 640)
    assert d.grab().save(str(tmp_path / "issue.png"))
    assert d.try_save()
    fb = task_lists.feedback(demo_ctx.ledger, "2026-12")
    assert fb.total == 6 and sorted(o.owner_code for o in fb.owners) == sorted(codes)


def test_a_bad_line_names_its_row_and_nothing_of_the_list_is_written(qtbot, demo_ctx):
    page = _page(qtbot, demo_ctx, tasks_page)
    before = len(tasks.listing(demo_ctx.ledger, month="2026-12"))
    d = _dialog(qtbot, page.issue_dialog())
    d.month.setText("2026-12")
    d.tree.set_checked(_branches(demo_ctx.ledger, 2))
    d.add_line("开展主题党日活动", "2026-12-10")
    d.add_line("报送材料", "2026-11-30")  # due before it was issued (1 December)
    assert not d.show_preview() and d.preview.rowCount() == 0
    assert "第 5 行" in d.message.text() and "早于交办日期" in d.message.text()
    assert not d.try_save() and "未写入任何任务" in d.message.text()
    assert QApplication.overrideCursor() is None  # the wait cursor of the save is gone again
    assert len(tasks.listing(demo_ctx.ledger, month="2026-12")) == before


def test_a_list_read_from_excel_names_the_sheet_row_of_a_problem(qtbot, demo_ctx, tmp_path):
    codes = _branches(demo_ctx.ledger, 2)
    wb = Workbook()
    ws = wb.active
    ws.title = "十二月"
    ws.append(["任务名称", "完成时限", "责任单位编码", "责任人"])
    ws.append(["更新党员信息台账", "2026-12-15", codes[0], "张三"])
    ws.append(["组织集中学习", "2026-12-20", "NOPE", ""])
    path = tmp_path / "清单.xlsx"
    wb.save(path)
    page = _page(qtbot, demo_ctx, tasks_page)
    d = _dialog(qtbot, page.issue_dialog())
    d.month.setText("2026-12")
    d.tree.set_checked(codes[1:])
    assert d.load_excel(str(path)) == 2 and d.lines.rowCount() == 2
    assert not d.try_save()
    assert "十二月 第 3 行" in d.message.text() and "NOPE" in d.message.text()
    assert tasks.listing(demo_ctx.ledger, month="2026-12") == []
    d.lines.item(1, 2).setText("")  # the ticked branch takes it
    assert d.try_save()
    rows = tasks.listing(demo_ctx.ledger, month="2026-12")
    assert sorted((t.title, t.owner_code) for t in rows) == sorted(
        [("更新党员信息台账", codes[0]), ("组织集中学习", codes[1])])
    assert next(t for t in rows if t.owner_code == codes[0]).owner_person == "张三"


def test_a_meeting_with_speakers_and_problems_becomes_tasks(qtbot, demo_ctx, tmp_path):
    page = _page(qtbot, demo_ctx, tasks_page)
    code = _branches(demo_ctx.ledger, 1)[0]
    before = len(meetings.listing(demo_ctx.ledger, 2026))
    d = _dialog(qtbot, page.meeting_dialog())
    d.on.setText("2026-11-20")
    d.sites.setText("幸福社区、柳湾村")
    d.leader.setText("党委书记 王建国")
    d.speakers.item(0, 0).setText("李娜")
    d.speakers.item(1, 0).setText("赵强")
    d.speakers.cellWidget(1, 1).setCurrentText("表态发言")
    r = 0
    d.problems.cellWidget(r, 0).set_code(code)
    d.problems.item(r, 1).setText("三会一课记录不全")
    d.problems.item(r, 2).setText("2026-11-10")  # before the meeting
    assert not d.try_save()
    assert "第 1 个整改问题" in d.message.text() and "早于交办日期" in d.message.text()
    assert len(meetings.listing(demo_ctx.ledger, 2026)) == before
    d.problems.item(r, 2).setText("2026-12-15")
    d.resize(900, 640)
    assert d.grab().save(str(tmp_path / "meeting.png"))
    assert d.try_save()
    m = d.result_value
    assert (len(m.speakers), m.exchanges, m.pledges, m.rectifications) == (2, 1, 1, 1)
    assert m.sites == ("幸福社区", "柳湾村") and m.leader == "党委书记 王建国"
    [t] = tasks.listing(demo_ctx.ledger, meeting_id=m.id)
    assert (t.source, t.owner_code, t.due.isoformat()) == (rules.MEETING_SOURCE, code, "2026-12-15")


def test_closing_a_task_needs_a_done_task_and_a_named_checker(qtbot, demo_ctx):
    page = _page(qtbot, demo_ctx, tasks_page)
    page.status_filter.setCurrentText(rules.DONE)
    page.task_view.selectRow(0)
    t = page.current()
    assert t.stored_status == rules.DONE and page.close_button.isEnabled()
    d = _dialog(qtbot, page.close_dialog())
    assert d.evidence.text() == t.evidence
    assert not d.try_save() and "验收人不能为空" in d.message.text()
    d.verified_by.setText("组织委员 陈静")
    d.on.setText(t.done_on.replace(day=1).isoformat() if t.done_on.day > 1 else "2000-01-01")
    assert not d.try_save() and "早于完成日期" in d.message.text()
    assert next(x for x in tasks.listing(demo_ctx.ledger, year=2026) if x.id == t.id).status == rules.DONE
    d.on.setText("2026-11-21")
    assert d.try_save()
    after = next(x for x in tasks.listing(demo_ctx.ledger, year=2026) if x.id == t.id)
    assert (after.status, after.verified_by) == (rules.CLOSED, "组织委员 陈静")
    page.status_filter.setCurrentText(rules.TODO)
    page.task_view.selectRow(0)
    assert not page.close_button.isEnabled()  # 销号 only after completion with evidence


def test_regrading_after_approval_needs_a_reason_and_is_audited(qtbot, demo_ctx):
    page = _page(qtbot, demo_ctx, projects_page)
    page.status_filter.setCurrentText(rules.RUNNING)
    page.view.selectRow(0)
    p = page.current()
    assert page.regrade_action.isEnabled()
    d = _dialog(qtbot, page.regrade_dialog())
    assert not d.try_save() and "都没有改变" in d.message.text()
    new_type = next(t for t in rules.TYPES if t != p.type)
    d.type.setCurrentText(new_type)
    assert not d.try_save() and "需要说明理由" in d.message.text()
    assert projects.get_project(demo_ctx.ledger, p.id).type == p.type
    d.reason.setPlainText("年中评估后调整")
    assert d.try_save()
    assert projects.get_project(demo_ctx.ledger, p.id).type == new_type
    [line] = audit_query.search(demo_ctx.ledger, action="调整书记项目", text=p.title)
    assert "年中评估后调整" in line.summary and new_type in line.changes


def test_terminating_needs_a_reason(qtbot, demo_ctx, tmp_path):
    page = _page(qtbot, demo_ctx, projects_page)
    page.status_filter.setCurrentText(rules.RUNNING)
    page.view.selectRow(0)
    p = page.current()
    d = _dialog(qtbot, page.terminate_dialog())
    assert not d.try_save() and "终止理由不能为空" in d.message.text()
    assert projects.get_project(demo_ctx.ledger, p.id).status == rules.RUNNING
    d.reason.setPlainText("村两委换届，项目并入新项目")
    assert d.try_save()
    done = projects.get_project(demo_ctx.ledger, p.id)
    assert (done.status, done.end_reason) == (rules.TERMINATED, "村两委换届，项目并入新项目")
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    page.status_filter.setCurrentText(rules.TERMINATED)
    page.select(p.id)
    assert not page.terminate_action.isEnabled() and not page.regrade_action.isEnabled()
    assert page.grab().save(str(tmp_path / "projects.png"))


@pytest.mark.parametrize("month", ["2026-13", "十一月"])
def test_a_bad_month_is_refused_before_anything(qtbot, demo_ctx, month):
    page = _page(qtbot, demo_ctx, tasks_page)
    d = _dialog(qtbot, page.issue_dialog())
    d.month.setText(month)
    d.tree.set_checked(_branches(demo_ctx.ledger, 1))
    d.add_line("开展主题党日活动")
    assert not d.try_save() and "月份应为“年-月”" in d.message.text()


def test_a_log_or_a_task_done_in_a_locked_month_is_refused_in_the_dialog(qtbot, demo_ctx):
    from app.services.kernel import locks

    locks.lock_month(demo_ctx.ledger, 2026, 11, "十一月已审核")
    page = _page(qtbot, demo_ctx, projects_page)
    page.status_filter.setCurrentText(rules.RUNNING)
    page.view.selectRow(0)
    p = page.current()
    d = _dialog(qtbot, page.log_dialog())
    d.note.setPlainText("本月推进情况")
    assert d.on.text() == "2026-11-21"
    assert not d.try_save() and d.message.text().startswith("调度日期 2026-11-21：2026 年 11 月已于")
    assert len(projects.get_project(demo_ctx.ledger, p.id).logs) == len(p.logs)
    d.on.setText("2026-10-31")
    assert d.try_save()
    tpage = _page(qtbot, demo_ctx, tasks_page)
    tpage.status_filter.setCurrentText(rules.TODO)
    tpage.task_view.selectRow(0)
    t = tpage.current()
    from ui.dialogs.tracking import TaskDoneDialog

    done = _dialog(qtbot, TaskDoneDialog(demo_ctx.ledger, t, tpage))
    done.evidence.setText("工作简报")
    assert not done.try_save() and "完成日期 2026-11-21：2026 年 11 月已于" in done.message.text()
    assert next(x for x in tasks.listing(demo_ctx.ledger, year=2026) if x.id == t.id).stored_status == rules.TODO


def test_a_wrong_log_entry_is_deleted_from_the_more_menu_but_not_in_a_locked_month(qtbot, demo_ctx):
    from app.services.kernel import locks

    page = _page(qtbot, demo_ctx, projects_page)
    page.status_filter.setCurrentText(rules.RUNNING)
    page.view.selectRow(0)
    p = page.current()
    assert p.logs and page.log_remove_action.isEnabled()
    newest = p.logs[-1]
    locks.lock_month(demo_ctx.ledger, newest.on.year, newest.on.month)
    d = _dialog(qtbot, page.log_remove_dialog())
    assert d.chosen() == newest
    assert not d.try_save() and d.message.text().startswith(f"调度日期 {newest.on}：") and "审核锁定" in d.message.text()
    assert projects.get_project(demo_ctx.ledger, p.id).logs == p.logs
    locks.unlock_month(demo_ctx.ledger, newest.on.year, newest.on.month, "更正误录")
    assert d.try_save()
    assert projects.get_project(demo_ctx.ledger, p.id).logs == p.logs[:-1]
    assert audit_query.search(demo_ctx.ledger, action="删除调度记录")


def test_the_board_prints_the_months_dispatch_notice_as_a_draft_while_the_month_runs(qtbot, demo_ctx):
    from tests.reports.conftest import flat, pdf_pages
    from ui.pages import board as board_page

    page = _page(qtbot, demo_ctx, board_page)
    assert page.month.month() == 11
    shown = []
    page.print_dispatch(on_preview=shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    texts = [flat(t) for t in pdf_pages(shown[0].pdf)]
    assert "关于2026年11月书记项目推进情况的调度通报" in texts[0] and all("草稿（月份未结束）" in t for t in texts)
    shown[0].close()
    page.month.set_month(10)
    page.print_dispatch(on_preview=shown.append)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=30000)
    assert "草稿" not in "".join(flat(t) for t in pdf_pages(shown[1].pdf))
    shown[1].close()


def test_the_feedback_tab_shows_a_chosen_owners_tasks_and_prints_the_list_and_the_feedback(qtbot, demo_ctx, tmp_path):
    from tests.reports.conftest import flat, pdf_pages

    page = _page(qtbot, demo_ctx, tasks_page)
    page.tabs.setCurrentIndex(1)
    assert page.feedback_model.rowCount() > 0 and page.owner_model.rowCount() == 0
    page.feedback_view.selectRow(0)
    o = page.feedback_model.row(0)
    mine = page.owner_model.rows()
    assert len(mine) == o.total and {t.owner_code for t in mine} == {o.owner_code}
    assert sum(t.status == rules.OVERDUE for t in mine) == o.overdue
    assert f"逾期 {o.overdue} 项" in page.owner_title.text()
    assert page.grab().save(str(tmp_path / "feedback.png"))
    shown = []
    page.print_month("feedback", on_preview=shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    assert "2026年11月工作任务月末汇总反馈表" in flat(pdf_pages(shown[0].pdf)[0])
    shown[0].close()
    page.print_month("list", on_preview=shown.append)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=30000)
    assert "2026年11月基层党建工作任务清单" in flat(pdf_pages(shown[1].pdf)[0])
    shown[1].close()


def test_a_tasks_progress_is_logged_and_a_wrong_entry_deleted_from_the_more_menu(qtbot, demo_ctx):
    page = _page(qtbot, demo_ctx, tasks_page)
    page.status_filter.setCurrentText(rules.TODO)
    page.task_view.selectRow(0)
    t = page.current()
    assert page.log_action.isEnabled() and not page.log_remove_action.isEnabled()
    d = _dialog(qtbot, page.log_dialog())
    d.progress.setValue(40)
    assert not d.try_save() and "调度情况不能为空" in d.message.text()
    assert tasks.logs(demo_ctx.ledger, t.id) == []
    d.note.setPlainText("已完成初稿")
    d.on.setText("2026-11-20")
    assert d.try_save()
    after = next(x for x in tasks.listing(demo_ctx.ledger, year=2026) if x.id == t.id)
    assert (after.stored_status, after.progress) == (rules.DOING, 40)
    r = _dialog(qtbot, tasks_page.TaskLogRemoveDialog(demo_ctx.ledger, after, page))
    assert r.chosen().note == "已完成初稿"
    assert r.try_save()
    assert tasks.logs(demo_ctx.ledger, t.id) == []
    assert next(x for x in tasks.listing(demo_ctx.ledger, year=2026) if x.id == t.id).stored_status == rules.TODO
