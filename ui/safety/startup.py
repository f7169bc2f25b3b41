"""Start-up and shut-down steps of the GUI: writer lock, integrity check, login, automatic backups.

ui/app.py calls ``open_for_gui`` instead of opening the ledger itself, ``attach`` once the main
window exists, and ``on_exit`` after the event loop ends.

A small file (a township's ledger: a few MB) is checked before the window opens: it takes a
moment. A large one (a county's: hundreds of MB, 10–20 s of checking) opens at once in a safe
mode instead: the data can be viewed but not changed while the check runs in a background thread;
a passing check makes it writable (and then takes the start-up backup), a failing one keeps it
read-only and offers the newest good backup, as the synchronous check does.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolBar, QWidget

from app.errors import DatabaseError, LedgerError
from app.paths import is_server
from app.services.opening import access
from app.services.opening.access import HEARTBEAT_EVERY, Opened
from app.services.safety import backups, integrity, users

from .common import warn

log = logging.getLogger(__name__)

BACKGROUND_ABOVE = 64 * 1024 * 1024  # bytes; above this the check runs behind an open, read-only window
THRESHOLD_ENV = "DANGJIAN_BACKGROUND_CHECK_ABOVE"  # overrides BACKGROUND_ABOVE (tests, support)
CHECKING_BANNER = "正在检查数据完整性，完成前暂不能修改（可以查看）。数据较多，约需十几秒，请稍候…"
CHECKING_REFUSAL = "正在检查数据完整性，完成前暂不能修改；请稍候片刻再保存"
DAMAGED_BANNER = "只读：数据文件已损坏，不能保存。请在“安全 → 完整性检查”中用备份恢复。"
DAMAGED_REFUSAL = "数据文件已损坏，为避免损坏扩大，本次打开不能保存修改；请用备份恢复"


def background_threshold() -> int:
    try:
        return int(os.environ.get(THRESHOLD_ENV, ""))
    except ValueError:
        return BACKGROUND_ABOVE


class BackgroundCheck(QObject):
    """The start-up integrity check in a daemon thread with its own connection; ``finished`` on the GUI thread."""

    finished = Signal(object)  # integrity.IntegrityReport: quick_check, links, audit chain, seals
    deep_finished = Signal(object)  # integrity.IntegrityReport of the full integrity_check that follows

    def __init__(self, ledger) -> None:
        super().__init__()
        self.ledger = ledger
        self.db = ledger.db  # the Database checked (a restore replaces ledger.db)
        self.report: integrity.IntegrityReport | None = None
        self.deep_report: integrity.IntegrityReport | None = None
        self.seconds: float | None = None
        self._stop = threading.Event()
        self._done = threading.Event()
        # daemon: quitting during the check must not wait for it (the file is only being read)
        self._thread = threading.Thread(target=self._run, name="startup-integrity-check", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            report = integrity.verify(self.ledger, quick=True, cancelled=self._stop.is_set)
        except integrity.CheckCancelled:
            self._done.set()
            return
        except Exception as exc:  # a check that cannot finish is a failed check: keep the data read-only
            log.exception("start-up integrity check failed")
            report = integrity.IntegrityReport([integrity.Finding(False, "数据库文件", f"检查未能完成（{exc}）")])
        self.seconds = time.perf_counter() - started
        log.info("start-up integrity check (background) took %.1f s", self.seconds)
        self.report = report
        self._done.set()
        self.finished.emit(report)  # queued to the GUI thread: the receivers live there
        if report.file_ok and self._was_quick():
            self._deep()

    def _was_quick(self) -> bool:
        try:
            return self.ledger.path.stat().st_size > integrity.QUICK_ABOVE
        except OSError:
            return False

    def _deep(self) -> None:
        """The full integrity_check (it also compares every index with its table), after the data unlocked.

        quick_check gates editing so the safe mode stays short; this one is SQLite's own C code
        (it does not hold the GIL), so the window stays responsive while it runs.
        """
        started = time.perf_counter()
        try:
            findings = integrity.file_checks(self.ledger, quick=False, cancelled=self._stop.is_set)
        except integrity.CheckCancelled:
            return
        except Exception as exc:
            log.exception("full integrity check failed")
            findings = [integrity.Finding(False, "数据库文件", f"检查未能完成（{exc}）")]
        log.info("full integrity check (background) took %.1f s", time.perf_counter() - started)
        self.deep_report = integrity.IntegrityReport(findings)
        self.deep_finished.emit(self.deep_report)

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def cancel(self, wait: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(wait)


@dataclass
class SafetySession:
    opened: Opened
    banner: str = ""  # shown above the pages when the window cannot save
    startup_report: integrity.IntegrityReport | None = None
    timers: list = field(default_factory=list)
    check: BackgroundCheck | None = None  # the background start-up check of a large file
    checking: bool = False  # safe mode: read-only until the background check passes
    banner_bar: QToolBar | None = None
    window: QWidget | None = None

    @property
    def ledger(self):
        return self.opened.ledger


def _make_read_only(opened: Opened, why: str) -> None:
    def write():
        raise DatabaseError(why)

    opened.ledger.db.write = write


def _enter_safe_mode(session: SafetySession) -> None:
    db = session.ledger.db
    db.read_only = True  # services that look before writing (backups, login) skip their writes
    _make_read_only(session.opened, CHECKING_REFUSAL)
    session.checking = True
    session.banner = CHECKING_BANNER


def _leave_safe_mode(session: SafetySession) -> None:
    db = session.ledger.db
    db.__dict__.pop("write", None)  # back to Database.write
    db.read_only = False
    session.checking = False
    session.banner = ""


def is_large(path: Path) -> bool:
    if is_server(path):  # the server's own check is a quick one: no background check needed
        return False
    try:
        return Path(path).stat().st_size > background_threshold()
    except OSError:
        return False


def open_for_gui(path: Path, user: str, parent: QWidget | None = None) -> SafetySession | None:
    """Open with the lock, check the file, log in and back up; None when the user gave up.

    A large file is checked in the background instead (see the module docstring): the session
    comes back in safe mode and ``attach`` finishes the job once the window exists.
    """
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
    login = users.login_required(opened.ledger)
    if is_large(opened.ledger.path):
        session.check = BackgroundCheck(opened.ledger)
        if not opened.read_only:
            _enter_safe_mode(session)
        session.check.start()
        if login:
            # Logging in writes (failure counts, the audit entry): it must not happen before the file
            # is known to be sound, so here the check is awaited, with a progress window.
            await_check(session, parent)
    else:
        _apply_report(session, integrity.verify(opened.ledger, quick=True))
    if login:
        from .login import LoginDialog

        if not LoginDialog(opened.ledger, parent).exec():
            if session.check is not None:
                session.check.cancel()  # the full integrity_check may still be reading the file
            opened.close()
            return None
    else:
        users.act_as_single_user(opened.ledger)
        if user != "管理员" and users.only_user(opened.ledger) is None:
            opened.ledger.user = user  # no accounts: the name given on the command line goes in the log
    report = session.startup_report
    if report is not None and report.file_ok and not opened.read_only:
        try:
            backups.auto_backup(opened.ledger, "启动")
        except LedgerError as e:
            log.warning("start-up backup failed: %s", e)
            warn(parent, "自动备份", str(e))
    return session


def _apply_report(session: SafetySession, report: integrity.IntegrityReport) -> None:
    """What the findings mean for this session: writable when the file is sound, else read-only."""
    session.startup_report = report
    if session.checking:
        _leave_safe_mode(session)
    if not report.file_ok:
        session.banner = DAMAGED_BANNER
        session.ledger.db.read_only = True
        _make_read_only(session.opened, DAMAGED_REFUSAL)
    elif session.opened.read_only:  # someone else writes: our view stays read-only whatever the check says
        session.banner = f"只读：{session.opened.holder.describe()}。本窗口只能查看，不能保存修改。"


def await_check(session: SafetySession, parent: QWidget | None = None) -> None:
    """Wait for the background check before the window exists (a login or the first-run set-up must write)."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QProgressDialog

    check = session.check
    if check is None or session.startup_report is not None:
        return
    if not check.done:
        box = QProgressDialog("正在检查数据完整性（数据较多，约需十几秒）…", "", 0, 0, parent)
        box.setWindowTitle("正在检查")
        box.setCancelButton(None)
        box.setMinimumDuration(0)
        box.show()
        loop = QEventLoop()
        check.finished.connect(loop.quit)
        if not check.done:  # it may have finished between the two looks
            loop.exec()
        box.close()
    check.wait()
    _apply_report(session, check.report)


