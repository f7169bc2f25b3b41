"""A table model over a list of frozen dataclasses, and a proxy that filters and sorts it.

For thousands of rows filtered on every keystroke, skip the proxy: filter the list in Python
(``search_text``) and ``set_rows`` the result; ``RowTableModel.sort`` sorts in Python.

    COLUMNS = [
        Column("编码", lambda o: o.code),
        Column("名称", lambda o: o.name),
        Column("年度得分", lambda o: fmt(o.score), sort=lambda o: o.score, align=RIGHT,
               background=lambda o: level_color(o)),
    ]
    model = RowTableModel(COLUMNS)
    model.set_rows(services.thing.list(...))
    proxy = FilterProxy(text_columns=(0, 1)); proxy.setSourceModel(model)
    view.setModel(proxy); view.setSortingEnabled(True)

``SORT_ROLE`` holds the native value (Decimal, int, date, str) so numbers sort as numbers;
``ROW_ROLE`` returns the dataclass of a row. The model never queries: pages give it rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter

Getter = Callable[[Any], Any]


LONG_TEXT = 8  # characters beyond which a cell may be elided and so gets its text as a tooltip


@dataclass(frozen=True)
class Column:
    """One column: header, how to display a row, and optional sort/colour/tooltip getters.

    ``background``/``foreground`` may return a colour string ("#f2c200"), a QColor or None.
    """

    header: str
    display: Getter
    sort: Getter | None = None
    align: Qt.AlignmentFlag = LEFT
    background: Getter | None = None
    foreground: Getter | None = None
    tooltip: Getter | None = None
    width: int | None = None  # a hint for the view, in pixels


def _brush(value: Any) -> QBrush | None:
    if not value:
        return None
    return QBrush(value if isinstance(value, QColor) else QColor(value))


class RowTableModel(QAbstractTableModel):
    """Read-only rows of dataclasses; ``set_rows`` replaces them all (one reset, no per-row work)."""

    def __init__(self, columns: Sequence[Column], parent=None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []
        self._sorted: tuple[int, bool] | None = None  # (column, descending) once sorted by a view

    # -- data in -------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if self._sorted is not None:
            try:
                self._rows.sort(key=self._sort_key(self._sorted[0]), reverse=self._sorted[1])
            except TypeError:
                self._sorted = None
        self.endResetModel()

    def _sort_key(self, column: int) -> Callable[[Any], Any]:
        get = self.columns[column].sort or self.columns[column].display
        return lambda row: (0, "") if get(row) is None else (1, get(row))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python by the column's native sort value (used when no proxy sits between
        the model and a view with sorting enabled). ``column`` −1 keeps the given order."""
        if not 0 <= column < len(self.columns):
            self._sorted = None
            return
        self.layoutAboutToBeChanged.emit()
        self._sorted = (column, order == Qt.SortOrder.DescendingOrder)
        try:
            self._rows.sort(key=self._sort_key(column), reverse=self._sorted[1])
        except TypeError:  # mixed types in one column: compare as text
            self._rows.sort(key=lambda r: str(self._sort_key(column)(r)), reverse=self._sorted[1])
        self.layoutChanged.emit()

    def update_rows(self, rows: Iterable[Any]) -> None:
        """Replace rows that stand for the same records in the same order (e.g. a column filled
        in later): selection and scroll position survive, unlike ``set_rows``."""
        new = list(rows)
        if len(new) != len(self._rows):
            self.set_rows(new)
            return
        self._rows = new
        if new:
            self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, len(self.columns) - 1))

    def rows(self) -> list[Any]:
        return self._rows

    def row(self, index: int) -> Any:
        return self._rows[index]

    def find(self, predicate: Callable[[Any], bool]) -> int:
        """Row number of the first row for which ``predicate`` holds, or -1."""
        for i, r in enumerate(self._rows):
            if predicate(r):
                return i
        return -1

    # -- Qt ------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(self.columns[section].align)
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.display(row)
            return "" if value is None else str(value)
        if role == SORT_ROLE:
            value = (col.sort or col.display)(row)
            # None sorts first without comparing to Decimals or dates.
            return (0, "") if value is None else (1, value)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align)
        if role == Qt.ItemDataRole.BackgroundRole and col.background:
            return _brush(col.background(row))
        if role == Qt.ItemDataRole.ForegroundRole and col.foreground:
            return _brush(col.foreground(row))
        if role == Qt.ItemDataRole.ToolTipRole:
            if col.tooltip:
                return col.tooltip(row)
            # A long text may be elided in a narrow column: hovering shows it whole.
            value = col.display(row)
            text = "" if value is None else str(value)
            return text if len(text) > LONG_TEXT else None
        return None


def search_text(row: Any, columns: Sequence[Column]) -> str:
    """The casefolded text of ``columns`` of a row, for “contains” searches without a proxy."""
    return "\x1f".join(str(c.display(row) or "") for c in columns).casefold()


class FilterProxy(QSortFilterProxyModel):
    """Case-insensitive “contains” text filter over chosen columns, plus an optional row predicate.

    Sorting compares ``SORT_ROLE`` values (native types), not the displayed strings.
    """

    def __init__(self, text_columns: Sequence[int] = (), parent=None) -> None:
        super().__init__(parent)
        self._columns = tuple(text_columns)
        self._needle = ""
        self._predicate: Callable[[Any], bool] | None = None
        self._keys: list[str] | None = None  # casefolded searchable text per source row
        self.setSortRole(SORT_ROLE)

    def setSourceModel(self, model) -> None:
        super().setSourceModel(model)
        for signal in (model.modelReset, model.dataChanged, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            signal.connect(self._forget_keys)

    def _forget_keys(self, *_args: object) -> None:
        self._keys = None

    def _search_keys(self, model: RowTableModel) -> list[str]:
        # Built once per data change so a keystroke is one substring test per row.
        if self._keys is None or len(self._keys) != model.rowCount():
            cols = [model.columns[c] for c in self._columns] if self._columns else model.columns
            self._keys = [search_text(row, cols) for row in model.rows()]
        return self._keys

    def set_text(self, text: str) -> None:
        needle = text.strip().casefold()
        if needle != self._needle:
            self.beginFilterChange()
            self._needle = needle
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        """Keep only rows (dataclasses) for which ``predicate(row)`` is true; None keeps all."""
        self.beginFilterChange()
        self._predicate = predicate
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if isinstance(model, RowTableModel):
            # Fast path: call the column getters directly instead of going through data().
            row = model.row(source_row)
            if self._predicate is not None and not self._predicate(row):
                return False
            return not self._needle or self._needle in self._search_keys(model)[source_row]
        if not self._needle:
            return True
        columns = self._columns or range(model.columnCount())
        for c in columns:
            value = model.data(model.index(source_row, c, source_parent), Qt.ItemDataRole.DisplayRole)
            if value and self._needle in str(value).casefold():
                return True
        return False

    def lessThan(self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return a < b
        except TypeError:  # mixed types in one column: fall back to text
            return str(a) < str(b)

    def source_row(self, proxy_row: int) -> Any:
        """The dataclass shown at ``proxy_row`` of this proxy."""
        src = self.mapToSource(self.index(proxy_row, 0))
        return self.sourceModel().data(src, ROW_ROLE)
