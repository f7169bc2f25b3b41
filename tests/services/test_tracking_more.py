"""Issue 18, what was left: the month list's preview (same checks as issuing, nothing written), month locks and
confirmed years on milestone, log, task done and 销号 dates, and deleting a wrong log entry (audited, a tombstone,
refused in a closed month).
"Today" is 2026-11-21 (tests/conftest.py)."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import tracking as rules
from app.errors import LockedError, NotFoundError, ValidationError
from app.services.assessment import grades
from app.services.kernel import audit, locks
from app.services.register import orgs
from app.services.safety import audit_query
from app.services.scoring import scores
from app.services.tracking import projects, removal, task_lists, tasks
from db.models import AuditEntry
from db.models_tracking import KeyTask, Milestone, SecretaryProject, TrackingLog


def _count(ledger, model) -> int:
    with ledger.db.read() as s:
        return s.query(model).count()


def test_the_preview_shows_what_issuing_writes_and_writes_nothing(ledger):
    orgs.add_org(ledger, code="B2", name="教育局党支部", sector="机关事业单位", parent="P1", category="B", year=2026)
    lines = [task_lists.ListLine("第 1 行", "学习贯彻全会精神", "2026-11-15"),
             task_lists.ListLine("第 2 行", "更新党员信息", None, ("B2",), "李四")]
    planned = task_lists.preview(ledger, "2026-11", ["B1", "B2"], lines)
    assert [(p.where, p.owner_code, p.due, p.person) for p in planned] == [
        ("第 1 行", "B1", date(2026, 11, 15), ""), ("第 1 行", "B2", date(2026, 11, 15), ""),
        ("第 2 行", "B2", date(2026, 11, 30), "李四")]
    assert _count(ledger, KeyTask) == 0
    with pytest.raises(ValidationError, match="第 2 行：没有责任单位"):
        task_lists.preview(ledger, "2026-11", [], [task_lists.ListLine("第 2 行", "x", None, (), "")])
    r = task_lists.issue(ledger, "2026-11", ["B1", "B2"], lines)
    written = sorted((t.owner_code, t.title, t.due) for t in tasks.listing(ledger, month="2026-11"))
    assert r.tasks == 3 and written == sorted((p.owner_code, p.title, p.due) for p in planned)
    # one audit entry per task, in the order written, chained (the list carries the chain's head along)
    with ledger.db.read() as s:
        last = s.query(AuditEntry).order_by(AuditEntry.id.desc()).limit(3).all()[::-1]
    assert [(e.action, e.entity_uuid) for e in last] == [("交办重点任务", t.uuid) for t in _tasks_by_id(ledger, r.ids)]
    assert audit.verify_chain(ledger)[0] is True


def _tasks_by_id(ledger, ids):
    with ledger.db.read() as s:
        return [s.get(KeyTask, i) for i in ids]


def test_an_audit_entry_written_in_a_savepoint_that_rolls_back_leaves_the_chain_whole(ledger):
    with ledger.db.write() as s:
        audit.record(s, ledger, "甲", "x")
        try:
            with s.begin_nested():
                audit.record(s, ledger, "乙（撤回）", "x")
                raise RuntimeError
        except RuntimeError:
            pass
        audit.record(s, ledger, "丙", "x")
    with ledger.db.read() as s:
        actions = [e.action for e in s.query(AuditEntry).order_by(AuditEntry.id)][-2:]
    assert actions == ["甲", "丙"] and audit.verify_chain(ledger)[0] is True


# --- month locks and confirmed years hold tracking dates -----------------------------------------------
def _project(ledger, **kw):
    values = dict(year=2026, title="红色物业进小区", level="支部书记项目", type="重点", lead="B1", start="2026-02-01",
                  end="2026-12-31", goal="小区党组织全覆盖", measures="一月一议", declared_on="2026-01-10")
    return projects.add_project(ledger, **(values | kw))


def _approved(ledger, **kw):
    p = _project(ledger, **kw)
    m = projects.add_milestone(ledger, p.id, "完成调研", f"{p.year}-03-31")
    projects.approve(ledger, p.id, f"{p.year}-02-01")
    return p, m


def _state(ledger) -> tuple:
    with ledger.db.read() as s:
        return (tuple(s.query(m).count() for m in (TrackingLog, AuditEntry)),
                tuple((m.done_on, m.evidence) for m in s.query(Milestone).order_by(Milestone.id)),
                tuple((t.status, t.done_on, t.closed_on) for t in s.query(KeyTask).order_by(KeyTask.id)),
                tuple((p.status, p.finished_on) for p in s.query(SecretaryProject).order_by(SecretaryProject.id)))


def test_a_locked_month_refuses_milestones_logs_and_task_dates_in_it_naming_the_lock(ledger):
    p, m = _approved(ledger)
    t = tasks.add_task(ledger, title="报送材料", owner="B1", issued="2026-09-01", due="2026-10-31")
    done = tasks.add_task(ledger, title="整改台账", owner="B1", issued="2026-09-01", due="2026-10-31")
    tasks.mark_done(ledger, done.id, on="2026-09-20", evidence="整改报告")
    locks.lock_month(ledger, 2026, 10, "十月已审核")
    before = _state(ledger)
    attempts = {
        "节点完成日期 2026-10-08": lambda: projects.milestone_done(ledger, m.id, "2026-10-08", "调研报告"),
        "调度日期 2026-10-09": lambda: projects.add_log(ledger, p.id, 30, "推进", on="2026-10-09"),
        "调度日期 2026-10-10": lambda: tasks.add_log(ledger, t.id, 30, "推进", on="2026-10-10"),
        "完成日期 2026-10-11": lambda: tasks.mark_done(ledger, t.id, on="2026-10-11", evidence="材料"),
        "销号日期 2026-10-12": lambda: tasks.close(ledger, done.id, "陈静", on="2026-10-12"),
        "终止日期 2026-10-13": lambda: projects.terminate(ledger, p.id, "并入新项目", on="2026-10-13"),
        "交办日期 2026-10-14": lambda: tasks.add_task(ledger, title="补交材料", owner="B1", issued="2026-10-14",
                                                  due="2026-11-30"),
        "交办日期 2026-10-01": lambda: task_lists.issue(ledger, "2026-10", ["B1"],
                                                    [task_lists.ListLine("第 1 行", "十月清单", "2026-10-31")]),
    }
    for field, attempt in attempts.items():
        with pytest.raises(LockedError, match=f"^{field}：2026 年 10 月已于 .* 审核锁定"):
            attempt()
    assert _state(ledger) == before
    # the months around it stay open
    projects.milestone_done(ledger, m.id, "2026-09-30", "调研报告")
    projects.add_log(ledger, p.id, 40, "推进", on="2026-11-02")
    tasks.close(ledger, done.id, "陈静", on="2026-11-02")
    with pytest.raises(LockedError, match="^结项日期 2026-10-20："):
        projects.complete(ledger, p.id, "成效明显", on="2026-10-20")
    assert projects.complete(ledger, p.id, "成效明显", on="2026-11-20").status == rules.COMPLETED


def test_a_confirmed_year_refuses_tracking_dates_in_it_naming_the_confirmation(ledger):
    p, m = _approved(ledger, year=2025, start="2025-02-01", end="2025-12-31", declared_on="2025-01-10")
    scores.set_score(ledger, "B1", 2025, 3, "RC02", points="1.0")
    grades.confirm(ledger, 2025)
    before = _state(ledger)
    with pytest.raises(LockedError, match="^节点完成日期 2025-03-30：2025 年度定级已于 .* 确认"):
        projects.milestone_done(ledger, m.id, "2025-03-30")
    with pytest.raises(LockedError, match="^调度日期 2025-12-01：2025 年度定级"):
        projects.add_log(ledger, p.id, 50, "补记", on="2025-12-01")
    assert _state(ledger) == before
    projects.add_log(ledger, p.id, 50, "年后补记进展", on="2026-01-05")  # the next year is open


# --- deleting a wrong log entry --------------------------------------------------------------------------
def _tombstones(ledger) -> set[tuple[str, int]]:
    from db.models_io import Tombstone

    with ledger.db.read() as s:
        return {(t.entity, t.year) for t in s.query(Tombstone)}


def test_a_wrong_log_entry_is_deleted_audited_and_leaves_a_tombstone(ledger):
    p, _m = _approved(ledger)
    first = projects.add_log(ledger, p.id, 30, "推进", on="2026-06-01")
    wrong = projects.add_log(ledger, p.id, 80, "录错了项目", on="2026-06-02")
    with pytest.raises(ValidationError, match="需要说明原因"):
        projects.add_log(ledger, p.id, 40, "推进", on="2026-06-03")  # the wrong 80 % stands in the way
    gone = removal.remove_log(ledger, wrong.id)
    assert (gone.on, gone.progress) == (date(2026, 6, 2), 80)
    assert [lg.id for lg in projects.get_project(ledger, p.id).logs] == [first.id]
    projects.add_log(ledger, p.id, 40, "推进", on="2026-06-03")  # no setback now
    [line] = audit_query.search(ledger, action="删除调度记录")
    assert "红色物业进小区" in line.summary and "录错了项目" in line.summary and line.org_code == "B1"
    assert ("tracking_logs", 2026) in _tombstones(ledger)
    with pytest.raises(NotFoundError, match="找不到编号为 999 的调度记录"):
        removal.remove_log(ledger, 999)


def test_deleting_the_last_entry_puts_the_project_or_task_back(ledger):
    p, _m = _approved(ledger)
    lg = projects.add_log(ledger, p.id, 10, "启动", on="2026-06-01")
    assert projects.get_project(ledger, p.id).status == rules.RUNNING
    removal.remove_log(ledger, lg.id)
    assert projects.get_project(ledger, p.id).status == rules.APPROVED
    t = tasks.add_task(ledger, title="报送材料", owner="B1", issued="2026-11-01", due="2026-11-30")
    tl = tasks.add_log(ledger, t.id, 50, "已起草", on="2026-11-05")
    removal.remove_log(ledger, tl.id)
    assert tasks.listing(ledger, year=2026)[0].stored_status == rules.TODO


def test_a_log_in_a_locked_month_or_of_a_finished_project_stays(ledger):
    p, m = _approved(ledger)
    lg = projects.add_log(ledger, p.id, 30, "推进", on="2026-10-09")
    locks.lock_month(ledger, 2026, 10)
    before = _state(ledger), _tombstones(ledger)
    with pytest.raises(LockedError, match="^调度日期 2026-10-09：2026 年 10 月已于"):
        removal.remove_log(ledger, lg.id)
    assert (_state(ledger), _tombstones(ledger)) == before
    locks.unlock_month(ledger, 2026, 10, "更正")
    projects.milestone_done(ledger, m.id, "2026-03-30")
    projects.complete(ledger, p.id, "成效明显", on="2026-11-20")
    with pytest.raises(ValidationError, match="已完成，不能删除调度记录"):
        removal.remove_log(ledger, lg.id)


def test_a_meeting_dated_in_a_locked_month_is_refused_with_its_problems(ledger):
    from app.services.tracking import meetings

    locks.lock_month(ledger, 2026, 10)
    before = _state(ledger), len(meetings.listing(ledger, 2026))
    with pytest.raises(LockedError, match="^例会日期 2026-10-15：2026 年 10 月已于"):
        meetings.add_meeting(ledger, on="2026-10-15", title="十月例会", speakers=[("张三", "经验交流")],
                             problems=[meetings.Problem("B1", "记录不全", "2026-11-30")])
    assert (_state(ledger), len(meetings.listing(ledger, 2026))) == before
    m = meetings.add_meeting(ledger, on="2026-11-05", title="十一月例会",
                             problems=[meetings.Problem("B1", "记录不全", "2026-11-30")])
    assert m.rectifications == 1
