"""Packages carry the 党建指导员 rows (issue 19.9): stations, instructors, targets, assignments, weekly logs and
visits, tickets, the scheme, grades and sign-offs of the scope's stations; changes update, deletions travel,
a 录入员 cannot bring in grades, and a malformed row is refused naming it with nothing written."""

from __future__ import annotations

import pytest

from app.errors import LedgerError, PermissionDeniedError
from app.io import package as pk
from app.io.package import export_package, read_package
from app.services.instructors import assessment, assignments, register, tickets, weekly
from app.services.opening.setup import open_ledger

from ..conftest import TODAY
from .conftest import db_bytes
from .test_package_rules import _forge, _row


@pytest.fixture
def county(tmp_path):
    lg = open_ledger(tmp_path / "county.sqlite")
    lg.today = lambda: TODAY
    yield lg
    lg.close()


def _send(town, county, tmp_path, name, scope="QS", year=2026):
    info = read_package(export_package(town, scope, year, tmp_path / f"{name}.djpkg"))
    pk.trust_sender(county, info)
    return pk.import_package(county, info)


def test_instructor_rows_travel_and_update(demo_ledger, county, tmp_path):
    plan = _send(demo_ledger, county, tmp_path, "a")
    assert "党建指导员：新增 9" in plan.summary() and "指导员周记录：新增" in plan.summary()
    assert [i.name for i in register.list_instructors(county)] == [i.name for i in register.list_instructors(demo_ledger)]
    assert assignments.coverage(county).as_dict() == assignments.coverage(demo_ledger).as_dict()
    here, there = assessment.assess(demo_ledger, 2025), assessment.assess(county, 2025)
    assert there.final and [(g.instructor, g.points, g.grade) for g in there.lines] == [
        (g.instructor, g.points, g.grade) for g in here.lines]
    assert weekly.month_rollup(county, 2026, 10) == weekly.month_rollup(demo_ledger, 2026, 10)
    assert [t.as_dict() for t in tickets.listing(county, year=2026)] != [] and len(tickets.listing(county)) == len(
        tickets.listing(demo_ledger))
    assert _send(demo_ledger, county, tmp_path, "b").summary() == "没有任何变化"
    # a change and a deletion on the sending side arrive
    open_ticket = next(t for t in tickets.listing(demo_ledger) if t.status == "收集")
    tickets.update(demo_ledger, open_ticket.id, status="交办", handled_by="区人社局")
    gone = assignments.list_assignments(demo_ledger)[0]
    assignments.unassign(demo_ledger, gone.id, delete=True)
    weekly.save_log(demo_ledger, "周立新", "2026-W46", {"visits": 5, "b_days": 3})
    plan = _send(demo_ledger, county, tmp_path, "c")
    assert "问题帮办：更新 1" in plan.summary() and "指导员指派：删除 1" in plan.summary()
    moved = next(t for t in tickets.listing(county) if t.content == open_ticket.content
                 and t.raised_on == open_ticket.raised_on and t.place == open_ticket.place)
    assert (moved.status, moved.handled_by) == ("交办", "区人社局")
    assert len(assignments.list_assignments(county)) == len(assignments.list_assignments(demo_ledger))
    assert weekly.list_logs(county, week="2026-W46", instructor="周立新")[0].counts["visits"] == 5


def test_a_clerk_cannot_bring_in_grades(demo_ledger, county, tmp_path):
    info = read_package(export_package(demo_ledger, "QS", 2025, tmp_path / "a.djpkg"))
    pk.trust_sender(county, info)
    county.role, county.user = "录入员", "小王"
    before = db_bytes(county)
    with pytest.raises(PermissionDeniedError, match="指导员考核等次（需要审核员权限）"):
        pk.import_package(county, info)
    assert db_bytes(county) == before


@pytest.mark.parametrize(("change", "match"), [
    (lambda p: _row(p, "ins_logs", week="2026-W45").update(week="2026-W54"), "2026 年只有第 1–53 周"),
    (lambda p: _row(p, "ins_logs", week="2026-W45").update(visits=-3), "走访企业不能为负数"),
    (lambda p: p["ins_visits"][0].update(date="2020-01-01"), "不在"),
    (lambda p: p["ins_tickets"][0].update(status="完成"), "状态“完成”无效"),
    (lambda p: p["instructors"][0].update(mode="全职"), "专职/兼职"),
])
def test_a_malformed_row_is_refused_naming_it(demo_ledger, county, tmp_path, change, match):
    src = export_package(demo_ledger, "QS", 2026, tmp_path / "ok.djpkg")
    bad = _forge(src, tmp_path / "bad.djpkg", change, demo_ledger)
    info = read_package(bad)
    pk.trust_sender(county, info)
    before = db_bytes(county)
    with pytest.raises(LedgerError, match=match) as e:
        pk.import_package(county, info)
    assert "数据包" in str(e.value) and "第" in str(e.value)
    assert db_bytes(county) == before


def test_withdrawn_sign_offs_are_withdrawn_on_the_other_side_too(demo_ledger, county, tmp_path):
    _send(demo_ledger, county, tmp_path, "a", year=2025)
    assert assessment.assess(county, 2025).final
    assessment.reopen(demo_ledger, 2025, "周记录漏报，重新统计")
    plan = _send(demo_ledger, county, tmp_path, "b", year=2025)
    assert "指导员考核签认：删除 3" in plan.summary() and "指导员考核等次：删除 9" in plan.summary()
    assert assessment.assess(county, 2025).signoffs == []


def test_a_township_user_cannot_bring_in_rows_of_a_station_outside_its_scope(demo_ledger, county, tmp_path):
    """The package's own scope (机关党委) is the user's, but a row in it reaches the 非公 党委's station: refused as a
    hand entry would be, naming the station, nothing written."""
    import json
    import zipfile

    whole = export_package(demo_ledger, "QS", 2026, tmp_path / "whole.djpkg")
    pk.trust_sender(county, read_package(whole))
    pk.import_package(county, read_package(whole))
    with zipfile.ZipFile(whole) as z:
        someone = json.loads(z.read("payload.json"))["instructors"][0]
    county.scope = "QS01"  # a township account of 开发区机关党委
    own = export_package(demo_ledger, "QS01", 2026, tmp_path / "own.djpkg")
    bad = _forge(own, tmp_path / "bad.djpkg", lambda p: p.__setitem__("instructors", [{**someone, "phone": "13900000000"}]),
                 demo_ledger)
    before = db_bytes(county)
    with pytest.raises(PermissionDeniedError, match="第 1 行.*不能导入范围之外的指导站“青山开发区党建工作指导站”"):
        pk.import_package(county, read_package(bad))
    assert db_bytes(county) == before
