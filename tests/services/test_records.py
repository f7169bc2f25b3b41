from datetime import date

import pytest

from app.errors import NotFoundError, ValidationError
from app.forms import form_template, form_templates
from app.services.book import records


def test_seventeen_sub_items_and_pairing_activities_in_seven_sections(ledger):
    types = records.record_types(ledger)
    assert len(types) == 18  # the 17 of the source's handbook and 7.4 结对共建活动
    assert any(t.code == "7.4" and t.name == "结对共建活动" for t in types)
    assert len({t.section_code for t in types}) == 7
    for t in types:
        assert t.source == "register" or form_template(t.form).fields


@pytest.mark.parametrize(
    "values,fragment",
    [
        ({"date": "2026-13-01", "topic": "x"}, "不是有效日期"),
        ({"date": "2026-11-22", "topic": "x"}, "晚于今天"),
        ({"date": "2026-03-01", "topic": ""}, "不能为空"),
        ({"date": "2026-03-01", "topic": "x", "attendance": "10/12"}, "实到人数 12 多于应到人数 10"),
        ({"date": "2026-03-01", "topic": "x", "attendance": "十二"}, "应到/实到"),
    ],
)
def test_bad_records_are_refused(ledger, values, fragment):
    with pytest.raises(ValidationError, match=fragment):
        records.add_record(ledger, "B1", "2.2", values)
    assert records.list_records(ledger, "B1", 2026) == []


def test_unknown_type_lists_the_choices(ledger):
    with pytest.raises(NotFoundError, match="2.2 支部委员会会议"):
        records.add_record(ledger, "B1", "开会", {"date": "2026-03-01", "topic": "x"})


def test_register_sections_are_not_entered_as_records(ledger):
    with pytest.raises(ValidationError, match="组织台账"):
        records.add_record(ledger, "B1", "1.3", {"date": "2026-03-01", "topic": "x"})


def test_form_extra_fields_are_kept(ledger):
    r = records.add_record(ledger, "B1", "谈心谈话", {"date": date(2026, 3, 2), "topic": "谈心", "interviewee": "王芳"})
    assert r.extra == {"interviewee": "王芳"} and r.value("interviewee") == "王芳"
    assert r.points is not None


def test_moving_a_record_to_another_year_moves_its_points(ledger):
    from app.services.scoring import scores

    r = records.add_record(ledger, "B1", "2.2", {"date": "2026-01-05", "topic": "一月支委会"})
    records.update_record(ledger, r.id, {"date": "2025-12-28", "topic": "十二月支委会"})
    assert scores.cells(ledger, 2026, org_code="B1") == []
    assert scores.cell(ledger, "B1", 2025, 12, "RC02").record_count == 1


def test_every_form_template_has_date_and_topic():
    for tpl in form_templates().values():
        keys = [f.key for f in tpl.fields]
        assert "date" in keys and "topic" in keys, tpl.name
