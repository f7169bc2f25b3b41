"""Entry widgets for a filed record's composite fields (types in app/forms.py):

- RosterAttendanceEdit: 应到/实到/缺席 ticked from the organisation's roster of the record's date, with a
  reason for each absentee; or, unticked “按花名册逐人登记”, plain counts and a text (old records).
- VoteEdit: 赞成/反对/弃权 counts.
- DuesTableEdit: the 党费 table, one row per member (姓名, 缴费基数, 应缴, 实缴, 缴纳日期), filled from the roster.

They only collect what was typed; app/services/book/fields.py checks it and its message is shown in the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

RosterSource = Callable[[date], list[str]]
TABLE_ROWS_VISIBLE = 7


def _fixed_rows(table: QTableWidget, rows: int) -> None:
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    h = table.horizontalHeader().sizeHint().height() + table.verticalHeader().defaultSectionSize() * rows + 4
    table.setFixedHeight(h)


class RosterAttendanceEdit(QWidget):
    """出席情况: a row per member on the roster that day — 出席 ticked, or a 缺席原因 typed."""

    NAME, PRESENT, REASON = range(3)

    def __init__(self, roster: RosterSource | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.roster = roster
        self.on: date | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.named = QCheckBox("按花名册逐人登记")
        self.named.setChecked(True)
        self.expected, self.actual = QSpinBox(), QSpinBox()
        for spin in (self.expected, self.actual):
            spin.setRange(0, 1000)
        self.absent_count = QLabel()
        self.all_present = QPushButton("全部出席")
        top.addWidget(self.named)
        top.addSpacing(12)
        top.addWidget(QLabel("应到"))
        top.addWidget(self.expected)
        top.addWidget(QLabel("实到"))
        top.addWidget(self.actual)
        top.addWidget(self.absent_count)
        top.addStretch(1)
        top.addWidget(self.all_present)
        box.addLayout(top)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["姓名", "出席", "缺席原因（未出席者必填）"])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(self.NAME, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(self.PRESENT, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(self.REASON, QHeaderView.ResizeMode.Stretch)
        _fixed_rows(self.table, TABLE_ROWS_VISIBLE)
        box.addWidget(self.table)
        self.absentees = QLineEdit()
        self.absentees.setPlaceholderText("缺席人员及原因，如 李四（病假）、王五（出差）")
        box.addWidget(self.absentees)
        self.empty_hint = QLabel("本组织在这一天的花名册中没有党员，可取消“按花名册逐人登记”后只填人数。")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("QLabel { color: #555; }")
        box.addWidget(self.empty_hint)
        self.named.toggled.connect(self._mode)
        self.table.itemChanged.connect(self._count)
        self.all_present.clicked.connect(self.tick_all)
        self._mode(True)

    # --- roster ---------------------------------------------------------------------------
    def set_date(self, on: date) -> None:
        """Load the roster of ``on``, keeping the ticks and reasons of names already listed."""
        self.on = on
        if self.roster is None:
            return
        keep = self.rows()
        names = self.roster(on)
        self._fill([(n, keep.get(n, (True, ""))[0], keep.get(n, (True, ""))[1]) for n in names])

    def _fill(self, rows: list[tuple[str, bool, str]]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for i, (name, present, reason) in enumerate(rows):
            item = QTableWidgetItem(name)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(i, self.NAME, item)
            tick = QTableWidgetItem("出席")
            tick.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            tick.setCheckState(Qt.CheckState.Checked if present else Qt.CheckState.Unchecked)
            self.table.setItem(i, self.PRESENT, tick)
            self.table.setItem(i, self.REASON, QTableWidgetItem(reason))
        self.table.blockSignals(False)
        self._count()

    def rows(self) -> dict[str, tuple[bool, str]]:
        out = {}
        for i in range(self.table.rowCount()):
            name = self.table.item(i, self.NAME).text()
            present = self.table.item(i, self.PRESENT).checkState() == Qt.CheckState.Checked
            reason = self.table.item(i, self.REASON)
            out[name] = (present, reason.text().strip() if reason else "")
        return out

    def tick(self, name: str, present: bool, reason: str = "") -> None:
        for i in range(self.table.rowCount()):
            if self.table.item(i, self.NAME).text() == name:
                self.table.item(i, self.PRESENT).setCheckState(
                    Qt.CheckState.Checked if present else Qt.CheckState.Unchecked)
                self.table.item(i, self.REASON).setText(reason)
                return
        raise KeyError(name)

    def tick_all(self) -> None:
        for i in range(self.table.rowCount()):
            self.table.item(i, self.PRESENT).setCheckState(Qt.CheckState.Checked)

    # --- state ----------------------------------------------------------------------------
    def _mode(self, named: bool) -> None:
        if named and self.table.rowCount() == 0 and self.on is not None:
            self.set_date(self.on)
        self.table.setVisible(named)
        self.all_present.setVisible(named)
        self.absentees.setVisible(not named)
        for spin in (self.expected, self.actual):
            spin.setReadOnly(named)
            spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons if named else QSpinBox.ButtonSymbols.UpDownArrows)
        self.empty_hint.setVisible(named and self.table.rowCount() == 0)
        self._count()

    def _count(self, *_args: Any) -> None:
        if self.named.isChecked():
            rows = self.rows()
            self.expected.setValue(len(rows))
            self.actual.setValue(sum(1 for p, _r in rows.values() if p))
            self.empty_hint.setVisible(not rows)
        absent = self.expected.value() - self.actual.value()
        self.absent_count.setText(f"缺席 {absent} 人" if absent > 0 else "")

    def value(self) -> Any:
        if self.named.isChecked():
            rows = self.rows()
            if not rows:
                return ""
            return {"present": [n for n, (p, _r) in rows.items() if p],
                    "absent": [{"name": n, "reason": r} for n, (p, r) in rows.items() if not p]}
        e, a, text = self.expected.value(), self.actual.value(), self.absentees.text().strip()
        if e == 0 and a == 0 and not text:
            return ""
        return {"expected": e, "actual": a, "absentees": text}

    def set_counts(self, expected: int, actual: int, absentees: str = "") -> None:
        """Counts only, without names (as old records were kept)."""
        self.named.setChecked(False)
        self.expected.setValue(expected)
        self.actual.setValue(actual)
        self.absentees.setText(absentees)
        self._count()

    def set_record(self, record: Any) -> None:
        """An existing record: its own names (a counts-only old record opens with counts and text)."""
        roster = getattr(record, "roster", None)
        if roster:
            rows = [(n, True, "") for n in roster.get("present", [])]
            rows += [(a["name"], False, a.get("reason", "")) for a in roster.get("absent", [])]
            self.named.setChecked(True)
            self._fill(rows)
        elif record.attendance_expected is not None or record.absentees:
            self.named.setChecked(False)
            self.expected.setValue(record.attendance_expected or 0)
            self.actual.setValue(record.attendance_actual or 0)
            self.absentees.setText(record.absentees or "")
        self._count()


class VoteEdit(QWidget):
    """表决结果: 赞成 / 反对 / 弃权; all 0 means no vote was taken."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.spins: dict[str, QSpinBox] = {}
        for key, label in (("for", "赞成"), ("against", "反对"), ("abstain", "弃权")):
            spin = QSpinBox()
            spin.setRange(0, 1000)
            spin.setSuffix(" 票")
            self.spins[key] = spin
            row.addWidget(QLabel(label))
            row.addWidget(spin)
        row.addStretch(1)

    def value(self) -> Any:
        votes = {k: s.value() for k, s in self.spins.items()}
        return votes if any(votes.values()) else ""

    def set_value(self, value: Any) -> None:
        if isinstance(value, dict):
            for k, s in self.spins.items():
                s.setValue(int(value.get(k, 0) or 0))


