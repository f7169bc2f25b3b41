"""Backups of the ledger file with SQLite's online backup API: automatic, thinned, previewed, restorable."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import socket
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.domain.backup_policy import backups_to_delete
from app.errors import ConflictError, DatabaseError, NotFoundError, ValidationError
from app.services.kernel import audit, permissions
from app.services.kernel.context import Ledger
from db import keys, seals
from db.filecopy import checkpoint_now, copy_still_file, wal_is_empty
from db.filelock import holder
from db.migrate import sqlite_backup
from db.models_safety import BackupLog

# Automatic backups are thinned; these are kept until the user deletes them.
KEEP_ALWAYS = ("手动", "恢复前")
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}(?:-\d{3})?)-(?P<reason>[^-]+)\.sqlite$")
_OLD_NAME = re.compile(r"^(?P<stem>.+)-(?P<reason>[^-]+)-(?P<stamp>\d{8}-\d{6})\.sqlite$")  # db/migrate.py's


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    at: datetime
    reason: str
    size: int
    organizations: int | None  # None when the file cannot be read
    last_entry_at: datetime | None
    last_entry: str
    problem: str  # "" when the file is a usable ledger
    keys: bool = False  # the key folder (seal key, signing key, pins, anchor) is beside it
    unit_id: str = ""  # the 本单位标识 inside the copy ("" for a file made before units had one)
    unit_name: str = ""
    source_stem: str = ""  # the name of the ledger file it was made from (its file name says so)
    mine: bool = True  # a backup of the ledger being asked about (see belongs)


    @property
    def ok(self) -> bool:
        return not self.problem


# The county server has no file to copy: its administrator backs it up with pg_dump (docs/server.md).
SERVER_BACKUPS = "服务器数据库由管理员用 pg_dump 定时备份、用 pg_restore 恢复（见 docs/server.md）"
NO_COPY_ON_SERVER = "无（服务器数据库不做导入前文件备份；可用“撤销上次导入”撤销）"


def file_only(ledger: Ledger, what: str) -> None:
    """Refuse a feature that copies or replaces the data file when the ledger is a server database."""
    if ledger.db.is_server:
        raise DatabaseError(f"{what}只适用于本机的数据库文件，不适用于服务器数据库：{SERVER_BACKUPS}")


def backup_folder(ledger: Ledger) -> Path:
    from app.services.kernel import settings

    configured = str(settings.get(ledger, "backup_dir") or "").strip()
    return Path(configured) if configured else ledger.path.parent / "backups"


def _disk_message(err: BaseException) -> str:
    text = str(err)
    if (isinstance(err, OSError) and err.errno == errno.ENOSPC) or "disk is full" in text or "No space" in text:
        return "磁盘空间不足"
    if isinstance(err, PermissionError) or (isinstance(err, OSError) and err.errno in (errno.EACCES, errno.EROFS)):
        return "没有写入权限（U 盘写保护或文件夹只读？）"
    return text


def copy_database(source: Path, target: Path) -> Path:
    """Copy a live ledger to ``target`` atomically (db.migrate.sqlite_backup), in words people read."""
    try:
        return sqlite_backup(source, Path(target))
    except (OSError, sqlite3.Error) as e:
        raise DatabaseError(f"备份到“{Path(target).parent}”失败：{_disk_message(e)}。现有数据未受影响。") from e


def _carry_keys(ledger: Ledger, written: Path) -> None:
    """Put the key folder beside a backup: the seal key, signing key and pins, and an anchor of the copy's
    own audit log. Without them the backup could not be verified after a restore. On failure the backup
    is removed again (a backup without its keys would look like another installation's)."""
    if keys.folder_for(ledger.path) is None:
        return
    try:
        keys.copy_keys(ledger.path, written)
        keys.anchor_for_file(written, ledger.db.seal_key)
    except (OSError, sqlite3.Error) as e:
        keys.remove_folder(written)
        written.unlink(missing_ok=True)
        raise DatabaseError(f"备份密钥文件夹到“{written.parent}”失败：{_disk_message(e)}。现有数据未受影响。") from e


ORIGIN = "origin.json"  # in a backup's key folder: which ledger file it was made from


def _note_origin(ledger: Ledger, written: Path) -> None:
    """Say in the backup's key folder which ledger file it came from, so a backup saved under any name
    (backup -o 手动备份.sqlite) is still known as this ledger's."""
    from app.services.kernel.identity import unit_id

    folder = keys.folder_for(written)
    if folder is None or not folder.is_dir():
        return
    with contextlib.suppress(OSError):  # without it the file name and the unit inside still tell
        (folder / ORIGIN).write_text(json.dumps({"ledger": str(ledger.path), "stem": ledger.path.stem,
                                                 "unit_id": unit_id(ledger)}, ensure_ascii=False),
                                     encoding="utf-8")


def _source_stem(path: Path) -> str:
    """The name of the ledger file a backup was made from: its origin note, else its file name."""
    folder = keys.folder_for(path)
    if folder is not None:
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
            return str(json.loads((folder / ORIGIN).read_text(encoding="utf-8"))["stem"])
    m = _NAME.match(path.name) or _OLD_NAME.match(path.name)
    return m.group("stem") if m else ""


def _audit_head(ledger: Ledger) -> str:
    with ledger.db.read() as s:
        return audit.head(s)


def backup_now(ledger: Ledger, reason: str = "手动", target: Path | None = None) -> Path:
    """Copy the live database to the backup folder (or ``target``); returns the file written.

    The online backup API reads a snapshot, so saving goes on meanwhile (a start-up backup to a
    slow USB stick must not hold up the user's edits); the copy is quick_checked before renaming.
    """
    file_only(ledger, "备份")
    reason, default = _target(ledger, reason)
    target = Path(target) if target else default
    head = _audit_head(ledger)
    written = copy_database(ledger.path, target)
    _carry_keys(ledger, written)
    _note_origin(ledger, written)
    if not ledger.db.read_only:
        try:
            with ledger.db.write() as s:
                s.add(BackupLog(path=str(written), reason=reason, size=written.stat().st_size, audit_head=head))
        except DatabaseError:
            pass  # a file opened for viewing only: the backup stands, it just is not logged
    return written


def _target(ledger: Ledger, reason: str) -> tuple[str, Path]:
    reason = reason.replace("-", "").strip() or "手动"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")[:-3]
    return reason, backup_folder(ledger) / f"{ledger.path.stem}-{stamp}-{reason}.sqlite"


@contextmanager
def write_after_backup(ledger: Ledger, reason: str, target: Path | None = None) -> Iterator[tuple[Session, Path]]:
    """One write transaction that commits only after a backup of the file exactly as it stood.

    The backup is taken under the write lock, so it is precisely the state the transaction starts
    from (nothing can be committed in between). When the WAL could be emptied first, the file
    itself is copied (db/filecopy.py), and while it is copied the caller's writes already run: in
    WAL mode they go to the WAL, never into the main file, until the commit, which waits for the
    copy. Otherwise the online backup API copies it first (a reader, allowed beside our lock). If
    the backup fails, the transaction is rolled back: nothing is written without one.
    """
    if ledger.db.is_server:  # no file to copy; the import batch keeps what undo needs
        with ledger.db.write() as s:
            yield s, NO_COPY_ON_SERVER
        return
    folder_reason, default = _target(ledger, reason)
    target = Path(target) if target else default
    if not ledger.db.read_only:  # a viewing-only window leaves another program's file alone
        raw = ledger.db.engine.raw_connection()
        try:
            checkpoint_now(raw.driver_connection)
        finally:
            raw.close()
    with ledger.db.write() as s:
        s.connection()  # BEGIN IMMEDIATE now: from here on nobody else can write
        head = audit.head(s)
        if _in_wal_mode(s) and wal_is_empty(ledger.path):
            with ThreadPoolExecutor(1, thread_name_prefix="backup") as pool:
                copying = pool.submit(copy_still_file, ledger.path, target, audit_head=head)
                try:
                    yield s, target
                finally:
                    error = copying.exception()  # waits: the commit must not come before the copy
            written = _after_fast_copy(ledger, target, error)
        else:
            written = copy_database(ledger.path, target)
            yield s, written
        _carry_keys(ledger, written)  # before the commit: no import is written without a complete backup
        s.add(BackupLog(path=str(written), reason=folder_reason, size=written.stat().st_size, audit_head=head))


def _in_wal_mode(s: Session) -> bool:
    """Only in WAL mode do uncommitted writes stay out of the main file (a rollback journal lets a
    large transaction spill pages into it before the commit), so only then may the copy run beside them."""
    conn = s.connection()
    mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    locking = conn.exec_driver_sql("PRAGMA locking_mode").scalar()
    return str(mode).lower() == "wal" and str(locking).lower() == "normal"


def _after_fast_copy(ledger: Ledger, target: Path, error: BaseException | None) -> Path:
    if error is None:
        return target
    if isinstance(error, (OSError, sqlite3.Error)) and _disk_message(error) == str(error):
        # e.g. Windows refusing to read the byte SQLite locks in a file over 1 GiB: copy page by page
        # instead (it reads the committed state, which our uncommitted writes are not part of).
        return copy_database(ledger.path, target)
    if isinstance(error, (OSError, sqlite3.Error)):
        raise DatabaseError(f"备份到“{target.parent}”失败：{_disk_message(error)}。现有数据未受影响。") from error
    raise error


def _replace_file(source: Path, live: Path, saved: Path) -> None:
    part = live.with_name(live.name + ".restore")
    try:
        copy_database(source, part)
        for suffix in ("-wal", "-shm"):
            live.with_name(live.name + suffix).unlink(missing_ok=True)
        os.replace(part, live)
    except (OSError, DatabaseError) as e:
        part.unlink(missing_ok=True)
        raise DatabaseError(f"恢复失败：{e}。当前数据另有副本：{saved}") from e


def _raw_copy(live: Path, folder: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")[:-3]
    target = folder / f"{live.stem}-{stamp}-恢复前.sqlite"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(live, target)
        wal = live.with_name(live.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, target.with_name(target.name + "-wal"))
    except OSError as e:
        raise DatabaseError(f"无法先保存当前数据文件：{_disk_message(e)}；为安全起见没有恢复") from e
    return target


def changed_since_last_backup(ledger: Ledger) -> bool:
    with ledger.db.read() as s:
        logs = s.scalars(select(BackupLog).order_by(BackupLog.id.desc()).limit(20)).all()
        last = next((b for b in logs if Path(b.path).exists()), None)
    return last is None or last.audit_head != _audit_head(ledger)


def auto_backup(ledger: Ledger, reason: str) -> Path | None:
    """Back up (at start-up, on exit…) only if the data changed since the last backup; then thin.
    Never on a server database (SERVER_BACKUPS)."""
    if ledger.db.is_server or ledger.db.read_only or not changed_since_last_backup(ledger):
        return None
    path = backup_now(ledger, reason)
    thin(ledger)
    return path


def _parse(path: Path) -> tuple[datetime, str] | None:
    m = _NAME.match(path.name) or _OLD_NAME.match(path.name)
    if not m:
        return None
    stamp = m.group("stamp")
    fmt = "%Y%m%d-%H%M%S-%f" if stamp.count("-") == 2 else "%Y%m%d-%H%M%S"
    try:
        return datetime.strptime(stamp, fmt), m.group("reason")
    except ValueError:
        return None


def thin(ledger: Ledger, folder: Path | None = None) -> list[Path]:
    """Delete automatic backups beyond 7 daily, 4 weekly and 12 monthly; returns those deleted."""
    folder = folder or backup_folder(ledger)
    stem = ledger.path.stem
    auto: dict[datetime, list[Path]] = {}
    for p in folder.glob(f"{stem}-*.sqlite"):
        m = _NAME.match(p.name) or _OLD_NAME.match(p.name)
        if m is None or m.group("stem") != stem:
            continue  # "台账-副本-…" is another ledger's backup, not one of "台账"'s
        parsed = _parse(p)
        if parsed and parsed[1] not in KEEP_ALWAYS:
            auto.setdefault(parsed[0], []).append(p)
    deleted = []
    for stamp in backups_to_delete(auto):
        for p in auto[stamp]:
            try:
                p.unlink()
                keys.remove_folder(p)
                deleted.append(p)
            except OSError:
                pass  # a file in use or on a read-only stick stays; thinning tries again next time
    return deleted


def inspect_file(path: Path) -> tuple[int | None, datetime | None, str, str]:
    """(organisations, last audit time, last audit text, problem) read from a backup without changing it."""
    found = _inspect(path)
    return found[0], found[1], found[2], found[3]


def _inspect(path: Path) -> tuple[int | None, datetime | None, str, str, str, str]:
    """inspect_file's answer and the copy's own unit id and unit name."""
    try:
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return None, None, "", "不是本软件的数据文件", "", ""
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            orgs = con.execute("SELECT count(*) FROM organizations").fetchone()[0]
            row = con.execute("SELECT at, user, summary FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
            unit = con.execute("SELECT value FROM settings WHERE key = 'unit_id'").fetchone()
            name = con.execute("SELECT name FROM organizations WHERE parent_id IS NULL ORDER BY sort_order, id "
                               "LIMIT 1").fetchone()
        finally:
            con.close()
    except (OSError, sqlite3.Error) as e:
        return None, None, "", f"无法读取：{e}", "", ""
    unit_id = ""
    if unit is not None:
        with contextlib.suppress(ValueError, TypeError):
            unit_id = str(json.loads(unit[0]))
    unit_name = str(name[0]) if name else ""
    if row is None:
        return orgs, None, "", "", unit_id, unit_name
    at = datetime.fromisoformat(str(row[0]))
    return orgs, at, f"{row[1]}：{row[2]}", "", unit_id, unit_name


def belongs(ledger_stem: str, ledger_unit: str, info: BackupInfo) -> bool:
    """A backup is this ledger's when it holds the same unit and was made from a file of the same name;
    a file from before units had an id is judged by its name, one of unknown origin by its unit alone."""
    if info.unit_id and ledger_unit and info.unit_id != ledger_unit:
        return False
    if info.source_stem:
        return info.source_stem == ledger_stem
    return bool(info.unit_id) and info.unit_id == ledger_unit


def list_backups(ledger: Ledger, folder: Path | None = None) -> list[BackupInfo]:
    """Every backup in the folder, newest first, with a preview of its content; ``mine`` tells this
    ledger's backups from those of other ledger files kept in the same folder."""
    from app.services.kernel.identity import unit_id

    file_only(ledger, "备份列表")
    folder = folder or backup_folder(ledger)
    stem, unit = ledger.path.stem, unit_id(ledger)
    out = []
    for p in folder.glob("*.sqlite") if folder.is_dir() else []:
        parsed = _parse(p)
        at, reason = parsed if parsed else (datetime.fromtimestamp(p.stat().st_mtime), "其他")
        orgs, last_at, last, problem, their_unit, unit_name = _inspect(p)
        info = BackupInfo(p, at, reason, p.stat().st_size, orgs, last_at, last, problem, keys.has_keys(p),
                          their_unit, unit_name, _source_stem(p))
        out.append(replace(info, mine=belongs(stem, unit, info)))
    return sorted(out, key=lambda b: (not b.mine, -b.at.timestamp()))


def origin_of(ledger: Ledger, source: Path) -> str:
    """Why a file is not a backup of this ledger, in words naming both; "" when it is."""
    from app.services.kernel.identity import unit_id

    _o, _a, _l, _p, their_unit, unit_name = _inspect(source)
    info = BackupInfo(source, datetime.now(), "", 0, None, None, "", "", False, their_unit, unit_name,
                      _source_stem(source))
    unit = unit_id(ledger)
    if belongs(ledger.path.stem, unit, info):
        return ""
    if their_unit and unit and their_unit != unit:
        return (f"“{source.name}”是另一个单位（{unit_name or '未知单位'}）的数据，"
                f"当前打开的是“{ledger.path.name}”（{_unit_name(ledger)}）")
    made_from = f"数据文件“{info.source_stem}.sqlite”" if info.source_stem else "其他文件"
    return f"“{source.name}”是{made_from}的备份，不是当前打开的“{ledger.path.name}”的备份"


def _unit_name(ledger: Ledger) -> str:
    with ledger.db.read() as s:
        return s.scalar(text("SELECT name FROM organizations WHERE parent_id IS NULL ORDER BY sort_order, id "
                             "LIMIT 1")) or "未知单位"


def check_backup(path: Path) -> None:
    """Raise unless ``path`` is a sound ledger file this version can open."""
    from db.migrate import known_revisions

    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"找不到备份文件“{path}”")
    _orgs, _at, _last, problem = inspect_file(path)
    if problem:
        raise ValidationError(f"“{path.name}”{problem}")
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = [r[0] for r in con.execute("PRAGMA integrity_check")]
        revs = {r[0] for r in con.execute("SELECT version_num FROM alembic_version")}
    except sqlite3.Error as e:
        raise ValidationError(f"“{path.name}”无法读取：{e}") from e
    finally:
        con.close()
    if result != ["ok"]:
        raise ValidationError(f"“{path.name}”已损坏，不能用于恢复：{result[0]}")
    if revs - known_revisions()[0]:
        raise ValidationError(f"“{path.name}”由更新版本的软件创建，当前版本不能恢复它")


@dataclass(frozen=True)
class Restored:
    saved: Path  # the data as it was before the restore, kept as a "恢复前" backup (with its key folder)
    keys: str  # what happened to the key folder, in words people read


def _backup_key_state(source: Path, current_key: bytes) -> tuple[bytes | None, str]:
    """(the backup's own seal key or None, its key state against that key or this installation's)."""
    own = None
    if keys.has_keys(source):
        try:
            own = keys.seal_key(source, create=False)[0]
        except DatabaseError as e:
            raise ValidationError(f"“{source.name}”旁的密钥文件夹已损坏，不能用于恢复：{e}") from None
    con = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        state = seals.key_state(con, own or current_key)
    except sqlite3.Error as e:
        raise ValidationError(f"“{source.name}”无法读取：{e}") from e
    finally:
        con.close()
    return own, state


def restore(ledger: Ledger, source: Path, *, other_ledger: bool = False) -> Restored:
    """Replace the ledger's data with a backup; the current data is first saved as a "恢复前" backup.

    The backup's key folder (seal key, signing key, pins) comes back with it, so the restored file is
    this installation's again; the audit anchor is written afresh for the restored log (audited), so the
    check does not take the older log for a truncated one. A backup made before backups carried keys is
    restored with the keys in place and the result says what that means. ``ledger.db`` is reopened
    (and migrated if the backup is older). A backup of another ledger file or unit is refused unless
    ``other_ledger`` says the user confirmed it by name.
    """
    file_only(ledger, "从备份恢复")
    from db.migrate import open_database

    permissions.require(ledger, "restore")
    held = holder(ledger.path)
    if held is not None and (held.pid, held.host) != (os.getpid(), socket.gethostname()):
        raise DatabaseError(f"{held.describe()}，不能恢复；请对方关闭软件后再试")
    source = Path(source).resolve()
    if source == ledger.path.resolve():
        raise ValidationError("不能用正在使用的数据文件恢复自己")
    check_backup(source)
    foreign = origin_of(ledger, source)
    if foreign and not other_ledger:
        raise ConflictError(f"{foreign}；确需用它替换当前数据时请明确确认（命令行加 --other-ledger）")
    own_key, state = _backup_key_state(source, ledger.db.seal_key)
    try:
        saved = backup_now(ledger, "恢复前")
    except (DatabaseError, SQLAlchemyError, sqlite3.Error):
        # A damaged file may not copy page by page; keep its bytes as they are instead.
        saved = _raw_copy(ledger.path, backup_folder(ledger))
        _keep_keys(ledger.path, saved)
    live = ledger.path
    ledger.db.dispose()
    try:
        _copy_into(source, live, saved)
        if own_key is not None:
            try:
                keys.copy_keys(source, live)
            except OSError as e:
                raise DatabaseError(f"数据已恢复，但无法把备份的密钥文件夹“{keys.folder_for(source)}”复制到"
                                    f"“{keys.folder_for(live)}”：{_disk_message(e)}。请手工复制其中的文件") from e
    finally:
        ledger.db = open_database(live)
    note = _keys_note(ledger, own_key is not None, state)
    with ledger.db.write() as s:  # the commit re-anchors the audit log (db/engine.py) at its restored length
        audit.record(s, ledger, "恢复备份", "backup",
                     summary=f"从“{source.name}”恢复；恢复前的数据已存为“{saved.name}”；{note}；审计锚点按恢复后的记录重新记下"
                     + (f"；经确认使用其他数据文件的备份：{foreign}" if foreign else ""))
    return Restored(saved, note)


def _copy_into(source: Path, live: Path, saved: Path) -> None:
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(live, timeout=10)
            try:
                # Page by page into the live file, inside SQLite's own transaction: a crash midway
                # leaves the old data, never a mixture.
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error:
        _replace_file(source, live, saved)  # the live file is too damaged to write into: swap the whole file
    except OSError as e:
        raise DatabaseError(f"恢复失败：{_disk_message(e)}。原数据未改动，另有副本：{saved}") from e


def _keep_keys(live: Path, saved: Path) -> None:
    with contextlib.suppress(OSError):  # the keys stay in the live folder until a backup with keys replaces them
        keys.copy_keys(live, saved)


def _keys_note(ledger: Ledger, carried: bool, state: str) -> str:
    """Say what the restore did with the keys; re-seal a file from before per-installation keys."""
    from . import integrity

    if state == "legacy":
        integrity.reseal_legacy(ledger)
        return ("备份由旧版本制作（旧的固定封记）：已用本机密钥重新封记并记入审计日志"
                + ("；密钥文件夹一并恢复" if carried else ""))
    if carried:
        return "密钥文件夹（封记密钥、签名密钥、已信任的发送方）一并恢复"
    if state == "ok":
        return "备份不含密钥文件夹，其封记与本机密钥一致：沿用本机密钥"
    return ("备份不含密钥文件夹，且是用另一把密钥封记的（可能来自另一台电脑）：沿用本机密钥，检查会报告"
            "“用另一把密钥封记”；请把当时的 .keys 文件夹放到备份文件旁再恢复，或核实后由管理员“确认当前数据”")


def newest_good(folder: Path, stem: str | None = None) -> Path | None:
    """The newest backup in ``folder`` that passes the checks (used when the live file cannot even be opened);
    with ``stem``, only backups made from a ledger file of that name (another ledger's backups may share
    the folder, and the damaged file's own unit cannot be read to tell them apart)."""
    candidates = []
    for p in folder.glob("*.sqlite") if folder.is_dir() else []:
        m = _NAME.match(p.name) or _OLD_NAME.match(p.name)
        if stem is not None and (m is None or m.group("stem") != stem):
            continue
        parsed = _parse(p)
        candidates.append((parsed[0] if parsed else datetime.fromtimestamp(p.stat().st_mtime), p))
    for _at, p in sorted(candidates, reverse=True):
        try:
            check_backup(p)
        except (ValidationError, NotFoundError):
            continue
        return p
    return None


def emergency_restore(live: Path, source: Path) -> Path:
    """Replace a live file that cannot be opened with ``source``; its bytes are kept first. Returns that copy."""
    check_backup(source)
    saved = _raw_copy(live, Path(source).parent)
    _keep_keys(live, saved)
    _replace_file(source, live, saved)
    try:
        if keys.has_keys(source):
            keys.copy_keys(source, live)
        keys.anchor_for_file(live, keys.seal_key(live)[0])  # the anchor of the restored log, not the damaged one's
    except (OSError, sqlite3.Error) as e:
        raise DatabaseError(f"数据已恢复，但无法复制备份的密钥文件夹“{keys.folder_for(source)}”："
                            f"{_disk_message(e)}。请手工复制其中的文件") from e
    return saved
