"""Issue 19.6–7: points from the logs under the year's scheme, grade lines on their boundaries, the three sign-offs
in order by named persons (not a 录入员), audited; subsidies in exact yuan from the final grades."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain import instructors as rules
from app.errors import LockedError, PermissionDeniedError, ValidationError
from app.services.instructors import assessment, assignments, register, scheme, subsidies, weekly
from app.services.kernel import audit

from .conftest import STATION, table_counts

DEFAULT = scheme.parse(scheme.default_dict())


@pytest.mark.parametrize(("points", "grade"), [("100.0", "优秀"), ("90.0", "优秀"), ("89.9", "合格"), ("60.0", "合格"),
                                               ("59.9", "基本合格"), ("50.0", "基本合格"), ("49.9", "不合格"),
                                               ("0.0", "不合格")])
def test_grade_lines(points, grade):
    assert rules.grade_for(Decimal(points), DEFAULT) == grade


def test_points_per_occurrence_with_yearly_caps():
    counts = {"b_days": 150, "visits": 45, "orgs_founded": 1, "solved": 30}
    got = rules.item_points(counts, DEFAULT)
    assert got["b_days"] == Decimal("20.0")  # 150 × 0.2 = 30, capped at 20
    assert got["visits"] == Decimal("22.5")
    assert got["solved"] == Decimal("10")  # capped
    assert rules.points(counts, DEFAULT) == Decimal("57.5")


def test_a_share_cap_on_excellent_keeps_the_best():
    capped = rules.Scheme(DEFAULT.items, excellent_share=Decimal("0.25"))
    got = rules.grades([("a", Decimal("95.0")), ("b", Decimal("91.0")), ("c", Decimal("90.0")), ("d", Decimal("70.0"))],
                       capped)
    assert got == {"a": "优秀", "b": "合格", "c": "合格", "d": "合格"}


def test_the_scheme_is_per_year_and_checked(station):
    assert scheme.scheme(station, 2025) == (DEFAULT, None)
    scheme.set_values(station, 2025, excellent="85", full_time="1100")
    assert scheme.scheme(station, 2026)[0].excellent == Decimal("85.0")  # carried forward
    assert scheme.scheme(station, 2024)[0].excellent == Decimal("90.0")  # earlier years keep the defaults
    before = table_counts(station)
    with pytest.raises(ValidationError, match="优秀 > 合格 > 基本合格"):
        scheme.set_values(station, 2025, passing="95")
    with pytest.raises(ValidationError, match="必须是数字"):
        scheme.set_values(station, 2025, item="visits", points="很多")
    assert table_counts(station) == before


def _year_of_work(ledger, who: str, counts: dict) -> None:
    """One week of 2025 carrying the year's counts (each field is whole and ≤ 1000)."""
    weekly.save_log(ledger, who, "2025-W20", counts)


@pytest.fixture
def graded(station):
    """2025: 张明 专职 合格 (60.0) all year; 王芳 专职 优秀 in a 镇域 enterprise all year; 李华 兼职 合格 all year;
    赵六 专职 不合格 all year."""
    register.add_instructor(station, STATION, name="赵六", source="市派", mode="专职")
    register.add_target(station, name="戊镇纺织公司", committee="P2")
    assignments.assign(station, "张明", org="N1", start="2025-01-01", end="2025-12-31")
    assignments.assign(station, "王芳", target="戊镇纺织公司", start="2025-01-01", in_town=True)
    assignments.assign(station, "李华", org="N2", start="2024-06-01")
    assignments.assign(station, "赵六", target="丙科技有限公司", start="2025-01-01")
    _year_of_work(station, "张明", {"visits": 60, "orgs_founded": 4, "solved": 10})  # 30 + 20 + 10 = 60.0
    _year_of_work(station, "王芳", {"b_days": 7, "visits": 60, "orgs_founded": 4, "solved": 10, "mass_orgs": 3,
                                    "experiences": 2, "briefs": 10, "problems": 10})  # 1.4+30+20+10+6+6+5+5 = 83.4
    weekly.save_log(station, "王芳", "2025-W21", {"b_days": 7, "a_days": 0})
    for w in range(22, 40):
        weekly.save_log(station, "王芳", f"2025-W{w}", {"b_days": 5})  # 14 + 90 days × 0.2 → capped 20: 102.0
    _year_of_work(station, "李华", {"visits": 80, "orgs_founded": 4, "solved": 12})
    _year_of_work(station, "赵六", {"visits": 10})
    return station


def test_grades_from_the_logs(graded):
    got = {x.instructor: (x.points, x.grade) for x in assessment.assess(graded, 2025).lines}
    assert got == {"张明": (Decimal("60.0"), "合格"), "李华": (Decimal("60.0"), "合格"),
                   "王芳": (Decimal("102.0"), "优秀"), "赵六": (Decimal("5.0"), "不合格")}


