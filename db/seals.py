"""Row seals: a keyed digest of the trusted columns of every row of the tables that decide results.

Why: the audit chain shows an edited or deleted audit entry, but a score, class or grade changed
with a SQLite tool leaves the chain intact. Each such row therefore carries a seal in
``row_seals``; a row whose seal is missing or wrong was changed outside this software.

How the seals stay current without every writer knowing about them: each connection of this
software gets TEMP triggers (they exist only on our own connections, never in the file, so a
SQLite tool neither fires nor sees them) that note every inserted, updated or deleted row of a
sealed table in ``temp.seal_pending``; just before each commit the noted rows are (re)sealed in
the same transaction. So ORM writes, bulk inserts, imports and undo are all covered, and an edit
made by any other program is not.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine

from .seal_spec import (  # noqa: F401  (part of this module's interface)
    BROKEN,
    CHUNK_ROWS,
    ID_COLUMN,
    KEY_INFO,
    KEY_MARK,
    LEGACY_KEY,
    LEGACY_TABLES,
    SEALED,
    SealProblem,
    _chunk_digest,
    before_rows,
    chunk_key,
    digest,
    old_table,
)

_CHUNK = 500


def _on_server(raw) -> bool:
    """A PostgreSQL (psycopg) connection rather than a SQLite file's: db/seals_pg.py does the work."""
    return not isinstance(raw, sqlite3.Connection)


def _id(table: str) -> str:
    return ID_COLUMN.get(table, "id")


def canon_sql(table: str) -> str:
    """SQL giving the canonical text of a row: SQLite's own quoting, so types never drift."""
    return "||char(31)||".join(f"quote({c})" for c in SEALED[table])


def _cols(table: str) -> str:
    return ", ".join((_id(table), *SEALED[table]))


def seal_chunks(raw: sqlite3.Connection, table: str, chunks: Iterable[int], key: bytes) -> None:
    if _on_server(raw):
        from . import seals_pg

        return seals_pg.seal_chunks(raw, table, chunks, key)
    name, i = chunk_key(table), _id(table)
    for c in sorted(set(chunks)):
        lo = c * CHUNK_ROWS
        rows = raw.execute(f"SELECT {_cols(table)} FROM main.{table} WHERE {i} >= ? AND {i} < ? ORDER BY {i}",
                           (lo, lo + CHUNK_ROWS)).fetchall()
        if rows:
            raw.execute("INSERT OR REPLACE INTO main.row_seals(tbl, row_id, digest) VALUES (?, ?, ?)",
                        (name, c, _chunk_digest(key, table, c, rows)))
        else:
            raw.execute("DELETE FROM main.row_seals WHERE tbl = ? AND row_id = ?", (name, c))


def _seal_touched_chunks(raw: sqlite3.Connection, table: str, chunks: Iterable[int], key: bytes,
                         old: dict[int, tuple | None] | None) -> None:
    """Re-seal the chunks this transaction wrote — only over a chunk that was whole before it: a row changed behind
    the software stays found however many legitimate writes land in its chunk later (the chunk is BROKEN then).
    "Whole before" is judged from the rows' values before this transaction (``old``, kept by the triggers): one
    chunk digest, no row-by-row check; without them (``old`` None) the rows are checked one by one."""
    name, i = chunk_key(table), _id(table)
    for c in sorted(set(chunks)):
        lo, hi = c * CHUNK_ROWS, (c + 1) * CHUNK_ROWS
        rows = raw.execute(f"SELECT {_cols(table)} FROM main.{table} WHERE {i} >= ? AND {i} < ? ORDER BY {i}",
                           (lo, hi)).fetchall()
        if old is None:
            whole = next(_verify_rows(raw, table, lo, hi, key), None) is None
        else:
            before = before_rows(rows, {r: v for r, v in old.items() if lo <= r < hi})
            stored = raw.execute("SELECT digest FROM main.row_seals WHERE tbl = ? AND row_id = ?", (name, c)).fetchone()
            whole = (stored[0] if stored else None) == (_chunk_digest(key, table, c, before) if before else None)
        if rows or not whole:
            raw.execute("INSERT OR REPLACE INTO main.row_seals(tbl, row_id, digest) VALUES (?, ?, ?)",
                        (name, c, _chunk_digest(key, table, c, rows) if whole else BROKEN))
        else:
            raw.execute("DELETE FROM main.row_seals WHERE tbl = ? AND row_id = ?", (name, c))


def _has_table(raw: sqlite3.Connection, name: str, schema: str = "main") -> bool:
    q = f"SELECT 1 FROM {schema}.sqlite_master WHERE type='table' AND name=?"
    return raw.execute(q, (name,)).fetchone() is not None


