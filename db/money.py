"""Money column type: exact yuan with two decimal places, stored as integer fen (分)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Integer
from sqlalchemy.types import TypeDecorator

_TWO_PLACES = Decimal("0.01")


def to_fen(yuan: Decimal) -> int:
    return int((Decimal(yuan) * 100).to_integral_value(rounding=ROUND_HALF_UP))


def from_fen(fen: int) -> Decimal:
    return (Decimal(int(fen)) / 100).quantize(_TWO_PLACES)


class Money(TypeDecorator[Decimal]):
    """Decimal(…, 2) yuan in Python, INTEGER fen in SQLite: exact and summable by SQL."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect) -> int | None:
        return None if value is None else to_fen(Decimal(value))

    def process_result_value(self, value: int | None, dialect) -> Decimal | None:
        return None if value is None else from_fen(value)
