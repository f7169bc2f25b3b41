"""Row seals on the county server (PostgreSQL): the same promise as db/seals.py for a SQLite file.

Each sealed table has a trigger (installed by ``install_server_triggers`` after migrating) that notes
changed rows in ``pg_temp.seal_pending`` — a TEMP table that only this software's connections create
(db/server.py), so an UPDATE, INSERT or DELETE made with psql is never noted and never re-sealed.
Just before each commit the noted rows are sealed with the installation's key, as on SQLite.

The canonical text of a row is its values as psycopg returns them (``repr`` of the tuple); seals are
therefore backend-specific, and ``copy-db`` re-seals the copy after checking the source. Settings have
a text key; their row number here is a stable 28-bit number derived from the key (``SETTINGS_ID``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from . import seal_spec as s

SETTINGS_ID = "(('x' || substr(md5({t}key), 1, 7))::bit(28)::int)"
TRIGGER_VERSION = "ledger-seal-trigger v2: keeps old values"  # in each function's body: older ones are replaced


def _id(table: str, alias: str = "") -> str:
    if table == "settings":
        return SETTINGS_ID.format(t=f"{alias}." if alias else "")
    return f"{alias}.id" if alias else "id"


def settings_row_id(key: str) -> int:
    return int(hashlib.md5(key.encode()).hexdigest()[:7], 16)


def _cols(table: str, alias: str = "") -> str:
    pre = f"{alias}." if alias else ""
    return ", ".join((_id(table, alias), *(pre + c for c in s.SEALED[table])))


def _canon(row: tuple) -> str:
    return repr(tuple(row))


def _ready_tables(raw) -> set[str]:
    """The sealed tables that exist with every sealed column (one catalogue query)."""
    rows = raw.execute(
        "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND a.attnum > 0 "
        "AND NOT a.attisdropped AND c.relname = ANY(%s)", (list(s.SEALED),)).fetchall()
    have: dict[str, set[str]] = {}
    for table, column in rows:
        have.setdefault(table, set()).add(column)
    return {t for t, cols in s.SEALED.items() if set(cols) <= have.get(t, set())}


def _has_table(raw, name: str) -> bool:
    return raw.execute("SELECT to_regclass(%s)", (name,)).fetchone()[0] is not None


def install_server_triggers(raw) -> None:
    """(Re)create the change-noting trigger of every sealed table (idempotent; run after migrating)."""
    ready = _ready_tables(raw)
    # A trigger counts only when it watches exactly the table's sealed columns (older ones fired on any update, so a
    # legitimate write of a derived column re-sealed a row changed behind the software; a column sealed since
    # must be watched too): any other is replaced.
    watched: dict[str, set[str]] = {}
    for table, column in raw.execute(
            "SELECT c.relname, a.attname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = ANY(t.tgattr::int2[]) "
            "WHERE t.tgname = 'ledger_seal_' || c.relname").fetchall():
        watched.setdefault(table, set()).add(column)
    # A function counts only when it also keeps the rows' values before the transaction (TRIGGER_VERSION).
    current = {r[0] for r in raw.execute("SELECT proname FROM pg_proc WHERE proname LIKE 'ledger_seal_note_%%' "
                                         "AND prosrc LIKE %s", (f"%{TRIGGER_VERSION}%",)).fetchall()}
    for table in s.SEALED:
        if table not in ready or (watched.get(table) == set(s.SEALED[table])
                                  and f"ledger_seal_note_{table}" in current):
            continue
        new, old = (_id(table, "NEW"), _id(table, "OLD"))
        keep = f"pg_temp.{s.old_table(table)}"
        olds = ", ".join(f"OLD.{c}" for c in s.SEALED[table])
        raw.execute(f"""
CREATE OR REPLACE FUNCTION ledger_seal_note_{table}() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN  -- {TRIGGER_VERSION}
  IF to_regclass('pg_temp.seal_pending') IS NULL THEN RETURN NULL; END IF;
  IF to_regclass('{keep}') IS NOT NULL THEN  -- the values before this transaction's first change of the row
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      INSERT INTO {keep} VALUES ({old}, {olds}, false) ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND {new} IS DISTINCT FROM {old}) THEN
      INSERT INTO {keep}(seal_rid, seal_absent) VALUES ({new}, true) ON CONFLICT DO NOTHING;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN INSERT INTO pg_temp.seal_pending VALUES ('{table}', {old}); END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN INSERT INTO pg_temp.seal_pending VALUES ('{table}', {new}); END IF;
  RETURN NULL;
