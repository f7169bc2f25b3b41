"""A form dialog that saves through a service call and shows its refusal in place.

Subclasses add rows to ``self.form`` and implement ``save()``, which calls app.services and
returns the result. A LedgerError keeps the dialog open with the message shown in red above the
buttons (the service wrote nothing); a FieldErrors shows each problem beneath its own field as well
(fields are named with ``key=`` when added); anything else goes to the error dialog.
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

from app.errors import FieldErrors, LedgerError
from ui.widgets.busy import wait_cursor
from ui.widgets.errors import show_error
from ui.widgets.field_errors import show_problems, with_error_line

DATE_HINT = "如 2026-03-15，可不填"


class ServiceDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None, *, intro: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.result_value: Any = None
        self.fields: dict[str, QWidget] = {}  # the services' field names → the widgets that edit them
        self.field_errors: dict[str, QLabel] = {}
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
        for err in self.field_errors.values():
            err.hide()
        try:
            with wait_cursor():  # a save may take seconds (a month list to every branch)
                self.result_value = self.save()
        except FieldErrors as exc:
            self.show_problems(exc.problems)
            return False
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

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        """Each problem beneath its field (the first such field focused); all of them above the buttons."""
        self.show_message(show_problems(self.field_errors, self.fields, problems))
        self.adjustSize()

    # -- field helpers ---------------------------------------------------------------
    def add_field(self, label: str, widget: QWidget, key: str | None = None) -> QWidget:
        """A form row; with ``key`` (the service's field name) a refusal of that field shows beneath it."""
        if key is None:
            self.form.addRow(label, widget)
            return widget
        box, err = with_error_line(widget)
        self.form.addRow(label, box)
        self.fields[key], self.field_errors[key] = widget, err
        return widget

    def line(self, label: str, value: object = "", placeholder: str = "", *, key: str | None = None) -> QLineEdit:
        edit = QLineEdit("" if value is None else str(value))
        if placeholder:
            edit.setPlaceholderText(placeholder)
        self.add_field(label, edit, key)
        return edit

    def date_line(self, label: str, value: date | None = None, placeholder: str = DATE_HINT, *,
                  key: str | None = None) -> QLineEdit:
        return self.line(label, value.isoformat() if value else "", placeholder, key=key)

    def choice(self, label: str, options: tuple[str, ...] | list[str], value: str | None = None,
               *, allow_empty: bool = False, key: str | None = None) -> QComboBox:
        combo = QComboBox()
        if allow_empty:
            combo.addItem("")
        combo.addItems(list(options))
        if value:
            combo.setCurrentText(value)
        self.add_field(label, combo, key)
        return combo
