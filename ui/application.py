"""The QApplication with the program's names, icon, fonts and style: shared by the main window, the
self-test and the screenshots (none of which needs the main window to make one)."""

from __future__ import annotations

import sys

from app import APP_ID, APP_NAME, __version__


def create_application(argv: list[str]):
    """The QApplication with names for QSettings, fonts and style (shared with screenshots)."""
    from PySide6.QtWidgets import QApplication

    from ui.theme import apply_theme

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setOrganizationName(APP_ID)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    from ui.icon import app_icon

    app.setWindowIcon(app_icon())  # title bar / task bar icon of every window
    app.setDesktopFileName(APP_ID)  # Linux: ties windows to packaging/linux/dangjian-ledger.desktop
    apply_theme(app)
    return app
