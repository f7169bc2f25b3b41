"""A form dialog that saves through a service call and shows its refusal in place.

Subclasses add rows to ``self.form`` and implement ``save()``, which calls app.services and
returns the result. A LedgerError keeps the dialog open with the message shown in red above the
buttons (the service wrote nothing); anything else goes to the error dialog.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import LedgerError
from ui.widgets.errors import show_error

DATE_HINT = "如 2026-03-15，可不填"


class ServiceDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None, *, intro: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.result_value: Any = None
        layout = QVBoxLayout(self)
        self.intro: QLabel | None = None
        if intro:
            label = QLabel(intro)
            label.setObjectName("hint")
            label.setWordWrap(True)
            layout.addWidget(label)
            self.intro = label
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.message = QLabel()
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def showEvent(self, event) -> None:
        # A wrapped label's height depends on its width, which the layout learns only now: give it the
        # lines it needs so a long introduction is never cut off at the bottom.
        for label in (self.intro, self.message):
            if label is not None and label.isVisibleTo(self) and label.width() > 0:
                label.setMinimumHeight(label.heightForWidth(label.width()))
        self.adjustSize()
        super().showEvent(event)

    def save(self) -> Any:  # pragma: no cover - every subclass implements it
        raise NotImplementedError

    def try_save(self) -> bool:
        """Run ``save()``; True and close on success, else show why and stay open."""
        try:
            self.result_value = self.save()
        except LedgerError as exc:
            self.show_message(str(exc))
            return False
        except Exception as exc:
            show_error(self, exc)
            return False
        self.accept()
        return True

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- field helpers ---------------------------------------------------------------
    def line(self, label: str, value: object = "", placeholder: str = "") -> QLineEdit:
        edit = QLineEdit("" if value is None else str(value))
        if placeholder:
            edit.setPlaceholderText(placeholder)
        self.form.addRow(label, edit)
        return edit

    def date_line(self, label: str, value: date | None = None, placeholder: str = DATE_HINT) -> QLineEdit:
        return self.line(label, value.isoformat() if value else "", placeholder)

    def choice(self, label: str, options: tuple[str, ...] | list[str], value: str | None = None,
               *, allow_empty: bool = False) -> QComboBox:
        combo = QComboBox()
        if allow_empty:
            combo.addItem("")
        combo.addItems(list(options))
        if value:
            combo.setCurrentText(value)
        self.form.addRow(label, combo)
        return combo
