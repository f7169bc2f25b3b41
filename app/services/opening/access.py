"""Opening a ledger the safe way: the single-writer lock first, read-only when someone else writes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.errors import DatabaseError
from app.paths import is_server, ledger_target
from app.services.kernel.context import Ledger
from db.filelock import HEARTBEAT_EVERY, LockHeld, LockInfo, WriterLock
from db.migrate import open_database

from .setup import open_ledger

__all__ = ["HEARTBEAT_EVERY", "Opened", "open_guarded"]  # the UI reads the heartbeat period from here


@dataclass
class Opened:
    ledger: Ledger
    lock: WriterLock | None  # None when opened read-only
    holder: LockInfo | None  # who writes instead of us, when read-only
    server: bool = False  # a county server database: no file lock, never read-only for that reason

    @property
    def read_only(self) -> bool:
        return self.lock is None and not self.server

    def close(self) -> None:
        self.ledger.close()
        if self.lock is not None:
            self.lock.release()


def _refuse_writes(db, holder: LockInfo) -> None:
    message = f"{holder.describe()}。本窗口以只读方式打开，不能保存修改；请等对方关闭软件后重新打开"

    def write():
        raise DatabaseError(message)

    db.write = write  # this one Database object only: every service write goes through db.write()


def open_guarded(path: Path | str, *, user: str = "管理员", backup_dir: Path | None = None) -> Opened:
    """Open for writing when we get the lock; otherwise read-only, naming who holds the file.

    A server database has no file lock: its clients all write, one transaction at a time (db/server.py)."""
    path = ledger_target(path)
    if is_server(path):
        return Opened(open_ledger(path, user=user), None, None, server=True)
    path = path.expanduser().resolve()
    lock = WriterLock(path, user)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # a fresh PC has no data folder yet
        lock.acquire()
    except LockHeld as held:
        if not path.exists():
            raise DatabaseError(f"{held.info.describe()}，但数据文件不存在") from None
        db = open_database(path, read_only=True)
        _refuse_writes(db, held.info)
        return Opened(Ledger(db, user=user), None, held.info)
    except OSError as e:
        raise DatabaseError(f"无法在“{path.parent}”中建立锁文件：{e}") from e
    try:
        ledger = open_ledger(path, user=user, backup_dir=backup_dir)
    except BaseException:
        lock.release()
        raise
    return Opened(ledger, lock, None)
