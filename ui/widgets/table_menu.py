"""The right-click menu every list has, as in office programs: open, copy the selected rows, export the
rows shown (after filters and sorting) to Excel."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QMetaMethod, QModelIndex, QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu, QMessageBox, QTableView

from app.errors import LedgerError


def shown_table(view: QTableView) -> tuple[list[str], list[list[str]]]:
    """The headers and the text of every row shown, in the order shown (hidden columns left out)."""
    model = view.model()
    cols = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)]
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal) or "").replace("\n", "") for c in cols]
    rows = [[str(model.index(r, c).data() or "") for c in cols] for r in range(model.rowCount())
            if not view.isRowHidden(r)]
    return headers, rows


def selected_text(view: QTableView) -> str:
    model = view.model()
    rows = sorted({i.row() for i in view.selectionModel().selectedIndexes()}) if view.selectionModel() else []
    cols = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)]
    return "".join("\t".join(str(model.index(r, c).data() or "") for c in cols) + "\n" for r in rows)


def _opens(view: QTableView) -> bool:
    return view.isSignalConnected(QMetaMethod.fromSignal(view.doubleClicked))


def install(view: QTableView, name: str = "表格") -> None:
    """Give ``view`` the menu; ``name`` titles the exported sheet and suggests its file name."""
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.customContextMenuRequested.connect(lambda pos: _show(view, name, pos))


def build_menu(view: QTableView, name: str, index: QModelIndex) -> QMenu:
    menu = QMenu(view)
    if index.isValid() and _opens(view):
        menu.addAction("打开", lambda: view.doubleClicked.emit(index))
        menu.addSeparator()
    copy = menu.addAction("复制所选行", lambda: QGuiApplication.clipboard().setText(selected_text(view)))
    copy.setEnabled(bool(view.selectionModel() and view.selectionModel().selectedIndexes()))
    export = menu.addAction("导出显示的行到 Excel…", lambda: export_shown(view, name))
    export.setEnabled(view.model().rowCount() > 0)
    return menu


def _show(view: QTableView, name: str, pos: QPoint) -> None:
    build_menu(view, name, view.indexAt(pos)).exec(view.viewport().mapToGlobal(pos))


def export_shown(view: QTableView, name: str, path: str | None = None) -> str | None:
    from app.io.table_export import export_table
    from ui.widgets import files

    target = path or files.save_file(view, "导出到 Excel", f"{name}.xlsx", "Excel 工作簿 (*.xlsx)")
    if not target:
        return None
    if not target.endswith(".xlsx"):
        target += ".xlsx"
    headers, rows = shown_table(view)
    try:
        export_table(target, name, name, f"导出于 {datetime.now():%Y-%m-%d %H:%M}，共 {len(rows)} 行（按屏幕上的筛选和排序）",
                     headers, rows)
    except LedgerError as e:
        QMessageBox.warning(view, "导出到 Excel", str(e))
        return None
    window = view.window()
    if hasattr(window, "status"):
        window.status(f"已导出 {len(rows)} 行到 {target}")
    return target