class DuesTableEdit(QWidget):
    """党费明细: one row per member; amounts typed as on paper (1500, 23.45)."""

    HEAD = ("姓名", "缴费基数（元）", "应缴（元）", "实缴（元）", "缴纳日期")
    KEYS = ("name", "base", "due", "paid", "paid_on")

    def __init__(self, roster: RosterSource | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.roster = roster
        self.on: date | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(self.HEAD))
        self.table.setHorizontalHeaderLabels(list(self.HEAD))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        _fixed_rows(self.table, TABLE_ROWS_VISIBLE)
        box.addWidget(self.table)
        buttons = QHBoxLayout()
        self.from_roster = QPushButton("按花名册填入姓名")
        self.add_row = QPushButton("添加一行")
        self.remove_row = QPushButton("删除所选行")
        for b in (self.from_roster, self.add_row, self.remove_row):
            buttons.addWidget(b)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.from_roster.clicked.connect(self.fill_from_roster)
        self.add_row.clicked.connect(lambda: self.table.insertRow(self.table.rowCount()))
        self.remove_row.clicked.connect(self._remove)
        self.from_roster.setEnabled(roster is not None)

    def set_date(self, on: date) -> None:
        self.on = on

    def fill_from_roster(self) -> None:
        if self.roster is None or self.on is None:
            return
        have = {r[0] for r in self.value()}
        for name in self.roster(self.on):
            if name not in have:
                self._append([name, "", "", "", ""])

    def _append(self, cells: list[str]) -> None:
        i = self.table.rowCount()
        self.table.insertRow(i)
        for c, text in enumerate(cells):
            self.table.setItem(i, c, QTableWidgetItem(text))

    def _remove(self) -> None:
        for i in sorted({ix.row() for ix in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(i)

    def set_cell(self, row: int, key: str, text: str) -> None:
        self.table.setItem(row, self.KEYS.index(key), QTableWidgetItem(text))

    def value(self) -> list[list[str]]:
        out = []
        for i in range(self.table.rowCount()):
            cells = [(self.table.item(i, c).text().strip() if self.table.item(i, c) else "")
                     for c in range(len(self.HEAD))]
            if any(cells):
                out.append(cells)
        return out

    def set_rows(self, rows: Any) -> None:
        self.table.setRowCount(0)
        for r in rows or []:
            self._append([str(r.get(k, "")) for k in self.KEYS])
