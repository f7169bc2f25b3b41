"""The county server: the same ledger in a PostgreSQL database (psycopg 3), several clients at once.

What replaces the SQLite file's single writer:
- every write transaction first takes one transaction-scoped advisory lock (``WRITE_LOCK``), so
  writes run one after another exactly as on a file (the audit chain never forks); a writer that
  waits longer than ``write_wait_s()`` gets a Chinese message naming who is writing;
- reads run in REPEATABLE READ: one snapshot for the whole read;
- migrations take ``MIGRATE_LOCK`` (session-scoped): two clients opening an empty database at once →
  one migrates, the other waits and then finds the schema at head.
Each connection names itself (``application_name``: who and on which PC) so the message can say who
holds the lock. Strings: PostgreSQL enforces VARCHAR lengths that SQLite ignores, so every String
column is created without a length on PostgreSQL (the lengths stay the validation's business).
"""

from __future__ import annotations

import base64
import os
import socket
from datetime import datetime

from sqlalchemy import Engine, String, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.pool import NullPool
from sqlalchemy.types import VARCHAR

from . import seals, seals_pg
from .errors import DatabaseError
from .url import ServerUrl

LOCK_CLASS = 0x4C454447  # "LEDG": the high half of the ledger's advisory lock keys
WRITE_LOCK = (LOCK_CLASS << 32) | 1
MIGRATE_LOCK = (LOCK_CLASS << 32) | 2
APP_TAG = "dangjian:"


@compiles(String, "postgresql")
@compiles(VARCHAR, "postgresql")
def _unbounded_varchar(type_, compiler, **kw) -> str:
    """Every string the SQLite build stores is stored on the server too: no length limit in the DDL."""
    return "VARCHAR"


def write_wait_s() -> float:
    """How long a writer waits for another client's write before giving up (DANGJIAN_WRITE_WAIT_S)."""
    try:
        return max(0.1, float(os.environ.get("DANGJIAN_WRITE_WAIT_S", "15")))
    except ValueError:
        return 15.0


def who_am_i(user: str) -> str:
    """application_name of this client's connections: who and on which PC. PostgreSQL keeps only
    printable ASCII there (63 bytes), so the words travel base64-encoded behind an ASCII tag."""
    words = f"{user}@{socket.gethostname()}".encode()
    cut = 39  # base64 of 39 bytes is 52 characters: with the tag, within 63
    while cut and (words[:cut] + b"x").decode("utf-8", "ignore") != words[:cut].decode("utf-8", "ignore") + "x":
        cut -= 1  # never split a character
    return APP_TAG + base64.urlsafe_b64encode(words[:cut]).decode("ascii")


def _who_from(app_name: str) -> str:
    if not app_name.startswith(APP_TAG):
        return ""
    try:
        return base64.urlsafe_b64decode(app_name[len(APP_TAG):]).decode("utf-8", "ignore")
    except ValueError:
        return ""


def _holder(conn) -> str:
    """Who holds the write lock right now, in words ("" when nobody or not visible)."""
    row = conn.exec_driver_sql(
        "SELECT a.application_name, a.client_addr::text, a.xact_start FROM pg_locks l "
        "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
        f"AND l.classid = {LOCK_CLASS} AND l.objid = {WRITE_LOCK & 0xFFFFFFFF} AND l.objsubid = 1 LIMIT 1"
    ).first()
    if row is None:
        return ""
    app, addr, since = row
    who = _who_from(app or "") or "另一个客户端"
    where = f"（{addr}）" if addr else ""
    when = f"，从 {since.astimezone().strftime('%H:%M:%S')} 起" if isinstance(since, datetime) else ""
    return f"“{who}”{where}{when}"


def _on_begin(conn) -> None:
    if not conn.get_execution_options().get("ledger_write", False):
        return
    got = conn.exec_driver_sql(f"SELECT pg_try_advisory_xact_lock({WRITE_LOCK})").scalar()
    if got:
        return
    holder = _holder(conn)
    wait = write_wait_s()
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(wait * 1000)}ms'")
    try:
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
    except OperationalError as e:
        if getattr(e.orig, "sqlstate", "") != "55P03":  # lock_not_available
            raise
        raise DatabaseError(
            f"{holder or '另一个客户端'}正在向服务器保存修改，等了 {wait:g} 秒仍未轮到：刚才的修改没有保存，请稍后再试"
        ) from None
    conn.exec_driver_sql("SET LOCAL lock_timeout = 0")


def _on_connect(dbapi_conn, _record) -> None:
    # The scratch table in which the seal triggers note changed rows (db/seals_pg.py); TEMP, so it
    # exists only on this software's connections and a psql session's edits are never noted.
    with dbapi_conn.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'")
        cur.execute("CREATE TEMP TABLE IF NOT EXISTS seal_pending (tbl text NOT NULL, row_id bigint NOT NULL)")
    seals_pg.create_old_tables(dbapi_conn)  # none yet on an empty database: made on the connections after migrating
    dbapi_conn.commit()


def make_server_engine(url: ServerUrl, seal_key: bytes = seals.LEGACY_KEY, *, user: str = "管理员",
                       pooled: bool = True) -> Engine:
    """An engine on the server database; the password goes to psycopg only, never into the URL text."""
    args = {**url.connect_args(), "application_name": who_am_i(user)}
    kw = {} if pooled else {"poolclass": NullPool}
    engine = create_engine("postgresql+psycopg://", connect_args=args, pool_pre_ping=True, **kw)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "connect", lambda _c, record: record.info.__setitem__(seals.KEY_INFO, seal_key))
    event.listen(engine, "begin", _on_begin)
    return engine


def connection_problem(error: BaseException, url: ServerUrl) -> DatabaseError:
    """A failed connection in words (never with the password); ``needs_password`` tells the caller to ask."""
    text = str(getattr(error, "orig", None) or error)
    low = text.lower()
    if "no password supplied" in low or "password authentication failed" in low:
        e = DatabaseError(f"连接服务器 {url} 被拒绝：用户名或密码不对（或没有提供密码）")
        e.needs_password = True  # type: ignore[attr-defined]
        return e
    if "does not exist" in low and "database" in low:
        return DatabaseError(f"服务器上没有数据库“{url.database}”：请管理员先建立（见 docs/server.md）")
    if "connection refused" in low or "could not connect" in low or "timeout" in low or "translate host" in low:
        return DatabaseError(f"连不上服务器 {url.host}:{url.port}：请检查网络、地址和端口，或服务器是否已启动")
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    if url.password:
        first = first.replace(url.password, "***")
    return DatabaseError(f"连接服务器 {url} 失败：{first}")
