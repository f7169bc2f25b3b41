"""Spreadsheet keys for an editable grid, as users know them from Excel and WPS.

- Delete / Backspace clears the selected cells;
- Ctrl+C copies the selected rectangle as tab-separated text (what Excel puts on the clipboard);
- Ctrl+V pastes a block copied from Excel or WPS, starting at the current cell;
- Ctrl+D fills the top row of the selection down through the selected rows.

The grid's owner gives one ``write(cells, verb)`` callback taking [(view index, text)] and returning
(cells written, reasons of the refused ones): every cell is judged as if typed, the accepted ones are
written together and undone together. Cells outside the editable columns are refused with a reason,
not skipped silently.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView

Write = Callable[[list[tuple[QModelIndex, str]], str], tuple[int, list[str]]]
Report = Callable[[str, list[str]], None]  # (what was done, reasons of refused cells)


def show_report(status: QLabel, done: str, refused: list[str]) -> None:
    """What a paste, clear or fill-down did, in a grid's status line; the refused cells stay listed (all
    of them on hover) until the next edit."""
    status.setToolTip("\n".join(refused))
    if not refused:
        status.setText(done)
        return
    shown = "；".join(html.escape(r) for r in refused[:3])
    more = f"……共 {len(refused)} 格（鼠标停在这里看全部，红底格子的提示也写明原因）" if len(refused) > 3 else ""
    status.setText(f"{html.escape(done)}；<span style='color:#d7261e'>未录入 {len(refused)} 格：{shown}{more}</span>")


def parse_block(text: str) -> list[list[str]]:
    """Rows of cells from clipboard text: tab-separated, one line a row; Excel's final newline dropped;
    a quoted cell (Excel quotes cells holding a newline or tab) is unquoted."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return []
    rows = []
    for line in text.split("\n"):
        cells = []
        for cell in line.split("\t"):
            if len(cell) >= 2 and cell[0] == cell[-1] == '"':
                cell = cell[1:-1].replace('""', '"')
            cells.append(cell.strip())
        rows.append(cells)
    return rows


def block_text(view: QTableView) -> str:
    """The selected rectangle (the bounding box of the selection) as tab-separated lines."""
    indexes = view.selectionModel().selectedIndexes() if view.selectionModel() else []
    if not indexes:
        current = view.currentIndex()
        indexes = [current] if current.isValid() else []
    if not indexes:
        return ""
    rows = sorted({i.row() for i in indexes})
    cols = sorted({i.column() for i in indexes})
    model = view.model()
    lines = []
    for r in range(rows[0], rows[-1] + 1):
        if view.isRowHidden(r):
            continue
        cells = []
        for c in range(cols[0], cols[-1] + 1):
            if view.isColumnHidden(c):
                continue
            value = model.index(r, c).data(Qt.ItemDataRole.DisplayRole)
            cells.append("" if value is None else str(value).replace("\n", "").replace("\t", " "))
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


class SheetKeys(QObject):
    def __init__(self, view: QTableView, write: Write, report: Report) -> None:
        super().__init__(view)
        self.view, self.write, self.report = view, write, report
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.view and event.type() == QEvent.Type.KeyPress and self.view.state() != \
                QAbstractItemView.State.EditingState:
            return self.key(event)  # type: ignore[arg-type]
        return super().eventFilter(obj, event)

    def key(self, event: QKeyEvent) -> bool:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            return True
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            return True
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers():
            self.clear()
            return True
        if event.key() == Qt.Key.Key_D and event.modifiers() == Qt.KeyboardModifier.ControlModifier:
            self.fill_down()
            return True
        return False

    # --- actions ---------------------------------------------------------------------------
    def _selected(self) -> list[QModelIndex]:
        indexes = self.view.selectionModel().selectedIndexes()
        if not indexes and self.view.currentIndex().isValid():
            indexes = [self.view.currentIndex()]
        return sorted(indexes, key=lambda i: (i.row(), i.column()))

    def _editable(self, index: QModelIndex) -> bool:
        return bool(index.flags() & Qt.ItemFlag.ItemIsEditable)

    def _run(self, cells: list[tuple[QModelIndex, str]], verb: str, refused: list[str] | None = None) -> None:
        written, why = self.write(cells, verb) if cells else (0, [])
        self.report(f"已{verb} {written} 个单元格" if written else f"没有{verb}任何单元格", (refused or []) + why)

    def copy(self) -> str:
        text = block_text(self.view)
        if text:
            QGuiApplication.clipboard().setText(text)
            n = text.count("\n")
            self.report(f"已复制 {n} 行，可粘贴到 Excel 或 WPS", [])
        return text

    def clear(self) -> None:
        cells = [(i, "") for i in self._selected() if self._editable(i) and i.data(Qt.ItemDataRole.EditRole)]
        if cells:
            self._run(cells, "清除")

    def paste(self, text: str | None = None) -> None:
        block = parse_block(QGuiApplication.clipboard().text() if text is None else text)
        start = self.view.currentIndex()
        if not block or not start.isValid():
            return
        model = self.view.model()
        cells: list[tuple[QModelIndex, str]] = []
        outside: list[str] = []
        for dr, values in enumerate(block):
            r = start.row() + dr
            if r >= model.rowCount():
                outside.append(f"第 {dr + 1} 行起超出表格末行，未粘贴")
                break
            for dc, value in enumerate(values):
                index = model.index(r, start.column() + dc)
                if not index.isValid() or not self._editable(index):
                    if value:
                        outside.append(f"“{value}”落在不能录入的位置（第 {dr + 1} 行第 {dc + 1} 列），未粘贴")
                    continue
                cells.append((index, value))
        self._run(cells, "粘贴", outside)
        if cells:  # select what was pasted, as a spreadsheet does
            last = cells[-1][0]
            self.view.selectionModel().select(
                _rect(model, start, last), self.view.selectionModel().SelectionFlag.ClearAndSelect)

    def fill_down(self) -> None:
        indexes = self._selected()
        rows = sorted({i.row() for i in indexes})
        if len(rows) < 2:
            return
        top = {i.column(): i.data(Qt.ItemDataRole.EditRole) or "" for i in indexes if i.row() == rows[0]}
        cells = [(i, str(top[i.column()])) for i in indexes
                 if i.row() != rows[0] and i.column() in top and self._editable(i)]
        if cells:
            self._run(cells, "向下填充")


def _rect(model, first: QModelIndex, last: QModelIndex) -> QItemSelection:
    return QItemSelection(model.index(first.row(), first.column()), model.index(last.row(), last.column()))
