from dataclasses import replace
from decimal import Decimal as D

from app.domain.enums import ItemKind
from app.domain.rules import normal_maximum
from app.domain.scheme import scheme_from_dict, scheme_to_dict, validate_scheme
from app.services.scoring.schemes import default_scheme


def test_default_scheme_is_valid_and_believable():
    s = default_scheme(2026)
    assert validate_scheme(s) == []
    assert [c.name for c in s.categories[:4]] == ["日常工作", "主题活动", "作用发挥", "信息宣传"]
    assert [c.max_points for c in s.categories[:4]] == [D("50.0"), D("32.0"), D("10.0"), D("8.0")]
    assert normal_maximum(s) == D("100.0")
    kinds = {i.kind for _c, i in s.items()}
    assert {ItemKind.BONUS, ItemKind.DEDUCTION, ItemKind.VETO} <= kinds
    bonus = next(c for c in s.categories if c.code == "JF")
    assert bonus.max_points == D("10.0")


def test_dict_round_trip_keeps_the_rules_and_the_fingerprint():
    s = default_scheme(2025)
    back = scheme_from_dict(scheme_to_dict(s))
    assert back == s
    assert back.fingerprint() == s.fingerprint()
    assert s.with_year(2026).fingerprint() == s.fingerprint()


def test_validation_explains_each_problem():
    s = default_scheme(2026)
    cat = s.categories[0]
    bad_item = replace(cat.items[0], code=cat.items[1].code, monthly_cap=D("9.0"), yearly_cap=D("1.0"))
    bad = replace(s, categories=(replace(cat, items=(bad_item, *cat.items[1:])), *s.categories[1:]),
                  warning=replace(s.warning, orange_below=D("30.0")))
    problems = validate_scheme(bad)
    text = "\n".join(problems)
    assert "重复" in text and "月上限 9.0 大于年上限 1.0" in text and "预警线" in text


def test_item_kind_must_fit_its_category():
    s = default_scheme(2026)
    cat = s.categories[0]
    wrong = replace(cat.items[0], kind=ItemKind.VETO)
    bad = replace(s, categories=(replace(cat, items=(wrong,)), *s.categories[1:]))
    assert any("不能放在" in p for p in validate_scheme(bad))
