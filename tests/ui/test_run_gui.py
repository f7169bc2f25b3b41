"""The real start-up path: `python -m app --db FILE --user NAME` opens the window and exits cleanly."""

from __future__ import annotations

import logging
import sys
import threading

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from db.filelock import holder
from ui.app import run_gui
from ui.main_window import MainWindow


def test_run_gui_opens_the_window_with_title_and_user(qtbot, ledger, monkeypatch, tmp_path):
    monkeypatch.setenv("DANGJIAN_DATA_DIR", str(tmp_path / "data"))  # the log file goes here
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    seen: list[tuple[str, str]] = []

    def close_when_shown() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.isVisible():
                seen.append((w.windowTitle(), w.ctx.ledger.user))
                w.close()

    timer = QTimer()
    timer.timeout.connect(close_when_shown)
    timer.start(50)
    handlers = list(logging.getLogger().handlers)
    try:
        code = run_gui(["--db", str(ledger.path), "--user", "测试员"])
    finally:
        timer.stop()
        for h in logging.getLogger().handlers[:]:
            if h not in handlers:  # the log file handler run_gui added
                logging.getLogger().removeHandler(h)
                h.close()
    assert code == 0
    assert seen[0] == ("党建积分台账 — 测试经开区党工委 — ledger.sqlite", "测试员")
    assert (tmp_path / "data" / "logs" / "dangjian.log").exists()
    assert holder(ledger.path) is None  # the writer lock was released on exit
