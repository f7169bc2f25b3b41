"""A read-only table view set up the way every list in the program looks."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QByteArray, QSettings, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.models.base import RowTableModel
from ui.widgets.empty_hint import DEFAULT, TableView


def list_view(model: QAbstractItemModel, parent: QWidget | None = None, *, stretch: int | None = None,
              name: str = "表格", menu: bool = True, empty: str = "") -> QTableView:
    """Rows selectable as a whole, no editing, widths from the columns' ``width`` hints, and the
    right-click menu (open, copy, export to Excel; ``name`` titles the export)."""
    view = TableView(parent, empty or DEFAULT)  # an empty list says why
    if name != "表格":
        view.setObjectName(f"{COLUMNS_KEY}{name}")  # its column widths are remembered under this name
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    # Organisation names differ at the end (…党支部 / …党委) and at the start: keep both ends.
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    source = model
    while hasattr(source, "sourceModel") and source.sourceModel() is not None:
        source = source.sourceModel()
    if isinstance(source, RowTableModel):
        for i, col in enumerate(source.columns):
            view.setColumnWidth(i, col.width or 110)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    if menu:
        from ui.widgets import table_menu

        table_menu.install(view, name)
    return view


def selected_row(view: QTableView) -> object | None:
    """The dataclass of the selected row (through any proxy), or None."""
    from ui.models.base import ROW_ROLE

    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    return rows[0].data(ROW_ROLE) if rows else None


COLUMNS_KEY = "table_"


def save_columns(page: QWidget, settings: QSettings, prefix: str) -> None:
    """Remember the column widths and order of a page's named lists (per user, in QSettings)."""
    for view in page.findChildren(QTableView):
        if view.objectName().startswith(COLUMNS_KEY):
            settings.setValue(f"{prefix}/columns/{view.objectName()[len(COLUMNS_KEY):]}",
                              view.horizontalHeader().saveState())


def restore_columns(page: QWidget, settings: QSettings, prefix: str) -> None:
    for view in page.findChildren(QTableView):
        if view.objectName().startswith(COLUMNS_KEY):
            state = settings.value(f"{prefix}/columns/{view.objectName()[len(COLUMNS_KEY):]}")
            if isinstance(state, QByteArray) and not state.isEmpty():
                view.horizontalHeader().restoreState(state)
