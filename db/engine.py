"""Engine and session factory for the ledger's SQLite file."""

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


def make_engine(path: Path | str) -> Engine:
    url = "sqlite://" if str(path) == ":memory:" else f"sqlite:///{Path(path)}"
    engine = create_engine(url, connect_args={"isolation_level": None, "check_same_thread": False})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


class Database:
    """An open ledger file: hands out read sessions and write transactions."""

    def __init__(self, path: Path, engine: Engine, *, read_only: bool = False) -> None:
        self.path = path
        self.engine = engine
        self.read_only = read_only
        self._reader = sessionmaker(bind=engine, expire_on_commit=False)
        self._writer = sessionmaker(bind=engine.execution_options(ledger_write=True), expire_on_commit=False)

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

    def dispose(self) -> None:
        self.engine.dispose()
