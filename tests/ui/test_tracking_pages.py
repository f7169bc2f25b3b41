"""书记项目, 重点任务 and 盯跟晒 pages over the demo (issue 18.4): rows and counts equal the services' figures,
laggards first; a refused entry stays in its dialog with the reason and writes nothing; screenshots at 1366×768."""

from __future__ import annotations

import pytest

from app.domain import tracking as rules
from app.services.tracking import board, projects, tasks
from ui.pages import board as board_page
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


@pytest.fixture
def shots(tmp_path):
    return tmp_path


def test_projects_page_lists_the_year_laggards_first_and_shows_the_plan(qtbot, demo_ctx, shots):
    page = _page(qtbot, demo_ctx, projects_page)
    expected = projects.listing(demo_ctx.ledger, 2026)
    assert page.model.rowCount() == len(expected)
    shown = [page.proxy.source_row(r) for r in range(page.proxy.rowCount())]
    lag = [p.track.is_lagging for p in shown]
    assert lag == sorted(lag, reverse=True) and lag[0]
    assert {p.type for p in shown} == set(rules.TYPES) and {p.status for p in shown} == set(rules.PROJECT_STATUSES)
    n_lag = sum(p.track.is_lagging for p in expected)
    assert f"滞后 <b>{n_lag}</b>" in page.counts.text()
    html = page.detail.toHtml()
    assert shown[0].title in html and "目标任务" in html and "调度记录" in html
    page.status_filter.setCurrentText("已完成")
    assert page.proxy.rowCount() == sum(p.status == rules.COMPLETED for p in expected)
    assert page.grab().save(str(shots / "projects.png"))


def test_a_refused_log_entry_stays_in_the_dialog_and_writes_nothing(qtbot, demo_ctx):
    page = _page(qtbot, demo_ctx, projects_page)
    running = next(r for r in range(page.proxy.rowCount())
                   if page.proxy.source_row(r).status == rules.RUNNING and page.proxy.source_row(r).track.progress > 10)
    page.view.selectRow(running)
    project = page.current()
    dialog = page.log_dialog()
    qtbot.addWidget(dialog)
    dialog.progress.setValue(project.track.progress - 10)
    dialog.note.setPlainText("本月推进放缓")
    assert not dialog.try_save()
    assert "需要说明原因" in dialog.message.text() and dialog.message.isVisibleTo(dialog)
    assert len(projects.get_project(demo_ctx.ledger, project.id).logs) == len(project.logs)
    dialog.reason.setText("资金拨付延迟")
    assert dialog.try_save()
    assert len(projects.get_project(demo_ctx.ledger, project.id).logs) == len(project.logs) + 1


def test_a_new_project_needs_a_title(qtbot, demo_ctx):
    page = _page(qtbot, demo_ctx, projects_page)
    dialog = page.project_dialog()
    qtbot.addWidget(dialog)
    before = len(projects.listing(demo_ctx.ledger, 2026))
    assert not dialog.try_save() and "项目名称不能为空" in dialog.message.text()
    dialog.title.setText("党建引领网格治理")
    dialog.goal.setPlainText("网格党小组全覆盖")
    assert dialog.try_save()
    assert len(projects.listing(demo_ctx.ledger, 2026)) == before + 1


