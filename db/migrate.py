"""Open a ledger file: refuse one made by a newer version, back up, then migrate to head."""

from __future__ import annotations

import logging
import re
import sqlite3
from datetime import datetime
from functools import cache
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.exc import OperationalError

from .engine import Database, make_engine
from .errors import DatabaseError
from .filecopy import discard, put_in_place
from .keys import anchor_for_file, copy_keys, seal_key
from .server import MIGRATE_LOCK, connection_problem, make_server_engine
from .server_open import check_collation, stand_in
from .url import ServerUrl, target

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@cache
def known_revisions() -> tuple[frozenset[str], frozenset[str]]:
    """(all revisions this version ships, the head revisions)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return frozenset(r.revision for r in script.walk_revisions()), frozenset(script.get_heads())


_REVISION = re.compile(r"""^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$""", re.MULTILINE)


@cache
def scanned_heads() -> frozenset[str]:
    """The head revisions, read from the ``revision =`` lines of versions/ without importing alembic.

    Opening an up-to-date file is the common case; alembic's import and ScriptDirectory cost
    ~0.2 s of start-up on an old PC. Empty when the files cannot be read that way (e.g. a frozen
    build shipping only .pyc): callers then ask alembic.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    quoted = re.compile(r"""['"]([^'"]+)['"]""")
    try:
        for f in (MIGRATIONS / "versions").glob("*.py"):
            if f.name == "__init__.py":
                continue
            found = dict(_REVISION.findall(f.read_text(encoding="utf-8")))
            rev, down = found.get("revision", ""), found.get("down_revision")
            if not re.fullmatch(r"""(['"])[^'"]+\1""", rev) or down is None or down.count("(") != down.count(")"):
                # A migration written in a form this scan does not understand: trusting the scan could
                # skip it, so let alembic decide.
                return frozenset()
            revisions.add(rev[1:-1])
            parents.update(quoted.findall(down))
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(revisions - parents)


def current_revisions(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return set()
        return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}


def sqlite_backup(source: Path, target: Path) -> Path:
    """Copy a live database with SQLite's online backup API, atomically: a .part file, checked, then
    renamed into place, so an interrupted copy never leaves a backup that looks complete.

    Raises OSError / sqlite3.Error; callers turn them into messages for people.
    """
    target = Path(target)
    part = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(part)
            try:
                src.backup(dst)
                # One self-contained file (no -wal beside it), safe to carry on a USB stick.
                dst.execute("PRAGMA journal_mode=DELETE")
                if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise sqlite3.DatabaseError("备份副本校验未通过")
            finally:
                dst.close()
        finally:
            src.close()
        put_in_place(part, target)
    except BaseException:
        discard(part)
        raise
    return target


def migrate(db: Database, backup_dir: Path | None = None) -> Path | None:
    """Bring the schema to head. Returns the pre-migration backup, if one was taken."""
    current = current_revisions(db)
    if current and current == set(scanned_heads()):
        return None  # already at head: no need to load alembic at all
    from alembic import command

    allrevs, heads = known_revisions()
    unknown = current - allrevs
    if unknown:
        raise DatabaseError(
            f"{'服务器数据库' if db.is_server else '数据库文件'}“{db.url.name if db.is_server else db.path.name}”由更新版本的软件创建（结构版本 {', '.join(sorted(unknown))}），"
            "当前版本无法打开。请升级本软件后再打开。"
        )
    if current == set(heads):
        return None
    backup = None
    if current and not db.is_server and db.path.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        folder = backup_dir or db.path.parent / "backups"
        backup = sqlite_backup(db.path, folder / f"{db.path.stem}-升级前-{stamp}.sqlite")
        copy_keys(db.path, backup)  # the key folder travels with every backup (db/keys.py)
        anchor_for_file(backup, db.seal_key)
        log.info("pre-migration backup written to %s", backup)
    cfg = _alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
    if current and not db.is_server and str(db.path) != ":memory:":
        # The connections' TEMP seal triggers were made for the old schema (a table or sealed column added
        # since has none): fresh connections make them for the new one.
        db.engine.dispose()
    return backup


def migrate_server(db: Database) -> None:
    """The county server: migrate under MIGRATE_LOCK (two clients opening an empty database at once →
    one migrates, the other waits here and then finds it at head); then (re)install the seal triggers."""
    from . import seals_pg

    with db.engine.connect() as conn:
        check_collation(conn, db.url)
        conn.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATE_LOCK})")
        conn.commit()
        try:
            migrate(db)
            with conn.begin():
                seals_pg.install_server_triggers(conn.connection.dbapi_connection)
        finally:
            conn.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATE_LOCK})")
            conn.commit()
    # Connections made before the tables existed have no TEMP tables for the rows' old values: fresh ones do.
    db.engine.dispose()


def open_server(url: ServerUrl, *, read_only: bool = False, user: str = "管理员",
                key_home: Path | None = None) -> Database:
    """Connect to a server database (db/server.py), check it and bring it to head."""
    path = stand_in(url, key_home)
    key = seal_key(path)[0]
    engine = make_server_engine(url, key, user=user)
    try:
        engine.connect().close()
    except OperationalError as e:
        engine.dispose()
        raise connection_problem(e, url) from None
    db = Database(path, engine, read_only=read_only, seal_key=key, url=url)
    try:
        if read_only:
            if current_revisions(db) != set(known_revisions()[1]):
                raise DatabaseError("只读打开的服务器数据库结构不是最新版本，请先以可写方式连接一次")
        else:
            migrate_server(db)
    except Exception:
        db.dispose()
        raise
    return db


def open_database(path, *, backup_dir: Path | None = None, read_only: bool = False,
                  user: str = "管理员", key_home: Path | None = None) -> Database:
    """Open (creating if needed) and migrate the ledger at ``path``: a file, or a server database
    (db/url.ServerUrl, or a ``postgresql://`` string). ``key_home`` is the folder of the key folders of
    server databases (the app's data folder/servers)."""
    path = target(path)
    if isinstance(path, ServerUrl):
        return open_server(path, read_only=read_only, user=user, key_home=key_home)
    if str(path) == ":memory:":
        key = seal_key(Path(":memory:"))[0]
        db = Database(Path(":memory:"), make_engine(":memory:", key), seal_key=key)
        migrate(db)
        return db
    path = Path(path).expanduser().resolve()
    if path.exists() and path.is_dir():
        raise DatabaseError(f"“{path}”是一个文件夹，不是数据库文件")
    if path.exists() and path.stat().st_size > 0:
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise DatabaseError(f"“{path.name}”不是本软件的数据库文件（也不是 SQLite 文件）")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = seal_key(path)[0]
    db = Database(path, make_engine(path, key), read_only=read_only, seal_key=key)
    try:
        if not read_only:
            migrate(db, backup_dir)
        else:
            current = current_revisions(db)
            if not current or (current != set(scanned_heads()) and current != set(known_revisions()[1])):
                raise DatabaseError("只读打开的数据库结构不是最新版本，请先以可写方式打开一次")
    except Exception:
        db.dispose()
        raise
    return db
