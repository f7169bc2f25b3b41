"""指导站 清单调度制 (issue 19.5): a month's list issued to a station and its instructors through the tracking engine,
the month-end feedback arithmetic per instructor and station, and bad input refused with nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text

from app.errors import LockedError, NotFoundError, ValidationError
from app.services.instructors import register
from app.services.kernel import locks
from app.services.tracking import station_lists, task_lists, tasks
from app.services.tracking.task_lists import ListLine

from .conftest import STATION


def counts(ledger) -> dict[str, int]:
    with ledger.db.read() as s:
        return {t: s.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in ("key_tasks", "audit_log")}


def _issue(ledger):
    """Two lines to every instructor (张明, 李华, 王芳) and one to the station itself, for November 2026."""
    station_lists.issue(ledger, "2026-11", STATION, [ListLine("第 1 条", "走访新招商企业", "2026-11-10"),
                                                    ListLine("第 2 条", "报送月度工作简报")], to=["全体指导员"])
    station_lists.issue(ledger, "2026-11", STATION, [ListLine("第 1 条", "召开站务例会", "2026-11-15")])
    return {(x.instructor, x.task.title): x.task.id for x in station_lists.listing(ledger, "2026-11")}


def test_feedback_per_instructor_and_station(station):
    ids = _issue(station)  # today is 2026-11-21 (tests/conftest.py)
    assert len(ids) == 7
    station_lists.mark_done(station, ids[("张明", "走访新招商企业")], on="2026-11-08", evidence="走访记录 3 份")
    station_lists.mark_done(station, ids[("张明", "报送月度工作简报")], on="2026-11-20", evidence="简报第 11 期")
    station_lists.mark_done(station, ids[("李华", "走访新招商企业")], on="2026-11-15", evidence="走访记录")  # late
    fb = station_lists.feedback(station, "2026-11")
    (st,) = fb.stations
    lines = {x.instructor: (x.total, x.done, x.on_time, x.overdue, x.open, x.rate) for x in st.lines}
    assert lines == {
        "": (1, 0, 0, 1, 0, Decimal("0.0")),  # the station's own 例会, due the 15th, not done
        "张明": (2, 2, 2, 0, 0, Decimal("100.0")),
        "李华": (2, 1, 0, 0, 1, Decimal("50.0")),  # done after the 10th: done, not on time
        "王芳": (2, 0, 0, 1, 1, Decimal("0.0")),
    }
    total = st.total
    assert (total.total, total.done, total.on_time, total.overdue, total.open) == (7, 3, 2, 2, 2)
    assert total.rate == Decimal("42.9") and fb.total == total
    assert fb.as_dict()["stations"][0]["lines"][0] == {"instructor": None, "total": 1, "done": 0, "on_time": 0,
                                                       "overdue": 1, "open": 0, "rate": "0.0"}
    assert fb.as_dict()["rate"] == "42.9"


def test_station_tasks_stay_out_of_the_organisations_lists(station):
    ids = _issue(station)
    assert tasks.listing(station, month="2026-11") == []
    assert task_lists.feedback(station, "2026-11").owners == ()
    assert all(c.owner_code != "P2" for c in tasks.owner_counts(station, 2026))
    one = station_lists.listing(station, "2026-11")[0]
    assert one.instructor == "" and one.task.owner_code == "P2"  # carried with the station's 党委
    station_lists.remove(station, ids[("", "召开站务例会")])
    assert len(station_lists.listing(station, "2026-11")) == 6
    with station.db.read() as s:
        assert s.execute(text("SELECT COUNT(*) FROM tombstones WHERE entity = 'tasks'")).scalar() == 1


def test_an_organisations_task_is_not_marked_done_from_the_station_screen(station):
    t = tasks.add_task(station, title="上级交办", owner="N1", issued="2026-11-01", due="2026-11-30")
    before = counts(station)
    with pytest.raises(ValidationError, match="不是指导站的任务清单任务"):
        station_lists.mark_done(station, t.id, on="2026-11-05", evidence="x")
    with pytest.raises(ValidationError, match="不是指导站的任务清单任务"):
        station_lists.remove(station, t.id)
    assert counts(station) == before


@pytest.mark.parametrize(("month", "st", "lines", "to", "error", "match"), [
    ("2026-13", STATION, [ListLine("第 1 条", "走访")], (), ValidationError, "月份应为“年-月”"),
    ("2026/11", STATION, [ListLine("第 1 条", "走访")], (), ValidationError, "收到“2026/11”"),
    ("2026-11", "无此站", [ListLine("第 1 条", "走访")], (), NotFoundError, "找不到指导站“无此站”"),
    ("2026-11", STATION, [ListLine("第 1 条", "走访", "2026-10-31")], (), ValidationError,
     "第 1 条：任务“走访”的完成时限 2026-10-31 早于交办日期 2026-11-01"),
    ("2026-11", STATION, [ListLine("第 1 条", "走访"), ListLine("第 2 条", "", "2026-11-05")], (), ValidationError,
     "任务清单有 1 处问题"),
    ("2026-11", STATION, [ListLine("第 1 条", "走访")], ("赵六",), NotFoundError, "找不到指导员“赵六”"),
    ("2026-11", STATION, [], (), ValidationError, "没有任何任务"),
])
def test_bad_input_is_refused_and_nothing_written(station, month, st, lines, to, error, match):
    before = counts(station)
    with pytest.raises(error, match=match):
        station_lists.issue(station, month, st, lines, to=to)
    assert counts(station) == before


def test_a_station_without_a_committee_and_a_locked_month_are_refused(station):
    register.add_station(station, "无党委指导站")
    register.add_instructor(station, "无党委指导站", name="赵强", source="市派", mode="兼职")
    before = counts(station)
    with pytest.raises(ValidationError, match="没有所属党委"):
        station_lists.issue(station, "2026-11", "无党委指导站", [ListLine("", "走访")])
    assert counts(station) == before
    ids = _issue(station)
    locks.lock_month(station, 2026, 11)
    before = counts(station)
    with pytest.raises(LockedError, match="2026 年 11 月已于"):
        station_lists.issue(station, "2026-11", STATION, [ListLine("", "走访")])
    with pytest.raises(LockedError, match="2026 年 11 月已于"):
        station_lists.mark_done(station, ids[("王芳", "走访新招商企业")], on="2026-11-20", evidence="x")
    assert counts(station) == before
