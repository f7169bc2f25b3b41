"""A real PostgreSQL server for the tests: initdb in a temporary folder, started on a free port.

No mocks: the county-server tests talk to a genuine postgres process. The server listens on
127.0.0.1 (a free port) and on a Unix socket in its own folder, with fsync off (a test server
loses nothing that matters in a power cut). As root (CI and the developers' machines) initdb and
postgres run as the ``postgres`` account through ``runuser``, because PostgreSQL refuses to run as
root. Outside CI a machine without the server binaries skips these tests; under CI=true it fails,
so a missing install step can never turn the server tests green by skipping them.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

SUPERUSER = "postgres"
PASSWORD = "测试-口令-pw"  # the superuser's password over TCP (scram); never printed by the app
_counter = itertools.count(1)


def find_bin_dir() -> Path | None:
    """The folder of initdb/pg_ctl: PATH first, then Debian's /usr/lib/postgresql/<version>/bin (newest)."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    bin_dir: Path
    base: Path
    port: int = 0
    _as_postgres: bool = field(default=False)

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base / "sock"

    def _run(self, *cmd: str, **kw) -> subprocess.CompletedProcess:
        argv = list(cmd)
        if self._as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        return subprocess.run(argv, check=True, capture_output=True, text=True, **kw)

    def start(self) -> None:
        self._as_postgres = os.geteuid() == 0
        self.socket_dir.mkdir(parents=True)
        pwfile = self.base / "pw"
        pwfile.write_text(PASSWORD + "\n", encoding="utf-8")
        if self._as_postgres:
            shutil.chown(self.base, "postgres")
            for p in (self.socket_dir, pwfile):
                shutil.chown(p, "postgres")
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-E", "UTF8",
                  "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={pwfile}",
                  "--no-sync")
        pwfile.unlink()
        self.port = _free_port()
        opts = (f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l",
                  str(self.base / "server.log"), "-w", "-t", "60", "start")

    def stop(self) -> None:
        if self.port:
            with contextlib.suppress(subprocess.CalledProcessError):
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        # Thousands of small files (a database each test): removed in the background, not waited for.
        subprocess.Popen(["rm", "-rf", str(self.base)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run SQL with psql over the Unix socket as the superuser (as a county administrator would)."""
        out = self._run(str(self.bin_dir / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                        "-h", str(self.socket_dir), "-p", str(self.port), "-U", SUPERUSER, "-d", database,
                        "-c", sql)
        return out.stdout.strip()

    def url(self, database: str, *, password: bool = True) -> str:
        secret = f":{PASSWORD}" if password else ""
        from urllib.parse import quote

        return f"postgresql://{SUPERUSER}{quote(secret, safe=':')}@127.0.0.1:{self.port}/{database}"

    password = PASSWORD

    def new_database(self, prefix: str = "ledger", template: str = "template0") -> str:
        """A fresh database, empty or a copy of ``template`` (C collation: names sort by code point, as
        SQLite does); its name."""
        name = f"{prefix}_{os.getpid()}_{next(_counter)}"
        self.psql(f"CREATE DATABASE {name} TEMPLATE {template} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
        return name


def start_server() -> PgServer | str:
    """A running server, or why there cannot be one (the binaries are missing)."""
    bin_dir = find_bin_dir()
    if bin_dir is None or not (bin_dir / "pg_ctl").exists():
        return "找不到 PostgreSQL 服务器程序（initdb / pg_ctl）：请以 root 运行 ./test.sh 安装 postgresql"
    base = Path(tempfile.mkdtemp(prefix="ledger-pg-"))
    os.chmod(base, 0o755)
    server = PgServer(bin_dir, base)
    deadline = time.monotonic() + 5
    while True:
        try:
            server.start()
            return server
        except subprocess.CalledProcessError as e:  # a port taken between choosing and binding: retry
            server.stop()
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL 测试服务器没有启动：{e.stderr or e.stdout}") from e
            base = Path(tempfile.mkdtemp(prefix="ledger-pg-"))
            os.chmod(base, 0o755)
            server = PgServer(bin_dir, base)
