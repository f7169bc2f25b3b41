"""Start-up and shut-down steps of the GUI: writer lock, integrity check, login, automatic backups.

ui/app.py calls ``open_for_gui`` instead of opening the ledger itself, ``attach`` once the main
window exists, and ``on_exit`` after the event loop ends.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolBar, QWidget

from app.errors import DatabaseError, LedgerError
from app.services import access, backups, integrity, users
from app.services.access import HEARTBEAT_EVERY, Opened

from .common import warn

log = logging.getLogger(__name__)


@dataclass
class SafetySession:
    opened: Opened
    banner: str = ""  # shown above the pages when the window cannot save
    startup_report: integrity.IntegrityReport | None = None
    timers: list = field(default_factory=list)

    @property
    def ledger(self):
        return self.opened.ledger


def _make_read_only(opened: Opened, why: str) -> None:
    def write():
        raise DatabaseError(why)

    opened.ledger.db.write = write


def open_for_gui(path: Path, user: str, parent: QWidget | None = None) -> SafetySession | None:
    """Open with the lock, check the file, log in and back up; None when the user gave up."""
    try:
        opened = access.open_guarded(path, user=user)
    except LedgerError:
        raise
    except Exception as exc:  # SQLite cannot read the file at all (e.g. a damaged first page)
        if not _offer_emergency_restore(Path(path), parent, exc):
            raise
        opened = access.open_guarded(path, user=user)
    session = SafetySession(opened)
    if opened.read_only:
        session.banner = f"只读：{opened.holder.describe()}。本窗口只能查看，不能保存修改。"
    report = integrity.verify(opened.ledger, quick=True)
    session.startup_report = report
    if not report.file_ok:
        session.banner = "只读：数据文件已损坏，不能保存。请在“安全 → 完整性检查”中用备份恢复。"
        _make_read_only(opened, "数据文件已损坏，为避免损坏扩大，本次打开不能保存修改；请用备份恢复")
    if users.login_required(opened.ledger):
        from .login import LoginDialog

        if not LoginDialog(opened.ledger, parent).exec():
            opened.close()
            return None
    else:
        users.act_as_single_user(opened.ledger)
        if user != "管理员" and users.only_user(opened.ledger) is None:
            opened.ledger.user = user  # no accounts: the name given on the command line goes in the log
    if report.file_ok and not opened.read_only:
        try:
            backups.auto_backup(opened.ledger, "启动")
        except LedgerError as e:
            log.warning("start-up backup failed: %s", e)
            warn(parent, "自动备份", str(e))
    return session


def _offer_emergency_restore(path: Path, parent: QWidget | None, exc: Exception) -> bool:
    from .common import confirm, info

    good = backups.newest_good(path.parent / "backups")
    if good is None:
        return False
    text = (f"数据文件“{path.name}”已损坏，无法打开（{exc}）。\n\n"
            f"找到一份完好的备份：{good.name}。\n用它恢复吗？损坏的文件会原样另存一份，不会删除。")
    if not confirm(parent, "数据文件已损坏", text, "恢复"):
        return False
    saved = backups.emergency_restore(path, good)
    info(parent, "数据文件已损坏", f"已用备份恢复。损坏的文件另存为：\n{saved}")
    return True


def attach(window, session: SafetySession) -> None:
    """After the main window exists: the read-only banner, the lock heartbeat, the start-up findings."""
    if session.banner:
        bar = QToolBar("提示", window)
        bar.setMovable(False)
        label = QLabel(session.banner)
        label.setStyleSheet("background:#fff3cd; color:#7a4b00; padding:6px 10px; font-weight:bold;")
        label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)  # one line across the window
        bar.addWidget(label)
        window.addToolBar(bar)
        session.banner_bar = bar
    lock = session.opened.lock
    if lock is not None:
        timer = QTimer(window)
        timer.setInterval(int(HEARTBEAT_EVERY.total_seconds() * 1000))

        def beat() -> None:
            try:
                lock.heartbeat()
            except OSError as e:  # a shared folder that went away: keep working, try again later
                log.warning("lock heartbeat failed: %s", e)

        timer.timeout.connect(beat)
        timer.start()
        session.timers.append(timer)
    report = session.startup_report
    if report is not None and not report.ok:
        from .integrity_dialog import IntegrityDialog

        QTimer.singleShot(0, window, lambda: IntegrityDialog(window.ctx, report, window).exec())


def on_exit(session: SafetySession) -> None:
    """Back up if anything changed, then close the file and release the lock."""
    try:
        if not session.opened.read_only and not session.banner:
            backups.auto_backup(session.ledger, "退出")
    except LedgerError as e:
        log.warning("exit backup failed: %s", e)
    finally:
        session.opened.close()
