from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.points import fmt, parse_points


@pytest.mark.parametrize("text,expected", [("2", "2.0"), ("0.5", "0.5"), (" 24.9 ", "24.9"), ("1.50", "1.5")])
def test_parse_accepts_one_decimal(text, expected):
    assert fmt(parse_points(text)) == expected


@pytest.mark.parametrize(
    "text,fragment",
    [("abc", "必须是数字"), ("-1", "不能为负数"), ("1.25", "最多保留一位小数"), ("", "不能为空"), ("NaN", "有限数字"),
     ("1e9", "数值过大"), ("1e27", "数值过大"), ("-1e30", "数值过大")],
)
def test_parse_rejects_bad_input_naming_the_problem(text, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_points(text, field="分值")


def test_float_input_is_read_by_its_shortest_repr_not_binary_value():
    assert parse_points(0.1) == Decimal("0.1")


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_any_decimal_is_accepted_or_refused_with_a_value_error(value):
    try:
        parsed = parse_points(value)
    except ValueError:
        return
    assert parsed == parsed.quantize(Decimal("0.1")) and 0 <= parsed < 100000
