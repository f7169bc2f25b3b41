"""The rotating log file and the excepthook chain (no Qt involved)."""

from __future__ import annotations

import logging
import sys
import threading
from logging.handlers import RotatingFileHandler

from app import logsetup


def test_log_file_and_excepthook(tmp_path, monkeypatch):
    root = logging.getLogger()
    before = list(root.handlers)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    try:
        target = logsetup.setup_logging(folder=tmp_path)
        assert target == tmp_path / logsetup.LOG_NAME
        assert logsetup.setup_logging(folder=tmp_path) == target  # no second handler
        assert sum(isinstance(h, RotatingFileHandler) for h in root.handlers) == \
            sum(isinstance(h, RotatingFileHandler) for h in before) + 1
        seen = []
        logsetup.install_excepthook(lambda exc, text: seen.append((exc, text)))
        try:
            raise ValueError("坏数据")
        except ValueError:
            sys.excepthook(*sys.exc_info())
        for h in root.handlers:
            h.flush()
        assert isinstance(seen[0][0], ValueError) and "Traceback" in seen[0][1]
        assert "坏数据" in target.read_text(encoding="utf-8")
    finally:
        for h in root.handlers[:]:
            if h not in before:
                root.removeHandler(h)
                h.close()
