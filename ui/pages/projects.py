"""书记项目: the year's 书记项目清单 (type, status, 滞后/临期 first), and the chosen project's 方案, 立项 trail,
milestones and 调度 log; 申报, 调度, new milestones, milestones done, 立项, 结项, and under 更多: 变更类型/层级
(with a reason after 立项), 终止 (with a reason) and deleting a wrong 调度 entry."""

from __future__ import annotations

from html import escape
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import tracking as rules
from app.services.tracking import projects
from app.services.tracking.projects import ProjectInfo
from ui.context import ALL, ORGS, SCORES, UiContext
from ui.dialogs.tracking import (
    ApproveDialog,
    CloseDialog,
    LogDialog,
    LogRemoveDialog,
    MilestoneDialog,
    MilestoneDoneDialog,
    ProjectDialog,
    RegradeDialog,
    TerminateDialog,
)
from ui.models.base import CENTER, RIGHT, Column, FilterProxy, RowTableModel
from ui.widgets.errors import show_error
from ui.widgets.layout import hint, page_title
from ui.widgets.pickers import YearSpin
from ui.widgets.tables import list_view, selected_row

TRACKING = "tracking"  # change kind: projects, tasks, lists, meetings
LAG, SOON, DONE_COLOR = "#d7261e", "#b35c00", "#2e7d32"
TYPE_TINT = {"重点": "#fbe3e1", "提升": "#e3eefb", "改薄": "#fbf1d6"}


def flag(p: ProjectInfo) -> str:
    return "滞后" if p.track.is_lagging else ("临期" if p.track.is_due_soon else "")


COLUMNS = [
    Column("提醒", flag, sort=lambda p: (p.track.is_lagging * 2 + p.track.is_due_soon), align=CENTER, width=48,
           foreground=lambda p: LAG if p.track.is_lagging else SOON),
    Column("类型", lambda p: p.type, align=CENTER, width=48, background=lambda p: TYPE_TINT.get(p.type)),
    Column("项目名称", lambda p: p.title, width=250, tooltip=lambda p: p.goal),
    Column("层级", lambda p: p.level.replace("乡镇(街道、开发区)党(工)委", "党(工)委"), width=120, tooltip=lambda p: p.level),
    Column("牵头组织", lambda p: p.lead_name, width=170),
    Column("状态", lambda p: p.status, align=CENTER, width=60,
           foreground=lambda p: DONE_COLOR if p.status == rules.COMPLETED else None),
    Column("节点", lambda p: f"{p.track.milestones_done}/{p.track.milestones_total}", sort=lambda p: p.track.rate,
           align=CENTER, width=50),
    Column("进度", lambda p: f"{p.track.progress}%", sort=lambda p: p.track.progress, align=RIGHT, width=50),
]


def detail_html(p: ProjectInfo) -> str:
    e = escape
    trail = "　→　".join(f"{label} {d or '—'}" for label, d in (("申报", p.declared_on), ("会议定", p.decided_on),
                                                                ("审核备案", p.filed_on)))
    rows = []
    for m in p.milestones:
        state, color = ((f"{m.done_on} 完成", DONE_COLOR) if m.done_on else ("滞后", LAG) if m.lagging
                        else ("临期", SOON) if m.due_soon else ("未到期", "#555"))
        rows.append(f"<tr><td>{m.due}</td><td>{e(m.title)}</td><td style='color:{color}'>{state}</td>"
                    f"<td>{e(m.evidence)}</td></tr>")
    logs = "".join(f"<tr><td>{lg.on}</td><td align=right>{lg.progress}%</td><td>{e(lg.note)}"
                   + (f"<br><span style='color:#8a6d00'>问题：{e(lg.problems)}</span>" if lg.problems else "")
                   + (f"<br>下步：{e(lg.next_steps)}" if lg.next_steps else "")
                   + (f"<br><span style='color:{LAG}'>进度下降原因：{e(lg.reason)}</span>" if lg.reason else "")
                   + "</td></tr>" for lg in reversed(p.logs))
    end = ""
    if p.status == rules.COMPLETED:
        bonus = f"（已计书记项目加分 {p.bonus_points} 分）" if p.bonus_points is not None else ""
        end = f"<p><b>结项</b> {p.finished_on}{bonus}：{e(p.summary)}</p>"
    elif p.status == rules.TERMINATED:
        end = f"<p><b>终止</b> {p.finished_on}：{e(p.end_reason)}</p>"
    review = f"<p><b>述职评议</b>：{e(p.review)}</p>" if p.review else ""
    return (f"<h3>{e(p.title)}</h3><p>{e(p.level)} · {p.type}项目 · {e(p.theme)}<br>牵头：{e(p.lead_name)}"
            f"（领衔 {e(p.lead_person) or '—'}）　{p.start}—{p.end}　状态：<b>{p.status}</b></p>"
            f"<p style='color:#555'>{trail}</p>"
            f"<p><b>解决的问题</b>：{e(p.problem) or '—'}<br><b>目标任务</b>：{e(p.goal) or '（未填）'}"
            f"<br><b>工作举措</b>：{e(p.measures) or '（未填）'}</p>{end}{review}"
            f"<p><b>节点</b>（{p.track.milestones_done}/{p.track.milestones_total}）</p>"
            "<table border=1 cellspacing=0 cellpadding=3 width='100%'><tr><th>时限</th><th>节点</th><th>情况</th>"
            f"<th>佐证</th></tr>{''.join(rows)}</table>"
            f"<p><b>调度记录</b></p><table border=1 cellspacing=0 cellpadding=3 width='100%'>"
            f"<tr><th>日期</th><th>进度</th><th>情况</th></tr>{logs or '<tr><td colspan=3>尚无调度记录</td></tr>'}</table>")


