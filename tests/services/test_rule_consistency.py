"""Stored points held against the entry rules: the demo obeys them, `check` names what does not (13.8)."""

from collections import Counter
from datetime import date
from decimal import Decimal as D

import pytest

from app.errors import ValidationError
from app.services.assessment import grades, warnings
from app.services.pairing import pairings
from app.services.register import orgs
from app.services.safety import consistency, health
from app.services.scoring import schemes, scores
from db.models import MonthlyScore, Organization, SchemeItemRow, SchemeRow


def test_a_fresh_demo_obeys_every_entry_rule_and_still_shows_every_level_and_class(demo_ledger):
    report = health.check(demo_ledger)
    assert report.ok, [line.text for line in report.lines if not line.ok]
    assert any(line.text == "已录入的积分符合录入规则" for line in report.lines)
    levels, classes = Counter(), Counter()
    for year in (2024, 2025, 2026):
        for q in (1, 2, 3, 4):
            levels.update(int(w.level) for w in warnings.quarter_warnings(demo_ledger, year, q) if not w.provisional)
        classes.update(g.computed.value for g in grades.year_grades(demo_ledger, year) if g.computed is not None)
    assert set(levels) == {0, 1, 2, 3}, levels
    assert set(classes) == {"A", "B", "C"}, classes
    assert all(n >= 3 for n in classes.values()), classes


def test_pairing_points_need_a_pairing_that_year(ledger):
    orgs.add_org(ledger, code="B2", name="税务局党支部", sector="机关事业单位", parent="P1", category="C", year=2026)
    orgs.set_class(ledger, "B1", 2026, "A")
    with pytest.raises(ValidationError, match="2026 年没有结对共建关系，不能计“结对共建活动”的分"):
        scores.set_score(ledger, "B1", 2026, 3, "ZY02", count=1)
    assert scores.cell(ledger, "B1", 2026, 3, "ZY02").manual_points is None
    pairings.add(ledger, "B1", "B2", 2026)
    assert scores.set_score(ledger, "B1", 2026, 3, "ZY02", count=1).manual_points == D("1.0")
    assert scores.set_score(ledger, "B2", 2026, 3, "ZY02", count=1).manual_points == D("1.0")
    with pytest.raises(ValidationError, match="2025 年没有结对共建关系"):
        scores.set_score(ledger, "B1", 2025, 3, "ZY02", count=1)


def _force(ledger, code, year, month, item, **values):
    """Write a cell the way an older version or an outside tool could, past every entry rule."""
    with ledger.db.write() as s:
        org_id = s.query(Organization.id).filter_by(code=code).scalar()
        item_id = (s.query(SchemeItemRow.id).join(SchemeRow, SchemeRow.id == SchemeItemRow.scheme_id)
                   .filter(SchemeRow.year == year, SchemeItemRow.code == item).scalar())
        s.add(MonthlyScore(org_id=org_id, item_id=item_id, year=year, month=month, record_count=0, **values))


def test_check_names_each_kind_of_cell_that_breaks_a_rule(ledger):
    schemes.get_scheme(ledger, 2026)  # the year's scheme is stored once something asks for it
    clean = health.check(ledger)
    assert clean.ok
    _force(ledger, "B1", 2026, 3, "ZY02", manual_points=D("1.0"), manual_count=1)  # no pairing in 2026
    _force(ledger, "B1", 2026, 4, "RC02", manual_points=D("9.0"))  # monthly cap 2.0
    _force(ledger, "B1", 2026, 5, "XX01", manual_points=D("-3.0"))
    for month in (7, 8, 9):
        _force(ledger, "B1", 2026, month, "XX02", manual_points=D("2.5"), manual_count=1)  # 7.5 > yearly 5.0
    orgs.update_org(ledger, "B1", established_on=date(2026, 6, 10))
    found = {f.rule: f for f in consistency.findings_of(ledger)}
    assert found["结对共建积分给了当年没有结对关系的组织"].examples == ("B1 财政局党支部 2026 年 3 月“结对共建活动”",)
    assert "共 9.0 分，月上限 2.0" in found["手工分值加工作记录计分超过月上限"].examples[0]
    assert "-3.0" in found["手工分值或次数为负数"].examples[0]
    assert found["组织成立前或撤销后的月份有积分"].count == 3  # March, April and May, before 10 June
    assert found["手工分值使全年累计超过年上限"].examples == ("B1 财政局党支部 2026 年“党建信息被市级以上媒体采用”共 7.5 分，年上限 5.0",)
    report = health.check(ledger)
    assert not report.ok and any("积分与规则不一致" in line.text and "结对共建" in line.text for line in report.lines)
