"""Single writer: a lock file beside the database says who is writing, from which PC, since when.

A second instance (on this PC or another one reaching the file over a shared folder) sees the lock
and opens the file read-only, telling the user who holds it. A lock left by a crash is stale when
its process is gone (same PC) or its heartbeat is older than HEARTBEAT_LIMIT (another PC), and is
then cleared — through a short-lived ".break" file so two instances never clear it at once.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

HEARTBEAT_EVERY = timedelta(seconds=60)
HEARTBEAT_LIMIT = timedelta(minutes=10)


_held: dict[Path, int] = {}  # lock files this process holds → how many openings share each


@dataclass(frozen=True)
class LockInfo:
    user: str
    os_user: str
    host: str
    pid: int
    since: datetime
    heartbeat: datetime

    def describe(self) -> str:
        who = self.user or self.os_user
        return f"“{who}”在计算机“{self.host}”上自 {self.since:%Y-%m-%d %H:%M} 起正在使用此数据文件"


class LockHeld(Exception):
    def __init__(self, info: LockInfo) -> None:
        super().__init__(info.describe())
        self.info = info


def lock_path(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).name + ".lock")


def _read(path: Path) -> LockInfo | None:
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        return LockInfo(d["user"], d.get("os_user", ""), d["host"], int(d["pid"]),
                        datetime.fromisoformat(d["since"]), datetime.fromisoformat(d["heartbeat"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        # Unreadable or half-written: treat as a lock of unknown age, judged by the file's own time.
        try:
            mtime = datetime.fromtimestamp(path.stat().st_mtime)
        except OSError:
            return None
        return LockInfo("", "", "?", -1, mtime, mtime)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_stale(info: LockInfo, now: datetime | None = None) -> bool:
    now = now or datetime.now()
    if info.host == socket.gethostname() and info.pid > 0:
        return not _pid_alive(info.pid)
    return now - info.heartbeat > HEARTBEAT_LIMIT


class WriterLock:
    """The lock this process holds on one database file."""

    def __init__(self, db_path: Path, user: str) -> None:
        self.path = lock_path(db_path)
        self.user = user
        self.since = datetime.now().replace(microsecond=0)
        self.last_beat = self.since
        self.held = False

    def _payload(self, heartbeat: datetime) -> str:
        return json.dumps({"user": self.user, "os_user": _os_user(), "host": socket.gethostname(),
                           "pid": os.getpid(), "since": self.since.isoformat(), "heartbeat": heartbeat.isoformat()},
                          ensure_ascii=False)

    def _create(self) -> bool:
        """Create the lock file with its contents in one step, so no one ever reads it half-written:
        write a private temporary file, then hard-link it to the lock's name (fails if it exists)."""
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.{id(self):x}.tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(self._payload(self.since))
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, self.path)
                return True
            except FileExistsError:
                return False
            except OSError:  # a filesystem without hard links (e.g. a FAT32 USB stick)
                return self._create_in_place()
        finally:
            tmp.unlink(missing_ok=True)

    def _create_in_place(self) -> bool:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(self._payload(self.since))
            fh.flush()
            os.fsync(fh.fileno())
        return True

    def acquire(self) -> WriterLock:
        """Take the lock, clearing a stale one; raise LockHeld naming the live holder."""
        for _attempt in range(3):
            if self._create():
                self.held = True
                _held[self.path] = 1
                return self
            info = _read(self.path)
            if info is None:
                continue  # released between our two looks
            if info.pid == os.getpid() and info.host == socket.gethostname() and _held.get(self.path):
                # this process already holds it (the same file opened again): share it, counted
                _held[self.path] += 1
                self.held = True
                return self
            if not is_stale(info):
                raise LockHeld(info)
            _break_stale(self.path, info)
        info = _read(self.path)
        raise LockHeld(info or LockInfo("", "", "?", -1, datetime.now(), datetime.now()))

    def heartbeat(self) -> None:
        """Refresh the time in the lock so other PCs know we are alive (call about once a minute)."""
        if not self.held:
            return
        now = datetime.now().replace(microsecond=0)
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        tmp.write_text(self._payload(now), encoding="utf-8")
        os.replace(tmp, self.path)
        self.last_beat = now

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        _held[self.path] = _held.get(self.path, 1) - 1
        if _held[self.path] > 0:
            return  # another opening in this process still uses it
        del _held[self.path]
        info = _read(self.path)
        if info is not None and info.pid == os.getpid() and info.host == socket.gethostname():
            self.path.unlink(missing_ok=True)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some service accounts
        return ""


def _break_stale(path: Path, judged: LockInfo) -> None:
    """Remove a stale lock, unless someone else is doing so or it changed since we judged it."""
    breaker = path.with_name(path.name + ".break")
    try:
        fd = os.open(breaker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        try:  # a breaker that crashed mid-way leaves this behind; it is only ever held for a moment
            if time.time() - breaker.stat().st_mtime > 30:
                breaker.unlink()
        except FileNotFoundError:
            pass
        time.sleep(0.05)
        return
    try:
        os.close(fd)
        again = _read(path)
        if again is not None and (again.pid, again.host, again.since) == (judged.pid, judged.host, judged.since):
            path.unlink()
    finally:
        breaker.unlink()


def holder(db_path: Path) -> LockInfo | None:
    """Who holds the file now (None if nobody, or only a stale lock)."""
    info = _read(lock_path(db_path))
    return None if info is None or is_stale(info) else info
