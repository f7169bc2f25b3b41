from datetime import date
from decimal import Decimal as D

import pytest

from app.domain.enums import Category, WarningLevel
from app.errors import ValidationError
from app.services.assessment import grades, warnings
from app.services.register import orgs
from app.services.scoring import schemes, scores


def _quarter(ledger, year, quarter, total):
    """Give B1 exactly ``total`` points in a quarter, within every monthly, yearly and category cap."""
    scheme = schemes.get_scheme(ledger, year)
    used_item: dict[str, D] = {}
    used_cat: dict[str, D] = {}
    for c in scores.cells(ledger, year, org_code="B1"):
        used_item[c.item_code] = used_item.get(c.item_code, D(0)) + c.effective
    # 结对共建 items need a pairing; the helper fills the others.
    normal = [(cat, it) for cat, it in scheme.items() if it.kind.value == "normal" and "结对" not in it.name]
    for cat, it in normal:
        used_cat[cat.code] = used_cat.get(cat.code, D(0)) + used_item.get(it.code, D(0))
    remaining = D(total)
    entries = []
    m = (quarter - 1) * 3 + 1
    for month in (m, m + 1, m + 2):
        for cat, it in normal:
            room = min(it.monthly_cap or D(99), (it.yearly_cap or D(999)) - used_item.get(it.code, D(0)),
                       cat.max_points - used_cat.get(cat.code, D(0)), remaining)
            if room > 0:
                entries.append(scores.ScoreEntry("B1", it.code, month, points=room))
                used_item[it.code] = used_item.get(it.code, D(0)) + room
                used_cat[cat.code] = used_cat.get(cat.code, D(0)) + room
                remaining -= room
    assert remaining == 0, "test helper could not place all the points"
    scores.write_scores(ledger, year, entries)


def _level(ledger, year, q):
    return next(w for w in warnings.quarter_warnings(ledger, year, q) if w.org_code == "B1")


@pytest.mark.parametrize("total,level", [("25.1", 0), ("25.0", 1), ("24.9", 1), ("20.1", 1), ("20.0", 2), ("19.9", 2),
                                         ("15.1", 2), ("15.0", 3), ("14.9", 3)])
def test_quarter_boundaries_through_the_services(ledger, total, level):
    _quarter(ledger, 2026, 1, total)
    w = _level(ledger, 2026, 1)
    assert w.quarter_score == D(total) and w.level == level


def test_consecutive_quarters_escalate(ledger):
    for q in (1, 2, 3):
        _quarter(ledger, 2026, q, "24.0")
    assert [_level(ledger, 2026, q).level for q in (1, 2, 3)] == [1, 2, 3]


def test_consecutive_run_crosses_the_year_end_only_with_a_ledger_last_year(ledger):
    _quarter(ledger, 2026, 1, "24.0")
    assert _level(ledger, 2026, 1).level == WarningLevel.YELLOW  # 2025 has no ledger: not "below 25"
    _quarter(ledger, 2025, 3, "30.0")
    _quarter(ledger, 2025, 4, "22.0")
    assert _level(ledger, 2026, 1).level == WarningLevel.ORANGE
    scores.write_scores(ledger, 2025, [scores.ScoreEntry("B1", c.item_code, c.month)
                                       for c in scores.cells(ledger, 2025, org_code="B1") if c.month <= 9])
    w = _level(ledger, 2026, 1)
    assert w.level == WarningLevel.RED and "连续 3 个季度" in w.reason_text


def test_veto_makes_red_and_class_c(ledger):
    _quarter(ledger, 2026, 1, "30.0")
    scores.set_score(ledger, "B1", 2026, 2, "KF03", count=1)
    w = _level(ledger, 2026, 1)
    assert w.level == WarningLevel.RED and "一票否决" in w.reason_text
    g = next(g for g in grades.year_grades(ledger, 2026) if g.org_code == "B1")
    assert g.veto and g.computed == Category.C


@pytest.mark.parametrize("total,cat", [("90.0", "A"), ("89.9", "B"), ("80.0", "B"), ("79.9", "C")])
def test_annual_grade_boundaries(ledger, total, cat):
    # Two strong quarters and two weak ones that stay above the red line where the total allows it.
    rest = D(total) - D("59.8")
    q2 = (rest / 2).quantize(D("0.1"), rounding="ROUND_UP")
    for q, pts in ((1, D("29.9")), (2, q2), (3, D("29.9")), (4, rest - q2)):
        _quarter(ledger, 2026, q, pts)
    g = next(g for g in grades.year_grades(ledger, 2026) if g.org_code == "B1")
    assert g.score == D(total) and g.computed == Category(cat)


def test_a_red_quarter_caps_the_year_at_b_and_an_override_can_still_give_a(ledger):
    for q, pts in ((1, "40.0"), (2, "40.0"), (3, "15.0"), (4, "0.0")):
        _quarter(ledger, 2026, q, pts)
    g = next(g for g in grades.year_grades(ledger, 2026) if g.org_code == "B1")
    assert g.score == D("95.0") and g.red_quarter and g.computed == Category.B
    g = grades.override(ledger, "B1", 2026, "A", "三季度因换届暂停活动，经党工委会议研究仍定为A类")
    assert g.final == Category.A and g.computed == Category.B


def test_override_needs_a_reason_and_confirm_sets_next_year(ledger):
    with pytest.raises(ValidationError, match="必须填写理由"):
        grades.override(ledger, "B1", 2025, "A", "  ")
    g = grades.override(ledger, "B1", 2025, "A", "获市级表彰")
    assert g.final == Category.A and g.computed == Category.C
    with pytest.raises(ValidationError, match="2026 年还没有结束"):
        grades.confirm(ledger, 2026)  # "today" is 2026-11-21
    grades.confirm(ledger, 2025)
    assert orgs.get_org(ledger, "B1", 2026).category == Category.A
    hist = orgs.class_history(ledger, "B1")
    assert [(h.year, h.category.value, h.source) for h in hist] == [(2026, "A", "grade")]


def test_issue_notice_and_rectification(ledger):
    _quarter(ledger, 2026, 1, "18.0")
    rows = warnings.issue_notice(ledger, 2026, 1, notice_no="测〔2026〕1号", issued_on="2026-04-10")
    w = next(r for r in rows if r.org_code == "B1")
    assert w.issued and w.rectification.deadline == date(2026, 4, 30)
    assert w.status(date(2026, 5, 1)) == "已逾期"
    with pytest.raises(ValidationError, match="验收人"):
        warnings.save_rectification(ledger, "B1", 2026, 1, measures="补开支委会", closed_on="2026-04-20")
    w = warnings.save_rectification(ledger, "B1", 2026, 1, measures="补开支委会", verified_by="周敏",
                                    closed_on="2026-04-20")
    assert w.status(date(2026, 5, 1)) == "已整改"


def test_demo_shows_every_level_and_class(demo_ledger):
    levels = {w.level for q in (1, 2, 3) for w in warnings.quarter_warnings(demo_ledger, 2026, q)}
    assert {1, 2, 3} <= levels
    classes = {g.final for y in (2024, 2025) for g in grades.year_grades(demo_ledger, y)}
    assert classes == {Category.A, Category.B, Category.C}
    assert warnings.overdue(demo_ledger), "demo has overdue rectifications to show"
