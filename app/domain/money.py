"""Money is yuan to the fen: an exact Decimal with at most two decimal places, never a float."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

FEN = Decimal("0.01")
MAX_MONEY = Decimal("10000000")  # ten million yuan: far above any branch's dues, below typing slips of 1e8


def parse_money(value: object, *, field: str = "金额") -> Decimal:
    """Turn user input (1500, "23.45", Decimal) into yuan with two places, or raise ValueError naming the field.

    A third decimal place is refused rather than rounded (23.456 is a typing slip, not 23.46)."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{field}不能为空")
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace(",", "").replace("，", "").removesuffix("元").strip()
    if text.startswith(("¥", "￥")):
        text = text[1:].strip()
    if not text:
        raise ValueError(f"{field}不能为空")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{field}必须是金额数字（如 1500 或 23.45），收到“{value}”") from None
    if not number.is_finite():
        raise ValueError(f"{field}必须是有限数字，收到“{value}”")
    if abs(number) >= MAX_MONEY:
        raise ValueError(f"{field}数值过大（应小于 {MAX_MONEY:,} 元），收到“{value}”")
    if number != number.quantize(FEN):
        raise ValueError(f"{field}最多保留两位小数（到分），收到“{value}”")
    if number < 0:
        raise ValueError(f"{field}不能为负数，收到“{value}”")
    return number.quantize(FEN)


def money_text(amount: Decimal | None) -> str:
    """Two-place text, as stored in JSON and printed: 1500.00, 23.45."""
    return "" if amount is None else str(amount.quantize(FEN))