class Page(QWidget):
    title = "书记项目"
    kinds: ClassVar[set[str]] = {TRACKING, ORGS, SCORES, ALL}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        self.loaded = False
        self.rows: list[ProjectInfo] = []
        self.year = YearSpin(ctx.ledger.today().year)
        self.type_filter = QComboBox()
        self.type_filter.addItems(["全部类型", *rules.TYPES])
        self.status_filter = QComboBox()
        self.status_filter.addItems(["全部状态", "滞后或临期", *rules.PROJECT_STATUSES])
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找项目或组织")
        self.search.setClearButtonEnabled(True)
        self.add_button = QPushButton("申报项目…")
        self.milestone_button = QPushButton("新增节点…")
        self.done_button = QPushButton("节点完成…")
        self.log_button = QPushButton("登记调度…")
        self.approve_button = QPushButton("立项…")
        self.close_button = QPushButton("结项…")
        self.more_button = QToolButton()
        self.more_button.setText("更多")
        self.more_button.setMinimumWidth(64)
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more = QMenu(self.more_button)
        self.regrade_action = more.addAction("变更类型/层级…")
        self.terminate_action = more.addAction("终止项目…")
        more.addSeparator()
        self.log_remove_action = more.addAction("删除调度记录…")
        self.more_button.setMenu(more)
        top = QHBoxLayout()
        top.addWidget(page_title("书记项目"))
        top.addSpacing(12)
        for w in (QLabel("年份"), self.year, self.type_filter, self.status_filter):
            top.addWidget(w)
        top.addWidget(self.search, 1)
        for b in (self.add_button, self.milestone_button, self.done_button, self.log_button, self.approve_button,
                  self.close_button, self.more_button):
            top.addWidget(b)
        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.model = RowTableModel(COLUMNS, self)
        self.proxy = FilterProxy(text_columns=(2, 4), parent=self)
        self.proxy.setSourceModel(self.model)
        self.view = list_view(self.proxy, stretch=2)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # 滞后, then 临期
        self.detail = QTextBrowser()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.setSizes([800, 520])
        self.summary = hint()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        layout.addWidget(split, 1)
        layout.addWidget(self.summary)

        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.type_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.status_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.search.textChanged.connect(self.proxy.set_text)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.add_button.clicked.connect(self.add_project)
        self.milestone_button.clicked.connect(self.add_milestone)
        self.done_button.clicked.connect(self.milestone_done)
        self.log_button.clicked.connect(self.add_log)
        self.approve_button.clicked.connect(lambda: self.current() and self._after(self.approve_dialog()))
        self.close_button.clicked.connect(lambda: self.current() and self._after(self.close_dialog()))
        self.regrade_action.triggered.connect(lambda: self.current() and self._after(self.regrade_dialog()))
        self.terminate_action.triggered.connect(lambda: self.current() and self._after(self.terminate_dialog()))
        self.log_remove_action.triggered.connect(lambda: self.current() and self._after(self.log_remove_dialog()))
        self._selected()

    def refresh(self) -> None:
        self._generation += 1
        gen, year, ledger = self._generation, self.year.year(), self.ctx.ledger
        self.loaded = False
        self.ctx.tasks.start(lambda _p: projects.listing(ledger, year, full=True),
                             on_done=lambda rows: self._show(gen, rows),
                             on_error=lambda exc, tb: self._failed(gen, exc, tb))

    def _failed(self, gen, exc, tb) -> None:
        if gen == self._generation:
            self.loaded = True
            show_error(self, exc, tb)

    def _show(self, gen: int, rows: list[ProjectInfo]) -> None:
        if gen != self._generation:
            return
        keep = getattr(selected_row(self.view), "id", None)
        self.rows = sorted(rows, key=lambda p: (p.status in (rules.COMPLETED, rules.TERMINATED),
                                                not p.track.is_lagging, not p.track.is_due_soon, p.id))
        self.model.set_rows(self.rows)
        self._apply_filter()
        chips = []
        for t in rules.TYPES:
            n = sum(1 for p in rows if p.type == t)
            chips.append(f"<span style='background:{TYPE_TINT[t]}'>&nbsp;{t}项目 <b>{n}</b>&nbsp;</span>")
        for st in rules.PROJECT_STATUSES:
            chips.append(f"{st} <b>{sum(1 for p in rows if p.status == st)}</b>")
        lag = sum(1 for p in rows if p.track.is_lagging)
        soon = sum(1 for p in rows if p.track.is_due_soon and not p.track.is_lagging)
        chips.append(f"<span style='color:{LAG}'>滞后 <b>{lag}</b></span>")
        chips.append(f"<span style='color:{SOON}'>临期 <b>{soon}</b></span>")
        self.counts.setText("&nbsp;&nbsp;".join(chips))
        self.summary.setText("滞后：有节点已过时限仍未完成；临期：节点在提醒天数内到期（设置中可改，默认 14 天）。"
                             "选中项目查看方案、节点和调度记录。" if rows else f"{self.year.year()} 年还没有书记项目，点“申报项目”新增。")
        self.loaded = True
        if keep is not None:
            self.select(keep)
        elif self.proxy.rowCount():
            self.view.selectRow(0)
        self._selected()

    def _apply_filter(self) -> None:
        t = self.type_filter.currentText()
        st = self.status_filter.currentText()

        def keep(p: ProjectInfo) -> bool:
            if t in rules.TYPES and p.type != t:
                return False
            if st == "滞后或临期":
                return p.track.is_lagging or p.track.is_due_soon
            return st not in rules.PROJECT_STATUSES or p.status == st

        self.proxy.set_predicate(None if t == "全部类型" and st == "全部状态" else keep)

    def select(self, project_id: int) -> None:
        for r in range(self.proxy.rowCount()):
            if self.proxy.source_row(r).id == project_id:
                self.view.selectRow(r)
                return

    def current(self) -> ProjectInfo | None:
        p = selected_row(self.view)
        return p if isinstance(p, ProjectInfo) else None

    def _selected(self) -> None:
        p = self.current()
        self.detail.setHtml(detail_html(p) if p else "<p style='color:#777'>选中左侧项目查看详情</p>")
        open_ = p is not None and p.status not in (rules.COMPLETED, rules.TERMINATED)
        self.milestone_button.setEnabled(open_)
        self.done_button.setEnabled(open_ and any(m.done_on is None for m in p.milestones))
        self.log_button.setEnabled(open_ and p.status != rules.DECLARED)
        self.approve_button.setEnabled(p is not None and p.status == rules.DECLARED)
        self.close_button.setEnabled(p is not None and p.status in (rules.APPROVED, rules.RUNNING))
        self.regrade_action.setEnabled(open_)
        self.terminate_action.setEnabled(open_)
        self.log_remove_action.setEnabled(open_ and bool(p.logs))

    # --- writing ---------------------------------------------------------------------------
    def _after(self, dialog) -> None:
        if dialog.exec():
            self.ctx.notify_changed(TRACKING)

    def project_dialog(self) -> ProjectDialog:
        return ProjectDialog(self.ctx.ledger, self.year.year(), self)

    def add_project(self) -> None:
        self._after(self.project_dialog())

    def add_milestone(self) -> None:
        if self.current():
            self._after(MilestoneDialog(self.ctx.ledger, self.current(), self))

    def milestone_done(self) -> None:
        p = self.current()
        todo = [m for m in p.milestones if m.done_on is None] if p else []
        if todo:
            self._after(MilestoneDoneDialog(self.ctx.ledger, todo[0], self))

    def approve_dialog(self) -> ApproveDialog:
        return ApproveDialog(self.ctx.ledger, self.current(), self)

    def close_dialog(self) -> CloseDialog:
        return CloseDialog(self.ctx.ledger, self.current(), self)

    def regrade_dialog(self) -> RegradeDialog:
        return RegradeDialog(self.ctx.ledger, self.current(), self)

    def terminate_dialog(self) -> TerminateDialog:
        return TerminateDialog(self.ctx.ledger, self.current(), self)

    def log_remove_dialog(self) -> LogRemoveDialog:
        return LogRemoveDialog(self.ctx.ledger, self.current(), self)

    def log_dialog(self) -> LogDialog:
        return LogDialog(self.ctx.ledger, self.current(), self)

    def add_log(self) -> None:
        if self.current():
            self._after(self.log_dialog())
