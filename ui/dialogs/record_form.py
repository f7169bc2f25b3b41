"""The 一本通 entry form, generated from a form template (app.forms) — the same one the printed page uses.

Field types map to widgets: date → QDateEdit, multiline → QPlainTextEdit of the template's rows,
attendance → two spin boxes 应到/实到, roster_attendance → the roster of the record's date to tick
(record_fields.py), vote → 赞成/反对/弃权, member_table → the 党费 table, choice → combo box,
int/money → line edit, text → line edit. Before saving, every problem — a required field left empty and each
refusal of the services' own check — is shown at once beneath its field (and listed at the foot), and the
dialog stays open with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QRegularExpression, Qt
from PySide6.QtGui import QFontMetrics, QIntValidator, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import FieldErrors, LedgerError
from app.forms import FormField, FormTemplate
from ui.widgets.field_errors import show_problems, with_error_line

from .record_fields import DuesTableEdit, RosterAttendanceEdit, RosterSource, VoteEdit

MAX_VISIBLE_ROWS = 8  # a 14-line field still fits a 768-pixel screen; it scrolls beyond that
ERROR_STYLE = "QLabel { color: #d7261e; }"


class AttendanceEdit(QWidget):
    """应到 / 实到 as two spin boxes; both 0 means “not recorded”."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.expected = QSpinBox()
        self.actual = QSpinBox()
        for spin in (self.expected, self.actual):
            spin.setRange(0, 1000)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("应到"))
        row.addWidget(self.expected)
        row.addWidget(QLabel("实到"))
        row.addWidget(self.actual)
        row.addStretch(1)

    def value(self) -> str:
        e, a = self.expected.value(), self.actual.value()
        return "" if e == 0 and a == 0 else f"{e}/{a}"

    def set_value(self, expected: int | None, actual: int | None) -> None:
        self.expected.setValue(expected or 0)
        self.actual.setValue(actual or 0)


def make_widget(field: FormField, today: date, roster: RosterSource | None = None) -> QWidget:
    if field.type == "date":
        w = QDateEdit()
        w.setCalendarPopup(True)
        w.setDisplayFormat("yyyy-MM-dd")
        w.setMaximumDate(QDate(today.year, today.month, today.day))
        w.setDate(QDate(today.year, today.month, today.day))
        return w
    if field.type == "multiline":
        w = QPlainTextEdit()
        lines = max(2, min(field.rows, MAX_VISIBLE_ROWS))
        w.setFixedHeight(QFontMetrics(w.font()).lineSpacing() * lines + 12)
        w.setTabChangesFocus(True)
        return w
    if field.type == "attendance":
        return AttendanceEdit()
    if field.type == "roster_attendance":
        return RosterAttendanceEdit(roster)
    if field.type == "vote":
        return VoteEdit()
    if field.type == "member_table":
        return DuesTableEdit(roster)
    if field.type == "choice":
        w = QComboBox()
        if not field.required:
            w.addItem("")
        w.addItems(list(field.choices))
        return w
    w = QLineEdit()
    if field.type == "int":
        w.setValidator(QIntValidator(0, 1_000_000, w))
    elif field.type in ("decimal", "money"):
        w.setValidator(QRegularExpressionValidator(QRegularExpression(r"^\d{0,9}(\.\d{0,2})?$"), w))
        w.setPlaceholderText("元，如 1500 或 23.45")
    return w


def widget_value(field: FormField, w: QWidget) -> Any:
    if isinstance(w, QDateEdit):
        d = w.date()
        return date(d.year(), d.month(), d.day())
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText().strip()
    if isinstance(w, (AttendanceEdit, RosterAttendanceEdit, VoteEdit, DuesTableEdit)):
        return w.value()
    if isinstance(w, QComboBox):
        return w.currentText()
    assert isinstance(w, QLineEdit)
    return w.text().strip()


def set_widget_value(w: QWidget, value: Any, record: Any = None) -> None:
    if isinstance(w, QDateEdit) and isinstance(value, date):
        w.setDate(QDate(value.year, value.month, value.day))
    elif isinstance(w, QPlainTextEdit):
        w.setPlainText(str(value or ""))
    elif isinstance(w, AttendanceEdit) and record is not None:
        w.set_value(record.attendance_expected, record.attendance_actual)
    elif isinstance(w, RosterAttendanceEdit) and record is not None:
        w.set_record(record)
    elif isinstance(w, VoteEdit):
        w.set_value(value)
    elif isinstance(w, DuesTableEdit):
        w.set_rows(value)
    elif isinstance(w, QComboBox):
        i = w.findText(str(value or ""))
        w.setCurrentIndex(max(i, 0))
    elif isinstance(w, QLineEdit):
        w.setText("" if value is None else str(value))


