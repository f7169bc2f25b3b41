"""指导员 tab 2: the 周记录 grid of one ISO week (typed like the monthly grid) and the 月调度 of its month: the sums of
the weeks, and the month's task list issued to the station with its month-end feedback."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import instructors as rules
from app.errors import LedgerError
from app.services.instructors import register, weekly
from app.services.register import orgs as org_service
from ui.context import RECORDS, UiContext
from ui.dialogs.instructor_edit import VisitsDialog
from ui.models.base import RIGHT, Column, RowTableModel
from ui.models.weekly_grid import FIELDS, FIXED, WeekGridModel
from ui.widgets.errors import show_error
from ui.widgets.pickers import YearSpin
from ui.widgets.score_delegate import ScoreDelegate
from ui.widgets.sheet_keys import SheetKeys, show_report
from ui.widgets.tables import list_view

from .instructor_month_tasks import MonthTasksPanel

HELP = ("直接输入次数或天数，回车保存并下移，Tab 右移，Esc 放弃；Delete 清除所选，Ctrl+C/Ctrl+V 与 Excel 互相复制粘贴，"
        "Ctrl+D 向下填充，Ctrl+Z 撤销上一步。每周按周四所在月份计入月调度。")
ROLLUP = [Column("指导站", lambda x: x.station if not x.instructor else "", width=150),
          Column("指导员", lambda x: x.instructor or "小计", width=64),
          Column("周数", lambda x: x.weeks, align=RIGHT, width=44),
          *[Column(rules.COUNTS[k].replace("（天）", ""), lambda x, k=k: x.counts[k], align=RIGHT, width=84) for k in FIELDS],
          Column("新收集问题", lambda x: x.tickets_raised, align=RIGHT, width=72),
          Column("办结问题", lambda x: x.tickets_closed, align=RIGHT, width=64)]


class WeeklyTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._muted = False
        today = ctx.ledger.today()
        iso_year, iso_week, _d = today.isocalendar()
        self.year = YearSpin(iso_year)
        self.week = QSpinBox()
        self.week.setRange(1, rules.weeks_in_year(iso_year))
        self.week.setPrefix("第 ")
        self.week.setSuffix(" 周")
        self.week.setValue(iso_week)
        self.prev_button = QPushButton("上一周")
        self.next_button = QPushButton("下一周")
        self.span = QLabel()
        self.undo_button = QPushButton("撤销上一次录入")
        self.visits_button = QPushButton("所选指导员的走访记录…")
        top = QHBoxLayout()
        for w in (QLabel("年份"), self.year, QLabel("周次"), self.week, self.prev_button, self.next_button, self.span):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.visits_button)
        top.addWidget(self.undo_button)

        self.model = WeekGridModel(ctx.ledger, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                                  | QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.delegate = ScoreDelegate(self._commit, self.view)
        self.delegate.moved.connect(self._move)
        self.delegate.failed.connect(lambda m: self.status.setText(f"<span style='color:#d7261e'>未保存：{m}</span>"))
        self.view.setItemDelegate(self.delegate)
        # Excel keys: Delete clears, Ctrl+C/Ctrl+V copy and paste blocks, Ctrl+D fills down (issue 21.1).
        self.sheet = SheetKeys(self.view, self._write_block, lambda done, refused: show_report(self.status, done, refused))
        self.rollup_title = QLabel()
        self.rollup = RowTableModel(ROLLUP, self)
        self.rollup_view = list_view(self.rollup, stretch=0)
        summary = QWidget()
        summary_layout = QVBoxLayout(summary)
        summary_layout.setContentsMargins(0, 0, 0, 0)
        summary_layout.addWidget(self.rollup_title)
        summary_layout.addWidget(self.rollup_view, 1)
        self.month_tasks = MonthTasksPanel(ctx, self._announce)
        self.lower = QTabWidget()
        self.lower.addTab(summary, "月调度汇总")
        self.lower.addTab(self.month_tasks, "月度任务清单与反馈")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(self.lower)
        split.setSizes([270, 330])  # nine instructors fit; the month below gets the rest
        self.status = QLabel(HELP)
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

        self.year.valueChanged.connect(self._year_changed)
        self.week.valueChanged.connect(lambda _w: self.refresh())
        self.prev_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.undo_button.clicked.connect(self.undo)
        self.visits_button.clicked.connect(self.edit_visits)
        shortcut = QShortcut(QKeySequence.StandardKey.Undo, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.undo)

    def week_label(self) -> str:
        return rules.week_label(self.year.year(), self.week.value())

    def _year_changed(self, year: int) -> None:
        self.week.setMaximum(rules.weeks_in_year(year))
        self.refresh()

    def _step(self, delta: int) -> None:
        monday, _sunday = rules.week_days(self.year.year(), self.week.value())
        from datetime import timedelta

        y, w, _d = (monday + timedelta(days=7 * delta)).isocalendar()
        self.year.blockSignals(True)
        self.year.setValue(y)
        self.year.blockSignals(False)
        self.week.setMaximum(rules.weeks_in_year(y))
        self.week.setValue(w)
        self.refresh()

    def refresh(self) -> None:
        if self._muted:
            return
        if self.model.ledger is not self.ctx.ledger:
            self.model.ledger = self.ctx.ledger
            self.model.undo_stack.clear()
        y, w = self.year.year(), self.week.value()
        monday, sunday = rules.week_days(y, w)
        self.span.setText(f"{monday:%Y-%m-%d}（周一）— {sunday:%Y-%m-%d}（周日）")
        try:
            self.model.load(self.week_label())
        except LedgerError as e:
            show_error(self, e)
            return
        self.view.setColumnWidth(0, 64)
        self.view.setColumnWidth(1, 80)
        for c in range(FIXED, self.model.columnCount()):
            self.view.setColumnWidth(c, 92)
        self._rollup()

    def _rollup(self) -> None:
        my, mm = rules.week_month(self.year.year(), self.week.value())
        roll = weekly.month_rollup(self.ctx.ledger, my, mm)
        self.rollup_title.setText(f"<b>{my} 年 {mm} 月调度</b>（{roll.weeks[0]}—{roll.weeks[-1]}，"
                                  f"共 {len(roll.weeks)} 周）")
        self.rollup.set_rows(roll.lines)
        self.month_tasks.load(my, mm)

    def _commit(self, index: QModelIndex, text: str) -> str | None:
        error = self.model.write(index, text)
        if error is None:
            self.status.setText(HELP)
            self._announce()
        return error

    def _write_block(self, cells: list[tuple[QModelIndex, str]], verb: str) -> tuple[int, list[str]]:
        written, refused = self.model.write_block(cells, verb)
        if written:
            self._announce()
        return written, refused

    def _announce(self) -> None:
        self._muted = True
        try:
            self.ctx.notify_changed(RECORDS)
        finally:
            self._muted = False
        self._rollup()

    def _move(self, index: QModelIndex, drow: int, dcol: int) -> None:
        row = min(max(index.row() + drow, 0), self.model.rowCount() - 1)
        col = index.column() + dcol
        if col < FIXED or col >= self.model.columnCount():
            col = index.column()
        self.view.setCurrentIndex(self.model.index(row, col))
        self.view.setFocus()

    def visits_dialog(self) -> VisitsDialog | None:
        """The 走访记录 dialog of the grid's current instructor and week (None when no row is chosen)."""
        index = self.view.currentIndex()
        if not index.isValid() or not self.model.rows:
            return None
        _iid, name, station, _group, counts = self.model.rows[index.row()]
        lg = self.ctx.ledger
        places = [t.name for t in register.list_targets(lg) if t.org_code is None]
        places += [o.name for o in org_service.list_orgs(lg, include_inactive=False)
                   if o.scored and o.sector in ("非公企业", "社会组织")]
        return VisitsDialog(lg, name, station, self.week_label(), dict(counts), places, self)

    def edit_visits(self) -> None:
        dialog = self.visits_dialog()
        if dialog is None:
            show_error(self, LedgerError("请先在周记录表格中选择一位指导员"))
            return
        if dialog.exec():
            self.status.setText(f"已保存 {dialog.result_value.instructor} {dialog.result_value.week} 的走访记录"
                                f"（{len(dialog.result_value.visits)} 次）")
            self._announce()

    def undo(self) -> None:
        error, step = self.model.undo()
        if error:
            self.status.setText(f"<span style='color:#d7261e'>{error}</span>")
            return
        self.status.setText(f"已撤销：{step.week} {step.label}")
        self._announce()
