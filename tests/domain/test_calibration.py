"""The routine branch under a scheme: never warned, graded B (issue 13.7)."""

from dataclasses import replace
from decimal import Decimal as D

import pytest

from app.domain.calibration import calibration_problems, routine_year
from app.domain.enums import Category, WarningLevel
from app.services.scoring.schemes import default_scheme


@pytest.mark.parametrize("with_groups", [False, True])
def test_the_default_scheme_keeps_a_routine_branch_unwarned_and_graded_b(with_groups):
    r = routine_year(default_scheme(2026), with_groups=with_groups)
    assert all(q > D("25.0") for q in r.quarters), r.quarters
    assert r.levels == (WarningLevel.NONE,) * 4
    assert D("80.0") <= r.annual < D("90.0") and r.grade is Category.B
    assert calibration_problems(default_scheme(2026)) == []


def _with_item(scheme, code, **changes):
    cats = tuple(replace(c, items=tuple(replace(i, **changes) if i.code == code else i for i in c.items))
                 for c in scheme.categories)
    return replace(scheme, categories=cats)


def _with_category(scheme, code, **changes):
    return replace(scheme, categories=tuple(replace(c, **changes) if c.code == code else c for c in scheme.categories))


def test_the_old_default_tuning_is_named_in_words():
    s = default_scheme(2026)
    # 主题党日 at 1 point: the routine quarter drops to 21 (without 党小组), at or below the yellow line.
    s = _with_item(s, "ZT01", points=D("1.0"), monthly_cap=D("1.0"))
    problems = calibration_problems(s)
    assert any("每季度只得 21.0 分，不高于预警线 25.0 分" in p and "未设党小组" in p for p in problems), problems


def test_a_quarter_exactly_on_the_line_is_warned_under_inclusive_lines():
    s = _with_item(default_scheme(2026), "ZT01", points=D("2.0"), monthly_cap=D("2.0"))  # 27 − 3 = 24
    s = _with_item(s, "RC01", points=D("4.0"), monthly_cap=D("4.0"))  # + 1 once a quarter → 25.0 exactly
    r = routine_year(s, with_groups=False)
    assert r.quarters[0] == D("25.0") and r.levels[0] is WarningLevel.YELLOW
    lenient = replace(s, warning=replace(s.warning, inclusive=False))
    assert routine_year(lenient, with_groups=False).levels[0] is WarningLevel.NONE


def test_routine_work_alone_reaching_a_or_falling_to_c_is_named():
    s = default_scheme(2026)
    rich = _with_category(s, "ZY", max_points=D("10.0"))
    rich = _with_category(rich, "RC", max_points=D("60.0"))  # routine RC 60 + ZT 32 = 92 → A
    assert any("评定为 A 类" in p and "特色工作无从体现" in p for p in calibration_problems(rich))
    poor = _with_category(s, "ZT", max_points=D("20.0"))  # 50 + 20 = 70 → C
    assert any("评定为 C 类" in p for p in calibration_problems(poor))
