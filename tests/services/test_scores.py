from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from app.errors import NotFoundError, ValidationError
from app.services.book import records
from app.services.scoring import scores
from db.models import AuditEntry, MonthlyScore


def _audit_count(ledger):
    with ledger.db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


def test_set_is_idempotent_and_replaces(ledger):
    scores.set_score(ledger, "B1", 2026, 3, "RC02", count=1)
    n = _audit_count(ledger)
    scores.set_score(ledger, "B1", 2026, 3, "RC02", count=1)
    assert _audit_count(ledger) == n, "setting the same value again writes nothing"
    c = scores.set_score(ledger, "B1", 2026, 3, "RC02", points="2.0")
    assert c.manual_points == D("2.0") and c.effective == D("2.0")


@pytest.mark.parametrize(
    "kwargs,fragment",
    [
        (dict(month=13, item_code="RC02", points="1.0"), "月份必须是 1–12"),
        (dict(month=3, item_code="RC02", points="-1"), "不能为负数"),
        (dict(month=3, item_code="RC02", points="abc"), "必须是数字"),
        (dict(month=3, item_code="RC02", points="2.5"), "超过月上限 2.0"),
        (dict(month=3, item_code="NOPE", points="1.0"), "没有编码为“NOPE”"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(ledger, kwargs, fragment):
    before = _audit_count(ledger)
    with pytest.raises((ValidationError, NotFoundError), match=fragment):
        scores.set_score(ledger, "B1", 2026, kwargs["month"], kwargs["item_code"], points=kwargs["points"])
    assert _audit_count(ledger) == before
    with ledger.db.read() as s:
        assert s.scalar(select(func.count()).select_from(MonthlyScore)) == 0


def test_yearly_cap_counts_other_months(ledger):
    for m in range(1, 5):
        scores.set_score(ledger, "B1", 2026, m, "RC01", points="3.0")  # yearly cap 12
    with pytest.raises(ValidationError, match="超过年上限 12.0"):
        scores.set_score(ledger, "B1", 2026, 5, "RC01", points="2.0")


def test_unknown_org_and_parent_kinds_are_refused(ledger):
    with pytest.raises(NotFoundError, match="XX"):
        scores.set_score(ledger, "XX", 2026, 1, "RC02", count=1)
    with pytest.raises(ValidationError, match="不参与积分"):
        scores.set_score(ledger, "P1", 2026, 1, "RC02", count=1)


def test_a_batch_is_all_or_nothing(ledger):
    entries = [scores.ScoreEntry("B1", "RC02", 1, count=1), scores.ScoreEntry("B1", "RC02", 2, points=D("9.0"))]
    with pytest.raises(ValidationError):
        scores.write_scores(ledger, 2026, entries)
    assert scores.cells(ledger, 2026, org_code="B1") == []


def test_records_earn_points_beside_hand_entered_and_caps_apply_to_the_sum(ledger):
    # ZY01 (示范岗/责任区/志愿服务): 1.0 a record, 2.0 a month.
    scores.set_score(ledger, "B1", 2026, 4, "ZY01", points="1.0")
    records.add_record(ledger, "B1", "示范岗/责任区/志愿服务", {"date": "2026-04-08", "topic": "志愿服务进社区"})
    c = scores.cell(ledger, "B1", 2026, 4, "ZY01")
    assert (c.manual_points, c.record_points, c.effective) == (D("1.0"), D("1.0"), D("2.0"))
    records.add_record(ledger, "B1", "7.1", {"date": "2026-04-20", "topic": "再次服务"})
    c = scores.cell(ledger, "B1", 2026, 4, "ZY01")
    assert c.record_count == 2 and c.effective == D("2.0"), "monthly cap 2.0 applies to the sum"


def test_a_record_beyond_the_cap_earns_nothing_and_says_so(ledger):
    made = [records.add_record(ledger, "B1", "7.1", {"date": f"2026-04-{d:02d}", "topic": f"志愿服务{d}"})
            for d in (3, 13, 23)]
    assert [r.points for r in records.list_records(ledger, "B1", 2026)] == [D("1.0"), D("1.0"), D("0.0")]
    records.delete_record(ledger, made[0].id)
    assert [r.points for r in records.list_records(ledger, "B1", 2026)] == [D("1.0"), D("1.0")]
    assert scores.cell(ledger, "B1", 2026, 4, "ZY01").record_count == 2


def test_deleting_the_only_record_removes_its_points(ledger):
    r = records.add_record(ledger, "B1", "主题党日活动", {"date": "2026-05-10", "topic": "重温入党誓词"})
    assert scores.cell(ledger, "B1", 2026, 5, "ZT01").effective == D("3.0")
    records.delete_record(ledger, r.id)
    assert scores.cell(ledger, "B1", 2026, 5, "ZT01").effective == D("0.0")
    assert scores.cells(ledger, 2026, org_code="B1") == []


def test_veto_takes_a_count_not_points(ledger):
    with pytest.raises(ValidationError, match="请填写次数"):
        scores.set_score(ledger, "B1", 2026, 6, "KF03", points="1.0")
    with pytest.raises(ValidationError, match="只能是 0 或 1"):
        scores.set_score(ledger, "B1", 2026, 6, "KF03", count=2)
    c = scores.set_score(ledger, "B1", 2026, 6, "KF03", count=1)
    assert c.manual_count == 1


def test_month_totals_signed_and_quarter_to_date(ledger):
    scores.set_score(ledger, "B1", 2026, 4, "RC02", count=1)
    scores.set_score(ledger, "B1", 2026, 5, "ZT01", count=1)
    scores.set_score(ledger, "B1", 2026, 5, "KF01", count=1)
    t = scores.month_totals(ledger, 2026, 5)["B1"]
    assert t.month == D("1.0") and t.quarter_to_date == D("3.0")


def test_two_people_on_one_cell_the_stale_save_is_refused_naming_who_and_when(ledger):
    """The second save, made on the value as it was before the first, is refused; saving again overwrites."""
    from app.errors import StaleError
    from app.services.opening.setup import open_ledger

    other = open_ledger(ledger.db.url if ledger.db.is_server else ledger.path, user="乙镇录入员")
    other.today = ledger.today
    try:
        seen = (None, None)  # both opened the month with the cell empty
        scores.write_scores(other, 2026, [scores.ScoreEntry("B1", "KF01", 6, count=2, seen=seen)])
        with pytest.raises(StaleError) as e:
            scores.write_scores(ledger, 2026, [scores.ScoreEntry("B1", "KF01", 6, count=1, seen=seen)])
        message = str(e.value)
        assert "乙镇录入员" in message and "2 次" in message and "没有保存" in message and "2026-" in message
        assert scores.cell(ledger, "B1", 2026, 6, "KF01").manual_count == 2
        now = scores.cell(ledger, "B1", 2026, 6, "KF01")
        scores.write_scores(ledger, 2026, [scores.ScoreEntry("B1", "KF01", 6, count=1, seen=(now.manual_points, now.manual_count))])
        assert scores.cell(ledger, "B1", 2026, 6, "KF01").manual_count == 1
    finally:
        other.close()
