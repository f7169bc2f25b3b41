"""Sign-offs station by station (issue 19.6 for a county with many stations): each station's 小组统计 → 站内核实 →
党支部认定 in order, a 录入员 refused, the counted station's logs closed while another's stay open, subsidies only
once every station is final, one station reopened alone; a year is signed either station by station or at once."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.errors import LockedError, NotFoundError, PermissionDeniedError, ValidationError
from app.services.instructors import assessment, register, scheme, subsidies, weekly

from .conftest import STATION

EAST = "城东党建工作指导站"
STEPS = ("小组统计", "站内核实", "党支部认定")


@pytest.fixture
def two(station):
    register.add_station(station, EAST, "P2")
    register.add_instructor(station, EAST, name="赵强", source="市派", mode="专职")
    register.add_instructor(station, EAST, name="钱丽", source="县(区)派", mode="兼职")
    for n, name in enumerate(("张明", "李华", "王芳", "赵强", "钱丽")):
        weekly.save_log(station, name, "2025-W20", {"b_days": 3, "visits": 2 + n, "solved": n})
    return station


def counts(ledger) -> dict[str, int]:
    tables = ("instructor_station_signoffs", "instructor_grade_signoffs", "instructor_grades", "audit_log")
    with ledger.db.read() as s:
        return {t: s.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in tables}


def refused(ledger, error, match, fn, *args, **kw) -> None:
    before = counts(ledger)
    with pytest.raises(error, match=match):
        fn(*args, **kw)
    assert counts(ledger) == before


def test_each_station_signs_in_order_and_subsidies_wait_for_all(two):
    refused(two, ValidationError, f"签认须按 小组统计 → 站内核实 → 党支部认定 的顺序：2025 年“{EAST}”下一步是“小组统计”",
            assessment.sign, two, 2025, "站内核实", "李站长", station=EAST)
    r = assessment.sign(two, 2025, "小组统计", "吴组长", station=STATION)
    assert r.by_station and not r.final and r.next_step is None
    assert (r.station_next(STATION), r.station_next(EAST)) == ("站内核实", "小组统计")
    assert r.as_dict()["stations"][0] == {"station": STATION, "signoffs": [r.stations[STATION][0].as_dict()],
                                          "next_step": "站内核实"}
    refused(two, ValidationError, "已按指导站逐站签认", assessment.sign, two, 2025, "小组统计", "吴组长")
    refused(two, ValidationError, f"2025 年“{STATION}”的“小组统计”已由 吴组长 签认",
            assessment.sign, two, 2025, "小组统计", "吴组长", station=STATION)
    refused(two, LockedError, f"2025 年“{STATION}”指导员考核", weekly.save_log, two, "张明", "2025-W21", {"visits": 1})
    weekly.save_log(two, "赵强", "2025-W21", {"visits": 4})  # the other station's logs are still open
    refused(two, LockedError, "不能再改", scheme.set_values, two, 2025, excellent="95")
    two.role, two.user = "录入员", "小王"
    refused(two, PermissionDeniedError, "无权", assessment.sign, two, 2025, "站内核实", "李站长", station=STATION)
    two.role, two.user = "管理员", "管理员"
    for step in STEPS[1:]:
        assessment.sign(two, 2025, step, "李站长", station=STATION)
    refused(two, ValidationError, f"尚未最终认定：{EAST}（还缺：小组统计、站内核实、党支部认定）", subsidies.subsidies, two, 2025)
    for step in STEPS:
        r = assessment.sign(two, 2025, step, "孙站长", station=EAST)
    assert r.final and [x.instructor for x in r.lines] == ["张明", "李华", "王芳", "赵强", "钱丽"]
    zhao = next(x for x in r.lines if x.instructor == "赵强")
    assert zhao.counts["visits"] == 5 + 4  # W20 and the W21 entered before its station counted
    assert [x.instructor for x in subsidies.subsidies(two, 2025)] == ["张明", "李华", "王芳", "赵强", "钱丽"]


def test_one_station_reopened_alone_then_all(two):
    for st in (STATION, EAST):
        for step in STEPS:
            assessment.sign(two, 2025, step, "王书记", station=st)
    refused(two, ValidationError, "重新打开的理由", assessment.reopen_station, two, 2025, EAST, "")
    assessment.reopen_station(two, 2025, EAST, "周记录漏报")
    r = assessment.assess(two, 2025)
    assert r.station_next(EAST) == "小组统计" and r.station_next(STATION) is None and not r.final
    weekly.save_log(two, "钱丽", "2025-W22", {"visits": 1})  # open again
    assessment.reopen(two, 2025, "重新统计")
    assert counts(two)["instructor_station_signoffs"] == 0 and counts(two)["instructor_grades"] == 0
    assessment.sign(two, 2025, "小组统计", "吴组长")  # free to sign all at once now
    refused(two, ValidationError, "已对全部指导站一并签认", assessment.sign, two, 2025, "站内核实", "李站长", station=EAST)
    refused(two, NotFoundError, "找不到指导站“无此站”", assessment.sign, two, 2025, "小组统计", "x", station="无此站")
