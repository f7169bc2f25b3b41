"""Engine and session factory for the ledger's SQLite file (the county server's engine: db/server.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

# Seal maintenance and plain-words storage errors hook every engine this module makes.
from . import faults, seals  # noqa: F401
from .errors import DatabaseError


def _on_connect(dbapi_conn: sqlite3.Connection, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal" and not _is_memory(dbapi_conn):
        cur.execute("PRAGMA journal_mode=WAL")
    # FULL: a power cut after commit never loses the committed transaction.
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _is_memory(dbapi_conn: sqlite3.Connection) -> bool:
    row = dbapi_conn.execute("PRAGMA database_list").fetchone()
    return not row or not row[2]


def _on_begin(conn) -> None:
    # The driver runs in autocommit mode so that SQLAlchemy owns BEGIN; writers take the
    # write lock up front (IMMEDIATE) so two processes never deadlock upgrading a read lock.
    write = conn.get_execution_options().get("ledger_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(path: Path | str, seal_key: bytes = seals.LEGACY_KEY) -> Engine:
    """An engine whose connections seal rows with ``seal_key`` (the installation's key, db/keys.py)."""
    url = "sqlite://" if str(path) == ":memory:" else f"sqlite:///{Path(path)}"
    engine = create_engine(url, connect_args={"isolation_level": None, "check_same_thread": False})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "connect", lambda _c, record: record.info.__setitem__(seals.KEY_INFO, seal_key))
    event.listen(engine, "begin", _on_begin)
    return engine


class Database:
    """An open ledger file: hands out read sessions and write transactions."""

    def __init__(self, path: Path, engine: Engine, *, read_only: bool = False,
                 seal_key: bytes = seals.LEGACY_KEY, url=None) -> None:
        # On the county server ``url`` is the database (db/url.ServerUrl) and ``path`` a local stand-in
        # whose ``.keys`` folder holds this client's key and anchor (there is no file to back up or lock).
        self.path = path
        self.url = url
        self.engine = engine
        self.seal_key = seal_key  # keys the row seals, the audit chain and its anchor (db/keys.py)
        self.read_only = read_only
        self._anchor_seen: tuple[int, int, str] | None = None  # (last audit id, entries, head) anchored
        reads = engine.execution_options(isolation_level="REPEATABLE READ") if url is not None else engine
        self._reader = sessionmaker(bind=reads, expire_on_commit=False)  # a server read sees one snapshot
        self._writer = sessionmaker(bind=engine.execution_options(ledger_write=True), expire_on_commit=False)

    @property
    def is_server(self) -> bool:
        return self.url is not None

    @property
    def where(self) -> str:
        """The ledger's location in words: the file, or the server database (never its password)."""
        return str(self.url) if self.url is not None else str(self.path)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: commits when the block ends, rolls everything back on any error."""
        if self.read_only:
            raise DatabaseError("数据库以只读方式打开，不能保存修改")
        with self._writer() as session, session.begin():
            yield session
        self.update_anchor()

    def update_anchor(self) -> None:
        """After a committed write: note the audit log's length and head in the key folder (db/keys.py).

        O(1) in the log's length: the count is taken once per open file, then only the entries after
        the last one seen are counted (an index range on the primary key). The log only ever grows
        through this software; if the entry last anchored is gone or changed (entries deleted or
        rewritten behind its back while the file is open), the anchor is left as it was, so the check
        still reports it instead of the anchor following the shortened log."""
        if str(self.path) == ":memory:":
            return
        from sqlalchemy import text

        from .keys import write_anchor

        last_id, known, seen_head = self._anchor_seen or (0, 0, "")
        with self.engine.connect() as conn:
            new, top, head, still = conn.execute(text(
                "SELECT count(*), max(id), (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), "
                "(SELECT hash FROM audit_log WHERE id = :last) FROM audit_log WHERE id > :last"),
                {"last": last_id}).one()
        if last_id and still != seen_head:
            return
        count = known + new
        self._anchor_seen = (top or last_id, count, head or "")
        write_anchor(self.path, self.seal_key, count, head or "")

    def forget_anchor(self) -> None:
        """The log was re-chained on purpose (a new key): count it afresh after the commit."""
        self._anchor_seen = None

    def dispose(self) -> None:
        self.engine.dispose()
