"""Packages carry 书记项目, 重点任务, their milestones and logs, and 例会 (issue 18.7): the same rules as hand
entry, conflicts for rows changed on both sides, and deletions as tombstones."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile

import pytest

from app.errors import ConflictError, LedgerError
from app.io import package as pk
from app.io.package import export_package, read_package
from app.services.opening.setup import open_ledger
from app.services.tracking import meetings, projects, removal, tasks

from ..conftest import TODAY


@pytest.fixture
def county(tmp_path):
    lg = open_ledger(tmp_path / "county.sqlite")
    lg.today = lambda: TODAY
    yield lg
    lg.close()


def _send(town, county, tmp_path, name, scope="QS", decisions=None):
    info = read_package(export_package(town, scope, 2026, tmp_path / f"{name}.djpkg"))
    pk.trust_sender(county, info)
    return pk.import_package(county, info, decisions)


def _shape(ledger):
    return ([(p.title, p.status, p.track.milestones_done, p.track.milestones_total, len(p.logs))
             for p in projects.listing(ledger, 2026, full=True)],
            sorted((t.title, t.owner_code, t.status) for t in tasks.listing(ledger, year=2026)),
            [(m.title, len(m.speakers), m.rectifications) for m in meetings.listing(ledger, 2026)])


def test_the_units_projects_tasks_and_meetings_travel_and_a_second_send_changes_nothing(demo_ledger, county, tmp_path):
    plan = _send(demo_ledger, county, tmp_path, "a")
    summary = plan.summary()
    for label in ("书记项目：新增", "重点任务：新增", "例会：新增 3", "项目任务节点：新增", "调度记录：新增"):
        assert label in summary, summary
    assert _shape(county) == _shape(demo_ledger)
    assert _send(demo_ledger, county, tmp_path, "b").summary() == "没有任何变化"


def test_a_branch_scope_carries_its_own_rows_only(demo_ledger, county, tmp_path):
    _send(demo_ledger, county, tmp_path, "a", scope="QS01")
    assert {p.lead_code[:4] for p in projects.listing(county, 2026)} == {"QS01"}
    assert {t.owner_code[:4] for t in tasks.listing(county, year=2026)} == {"QS01"}
    got = {m.title for m in meetings.listing(county, 2026)}  # only the 例会 its tasks came from
    assert got and got <= {m.title for m in meetings.listing(demo_ledger, 2026)}


def test_a_change_on_both_sides_is_a_conflict_and_deletions_travel(demo_ledger, county, tmp_path):
    _send(demo_ledger, county, tmp_path, "a")
    p = next(x for x in projects.listing(demo_ledger, 2026) if x.status == "推进中")
    projects.update_project(demo_ledger, p.id, theme="乡镇改的主题")
    here = next(x for x in projects.listing(county, 2026) if x.title == p.title)
    projects.update_project(county, here.id, theme="县里改的主题")
    with pytest.raises(ConflictError, match="冲突"):
        _send(demo_ledger, county, tmp_path, "b")
    assert projects.get_project(county, here.id).theme == "县里改的主题"
    t = tasks.add_task(demo_ledger, title="临时任务", owner="QS0101", issued="2026-11-01", due="2026-11-30")
    m = meetings.listing(demo_ledger, 2026)[0]
    info = read_package(export_package(demo_ledger, "QS", 2026, tmp_path / "c.djpkg"))
    conflict = next(c for c in pk.plan_package(county, info).conflicts)
    _send(demo_ledger, county, tmp_path, "c", decisions={(conflict.entity, conflict.key): "theirs"})
    assert projects.get_project(county, here.id).theme == "乡镇改的主题"
    assert "临时任务" in {x.title for x in tasks.listing(county, year=2026)}
    removal.remove_task(demo_ledger, t.id)
    removal.remove_meeting(demo_ledger, m.id)
    plan = _send(demo_ledger, county, tmp_path, "d")
    assert re.search("重点任务：[^；]*删除 1", plan.summary()) and "例会：删除 1" in plan.summary()
    assert "临时任务" not in {x.title for x in tasks.listing(county, year=2026)}
    assert m.title not in {x.title for x in meetings.listing(county, 2026)}


@pytest.mark.parametrize(("entity", "field", "value", "message"), [
    ("projects", "type", "特色", "项目类型“特色”无效"),
    ("projects", "end_on", "2026-01-01", "结束日期 2026-01-01 早于开始日期"),
    ("tasks", "due_on", "2020-01-01", "早于交办日期"),
    ("tracking_logs", "progress", 150, "进度应为 0–100"),
    ("milestones", "due_on", "2031-01-01", "不在"),
])
def test_a_bad_row_in_a_package_is_refused_naming_it_and_nothing_is_written(demo_ledger, county, tmp_path, entity,
                                                                            field, value, message):
    path = export_package(demo_ledger, "QS", 2026, tmp_path / "a.djpkg")
    with zipfile.ZipFile(path) as z:
        manifest, payload = json.loads(z.read("manifest.json")), json.loads(z.read("payload.json"))
    payload[entity][0][field] = value
    raw = json.dumps(payload, ensure_ascii=False).encode()
    manifest["payload_sha256"] = hashlib.sha256(raw).hexdigest()
    forged = tmp_path / "forged.djpkg"
    forged.write_bytes(pk.build(demo_ledger, json.dumps(manifest, ensure_ascii=False).encode(), raw))
    info = read_package(forged)
    pk.trust_sender(county, info)
    with pytest.raises(LedgerError, match=message):
        pk.import_package(county, info)
    assert projects.listing(county, 2026) == [] and tasks.listing(county) == []
