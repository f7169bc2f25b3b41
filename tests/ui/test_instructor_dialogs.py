"""The 指导员 dialogs as a user meets them (issue 19.8, on screen, not only CLI): the ticket dialog moves a problem
forward only, the sign-off dialog keeps the order 小组统计 → 站内核实 → 党支部认定 and refuses a 录入员, and the
走访记录, edit-instructor, link-target and 考核细则 dialogs save through the CLI's service functions — each refusal
shown in the dialog, in red, with nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain import instructors as rules
from app.services.instructors import assessment, register, scheme, tickets, weekly
from ui.dialogs.instructor_edit import EditInstructorDialog, SchemeDialog, SignoffDialog
from ui.dialogs.instructors import TicketDialog, TicketMoveDialog
from ui.pages.instructors import Page


def refused(dialog, match: str) -> None:
    assert not dialog.try_save()
    assert match in dialog.message.text() and dialog.message.isVisibleTo(dialog)


@pytest.fixture
def page(qtbot, demo_ctx):
    p = Page(demo_ctx)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    p.refresh()
    return p


# ---- 问题帮办 ----
def test_the_ticket_dialog_moves_forward_only(qtbot, demo_ledger):
    t = next(x for x in tickets.listing(demo_ledger) if x.status == "办理中")
    d = TicketMoveDialog(demo_ledger, t)
    qtbot.addWidget(d)
    assert [d.status.itemText(i) for i in range(d.status.count())] == ["办理中", "办结", "回访"]
    d.status.addItem("交办")  # even if an earlier state were offered, the service refuses it
    d.status.setCurrentText("交办")
    refused(d, "问题已是“办理中”，不能退回“交办”")
    d.status.setCurrentText("回访")
    d.closed_on.setText("2026-11-20")
    refused(d, "回访需要填写满意度")
    d.status.setCurrentText("办结")
    d.closed_on.setText("2020-01-01")
    refused(d, "早于收集日期")
    assert next(x for x in tickets.listing(demo_ledger) if x.id == t.id) == t  # nothing written
    d.closed_on.setText(str(max(t.raised_on, demo_ledger.today().replace(day=1))))
    assert d.try_save() and d.result_value.status == "办结"
    again = TicketMoveDialog(demo_ledger, d.result_value)
    qtbot.addWidget(again)
    assert [again.status.itemText(i) for i in range(again.status.count())] == ["办结", "回访"]


def test_the_new_ticket_dialog_refuses_a_bad_date(qtbot, demo_ledger):
    people = [p.name for p in register.list_instructors(demo_ledger)]
    d = TicketDialog(demo_ledger, people, [t.name for t in register.list_targets(demo_ledger)])
    qtbot.addWidget(d)
    before = len(tickets.listing(demo_ledger))
    d.content.setText("希望协调办理融资贷款贴息")
    d.raised_on.setText("2026-02-30")
    refused(d, "收集日期")
    assert len(tickets.listing(demo_ledger)) == before
    d.raised_on.setText("2026-11-20")
    assert d.try_save() and len(tickets.listing(demo_ledger)) == before + 1


# ---- 签认 ----
def test_sign_offs_in_order_by_a_named_reviewer(qtbot, demo_ledger):
    assessment.reopen(demo_ledger, 2025, "周记录漏报，重新统计")
    assert assessment.assess(demo_ledger, 2025).signoffs == []
    d = SignoffDialog(demo_ledger, 2025, "小组统计")
    qtbot.addWidget(d)
    d.step.setCurrentText("站内核实")
    d.person.setText("李站长")
    refused(d, "签认须按 小组统计 → 站内核实 → 党支部认定 的顺序：2025 年下一步是“小组统计”")
    d.step.setCurrentText("小组统计")
    d.person.setText("")
    refused(d, "签认人姓名")
    demo_ledger.role, demo_ledger.user = "录入员", "小王"
    d.person.setText("吴组长")
    refused(d, "无权")
    assert assessment.assess(demo_ledger, 2025).signoffs == []  # nothing written by any refusal
    demo_ledger.role, demo_ledger.user = "管理员", "管理员"
    for step, person in zip(rules.SIGNOFF_STEPS, ("吴组长", "李站长", "王书记"), strict=True):
        one = SignoffDialog(demo_ledger, 2025, step)
        qtbot.addWidget(one)
        one.person.setText(person)
        assert one.try_save()
    done = assessment.assess(demo_ledger, 2025)
    assert done.final and [(x.step, x.person) for x in done.signoffs] == list(
        zip(rules.SIGNOFF_STEPS, ("吴组长", "李站长", "王书记"), strict=True))


def test_the_grades_tab_opens_the_sign_off_dialog_for_the_next_step(page):
    assessment.reopen(page.ctx.ledger, 2025, "重新统计")
    page.tabs.setCurrentIndex(3)
    page.grades.year.setValue(2025)
    page.grades.refresh()
    d = page.grades.sign_dialog()
    assert d is not None and d.step.currentText() == "小组统计" and page.grades.sign_button.isEnabled()


# ---- 走访记录 ----
def test_visits_are_refused_outside_their_week_then_saved(page, qtbot):
    page.tabs.setCurrentIndex(1)
    tab = page.weekly
    tab.year.setValue(2026)
    tab.week.setValue(45)
    tab.view.setCurrentIndex(tab.model.index(0, 3))
    d = tab.visits_dialog()
    qtbot.addWidget(d)
    _iid, name, station, _g, counts = tab.model.rows[0]
    before = weekly.list_logs(page.ctx.ledger, week="2026-W45", instructor=name, station=station)
    target = register.list_targets(page.ctx.ledger)[0].name
    d.place.setCurrentText(target)
    d.day.setText("2026-11-09")  # the Monday after W45
    d.purpose.setText("指导规范“三会一课”")
    d.add_row()
    refused(d, "2026-11-09 不在 2026-W45（2026-11-02—2026-11-08）之内")
    assert weekly.list_logs(page.ctx.ledger, week="2026-W45", instructor=name, station=station) == before
    d.table.item(d.table.rowCount() - 1, 1).setText("2026-11-04")
    d.place.setCurrentText("不存在的公司")
    d.day.setText("2026-11-05")
    d.add_row()
    refused(d, "走访对象“不存在的公司”不是已登记的指导对象或党组织")
    d.table.selectRow(d.table.rowCount() - 1)
    d.remove_row()
    assert d.try_save()
    after = weekly.list_logs(page.ctx.ledger, week="2026-W45", instructor=name, station=station)[0]
    assert after.counts == counts  # the counts of the week are kept
    assert (target, "2026-11-04", "指导规范“三会一课”") in [(v.place, str(v.date), v.purpose) for v in after.visits]


# ---- 指导员、指导对象 ----
def test_editing_an_instructor(page, qtbot):
    lg = page.ctx.ledger
    person = register.list_instructors(lg)[2]
    d = EditInstructorDialog(lg, person)
    qtbot.addWidget(d)
    assert (d.name.text(), d.mode.currentText(), d.phone.text()) == (person.name, person.mode, person.phone)
    d.term_start.setText("2026-03-01")
    d.term_end.setText("2026-01-31")
    refused(d, "任期结束 2026-01-31 早于任期开始 2026-03-01")
    d.term_end.setText("")
    d.mode.setCurrentText("专职")
    d.phone.setText("13900001111")
    assert d.try_save()
    again = next(p for p in register.list_instructors(lg) if p.id == person.id)
    assert (again.mode, again.phone, str(again.term_start)) == ("专职", "13900001111", "2026-03-01")
    page.register.refresh()
    page.register.people_view.selectRow(2)
    assert page.register.edit_dialog().person.id == person.id


def test_linking_a_target_to_its_new_party_organisation(page, qtbot):
    lg = page.ctx.ledger
    d = page.register.link_dialog()
    qtbot.addWidget(d)
    free = [t for t in register.list_targets(lg) if t.org_code is None]
    assert d.target.count() == len(free) > 0
    taken = next(t for t in register.list_targets(lg) if t.org_code is not None)
    d.org.setCurrentIndex(next(i for i in range(d.org.count()) if d.org.itemText(i).startswith(taken.org_code + " ")))
    refused(d, f"已关联指导对象“{taken.name}”")
    linked = {t.org_code for t in register.list_targets(lg) if t.org_code}
    d.org.setCurrentIndex(next(i for i in range(d.org.count()) if d.org.itemText(i).split(" ")[0] not in linked))
    code = d.org.currentText().split(" ")[0]
    assert d.try_save()
    assert next(t for t in register.list_targets(lg) if t.name == d.target.currentText()).org_code == code


# ---- 考核细则 ----
def test_the_scheme_editor(qtbot, demo_ledger):
    d = SchemeDialog(demo_ledger, 2026)
    qtbot.addWidget(d)
    before = scheme.scheme(demo_ledger, 2026)
    row = d.keys.index("visits")
    assert d.items.item(row, 0).text() == rules.COUNTS["visits"] and d.excellent.text() == str(before[0].excellent)
    d.excellent.setText("55")
    refused(d, "等级线应为 优秀 > 合格 > 基本合格 > 0")
    d.excellent.setText("90")
    d.items.item(row, 1).setText("半分")
    refused(d, "指导员考核细则有误")
    assert scheme.scheme(demo_ledger, 2026) == before  # nothing written
    d.items.item(row, 1).setText("0.6")
    d.items.item(row, 2).setText("")
    d.transport.setText("250")
    assert d.try_save()
    value, source = scheme.scheme(demo_ledger, 2026)
    assert source == 2026 and value.items["visits"].points == Decimal("0.6") and value.items["visits"].cap is None
    assert value.subsidy.transport == Decimal("250")
    signed = SchemeDialog(demo_ledger, 2025)  # 2025 was counted and signed: its scheme is closed
    qtbot.addWidget(signed)
    refused(signed, "不能再改")



def test_signing_one_station_from_the_grades_tab(page, qtbot):
    lg = page.ctx.ledger
    assessment.reopen(lg, 2025, "改为逐站签认")
    g = page.grades
    page.tabs.setCurrentIndex(3)
    g.year.setValue(2025)
    g.refresh()
    station = register.stations(lg)[0].name
    assert [g.scope.itemText(i) for i in range(g.scope.count())] == ["全部指导站一并签认", station]
    g.scope.setCurrentIndex(1)
    g.refresh()
    d = g.sign_dialog()
    qtbot.addWidget(d)
    assert d.station == station and d.step.currentText() == "小组统计" and station in d.windowTitle()
    d.step.setCurrentText("党支部认定")
    d.person.setText("王书记")
    refused(d, f"2025 年“{station}”下一步是“小组统计”")
    d.step.setCurrentText("小组统计")
    d.person.setText("吴组长")
    assert d.try_save() and d.result_value.by_station
    g.refresh()
    assert g.sign_button.text() == "签认：站内核实…" and "✔ 小组统计（吴组长）" in g.steps.text()
    g.scope.setCurrentIndex(0)
    g.refresh()
    assert g.sign_button.text() == "已逐站签认" and not g.sign_button.isEnabled()
    assert "逐站签认：0/1 个指导站已认定" in g.steps.text()


def test_a_township_account_signs_its_own_station_only(qtbot, demo_ctx):
    """Signing every station at once is the county's act: a township account is not offered it."""
    lg = demo_ctx.ledger
    assessment.reopen(lg, 2025, "改为逐站签认")
    station = register.stations(lg)[0]
    lg.scope = station.org_code  # the 党委 the demo station works for
    p = Page(demo_ctx)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    g = p.grades
    g.year.setValue(2025)
    g.refresh()
    assert [g.scope.itemText(i) for i in range(g.scope.count())] == [station.name]
    assert g.station() == station.name and g.sign_button.text() == "签认：小组统计…"
    d = g.sign_dialog()
    qtbot.addWidget(d)
    assert d.station == station.name
