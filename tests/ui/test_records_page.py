"""工作记录: the entry form is generated from the template; saving a record earns its points."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QLineEdit, QPlainTextEdit

from app.forms import form_template
from app.services.book import records
from app.services.scoring import scores
from ui.dialogs.record_fields import RosterAttendanceEdit, VoteEdit
from ui.dialogs.record_form import RecordFormDialog
from ui.pages.records import TYPE_ROLE, Page


@pytest.fixture
def page(qtbot, ctx):
    p = Page(ctx)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    p.refresh()
    p.org.set_code("B1")
    return p


def _select_type(page: Page, code: str) -> None:
    for i in range(page.tree.topLevelItemCount()):
        sec = page.tree.topLevelItem(i)
        for j in range(sec.childCount()):
            if sec.child(j).data(0, TYPE_ROLE) == code:
                page.tree.setCurrentItem(sec.child(j))
                return
    raise AssertionError(code)


def _fill(dialog: RecordFormDialog, when: date, topic: str, attendance=(10, 9)) -> None:
    dialog.widgets["date"].setDate(QDate(when.year, when.month, when.day))
    dialog.widgets["topic"].setText(topic)
    dialog.widgets["attendance"].set_counts(*attendance)
    dialog.widgets["content"].setPlainText("研究本月工作")


def test_form_has_the_templates_fields_as_widgets(page):
    _select_type(page, "2.2")
    dialog = page.form_dialog()
    tpl = form_template("meeting")
    assert list(dialog.widgets) == [f.key for f in tpl.fields]
    assert isinstance(dialog.widgets["date"], QDateEdit)
    assert isinstance(dialog.widgets["attendance"], RosterAttendanceEdit)
    assert isinstance(dialog.widgets["vote"], VoteEdit)
    assert dialog.windowTitle() == "新增支部委员会会议记录"  # the form names the meeting
    assert isinstance(dialog.widgets["content"], QPlainTextEdit)
    assert isinstance(dialog.widgets["topic"], QLineEdit)
    assert dialog.widgets["date"].maximumDate() == QDate(2026, 11, 21)  # no records of future work


def test_choice_and_decimal_fields_of_other_templates(page):
    _select_type(page, "6.1")
    dialog = page.form_dialog()
    stage = dialog.widgets["stage"]
    assert [stage.itemText(i) for i in range(stage.count())][1:] == list(form_template("development").field("stage").choices)
    _select_type(page, "6.2")
    amount = page.form_dialog().widgets["amount"]
    assert amount.validator() is not None
    amount.setText("")
    from PySide6.QtTest import QTest

    QTest.keyClicks(amount, "12a3.5")
    assert amount.text() == "123.5"


def test_required_field_is_enforced_and_nothing_written(page):
    _select_type(page, "2.2")
    dialog = page.form_dialog()
    dialog.widgets["topic"].setText("")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "会议主题" in dialog.error.text() and dialog.error.isVisibleTo(dialog)
    assert records.list_records(page.ctx.ledger, "B1", 2026) == []


def test_service_refusal_is_shown_in_the_dialog(page):
    _select_type(page, "2.2")
    dialog = page.form_dialog()
    _fill(dialog, date(2026, 11, 3), "支委会", attendance=(5, 7))
    dialog.accept()
    assert "实到人数 7 多于应到人数 5" in dialog.error.text()
    assert records.list_records(page.ctx.ledger, "B1", 2026) == []


def test_saving_records_updates_list_counts_and_points(page, monkeypatch):
    _select_type(page, "2.2")
    topics = iter(["十一月支委会", "专题支委会", "第三次支委会"])

    def fake_exec(dialog):
        _fill(dialog, date(2026, 11, 5), next(topics))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(RecordFormDialog, "exec", fake_exec)
    page.add()
    assert page.model.rowCount() == 1
    assert page.model.index(0, 6).data() == "2.0"  # RC02: 2.0 per 支委会
    assert scores.cell(page.ctx.ledger, "B1", 2026, 11, "RC02").effective == Decimal("2.0")
    assert "计分：2.0" in page.status.text()
    page.add()
    page.add()  # the month's cap 2.0 was reached by the first
    shown = sorted(page.model.index(r, 6).data() for r in range(3))
    assert shown == ["2.0", "已达上限，未计分", "已达上限，未计分"]
    sec = next(page.tree.topLevelItem(i) for i in range(page.tree.topLevelItemCount())
               if page.tree.topLevelItem(i).text(0).startswith("2."))
    assert sec.text(1) == "3"


def test_editing_a_record_changes_it(page, monkeypatch):
    records.add_record(page.ctx.ledger, "B1", "2.2", {"date": "2026-10-08", "topic": "旧主题"})
    page.load_records()
    _select_type(page, "2.2")
    page.table.selectRow(0)

    def fake_exec(dialog):
        assert dialog.widgets["topic"].text() == "旧主题"
        dialog.widgets["topic"].setText("新主题")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(RecordFormDialog, "exec", fake_exec)
    page.edit()
    assert [r.topic for r in records.list_records(page.ctx.ledger, "B1", 2026)] == ["新主题"]
    assert page.model.index(0, 2).data() == "新主题"


def test_register_items_show_a_note_instead_of_a_list(page):
    _select_type(page, "1.3")
    assert page.note.isVisibleTo(page) and "组织台账" in page.note.text()
    assert not page.table.isVisibleTo(page)
    assert not page.add_button.isEnabled()


def test_each_type_shows_the_branchs_compliance_for_the_year(page):
    records.add_record(page.ctx.ledger, "B1", "2.2", {"date": "2026-10-08", "topic": "十月支委会"})
    page.load_records()
    _select_type(page, "2.2")
    item = page.tree.currentItem()
    # Today is 21 November 2026: January–September missed, October held, November and December not due.
    assert item.text(1) == "1（缺9）"
    assert "本年组织生活：缺 9 期（2026-01、2026-02、2026-03、2026-04等）" in page.heading.text()
    assert "已完成 1 期" in page.heading.text() and "未到期 2 期" in page.heading.text()
    _select_type(page, "4.2")  # 谈心谈话 has no requirement
    assert "本年组织生活" not in page.heading.text()


def test_every_problem_is_shown_at_once_beneath_its_field(page):
    """Issue 21.2: a form with three mistakes names all three in one save, each under its own field."""
    _select_type(page, "2.2")
    dialog = page.form_dialog()
    _fill(dialog, date(2026, 11, 3), "", attendance=(5, 7))  # no topic; 实到 more than 应到
    dialog.widgets["place"].setText("地" * 101)  # longer than the 100 characters a place may have
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    shown = {k: e.text() for k, e in dialog.field_errors.items() if e.isVisibleTo(dialog)}
    assert set(shown) == {"topic", "attendance", "place"}
    assert "会议主题" in shown["topic"] and "实到人数 7 多于应到人数 5" in shown["attendance"]
    assert "100" in shown["place"]
    assert dialog.error.text().startswith("有 3 处需要修改")
    assert records.list_records(page.ctx.ledger, "B1", 2026) == []
    dialog.widgets["topic"].setText("十一月支委会")  # fixing one leaves the other two
    dialog.accept()
    assert {k for k, e in dialog.field_errors.items() if e.isVisibleTo(dialog)} == {"attendance", "place"}


def test_the_same_record_twice_gets_a_warning(page, monkeypatch):
    """Issue 21.8: the same organisation, type, date and topic again: asked first, saved only if wanted."""
    from PySide6.QtWidgets import QMessageBox

    records.add_record(page.ctx.ledger, "B1", "2.2", {"date": "2026-11-05", "topic": "十一月 支委会"})
    page.load_records()
    _select_type(page, "2.2")
    asked: list[str] = []
    answer = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])

    def fake_box(box):
        asked.append(box.text())
        return next(answer)

    monkeypatch.setattr(QMessageBox, "exec", fake_box)
    dialog = page.form_dialog()
    _fill(dialog, date(2026, 11, 5), "十一月支委会")  # spaces aside, the same topic
    dialog.accept()
    assert len(asked) == 1 and "十一月 支委会" in asked[0] and "重复" in asked[0]
    assert dialog.result() != QDialog.DialogCode.Accepted  # 返回修改: still open, nothing written
    assert len(records.list_records(page.ctx.ledger, "B1", 2026)) == 1
    dialog.accept()  # 仍然保存
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(records.list_records(page.ctx.ledger, "B1", 2026)) == 2
    other = page.form_dialog()
    _fill(other, date(2026, 11, 6), "十一月支委会")  # another day: no question
    other.accept()
    assert len(asked) == 2 and other.result() == QDialog.DialogCode.Accepted


def test_search_finds_records_of_every_type_by_any_word(page):
    """Issue 21.7: search in 工作记录 across the year's 小项, by topic, content or a name in the roster."""
    ledger = page.ctx.ledger
    records.add_record(ledger, "B1", "2.2", {"date": "2026-10-08", "topic": "十月支委会", "content": "研究发展刘䶮入党"})
    records.add_record(ledger, "B1", "2.1", {"date": "2026-09-20", "topic": "三季度党员大会", "attendance": "12/11",
                                             "absentees": "刘䶮（出差）"})
    records.add_record(ledger, "B1", "2.2", {"date": "2026-11-03", "topic": "十一月支委会"})
    page.load_records()
    _select_type(page, "2.2")
    assert page.table.isColumnHidden(0)
    page.search.setText("刘䶮")
    assert page.model.rowCount() == 2 and not page.table.isColumnHidden(0)
    assert {page.model.index(r, 0).data() for r in range(2)} == {"2.1 支部党员大会", "2.2 支部委员会会议"}
    assert "找到 2 条" in page.heading.text()
    page.search.setText("刘䶮 出差")  # every word must match
    assert page.model.rowCount() == 1 and page.model.index(0, 2).data() == "三季度党员大会"
    page.search.setText("没有这个词")
    assert page.model.rowCount() == 0 and "没有找到" in page.table.shown_empty_text()
    _select_type(page, "2.1")  # picking a 小项 leaves the search
    assert page.search.text() == "" and page.model.rowCount() == 1
