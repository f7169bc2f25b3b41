"""组织台账: the organisation tree beside a filterable table, with details and editing below."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import PARENT_KINDS, SECTORS, Category, WarningLevel, quarter_of
from app.services.assessment import warnings
from app.services.register import orgs
from app.services.register.orgs import OrgInfo
from ui.context import ALL, GRADES, ORGS, UiContext
from ui.dialogs.org import MoveDialog, OrgDialog, StopDialog
from ui.models.base import RowTableModel, search_text
from ui.models.orgs import ORG_COLUMNS, ORG_TEXT_COLUMNS, OrgRow
from ui.pages.org_details import OrgDetails
from ui.widgets.errors import show_error
from ui.widgets.layout import hint, page_title
from ui.widgets.pickers import QUARTER_LABELS
from ui.widgets.tables import list_view, selected_row

ALL_LABEL = "全部"


def last_complete_quarter(year: int, month: int) -> tuple[int, int]:
    q = quarter_of(month)
    return (year, q - 1) if q > 1 else (year - 1, 4)


def load_rows(ledger, year: int) -> list[OrgRow]:
    """Every organisation with its class for ``year`` (one SQL pass); warning levels come later."""
    infos = orgs.list_orgs(ledger, year)
    parent_of = {o.code: o.parent_code for o in infos}
    rows = []
    for o in infos:
        chain: list[str] = []
        p = o.parent_code
        while p is not None and p not in chain:  # the guard stops on a (corrupt) loop
            chain.append(p)
            p = parent_of.get(p)
        rows.append(OrgRow(o, None, frozenset(chain)))
    # A 党委's 党员数 is its branches' members (its own count is usually left at 0).
    below: dict[str, int] = {}
    for r in rows:
        if r.info.kind not in PARENT_KINDS and r.info.active:
            for code in r.ancestors:
                below[code] = below.get(code, 0) + (r.info.member_count or 0)
    return [replace(r, members=below[r.code]) if r.info.kind in PARENT_KINDS and r.code in below else r
            for r in rows]


def load_levels(ledger, year: int, quarter: int) -> dict[str, WarningLevel]:
    return {w.org_code: w.level for w in warnings.quarter_warnings(ledger, year, quarter)}


class Page(QWidget):
    title = "组织台账"
    kinds = frozenset({ORGS, GRADES, ALL})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._loading = False
        self._select_after: str | None = None
        self._tree_code: str | None = None
        self.loaded_rows = 0
        self._refiltering = False  # re-selecting the same row after a filter keystroke
        self.levels_loaded = False

        self.search = QLineEdit()
        self.search.setPlaceholderText("查找：名称、编码、书记、上级组织")
        self.search.setClearButtonEnabled(True)
        self.sector = QComboBox()
        self.sector.addItems([ALL_LABEL, *SECTORS])
        self.category = QComboBox()
        self.category.addItem(ALL_LABEL, None)
        for c in Category:
            self.category.addItem(c.label, c)
        self.category.addItem("未分类", "none")
        self.level = QComboBox()
        self.level.addItem(ALL_LABEL, None)
        for lv in WarningLevel:
            self.level.addItem(lv.label, lv)
        self.show_inactive = QCheckBox("含已停用")
        filters = QHBoxLayout()
        filters.addWidget(page_title("组织台账"))
        filters.addSpacing(12)
        filters.addWidget(self.search, 2)
        for label, w in (("领域", self.sector), ("分类", self.category), ("上季度预警", self.level)):
            filters.addWidget(QLabel(label))
            filters.addWidget(w)
        filters.addWidget(self.show_inactive)

        self.add_button = QPushButton("新增组织")
        self.edit_button = QPushButton("编辑")
        self.move_button = QPushButton("调整隶属")
        self.status_button = QPushButton("停用")
        self.count_label = hint()
        actions = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.move_button, self.status_button):
            actions.addWidget(b)
        actions.addWidget(self.count_label, 1)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabel("组织架构")
        self.tree.setMinimumWidth(200)
        # No proxy: 3,000 rows are filtered in Python per keystroke (one substring test each)
        # and the model gets only the rows shown; a proxy would call back into Python per row.
        self.all_rows: list[OrgRow] = []
        self._keys: list[str] = []
        self.model = RowTableModel(ORG_COLUMNS, self)
        self.table = list_view(self.model, stretch=1, name="组织台账",
                               empty="还没有党组织：点“新增组织”，或用“数据 → 导入组织台账”。")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the register's own order until asked
        self.details = OrgDetails(ctx, self._all_orgs)

        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.table)
        self.right.addWidget(self.details)
        self.right.setSizes([380, 260])
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.tree)
        self.split.addWidget(self.right)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([260, 1000])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.split, 1)

        self.search.textChanged.connect(lambda _t: self.apply_filters())
        for combo in (self.sector, self.category, self.level):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.show_inactive.toggled.connect(lambda _on: self.apply_filters())
        self.tree.currentItemChanged.connect(self._tree_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._row_changed(force=not self._refiltering))
        self.table.doubleClicked.connect(lambda _i: self.edit_org())
        self.add_button.clicked.connect(self.add_org)
        self.edit_button.clicked.connect(self.edit_org)
        self.move_button.clicked.connect(self.move_org)
        self.status_button.clicked.connect(self.toggle_status)
        self.apply_filters()
        self._row_changed()

    # -- loading ---------------------------------------------------------------------
    def refresh(self) -> None:
        """Two background steps: the register first (usable at once), then last quarter's levels."""
        if self._loading:
            return
        self._loading = True
        self.levels_loaded = False
        self.count_label.setText("正在载入…")
        ledger = self.ctx.ledger
        today = ledger.today()
        self.ctx.tasks.start(lambda _p: load_rows(ledger, today.year), on_done=self._loaded, on_error=self._failed)

    def _failed(self, exc: BaseException, tb: str) -> None:
        self._loading = False
        self.count_label.setText("载入失败")
        show_error(self, exc, tb)

    def _loaded(self, rows: list[OrgRow]) -> None:
        self._loading = False
        current = self.current()
        keep = self._select_after or (current.code if current else None)
        self._select_after = None
        self.all_rows = rows
        self._keys = [search_text(r, [ORG_COLUMNS[c] for c in ORG_TEXT_COLUMNS]) for r in rows]
        self.loaded_rows = len(rows)
        self._build_tree(rows)
        self.apply_filters()
        if not (keep and self.select_code(keep)) and self.model.rowCount():
            self.table.selectRow(0)  # something to show in the details from the start
        self._row_changed()  # the same row may hold new data (committee, roster…)
        ledger = self.ctx.ledger
        today = ledger.today()
        wy, wq = last_complete_quarter(today.year, today.month)
        self.level.setToolTip(f"按 {wy} 年{QUARTER_LABELS[wq - 1]}（最近一个已结束的季度）的预警等级筛选")
        self.ctx.tasks.start(lambda _p: load_levels(ledger, wy, wq), on_done=self._levels_loaded,
                             on_error=self._failed)

    def _levels_loaded(self, levels: dict[str, WarningLevel]) -> None:
        self.all_rows = [replace(r, level=levels.get(r.code)) for r in self.all_rows]
        self.levels_loaded = True
        if self.level.currentData() is None:
            self.model.update_rows(replace(r, level=levels.get(r.code)) for r in self.model.rows())
        else:
            self.apply_filters()

    def _build_tree(self, rows: list[OrgRow]) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        top = QTreeWidgetItem([f"{'管理范围内的组织' if self.ctx.ledger.scope else '全部组织'}（{len(rows)}）"])
        top.setData(0, Qt.ItemDataRole.UserRole, None)
        self.tree.addTopLevelItem(top)
        items: dict[str, QTreeWidgetItem] = {}
        below: dict[str, int] = {}
        for r in rows:
            for a in r.ancestors:
                below[a] = below.get(a, 0) + 1
        for r in rows:  # list_orgs order puts parents before their children
            if r.info.kind not in PARENT_KINDS or not (r.info.active or self.show_inactive.isChecked()):
                continue
            item = QTreeWidgetItem([f"{r.info.name}（{below.get(r.code, 0)}）"])
            item.setData(0, Qt.ItemDataRole.UserRole, r.code)
            item.setToolTip(0, r.info.name)
            items[r.code] = item
            holder = items.get(r.info.parent_code or "", top)
            holder.addChild(item)
        self.tree.expandToDepth(1)
        current = items.get(self._tree_code or "", top)
        self.tree.setCurrentItem(current)
        self.tree.blockSignals(False)

    # -- filters ---------------------------------------------------------------------
    def _tree_changed(self, item: QTreeWidgetItem | None, _prev: QTreeWidgetItem | None) -> None:
        self._tree_code = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        self.apply_filters()

    def apply_filters(self) -> None:
        sector = self.sector.currentText()
        sector = None if sector == ALL_LABEL else sector
        cat = self.category.currentData()
        level = self.level.currentData()
        under = self._tree_code
        inactive = self.show_inactive.isChecked()

        def keep(r: OrgRow) -> bool:
            if not inactive and not r.info.active:
                return False
            if under is not None and under not in r.ancestors and r.code != under:
                return False
            if sector is not None and r.info.sector != sector:
                return False
            if cat == "none":
                if r.info.category is not None:
                    return False
            elif cat is not None and r.info.category != cat:
                return False
            return level is None or r.level == level

        needle = self.search.text().strip().casefold()
        current = self.current()
        shown = [r for r, k in zip(self.all_rows, self._keys, strict=True) if (not needle or needle in k) and keep(r)]
        self.model.set_rows(shown)
        if current is not None:
            self._refiltering = True
            try:
                kept = self.select_code(current.code, scroll=False)
            finally:
                self._refiltering = False
            if not kept:  # the organisation left the list: the details must not go on showing it
                self._row_changed()
        self._update_count()

    def _update_count(self) -> None:
        if not self._loading:
            self.count_label.setText(f"　显示 {self.model.rowCount()} / 共 {len(self.all_rows)} 个组织")

    def show_category(self, category) -> None:
        """Only this year's organisations of one class ("none": not classified), from the 概览 cards."""
        self.search.clear()
        for combo in (self.sector, self.level):
            combo.setCurrentIndex(0)
        for i in range(self.category.count()):
            if self.category.itemData(i) == category:
                self.category.setCurrentIndex(i)
                break
        self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self.apply_filters()

    # -- selection -------------------------------------------------------------------
    def current(self) -> OrgRow | None:
        return selected_row(self.table)

    def select_code(self, code: str, *, scroll: bool = True) -> bool:
        row = self.model.find(lambda r: r.code == code)
        if row >= 0:
            self.table.selectRow(row)
            if scroll:
                self.table.scrollTo(self.model.index(row, 0))
            return True
        return False

    def _row_changed(self, *, force: bool = True) -> None:
        r = self.current()
        for b in (self.edit_button, self.move_button, self.status_button):
            b.setEnabled(r is not None)
        self.status_button.setText("启用" if r is not None and not r.info.active else "停用")
        shown = self.details.org
        if not force and r is not None and shown is not None and shown.code == r.code:
            return  # the same organisation is still selected after a filter change
        # Deferred: the details make four small queries; keep arrow-key browsing smooth.
        QTimer.singleShot(0, self, lambda: self.details.set_org(r.info if r and r is self.current() else None))

    def _all_orgs(self) -> list[OrgInfo]:
        return [r.info for r in self.all_rows]

    # -- actions ---------------------------------------------------------------------
    def add_org(self) -> None:
        default_parent = self._tree_code
        dialog = OrgDialog(self.ctx.ledger, self._all_orgs(), None, self, default_parent=default_parent)
        if dialog.exec():
            self._select_after = dialog.result_value.code
            self.ctx.notify_changed(ORGS)

    def edit_org(self) -> None:
        r = self.current()
        if r and OrgDialog(self.ctx.ledger, self._all_orgs(), r.info, self).exec():
            self._select_after = r.code
            self.ctx.notify_changed(ORGS)

    def move_org(self) -> None:
        r = self.current()
        if r and MoveDialog(self.ctx.ledger, self._all_orgs(), r.info, self).exec():
            self._select_after = r.code
            self.ctx.notify_changed(ORGS)

    def stop_dialog(self, info):
        return StopDialog(self.ctx.ledger, info, self)

    def toggle_status(self) -> None:
        r = self.current()
        if r is None:
            return
        activate = not r.info.active
        if not activate:
            if not self.stop_dialog(r.info).exec():
                return
        else:
            try:
                orgs.set_status(self.ctx.ledger, r.code, True)
            except Exception as exc:
                show_error(self, exc)
                return
        if not activate and not self.show_inactive.isChecked():
            self._select_after = None
        else:
            self._select_after = r.code
        self.ctx.notify_changed(ORGS)

    # -- state -----------------------------------------------------------------------
    def save_state(self, settings: QSettings) -> None:
        settings.setValue("orgs/split", self.split.saveState())
        settings.setValue("orgs/right", self.right.saveState())

    def restore_state(self, settings: QSettings) -> None:
        for key, splitter in (("orgs/split", self.split), ("orgs/right", self.right)):
            state = settings.value(key)
            if state is not None:
                splitter.restoreState(state)
