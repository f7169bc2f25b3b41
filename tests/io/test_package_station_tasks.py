"""Packages carry a 指导站's month list (issue 19.5): the tasks keep their owner kind (station or instructor), their
completion and their deletions; a task naming a station nobody has is refused with nothing written."""

from __future__ import annotations

import pytest

from app.errors import LedgerError
from app.io import package as pk
from app.io.package import export_package, read_package
from app.services.instructors import register
from app.services.tracking import removal, station_lists, tasks
from app.services.tracking.task_lists import ListLine

from .conftest import db_bytes
from .test_package_instructors import _send, county
from .test_package_rules import _forge

__all__ = ["county"]


def _shown(lg) -> list[dict]:
    return [{k: v for k, v in x.as_dict().items() if k != "id"} for x in station_lists.listing(lg, "2026-11")]


def _issue(lg) -> str:
    st = register.stations(lg)[0].name
    station_lists.issue(lg, "2026-11", st, [ListLine("", "走访新招商企业", "2026-11-20")], to=["全体指导员"])
    station_lists.issue(lg, "2026-11", st, [ListLine("", "站务例会", "2026-11-05")])
    return st


def test_station_tasks_travel_with_their_owner_kind_and_deletions(demo_ledger, county, tmp_path):
    before_org = len(tasks.listing(demo_ledger, month="2026-11"))
    _issue(demo_ledger)
    one = station_lists.listing(demo_ledger, "2026-11")[1]
    station_lists.mark_done(demo_ledger, one.task.id, on="2026-11-18", evidence="走访记录 3 份")
    _send(demo_ledger, county, tmp_path, "a")
    assert _shown(county) == _shown(demo_ledger) and len(_shown(county)) >= 10
    assert station_lists.feedback(county, "2026-11") == station_lists.feedback(demo_ledger, "2026-11")
    assert len(tasks.listing(county, month="2026-11")) == before_org  # still not an organisation's task there
    assert _send(demo_ledger, county, tmp_path, "b").summary() == "没有任何变化"
    removal.remove_task(demo_ledger, station_lists.listing(demo_ledger, "2026-11")[0].task.id)
    plan = _send(demo_ledger, county, tmp_path, "c")
    assert "重点任务：删除 1" in plan.summary()
    assert _shown(county) == _shown(demo_ledger)


@pytest.mark.parametrize(("change", "match"), [
    (lambda p: next(r for r in p["tasks"] if r.get("station_uuid")).update(station_uuid="0" * 32), "没有的指导站"),
    (lambda p: next(r for r in p["tasks"] if r.get("instructor_uuid")).update(station_uuid=None), "没有指导站"),
])
def test_a_task_of_an_unknown_station_is_refused(demo_ledger, county, tmp_path, change, match):
    _issue(demo_ledger)
    src = export_package(demo_ledger, "QS", 2026, tmp_path / "ok.djpkg")
    info = read_package(_forge(src, tmp_path / "bad.djpkg", change, demo_ledger))
    pk.trust_sender(county, info)
    before = db_bytes(county)
    with pytest.raises(LedgerError, match=match) as e:
        pk.import_package(county, info)
    assert "数据包内容有误" in str(e.value)
    assert db_bytes(county) == before


def test_station_sign_offs_travel_and_their_withdrawal_too(demo_ledger, county, tmp_path):  # issue 19.6, by station
    from app.services.instructors import assessment

    st = register.stations(demo_ledger)[0].name
    assessment.reopen(demo_ledger, 2025, "改为逐站签认")
    for step, person in (("小组统计", "吴组长"), ("站内核实", "李站长"), ("党支部认定", "王书记")):
        assessment.sign(demo_ledger, 2025, step, person, station=st)
    plan = _send(demo_ledger, county, tmp_path, "a")
    assert "指导站考核签认：新增 3" in plan.summary()
    there = assessment.assess(county, 2025)
    assert there.final and there.by_station and [(x.step, x.person) for x in there.stations[st]] == [
        ("小组统计", "吴组长"), ("站内核实", "李站长"), ("党支部认定", "王书记")]
    assert [(g.instructor, g.grade) for g in there.lines] == [
        (g.instructor, g.grade) for g in assessment.assess(demo_ledger, 2025).lines]
    assessment.reopen_station(demo_ledger, 2025, st, "周记录漏报")
    plan = _send(demo_ledger, county, tmp_path, "b")
    assert "指导站考核签认：删除 3" in plan.summary()
    assert assessment.assess(county, 2025).stations == {} and not assessment.assess(county, 2025).final
