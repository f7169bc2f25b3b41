"""Start-up measurement hook: with DANGJIAN_EXIT_AFTER_SHOW=1 the app quits once the main window
has painted, after printing ``MAIN_WINDOW_SHOWN <seconds since install()>``
(install() runs first thing in app.__main__, so that is nearly all of the in-process start-up).

bench/bench_startup.py launches the (frozen) app with it and times the marker from outside.
If a dialog paints first (the first-run dialog of an empty ledger), it prints
``WINDOW_SHOWN <seconds> <class name>`` and quits the same way, so a smoke test can start the app on
an empty data folder. It only watches events; the app starts exactly as it normally would.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow

MARKER = "MAIN_WINDOW_SHOWN"
OTHER_MARKER = "WINDOW_SHOWN"
ENV = "DANGJIAN_EXIT_AFTER_SHOW"


class _ExitAfterFirstPaint(QObject):
    def __init__(self, started: float) -> None:
        super().__init__()
        self.started = started
        self.done = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (not self.done and event.type() == QEvent.Type.Paint and isinstance(obj, (QMainWindow, QDialog))
                and obj.isWindow() and obj.isVisible()):
            self.done = True
            elapsed = time.perf_counter() - self.started
            line = (f"{MARKER} {elapsed:.3f}" if isinstance(obj, QMainWindow)
                    else f"{OTHER_MARKER} {elapsed:.3f} {type(obj).__name__}")
            # After this paint has finished, not inside it.
            QTimer.singleShot(0, lambda: self._finish(line))
        return False

    def _finish(self, line: str) -> None:
        print(line, flush=True)
        # exit(), not quit(): quit() first asks every window to close, and the main window may
        # ask about running background work; ending the event loop directly skips that.
        QApplication.exit(0)


_probe: _ExitAfterFirstPaint | None = None


def install(started: float | None = None) -> None:
    """Create the QApplication now (ui.app reuses an existing one) and watch for the main window."""
    global _probe
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "dangjian-ledger"])
    _probe = _ExitAfterFirstPaint(started if started is not None else time.perf_counter())
    app.installEventFilter(_probe)
