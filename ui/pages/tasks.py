"""重点任务: the 重点任务台账 (source, owner, dates, status with 逾期 and 临期), a month's 工作任务清单 with its
月末汇总反馈 per owner (the laggards first), and the 例会 with their 发言人次 and 整改 counts."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import tracking as rules
from app.errors import LedgerError
from app.reports import tracking_lists
from app.services.tracking import meetings, task_lists, tasks
from app.services.tracking.tasks import TaskInfo
from ui.context import ALL, ORGS, SCORES, UiContext
from ui.dialogs.task_list_issue import IssueListDialog
from ui.dialogs.tracking import (
    TaskCloseDialog,
    TaskDialog,
    TaskDoneDialog,
    TaskLogDialog,
    TaskLogRemoveDialog,
)
from ui.dialogs.tracking_meeting import MeetingDialog
from ui.models.base import CENTER, RIGHT, Column, FilterProxy, RowTableModel
from ui.printing.generate import generate_and_preview
from ui.widgets.errors import show_error
from ui.widgets.layout import hint, page_title
from ui.widgets.pickers import MonthCombo, YearSpin
from ui.widgets.tables import list_view, selected_row

from .projects import DONE_COLOR, LAG, SOON, TRACKING

STATUS_COLORS = {rules.OVERDUE: LAG, rules.DONE: DONE_COLOR, rules.CLOSED: DONE_COLOR}
ORDER = {rules.OVERDUE: 0, rules.DOING: 1, rules.TODO: 2, rules.DONE: 3, rules.CLOSED: 4}  # what needs chasing first

TASK_COLUMNS = [
    Column("状态", lambda t: t.status + ("·临期" if t.due_soon else ""), align=CENTER, width=96,
           sort=lambda t: (ORDER[t.status], not t.due_soon, t.due),
           foreground=lambda t: STATUS_COLORS.get(t.status) or (SOON if t.due_soon else None)),
    Column("任务名称", lambda t: t.title, width=230, tooltip=lambda t: t.title),
    Column("来源", lambda t: t.source, align=CENTER, width=100),
    Column("责任单位", lambda t: t.owner_name, width=190),
    Column("责任人", lambda t: t.owner_person, width=64),
    Column("交办日期", lambda t: t.issued.isoformat(), sort=lambda t: t.issued, width=84),
    Column("完成时限", lambda t: t.due.isoformat(), sort=lambda t: t.due, width=84),
    Column("完成日期", lambda t: t.done_on.isoformat() if t.done_on else "", width=84),
    Column("佐证 / 验收", lambda t: " / ".join(x for x in (t.evidence, t.verified_by) if x), width=150),
    Column("扣分", lambda t: "已扣分" if t.deducted else "", align=CENTER, width=50),
]

FEEDBACK_COLUMNS = [
    Column("责任单位", lambda o: o.owner_name, width=220),
    Column("任务数", lambda o: o.total, align=RIGHT, width=60),
    Column("已完成", lambda o: o.done, align=RIGHT, width=60),
    Column("按时完成", lambda o: o.on_time, align=RIGHT, width=70),
    Column("逾期", lambda o: o.overdue, align=RIGHT, width=50, foreground=lambda o: LAG if o.overdue else None),
    Column("未到期", lambda o: o.open, align=RIGHT, width=60),
    Column("完成率", lambda o: f"{o.rate}%", sort=lambda o: o.rate, align=RIGHT, width=70),
]

MEETING_COLUMNS = [
    Column("日期", lambda m: m.on.isoformat(), sort=lambda m: m.on, width=90),
    Column("例会", lambda m: m.title, width=170),
    Column("观摩点", lambda m: "、".join(m.sites), width=260, tooltip=lambda m: "、".join(m.sites)),
    Column("发言人次", lambda m: len(m.speakers), align=RIGHT, width=64),
    Column("经验交流", lambda m: m.exchanges, align=RIGHT, width=64),
    Column("表态发言", lambda m: m.pledges, align=RIGHT, width=64),
    Column("交办整改", lambda m: m.rectifications, align=RIGHT, width=64),
    Column("已整改", lambda m: m.rectified, align=RIGHT, width=56),
    Column("领办", lambda m: m.leader, width=140),
]


def deductible(t: TaskInfo, today) -> bool:
    return t.source == rules.SUPERIOR and not t.deducted and rules.finished_late(t.due, t.done_on, today)


class Page(QWidget):
    title = "重点任务"
    kinds: ClassVar[set[str]] = {TRACKING, ORGS, SCORES, ALL}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        self.loaded = False
        today = ctx.ledger.today()
        self.year = YearSpin(today.year)
        self.month = MonthCombo(today.month)
        self.source_filter = QComboBox()
        self.source_filter.addItems(["全部来源", *rules.SOURCES])
        self.status_filter = QComboBox()
        self.status_filter.addItems(["全部状态", "逾期或临期", *rules.TASK_STATUSES])
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找任务或责任单位")
        self.search.setClearButtonEnabled(True)
        self.add_button = QPushButton("交办任务…")
        self.done_button = QPushButton("登记完成…")
        self.close_button = QPushButton("验收销号…")
        self.issue_button = QPushButton("下发月度清单…")
        self.meeting_button = QPushButton("新增例会…")
        self.more_button = QToolButton()
        self.more_button.setText("更多")
        self.more_button.setMinimumWidth(64)
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more = QMenu(self.more_button)
        self.log_action = more.addAction("登记进展…")
        self.log_remove_action = more.addAction("删除跟踪记录…")
        self.more_button.setMenu(more)
        self.deduct_button = QPushButton("逾期扣分…")
        self.deduct_button.setToolTip("上级交办任务未按时完成：给责任单位计一次“未按时完成上级交办任务”扣分（每项一次）")
        top = QHBoxLayout()
        top.addWidget(page_title("重点任务"))
        top.addSpacing(12)
        for w in (QLabel("年份"), self.year, QLabel("清单月份"), self.month):
            top.addWidget(w)
        top.addStretch(1)
        for b in (self.issue_button, self.meeting_button, self.add_button, self.done_button, self.close_button,
                  self.deduct_button, self.more_button):
            top.addWidget(b)

        self.task_model = RowTableModel(TASK_COLUMNS, self)
        self.task_proxy = FilterProxy(text_columns=(1, 3), parent=self)
        self.task_proxy.setSourceModel(self.task_model)
        self.task_view = list_view(self.task_proxy, stretch=1)
        self.task_view.setSortingEnabled(True)
        self.task_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.task_counts = QLabel()
        self.task_counts.setTextFormat(Qt.TextFormat.RichText)
        tab1 = QWidget()
        l1 = QVBoxLayout(tab1)
        filters = QHBoxLayout()
        for w in (self.source_filter, self.status_filter):
            filters.addWidget(w)
        filters.addWidget(self.search, 1)
        l1.addLayout(filters)
        l1.addWidget(self.task_counts)
        l1.addWidget(self.task_view, 1)

        self.feedback_model = RowTableModel(FEEDBACK_COLUMNS, self)
        self.feedback_view = list_view(self.feedback_model, stretch=0)
        self.feedback_total = QLabel()
        self.month_tasks: list[TaskInfo] = []
        self.owner_title = QLabel("选中责任单位，查看它本月清单中的每一项任务")
        self.owner_model = RowTableModel(TASK_COLUMNS, self)
        self.owner_view = list_view(self.owner_model, stretch=1)
        self.print_list_button = QPushButton("打印任务清单…")
        self.print_feedback_button = QPushButton("打印反馈表…")
        tab2 = QWidget()
        l2 = QVBoxLayout(tab2)
        bar2 = QHBoxLayout()
        bar2.addWidget(self.feedback_total, 1)
        bar2.addWidget(self.print_list_button)
        bar2.addWidget(self.print_feedback_button)
        l2.addLayout(bar2)
        split2 = QSplitter(Qt.Orientation.Vertical)
        split2.addWidget(self.feedback_view)
        lower2 = QWidget()
        ll2 = QVBoxLayout(lower2)
        ll2.setContentsMargins(0, 0, 0, 0)
        ll2.addWidget(self.owner_title)
        ll2.addWidget(self.owner_view, 1)
        split2.addWidget(lower2)
        split2.setSizes([300, 300])
        l2.addWidget(split2, 1)

        self.meeting_model = RowTableModel(MEETING_COLUMNS, self)
        self.meeting_view = list_view(self.meeting_model, stretch=2)
        self.meeting_total = QLabel()
        tab3 = QWidget()
        l3 = QVBoxLayout(tab3)
        l3.addWidget(self.meeting_total)
        l3.addWidget(self.meeting_view, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(tab1, "重点任务台账")
        self.tabs.addTab(tab2, "月度清单反馈")
        self.tabs.addTab(tab3, "例会")
        self.summary = hint("逾期：过了完成时限仍未完成；临期：在提醒天数内到期。上级交办任务未按时完成可点“逾期扣分”（每项一次）。")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.summary)

        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.month.monthChanged.connect(lambda _m: self.refresh())
        self.source_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.status_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.search.textChanged.connect(self.task_proxy.set_text)
        self.task_view.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.feedback_view.selectionModel().selectionChanged.connect(lambda *_a: self._owner_selected())
        self.print_list_button.clicked.connect(lambda: self.print_month("list"))
        self.print_feedback_button.clicked.connect(lambda: self.print_month("feedback"))
        self.add_button.clicked.connect(self.add_task)
        self.done_button.clicked.connect(self.mark_done)
        self.close_button.clicked.connect(self.close_task)
        self.log_action.triggered.connect(lambda: self._after(self.log_dialog()))
        self.log_remove_action.triggered.connect(lambda: self._after(self.log_remove_dialog()))
        self.issue_button.clicked.connect(self.issue_list)
        self.meeting_button.clicked.connect(lambda: self._after(self.meeting_dialog(), 2))
        self.deduct_button.clicked.connect(self.deduct)
        self._enable()

    def refresh(self) -> None:
        self._generation += 1
        gen, year, ledger = self._generation, self.year.year(), self.ctx.ledger
        ym = f"{year}-{self.month.month():02d}"
        self.loaded = False

        def load(_p):
            return (tasks.listing(ledger, year=year), task_lists.feedback(ledger, ym), meetings.listing(ledger, year),
                    tasks.listing(ledger, month=ym))

        self.ctx.tasks.start(load, on_done=lambda r: self._show(gen, *r), on_error=lambda e, tb: self._failed(gen, e, tb))

    def _failed(self, gen, exc, tb) -> None:
        if gen == self._generation:
            self.loaded = True
            show_error(self, exc, tb)

    def _show(self, gen: int, rows: list[TaskInfo], fb: task_lists.Feedback, ms: list[meetings.MeetingInfo],
              month_rows: list[TaskInfo] = ()) -> None:
        if gen != self._generation:
            return
        self.month_tasks = list(month_rows)
        self._owner_selected()
        self.task_model.set_rows(sorted(rows, key=lambda t: (ORDER[t.status], not t.due_soon, t.due, t.id)))
        self._apply_filter()
        counts = {st: sum(1 for t in rows if t.status == st) for st in rules.TASK_STATUSES}
        soon = sum(1 for t in rows if t.due_soon)
        self.task_counts.setText("&nbsp;&nbsp;".join(
            [f"共 <b>{len(rows)}</b> 项"] + [f"<span style='color:{STATUS_COLORS.get(st, '#333')}'>{st} <b>{n}</b></span>"
                                             for st, n in counts.items()]
            + [f"<span style='color:{SOON}'>临期 <b>{soon}</b></span>"]))
        self.feedback_model.set_rows(fb.owners)
        self.feedback_total.setText(f"{fb.month} 月度工作任务清单：{len(fb.owners)} 个责任单位，任务 {fb.total} 项，"
                                    f"已完成 {fb.done} 项，逾期 {fb.overdue} 项（完成率低的在前）" if fb.owners
                                    else f"{fb.month} 没有下发月度工作任务清单（点“下发月度清单…”）")
        self.meeting_model.set_rows(ms)
        self.meeting_total.setText(f"{self.year.year()} 年例会 {len(ms)} 次：发言 {sum(len(m.speakers) for m in ms)} 人次"
                                   f"（经验交流 {sum(m.exchanges for m in ms)}，表态发言 {sum(m.pledges for m in ms)}），"
                                   f"交办整改 {sum(m.rectifications for m in ms)} 项，已整改 {sum(m.rectified for m in ms)} 项")
        self.loaded = True
        self._enable()

    def _owner_selected(self) -> None:
        """The chosen owner's tasks of the month's list (what its row of the 反馈 counts)."""
        o = selected_row(self.feedback_view)
        if not isinstance(o, task_lists.OwnerFeedback):
            self.owner_model.set_rows([])
            self.owner_title.setText("选中责任单位，查看它本月清单中的每一项任务")
            return
        mine = sorted((t for t in self.month_tasks if t.owner_code == o.owner_code),
                      key=lambda t: (ORDER[t.status], t.due, t.id))
        self.owner_model.set_rows(mine)
        self.owner_title.setText(f"{o.owner_name}：本月任务 {o.total} 项，已完成 {o.done} 项，逾期 {o.overdue} 项")

    def print_month(self, which: str, on_preview=None) -> None:
        """月度工作任务清单 or 月末汇总反馈表 of the chosen month, previewed."""
        ym, ledger = f"{self.year.year()}-{self.month.month():02d}", self.ctx.ledger
        y, m = self.year.year(), self.month.month()
        if which == "list":
            title, make = f"{y}年{m}月工作任务清单", tracking_lists.build_month_list
        else:
            title, make = f"{y}年{m}月月末汇总反馈表", tracking_lists.build_feedback
        generate_and_preview(self.ctx, self, title, lambda p: make(ledger, ym, p), on_preview)

    def _apply_filter(self) -> None:
        src, st = self.source_filter.currentText(), self.status_filter.currentText()

        def keep(t: TaskInfo) -> bool:
            if src in rules.SOURCES and t.source != src:
                return False
            if st == "逾期或临期":
                return t.status == rules.OVERDUE or t.due_soon
            return st not in rules.TASK_STATUSES or t.status == st

        self.task_proxy.set_predicate(None if src == "全部来源" and st == "全部状态" else keep)

    def current(self) -> TaskInfo | None:
        t = selected_row(self.task_view)
        return t if isinstance(t, TaskInfo) else None

    def _enable(self) -> None:
        t = self.current()
        self.done_button.setEnabled(t is not None and t.stored_status in (rules.TODO, rules.DOING))
        self.close_button.setEnabled(t is not None and t.stored_status == rules.DONE)
        pending = t is not None and t.stored_status in (rules.TODO, rules.DOING)
        self.log_action.setEnabled(pending)
        self.log_remove_action.setEnabled(pending and t.stored_status == rules.DOING)
        self.deduct_button.setEnabled(t is not None and deductible(t, self.ctx.ledger.today()))

    def deduct(self, *, confirm: bool = True) -> None:
        t = self.current()
        if t is None:
            return
        if confirm and QMessageBox.question(
                self, "逾期扣分", f"给“{t.owner_name}”计一次“未按时完成上级交办任务”扣分？\n任务：{t.title}（时限 {t.due}）",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return
        try:
            tasks.deduct(self.ctx.ledger, t.id)
        except LedgerError as exc:
            show_error(self, exc)
            return
        self.ctx.notify_changed(TRACKING)
        self.ctx.notify_changed(SCORES)

    def task_dialog(self) -> TaskDialog:
        return TaskDialog(self.ctx.ledger, self)

    def add_task(self) -> None:
        if self.task_dialog().exec():
            self.ctx.notify_changed(TRACKING)

    def issue_dialog(self) -> IssueListDialog:
        return IssueListDialog(self.ctx.ledger, f"{self.year.year()}-{self.month.month():02d}", self)

    def meeting_dialog(self) -> MeetingDialog:
        return MeetingDialog(self.ctx.ledger, self)

    def close_dialog(self) -> TaskCloseDialog | None:
        t = self.current()
        return TaskCloseDialog(self.ctx.ledger, t, self) if t is not None else None

    def log_dialog(self) -> TaskLogDialog | None:
        t = self.current()
        return TaskLogDialog(self.ctx.ledger, t, self) if t is not None else None

    def log_remove_dialog(self) -> TaskLogRemoveDialog | None:
        t = self.current()
        return TaskLogRemoveDialog(self.ctx.ledger, t, self) if t is not None else None

    def _after(self, dialog, tab: int | None = None) -> None:
        """After a saved dialog: refresh every page that shows tracking, and show the tab it wrote to."""
        if dialog is not None and dialog.exec():
            if tab is not None:
                self.tabs.setCurrentIndex(tab)
            self.ctx.notify_changed(TRACKING)

    def issue_list(self) -> None:
        """下发 a month's list, then show that month's 月末汇总反馈."""
        dialog = self.issue_dialog()
        if dialog.exec():
            y, m = (int(x) for x in dialog.result_value.month.split("-"))
            self.year.setValue(y)
            self.month.set_month(m)
            self.tabs.setCurrentIndex(1)
            self.ctx.notify_changed(TRACKING)

    def close_task(self) -> None:
        self._after(self.close_dialog())

    def mark_done(self) -> None:
        t = self.current()
        if t is not None and TaskDoneDialog(self.ctx.ledger, t, self).exec():
            self.ctx.notify_changed(TRACKING)
