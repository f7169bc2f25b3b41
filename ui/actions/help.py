"""帮助 menu: 使用手册 (F1 opens the current screen's section), 快捷键, 关于与自检."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence


def install(window) -> None:
    menu = window.menu("帮助")
    manual = QAction("使用手册", window)
    manual.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))  # F1
    manual.triggered.connect(lambda: open_manual(window))
    keys = QAction("快捷键…", window)
    keys.triggered.connect(lambda: _shortcuts(window))
    about = QAction("关于与自检…", window)
    about.triggered.connect(lambda: _about(window))
    menu.addAction(manual)
    menu.addAction(keys)
    menu.addSeparator()
    menu.addAction(about)


def open_manual(window):
    """Show the manual at the current screen's section (one window, raised if already open)."""
    from ui.help.chapters import topic_for
    from ui.help.manual import ManualWindow

    manual = getattr(window, "_manual", None)
    if manual is None:
        manual = ManualWindow(window)
        window._manual = manual
    file, heading = topic_for(window.current_name(), window.current_page())
    manual.open(file, heading)
    manual.show()
    manual.raise_()
    manual.activateWindow()
    return manual


def _shortcuts(window) -> None:
    from ui.help.shortcuts import ShortcutsDialog

    ShortcutsDialog(window).exec()


def _about(window) -> None:
    from ui.about import AboutDialog

    AboutDialog(window.ctx, window).exec()