END $f$""")
        of = ", ".join(s.SEALED[table])
        raw.execute(f"CREATE OR REPLACE TRIGGER ledger_seal_{table} AFTER INSERT OR UPDATE OF {of} OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION ledger_seal_note_{table}()")


def _upsert(raw, rows: list[tuple[str, int, str]]) -> None:
    if rows:
        with raw.cursor() as cur:
            cur.executemany("INSERT INTO row_seals(tbl, row_id, digest) VALUES (%s, %s, %s) "
                            "ON CONFLICT (tbl, row_id) DO UPDATE SET digest = EXCLUDED.digest", rows)


def _chunk_rows(raw, table: str, lo: int, hi: int) -> list[tuple]:
    i = _id(table)
    return raw.execute(f"SELECT {_cols(table)} FROM {table} WHERE {i} >= %s AND {i} < %s ORDER BY {i}",
                       (lo, hi)).fetchall()


def seal_chunks(raw, table: str, chunks: Iterable[int], key: bytes) -> None:
    name = s.chunk_key(table)
    for c in sorted(set(chunks)):
        lo = c * s.CHUNK_ROWS
        rows = _chunk_rows(raw, table, lo, lo + s.CHUNK_ROWS)
        if rows:
            _upsert(raw, [(name, c, s._chunk_digest(key, table, c, rows))])
        else:
            raw.execute("DELETE FROM row_seals WHERE tbl = %s AND row_id = %s", (name, c))


def _seal_touched_chunks(raw, table: str, chunks: Iterable[int], key: bytes, old: dict[int, tuple | None] | None) -> None:
    """As db/seals.py: re-seal a chunk this transaction wrote only if it was whole before the transaction (judged
    from the values the triggers kept, one chunk digest); otherwise mark it BROKEN so the row stays found."""
    name = s.chunk_key(table)
    for c in sorted(set(chunks)):
        lo, hi = c * s.CHUNK_ROWS, (c + 1) * s.CHUNK_ROWS
        rows = _chunk_rows(raw, table, lo, hi)
        if old is None:
            whole = next(_verify_rows(raw, table, lo, hi, key), None) is None
        else:
            before = s.before_rows(rows, {r: v for r, v in old.items() if lo <= r < hi})
            stored = raw.execute("SELECT digest FROM row_seals WHERE tbl = %s AND row_id = %s", (name, c)).fetchone()
            whole = (stored[0] if stored else None) == (s._chunk_digest(key, table, c, before) if before else None)
        if rows or not whole:
            _upsert(raw, [(name, c, s._chunk_digest(key, table, c, rows) if whole else s.BROKEN)])
        else:
            raw.execute("DELETE FROM row_seals WHERE tbl = %s AND row_id = %s", (name, c))


def create_old_tables(raw) -> None:
    """This connection's TEMP tables for the rows' values before the transaction (one per sealed table that exists;
    the column types copied from the table, so values read back exactly as the table's own)."""
    for table in _ready_tables(raw):
        keep = s.old_table(table)
        raw.execute(f"CREATE TEMP TABLE IF NOT EXISTS {keep} AS SELECT {_id(table)} AS seal_rid, "
                    f"{', '.join(s.SEALED[table])}, false AS seal_absent FROM {table} WITH NO DATA")
        raw.execute(f"CREATE UNIQUE INDEX IF NOT EXISTS {keep}_rid ON pg_temp.{keep}(seal_rid)")


def _take_old(raw, table: str) -> dict[int, tuple | None] | None:
    keep = f"pg_temp.{s.old_table(table)}"
    if not _has_table(raw, keep):
        return None
    rows = raw.execute(f"DELETE FROM {keep} RETURNING *").fetchall()
    return {r[0]: (None if r[-1] else tuple(r[1:-1])) for r in rows}


def seal_rows(raw, table: str, ids: Iterable[int], key: bytes) -> None:
    ids = sorted(set(ids))
    i = _id(table)
    for k in range(0, len(ids), 5000):
        part = ids[k:k + 5000]
        found = raw.execute(f"SELECT {_cols(table)} FROM {table} WHERE {i} = ANY(%s)", (part,)).fetchall()
        _upsert(raw, [(table, r[0], s.digest(key, table, r[0], _canon(r[1:]))) for r in found])
        gone = set(part) - {r[0] for r in found}
        if gone:
            raw.execute("DELETE FROM row_seals WHERE tbl = %s AND row_id = ANY(%s)", (table, sorted(gone)))


def flush_pending(raw, key: bytes) -> int:
    """Seal the rows noted in this transaction (the TEMP table exists on every connection of ours)."""
    noted = raw.execute("DELETE FROM pg_temp.seal_pending RETURNING tbl, row_id").fetchall()
    if not noted:
        return 0
    by_table: dict[str, set[int]] = {}
    for table, rid in noted:
        by_table.setdefault(table, set()).add(rid)
    for table, ids in by_table.items():
        old = _take_old(raw, table)
        seal_rows(raw, table, ids, key)
        _seal_touched_chunks(raw, table, (i // s.CHUNK_ROWS for i in ids), key, old)
    return len(noted)


def _scan_chunks(raw, table: str, key: bytes) -> Iterator[tuple[int, str]]:
    with raw.cursor(name=f"scan_{table}") as cur:  # server-side cursor: a big table streams
        cur.itersize = 8192
        cur.execute(f"SELECT {_cols(table)} FROM {table} ORDER BY {_id(table)}")
        chunk, rows = None, []
        for row in cur:
            c = row[0] // s.CHUNK_ROWS
            if c != chunk:
                if rows:
                    yield chunk, s._chunk_digest(key, table, chunk, rows)
                chunk, rows = c, []
            rows.append(row)
        if rows:
            yield chunk, s._chunk_digest(key, table, chunk, rows)


def seal_all(raw, key: bytes = s.LEGACY_KEY) -> int:
    from .keys import key_id

    total = 0
    ready = _ready_tables(raw)
    for table in s.SEALED:
        if table not in ready:
            continue
        raw.execute("DELETE FROM row_seals WHERE tbl IN (%s, %s)", (table, s.chunk_key(table)))
        rows = raw.execute(f"SELECT {_cols(table)} FROM {table}").fetchall()
        _upsert(raw, [(table, r[0], s.digest(key, table, r[0], _canon(r[1:]))) for r in rows])
        total += len(rows)
        _upsert(raw, [(s.chunk_key(table), c, d) for c, d in list(_scan_chunks(raw, table, key))])
    if key != s.LEGACY_KEY:
        _upsert(raw, [(s.KEY_MARK, 0, key_id(key))])
    if _has_table(raw, "pg_temp.seal_pending"):
        raw.execute("DELETE FROM pg_temp.seal_pending")
    for table in s.SEALED:
        if _has_table(raw, f"pg_temp.{s.old_table(table)}"):
            raw.execute(f"DELETE FROM pg_temp.{s.old_table(table)}")
    return total


def seal_all_chunks(raw, key: bytes = s.LEGACY_KEY) -> int:
    n = 0
    ready = _ready_tables(raw)
    for table in s.SEALED:
        if table in ready:
            raw.execute("DELETE FROM row_seals WHERE tbl = %s", (s.chunk_key(table),))
            rows = [(s.chunk_key(table), c, d) for c, d in list(_scan_chunks(raw, table, key))]
            _upsert(raw, rows)
            n += len(rows)
    return n


def key_state(raw, key: bytes) -> str:
    from .keys import key_id

    if not _has_table(raw, "row_seals"):
        return "legacy"
    row = raw.execute("SELECT digest FROM row_seals WHERE tbl = %s AND row_id = 0", (s.KEY_MARK,)).fetchone()
    if row is None:
        return "legacy"
    return "ok" if row[0] == key_id(key) else "other"


def _verify_rows(raw, table: str, lo: int, hi: int, key: bytes) -> Iterator[s.SealProblem]:
    i = _id(table, "t")
    rows = raw.execute(
        f"SELECT {_cols(table, 't')}, rs.digest FROM {table} t LEFT JOIN row_seals rs "
        f"ON rs.tbl = %s AND rs.row_id = {i} WHERE {i} >= %s AND {i} < %s ORDER BY {i}", (table, lo, hi)).fetchall()
    for row in rows:
        rid, values, seal = row[0], row[1:-1], row[-1]
        if seal is None:
            yield s.SealProblem(table, rid, "unsealed")
        elif seal != s.digest(key, table, rid, _canon(values)):
            yield s.SealProblem(table, rid, "changed")
    for (rid,) in raw.execute(
            f"SELECT rs.row_id FROM row_seals rs WHERE rs.tbl = %s AND rs.row_id >= %s AND rs.row_id < %s "
            f"AND NOT EXISTS (SELECT 1 FROM {table} t WHERE {i} = rs.row_id) ORDER BY rs.row_id",
            (table, lo, hi)).fetchall():
        yield s.SealProblem(table, rid, "deleted")


def row_ok(raw, table: str, row_id: int, key: bytes) -> bool:
    return not list(_verify_rows(raw, table, row_id, row_id + 1, key))


def verify(raw, key: bytes, limit: int = 50,
           tables: tuple[str, ...] | None = None) -> tuple[int, list[s.SealProblem], int]:
    checked = total = 0
    problems: list[s.SealProblem] = []
    ready = _ready_tables(raw)
    for table in tables or tuple(s.SEALED):
        if table not in ready:
            continue
        stored = dict(raw.execute("SELECT row_id, digest FROM row_seals WHERE tbl = %s",
                                  (s.chunk_key(table),)).fetchall())
        bad: list[int] = []
        for c, d in list(_scan_chunks(raw, table, key)):
            if stored.pop(c, None) != d:
                bad.append(c)
        bad.extend(stored)
        checked += raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for c in sorted(bad):
            found = list(_verify_rows(raw, table, c * s.CHUNK_ROWS, (c + 1) * s.CHUNK_ROWS, key))
            if not found:
                found = [s.SealProblem(table, c * s.CHUNK_ROWS, "seal")]
            total += len(found)
            problems.extend(found[: max(0, limit - len(problems))])
    return checked, problems, total


def keep_reported(raw, problems: Iterable[s.SealProblem]) -> None:
    for p in problems:
        if p.kind == "seal":
            continue
        if p.kind == "unsealed":
            raw.execute("DELETE FROM row_seals WHERE tbl = %s AND row_id = %s", (p.table, p.row_id))
        else:
            _upsert(raw, [(p.table, p.row_id, s.BROKEN)])
        _upsert(raw, [(s.chunk_key(p.table), p.row_id // s.CHUNK_ROWS, s.BROKEN)])
