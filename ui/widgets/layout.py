"""Small layout helpers shared by pages: a page heading and a figure card."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget


def page_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


def hint(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


class Card(QFrame):
    """A framed figure: a big number over a caption, optionally coloured; ``clicked`` when it leads somewhere."""

    clicked = Signal()

    def __init__(self, caption: str, color: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(0)
        self.number = QLabel("–")
        self.number.setObjectName("cardNumber")
        if color:
            self.number.setStyleSheet(f"color: {color};")
        self.caption = QLabel(caption)
        self.caption.setObjectName("cardLabel")
        layout.addWidget(self.number)
        layout.addWidget(self.caption)

    def lead_to(self, tooltip: str) -> None:
        """Make the card a link (hand cursor, tooltip saying where it goes)."""
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(tooltip)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def set_value(self, value: object, caption: str | None = None) -> None:
        self.number.setText(str(value))
        if caption is not None:
            self.caption.setText(caption)


def row(*widgets: QWidget, stretch_last: bool = False) -> QHBoxLayout:
    layout = QHBoxLayout()
    for w in widgets:
        layout.addWidget(w)
    if not stretch_last:
        layout.addStretch(1)
    return layout