def _offer_emergency_restore(path: Path, parent: QWidget | None, exc: Exception) -> bool:
    from .common import confirm, info

    good = backups.newest_good(path.parent / "backups", path.stem)
    if good is None:
        return False
    text = (f"数据文件“{path.name}”已损坏，无法打开（{exc}）。\n\n"
            f"找到一份完好的备份：{good.name}。\n用它恢复吗？损坏的文件会原样另存一份，不会删除。")
    if not confirm(parent, "数据文件已损坏", text, "恢复"):
        return False
    saved = backups.emergency_restore(path, good)
    info(parent, "数据文件已损坏", f"已用备份恢复。损坏的文件另存为：\n{saved}")
    return True


def _show_banner(window, session: SafetySession) -> None:
    if session.banner_bar is not None:
        window.removeToolBar(session.banner_bar)
        session.banner_bar.deleteLater()
        session.banner_bar = None
    if session.banner:
        bar = QToolBar("提示", window)
        bar.setMovable(False)
        label = QLabel(session.banner)
        label.setObjectName("safety_banner")
        label.setStyleSheet("background:#fff3cd; color:#7a4b00; padding:6px 10px; font-weight:bold;")
        label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)  # one line across the window
        bar.addWidget(label)
        window.addToolBar(bar)
        session.banner_bar = bar


