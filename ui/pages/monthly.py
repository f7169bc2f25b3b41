"""月度积分: a spreadsheet of organisations × scoring items for one month, and one organisation's year."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import LedgerError
from app.services.scoring import grid as grid_service
from app.services.scoring import scores
from app.services.scoring.grid import MonthGrid
from ui.context import ALL, ORGS, RECORDS, SCHEME, SCORES, SETTINGS, UiContext
from ui.models.base import FilterProxy
from ui.models.monthly_grid import COL_MONTH, COL_ORG, COL_PARENT, FIXED, MonthGridModel
from ui.models.org_year import OrgYearModel
from ui.widgets.errors import show_error
from ui.widgets.layout import page_title
from ui.widgets.pickers import MonthCombo, OrgPicker, YearSpin
from ui.widgets.score_delegate import ScoreDelegate
from ui.widgets.sheet_keys import SheetKeys, show_report

HELP = ("直接输入分值，回车保存并下移，Tab 右移，Esc 放弃；Delete 清除所选，Ctrl+C/Ctrl+V 与 Excel 互相复制粘贴，"
        "Ctrl+D 向下填充，Ctrl+Z 撤销上一步。蓝色角标＝含工作记录自动计分。")
BANNER_STYLE = "QLabel { background: #fff4d6; border: 1px solid #e0b84c; padding: 6px; color: #6b4e00; }"


class Page(QWidget):
    title = "月度积分"
    kinds: ClassVar[set[str]] = {SCORES, SCHEME, SETTINGS, RECORDS, ORGS, ALL}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._muted = False  # our own notify_changed must not reload the grid under the cursor
        self._org_codes: list[str] = []
        self._generation = 0  # a late read of a month the user already left is dropped
        self.loaded = False
        today = ctx.ledger.today()

        self.year = YearSpin(today.year)
        self.year.setMinimumWidth(96)
        self.month = MonthCombo(today.month)
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找党组织或上级党委")
        self.search.setClearButtonEnabled(True)
        self.undo_button = QPushButton("撤销上一次录入")
        self.undo_button.setToolTip("Ctrl+Z：把上一次录入的单元格恢复为原来的值")
        top = QHBoxLayout()
        top.addWidget(page_title("月度积分"))
        top.addSpacing(12)
        for w in (QLabel("年份"), self.year, QLabel("月份"), self.month):
            top.addWidget(w)
        top.addSpacing(16)
        top.addWidget(self.search, 1)
        top.addWidget(self.undo_button)

        self.banner = QLabel()
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.hide()

        # Month grid
        self.model = MonthGridModel(ctx.ledger, self)
        self.proxy = FilterProxy(text_columns=(COL_PARENT, COL_ORG), parent=self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setDynamicSortFilter(False)  # rows must not jump away while someone types down a column
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the register's order until asked
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # 城南片区…综合党委: both ends tell
        self.delegate = ScoreDelegate(self._commit, self.view)
        self.delegate.moved.connect(self._move)
        self.delegate.failed.connect(self._show_status_error)
        self.view.setItemDelegate(self.delegate)
        self.sheet = SheetKeys(self.view, self._write_block, self._report)

        # One organisation's year
        self.org_picker = OrgPicker()
        self.org_picker.setMinimumWidth(300)
        self.year_model = OrgYearModel(self)
        self.year_view = QTableView()
        self.year_view.setModel(self.year_model)
        self.year_view.setItemDelegate(ScoreDelegate(None, self.year_view))
        self.year_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.year_view.verticalHeader().setDefaultSectionSize(24)
        self.year_view.doubleClicked.connect(self._open_month)
        org_tab = QWidget()
        org_layout = QVBoxLayout(org_tab)
        row = QHBoxLayout()
        row.addWidget(QLabel("党组织"))
        row.addWidget(self.org_picker)
        row.addWidget(QLabel("双击某月可转到该月录入"))
        row.addStretch(1)
        org_layout.addLayout(row)
        org_layout.addWidget(self.year_view, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.view, "按月录入")
        self.tabs.addTab(org_tab, "单个组织全年")

        self.status = QLabel(HELP)
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

        self.year.valueChanged.connect(lambda _y: self._load(reuse=True))
        self.month.monthChanged.connect(lambda _m: self._load(reuse=True))
        self.search.textChanged.connect(self.proxy.set_text)
        self.org_picker.orgChanged.connect(lambda _c: self._load_org_year())
        self.tabs.currentChanged.connect(lambda _i: self._load_org_year())
        self.undo_button.clicked.connect(self.undo)
        shortcut = QShortcut(QKeySequence.StandardKey.Undo, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.undo)

    # --- loading -------------------------------------------------------------------------
    def refresh(self) -> None:
        if self._muted:
            return
        if self.model.ledger is not self.ctx.ledger:  # another file was opened
            self.model.ledger = self.ctx.ledger
            self.model.undo_stack.clear()  # its steps belong to the other file
        self.model.forget_priors()  # something changed elsewhere: read every figure again
        self._load(reuse=False)

    def _load(self, *, reuse: bool) -> None:
        """Read the chosen month in the background (3,000 organisations take a few tenths of a second)."""
        self._generation += 1
        gen, year, month, ledger = self._generation, self.year.year(), self.month.month(), self.ctx.ledger
        prior = self.model.prior_for(year, month) if reuse else None
        self.loaded = False
        self.model.busy = True
        self.status.setText(f"正在载入 {year} 年 {month} 月…")
        self.ctx.tasks.start(
            lambda _progress: grid_service.month_grid(ledger, year, month, prior_below=prior),
            on_done=lambda grid: self._show(gen, grid),
            on_error=lambda exc, tb: self._failed(gen, exc, tb),
        )

    def _failed(self, gen: int, exc: BaseException, tb: str) -> None:
        if gen == self._generation:
            self.model.busy = False
            self.loaded = True
            self.status.setText(HELP)
            show_error(self, exc, tb)

    def _show(self, gen: int, grid: MonthGrid) -> None:
        if gen != self._generation:
            return  # the user has already moved on to another month
        current = self.view.currentIndex()
        self.model.set_grid(grid)
        self.banner.setText(f"本月已锁定：{grid.lock_text}" if grid.lock_text else "")
        self.banner.setVisible(bool(grid.lock_text))
        self._size_columns()
        if current.isValid():  # keep the cursor where it was, now on the new month
            self.view.setCurrentIndex(self.proxy.index(current.row(), current.column()))
        if [o.code for o in grid.orgs] != self._org_codes:  # 3,000 entries: refill only on change
            self._org_codes = [o.code for o in grid.orgs]
            self.org_picker.set_orgs(grid.orgs)
        self.status.setText(HELP)
        self.loaded = True
        self._load_org_year()

    def _size_columns(self) -> None:
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(40)
        self.view.setColumnWidth(COL_PARENT, 130)
        self.view.setColumnWidth(COL_ORG, 190)
        metrics = header.fontMetrics()
        for c in range(COL_MONTH, self.model.columnCount()):
            # Wide enough for the item's name on two lines (召开支部委员会会议 → 召开支部委 / 员会会议).
            text = str(self.model.headerData(c, Qt.Orientation.Horizontal) or "")
            widest = max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)
            self.view.setColumnWidth(c, max(66, widest + 16))

    def _load_org_year(self) -> None:
        if self.tabs.currentIndex() != 1 or self.model.grid is None:
            return
        code = self.org_picker.code()
        if code is None:
            self.year_model.set_data(self.model.items, [])
            return
        try:
            cells = scores.cells(self.ctx.ledger, self.year.year(), org_code=code)
        except LedgerError as e:
            show_error(self, e)
            return
        self.year_model.set_data(self.model.items, cells)
        self.year_view.horizontalHeader().setDefaultSectionSize(66)

    def _open_month(self, index: QModelIndex) -> None:
        month = self.year_model.month_of_row(index.row())
        if month is None:
            return
        code = self.org_picker.code()
        self.month.set_month(month)
        self.tabs.setCurrentIndex(0)
        if code in self.model.row_of:
            src = self.model.index(self.model.row_of[code], FIXED + max(index.column() - 1, 0))
            self.view.setCurrentIndex(self.proxy.mapFromSource(src))

    # --- editing -------------------------------------------------------------------------
    def _commit(self, index: QModelIndex, text: str) -> str | None:
        error = self.model.write(self.proxy.mapToSource(index), text)
        if error is None:
            self.status.setText(HELP)
            self.status.setToolTip("")
            self._announce()
        return error

    def _write_block(self, cells: list[tuple[QModelIndex, str]], verb: str) -> tuple[int, list[str]]:
        written, refused = self.model.write_block([(self.proxy.mapToSource(i), t) for i, t in cells], verb)
        if written:
            self._announce()
        return written, refused

    def _report(self, done: str, refused: list[str]) -> None:
        show_report(self.status, done, refused)

    def _announce(self) -> None:
        self._muted = True
        try:
            self.ctx.notify_changed(SCORES)
        finally:
            self._muted = False

    def _move(self, index: QModelIndex, drow: int, dcol: int) -> None:
        row = min(max(index.row() + drow, 0), self.proxy.rowCount() - 1)
        col = index.column() + dcol
        if col < FIXED or col >= FIXED + len(self.model.items):
            col = index.column()
        self.view.setCurrentIndex(self.proxy.index(row, col))
        self.view.setFocus()

    def _show_status_error(self, message: str) -> None:
        self.status.setText(f"<span style='color:#d7261e'>未保存：{message}</span>")

    def undo(self) -> None:
        error, step = self.model.undo()
        if error:
            self._show_status_error(error)
            return
        assert step is not None
        self.status.setText(f"已撤销：{step.year} 年 {step.month} 月 {step.label}")
        self.status.setToolTip("")
        self._announce()
        if (step.year, step.month) == (self.model.grid.year, self.model.grid.month) and step.org_code in self.model.row_of:
            src = self.model.index(self.model.row_of[step.org_code], self.model.column_of(step.item_code))
            self.view.setCurrentIndex(self.proxy.mapFromSource(src))

    # --- state ---------------------------------------------------------------------------
    def save_state(self, settings: QSettings) -> None:
        settings.setValue("monthly/tab", self.tabs.currentIndex())

    def restore_state(self, settings: QSettings) -> None:
        tab = settings.value("monthly/tab", 0)
        self.tabs.setCurrentIndex(int(tab) if str(tab).isdigit() else 0)
