"""Where a ledger lives: a local SQLite file, or a database on the county's PostgreSQL server.

``postgresql://user[:password]@host[:port]/database`` names a server database; any other
``scheme://`` is refused (never taken as a file name, as ``Path`` would silently do: a
``postgresql:/…`` SQLite file). The password is kept only to connect: ``str()`` and ``repr()``
never show it, so it cannot reach a message, a log line or the recent-files list. Without a password
in the URL libpq looks in the pgpass file (PGPASSFILE or ~/.pgpass, %APPDATA%\\postgresql\\pgpass.conf
on Windows); the CLI and the GUI ask for it when the server says one is needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from .errors import DatabaseError

SCHEME = "postgresql"
# A scheme is two or more letters then ":/" — a Windows drive ("C:/", "C:\\") is one letter. The form
# with one slash is what pathlib leaves of "scheme://…", so such a value is recognised too.
_SCHEME_LIKE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]+):/")
_NAME = re.compile(r"^[^\x00-\x1f/]{1,63}$")
USAGE = "postgresql://用户名[:密码]@主机[:端口]/数据库名"


def looks_like_url(value: object) -> bool:
    return bool(_SCHEME_LIKE.match(str(value)))


@dataclass(frozen=True)
class ServerUrl:
    user: str
    host: str
    database: str
    port: int = 5432
    password: str | None = field(default=None, repr=False, compare=False)

    def __str__(self) -> str:
        """The URL as shown to people and written to logs: never the password."""
        host = f"[{self.host}]" if ":" in self.host else quote(self.host, safe="")
        return f"{SCHEME}://{quote(self.user, safe='')}@{host}:{self.port}/{quote(self.database, safe='')}"

    @property
    def name(self) -> str:
        """What stands where a file name would: the database and its server."""
        return f"{self.database}（{self.host}:{self.port}）"

    def with_password(self, password: str | None) -> ServerUrl:
        return replace(self, password=password)

    def connect_args(self) -> dict[str, object]:
        """psycopg keyword arguments (never a URL string with the password inside)."""
        args: dict[str, object] = {"user": self.user, "host": self.host, "port": self.port,
                                   "dbname": self.database, "connect_timeout": 10}
        if self.password is not None:
            args["password"] = self.password
        return args

    def local_name(self) -> str:
        """A file-system-safe name for this database's local key folder (db/keys.py)."""
        raw = f"{self.user}@{self.host}-{self.port}-{self.database}"
        return re.sub(r"[^\w.@-]", "_", raw)


def parse(value: str) -> ServerUrl:
    """The server database named by ``value``; DatabaseError (one line) for anything else."""
    text = str(value).strip()
    m = _SCHEME_LIKE.match(text)
    scheme = m.group(1).lower() if m else ""
    if scheme != SCHEME:
        shown = scheme or text.split(":", 1)[0]
        raise DatabaseError(f"不支持的数据库地址类型“{shown}”：只能是数据库文件，或 {USAGE}")
    if not text[len(scheme) + 1:].startswith("//"):
        raise DatabaseError(f"服务器地址格式不对：应为 {USAGE}")
    try:
        parts = urlsplit(text)
        port = parts.port or 5432
    except ValueError:
        raise DatabaseError(f"服务器地址的端口不对：应为 1–65535 的数字（{USAGE}）") from None
    if parts.query or parts.fragment:
        raise DatabaseError(f"服务器地址不能带“?”或“#”后面的参数：应为 {USAGE}")
    user = unquote(parts.username or "")
    host = unquote(parts.hostname or "")
    database = unquote(parts.path.lstrip("/"))
    if not user:
        raise DatabaseError(f"服务器地址缺少用户名：应为 {USAGE}")
    if not host:
        raise DatabaseError(f"服务器地址缺少主机名：应为 {USAGE}")
    if not database or not _NAME.match(database):
        raise DatabaseError(f"服务器地址缺少数据库名（或名称不对）：应为 {USAGE}")
    password = unquote(parts.password) if parts.password is not None else None
    return ServerUrl(user=user, host=host, database=database, port=port, password=password)


Target = Path | ServerUrl


def target(value: str | Path | ServerUrl) -> Target:
    """A ``--db`` / DANGJIAN_DB / open-dialog value as a file path or a server database."""
    if isinstance(value, ServerUrl):
        return value
    if looks_like_url(value):
        return parse(str(value))
    return Path(value)


def is_server(value: object) -> bool:
    return isinstance(value, ServerUrl)
