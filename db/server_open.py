"""Where a server database's local key folder is, and whether the database sorts as SQLite does.

(Opening and migrating a server database is db/migrate.py's ``open_server``.) The database must sort
text by code point (collation "C"),
as SQLite does, so Chinese names come out in the same order on both (docs/server.md shows how to
create it so).
"""

from __future__ import annotations

from pathlib import Path

from .errors import DatabaseError
from .url import ServerUrl

SORTS_LIKE_SQLITE = ("C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic")


def default_key_home() -> Path:
    import os

    from platformdirs import user_data_dir

    base = os.environ.get("DANGJIAN_DATA_DIR") or user_data_dir("dangjian-ledger", appauthor=False)
    return Path(base) / "servers"


def stand_in(url: ServerUrl, key_home: Path | None = None) -> Path:
    """The local path standing for this server database: its ``.keys`` folder holds the seal key and
    this client's audit anchor (db/keys.py)."""
    return (key_home or default_key_home()) / url.local_name()


def check_collation(conn, url: ServerUrl) -> None:
    collate = conn.exec_driver_sql(
        "SELECT datcollate FROM pg_database WHERE datname = current_database()").scalar()
    if collate not in SORTS_LIKE_SQLITE:
        raise DatabaseError(
            f"服务器数据库“{url.database}”的排序规则是“{collate}”，不是“C”：中文名称的排列会与单机版不同。"
            "请按 docs/server.md 用 LC_COLLATE 'C' 建立数据库")
