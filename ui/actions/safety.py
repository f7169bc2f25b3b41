"""安全 menu: back up now, backups and restore, the audit log, month locks, users, integrity check."""

from __future__ import annotations

from PySide6.QtGui import QAction

from app.errors import LedgerError
from app.services.safety import backups, integrity


def install(window) -> None:
    menu = window.menu("安全")
    for text, fn in (
        ("立即备份", backup_now),
        ("备份与恢复…", open_backups),
        (None, None),
        ("审计日志…", open_audit),
        ("锁定月份…", open_locks),
        ("用户管理…", open_users),
        (None, None),
        ("完整性检查", check_integrity),
    ):
        if text is None:
            menu.addSeparator()
            continue
        action = QAction(text, window)
        action.triggered.connect(lambda _checked=False, f=fn: f(window))
        menu.addAction(action)


def backup_now(window) -> None:
    from ui.safety.common import info, warn

    try:
        path = backups.backup_now(window.ctx.ledger, "手动")
    except LedgerError as e:
        warn(window, "立即备份", str(e))
        return
    info(window, "立即备份", f"已备份到：\n{path}")


def open_backups(window) -> None:
    from ui.safety.backup_dialog import BackupDialog

    BackupDialog(window.ctx, window).exec()


def open_audit(window) -> None:
    from ui.safety.audit_viewer import AuditViewer

    AuditViewer(window.ctx, window).exec()


def open_locks(window) -> None:
    from ui.safety.lock_dialog import LockDialog

    LockDialog(window.ctx, window).exec()


def open_users(window) -> None:
    from ui.safety.users_dialog import UsersDialog

    UsersDialog(window.ctx, window).exec()


def check_integrity(window) -> None:
    """Runs in the background: on a county file the seal check reads every score row."""
    from ui.safety.integrity_dialog import IntegrityDialog
    from ui.widgets.progress import run_with_progress

    ctx = window.ctx

    def done(report) -> None:
        IntegrityDialog(ctx, report, window).exec()

    run_with_progress(window, ctx, lambda progress: integrity.verify(ctx.ledger), "完整性检查", done,
                      cancellable=False)
