"""Run a function in the background behind a modal progress dialog with a working 取消 button.

    run_with_progress(self, ctx, lambda progress: demo.load_demo(ledger, progress=progress),
                      "正在载入示例数据…", on_done=lambda result: ...)

``fn`` receives a ``ui.tasks.Progress``: call ``progress(done, total, text)`` now and then — it
raises ``Cancelled`` once the user pressed 取消, which ends the task quietly. Errors are shown
with ``show_error`` unless ``on_error`` is given. The dialog appears only if the work takes
longer than ``min_duration_ms`` so quick work does not flash a window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.context import UiContext
from ui.tasks import Progress, Task

from .errors import show_error


def run_with_progress(
    parent: QWidget | None,
    ctx: UiContext,
    fn: Callable[[Progress], Any],
    title: str,
    on_done: Callable[[Any], None] | None = None,
    *,
    on_error: Callable[[BaseException, str], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    min_duration_ms: int = 300,
    cancellable: bool = True,
) -> tuple[Task, QProgressDialog]:
    """Start ``fn`` via ``ctx.tasks``; returns the task and its dialog (tests press 取消 on it).

    ``cancellable=False`` hides 取消 for work that is one transaction and cannot stop midway.
    """
    dialog = QProgressDialog(title, "取消", 0, 0, parent)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setWindowTitle("请稍候")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(min_duration_ms)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(360)

    def progress(done: int, total: int, text: str) -> None:
        if dialog.wasCanceled():
            return
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total > 0 else 0)
        if text:
            dialog.setLabelText(text)

    def finish() -> None:
        dialog.close()
        dialog.deleteLater()

    def done(result: Any) -> None:
        finish()
        if on_done:
            on_done(result)

    def failed(exc: BaseException, tb: str) -> None:
        finish()
        if on_error:
            on_error(exc, tb)
        else:
            show_error(parent, exc, tb)

    def cancelled() -> None:
        finish()
        if on_cancelled:
            on_cancelled()

    task = ctx.tasks.start(fn, on_done=done, on_error=failed, on_progress=progress, on_cancelled=cancelled)

    def cancel() -> None:
        dialog.setLabelText("正在取消…")
        task.cancel()

    dialog.canceled.connect(cancel)
    return task, dialog