class RecordFormDialog(QDialog):
    """Add or edit one work record. ``save(values)`` writes it (add_record/update_record) or raises."""

    def __init__(
        self,
        template: FormTemplate,
        heading: str,
        save: Callable[[dict], Any],
        *,
        check: Callable[[dict], None] | None = None,
        today: date,
        record: Any = None,
        note: str = "",
        roster: RosterSource | None = None,
        type_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.template = template
        self.save = save  # writes and returns the record; None = the user chose not to save after all
        self.check = check  # raises FieldErrors naming every problem, writing nothing
        self.result_record: Any = None
        self.field_errors: dict[str, QLabel] = {}
        self.setWindowTitle(("修改" if record is not None else "新增") + template.title_for(type_name))
        self.widgets: dict[str, QWidget] = {}

        outer = QVBoxLayout(self)
        title = QLabel(f"<b>{heading}</b>")
        outer.addWidget(title)
        if note:
            hint = QLabel(note)
            hint.setWordWrap(True)
            hint.setStyleSheet("QLabel { color: #555; }")
            outer.addWidget(hint)

        body = QWidget()
        grid = QGridLayout(body)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        row, col = 0, 0
        for f in template.fields:
            w = make_widget(f, today, roster)
            w.setObjectName(f"field_{f.key}")
            self.widgets[f.key] = w
            label = QLabel(f"{f.label}{' *' if f.required else ''}")
            label.setBuddy(w)
            cell, self.field_errors[f.key] = with_error_line(w)
            if f.width >= 2 or f.type == "multiline":
                if col:
                    row, col = row + 1, 0
                grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(cell, row, 1, 1, 3)
                row += 1
            else:
                grid.addWidget(label, row, col * 2, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(cell, row, col * 2 + 1)
                col = 1 - col
                row += 1 if col == 0 else 0
            if record is not None:
                set_widget_value(w, record.value(f.key), record)
        self._follow_date(record is None)
        grid.setRowStretch(row + 1, 1)  # spare height goes below the fields, not between them
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.addWidget(scroll, 1)

        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        outer.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.resize(720, min(720, 200 + body.sizeHint().height()))

    def _follow_date(self, load_now: bool) -> None:
        """Roster fields list the members of the record's date, and follow it when the date changes."""
        date_edit = self.widgets.get("date")
        lists = [w for w in self.widgets.values() if isinstance(w, (RosterAttendanceEdit, DuesTableEdit))]
        if not isinstance(date_edit, QDateEdit) or not lists:
            return

        def on_date(d: QDate, *, first: bool = False) -> None:
            on = date(d.year(), d.month(), d.day())
            for w in lists:
                if isinstance(w, RosterAttendanceEdit) and first and not load_now:
                    w.on = on  # an existing record opens with its own names
                else:
                    w.set_date(on)

        on_date(date_edit.date(), first=True)
        date_edit.dateChanged.connect(on_date)

    def values(self) -> dict:
        values = {f.key: widget_value(f, self.widgets[f.key]) for f in self.template.fields}
        if any(isinstance(w, DuesTableEdit) and w.value() for w in self.widgets.values()) and "amount" in values:
            values["amount"] = ""  # with per-member rows the total is their sum (the service adds it up)
        return values

    def missing(self) -> list[str]:
        values = self.values()
        return [f.label for f in self.template.fields if f.required and values[f.key] in ("", None)]

    def problems(self) -> list[tuple[str, str]]:
        """Every problem of what is typed: empty required fields, then the services' check of the rest."""
        values = self.values()
        found = [(f.key, f"请填写{f.label}") for f in self.template.fields
                 if f.required and values[f.key] in ("", None)]
        if self.check is not None:
            try:
                self.check(values)
            except FieldErrors as e:
                flagged = {k for k, _m in found}
                found += [(k, m) for k, m in e.problems if k not in flagged]
            except LedgerError as e:
                found.append(("", str(e)))
        return found

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        """Each problem beneath its field (the first one focused), and all of them listed at the foot."""
        self.show_error(show_problems(self.field_errors, self.widgets, problems))

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def accept(self) -> None:
        problems = self.problems()
        if problems:
            self.show_problems(problems)
            return
        try:
            saved = self.save(self.values())
        except FieldErrors as e:
            self.show_problems(e.problems)
            return
        except LedgerError as e:
            self.show_error(str(e))
            return
        if saved is None:  # the user kept the dialog open (e.g. after a duplicate warning)
            return
        self.result_record = saved
        super().accept()
