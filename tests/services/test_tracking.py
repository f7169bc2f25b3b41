"""书记项目 and 重点任务 on the tracking engine (issue 18): the project's life (方案 before 立项, type change with a
reason, completion), the bonus and deduction links (once, within caps, never on top of a hand entry, month
locks), list issue and month-end feedback arithmetic, 例会 counts, the 盯跟晒 board and the alerts.
"Today" is 2026-11-21 (tests/conftest.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.domain import tracking as rules
from app.errors import LedgerError, LockedError, NotFoundError, ValidationError
from app.services.kernel import locks, settings
from app.services.register import orgs
from app.services.safety import audit_query
from app.services.scoring import scores
from app.services.tracking import board, meetings, projects, task_lists, tasks
from db.models_tracking import KeyTask, SecretaryProject


def _project(ledger, **kw):
    values = dict(year=2026, title="红色物业进小区", level="支部书记项目", type="重点", lead="B1", start="2026-02-01",
                  end="2026-12-31", goal="小区党组织全覆盖", measures="一月一议", declared_on="2026-01-10")
    return projects.add_project(ledger, **(values | kw))


def _running(ledger, **kw):
    p = _project(ledger, **kw)
    m = projects.add_milestone(ledger, p.id, "完成调研", "2026-03-31")
    projects.approve(ledger, p.id, "2026-01-20", "2026-01-25")
    projects.add_log(ledger, p.id, 60, "已覆盖 6 个小区", on="2026-06-01")
    return p, m


def _count(ledger, model) -> int:
    with ledger.db.read() as s:
        return s.query(model).count()


def _cell(ledger, item, month, org="B1"):
    return scores.cell(ledger, org, 2026, month, item)


def test_a_project_goes_from_declaration_to_completion(ledger):
    p = _project(ledger, goal="", measures="")
    assert p.status == rules.DECLARED
    with pytest.raises(ValidationError, match="方案不完整.*目标任务、工作举措、至少一个节点"):
        projects.approve(ledger, p.id, "2026-01-20")
    projects.update_project(ledger, p.id, goal="覆盖", measures="一月一议")
    with pytest.raises(ValidationError, match="不在项目“红色物业进小区”的起止日期"):
        projects.add_milestone(ledger, p.id, "提前", "2026-01-31")
    m1 = projects.add_milestone(ledger, p.id, "调研", "2026-03-31")
    m2 = projects.add_milestone(ledger, p.id, "验收", "2026-11-30")
    with pytest.raises(ValidationError, match="早于申报日期"):
        projects.approve(ledger, p.id, "2026-01-05")
    with pytest.raises(ValidationError, match="审核备案日期 2026-01-19 早于会议研究日期"):
        projects.approve(ledger, p.id, "2026-01-20", "2026-01-19")
    assert projects.approve(ledger, p.id, "2026-01-20", "2026-01-25").status == rules.APPROVED
    projects.add_log(ledger, p.id, 40, "推进", on="2026-05-01")
    shown = projects.get_project(ledger, p.id)
    assert shown.status == rules.RUNNING and shown.track.is_lagging and shown.track.is_due_soon  # 验收 in 9 days
    projects.milestone_done(ledger, m1.id, "2026-03-30", "调研报告")
    shown = projects.get_project(ledger, p.id)
    assert not shown.track.is_lagging and shown.track.is_due_soon  # 验收 due in 9 days
    with pytest.raises(ValidationError, match="还有 1 个节点未完成（验收）"):
        projects.complete(ledger, p.id, "成效明显")
    projects.milestone_done(ledger, m2.id, "2026-11-20")
    with pytest.raises(ValidationError, match="成效总结"):
        projects.complete(ledger, p.id, " ")
    done = projects.complete(ledger, p.id, "6 个小区建立党组织", on="2026-11-20")
    assert (done.status, done.finished_on, done.bonus_points) == (rules.COMPLETED, date(2026, 11, 20), None)
    assert _cell(ledger, "JF02", 11).manual_points is None  # no bonus unless asked
    with pytest.raises(ValidationError, match="已完成"):
        projects.add_log(ledger, p.id, 100, "再记")


def test_changing_the_type_after_approval_needs_a_reason_and_is_audited(ledger):
    p = _project(ledger)
    projects.update_project(ledger, p.id, type="提升")  # before 立项: no reason needed
    projects.add_milestone(ledger, p.id, "调研", "2026-03-31")
    projects.approve(ledger, p.id, "2026-01-20")
    with pytest.raises(ValidationError, match="调整项目类型需要说明理由"):
        projects.update_project(ledger, p.id, type="改薄")
    projects.update_project(ledger, p.id, type="改薄", reason="年中评估后列为改薄")
    lines = audit_query.search(ledger, action="调整书记项目")
    assert len(lines) == 1 and "年中评估后列为改薄" in lines[0].summary
    assert '"type": ["提升", "改薄"]' in lines[0].changes
    with pytest.raises(ValidationError, match="不在新的起止日期"):
        projects.update_project(ledger, p.id, start="2026-04-01")


def test_the_bonus_is_added_once_in_the_month_of_completion(ledger):
    p, m = _running(ledger)
    projects.milestone_done(ledger, m.id, "2026-03-30")
    done = projects.complete(ledger, p.id, "成效", on="2026-10-15", with_bonus=True)
    assert done.bonus_points == Decimal("2.0")
    cell = _cell(ledger, "JF02", 10)
    assert (cell.manual_count, cell.effective) == (1, Decimal("2.0"))
    with pytest.raises(ValidationError, match="已完成"):
        projects.complete(ledger, p.id, "再次", with_bonus=True)
    # a second project of the same branch adds to the same cell, and the third passes the yearly cap of 4
    for title in ("第二个项目", "第三个项目"):
        q, qm = _running(ledger, title=title)
        projects.milestone_done(ledger, qm.id, "2026-03-30")
        if title == "第二个项目":
            projects.complete(ledger, q.id, "成效", on="2026-10-20", with_bonus=True)
            assert _cell(ledger, "JF02", 10).manual_count == 2
        else:
            with pytest.raises(ValidationError, match="超过年上限 4.0"):
                projects.complete(ledger, q.id, "成效", on="2026-11-02", with_bonus=True)
            assert projects.get_project(ledger, q.id).status == rules.RUNNING  # nothing written
            assert _cell(ledger, "JF02", 11).manual_count is None


def test_the_bonus_is_never_added_on_top_of_a_hand_entry_for_the_same_project(ledger):
    p, m = _running(ledger)
    projects.milestone_done(ledger, m.id, "2026-03-30")
    scores.set_score(ledger, "B1", 2026, 9, "JF02", count=1, note="红色物业进小区 经验被县委推广")
    with pytest.raises(ValidationError, match="已手工录入该项目的加分"):
        projects.complete(ledger, p.id, "成效", on="2026-10-15", with_bonus=True)
    assert projects.get_project(ledger, p.id).status == rules.RUNNING
    assert projects.complete(ledger, p.id, "成效", on="2026-10-15").status == rules.COMPLETED  # without the bonus


def test_the_bonus_respects_month_locks_and_confirmed_years(ledger):
    p, m = _running(ledger)
    projects.milestone_done(ledger, m.id, "2026-03-30")
    locks.lock_month(ledger, 2026, 10)
    with pytest.raises(LockedError, match="10 月已于"):
        projects.complete(ledger, p.id, "成效", on="2026-10-15", with_bonus=True)
    assert projects.get_project(ledger, p.id).status == rules.RUNNING


def test_a_party_committee_cannot_take_the_bonus_it_is_not_scored(ledger):
    p, m = _running(ledger, lead="P1", level="乡镇(街道、开发区)党(工)委书记项目")
    projects.milestone_done(ledger, m.id, "2026-03-30")
    with pytest.raises(ValidationError, match="不参与积分"):
        projects.complete(ledger, p.id, "成效", on="2026-10-15", with_bonus=True)


def test_an_overdue_superior_task_becomes_one_deduction(ledger):
    t = tasks.add_task(ledger, title="报送党建述职材料", owner="B1", issued="2026-10-08", due="2026-10-31")
    assert t.status == rules.OVERDUE
    done = tasks.deduct(ledger, t.id)
    assert done.deducted
    cell = _cell(ledger, "KF01", 11)
    assert (cell.manual_count, cell.signed) == (1, Decimal("-2.0"))
    with pytest.raises(ValidationError, match="不能重复扣分"):
        tasks.deduct(ledger, t.id)
    own = tasks.add_task(ledger, title="自定任务", owner="B1", issued="2026-10-08", due="2026-10-31", source="承诺")
    with pytest.raises(ValidationError, match="只有上级交办任务"):
        tasks.deduct(ledger, own.id)
    soon = tasks.add_task(ledger, title="年底总结", owner="B1", issued="2026-11-01", due="2026-11-25")
    with pytest.raises(ValidationError, match="没有逾期"):
        tasks.deduct(ledger, soon.id)
    late = tasks.add_task(ledger, title="迟交", owner="B1", issued="2026-09-01", due="2026-09-15")
    tasks.mark_done(ledger, late.id, on="2026-09-20", evidence="回执")
    assert tasks.deduct(ledger, late.id).deducted  # done late: the deduction falls on the first late day, 16 Sept
    assert _cell(ledger, "KF01", 9).manual_count == 1


def test_a_deduction_in_a_locked_month_is_refused_and_nothing_written(ledger):
    t = tasks.add_task(ledger, title="报送", owner="B1", issued="2026-10-08", due="2026-10-31")
    locks.lock_month(ledger, 2026, 11)
    with pytest.raises(LockedError):
        tasks.deduct(ledger, t.id)
    assert not tasks.listing(ledger, year=2026)[0].deducted


def test_task_states_done_and_closed(ledger):
    t = tasks.add_task(ledger, title="整理台账", owner="B1", issued="2026-11-01", due="2026-11-30", person="王五")
    assert (t.status, t.due_soon) == (rules.TODO, True)
    tasks.add_log(ledger, t.id, 50, "整理中", on="2026-11-10")
    assert tasks.listing(ledger, year=2026)[0].status == rules.DOING
    with pytest.raises(ValidationError, match="完成后才能验收销号"):
        tasks.close(ledger, t.id, "张书记")
    with pytest.raises(ValidationError, match="完成佐证"):
        tasks.mark_done(ledger, t.id, on="2026-11-20")
    with pytest.raises(ValidationError, match="晚于今天"):
        tasks.mark_done(ledger, t.id, on="2026-11-22", evidence="台账")
    tasks.mark_done(ledger, t.id, on="2026-11-20", evidence="台账照片")
    closed = tasks.close(ledger, t.id, "张书记", on="2026-11-21")
    assert (closed.status, closed.verified_by) == (rules.CLOSED, "张书记")


def test_a_month_list_goes_to_many_owners_and_the_feedback_adds_up(ledger):
    orgs.add_org(ledger, code="B2", name="教育局党支部", sector="机关事业单位", parent="P1", category="B", year=2026)
    r = task_lists.issue(ledger, "2026-11", ["B1", "B2"], [
        task_lists.ListLine("第 1 条", "学习贯彻全会精神", "2026-11-15"),
        task_lists.ListLine("第 2 条", "更新党员信息"),  # due: the month's last day
    ])
    assert (r.tasks, r.owners) == (4, 2)
    listed = {(t.owner_code, t.title): t for t in tasks.listing(ledger, month="2026-11")}
    assert listed[("B1", "更新党员信息")].due == date(2026, 11, 30)
    assert listed[("B1", "学习贯彻全会精神")].issued == date(2026, 11, 1)
    tasks.mark_done(ledger, listed[("B1", "学习贯彻全会精神")].id, on="2026-11-14", evidence="学习记录")
    tasks.mark_done(ledger, listed[("B1", "更新党员信息")].id, on="2026-11-20", evidence="系统截图")
    fb = task_lists.feedback(ledger, "2026-11")
    by = {o.owner_code: o for o in fb.owners}
    assert (by["B1"].total, by["B1"].done, by["B1"].on_time, by["B1"].rate) == (2, 2, 2, Decimal("100.0"))
    assert (by["B2"].done, by["B2"].overdue, by["B2"].open, by["B2"].rate) == (0, 1, 1, Decimal("0.0"))
    assert fb.owners[0].owner_code == "B2"  # laggards first
    assert (fb.total, fb.done, fb.overdue) == (4, 2, 1)
    before = _count(ledger, KeyTask)
    with pytest.raises(ValidationError, match=r"2 处问题.*第 1 条：任务“迟到”的完成时限 2026-10-30 早于交办日期.*第 2 条：任务名称不能为空"):
        task_lists.issue(ledger, "2026-12", ["B1"], [task_lists.ListLine("第 1 条", "迟到", "2026-10-30"),
                                                     task_lists.ListLine("第 2 条", "")], issued="2026-11-01")
    with pytest.raises(ValidationError, match="找不到组织编码为“ZZ”"):
        task_lists.issue(ledger, "2026-12", [], [task_lists.ListLine("第 1 条", "x", None, ("ZZ",))])
    with pytest.raises(ValidationError, match="月份应为"):
        task_lists.issue(ledger, "2026-13", ["B1"], [task_lists.ListLine("第 1 条", "x")])
    assert _count(ledger, KeyTask) == before


def test_a_meeting_counts_speeches_and_rectifications_from_its_records(ledger):
    m = meetings.add_meeting(ledger, on="2026-11-05", title="11月党建例会", sites=["幸福村", "园区党群中心"],
                             speakers=[("张三", "经验交流"), ("李四", "表态发言"), ("王五", "表态发言")], leader="刘书记",
                             problems=[meetings.Problem("B1", "三会一课记录不全", "2026-11-30"),
                                       meetings.Problem("B1", "党费未按时收缴", "2026-11-15")])
    assert (len(m.speakers), m.exchanges, m.pledges, m.rectifications, m.rectified) == (3, 1, 2, 2, 0)
    t = tasks.listing(ledger, year=2026)
    assert {x.source for x in t} == {rules.MEETING_SOURCE} and {x.meeting_id for x in t} == {m.id}
    tasks.mark_done(ledger, t[0].id, on="2026-11-14", evidence="补齐记录")
    assert meetings.get_meeting(ledger, m.id).rectified == 1
    before = _count(ledger, KeyTask)
    with pytest.raises(NotFoundError, match="第 2 个整改问题"):
        meetings.add_meeting(ledger, on="2026-11-06", title="x",
                             problems=[meetings.Problem("B1", "a", "2026-11-30"), meetings.Problem("NOPE", "b", "2026-11-30")])
    with pytest.raises(ValidationError, match="发言类型"):
        meetings.parse_speaker("赵六:批评")
    assert _count(ledger, KeyTask) == before and len(meetings.listing(ledger, 2026)) == 1


def test_the_board_puts_laggards_first_and_the_setting_moves_due_soon(ledger):
    a, am = _running(ledger, title="按时项目")
    projects.milestone_done(ledger, am.id, "2026-03-30")
    projects.add_milestone(ledger, a.id, "年底验收", "2026-12-04")  # 13 days ahead: 临期
    _running(ledger, title="滞后项目", type="改薄")
    rows = board.board_rows(ledger, 2026)
    assert [p.title for p in rows] == ["滞后项目", "按时项目"]
    assert rows[0].track.is_lagging and rows[1].track.is_due_soon
    settings.set_value(ledger, "tracking_soon_days", 7)
    assert not board.board_rows(ledger, 2026)[1].track.is_due_soon
    tasks.add_task(ledger, title="逾期任务", owner="B1", issued="2026-10-01", due="2026-10-31")
    boards = board.committee_boards(ledger, 2026)
    assert [b.name for b in boards] == ["测试机关党委", "全单位"]
    assert boards[0].by_type_status[("改薄", rules.RUNNING)] == 1 and boards[0].lagging_projects == 1
    assert boards[0].tasks_overdue["财政局党支部"] == 1 and boards[1].overdue == 1
    kinds = [(x.kind, x.title) for x in board.alerts(ledger, 2026)]
    assert kinds[0][0] in ("滞后", "逾期") and ("滞后", "滞后项目：完成调研") in kinds


def test_bad_inputs_write_nothing(ledger):
    before = _count(ledger, SecretaryProject)
    for kw, message in (({"type": "特色"}, "项目类型“特色”无效"), ({"level": "村级项目"}, "项目层级"),
                        ({"end": "2026-01-01"}, "结束日期 2026-01-01 早于开始日期"), ({"lead": "ZZ"}, "找不到"),
                        ({"start": "2026-02-30"}, "不是有效日期"), ({"declared_on": "2026-12-01"}, "晚于今天")):
        with pytest.raises(LedgerError, match=message):
            _project(ledger, **kw)
    assert _count(ledger, SecretaryProject) == before
    p, m = _running(ledger)
    with pytest.raises(ValidationError, match="进度应为 0–100"):
        projects.add_log(ledger, p.id, 120, "超")
    with pytest.raises(ValidationError, match="降到 30%，需要说明原因"):
        projects.add_log(ledger, p.id, 30, "倒退")
    projects.add_log(ledger, p.id, 30, "倒退", reason="资金延迟")
    with pytest.raises(ValidationError, match="晚于今天"):
        projects.milestone_done(ledger, m.id, "2026-11-22")
    with pytest.raises(ValidationError, match="完成时限 2026-10-01 早于交办日期"):
        tasks.add_task(ledger, title="倒挂", owner="B1", issued="2026-10-02", due="2026-10-01")
    with pytest.raises(ValidationError, match="任务来源"):
        tasks.add_task(ledger, title="x", owner="B1", issued="2026-10-02", due="2026-10-09", source="口头")