def test_tasks_page_tabs_match_the_services(qtbot, demo_ctx, shots):
    page = _page(qtbot, demo_ctx, tasks_page)
    rows = tasks.listing(demo_ctx.ledger, year=2026)
    assert page.task_model.rowCount() == len(rows)
    first = page.task_proxy.source_row(0)
    assert first.status == rules.OVERDUE
    overdue = sum(t.status == rules.OVERDUE for t in rows)
    assert f"逾期 <b>{overdue}</b>" in page.task_counts.text()
    assert page.feedback_model.rowCount() > 0
    rates = [page.feedback_model.rows()[i].rate for i in range(page.feedback_model.rowCount())]
    assert rates == sorted(rates)  # laggards first
    assert page.meeting_model.rowCount() == 3 and "发言 12 人次" in page.meeting_total.text()
    dialog = page.task_dialog()
    qtbot.addWidget(dialog)
    dialog.title.setText("报送材料")
    dialog.issued.setText("2026-11-10")
    dialog.due.setText("2026-11-01")
    assert not dialog.try_save() and "早于交办日期" in dialog.message.text()
    assert len(tasks.listing(demo_ctx.ledger, year=2026)) == len(rows)
    # the longest status (“办理中·临期”) is shown whole in the app's own font, not “办…期”
    from PySide6.QtGui import QFont, QFontMetrics

    from ui import theme

    fm = QFontMetrics(QFont(theme.ui_font_family(), theme.BASE_POINT_SIZE))
    longest = max((page.task_model.data(page.task_model.index(r, 0)) for r in range(page.task_model.rowCount())), key=len)
    assert len(longest) == 6 and page.task_view.columnWidth(0) >= fm.horizontalAdvance(longest) + 12
    for i in range(3):
        page.tabs.setCurrentIndex(i)
        assert page.grab().save(str(shots / f"tasks{i}.png"))


def test_board_page_puts_the_unit_last_and_lists_alerts(qtbot, demo_ctx, shots):
    page = _page(qtbot, demo_ctx, board_page)
    boards = board.committee_boards(demo_ctx.ledger, 2026)
    assert page.board_model.rowCount() == len(boards) == 5
    unit = page.board_model.rows()[-1]
    assert unit.name == "全单位" and unit.projects == len(projects.listing(demo_ctx.ledger, 2026))
    assert page.alert_model.rowCount() == len(board.alerts(demo_ctx.ledger, 2026))
    assert page.alert_model.rows()[0].kind in ("滞后", "逾期")
    assert page.grab().save(str(shots / "board.png"))


def test_the_deduction_button_deducts_an_overdue_superior_task_once(qtbot, demo_ctx):
    from app.services.scoring import scores

    page = _page(qtbot, demo_ctx, tasks_page)
    page.source_filter.setCurrentText(rules.SUPERIOR)
    page.status_filter.setCurrentText(rules.OVERDUE)
    assert page.task_proxy.rowCount() > 0
    page.task_view.selectRow(0)
    t = page.current()
    assert page.deduct_button.isEnabled()
    page.deduct(confirm=False)
    page.refresh()  # in the window, the change signal does this
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    assert next(x for x in tasks.listing(demo_ctx.ledger, year=2026) if x.id == t.id).deducted
    year, month = rules.deduction_month(t.due)
    assert scores.cell(demo_ctx.ledger, t.owner_code, year, month, "KF01").manual_count >= 1
    page.source_filter.setCurrentText("全部来源")
    page.status_filter.setCurrentText("全部状态")
    row = next(r for r in range(page.task_proxy.rowCount()) if page.task_proxy.source_row(r).id == t.id)
    page.task_view.selectRow(row)
    assert not page.deduct_button.isEnabled()  # once


def test_approve_and_close_dialogs_refuse_what_the_rules_refuse(qtbot, demo_ctx):
    page = _page(qtbot, demo_ctx, projects_page)
    page.status_filter.setCurrentText(rules.DECLARED)
    page.view.selectRow(0)
    declared = page.current()
    assert page.approve_button.isEnabled() and not page.close_button.isEnabled()
    dialog = page.approve_dialog()
    qtbot.addWidget(dialog)
    dialog.decided.setText("2026-12-31")
    assert not dialog.try_save() and "晚于今天" in dialog.message.text()
    assert projects.get_project(demo_ctx.ledger, declared.id).status == rules.DECLARED
    page.status_filter.setCurrentText(rules.RUNNING)
    page.view.selectRow(0)
    running = page.current()
    assert page.close_button.isEnabled()
    dialog = page.close_dialog()
    qtbot.addWidget(dialog)
    dialog.summary.setPlainText("成效明显")
    assert not dialog.try_save() and "个节点未完成" in dialog.message.text()
    assert projects.get_project(demo_ctx.ledger, running.id).status == rules.RUNNING
