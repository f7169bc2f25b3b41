"""Issue 19.3–5: ISO weeks, weekly logs and their visits, the 月调度 sums (exactly the weeks), 问题帮办 and 办结率."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from app.domain import instructors as rules
from app.errors import LockedError, NotFoundError, ValidationError
from app.services.instructors import tickets, weekly
from app.services.kernel import locks

from .conftest import table_counts


@pytest.mark.parametrize(("text", "ok"), [("2026-W01", True), ("2026-W53", True), ("2026-W54", False),
                                          ("2025-W53", False), ("2025-W52", True), ("2026-W00", False),
                                          ("2026W10", True), ("2026-13", False), ("", False)])
def test_iso_weeks(text, ok):
    if ok:
        assert rules.parse_week(text)[0] == int(text[:4])
    else:
        with pytest.raises(ValueError):
            rules.parse_week(text)


def test_each_week_counts_in_exactly_one_month():
    for year in (2025, 2026, 2027):
        weeks = [w for m in range(1, 13) for w in rules.weeks_of_month(year, m)]
        assert weeks == [rules.week_label(year, n) for n in range(1, rules.weeks_in_year(year) + 1)]
    assert rules.week_month(2026, 1) == (2026, 1)  # Mon 29 Dec 2025 – Sun 4 Jan 2026: its Thursday is 1 January


def test_a_log_with_visits_inside_its_week(station):
    log = weekly.save_log(station, "张明", "2026-W10", {"b_days": 3, "visits": 2, "problems": 1},
                          visits=[{"target": "丙科技有限公司", "date": "2026-03-02", "purpose": "指导组建党组织"},
                                  {"target": "N1", "date": "2026-03-08", "purpose": "规范化建设"}])
    assert log.week == "2026-W10" and [v.place for v in log.visits] == ["丙科技有限公司", "甲机械公司党支部"]
    before = table_counts(station)
    with pytest.raises(ValidationError, match=r"2026-03-09 不在 2026-W10（2026-03-02—2026-03-08）之内"):
        weekly.save_log(station, "张明", "2026-W10", {"visits": 3},
                        visits=[{"target": "丙科技有限公司", "date": "2026-03-09"}])
    with pytest.raises(ValidationError, match="收集问题不能为负数"):
        weekly.save_log(station, "张明", "2026-W10", {"problems": -1})
    with pytest.raises(ValidationError, match="一周最多 7 天"):
        weekly.save_log(station, "张明", "2026-W10", {"a_days": 4, "b_days": 4})
    with pytest.raises(ValidationError, match="只有第 1–53 周"):
        weekly.save_log(station, "张明", "2026-W54", {"visits": 1})
    with pytest.raises(NotFoundError, match="不是已登记的指导对象或党组织"):
        weekly.save_log(station, "张明", "2026-W10", {}, visits=[{"target": "无名公司", "date": "2026-03-03"}])
    assert table_counts(station) == before
    assert weekly.list_logs(station, week="2026-W10")[0].counts["problems"] == 1


def test_a_locked_month_closes_its_weeks(station):
    locks.lock_month(station, 2026, 3)
    with pytest.raises(LockedError, match="2026 年 3 月已于"):
        weekly.save_log(station, "张明", "2026-W10", {"visits": 1})
    with pytest.raises(LockedError):  # Mon 30 March – Sun 5 April touches the locked month
        weekly.save_log(station, "张明", "2026-W14", {"visits": 1})
    weekly.save_log(station, "张明", "2026-W15", {"visits": 1})


def test_the_months_add_up_to_the_weeks_exactly(station):
    rnd = random.Random(19)
    entered = {}
    for week in range(1, 48):
        for who in ("张明", "李华", "王芳"):
            counts = {k: rnd.randint(0, 3) for k in rules.COUNTS}
            counts["a_days"], counts["b_days"] = rnd.randint(0, 3), rnd.randint(0, 4)
            weekly.save_log(station, who, f"2026-W{week:02d}", counts)
            entered[(who, week)] = counts
    station_total = dict.fromkeys(rules.COUNTS, 0)
    for month in range(1, 13):
        roll = weekly.month_rollup(station, 2026, month)
        people = [x for x in roll.lines if x.instructor]
        (total,) = [x for x in roll.lines if not x.instructor]
        for x in people:
            weeks = [int(w[-2:]) for w in roll.weeks]
            want = {k: sum(entered.get((x.instructor, w), {}).get(k, 0) for w in weeks) for k in rules.COUNTS}
            assert x.counts == want
        assert total.counts == {k: sum(x.counts[k] for x in people) for k in rules.COUNTS}
        for k in rules.COUNTS:
            station_total[k] += total.counts[k]
    assert station_total == {k: sum(c[k] for c in entered.values()) for k in rules.COUNTS}


def test_the_grid_saves_a_week_all_or_nothing(station):
    grid = weekly.week_grid(station, "2026-W20")
    ids = {name: iid for iid, name, _st, _g, _c in grid}
    assert all(c == dict.fromkeys(rules.COUNTS, 0) for *_x, c in grid)
    before = table_counts(station)
    with pytest.raises(ValidationError, match="2026-W20：走访企业不能为负数"):
        weekly.save_week(station, "2026-W20", {str(ids["张明"]): {"visits": 2}, str(ids["李华"]): {"visits": -2}})
    assert table_counts(station) == before
    assert weekly.save_week(station, "2026-W20", {str(ids["张明"]): {"visits": 2}, str(ids["李华"]): {"solved": 1}}) == 2
    got = {name: c for _i, name, _s, _g, c in weekly.week_grid(station, "2026-W20")}
    assert got["张明"]["visits"] == 2 and got["李华"]["solved"] == 1


def test_tickets_move_forward_and_rates(station):
    t1 = tickets.add(station, "张明", "丙科技有限公司", "用工招聘难", raised_on="2026-04-01", raised_by="丙公司人事")
    t2 = tickets.add(station, "张明", "N1", "党建阵地建设缺经费", raised_on="2026-04-02")
    tickets.add(station, "李华", "丙科技有限公司", "人才申报咨询", raised_on="2026-05-06")
    tickets.update(station, t1.id, status="交办", handled_by="区人社局")
    before = table_counts(station)
    with pytest.raises(ValidationError, match="不能退回“收集”"):
        tickets.update(station, t1.id, status="收集")
    with pytest.raises(ValidationError, match="回访需要填写满意度"):
        tickets.update(station, t1.id, status="回访", closed_on="2026-04-20")
    with pytest.raises(ValidationError, match="办结日期 2026-03-01 早于收集日期 2026-04-01"):
        tickets.update(station, t1.id, status="办结", closed_on="2026-03-01")
    with pytest.raises(ValidationError, match="满意度在回访时填写"):
        tickets.update(station, t2.id, satisfaction="满意")
    assert table_counts(station) == before
    done = tickets.update(station, t1.id, status="办结", closed_on="2026-04-20")
    assert (done.status, done.closed_on) == ("办结", date(2026, 4, 20))
    visited = tickets.update(station, t1.id, status="回访", satisfaction="满意")
    assert visited.satisfaction == "满意" and visited.closed_on == date(2026, 4, 20)
    rates = {(r.level, r.label): r for r in tickets.rates(station, 2026)}
    assert (rates[("指导员", "张明")].closed, rates[("指导员", "张明")].total) == (1, 2)
    assert rates[("指导员", "张明")].percent == Decimal("50.0")
    assert rates[("指导员", "李华")].percent == Decimal("0.0")
    assert rates[("指导员", "王芳")].percent is None  # nothing collected: no rate
    assert rates[("全部", "合计")].percent == Decimal("33.3")
    roll = weekly.month_rollup(station, 2026, 4)
    (zhang,) = [x for x in roll.lines if x.instructor == "张明"]
    assert (zhang.tickets_raised, zhang.tickets_closed) == (2, 1)
