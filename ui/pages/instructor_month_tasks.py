"""The 月调度 tab's month list (issue 19.5): the tasks issued to the station and its instructors this month, and
the month-end feedback — completion per instructor and per station (the laggards shown in red)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QSplitter, QVBoxLayout, QWidget

from app.domain import tracking as rules
from app.errors import LedgerError
from app.services.tracking import station_lists
from ui.dialogs.instructor_tasks import IssueListDialog, TaskDoneDialog
from ui.models.base import CENTER, RIGHT, Column, RowTableModel
from ui.widgets.errors import show_error
from ui.widgets.tables import list_view, selected_row

STATUS_COLORS = {rules.DONE: "#dff0d8", rules.CLOSED: "#cde8c4", rules.OVERDUE: "#f6c9c6", rules.DOING: "#dbe9f7"}
TASKS = [Column("编号", lambda x: x.task.id, align=CENTER, width=44),
         Column("责任方", lambda x: x.instructor or "站本级", width=64),
         Column("任务", lambda x: x.task.title, width=250),
         Column("时限", lambda x: x.task.due.isoformat(), sort=lambda x: x.task.due, width=86),
         Column("状态", lambda x: x.task.status, align=CENTER, background=lambda x: STATUS_COLORS.get(x.task.status),
                width=56),
         Column("完成日期", lambda x: x.task.done_on.isoformat() if x.task.done_on else "", width=86),
         Column("佐证", lambda x: x.task.evidence, width=150)]


def _rate_color(line) -> str | None:
    """Red for an owner with overdue tasks (a laggard at the month's end), green when everything is done."""
    if line.overdue:
        return "#f6c9c6"
    return "#dff0d8" if line.total and line.done == line.total else None


FEEDBACK = [Column("指导站 / 指导员", lambda r: r[0], width=150),
            Column("任务", lambda r: r[1].total, align=RIGHT, width=40),
            Column("完成", lambda r: r[1].done, align=RIGHT, width=40),
            Column("按时", lambda r: r[1].on_time, align=RIGHT, width=40),
            Column("逾期", lambda r: r[1].overdue, align=RIGHT, width=40),
            Column("未到期", lambda r: r[1].open, align=RIGHT, width=50),
            Column("完成率", lambda r: f"{r[1].rate}%", sort=lambda r: r[1].rate, align=RIGHT,
                   background=lambda r: _rate_color(r[1]), width=60)]


def feedback_rows(fb: station_lists.Feedback) -> list[tuple[str, station_lists.Line]]:
    rows: list[tuple[str, station_lists.Line]] = []
    for st in fb.stations:
        rows.extend((f"　{x.instructor or '站本级'}", x) for x in st.lines)
        rows.append((f"{st.station} 小计", st.total))
    if len(fb.stations) > 1:
        rows.append(("合计", fb.total))
    return rows


class MonthTasksPanel(QWidget):
    def __init__(self, ctx, on_change, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.on_change = ctx, on_change
        self.month = ""
        self.title = QLabel()
        self.issue_button = QPushButton("下达任务清单…")
        self.done_button = QPushButton("登记所选完成…")
        self.remove_button = QPushButton("删除所选任务")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title, 1)
        top.addWidget(self.issue_button)
        top.addWidget(self.done_button)
        top.addWidget(self.remove_button)
        self.tasks = RowTableModel(TASKS, self)
        self.tasks_view = list_view(self.tasks, stretch=2, name="指导站任务清单",
                                    empty="本月还没有下达给指导站的任务，点“下达任务清单…”")
        self.feedback = RowTableModel(FEEDBACK, self)
        self.feedback_view = list_view(self.feedback, stretch=0, name="指导站任务反馈")
        split = QSplitter()
        split.addWidget(self.tasks_view)
        split.addWidget(self.feedback_view)
        split.setSizes([800, 480])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.issue_button.clicked.connect(self._issue)
        self.done_button.clicked.connect(self._done)
        self.remove_button.clicked.connect(self._remove)
        self.tasks_view.doubleClicked.connect(lambda _i: self._done())

    def load(self, year: int, month: int) -> None:
        self.month = f"{year}-{month:02d}"
        lg = self.ctx.ledger
        rows = station_lists.listing(lg, self.month)
        fb = station_lists.feedback(lg, self.month)
        self.tasks.set_rows(rows)
        self.feedback.set_rows(feedback_rows(fb))
        t = fb.total
        self.title.setText(f"<b>{year} 年 {month} 月任务清单</b>（月初下达，月末反馈）：{t.total} 项，完成 {t.done}，"
                           f"逾期 <span style='color:#d7261e'>{t.overdue}</span>，完成率 {t.rate}%" if t.total else
                           f"<b>{year} 年 {month} 月任务清单</b>：尚未下达")

    def _issue(self) -> None:
        if IssueListDialog(self.ctx.ledger, self.month, self).exec():
            self.on_change()

    def _done(self) -> None:
        row = selected_row(self.tasks_view)
        if row is None:
            show_error(self, LedgerError("请先在任务清单中选择一项任务"))
            return
        if TaskDoneDialog(self.ctx.ledger, row, self).exec():
            self.on_change()

    def _remove(self) -> None:
        row = selected_row(self.tasks_view)
        if row is None:
            show_error(self, LedgerError("请先在任务清单中选择一项任务"))
            return
        t = row.task
        text = f"确定删除“{row.instructor or row.station}”的任务“{t.title}”吗？删除会随数据包传递。"
        if QMessageBox.question(self, "删除任务", text) != QMessageBox.StandardButton.Yes:
            return
        try:
            station_lists.remove(self.ctx.ledger, t.id)
        except LedgerError as e:
            show_error(self, e)
            return
        self.on_change()
