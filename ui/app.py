"""Start the desktop application: ``python -m app [--db PATH] [--user NAME]``."""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

from app import APP_NAME, __version__
from app.paths import db_argument, is_server
from ui.application import create_application

log = logging.getLogger(__name__)


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app", description=APP_NAME)
    parser.add_argument("--db", type=db_argument, help="台账数据库文件或服务器数据库 postgresql://…（默认在用户数据文件夹中）")
    parser.add_argument("--user", default="管理员", help="操作人姓名，写入操作日志")
    return parser.parse_args(argv)


def choose_db(explicit: Path | None) -> Path:
    """--db, else the file opened last time (if it still exists), else the default location."""
    from PySide6.QtCore import QSettings

    from app.paths import default_db_path

    if explicit is not None:
        return explicit
    if not os.environ.get("DANGJIAN_DB"):
        last = QSettings().value("last_db")
        if last and Path(str(last)).exists():
            return Path(str(last))
    return default_db_path()


def run_gui(argv: list[str]) -> int:
    from app.logsetup import install_excepthook, setup_logging

    args = _parse(argv)
    setup_logging()
    log.info("启动 %s %s", APP_NAME, __version__)
    qt_app = create_application([])

    from ui.context import UiContext
    from ui.dialogs.first_run import needs_first_run, run_first_run
    from ui.main_window import MainWindow
    from ui.safety import startup
    from ui.widgets.errors import ErrorDialog, show_error

    def show_unexpected(exc: BaseException, details: str) -> None:
        ErrorDialog(exc, details, qt_app.activeWindow()).exec()

    install_excepthook(show_unexpected)

    path = choose_db(args.db)
    try:
        if not is_server(path):
            path.parent.mkdir(parents=True, exist_ok=True)
        # Writer lock, integrity check, login and the start-up backup (ui/safety/startup.py).
        session = startup.open_for_gui(path, args.user)
    except Exception as exc:
        show_error(None, exc, title="无法打开数据库")
        return 1
    if session is None:  # the user gave up at the login
        return 0
    if needs_first_run(session.ledger):
        startup.await_check(session)  # the set-up writes, so the file must be checked first
        if not run_first_run(None, session.ledger):
            startup.on_exit(session)
            return 0

    from PySide6.QtCore import QSettings

    QSettings().setValue("last_db", str(path))
    ctx = UiContext(session.ledger)
    window = MainWindow(ctx)
    window.safety = session
    startup.attach(window, session)
    window.restore()
    window.show()
    code = qt_app.exec()
    ctx.tasks.wait(60000)
    startup.on_exit(window.safety)  # backs up if anything changed, closes, releases the lock
    return code
