from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.enums import Category, CategoryKind, ItemKind, WarningLevel
from app.domain.rules import (
    annual_score,
    apply_item_caps,
    consecutive_below,
    grade_for,
    warning_level,
    year_points,
)
from app.domain.scheme import GradeRules, Scheme, SchemeCategory, SchemeItem, WarningRules

RULES = WarningRules()
STRICT = WarningRules(inclusive=False)  # the reading of years that acted on it before lines were inclusive


@pytest.mark.parametrize(
    "score,level",
    [("25.1", 0), ("25.0", 1), ("24.9", 1), ("20.1", 1), ("20.0", 2), ("19.9", 2), ("15.1", 2), ("15.0", 3),
     ("14.9", 3), ("0.0", 3), ("40.0", 0)],
)
def test_25分以下_includes_25_and_each_line_includes_its_number(score, level):
    assert warning_level(D(score), 0, False, RULES).level == level


@pytest.mark.parametrize(
    "score,level",
    [("25.0", 0), ("24.9", 1), ("20.0", 1), ("19.9", 2), ("15.0", 2), ("14.9", 3), ("0.0", 3), ("40.0", 0)],
)
def test_strict_lines_of_earlier_years_warn_only_below_the_number(score, level):
    assert warning_level(D(score), 0, False, STRICT).level == level


def test_reasons_say_the_line_is_included():
    assert warning_level(D("25.0"), 0, False, RULES).reasons == ("季度积分 25.0 分，不高于 25.0 分",)
    assert warning_level(D("24.0"), 0, False, STRICT).reasons == ("季度积分 24.0 分，低于 25.0 分",)
    assert "连续 2 个季度积分不高于 25.0 分" in warning_level(D("25.0"), 1, False, RULES).reasons


def test_second_consecutive_quarter_below_25_is_orange_third_is_red():
    assert warning_level(D("24.0"), 1, False, RULES).level == WarningLevel.ORANGE
    third = warning_level(D("24.0"), 2, False, RULES)
    assert third.level == WarningLevel.RED
    assert any("连续 3 个季度" in r for r in third.reasons)


def test_consecutive_rule_can_be_switched_off():
    rules = WarningRules(consecutive=False)
    assert warning_level(D("24.0"), 2, False, rules).level == WarningLevel.YELLOW


def test_a_quarter_above_25_breaks_the_run_even_after_bad_quarters():
    assert warning_level(D("25.1"), 2, False, RULES).level == WarningLevel.NONE
    assert warning_level(D("25.0"), 2, False, RULES).level == WarningLevel.RED  # the third at 25 continues it


def test_veto_is_red_whatever_the_score_and_says_why():
    r = warning_level(D("30.0"), 0, True, RULES)
    assert r.level == WarningLevel.RED and "一票否决" in r.reason_text


def test_every_fired_rule_is_a_reason():
    r = warning_level(D("14.0"), 2, True, RULES)
    assert len(r.reasons) == 3 and "14.0" in r.reasons[0]


def test_consecutive_below_stops_at_a_good_or_unrecorded_quarter():
    assert consecutive_below([True, False, True]) == 1
    assert consecutive_below([True, True]) == 2
    assert consecutive_below([None, True]) == 0


@pytest.mark.parametrize(
    "score,cat", [("90.0", "A"), ("89.9", "B"), ("80.0", "B"), ("79.9", "C"), ("100.0", "A"), ("0.0", "C")]
)
def test_grade_boundaries(score, cat):
    assert grade_for(D(score), False, GradeRules()) == Category(cat)


def test_veto_forces_c():
    assert grade_for(D("99.0"), True, GradeRules()) == Category.C


@pytest.mark.parametrize("score,cat", [("99.0", "B"), ("90.0", "B"), ("89.9", "B"), ("80.0", "B"), ("79.9", "C")])
def test_a_year_with_a_red_quarter_is_at_most_b(score, cat):
    assert grade_for(D(score), False, GradeRules(), red_quarter=True) == Category(cat)


def _item(**kw):
    base = dict(code="I", name="项", kind=ItemKind.NORMAL, points=D("1.0"))
    base.update(kw)
    return SchemeItem(**base)


def test_monthly_cap_then_yearly_cap_in_month_order():
    item = _item(monthly_cap=D("2.0"), yearly_cap=D("5.0"))
    eff = apply_item_caps(item, {1: D("3.0"), 2: D("2.0"), 3: D("2.0"), 4: D("1.0")})
    assert eff == {1: D("2.0"), 2: D("2.0"), 3: D("1.0"), 4: D("0.0")}


def _scheme():
    return Scheme(
        2026, "测试",
        (
            SchemeCategory("N", "日常", CategoryKind.NORMAL, D("10.0"), (_item(code="N1"),)),
            SchemeCategory("J", "加分", CategoryKind.BONUS, D("3.0"), (_item(code="J1", kind=ItemKind.BONUS),)),
            SchemeCategory("K", "扣分", CategoryKind.DEDUCTION, None,
                           (_item(code="K1", kind=ItemKind.DEDUCTION), _item(code="V", kind=ItemKind.VETO, points=D("0")))),
        ),
    )


def test_annual_caps_category_and_bonus_and_subtracts_deductions():
    s = _scheme()
    assert annual_score(s, {"N": D("12.0"), "J": D("5.0"), "K": D("2.0")}) == D("11.0")


def test_annual_score_is_never_negative():
    assert annual_score(_scheme(), {"N": D("1.0"), "K": D("9.0")}) == D("0.0")


def test_year_points_veto_and_quarters():
    yp = year_points(_scheme(), {("N1", 1): D("4.0"), ("K1", 2): D("1.0")}, {("N1", 4): 2}, {("V", 5): 1})
    assert yp.quarter(1) == D("3.0")
    assert yp.quarter(2) == D("2.0")
    # a veto is counted, not scored: one occurrence with zero points still registers
    assert yp.veto
    assert not year_points(_scheme(), {("N1", 1): D("4.0")}, {}).veto


months = st.integers(min_value=1, max_value=12)
amounts = st.decimals(min_value=0, max_value=20, places=1)


@given(st.dictionaries(st.tuples(st.sampled_from(["N1", "J1", "K1"]), months), amounts, max_size=20),
       st.sampled_from(["N1", "J1"]), months, st.decimals(min_value=D("0.1"), max_value=5, places=1))
def test_adding_positive_points_never_lowers_scores_or_raises_warnings(manual, code, month, extra):
    s = _scheme()
    before = year_points(s, manual, {})
    after_manual = dict(manual)
    after_manual[(code, month)] = after_manual.get((code, month), D("0")) + extra
    after = year_points(s, after_manual, {})
    assert after.annual() >= before.annual()
    for q in range(1, 5):
        assert after.quarter(q) >= before.quarter(q)
        assert warning_level(after.quarter(q), 0, False, RULES).level <= warning_level(before.quarter(q), 0, False, RULES).level


@given(st.dictionaries(months, amounts, max_size=12),
       st.one_of(st.none(), st.decimals(min_value=D("0.1"), max_value=10, places=1)),
       st.one_of(st.none(), st.decimals(min_value=D("0.1"), max_value=30, places=1)))
def test_caps_are_never_exceeded(raw, mcap, ycap):
    eff = apply_item_caps(_item(monthly_cap=mcap, yearly_cap=ycap), raw)
    assert all(v >= 0 for v in eff.values())
    if mcap is not None:
        assert all(v <= mcap for v in eff.values())
    if ycap is not None:
        assert sum(eff.values(), D(0)) <= ycap
    if mcap is None and ycap is None:
        assert eff == raw
