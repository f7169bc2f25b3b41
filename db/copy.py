"""Copy every row of one ledger database into another (a file ↔ the county server), ids kept.

The copy runs in the destination's one write transaction; row seals are not copied but made afresh
for the destination (seals are backend-specific: db/seals_pg.py), after the caller has checked the
source's seals and audit chain. Audit entries are copied as they are: the destination uses the
source's key (the caller carries the key folder), so the chain still verifies.
"""

from __future__ import annotations

from sqlalchemy import Integer, insert, select
from sqlalchemy.orm import Session

from . import seals
from .engine import Database
from .schema import metadata

SKIPPED = ("row_seals",)  # made afresh for the destination
_BATCH = 2000


def tables():
    return [t for t in metadata.sorted_tables if t.name not in SKIPPED]


def is_empty(db: Database) -> bool:
    """No organisation, no audit entry, no 一本通 structure: nothing a copy could overwrite."""
    with db.read() as s:
        for name in ("organizations", "audit_log", "record_types", "settings"):
            if s.execute(select(metadata.tables[name]).limit(1)).first() is not None:
                return False
    return True


def copy_rows(src: Database, dst_session: Session, key: bytes) -> dict[str, int]:
    """Insert every row of ``src`` into the destination session's database; returns rows per table."""
    counts: dict[str, int] = {}
    conn = dst_session.connection()
    with src.read() as r:
        for table in tables():
            n = 0
            result = r.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            while batch := result.fetchmany(_BATCH):
                conn.execute(insert(table), [dict(row) for row in batch])
                n += len(batch)
            counts[table.name] = n
    if conn.dialect.name == "postgresql":  # ids were given: move each id sequence past them
        for table in tables():
            pk = list(table.primary_key.columns)
            if len(pk) == 1 and pk[0].name == "id" and isinstance(pk[0].type, Integer):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {table.name}), 1), "
                    f"(SELECT max(id) FROM {table.name}) IS NOT NULL)")
    seals.seal_all(conn.connection.dbapi_connection, key)
    return counts
