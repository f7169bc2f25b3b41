"""A migration that changes which columns of a table are sealed (db/seal_spec.SEALED) re-seals that table
without hiding anything: each row is judged by the columns it was sealed over, rows that agreed are sealed
afresh over the new columns, and rows that did not agree (changed, added or deleted behind the software)
keep being reported. Works on a SQLite file and on the county server alike."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from . import seals
from .seal_spec import CHUNK_ROWS, LEGACY_KEY, SEALED, chunk_key

# The columns sealed before migration 0018_seal_scope added the township scope. Frozen: the migrations
# before 0018 (0003 seals every row, 0004 every chunk) seal these tables as they were then.
BEFORE_SCOPE: dict[str, tuple[str, ...]] = {
    "users": ("name", "role", "salt", "pw_hash", "kdf", "active"),
    "month_locks": ("year", "month", "locked_by", "locked_at"),
}
WITH_SCOPE: dict[str, tuple[str, ...]] = {t: (*cols, "scope") for t, cols in BEFORE_SCOPE.items()}


@contextmanager
def sealed_as(columns: dict[str, Sequence[str]]) -> Iterator[None]:
    """For the length of a migration step only: judge or seal each table over the given columns."""
    saved = {t: SEALED[t] for t in columns}
    SEALED.update({t: tuple(c) for t, c in columns.items()})
    try:
        yield
    finally:
        SEALED.update(saved)


def reseal_columns(raw, key: bytes, table: str, before: Sequence[str], after: Sequence[str]) -> int | None:
    """Move ``table``'s seals from ``before`` to ``after`` columns (``raw``: the migration's DBAPI connection,
    ``key``: the installation's). Returns how many rows did not agree with their seals, or None when the
    file is sealed with another installation's key (it is reported as such; nothing can be judged here)."""
    state = seals.key_state(raw, key)
    if state == "other":
        return None
    key = key if state == "ok" else LEGACY_KEY  # a file not yet moved to this installation's key
    with sealed_as({table: before}):
        _checked, problems, total = seals.verify(raw, key, limit=10**9, tables=(table,))
    ids = [r[0] for r in raw.execute(f"SELECT id FROM {table}").fetchall()]
    old_chunks = [r[0] for r in raw.execute(f"SELECT row_id FROM row_seals WHERE tbl = '{chunk_key(table)}'")
                  .fetchall()]
    with sealed_as({table: after}):
        seals.seal_rows(raw, table, ids, key)
        seals.seal_chunks(raw, table, {i // CHUNK_ROWS for i in ids} | set(old_chunks), key)
        seals.keep_reported(raw, problems)
    return total
