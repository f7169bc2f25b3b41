"""Issue 19.1–2: the register, assignments with no overlap for one unit, coverage arithmetic, suggestions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.errors import ConflictError, NotFoundError, ValidationError
from app.services.instructors import assignments, register

from .conftest import STATION, table_counts


def test_register_checks_each_field(station):
    with pytest.raises(ValidationError, match="选派来源“国派”无效"):
        register.add_instructor(station, STATION, name="赵六", source="国派", mode="专职")
    with pytest.raises(ValidationError, match="专职/兼职"):
        register.add_instructor(station, STATION, name="赵六", source="市派", mode="全职")
    with pytest.raises(ValidationError, match="任期结束 2025-01-01 早于任期开始 2026-01-01"):
        register.add_instructor(station, STATION, name="赵六", source="市派", mode="专职", term_start="2026-01-01",
                                term_end="2025-01-01")
    with pytest.raises(ConflictError, match="已有指导员“张明”"):
        register.add_instructor(station, STATION, name="张明", source="市派", mode="专职")
    with pytest.raises(ValidationError, match="标签“大厂”无效"):
        register.add_target(station, name="戊公司", tags="规上、大厂")
    with pytest.raises(NotFoundError, match="找不到指导站"):
        register.add_instructor(station, "不存在的站", name="赵六", source="市派", mode="专职")
    infos = register.list_instructors(station)
    assert [(i.name, i.mode, i.post, i.group) for i in infos] == [
        ("张明", "专职", "站长", "第一组"), ("李华", "兼职", "指导员", "第一组"), ("王芳", "专职", "指导员", "第二组")]
    assert register.list_targets(station, tag="互联网")[0].name == "丙科技有限公司"


def test_coverage_counts_branches_and_targets_once(station):
    day = date(2026, 6, 1)
    cov = assignments.coverage(station, day)
    assert (cov.covered, cov.total) == (0, 4)  # N1, N2, 丙, 丁 (B1 is 机关: not a 非公 unit)
    assignments.assign(station, "张明", org="N1", start="2026-01-01")
    assignments.assign(station, "李华", target="丙科技有限公司", start="2026-01-01", end="2026-05-31")
    cov = assignments.coverage(station, day)
    assert (cov.covered, cov.total, cov.percent) == (1, 4, Decimal("25.0"))  # 李华's ended the day before
    assert {u.name for u in cov.uncovered} == {"乙物流公司党支部", "丙科技有限公司", "丁新能源公司"}
    assert assignments.coverage(station, date(2026, 5, 31)).covered == 2
    # 丁 founds a party organisation: from then on it is counted as that branch, not twice
    register.link_target(station, "丁新能源公司", "N2")
    assignments.assign(station, "王芳", target="丁新能源公司", start="2026-02-01", in_town=True)
    cov = assignments.coverage(station, day)
    assert (cov.covered, cov.total) == (2, 3)
    assert cov.percent == Decimal("66.7")
    assert cov.by_committee == [("开发区非公党委", 2, 3)]
    assert cov.as_dict()["uncovered"] == [{"kind": "指导对象", "org": None, "name": "丙科技有限公司",
                                           "committee": "开发区非公党委"}]


def test_the_same_unit_is_not_assigned_twice_for_overlapping_dates(station):
    assignments.assign(station, "张明", target="丙科技有限公司", start="2026-01-01", end="2026-06-30")
    before = table_counts(station)
    with pytest.raises(ConflictError, match="已指派给指导员“张明”，与新的指派日期重叠"):
        assignments.assign(station, "李华", target="丙科技有限公司", start="2026-06-30")
    with pytest.raises(ValidationError, match="早于开始日期"):
        assignments.assign(station, "李华", target="丁新能源公司", start="2026-06-30", end="2026-06-01")
    assert table_counts(station) == before
    assignments.assign(station, "李华", target="丙科技有限公司", start="2026-07-01")  # the day after: fine


def test_unassign_ends_or_deletes(station):
    a = assignments.assign(station, "张明", org="N1", start="2026-01-01")
    with pytest.raises(ValidationError, match="早于指派开始日期"):
        assignments.unassign(station, a.id, "2025-12-31")
    assignments.unassign(station, a.id, "2026-03-31")
    assert assignments.list_assignments(station)[0].end_on == date(2026, 3, 31)
    assignments.unassign(station, a.id, delete=True)
    assert assignments.list_assignments(station) == []


def test_suggestion_prefers_the_same_industry_then_the_lighter_load(station):
    register.add_target(station, name="己软件公司", committee="P2", industry="软件")
    assignments.assign(station, "李华", target="丙科技有限公司", start="2026-01-01")
    assignments.assign(station, "张明", org="N1", start="2026-01-01")
    assignments.assign(station, "张明", org="N2", start="2026-01-01")
    got = {s.target: s for s in assignments.suggest(station, date(2026, 6, 1))}
    assert set(got) == {"丁新能源公司", "己软件公司"}
    assert got["己软件公司"].instructors[0] == "李华"  # already guides a 软件 enterprise
    assert "同行业" in got["己软件公司"].reason
    assert got["丁新能源公司"].instructors[0] == "王芳"  # nobody guides 新能源: the least loaded
