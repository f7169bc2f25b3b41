"""The real start-up path on a "large" file (threshold lowered): the window comes up read-only, then writable."""

from __future__ import annotations

import logging
import sys
import threading

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QToolBar

from app.services.safety import integrity
from db.filelock import holder
from ui.app import run_gui
from ui.main_window import MainWindow
from ui.safety import startup


def test_run_gui_on_a_large_file_shows_the_window_before_the_check_and_unlocks_after(
        qtbot, demo_ledger, monkeypatch, tmp_path):
    monkeypatch.setenv("DANGJIAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv(startup.THRESHOLD_ENV, "0")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    path = demo_ledger.path
    demo_ledger.close()
    seen: dict[str, object] = {}
    gate = threading.Event()  # the check waits until the test has looked at the freshly shown window
    real_verify = integrity.verify

    def gated_verify(ledger, **kw):
        gate.wait(30)
        return real_verify(ledger, **kw)

    monkeypatch.setattr(integrity, "verify", gated_verify)

    def banners(w) -> list[str]:
        return [lb.text() for bar in w.findChildren(QToolBar) for lb in bar.findChildren(QLabel)]

    def watch() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.isVisible():
                session = w.safety
                if "first" not in seen:  # the first look at the shown window
                    seen["first"] = (session.checking, w.ctx.ledger.db.read_only, banners(w))
                    gate.set()
                if session.startup_report is not None and not w.ctx.tasks.busy:
                    seen["after"] = (session.checking, w.ctx.ledger.db.read_only, banners(w),
                                     session.startup_report.ok)
                    w.close()

    timer = QTimer()
    timer.timeout.connect(watch)
    timer.start(5)
    handlers = list(logging.getLogger().handlers)
    try:
        code = run_gui(["--db", str(path)])
    finally:
        timer.stop()
        for h in logging.getLogger().handlers[:]:
            if h not in handlers:
                logging.getLogger().removeHandler(h)
                h.close()
    assert code == 0
    checking, read_only, shown = seen["first"]
    assert checking and read_only and any("正在检查数据完整性" in t for t in shown)
    assert seen["after"] == (False, False, [], True)
    assert holder(path) is None
