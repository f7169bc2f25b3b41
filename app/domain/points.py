"""Points are exact decimals with one decimal place; never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ONE_PLACE = Decimal("0.1")
ZERO = Decimal("0.0")


def parse_points(value: object, *, field: str = "积分", allow_negative: bool = False) -> Decimal:
    """Turn user input into a one-decimal Decimal, or raise ValueError naming the field.

    More than one decimal place is refused rather than rounded: silently changing a
    number someone typed is how ledgers go wrong.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{field}不能为空")
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip()
    if not text:
        raise ValueError(f"{field}不能为空")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{field}必须是数字，收到“{text}”") from None
    if not number.is_finite():
        raise ValueError(f"{field}必须是有限数字，收到“{text}”")
    # Size first: quantize() itself fails on numbers with too many digits (e.g. 1e27).
    if abs(number) >= Decimal("100000"):
        raise ValueError(f"{field}数值过大，收到“{text}”")
    if number != number.quantize(ONE_PLACE, rounding=ROUND_HALF_UP):
        raise ValueError(f"{field}最多保留一位小数，收到“{text}”")
    if number < 0 and not allow_negative:
        raise ValueError(f"{field}不能为负数，收到“{text}”")
    return number.quantize(ONE_PLACE)


def fmt(points: Decimal | None) -> str:
    """One-decimal text, as printed and as written in JSON."""
    if points is None:
        return ""
    return str(points.quantize(ONE_PLACE))