def _ready(raw: sqlite3.Connection, table: str) -> bool:
    """The table exists with every sealed column (an older migration step may not have them all yet)."""
    have = {r[1] for r in raw.execute(f"PRAGMA main.table_info({table})")}
    return bool(have) and set(SEALED[table]) <= have


def install_triggers(raw: sqlite3.Connection) -> bool:
    """Create the TEMP change-noting triggers on this connection (idempotent). False if not sealed yet."""
    if _on_server(raw):
        return True  # server triggers are permanent (db/seals_pg.py)
    if _has_table(raw, "seal_pending", "temp"):
        return True
    if not _has_table(raw, "row_seals"):
        return False  # a file before migration 0003: nothing to seal yet
    raw.execute("CREATE TEMP TABLE IF NOT EXISTS seal_pending (tbl TEXT NOT NULL, row_id INTEGER NOT NULL)")
    for table, cols in SEALED.items():
        if not _ready(raw, table):
            continue
        note = "INSERT INTO seal_pending(tbl, row_id) VALUES"  # unqualified: triggers may not name a schema
        i = _id(table)
        of = ", ".join(cols if i == "rowid" else ("id", *cols))
        # The values before the transaction's first change of each row (its column types copied from the table, so
        # they read back as the table's own do); the first note wins, an insert notes that the row was not there.
        keep = old_table(table)
        raw.execute(f"CREATE TEMP TABLE IF NOT EXISTS {keep} AS SELECT {i} AS seal_rid, {', '.join(cols)}, "
                    f"0 AS seal_absent FROM main.{table} WHERE 0")
        raw.execute(f"CREATE UNIQUE INDEX IF NOT EXISTS temp.{keep}_rid ON {keep}(seal_rid)")
        was = f"INSERT OR IGNORE INTO {keep} VALUES (OLD.{i}, {', '.join('OLD.' + c for c in cols)}, 0);"
        absent = f"INSERT OR IGNORE INTO {keep}(seal_rid, seal_absent)"
        raw.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS seal_{table}_i AFTER INSERT ON main.{table} "
                    f"BEGIN {absent} VALUES (NEW.{i}, 1); {note} ('{table}', NEW.{i}); END")
        raw.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS seal_{table}_u AFTER UPDATE OF {of} ON main.{table} "
                    f"BEGIN {was} {absent} SELECT NEW.{i}, 1 WHERE NEW.{i} IS NOT OLD.{i}; "
                    f"{note} ('{table}', OLD.{i}), ('{table}', NEW.{i}); END")
        raw.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS seal_{table}_d AFTER DELETE ON main.{table} "
                    f"BEGIN {was} {note} ('{table}', OLD.{i}); END")
    return True


def _take_old(raw: sqlite3.Connection, table: str) -> dict[int, tuple | None] | None:
    """The values this transaction's touched rows had before (None: no such record on this connection)."""
    keep = old_table(table)
    if not _has_table(raw, keep, "temp"):
        return None
    rows = raw.execute(f"SELECT * FROM temp.{keep}").fetchall()
    raw.execute(f"DELETE FROM temp.{keep}")
    return {r[0]: (None if r[-1] else tuple(r[1:-1])) for r in rows}


def _clear_scratch(raw: sqlite3.Connection) -> None:
    """Forget what this transaction noted (after a whole re-seal nothing is left to judge)."""
    if _has_table(raw, "seal_pending", "temp"):
        raw.execute("DELETE FROM temp.seal_pending")
    for table in SEALED:
        if _has_table(raw, old_table(table), "temp"):
            raw.execute(f"DELETE FROM temp.{old_table(table)}")


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


def seal_rows(raw: sqlite3.Connection, table: str, ids: Iterable[int], key: bytes) -> None:
    """Seal the current content of these rows; drop the seals of those that no longer exist."""
    if _on_server(raw):
        from . import seals_pg

        return seals_pg.seal_rows(raw, table, ids, key)
    ids = sorted(set(ids))
    canon, i = canon_sql(table), _id(table)
    for part in _chunks(ids):
        marks = ",".join("?" * len(part))
        found = raw.execute(f"SELECT {i}, {canon} FROM main.{table} WHERE {i} IN ({marks})", part).fetchall()
        raw.executemany("INSERT OR REPLACE INTO main.row_seals(tbl, row_id, digest) VALUES (?, ?, ?)",
                        [(table, rid, digest(key, table, rid, text)) for rid, text in found])
        gone = set(part) - {rid for rid, _ in found}
        if gone:
            raw.executemany("DELETE FROM main.row_seals WHERE tbl = ? AND row_id = ?", [(table, r) for r in gone])


