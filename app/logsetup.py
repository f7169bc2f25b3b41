"""Logging to a rotating file in the user's log folder, and an excepthook chain (no Qt here).

The GUI calls ``setup_logging()`` once at start, then ``install_excepthook(show)`` with a
function that shows the error dialog; the hook logs first, so a failure of the dialog itself
still leaves the error in the log.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from . import paths

LOG_NAME = "dangjian.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_file() -> Path:
    return paths.log_dir() / LOG_NAME


def setup_logging(level: int = logging.INFO, folder: Path | None = None) -> Path | None:
    """Log to ``folder``/dangjian.log (1 MB × 5 files). Returns the file, or None if unwritable."""
    folder = folder or paths.log_dir()
    root = logging.getLogger()
    root.setLevel(level)
    target = folder / LOG_NAME
    for h in root.handlers:
        if isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == target:
            return target
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(target, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        # A read-only profile must not stop the program; errors then go to stderr only.
        logging.basicConfig(level=level, format=_FORMAT)
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    return target


def format_exception(exc: BaseException, tb: TracebackType | str | None = None) -> str:
    if isinstance(tb, str):
        return tb
    return "".join(traceback.format_exception(type(exc), exc, tb or exc.__traceback__))


def log_exception(exc: BaseException, tb: TracebackType | str | None = None) -> str:
    """Write an unexpected error to the log; returns the formatted traceback."""
    text = format_exception(exc, tb)
    logging.getLogger("dangjian.errors").error("未处理的错误：%s\n%s", exc, text)
    return text


def install_excepthook(show: Callable[[BaseException, str], None]) -> None:
    """Route uncaught exceptions (main and worker threads) to the log and then to ``show``."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        text = log_exception(exc, tb)
        try:
            show(exc, text)
        except Exception:  # the dialog failing must not recurse into the hook
            logging.getLogger("dangjian.errors").exception("显示错误对话框失败")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log_exception(args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook
