"""An empty list says why it is empty and what to do, instead of showing a blank grid."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QAbstractItemView, QTableView

DEFAULT = "这里还没有内容。"
FILTERED = "没有符合当前查找或筛选条件的行：清除查找框或把筛选改回“全部”试试。"


def empty_text(view: QAbstractItemView, own: str) -> str:
    model = view.model()
    source = model
    while hasattr(source, "sourceModel") and source.sourceModel() is not None:
        source = source.sourceModel()
    if source is not model and source.rowCount() > 0:
        return FILTERED  # rows exist, the filter hides them all
    return own or DEFAULT


class TableView(QTableView):
    """A table that, with no rows, writes why in the middle of its empty area."""

    def __init__(self, parent=None, empty: str = DEFAULT) -> None:
        super().__init__(parent)
        self.empty = empty

    def set_empty_text(self, text: str) -> None:
        self.empty = text
        self.viewport().update()

    def shown_empty_text(self) -> str:
        return empty_text(self, self.empty) if self.model() is not None and self.model().rowCount() == 0 else ""

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        text = self.shown_empty_text()
        if text:
            painter = QPainter(self.viewport())
            painter.setPen(QColor("#777777"))
            area = self.viewport().rect().adjusted(24, 16, -24, -16)
            painter.drawText(area, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                                       | Qt.TextFlag.TextWordWrap), text)
            painter.end()
