"""Filed records (issue 14.5): the form fields' rules in app/services/book/fields.py, checked once for every path."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.money import parse_money
from app.errors import ValidationError
from app.forms import form_template
from app.services.book import fields, records

MEETING = {"date": "2026-03-05", "topic": "研究三月工作"}
NAMED = {"present": ["张三", "李四", "王五"], "absent": [{"name": "赵六", "reason": "病假"}]}


@pytest.mark.parametrize("text,expected", [("1500", "1500.00"), ("23.45", "23.45"), ("0", "0.00"), ("0.5", "0.50"),
                                           ("1,500", "1500.00"), ("￥23.45", "23.45"), ("23.45元", "23.45"),
                                           (1500, "1500.00"), (Decimal("23.4"), "23.40")])
def test_money_is_yuan_to_the_fen(text, expected):
    assert parse_money(text) == Decimal(expected)


@pytest.mark.parametrize("text,fragment", [("23.456", "最多保留两位小数"), ("-1", "不能为负数"), ("-0.01", "不能为负数"),
                                           ("abc", "必须是金额数字"), ("", "不能为空"), ("1e9", "数值过大"),
                                           ("NaN", "有限数字"), (True, "不能为空")])
def test_money_refusals_name_the_rule(text, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_money(text, field="应缴")


def test_dues_table_takes_1500_and_23_45(ledger):
    r = records.add_record(ledger, "B1", "6.2", {
        "date": "2026-03-05", "topic": "2026年3月党费",
        "dues": [["张三", "6000", "1500", "1500", "2026-03-05"],
                 {"name": "李四", "base": "", "due": "23.45", "paid": "23.45", "paid_on": "2026-03-04"},
                 {"name": "王五", "due": "12", "paid": "", "paid_on": ""}],
    })
    assert [row["due"] for row in r.extra["dues"]] == ["1500.00", "23.45", "12.00"]
    assert r.extra["amount"] == "1523.45"  # 实缴合计 is the rows' sum
    assert (r.attendance_expected, r.attendance_actual) == (3, 2)  # 应缴 3 人, 实缴 2 人


@pytest.mark.parametrize("row,fragment", [
    (["张三", "", "23.456", "", ""], "第 1 行（张三）应缴最多保留两位小数"),
    (["张三", "", "-5", "", ""], "不能为负数"),
    (["张三", "", "20", "-20", "2026-03-01"], "实缴不能为负数"),
    (["张三", "", "", "", ""], "应缴金额不能为空"),
    (["", "", "20", "", ""], "姓名不能为空"),
    (["张三", "1000", "1500", "", ""], "超过缴费基数"),
    (["张三", "", "20", "20", ""], "请填写缴纳日期"),
    (["张三", "", "20", "", "2026-03-01"], "实缴金额却为空"),
    (["张三", "", "20", "20", "2026-12-01"], "晚于今天"),
    (["张三", "", "20", "20", "2026-02-30"], "不是有效日期"),
])
def test_bad_dues_rows_are_refused_and_nothing_is_written(ledger, row, fragment):
    with pytest.raises(ValidationError, match=fragment):
        records.add_record(ledger, "B1", "6.2", {"date": "2026-03-05", "topic": "三月党费", "dues": [row]})
    assert records.list_records(ledger, "B1", 2026) == []


def test_dues_names_are_unique_and_total_must_match(ledger):
    with pytest.raises(ValidationError, match="与第 1 行重复"):
        records.add_record(ledger, "B1", "6.2", {**MEETING, "dues": [["张三", "", "1"], ["张三", "", "2"]]})
    with pytest.raises(ValidationError, match="与党费明细的实缴合计 1.00 元不符"):
        records.add_record(ledger, "B1", "6.2", {**MEETING, "amount": "2",
                                                 "dues": [["张三", "", "1", "1", "2026-03-01"]]})


def test_paying_more_than_due_is_allowed(ledger):
    """自愿多交 and 补交 make 实缴 larger than 应缴: kept as typed."""
    r = records.add_record(ledger, "B1", "6.2", {**MEETING, "dues": [["张三", "3000", "15", "100", "2026-03-01"]]})
    assert r.extra["dues"][0]["paid"] == "100.00"


def test_a_dues_record_without_rows_keeps_a_plain_amount(ledger):
    r = records.add_record(ledger, "B1", "6.2", {**MEETING, "amount": "1500"})
    assert r.extra["amount"] == "1500.00" and "dues" not in r.extra


def test_meeting_attendance_with_names_and_reasons(ledger):
    r = records.add_record(ledger, "B1", "2.2", {**MEETING, "attendance": NAMED, "vote": "3/0/0"})
    assert (r.attendance_expected, r.attendance_actual) == (4, 3)
    assert r.absentees == "赵六（病假）"
    assert r.roster == {"present": ["张三", "李四", "王五"], "absent": [{"name": "赵六", "reason": "病假"}]}
    assert r.extra["vote"] == {"for": 3, "against": 0, "abstain": 0}


@pytest.mark.parametrize("attendance,fragment", [
    ({"present": ["张三"], "absent": [{"name": "赵六", "reason": ""}]}, "须注明缺席原因"),
    ({"present": ["张三", "张三"], "absent": []}, "重复登记"),
    ({"present": ["张三"], "absent": [["张三", "病假"]]}, "既登记出席又登记缺席"),
    ({"present": ["张三、李四"], "absent": []}, "每人单独填写"),
    ({"present": [""], "absent": []}, "姓名不能为空"),
    ({"present": "张三", "absent": []}, "应是名单"),
])
def test_bad_attendance_is_refused(ledger, attendance, fragment):
    with pytest.raises(ValidationError, match=fragment):
        records.add_record(ledger, "B1", "2.2", {**MEETING, "attendance": attendance})
    assert records.list_records(ledger, "B1", 2026) == []


@pytest.mark.parametrize("vote,fragment", [
    ("3/1/1", "共 5 票，多于实到 3 人"),
    ("-1/0/0", "不能为负数"),
    ("1/0", "赞成/反对/弃权"),
    ({"for": "x"}, "必须是整数"),
])
def test_votes_are_counts_within_those_present(ledger, vote, fragment):
    with pytest.raises(ValidationError, match=fragment):
        records.add_record(ledger, "B1", "2.2", {**MEETING, "attendance": NAMED, "vote": vote})


def test_votes_sum_may_equal_those_present_and_need_attendance(ledger):
    r = records.add_record(ledger, "B1", "2.2", {**MEETING, "attendance": "10/9", "vote": {"赞成": 7, "反对": 1,
                                                                                         "弃权": 1}})
    assert r.extra["vote"] == {"for": 7, "against": 1, "abstain": 1}
    with pytest.raises(ValidationError, match="请先填写出席情况"):
        records.add_record(ledger, "B1", "2.2", {**MEETING, "vote": "1/0/0"})
    assert records.add_record(ledger, "B1", "2.2", {**MEETING, "vote": "0/0/0"}).extra.get("vote") is None


def test_old_counts_only_attendance_still_works(ledger):
    r = records.add_record(ledger, "B1", "2.2", {**MEETING, "attendance": "12/11", "absentees": "李四（出差）"})
    assert r.attendance == "12/11" and r.absentees == "李四（出差）" and r.roster is None


def test_stored_rows_pass_the_same_rules():
    """What a package carries is rebuilt into form values and checked by clean_form."""
    from datetime import date
    tpl = form_template("meeting")
    ok = fields.clean_stored(tpl, 4, 3, "赵六（病假）", {"roster": NAMED, "vote": {"for": 3}}, today=date(2026, 11, 21))
    assert (ok.attendance_expected, ok.attendance_actual, ok.extra["vote"]["for"]) == (4, 3, 3)
    with pytest.raises(ValidationError, match="多于实到"):
        fields.clean_stored(tpl, 4, 3, "", {"roster": NAMED, "vote": {"for": 4}}, today=date(2026, 11, 21))
    with pytest.raises(ValidationError, match="两位小数"):
        fields.clean_stored(form_template("dues"), None, None, "", {"dues": [["张三", "", "23.456"]]},
                            today=date(2026, 11, 21))
    with pytest.raises(ValidationError, match="JSON 对象"):
        fields.clean_stored(tpl, None, None, "", ["x"], today=date(2026, 11, 21))
    old = fields.clean_stored(tpl, 12, 11, "李四（出差）", {}, today=date(2026, 11, 21))
    assert (old.attendance_expected, old.attendance_actual, old.absentees) == (12, 11, "李四（出差）")
