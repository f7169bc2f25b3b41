"""A chunk seal (1,024 rows) is re-sealed after a write only if the chunk was whole before it — judged from the
rows' values before the transaction, which the seal triggers keep. Property: any mix of inserts, updates, key
changes and deletes, in committed or rolled-back transactions, never breaks a chunk (no false alarm); and a row
changed behind the software stays found after any such writes in its chunk. On a file and on the county server."""

from __future__ import annotations

import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from db import seals

KEYS = st.sampled_from([f"t.{c}" for c in "abcde"])
OPS = st.lists(st.one_of(
    st.tuples(st.just("ins"), KEYS, st.text("甲乙丙12", max_size=3)),
    st.tuples(st.just("upd"), KEYS, st.text("甲乙丙12", max_size=3)),
    st.tuples(st.just("ren"), KEYS, KEYS),
    st.tuples(st.just("del"), KEYS, st.just("")),
), max_size=6)
TRANSACTIONS = st.lists(st.tuples(OPS, st.booleans()), min_size=1, max_size=4)  # (ops, committed?)
SQL = {
    "ins": "INSERT INTO settings(key, value) VALUES (:k, :v) ON CONFLICT (key) DO NOTHING",
    "upd": "UPDATE settings SET value = :v WHERE key = :k",
    "ren": "UPDATE settings SET key = :v WHERE key = :k AND NOT EXISTS (SELECT 1 FROM settings s2 WHERE s2.key = :v)",
    "del": "DELETE FROM settings WHERE key = :k",
}


class Rollback(Exception):
    pass


def _run(ledger, transactions) -> None:
    for ops, committed in transactions:
        try:
            with ledger.db.write() as s:
                for op, k, v in ops:
                    s.execute(text(SQL[op]), {"k": k, "v": v})
                if not committed:
                    raise Rollback
        except Rollback:
            pass


def _problems(ledger) -> list[tuple[str, str]]:
    with ledger.db.read() as s:
        _n, found, _total = seals.verify(s.connection().connection.dbapi_connection, ledger.db.seal_key, limit=100)
    return [(p.table, p.kind) for p in found]


def _behind(request, backend, ledger, sql: str) -> None:
    """A change made with a database tool (no triggers of ours, nothing noted)."""
    if backend == "postgresql":
        request.getfixturevalue("pg_server").psql(sql, ledger.db.url.database)
        return
    con = sqlite3.connect(ledger.path)
    con.execute(sql)
    con.commit()
    con.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(transactions=TRANSACTIONS)
def test_legitimate_writes_never_break_a_chunk(ledger, transactions):
    _run(ledger, transactions)
    assert _problems(ledger) == []


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(transactions=TRANSACTIONS)
def test_a_row_changed_behind_the_software_stays_found_after_writes_in_its_chunk(request, backend, ledger,
                                                                                  transactions):
    with ledger.db.write() as s:
        s.execute(text("INSERT INTO settings(key, value) VALUES ('z.kept', '原值') ON CONFLICT (key) DO NOTHING"))
        s.execute(text("UPDATE settings SET value = '原值' WHERE key = 'z.kept'"))
    assert _problems(ledger) == []
    _behind(request, backend, ledger, "UPDATE settings SET value = '改过' WHERE key = 'z.kept'")
    _run(ledger, transactions)
    assert ("settings", "changed") in _problems(ledger)
    with ledger.db.write() as s:  # the software writes the row back: legitimate again (the next example starts whole)
        s.execute(text("UPDATE settings SET value = '原值' WHERE key = 'z.kept'"))
    _accept(ledger)


def _accept(ledger) -> None:
    """What 确认当前数据 does after an administrator has looked: every row sealed as it is."""
    with ledger.db.write() as s:
        seals.seal_all(s.connection().connection.dbapi_connection, ledger.db.seal_key)
