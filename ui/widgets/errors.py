"""Showing errors: expected ones (LedgerError) as a plain message, the rest with details.

``show_error(parent, exc, tb=None)`` is what every page calls in its ``except`` and in the
``on_error`` of a background task. Unexpected errors are written to the log first.
"""

from __future__ import annotations

from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.errors import LedgerError
from app.logsetup import log_exception, log_file

UNEXPECTED = (
    "程序遇到了一个意外问题，刚才的操作没有完成。\n"
    "已保存的数据不受影响（每次保存都是完整的一步，要么全部写入，要么全部不写）。\n"
    "如果问题反复出现，请点“复制详情”，把内容发给维护人员。"
)


class ErrorDialog(QDialog):
    """An unexpected error: a short explanation, and details the user can copy."""

    def __init__(self, exc: BaseException, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("出错了")
        self.resize(620, 420)
        layout = QVBoxLayout(self)
        msg = QLabel(UNEXPECTED)
        msg.setWordWrap(True)
        layout.addWidget(msg)
        layout.addWidget(QLabel(f"日志文件：{log_file()}"))
        self.details = QPlainTextEdit(f"版本 {__version__}\n{type(exc).__name__}: {exc}\n\n{details}")
        self.details.setReadOnly(True)
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        copy = QPushButton("复制详情")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.details.toPlainText()))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def show_error(
    parent: QWidget | None,
    exc: BaseException,
    tb: TracebackType | str | None = None,
    *,
    title: str = "操作未完成",
) -> None:
    """Tell the user what went wrong. Modal; returns when the user closed the box."""
    if isinstance(exc, LedgerError):
        box = QMessageBox(QMessageBox.Icon.Warning, title, str(exc), QMessageBox.StandardButton.Ok, parent)
        box.button(QMessageBox.StandardButton.Ok).setText("确定")
        box.exec()
        return
    details = log_exception(exc, tb)
    ErrorDialog(exc, details, parent).exec()
