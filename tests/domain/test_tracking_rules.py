"""The tracking engine's pure rules at their edges: 滞后 the day after the due day, 临期 within the window
(both ends counted), completion rate, progress going down, project transitions, 逾期 tasks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.domain import tracking as t

DUE = date(2026, 6, 30)


def test_a_milestone_lags_from_the_day_after_its_due_day():
    m = t.Milestone("调研", DUE)
    assert [t.lagging(m, d) for d in (date(2026, 6, 29), DUE, date(2026, 7, 1))] == [False, False, True]
    assert not t.lagging(t.Milestone("调研", DUE, date(2026, 7, 5)), date(2026, 8, 1))  # done late: not 滞后


def test_due_soon_counts_both_ends_of_the_window():
    m = t.Milestone("调研", DUE)
    assert t.due_soon(m, DUE, 14)  # due today
    assert t.due_soon(m, date(2026, 6, 16), 14)  # exactly 14 days ahead
    assert not t.due_soon(m, date(2026, 6, 15), 14)  # 15 days ahead
    assert not t.due_soon(m, date(2026, 7, 1), 14)  # late, not soon
    assert t.due_soon(m, date(2026, 6, 23), 7) and not t.due_soon(m, date(2026, 6, 22), 7)  # the setting moves it
    assert not t.due_soon(t.Milestone("调研", DUE, DUE), DUE, 14)


def test_track_counts_and_rate():
    ms = [t.Milestone("a", date(2026, 3, 1), date(2026, 3, 1)), t.Milestone("b", date(2026, 4, 1), date(2026, 4, 3)),
          t.Milestone("c", date(2026, 5, 1)), t.Milestone("d", date(2026, 6, 10))]
    tr = t.track(ms, date(2026, 6, 1), 14, progress=60)
    assert (tr.milestones_total, tr.milestones_done, tr.lagging, tr.due_soon, tr.on_time) == (4, 2, 1, 1, 1)
    assert tr.rate == Decimal("50.0") and tr.is_lagging and tr.is_due_soon
    assert t.rate(1, 3) == Decimal("33.3") and t.rate(2, 3) == Decimal("66.7") and t.rate(0, 0) == Decimal("0.0")


def test_progress_must_be_0_to_100_and_may_fall_only_with_a_reason():
    assert t.progress_problem(0, None, "") is None and t.progress_problem(100, 90, "") is None
    assert "0–100" in t.progress_problem(101, None, "") and "0–100" in t.progress_problem(-1, None, "")
    assert "原因" in t.progress_problem(40, 50, "  ")
    assert t.progress_problem(40, 50, "资金延迟到位") is None
    assert t.progress_problem(50, 50, "") is None


def test_project_transitions():
    assert t.transition_problem(t.DECLARED, t.APPROVED) is None
    assert t.transition_problem(t.DECLARED, t.COMPLETED) is not None  # not without 立项
    assert t.transition_problem(t.RUNNING, t.COMPLETED) is None
    assert t.transition_problem(t.COMPLETED, t.TERMINATED) is not None
    assert t.transition_problem(t.TERMINATED, t.RUNNING) is not None


def test_a_task_is_overdue_the_day_after_it_is_due_unless_finished():
    assert t.task_status(t.TODO, DUE, DUE) == t.TODO
    assert t.task_status(t.DOING, DUE, date(2026, 7, 1)) == t.OVERDUE
    assert t.task_status(t.DONE, DUE, date(2026, 7, 1)) == t.DONE
    assert t.task_status(t.CLOSED, DUE, date(2026, 9, 1)) == t.CLOSED
    assert t.finished_late(DUE, date(2026, 7, 1), date(2026, 8, 1))
    assert not t.finished_late(DUE, DUE, date(2026, 8, 1))
    assert not t.finished_late(DUE, None, DUE) and t.finished_late(DUE, None, date(2026, 7, 1))
    assert t.deduction_month(date(2026, 6, 30)) == (2026, 7) and t.deduction_month(date(2026, 12, 31)) == (2027, 1)


def test_a_projects_status_on_a_past_day_is_read_from_its_dated_trail():
    from datetime import date as d

    trail = {"declared_on": d(2026, 2, 1), "decided_on": d(2026, 3, 1), "finished_on": d(2026, 11, 5)}
    on = t.status_on
    assert on(t.COMPLETED, d(2026, 1, 31), **trail, logged_by_then=False) is None  # not declared yet
    assert on(t.COMPLETED, d(2026, 2, 28), **trail, logged_by_then=False) == t.DECLARED
    assert on(t.COMPLETED, d(2026, 3, 1), **trail, logged_by_then=False) == t.APPROVED
    assert on(t.COMPLETED, d(2026, 10, 31), **trail, logged_by_then=True) == t.RUNNING
    assert on(t.COMPLETED, d(2026, 11, 5), **trail, logged_by_then=True) == t.COMPLETED
    assert on(t.TERMINATED, d(2026, 12, 1), **trail, logged_by_then=True) == t.TERMINATED
    # terminated while only declared: declared until its end
    assert on(t.TERMINATED, d(2026, 4, 1), declared_on=d(2026, 2, 1), decided_on=None,
              finished_on=d(2026, 5, 1), logged_by_then=False) == t.DECLARED
    assert on(t.RUNNING, d(2026, 12, 1), **trail, logged_by_then=True) == t.RUNNING