def flush_pending(raw: sqlite3.Connection, key: bytes) -> int:
    """Seal every row noted in this transaction; returns how many were noted."""
    if _on_server(raw):
        from . import seals_pg

        return seals_pg.flush_pending(raw, key)
    if not _has_table(raw, "seal_pending", "temp"):
        return 0
    noted = raw.execute("SELECT DISTINCT tbl, row_id FROM temp.seal_pending").fetchall()
    if not noted:
        return 0
    by_table: dict[str, list[int]] = {}
    for table, rid in noted:
        by_table.setdefault(table, []).append(rid)
    for table, ids in by_table.items():
        old = _take_old(raw, table)
        seal_rows(raw, table, ids, key)
        _seal_touched_chunks(raw, table, (i // CHUNK_ROWS for i in ids), key, old)
    raw.execute("DELETE FROM temp.seal_pending")
    return len(noted)


def seal_all(raw: sqlite3.Connection, key: bytes = LEGACY_KEY) -> int:
    """Seal every row as it is now (upgrade, or an administrator accepting the data); returns rows sealed.

    Also marks the file as sealed with this key (see ``key_state``)."""
    if _on_server(raw):
        from . import seals_pg

        return seals_pg.seal_all(raw, key)
    from .keys import key_id

    total = 0
    for table in SEALED:
        if not _ready(raw, table):
            continue
        raw.execute("DELETE FROM main.row_seals WHERE tbl IN (?, ?)", (table, chunk_key(table)))
        canon = canon_sql(table)
        cur = raw.execute(f"SELECT {_id(table)}, {canon} FROM main.{table}")
        while batch := cur.fetchmany(5000):
            raw.executemany("INSERT INTO main.row_seals(tbl, row_id, digest) VALUES (?, ?, ?)",
                            [(table, rid, digest(key, table, rid, text)) for rid, text in batch])
            total += len(batch)
        raw.executemany("INSERT INTO main.row_seals(tbl, row_id, digest) VALUES (?, ?, ?)",
                        [(chunk_key(table), c, d) for c, d in _scan_chunks(raw, table, key)])
    if key != LEGACY_KEY:
        raw.execute("INSERT OR REPLACE INTO main.row_seals(tbl, row_id, digest) VALUES (?, 0, ?)",
                    (KEY_MARK, key_id(key)))
    _clear_scratch(raw)
    return total


def key_state(raw: sqlite3.Connection, key: bytes) -> str:
    """"ok" (sealed with this key), "legacy" (sealed before per-installation keys), "other" (another key)."""
    if _on_server(raw):
        from . import seals_pg

        return seals_pg.key_state(raw, key)
    from .keys import key_id

    if not _has_table(raw, "row_seals"):
        return "legacy"
    row = raw.execute("SELECT digest FROM main.row_seals WHERE tbl = ? AND row_id = 0", (KEY_MARK,)).fetchone()
    if row is None:
        return "legacy"
    return "ok" if row[0] == key_id(key) else "other"


def seal_all_chunks(raw: sqlite3.Connection, key: bytes = LEGACY_KEY) -> int:
    """Write every chunk seal from the rows as they are (migration 0004); returns chunks written."""
    if _on_server(raw):
        from . import seals_pg

        return seals_pg.seal_all_chunks(raw, key)
    n = 0
    for table in SEALED:
        if _ready(raw, table):
            raw.execute("DELETE FROM main.row_seals WHERE tbl = ?", (chunk_key(table),))
            rows = [(chunk_key(table), c, d) for c, d in _scan_chunks(raw, table, key)]
            raw.executemany("INSERT INTO main.row_seals(tbl, row_id, digest) VALUES (?, ?, ?)", rows)
            n += len(rows)
    return n


def _scan_chunks(raw: sqlite3.Connection, table: str, key: bytes) -> Iterator[tuple[int, str]]:
    """(chunk, digest) of every chunk that has rows, in order — one sequential read of the table."""
    cur = raw.execute(f"SELECT {_cols(table)} FROM main.{table} ORDER BY {_id(table)}")
    chunk, rows = None, []
    while batch := cur.fetchmany(8192):
        for row in batch:
            c = row[0] // CHUNK_ROWS
            if c != chunk:
                if rows:
                    yield chunk, _chunk_digest(key, table, chunk, rows)
                chunk, rows = c, []
            rows.append(row)
    if rows:
        yield chunk, _chunk_digest(key, table, chunk, rows)


def _verify_rows(raw: sqlite3.Connection, table: str, lo: int, hi: int, key: bytes) -> Iterator[SealProblem]:
    """Row by row within one chunk: which rows disagree with their own seals."""
    canon, i = canon_sql(table), _id(table)
    rows = raw.execute(
        f"SELECT t.{i}, {canon}, s.digest FROM main.{table} t LEFT JOIN main.row_seals s "
        f"ON s.tbl = ? AND s.row_id = t.{i} WHERE t.{i} >= ? AND t.{i} < ? ORDER BY t.{i}", (table, lo, hi))
    for rid, text, seal in rows.fetchall():
        if seal is None:
            yield SealProblem(table, rid, "unsealed")
        elif seal != digest(key, table, rid, text):
            yield SealProblem(table, rid, "changed")
    for (rid,) in raw.execute(
            f"SELECT s.row_id FROM main.row_seals s WHERE s.tbl = ? AND s.row_id >= ? AND s.row_id < ? "
            f"AND NOT EXISTS (SELECT 1 FROM main.{table} t WHERE t.{i} = s.row_id) ORDER BY s.row_id",
            (table, lo, hi)):
        yield SealProblem(table, rid, "deleted")


def row_ok(raw: sqlite3.Connection, table: str, row_id: int, key: bytes) -> bool:
    """Does this one row still match its seal? (Checked before a login honours a user's role.)"""
    if _on_server(raw):
        from . import seals_pg

        return seals_pg.row_ok(raw, table, row_id, key)
    return not list(_verify_rows(raw, table, row_id, row_id + 1, key))


def verify(raw: sqlite3.Connection, key: bytes, limit: int = 50,
           tables: tuple[str, ...] | None = None) -> tuple[int, list[SealProblem], int]:
    """(rows checked, the first ``limit`` problems in table order, total problems).

    Fast path: one sequential read per table, hashed in chunks of CHUNK_ROWS and compared with the
    chunk seals; only a chunk that disagrees is examined row by row to name the rows.
    """
    if _on_server(raw):
        from . import seals_pg

        return seals_pg.verify(raw, key, limit, tables)
    checked = total = 0
    problems: list[SealProblem] = []
    for table in tables or tuple(SEALED):
        if not _ready(raw, table):
            continue
        stored = dict(raw.execute("SELECT row_id, digest FROM main.row_seals WHERE tbl = ?", (chunk_key(table),)))
        bad: list[int] = []
        for c, d in _scan_chunks(raw, table, key):
            if stored.pop(c, None) != d:
                bad.append(c)
        bad.extend(stored)  # chunks whose rows were all deleted
        checked += raw.execute(f"SELECT count(*) FROM main.{table}").fetchone()[0]
        for c in sorted(bad):
            found = list(_verify_rows(raw, table, c * CHUNK_ROWS, (c + 1) * CHUNK_ROWS, key))
            if not found:  # the chunk seal itself was edited or removed
                found = [SealProblem(table, c * CHUNK_ROWS, "seal")]
            total += len(found)
            problems.extend(found[: max(0, limit - len(problems))])
    return checked, problems, total


def _raw(conn) -> sqlite3.Connection | None:
    raw = getattr(conn.connection, "dbapi_connection", None)
    return raw if isinstance(raw, sqlite3.Connection) else None


@event.listens_for(Engine, "begin")
def _on_begin(conn) -> None:
    raw = _raw(conn)
    if raw is not None:
        install_triggers(raw)


@event.listens_for(Engine, "commit")
def _on_commit(conn) -> None:
    raw = _raw(conn)
    if raw is not None:
        flush_pending(raw, conn.info.get(KEY_INFO, LEGACY_KEY))
    elif conn.dialect.name == "postgresql":
        from . import seals_pg

        seals_pg.flush_pending(conn.connection.dbapi_connection, conn.info.get(KEY_INFO, LEGACY_KEY))


def keep_reported(raw: sqlite3.Connection, problems: Iterable[SealProblem]) -> None:
    """After ``seal_all`` with a new key, make the rows found changed behind the software under the old
    key fail again under the new one, so re-sealing an upgraded file never hides them: a changed row
    gets a wrong seal, a row added outside loses its seal, a deleted row's seal comes back; their chunk
    seals are broken so the fast check looks at them row by row. A changed chunk seal alone (no row
    changed) is not carried over."""
    if _on_server(raw):
        from . import seals_pg

        return seals_pg.keep_reported(raw, problems)
    for p in problems:
        if p.kind == "seal":
            continue
        if p.kind == "unsealed":
            raw.execute("DELETE FROM main.row_seals WHERE tbl = ? AND row_id = ?", (p.table, p.row_id))
        else:  # "changed" or "deleted"
            raw.execute("INSERT OR REPLACE INTO main.row_seals(tbl, row_id, digest) VALUES (?, ?, ?)",
                        (p.table, p.row_id, BROKEN))
        raw.execute("INSERT OR REPLACE INTO main.row_seals(tbl, row_id, digest) VALUES (?, ?, ?)",
                    (chunk_key(p.table), p.row_id // CHUNK_ROWS, BROKEN))
