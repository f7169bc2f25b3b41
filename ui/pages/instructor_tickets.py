"""指导员 tab 3: 问题帮办 — every ticket with its state, 办结率 per instructor, station and overall."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from app.domain import instructors as rules
from app.errors import LedgerError
from app.services.instructors import register, tickets
from ui.context import RECORDS, UiContext
from ui.dialogs.instructors import TicketDialog, TicketMoveDialog
from ui.models.base import CENTER, RIGHT, Column, FilterProxy, RowTableModel
from ui.widgets.errors import show_error
from ui.widgets.pickers import YearSpin
from ui.widgets.tables import list_view, selected_row

STATUS_COLORS = {"收集": "#fbe3b0", "交办": "#fdf0c8", "办理中": "#dbe9f7", "办结": "#dff0d8", "回访": "#cde8c4"}
TICKETS = [Column("编号", lambda t: t.id, align=CENTER, width=44),
           Column("收集日期", lambda t: t.raised_on.isoformat(), sort=lambda t: t.raised_on, width=86),
           Column("指导员", lambda t: t.instructor, width=64), Column("企业 / 党组织", lambda t: t.place, width=170),
           Column("问题", lambda t: t.content, width=240),
           Column("状态", lambda t: t.status, align=CENTER, background=lambda t: STATUS_COLORS.get(t.status), width=56),
           Column("承办", lambda t: t.handled_by, width=120),
           Column("办结日期", lambda t: t.closed_on.isoformat() if t.closed_on else "", width=86),
           Column("满意度", lambda t: t.satisfaction, align=CENTER, width=64)]
RATES = [Column("范围", lambda r: r.level, width=56), Column("名称", lambda r: r.label, width=150),
         Column("收集", lambda r: r.total, align=RIGHT, width=44), Column("办结", lambda r: r.closed, align=RIGHT, width=44),
         Column("办结率", lambda r: f"{r.percent}%" if r.percent is not None else "—", sort=lambda r: r.percent or -1,
                align=RIGHT, width=60)]


class TicketsTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.year = YearSpin(ctx.ledger.today().year)
        self.status_filter = QComboBox()
        self.status_filter.addItems(["全部状态", "未办结", *rules.TICKET_FLOW])
        self.add_button = QPushButton("登记问题…")
        self.move_button = QPushButton("推进所选问题…")
        top = QHBoxLayout()
        for w in (QLabel("年份"), self.year, QLabel("状态"), self.status_filter, self.add_button, self.move_button):
            top.addWidget(w)
        top.addStretch(1)
        self.model = RowTableModel(TICKETS, self)
        self.proxy = FilterProxy(text_columns=(3, 4), parent=self)
        self.proxy.setSourceModel(self.model)
        self.view = list_view(self.proxy, stretch=4)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # the newest first
        self.rates = RowTableModel(RATES, self)
        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(list_view(self.rates))
        split.setSizes([900, 380])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.status_filter.currentIndexChanged.connect(lambda _i: self._filter())
        self.add_button.clicked.connect(self._add)
        self.move_button.clicked.connect(self._move)
        self.view.doubleClicked.connect(lambda _i: self._move())

    def refresh(self) -> None:
        lg = self.ctx.ledger
        self.model.set_rows(tickets.listing(lg, year=self.year.year()))
        self.rates.set_rows(tickets.rates(lg, self.year.year()))
        self._filter()

    def _filter(self) -> None:
        choice = self.status_filter.currentText()
        if choice == "全部状态":
            self.proxy.set_predicate(None)
        elif choice == "未办结":
            self.proxy.set_predicate(lambda t: t.status not in rules.CLOSED)
        else:
            self.proxy.set_predicate(lambda t: t.status == choice)

    def _add(self) -> None:
        lg = self.ctx.ledger
        people = [p.name for p in register.list_instructors(lg)]
        places = [t.name for t in register.list_targets(lg)]
        if TicketDialog(lg, people, places, self).exec():
            self.ctx.notify_changed(RECORDS)

    def _move(self) -> None:
        row = selected_row(self.view)
        if row is None:
            show_error(self, LedgerError("请先选择一个问题"))
            return
        if TicketMoveDialog(self.ctx.ledger, row, self).exec():
            self.ctx.notify_changed(RECORDS)
