"""Column types: exact one-decimal points stored as integer tenths; UUID text; UTC timestamps."""

from __future__ import annotations

import os
import time
import uuid
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Integer, String
from sqlalchemy.types import TypeDecorator

_ONE_PLACE = Decimal("0.1")


def to_tenths(points: Decimal) -> int:
    """Storage form of points: an integer count of tenths, exact in SQLite and summable in SQL."""
    return int((points * 10).to_integral_value(rounding=ROUND_HALF_UP))


def from_tenths(tenths: int | None) -> Decimal:
    """Points (one decimal place) from stored tenths; no value reads as 0.0."""
    if tenths is None:
        return Decimal("0.0")
    return (Decimal(int(tenths)) / 10).quantize(_ONE_PLACE)


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
    """A time-ordered UUID (version 7: 48-bit milliseconds, then 74 random bits).

    Why not uuid4: every table has a unique index on uuid, and random keys land on a different
    index page each, so a 24,000-cell import rewrote ~15,000 pages (60 MB of WAL) for that index
    alone; time-ordered keys append to its last pages. Still unique across installations.
    """
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & (2**48 - 1)) << 80 | 0x7 << 76 | (rand >> 68 & 0xFFF) << 64 | 0b10 << 62 | (rand & (2**62 - 1))
    return str(uuid.UUID(int=value))


def utcnow() -> datetime:
    # Naive UTC, whole milliseconds: compares and round-trips the same in SQLite and JSON.
    now = datetime.now(UTC)
    return now.replace(tzinfo=None, microsecond=now.microsecond // 1000 * 1000)


UUIDStr = String(36)
