"""Make a document in the background, then open it in the print preview."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from app.reports import glyphs
from app.reports.batch import safe_name
from ui.context import UiContext
from ui.widgets.errors import show_error

from .preview import TEMP_PREFIX, PreviewDialog


def temp_pdf(name: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
    return folder / f"{safe_name(name)}.pdf"


def generate_and_preview(ctx: UiContext, parent: QWidget | None, title: str, make: Callable[[Path], int],
                         on_preview: Callable[[PreviewDialog], None] | None = None) -> None:
    """Run ``make(path)`` in a worker (it writes the PDF), then show the preview (non-modal).

    ``on_preview`` receives the dialog once it is shown (tests use it; the menu does not).
    """
    path = temp_pdf(title)
    busy = QProgressDialog(f"正在生成“{title}”……", "", 0, 0, parent)
    busy.setCancelButton(None)  # a single document takes about a second; nothing to cancel
    busy.setWindowModality(Qt.WindowModality.WindowModal)
    busy.setMinimumDuration(300)

    def done(result: object) -> None:
        busy.close()
        _pages, missing = result
        dialog = PreviewDialog(path, title, parent, suggested_name=f"{safe_name(title)}.pdf")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        if missing:  # never silent: name the characters printed as 〔U+XXXX〕 placeholders
            box = QMessageBox(QMessageBox.Icon.Warning, "部分字符无法显示", glyphs.missing_text(missing),
                              QMessageBox.StandardButton.Ok, dialog)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
        if on_preview:
            on_preview(dialog)

    def failed(exc: BaseException, tb: str) -> None:
        busy.close()
        shutil.rmtree(path.parent, ignore_errors=True)
        show_error(parent, exc, tb, title="生成未完成")

    def work(_progress: object) -> tuple[int, set[str]]:
        with glyphs.collect() as missing:
            pages = make(path)
        return pages, missing

    ctx.tasks.start(work, on_done=done, on_error=failed)
