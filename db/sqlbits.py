"""The few SQL words that differ between a SQLite file and the county server (PostgreSQL).

Raw SQL elsewhere asks ``sql_for(session)`` for these fragments instead of spelling them, so one
statement text runs on both backends and SQLite keeps getting exactly what it always got.
"""

from __future__ import annotations

from dataclasses import dataclass

# A version-7 UUID like db.types.new_uuid (time first, so new rows append to the uuid index):
# t = milliseconds since 1970 as 12 hex digits, h = 32 random hex digits.
_UUID = ("lower(substr(t,1,8)||'-'||substr(t,9,4)||'-7'||substr(h,14,3)||'-'||"
         "substr('89ab',{pick},1)||substr(h,18,3)||'-'||substr(h,21,12))")


@dataclass(frozen=True)
class SqlWords:
    server: bool

    @property
    def least(self) -> str:  # the smaller of two values (SQLite's two-argument MIN)
        return "LEAST" if self.server else "MIN"

    @property
    def greatest(self) -> str:
        return "GREATEST" if self.server else "MAX"

    @property
    def is_not(self) -> str:  # NULL-safe "differs from"
        return "IS DISTINCT FROM" if self.server else "IS NOT"

    @property
    def now_ms(self) -> str:  # the current UTC time to the millisecond, as the ORM stores it
        return "LOCALTIMESTAMP(3)" if self.server else "strftime('%Y-%m-%d %H:%M:%f','now')"

    @property
    def uuid7(self) -> str:  # needs columns t (12 hex digits of ms) and h (32 random hex digits)
        return _UUID.format(pick="1+floor(random()*4)::int" if self.server else "1+(abs(random())%4)")

    @property
    def random_hex32(self) -> str:
        return "md5(random()::text || clock_timestamp()::text)" if self.server else "hex(randomblob(16))"

    @property
    def ms_hex12(self) -> str:
        if self.server:
            return "lpad(to_hex((extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0')"
        return "printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))"

    @property
    def subquery_alias(self) -> str:  # PostgreSQL (before 16) wants every subquery in FROM named
        return " AS sub" if self.server else ""

    def concat_text(self, expr: str) -> str:  # a number joined into text with ||
        return f"CAST({expr} AS TEXT)" if self.server else expr


def sql_for(bind) -> SqlWords:
    """The words for a Session, Connection or Engine."""
    get_bind = getattr(bind, "get_bind", None)
    engine = get_bind() if get_bind is not None else bind
    return SqlWords(server=engine.dialect.name == "postgresql")