def test_sign_offs_in_order_by_named_persons(graded):
    before = table_counts(graded)
    with pytest.raises(ValidationError, match="下一步是“小组统计”，不能先“站内核实”"):
        assessment.sign(graded, 2025, "站内核实", "周站长")
    with pytest.raises(ValidationError, match="签认人姓名不能为空"):
        assessment.sign(graded, 2025, "小组统计", " ")
    with pytest.raises(ValidationError, match="最后一周到 2027-01-03 才结束"):
        assessment.sign(graded, 2026, "小组统计", "吴组长")
    graded.role, graded.user = "录入员", "小王"
    with pytest.raises(PermissionDeniedError, match="需要审核员或管理员权限"):
        assessment.sign(graded, 2025, "小组统计", "吴组长")
    assert table_counts(graded) == before
    graded.role, graded.user = "审核员", "审核员甲"
    with pytest.raises(ValidationError, match="尚未最终认定（还缺：小组统计、站内核实、党支部认定）"):
        subsidies.subsidies(graded, 2025)
    result = assessment.sign(graded, 2025, "小组统计", "吴组长")
    assert result.next_step == "站内核实" and not result.final
    # counted: the year's logs and scheme are closed
    with pytest.raises(LockedError, match="小组统计，该年的周记录不能再修改"):
        weekly.save_log(graded, "张明", "2025-W30", {"visits": 1})
    with pytest.raises(ValidationError, match="已由 吴组长 签认"):
        assessment.sign(graded, 2025, "小组统计", "另一人")
    with pytest.raises(ValidationError, match="下一步是“站内核实”，不能先“党支部认定”"):
        assessment.sign(graded, 2025, "党支部认定", "钱书记")
    assessment.sign(graded, 2025, "站内核实", "周站长")
    final = assessment.sign(graded, 2025, "党支部认定", "钱书记")
    assert final.final and [(x.step, x.person) for x in final.signoffs] == [
        ("小组统计", "吴组长"), ("站内核实", "周站长"), ("党支部认定", "钱书记")]
    trail = [x.summary for x in audit.recent(graded, 10) if x.action.startswith("指导员考核")]
    assert trail == ["2025 年指导员积分和等次：党支部认定，签认人 钱书记", "2025 年指导员积分和等次：站内核实，签认人 周站长",
                     "2025 年指导员积分和等次：小组统计，签认人 吴组长"]


def _final(ledger) -> None:
    for step, who in zip(rules.SIGNOFF_STEPS, ("吴组长", "周站长", "钱书记"), strict=True):
        assessment.sign(ledger, 2025, step, who)


def test_subsidy_amounts_for_each_case(graded):
    _final(graded)
    got = {r.instructor: r for r in subsidies.subsidies(graded, 2025)}
    assert (got["张明"].months, got["张明"].base, got["张明"].transport, got["张明"].total) == (
        12, Decimal("12000.00"), Decimal("0.00"), Decimal("12000.00"))
    assert (got["王芳"].base, got["王芳"].transport, got["王芳"].total) == (
        Decimal("12000.00"), Decimal("2400.00"), Decimal("14400.00"))
    assert (got["李华"].mode, got["李华"].total) == ("兼职", Decimal("3600.00"))
    assert (got["赵六"].grade, got["赵六"].total) == ("不合格", Decimal("0.00"))
    assert subsidies.totals(list(got.values())) == (Decimal("27600.00"), Decimal("2400.00"), Decimal("30000.00"))
    assert all(isinstance(r.total, Decimal) for r in got.values())


def test_subsidy_months_follow_the_assignment_dates(station):
    assignments.assign(station, "张明", org="N1", start="2025-03-15", end="2025-08-10")
    assignments.assign(station, "张明", target="丙科技有限公司", start="2025-08-01", end="2025-09-30", in_town=True)
    weekly.save_log(station, "张明", "2025-W20", {"visits": 60, "orgs_founded": 4, "solved": 10})
    _final(station)
    (row,) = subsidies.subsidies(station, 2025)
    assert (row.months, row.base, row.transport) == (7, Decimal("7000.00"), Decimal("400.00"))  # March–September


def test_reopen_withdraws_the_sign_offs(graded):
    _final(graded)
    with pytest.raises(ValidationError, match="重新打开的理由不能为空"):
        assessment.reopen(graded, 2025, "")
    assessment.reopen(graded, 2025, "周记录漏报一周")
    assert assessment.assess(graded, 2025).signoffs == []
    weekly.save_log(graded, "张明", "2025-W30", {"visits": 1})  # open again
