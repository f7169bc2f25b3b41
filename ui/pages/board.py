"""盯跟晒: per 党委 and for the whole unit — 书记项目 by type and status, milestones on time, 重点任务 overdue by
owner — the laggards first; beneath, every item that is 滞后, 逾期 or 临期 (盯紧进度、跟住责任、晒出成效); the
month's 调度通报 printed from here."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from app.domain import tracking as rules
from app.reports.tracking_dispatch import build_dispatch
from app.services.tracking import board
from app.services.tracking.board import Alert, CommitteeBoard
from ui.context import ALL, ORGS, UiContext
from ui.models.base import CENTER, RIGHT, Column, RowTableModel
from ui.printing.generate import generate_and_preview
from ui.widgets.errors import show_error
from ui.widgets.layout import hint, page_title
from ui.widgets.pickers import MonthCombo, YearSpin
from ui.widgets.tables import list_view

from .projects import LAG, SOON, TRACKING


def _n(b: CommitteeBoard, **kw) -> int:
    return sum(n for (t, st), n in b.by_type_status.items()
               if kw.get("type") in (None, t) and kw.get("status") in (None, st))


BOARD_COLUMNS = [
    Column("党委", lambda b: b.name, width=170, background=lambda b: "#eef2f7" if not b.code else None),
    Column("项目", lambda b: b.projects, align=RIGHT, width=44),
    *[Column(t, partial(_n, type=t), align=RIGHT, width=44) for t in rules.TYPES],
    *[Column(st, partial(_n, status=st), align=RIGHT, width=50) for st in rules.PROJECT_STATUSES],
    Column("滞后项目", lambda b: b.lagging_projects, align=RIGHT, width=64,
           foreground=lambda b: LAG if b.lagging_projects else None),
    Column("节点完成", lambda b: f"{b.milestones_done}/{b.milestones_total}", align=CENTER, width=66),
    Column("按时率", lambda b: f"{b.on_time_rate}%" if b.milestones_done else "—", align=RIGHT, width=60),
    Column("滞后节点", lambda b: b.milestones_lagging, align=RIGHT, width=64,
           foreground=lambda b: LAG if b.milestones_lagging else None),
    Column("任务完成", lambda b: f"{b.tasks_done}/{b.tasks_total}", align=CENTER, width=70),
    Column("逾期任务", lambda b: b.overdue, align=RIGHT, width=64, foreground=lambda b: LAG if b.overdue else None),
    Column("逾期较多的单位", lambda b: "、".join(f"{o} {n}" for o, n in b.tasks_overdue.most_common(3)), width=300),
]

ALERT_COLUMNS = [
    Column("提醒", lambda a: a.kind, align=CENTER, width=50, foreground=lambda a: SOON if a.kind == "临期" else LAG),
    Column("类别", lambda a: a.what, align=CENTER, width=70),
    Column("事项", lambda a: a.title, width=420, tooltip=lambda a: a.title),
    Column("责任单位", lambda a: a.org_name, width=220),
    Column("时限", lambda a: a.due.isoformat(), sort=lambda a: a.due, width=90),
]


class Page(QWidget):
    title = "盯跟晒"
    kinds: ClassVar[set[str]] = {TRACKING, ORGS, ALL}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        self.loaded = False
        self.year = YearSpin(ctx.ledger.today().year)
        top = QHBoxLayout()
        top.addWidget(page_title("盯跟晒"))
        top.addSpacing(12)
        top.addWidget(QLabel("年份"))
        top.addWidget(self.year)
        top.addWidget(hint("盯紧进度、跟住责任、晒出成效：滞后多的党委排在前面"), 1)
        self.month = MonthCombo(ctx.ledger.today().month)
        self.print_button = QPushButton("打印调度通报…")
        self.print_button.setToolTip("按公文格式生成该月的书记项目推进情况调度通报（PDF）；月份未结束的为草稿")
        for w in (QLabel("通报月份"), self.month, self.print_button):
            top.addWidget(w)
        self.board_model = RowTableModel(BOARD_COLUMNS, self)
        self.board_view = list_view(self.board_model, stretch=len(BOARD_COLUMNS) - 1)
        self.alert_title = QLabel()
        self.alert_model = RowTableModel(ALERT_COLUMNS, self)
        self.alert_view = list_view(self.alert_model, stretch=2)
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.alert_title)
        ll.addWidget(self.alert_view, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.board_view)
        split.addWidget(lower)
        split.setSizes([260, 440])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.print_button.clicked.connect(lambda: self.print_dispatch())

    def print_dispatch(self, on_preview=None) -> None:
        """调度通报 of the chosen month, in 公文 form, previewed (the service tracking-print dispatch uses)."""
        year, month, ledger = self.year.year(), self.month.month(), self.ctx.ledger
        generate_and_preview(self.ctx, self, f"{year}年{month}月书记项目调度通报",
                             lambda p: build_dispatch(ledger, year, p, month=f"{year}-{month:02d}"), on_preview)

    def refresh(self) -> None:
        self._generation += 1
        gen, year, ledger = self._generation, self.year.year(), self.ctx.ledger
        self.loaded = False
        self.ctx.tasks.start(lambda _p: (board.committee_boards(ledger, year), board.alerts(ledger, year)),
                             on_done=lambda r: self._show(gen, *r), on_error=lambda e, tb: self._failed(gen, e, tb))

    def _failed(self, gen, exc, tb) -> None:
        if gen == self._generation:
            self.loaded = True
            show_error(self, exc, tb)

    def _show(self, gen: int, boards: list[CommitteeBoard], alerts: list[Alert]) -> None:
        if gen != self._generation:
            return
        self.board_model.set_rows(boards)
        self.alert_model.set_rows(alerts)
        late = sum(1 for a in alerts if a.kind != "临期")
        self.alert_title.setText(f"滞后与逾期 {late} 项，临期 {len(alerts) - late} 项（最早到期的在前）")
        self.loaded = True