def _show_findings(window, report: integrity.IntegrityReport) -> None:
    from .integrity_dialog import IntegrityDialog

    def show() -> None:
        session = window.safety
        d = IntegrityDialog(window.ctx, report, window)
        d.exec()
        if d.restored and session is not None and not session.opened.read_only:
            # the restored backup was checked before use and the ledger reopened writable
            session.banner = ""
            _show_banner(window, session)

    QTimer.singleShot(0, window, show)


def _check_finished(window, session: SafetySession, report: integrity.IntegrityReport) -> None:
    """Back on the GUI thread: writable after a pass, read-only with the restore offer after a failure."""
    if window.safety is not session or session.startup_report is not None:
        return  # the window moved on to another file, or the report was applied already
    was_checking = session.checking
    if session.ledger.db is not session.check.db:
        # Restored from a (checked) backup during the check: the report is about the old file and the
        # reopened Database is writable already.
        report = integrity.IntegrityReport()
    _apply_report(session, report)
    _show_banner(window, session)
    from ui.context import ALL

    window.ctx.notify_changed(ALL)  # pages re-read and enable their editing
    if not report.ok:
        _show_findings(window, report)
    elif was_checking:
        window.status("数据完整性检查通过，现在可以修改", 8000)
    if was_checking and report.file_ok:
        def backup(_progress) -> None:
            backups.auto_backup(session.ledger, "启动")

        def failed(exc: BaseException, _tb: str) -> None:
            log.warning("start-up backup failed: %s", exc)
            if isinstance(exc, LedgerError):
                warn(window, "自动备份", str(exc))

        window.ctx.tasks.start(backup, on_error=failed)


def _deep_finished(window, session: SafetySession, report: integrity.IntegrityReport) -> None:
    """The full check found damage the quick one missed: back to read-only, with the same explanation and offer."""
    if (report.file_ok or window.safety is not session or session.ledger.db is not session.check.db
            or session.startup_report is None or not session.startup_report.file_ok):
        return
    _apply_report(session, report)
    _show_banner(window, session)
    from ui.context import ALL

    window.ctx.notify_changed(ALL)
    _show_findings(window, report)


def attach(window, session: SafetySession) -> None:
    """After the main window exists: the read-only banner, the lock heartbeat, the start-up findings."""
    session.window = window
    window.safety = session
    _show_banner(window, session)
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
        _show_findings(window, report)
    check = session.check
    if check is not None and report is None:
        check.finished.connect(lambda r: _check_finished(window, session, r))
        if check.done:  # finished before the connection: its signal is gone, apply the result now
            QTimer.singleShot(0, window, lambda: _check_finished(window, session, check.report))
    if check is not None:
        check.deep_finished.connect(lambda r: _deep_finished(window, session, r))
        if check.deep_report is not None:  # e.g. while the login dialog was open
            QTimer.singleShot(0, window, lambda: _deep_finished(window, session, check.deep_report))


def on_exit(session: SafetySession) -> None:
    """Back up if anything changed, then close the file and release the lock."""
    if session.check is not None and session.check.running:
        session.check.cancel()  # quitting during the check: stop reading, never back up unchecked data
    try:
        if not session.opened.read_only and not session.banner and session.startup_report is not None:
            backups.auto_backup(session.ledger, "退出")
    except LedgerError as e:
        log.warning("exit backup failed: %s", e)
    finally:
        session.opened.close()
