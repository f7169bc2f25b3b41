"""Column types: exact one-decimal points stored as integer tenths; UUID text; UTC timestamps."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import Integer, String
from sqlalchemy.types import TypeDecorator

from app.domain.points import from_tenths, to_tenths


class Points(TypeDecorator[Decimal]):
    """Decimal(…, 1) in Python, INTEGER tenths in SQLite: exact and summable by SQL."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect) -> int | None:
        if value is None:
            return None
        return to_tenths(Decimal(value))

    def process_result_value(self, value: int | None, dialect) -> Decimal | None:
        return None if value is None else from_tenths(value)


def new_uuid() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    # Naive UTC, whole milliseconds: compares and round-trips the same in SQLite and JSON.
    now = datetime.now(UTC)
    return now.replace(tzinfo=None, microsecond=now.microsecond // 1000 * 1000)


UUIDStr = String(36)
