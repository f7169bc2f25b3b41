"""Rules at the edges of time: founding and closing dates, unfinished periods, frozen notices, closed years.

"Today" is 2026-11-21 (tests/conftest.py): 2026 Q4 and the year 2026 are still running.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from app.domain.enums import Category, WarningLevel
from app.errors import LedgerError, LockedError, PermissionDeniedError, ValidationError
from app.services.assessment import grades, warnings
from app.services.book import records
from app.services.register import orgs
from app.services.scoring import schemes, scores


def _codes(rows):
    return {r.org_code for r in rows}


@pytest.mark.parametrize("founded,first_warned", [
    ("2025-01-01", 1), ("2025-01-02", 2), ("2025-04-01", 2), ("2025-05-10", 3), ("2025-07-01", 3),
    ("2025-09-30", 4), ("2025-10-01", 4), ("2025-10-02", None),
])
def test_an_organisation_is_warned_only_for_quarters_it_existed_for_in_full(ledger, founded, first_warned):
    orgs.add_org(ledger, code="N1", name="新建党支部", sector="非公企业", parent="P1", established_on=founded)
    warned = [q for q in range(1, 5) if "N1" in _codes(warnings.quarter_warnings(ledger, 2025, q))]
    assert warned == ([] if first_warned is None else list(range(first_warned, 5)))
    # A quarter it existed for with no points at all is red; one it did not exist for is not listed.
    if first_warned:
        w = next(w for w in warnings.quarter_warnings(ledger, 2025, first_warned) if w.org_code == "N1")
        assert w.level == WarningLevel.RED


def test_a_branch_founded_today_is_not_red_for_the_past(ledger):
    orgs.add_org(ledger, code="N1", name="今天成立的党支部", sector="非公企业", parent="P1", established_on="2026-11-21")
    for q in (1, 2, 3, 4):
        assert "N1" not in _codes(warnings.quarter_warnings(ledger, 2026, q))
    g = next(g for g in grades.year_grades(ledger, 2026) if g.org_code == "N1")
    assert g.computed is None and g.final is None and g.note == "本年新建" and g.rank is None
    assert grades.as_dict(g)["computed"] is None and grades.as_dict(g)["final"] is None


def test_a_founding_date_in_the_future_is_refused_on_every_path(ledger):
    with pytest.raises(ValidationError, match="晚于今天"):
        orgs.add_org(ledger, code="N1", name="未来党支部", sector="非公企业", parent="P1", established_on="2026-11-22")
    with pytest.raises(ValidationError, match="晚于今天"):
        orgs.update_org(ledger, "B1", established_on="2027-01-01")
    assert orgs.get_org(ledger, "B1").established_on is None


def test_closing_ends_warnings_after_the_date_and_keeps_the_quarters_lived(ledger):
    orgs.set_status(ledger, "B1", False, on="2026-07-01")
    info = orgs.get_org(ledger, "B1")
    assert info.status == "inactive" and info.closed_on == date(2026, 7, 1)
    assert "B1" in _codes(warnings.quarter_warnings(ledger, 2026, 2))
    assert "B1" not in _codes(warnings.quarter_warnings(ledger, 2026, 3))
    assert "B1" in _codes(grades.year_grades(ledger, 2025))  # lived all of 2025: still graded
    g = next(g for g in grades.year_grades(ledger, 2026) if g.org_code == "B1")
    assert g.note == "年内撤销" and g.computed is None
    orgs.set_status(ledger, "B1", True)
    assert orgs.get_org(ledger, "B1").closed_on is None  # started again: no closing date
    with pytest.raises(ValidationError, match="晚于今天"):
        orgs.set_status(ledger, "B1", False, on="2026-12-01")


def test_a_stopped_branch_without_a_date_is_left_out_as_before(ledger):
    # (files from earlier versions: 停用 had no date)
    with ledger.db.write() as s:
        from db.models import Organization
        s.query(Organization).filter(Organization.code == "B1").update({"status": "inactive"})
    assert "B1" not in _codes(warnings.quarter_warnings(ledger, 2025, 2))


def test_the_running_quarter_and_year_are_provisional(ledger):
    q4 = warnings.quarter_warnings(ledger, 2026, 4)
    assert q4 and all(w.provisional for w in q4) and warnings.as_dict(q4[0])["provisional"] is True
    assert not any(w.provisional for w in warnings.quarter_warnings(ledger, 2026, 3))
    with pytest.raises(ValidationError, match="还没有结束"):
        warnings.issue_notice(ledger, 2026, 4, notice_no="测〔2026〕9号")
    assert all(g.provisional for g in grades.year_grades(ledger, 2026))
    with pytest.raises(ValidationError, match="2026 年还没有结束"):
        grades.confirm(ledger, 2026)


def test_a_notice_needs_a_number_and_a_deadline_not_before_it(ledger):
    with pytest.raises(ValidationError, match="文号"):
        warnings.issue_notice(ledger, 2026, 1, notice_no="  ")
    warnings.issue_notice(ledger, 2026, 1, notice_no="测〔2026〕1号", issued_on="2026-04-10")
    with pytest.raises(ValidationError, match="早于通报日期"):
        warnings.save_rectification(ledger, "B1", 2026, 1, measures="补课", deadline="2026-04-09")
    w = warnings.save_rectification(ledger, "B1", 2026, 1, measures="补课", deadline="2026-04-10")
    assert w.rectification.deadline == date(2026, 4, 10)


def test_an_issued_notice_keeps_what_it_said_and_shows_later_changes_beside_it(ledger):
    warnings.issue_notice(ledger, 2026, 1, notice_no="测〔2026〕1号", issued_on="2026-04-10")
    first = next(w for w in warnings.quarter_warnings(ledger, 2026, 1) if w.org_code == "B1")
    assert first.as_issued.level == WarningLevel.RED and not first.changed_since_issue
    scores.set_score(ledger, "B1", 2026, 2, "ZT01", points="2.0")  # entered after the notice
    later = next(w for w in warnings.quarter_warnings(ledger, 2026, 1) if w.org_code == "B1")
    assert later.as_issued == first.as_issued  # what was issued stands
    assert later.quarter_score == D("2.0") and later.changed_since_issue
    d = warnings.as_dict(later)
    assert d["issued_level"] == 3 and d["issued_score"] == "0.0" and d["changed_since_issue"] is True
    with pytest.raises(ValidationError, match="没有需要通报的新预警"):
        warnings.issue_notice(ledger, 2026, 1, notice_no="测〔2026〕2号", issued_on="2026-04-12")


def _confirm_2025(ledger):
    scores.set_score(ledger, "B1", 2025, 3, "RC02", points="1.0")
    records.add_record(ledger, "B1", "2.2", {"date": "2025-05-06", "topic": "研究五月工作"})
    grades.confirm(ledger, 2025)


def test_a_confirmed_year_is_closed_to_every_write_naming_the_confirmation(ledger):
    _confirm_2025(ledger)
    attempts = [
        lambda: scores.set_score(ledger, "B1", 2025, 3, "RC02", points="2.0"),
        lambda: scores.clear_score(ledger, "B1", 2025, 3, "RC02"),
        lambda: records.add_record(ledger, "B1", "2.2", {"date": "2025-12-30", "topic": "补记的会议"}),
        lambda: grades.override(ledger, "B1", 2025, "A", "理由"),
        lambda: orgs.set_class(ledger, "B1", 2025, "A"),
        lambda: schemes.save_scheme(ledger, replace(schemes.get_scheme(ledger, 2025), name="改过的细则")),
        lambda: grades.confirm(ledger, 2025),
        lambda: orgs.update_org(ledger, "B1", established_on="2025-06-01"),
    ]
    rec = records.list_records(ledger, "B1", 2025)[0]
    attempts += [
        lambda: records.update_record(ledger, rec.id, {"date": "2026-01-05", "topic": rec.topic}),  # moved out
        lambda: records.delete_record(ledger, rec.id),
    ]
    before = grades.year_grades(ledger, 2025)
    for attempt in attempts:
        with pytest.raises(LockedError, match="2025 年度定级已于 .* 由 管理员 确认"):
            attempt()
    assert grades.year_grades(ledger, 2025) == before
    # a record dated back into the closed year is refused too
    rec26 = records.add_record(ledger, "B1", "2.2", {"date": "2026-01-05", "topic": "一月支委会"})
    with pytest.raises(LockedError):
        records.update_record(ledger, rec26.id, {"date": "2025-12-05", "topic": "一月支委会"})
    # next year's class of a branch not graded can still be set by hand
    orgs.set_class(ledger, "B1", 2027, "A")


def test_reopening_needs_an_administrator_and_a_reason_then_a_new_confirmation_sets_next_year(ledger):
    _confirm_2025(ledger)
    assert orgs.get_org(ledger, "B1", 2026).category == Category.C
    ledger.role = "审核员"
    with pytest.raises(PermissionDeniedError):
        grades.reopen(ledger, 2025, "发现错误")
    ledger.role = "管理员"
    with pytest.raises(ValidationError, match="理由"):
        grades.reopen(ledger, 2025, "  ")
    grades.reopen(ledger, 2025, "复核发现支委会次数漏记")
    assert grades.year_confirmation(ledger, 2025) is None
    grades.override(ledger, "B1", 2025, "B", "复核后调整")
    assert orgs.get_org(ledger, "B1", 2026).category == Category.C  # follows only a new confirmation
    grades.confirm(ledger, 2025)
    assert orgs.get_org(ledger, "B1", 2026).category == Category.B
    with pytest.raises(ValidationError, match="尚未确认"):
        grades.reopen(ledger, 2024, "无")


def test_a_failed_write_on_a_closed_year_writes_nothing(ledger):
    _confirm_2025(ledger)
    before = scores.cells(ledger, 2025, org_code="B1")
    with pytest.raises(LedgerError):
        scores.write_scores(ledger, 2025, [scores.ScoreEntry("B1", "ZT01", 4, points=D("2.0"))])
    assert scores.cells(ledger, 2025, org_code="B1") == before
