"""周记录 grid: instructors × the counted items of one ISO week, typed like the monthly grid (Enter saves and
moves down, Tab right, Ctrl+Z undoes the last entry; a paste, clear or fill-down of many cells is one
write and one undo). Every write goes through the weekly service."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain import instructors as rules
from app.errors import LedgerError
from app.services.instructors import weekly
from app.services.kernel.context import Ledger

FIELDS = tuple(rules.COUNTS)
COL_GROUP, COL_NAME = 0, 1
FIXED = 2
HEADERS = ("小组", "指导员", *(rules.COUNTS[k] for k in FIELDS))
EDITABLE_BG = QBrush(QColor("#fffdf2"))


@dataclass(frozen=True)
class Change:
    instructor_id: int
    field: str
    before: int
    after: int


@dataclass(frozen=True)
class UndoStep:
    week: str
    changes: tuple[Change, ...]
    label: str


class WeekGridModel(QAbstractTableModel):
    def __init__(self, ledger: Ledger, parent=None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.week = ""
        self.rows: list[tuple[int, str, str, str, dict[str, int]]] = []  # (id, name, station, group, counts)
        self.undo_stack: list[UndoStep] = []

    def load(self, week: str) -> None:
        self.beginResetModel()
        self.week = week
        self.rows = weekly.week_grid(self.ledger, week)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() >= FIXED else base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        _iid, name, _station, group, counts = self.rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == COL_GROUP:
                return group
            if col == COL_NAME:
                return name
            value = counts[FIELDS[col - FIXED]]
            return ("" if value == 0 else str(value)) if role == Qt.ItemDataRole.DisplayRole else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= FIXED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and col >= FIXED:
            return EDITABLE_BG
        return None

    def write(self, index: QModelIndex | QPersistentModelIndex, text: str) -> str | None:
        """Save a typed count; the refusal in words, or None when saved (or unchanged)."""
        if index.column() < FIXED or not self.rows:
            return "这一列不能录入"
        iid, name, _station, _group, counts = self.rows[index.row()]
        field = FIELDS[index.column() - FIXED]
        raw = text.strip() or "0"
        try:
            after = weekly.check_counts({**counts, field: raw})[field]
        except LedgerError as e:
            return str(e)
        before = counts[field]
        if before == after:
            return None
        change = Change(iid, field, before, after)
        error = self._apply(self.week, [change], after=True)
        if error is None:
            self.undo_stack.append(UndoStep(self.week, (change,), f"{name} {rules.COUNTS[field]}"))
        return error

    def write_block(self, cells: list[tuple[QModelIndex | QPersistentModelIndex, str]],
                    verb: str = "粘贴") -> tuple[int, list[str]]:
        """Write many cells at once (a paste, a clear, a fill-down), each judged as if typed; the accepted
        ones saved in one transaction and undone by one Ctrl+Z. (cells written, "name item：reason" each)."""
        refused: list[str] = []
        wanted: dict[int, dict[str, int]] = {}
        for index, text in cells:
            if index.column() < FIXED or not 0 <= index.row() < len(self.rows):
                refused.append(f"第 {index.column() + 1} 列：这一列不能录入")
                continue
            iid, name, _station, _group, counts = self.rows[index.row()]
            field = FIELDS[index.column() - FIXED]
            try:
                value = weekly.check_counts({**counts, field: text.strip() or "0"})[field]
            except LedgerError as e:
                refused.append(f"{name} {rules.COUNTS[field]}：{e}")
                continue
            wanted.setdefault(iid, {})[field] = value
        for iid, fields in list(wanted.items()):  # a row's cells together (A岗 + B岗 at most 7 days)
            try:
                weekly.check_counts({**self._counts(iid), **fields})
            except LedgerError as e:
                name = next(r[1] for r in self.rows if r[0] == iid)
                refused += [f"{name} {rules.COUNTS[f]}：{e}" for f in fields]
                del wanted[iid]
        changes = [Change(iid, f, self._counts(iid)[f], v) for iid, fields in wanted.items()
                   for f, v in fields.items() if self._counts(iid)[f] != v]
        if not changes:
            return 0, refused
        error = self._apply(self.week, changes, after=True)
        if error is not None:
            return 0, [*refused, error]
        self.undo_stack.append(UndoStep(self.week, tuple(changes), f"{verb} {len(changes)} 个单元格"))
        return len(changes), refused

    def _counts(self, iid: int) -> dict[str, int]:
        return next(r[4] for r in self.rows if r[0] == iid)

    def _apply(self, week: str, changes: list[Change] | tuple[Change, ...], *, after: bool) -> str | None:
        """Save every change's after (or before) value in one call of the weekly service (all or nothing)."""
        rows = {r[0]: r[4] for r in (self.rows if week == self.week else weekly.week_grid(self.ledger, week))}
        merged: dict[int, dict[str, int]] = {}
        for c in changes:
            merged.setdefault(c.instructor_id, dict(rows[c.instructor_id]))[c.field] = c.after if after else c.before
        try:
            weekly.save_week(self.ledger, week, {str(iid): counts for iid, counts in merged.items()})
        except LedgerError as e:
            return str(e)
        if week == self.week:
            for n, r in enumerate(self.rows):
                if r[0] in merged:
                    r[4].update(merged[r[0]])
                    self.dataChanged.emit(self.index(n, FIXED), self.index(n, self.columnCount() - 1))
        return None

    def undo(self) -> tuple[str | None, UndoStep | None]:
        if not self.undo_stack:
            return "没有可撤销的录入", None
        step = self.undo_stack[-1]
        error = self._apply(step.week, step.changes, after=False)
        if error is None:
            self.undo_stack.pop()
        return error, step

    def row_of(self, instructor_id: int) -> int | None:
        return next((n for n, r in enumerate(self.rows) if r[0] == instructor_id), None)
