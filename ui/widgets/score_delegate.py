"""Spreadsheet-style editing of a score cell: Enter saves and moves down, Tab moves right.

A value the services refuse (over a cap, not a number…) keeps the editor open with a red
border and the reason as a tooltip, and nothing is written. Cells with points from linked
work records get a small corner marker.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPolygon
from PySide6.QtWidgets import QAbstractItemDelegate, QLineEdit, QStyledItemDelegate, QToolTip, QWidget

from ui.models.monthly_grid import MARKER_ROLE

REFUSED_STYLE = "QLineEdit { border: 2px solid #d7261e; background: #fff3f2; }"
MARKER_COLOR = QColor("#2f6fb5")

# Commit callback: (view index, typed text) → error message, or None when saved.
Commit = Callable[[QModelIndex, str], "str | None"]


class ScoreDelegate(QStyledItemDelegate):
    moved = Signal(QModelIndex, int, int)  # index just saved, row step, column step
    failed = Signal(str)  # a commit refused: shown in the page's status line (the editor may be gone)

    def __init__(self, commit: Commit | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.commit = commit
        self._index = QPersistentModelIndex()
        self._done = False
        self.last_error = ""

    def paint(self, painter: QPainter, option, index: QModelIndex) -> None:
        super().paint(painter, option, index)
        if index.data(MARKER_ROLE) is True:
            r = option.rect
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(MARKER_COLOR)
            painter.drawPolygon(QPolygon([QPoint(r.left(), r.top()), QPoint(r.left() + 7, r.top()),
                                          QPoint(r.left(), r.top() + 7)]))
            painter.restore()

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        editor.setFrame(False)
        self._index = QPersistentModelIndex(index)
        self._done = False
        self.last_error = ""
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        assert isinstance(editor, QLineEdit)
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        # Reached when focus leaves the editor; Enter/Tab were already handled in eventFilter.
        if self._done or self.commit is None or not isinstance(editor, QLineEdit):
            return
        if editor.text().strip() == str(index.data(Qt.ItemDataRole.EditRole) or ""):
            return
        error = self.commit(index, editor.text())
        if error:
            self.last_error = error
            self.failed.emit(error)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            isinstance(obj, QLineEdit)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and self._index.isValid()
            and self.commit is not None
        ):
            index = QModelIndex(self._index)
            error = self.commit(index, obj.text())
            if error:
                self.refuse(obj, error)
                return True
            self._done = True
            self.closeEditor.emit(obj, QAbstractItemDelegate.EndEditHint.NoHint)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                step = (-1, 0) if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else (1, 0)
            else:
                step = (0, -1) if event.key() == Qt.Key.Key_Backtab else (0, 1)
            self.moved.emit(index, *step)
            return True
        return super().eventFilter(obj, event)

    def refuse(self, editor: QLineEdit, error: str) -> None:
        """Keep the editor open, marked red, with the reason next to it."""
        self.last_error = error
        editor.setStyleSheet(REFUSED_STYLE)
        editor.setToolTip(error)
        editor.selectAll()
        QToolTip.showText(editor.mapToGlobal(QPoint(0, editor.height())), error, editor)
        self.failed.emit(error)  # the tooltip fades; the status line keeps the reason
