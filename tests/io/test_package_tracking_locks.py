"""Packages meet the month locks and confirmed years of the receiving side on tracking dates as hand entry
does (issue 18): a log or a milestone done in a month the county locked is refused naming the lock, nothing
written; a log deleted by mistake travels as a tombstone."""

from __future__ import annotations

import pytest

from app.errors import LockedError
from app.io import package as pk
from app.io.package import export_package, read_package
from app.services.kernel import locks
from app.services.opening.setup import open_ledger
from app.services.tracking import projects, removal

from ..conftest import TODAY


@pytest.fixture
def county(tmp_path):
    lg = open_ledger(tmp_path / "county.sqlite")
    lg.today = lambda: TODAY
    yield lg
    lg.close()


def _send(town, county, tmp_path, name):
    info = read_package(export_package(town, "QS", 2026, tmp_path / f"{name}.djpkg"))
    pk.trust_sender(county, info)
    return pk.import_package(county, info)


def _logs(ledger, title):
    return [(lg.on, lg.note) for lg in
            projects.get_project(ledger, next(p.id for p in projects.listing(ledger, 2026) if p.title == title)).logs]


def test_a_log_in_a_month_the_county_locked_is_refused_naming_the_lock(demo_ledger, county, tmp_path):
    _send(demo_ledger, county, tmp_path, "a")
    p = next(x for x in projects.listing(demo_ledger, 2026, full=True) if x.status == "推进中")
    locks.lock_month(county, 2026, 11, "十一月已审核")
    projects.add_log(demo_ledger, p.id, p.track.progress, "十一月中旬调度", on="2026-11-15")
    before = _logs(county, p.title)
    with pytest.raises(LockedError, match="“调度记录”第 1 行：调度日期 2026-11-15：2026 年 11 月已于 .* 审核锁定"):
        _send(demo_ledger, county, tmp_path, "b")
    assert _logs(county, p.title) == before
    locks.unlock_month(county, 2026, 11, "补收乡镇调度")
    _send(demo_ledger, county, tmp_path, "c")
    assert _logs(county, p.title) == _logs(demo_ledger, p.title)


def test_a_milestone_done_in_a_locked_month_is_refused(demo_ledger, county, tmp_path):
    _send(demo_ledger, county, tmp_path, "a")
    p = next(x for x in projects.listing(demo_ledger, 2026, full=True)
             if x.status == "推进中" and any(m.done_on is None and m.due.month <= 11 for m in x.milestones))
    m = next(m for m in p.milestones if m.done_on is None)
    projects.milestone_done(demo_ledger, m.id, "2026-11-16", "验收报告")
    locks.lock_month(county, 2026, 11)
    with pytest.raises(LockedError, match="“项目任务节点”第 1 行：节点完成日期 2026-11-16：2026 年 11 月"):
        _send(demo_ledger, county, tmp_path, "b")
    here = next(x for x in projects.listing(county, 2026, full=True) if x.title == p.title)
    assert next(x for x in here.milestones if x.title == m.title).done_on is None


def test_a_deleted_log_travels_as_a_tombstone_and_a_locked_month_holds_it(demo_ledger, county, tmp_path):
    p = next(x for x in projects.listing(demo_ledger, 2026, full=True) if x.status == "推进中" and len(x.logs) > 1)
    wrong = projects.add_log(demo_ledger, p.id, p.track.progress, "录错的调度", on="2026-11-18")
    _send(demo_ledger, county, tmp_path, "a")
    assert ("2026-11-18", "录错的调度") in {(str(d), n) for d, n in _logs(county, p.title)}
    removal.remove_log(demo_ledger, wrong.id)
    locks.lock_month(county, 2026, 11)
    with pytest.raises(LockedError, match="删除.*调度日期 2026-11-18：2026 年 11 月已于"):
        _send(demo_ledger, county, tmp_path, "b")
    assert len(_logs(county, p.title)) == len(_logs(demo_ledger, p.title)) + 1
    locks.unlock_month(county, 2026, 11, "补收乡镇的删除")
    plan = _send(demo_ledger, county, tmp_path, "c")
    assert "调度记录：删除 1" in plan.summary(), plan.summary()
    assert _logs(county, p.title) == _logs(demo_ledger, p.title)
