"""The 月调度 tab's month list (issue 19.5) as a user meets it: the demo's list and feedback shown, the issue and
done dialogs save through station_lists and keep a refusal in the dialog, in red, with nothing written."""

from __future__ import annotations

import pytest

from app.services.tracking import station_lists
from ui.dialogs.instructor_tasks import OWN, IssueListDialog, TaskDoneDialog
from ui.pages.instructor_month_tasks import feedback_rows
from ui.pages.instructors import Page

MONTH = "2026-11"  # the demo's today is 2026-11-21


@pytest.fixture
def page(qtbot, demo_ctx):
    p = Page(demo_ctx)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    p.refresh()
    p.tabs.setCurrentIndex(1)
    p.weekly.year.setValue(2026)
    p.weekly.week.setValue(45)  # Thursday 2026-11-05: November
    return p


def test_the_month_tab_shows_the_list_and_its_feedback(page):
    panel = page.weekly.month_tasks
    listed = station_lists.listing(page.ctx.ledger, MONTH)
    fb = station_lists.feedback(page.ctx.ledger, MONTH)
    assert panel.month == MONTH and panel.tasks.rowCount() == len(listed) > 0
    assert panel.feedback.rowCount() == len(feedback_rows(fb)) == len(fb.stations[0].lines) + 1
    last = panel.feedback.row(panel.feedback.rowCount() - 1)
    assert last[0].endswith("小计") and last[1] == fb.stations[0].total
    assert f"完成率 {fb.total.rate}%" in panel.title.text()


def test_issuing_refuses_in_the_dialog_then_saves(page, qtbot):
    lg = page.ctx.ledger
    before = len(station_lists.listing(lg, MONTH))
    d = IssueListDialog(lg, MONTH, page)
    qtbot.addWidget(d)
    d.lines.setPlainText("走访新招商企业|2026-10-31\n\n报送简报")
    assert not d.try_save()
    assert "第 1 行：任务“走访新招商企业”的完成时限 2026-10-31 早于交办日期 2026-11-01" in d.message.text()
    assert d.message.isVisibleTo(d) and len(station_lists.listing(lg, MONTH)) == before
    d.lines.setPlainText("走访新招商企业|2026-11-28")
    d.month.setText("2026-13")
    assert not d.try_save() and "月份应为“年-月”" in d.message.text()
    d.month.setText(MONTH)
    d.to.setCurrentText(station_lists.EVERYONE)
    assert d.try_save() and d.result_value.tasks == 9  # one for each of the demo's nine instructors
    page.weekly.refresh()
    assert page.weekly.month_tasks.tasks.rowCount() == before + 9


def test_the_issue_dialog_offers_the_station_and_its_people(page, qtbot):
    d = IssueListDialog(page.ctx.ledger, MONTH, page)
    qtbot.addWidget(d)
    options = [d.to.itemText(i) for i in range(d.to.count())]
    assert options[:2] == [OWN, station_lists.EVERYONE] and "周立新" in options and len(options) == 11


def test_marking_done_needs_evidence(page, qtbot):
    lg = page.ctx.ledger
    task = next(x for x in station_lists.listing(lg, MONTH) if x.task.done_on is None)
    d = TaskDoneDialog(lg, task, page)
    qtbot.addWidget(d)
    d.done_on.setText("2026-11-20")
    assert not d.try_save() and "完成佐证" in d.message.text()
    assert next(x for x in station_lists.listing(lg, MONTH) if x.task.id == task.task.id).task.done_on is None
    d.evidence.setText("走访记录 2 份")
    assert d.try_save()
    done = next(x for x in station_lists.listing(lg, MONTH) if x.task.id == task.task.id).task
    assert (done.stored_status, str(done.done_on), done.evidence) == ("已完成", "2026-11-20", "走访记录 2 份")


def test_removing_a_task_asks_first(page, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    panel = page.weekly.month_tasks
    before = panel.tasks.rowCount()
    panel.tasks_view.selectRow(0)
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: next(answers))
    panel._remove()
    assert len(station_lists.listing(page.ctx.ledger, MONTH)) == before  # "No" keeps it
    panel._remove()
    assert len(station_lists.listing(page.ctx.ledger, MONTH)) == before - 1 == panel.tasks.rowCount()
