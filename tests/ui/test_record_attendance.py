"""Filed records in the dialog (issue 14.5): attendance ticked from the roster of the record's date, votes,
and the 党费 table typed as on paper (1500, 23.45); refusals come from the one check in the services."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QDialog

from app.services.book import records
from app.services.register import members
from ui.dialogs.record_fields import DuesTableEdit, RosterAttendanceEdit
from ui.pages.records import TYPE_ROLE, Page

ROSTER = (("张三", "2010-07-01"), ("李四", "2012-05-04"), ("刘䶮", "2015-01-20"), ("𠮷野家", "2026-05-10"))


@pytest.fixture
def page(qtbot, ctx):
    lg = ctx.ledger
    for name, joined in ROSTER:
        members.save_member(lg, "B1", {"name": name, "gender": "男", "joined_on": joined})
    moved = members.save_member(lg, "B1", {"name": "王五", "gender": "女", "joined_on": "2011-03-01"})
    members.transfer_out(lg, "B1", moved.id, "2026-04-30", "调往市财政局")
    p = Page(ctx)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    p.refresh()
    p.org.set_code("B1")
    return p


def _open(page: Page, code: str, record=None):
    for i in range(page.tree.topLevelItemCount()):
        sec = page.tree.topLevelItem(i)
        for j in range(sec.childCount()):
            if sec.child(j).data(0, TYPE_ROLE) == code:
                page.tree.setCurrentItem(sec.child(j))
    return page.form_dialog(record)


def _date(dialog, on: date) -> None:
    dialog.widgets["date"].setDate(QDate(on.year, on.month, on.day))


def test_attendance_lists_the_roster_of_the_records_date(page):
    dialog = _open(page, "2.2")
    att = dialog.widgets["attendance"]
    assert isinstance(att, RosterAttendanceEdit) and att.named.isChecked()
    _date(dialog, date(2026, 3, 5))
    assert list(att.rows()) == ["张三", "王五", "李四", "刘䶮"]  # 王五 not yet transferred; 𠮷野家 not yet joined
    _date(dialog, date(2026, 6, 1))
    assert list(att.rows()) == ["张三", "李四", "刘䶮", "𠮷野家"]
    assert (att.expected.value(), att.actual.value()) == (4, 4)  # everyone ticked present by default


def test_ticking_attendance_saves_names_and_reasons(page, qtbot):
    dialog = _open(page, "2.2")
    _date(dialog, date(2026, 6, 1))
    att = dialog.widgets["attendance"]
    # Untick 刘䶮 with the mouse, as a secretary would.
    row = next(i for i in range(att.table.rowCount()) if att.table.item(i, 0).text() == "刘䶮")
    tick = att.table.item(row, att.PRESENT)
    rect = att.table.visualItemRect(tick)
    qtbot.mouseClick(att.table.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 10, rect.center().y()))
    assert tick.checkState() == Qt.CheckState.Unchecked
    assert (att.expected.value(), att.actual.value()) == (4, 3) and att.absent_count.text() == "缺席 1 人"
    dialog.widgets["topic"].setText("研究六月工作")
    dialog.widgets["vote"].spins["for"].setValue(3)
    dialog.accept()
    assert "刘䶮" in dialog.error.text() and "缺席原因" in dialog.error.text()  # the service's rule, shown in place
    assert records.list_records(page.ctx.ledger, "B1", 2026) == []
    att.table.item(row, att.REASON).setText("病假")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    (r,) = records.list_records(page.ctx.ledger, "B1", 2026)
    assert r.roster == {"present": ["张三", "李四", "𠮷野家"], "absent": [{"name": "刘䶮", "reason": "病假"}]}
    assert r.attendance == "4/3" and r.extra["vote"]["for"] == 3

    edit = _open(page, "2.2", r)  # reopened, it shows its own names and ticks
    assert edit.widgets["attendance"].rows()["刘䶮"] == (False, "病假")
    assert edit.widgets["vote"].spins["for"].value() == 3


def test_votes_beyond_those_present_are_refused_in_the_dialog(page):
    dialog = _open(page, "2.2")
    _date(dialog, date(2026, 6, 1))
    dialog.widgets["topic"].setText("表决")
    dialog.widgets["vote"].spins["for"].setValue(5)
    dialog.accept()
    assert "多于实到 4 人" in dialog.error.text()
    assert records.list_records(page.ctx.ledger, "B1", 2026) == []


def test_an_old_counts_only_record_opens_and_saves_unchanged(page):
    old = records.add_record(page.ctx.ledger, "B1", "2.1", {"date": "2026-03-20", "topic": "一季度党员大会",
                                                            "attendance": "12/11", "absentees": "郑十（出差）"})
    dialog = _open(page, "2.1", old)
    att = dialog.widgets["attendance"]
    assert not att.named.isChecked() and (att.expected.value(), att.actual.value()) == (12, 11)
    assert att.absentees.text() == "郑十（出差）"
    dialog.accept()
    (r,) = records.list_records(page.ctx.ledger, "B1", 2026)
    assert (r.attendance, r.absentees, r.roster) == ("12/11", "郑十（出差）", None)


def test_dues_table_from_the_roster_takes_1500_and_23_45(page):
    dialog = _open(page, "6.2")
    _date(dialog, date(2026, 6, 5))
    dues = dialog.widgets["dues"]
    assert isinstance(dues, DuesTableEdit)
    dues.fill_from_roster()
    assert [r[0] for r in dues.value()] == ["张三", "李四", "刘䶮", "𠮷野家"]
    for row, (due, paid) in enumerate((("1500", "1500"), ("23.45", "23.45"), ("12", ""), ("0.5", "0.5"))):
        dues.set_cell(row, "due", due)
        dues.set_cell(row, "paid", paid)
        dues.set_cell(row, "paid_on", "2026-06-05" if paid else "")
    dialog.widgets["topic"].setText("2026年6月党费")
    dues.set_cell(1, "due", "23.456")
    dialog.accept()
    assert "第 2 行（李四）应缴最多保留两位小数" in dialog.error.text()
    dues.set_cell(1, "due", "23.45")
    dialog.accept()
    (r,) = records.list_records(page.ctx.ledger, "B1", 2026)
    assert [x["due"] for x in r.extra["dues"]] == ["1500.00", "23.45", "12.00", "0.50"]
    assert r.extra["amount"] == "1523.95" and r.attendance == "4/3"
    page.load_records()
    assert page.model.index(0, 5).data() == "4/3"
    assert page.model.index(0, 5).data(Qt.ItemDataRole.ToolTipRole) == "应缴 4 人，实缴 3 人"  # no 应到/实到 for 党费


def test_every_form_has_a_widget_for_each_field_of_its_paper(page):
    """One definition: the dialog's widgets are the template's fields, in order, for every record type."""
    from app.forms import form_template

    for t in records.record_types(page.ctx.ledger):
        if t.source == "record":
            dialog = _open(page, t.code)
            assert list(dialog.widgets) == [f.key for f in form_template(t.form).fields], t.name
            assert dialog.windowTitle() == "新增" + form_template(t.form).title_for(t.name)
