"""预警通报: a quarter's 三级预警 by level, the notice, and each warned organisation's 整改."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.domain.enums import WarningLevel
from app.domain.points import fmt
from app.errors import NotFoundError
from app.services.assessment import warnings
from app.services.assessment.warnings import OrgWarning
from ui.context import ALL, ORGS, SCHEME, SCORES, WARNINGS, UiContext
from ui.dialogs.rectification import NoticeDialog, RectificationDialog
from ui.models.base import CENTER, RIGHT, ROW_ROLE, Column, FilterProxy, RowTableModel
from ui.widgets.errors import show_error
from ui.widgets.layout import hint, page_title
from ui.widgets.pickers import QuarterCombo, YearSpin
from ui.widgets.tables import list_view, selected_row

FILTERS = ("全部", "未整改", "已逾期", "已整改")
STATUS_COLORS = {"已逾期": "#d7261e", "已整改": "#2e7d32", "待整改": "#8a6d00"}


def last_complete_quarter(today: date) -> tuple[int, int]:
    q = (today.month - 1) // 3  # quarters fully past this year
    return (today.year, q) if q else (today.year - 1, 4)


def _tint(level: WarningLevel) -> str:
    return {3: "#f6c9c6", 2: "#fbdcb8", 1: "#fbeeb0"}.get(int(level), "")


CHANGED_COLOR = "#b35c00"


def _now_text(w: OrgWarning) -> str:
    if w.changed_since_issue:
        now = w.level.label.split("·")[-1] if w.level else "无预警"
        return f"发布后有变化：现{now} {fmt(w.quarter_score)}"
    if w.provisional:
        return "季度未结束（暂算）"
    return ""


def _now_tooltip(w: OrgWarning) -> str:
    if w.changed_since_issue:
        return (f"通报发布时：{w.shown_level.label}，{fmt(w.shown_score)} 分；按现在的台账：{w.level.label}，"
                f"{fmt(w.quarter_score)} 分（{w.reason_text or '未达预警线'}）。已发布的通报不随之改变。")
    if w.provisional:
        return "本季度尚未结束，积分还会变化；季度结束后才能发布预警通报"
    return ""


def columns(today: date) -> list[Column]:
    return [
        # Once a notice is issued its level and score stand; the ledger's current figures go beside them.
        Column("预警等级", lambda w: w.shown_level.label, sort=lambda w: int(w.shown_level), align=CENTER,
               background=lambda w: _tint(w.shown_level), width=84),
        Column("党组织", lambda w: w.org_name, width=190, tooltip=lambda w: f"{w.org_name}（{w.org_code}）"),
        Column("上级党委", lambda w: w.parent_name or "", width=104),
        Column("季度积分", lambda w: fmt(w.shown_score), sort=lambda w: w.shown_score, align=RIGHT, width=70),
        Column("预警原因", lambda w: w.shown_reason_text, tooltip=lambda w: w.shown_reason_text, width=280),
        Column("通报", lambda w: "已发布" if w.issued else "未发布", align=CENTER, width=60,
               tooltip=lambda w: f"{w.issued_on} 发布，{w.notice_no or '未填文号'}" if w.issued else "本季度尚未发布预警通报"),
        Column("整改状态", lambda w: w.status(today) if w.issued else "—", align=CENTER, width=70,
               foreground=lambda w: STATUS_COLORS.get(w.status(today)) if w.issued else None),
        Column("整改期限", lambda w: w.rectification.deadline.isoformat()
               if w.rectification and w.rectification.deadline else "", width=90),
        Column("销号日期", lambda w: w.rectification.closed_on.isoformat()
               if w.rectification and w.rectification.closed_on else "", width=90),
        Column("现状", _now_text, width=175, foreground=lambda w: CHANGED_COLOR if w.changed_since_issue else None,
               tooltip=_now_tooltip),
    ]


class Page(QWidget):
    title = "预警通报"
    kinds: ClassVar[set[str]] = {WARNINGS, SCORES, SCHEME, ORGS, ALL}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0  # a late result of an earlier year/quarter is dropped
        self._muted = False
        self.loaded = False
        self.rows: list[OrgWarning] = []
        self._select_after: str | None = None
        today = ctx.ledger.today()
        year, quarter = last_complete_quarter(today)

        self.year = YearSpin(year)
        self.year.setMinimumWidth(96)
        self.quarter = QuarterCombo(quarter)
        self.filter = QComboBox()
        self.filter.addItems(FILTERS)
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找党组织")
        self.search.setClearButtonEnabled(True)
        self.issue_button = QPushButton("发布预警通报…")
        self.rect_button = QPushButton("登记整改…")
        top = QHBoxLayout()
        top.addWidget(page_title("预警通报"))
        top.addSpacing(12)
        for w in (QLabel("年份"), self.year, QLabel("季度"), self.quarter, QLabel("整改"), self.filter):
            top.addWidget(w)
        top.addWidget(self.search, 1)
        top.addWidget(self.issue_button)
        top.addWidget(self.rect_button)

        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.summary = hint()
        self.model = RowTableModel(columns(today), self)
        self.proxy = FilterProxy(text_columns=(1, 2), parent=self)
        self.proxy.setSourceModel(self.model)
        self.view = list_view(self.proxy, stretch=4, name="预警通报",
                              empty="这个季度没有达到预警线的党组织（或还没有录入积分）。")
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # red first; ties keep score order

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)

        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.quarter.quarterChanged.connect(lambda _q: self.refresh())
        self.filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.search.textChanged.connect(self.proxy.set_text)
        self.issue_button.clicked.connect(self.issue)
        self.rect_button.clicked.connect(self.rectify)
        self.view.doubleClicked.connect(lambda _i: self.rectify())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self._enable()

    # --- loading -------------------------------------------------------------------------
    def refresh(self) -> None:
        if self._muted:
            return
        self._generation += 1
        gen, year, quarter = self._generation, self.year.year(), self.quarter.quarter()
        self.loaded = False
        self.summary.setText("正在计算预警…")
        ledger = self.ctx.ledger
        self.ctx.tasks.start(
            lambda _progress: warnings.quarter_warnings(ledger, year, quarter),
            on_done=lambda rows: self._show(gen, rows),
            on_error=lambda exc, tb: self._failed(gen, exc, tb),
        )

    def _failed(self, gen: int, exc: BaseException, tb: str) -> None:
        if gen == self._generation:
            self.summary.setText("")
            self.loaded = True
            show_error(self, exc, tb)

    def _show(self, gen: int, rows: list[OrgWarning]) -> None:
        if gen != self._generation:
            return
        self.rows = rows
        warned = sorted((r for r in rows if r.level != WarningLevel.NONE or r.shown_level != WarningLevel.NONE),
                        key=lambda r: (-int(r.shown_level), r.shown_score, r.org_code))
        current = selected_row(self.view)
        keep = self._select_after or (current.org_code if isinstance(current, OrgWarning) else None)
        self._select_after = None
        self.model.set_rows(warned)
        self._apply_filter()
        if keep:  # the row worked on (登记整改) stays selected after the table is re-read
            self.select_org(keep)
        chips = []
        for lv in (WarningLevel.RED, WarningLevel.ORANGE, WarningLevel.YELLOW):
            n = sum(1 for r in warned if r.shown_level == lv)
            chips.append(f"<span style='background:{_tint(lv)}; padding:2px 8px;'>&nbsp;{lv.label}"
                         f"（{lv.action}）<b>{n}</b> 个&nbsp;</span>")
        chips.append(f"&nbsp;&nbsp;无预警 <b>{len(rows) - len(warned)}</b> 个")
        self.counts.setText("&nbsp;&nbsp;".join(chips))
        issued = next((r for r in rows if r.issued), None)
        today = self.ctx.ledger.today()
        overdue = sum(1 for r in warned if r.issued and r.status(today) == "已逾期")
        changed = sum(1 for r in warned if r.changed_since_issue)
        if rows and rows[0].provisional:
            text = "本季度尚未结束，以下是截至今天的暂算结果，积分还会变化；季度结束后才能发布预警通报。"
        elif issued:
            text = f"本季度预警通报已于 {issued.issued_on} 发布（{issued.notice_no or '未填文号'}）；已逾期未整改 {overdue} 个。"
            if changed:
                text += f"发布后台账有变化的 {changed} 个，通报内容不变（见“现状”列）。"
        elif warned:
            text = "本季度预警通报尚未发布：核对无误后点“发布预警通报”，再为每个组织登记整改。"
        else:
            text = "本季度没有党组织达到预警线。"
        self.summary.setText(text + "　双击一行可登记整改。")
        self.loaded = True
        self._enable()

    def select_org(self, org_code: str) -> bool:
        for r in range(self.proxy.rowCount()):
            w = self.proxy.index(r, 0).data(ROW_ROLE)
            if isinstance(w, OrgWarning) and w.org_code == org_code:
                self.view.selectRow(r)
                self.view.scrollTo(self.proxy.index(r, 0))
                return True
        return False

    def show_quarter(self, year: int, quarter: int, *, org_code: str | None = None, overdue: bool = False) -> None:
        """A quarter's warnings (from the 概览 cards and lists), optionally only the overdue, one selected."""
        self._select_after = org_code
        self.filter.setCurrentText("已逾期" if overdue else "全部")
        if (self.year.year(), self.quarter.quarter()) == (year, quarter):
            self.refresh()
            return
        self.quarter.blockSignals(True)
        self.quarter.set_quarter(quarter)
        self.quarter.blockSignals(False)
        if self.year.year() != year:
            self.year.setValue(year)  # reads the quarter (once)
        else:
            self.refresh()

    def _apply_filter(self) -> None:
        choice = self.filter.currentText()
        today = self.ctx.ledger.today()
        tests = {
            "全部": None,
            "未整改": lambda w: w.issued and w.status(today) in ("待整改", "已逾期"),
            "已逾期": lambda w: w.issued and w.status(today) == "已逾期",
            "已整改": lambda w: w.issued and w.status(today) == "已整改",
        }
        self.proxy.set_predicate(tests[choice])

    def _enable(self) -> None:
        w = selected_row(self.view)
        self.rect_button.setEnabled(isinstance(w, OrgWarning) and w.issued)
        self.rect_button.setToolTip("" if (w is None or w.issued) else "请先发布本季度预警通报")
        self.issue_button.setEnabled(any(r.level != WarningLevel.NONE for r in self.rows))

    # --- writing -------------------------------------------------------------------------
    def _changed(self, rows: list[OrgWarning]) -> None:
        self._muted = True
        try:
            self.ctx.notify_changed(WARNINGS)
        finally:
            self._muted = False
        self._generation += 1
        self._show(self._generation, rows)

    def issue_dialog(self) -> NoticeDialog:
        return NoticeDialog(self.ctx.ledger, self.year.year(), self.quarter.quarter(), self.rows, self)

    def issue(self) -> None:
        dialog = self.issue_dialog()
        if dialog.exec():
            self._changed(dialog.result_value)

    def rectification_dialog(self, w: OrgWarning) -> RectificationDialog:
        return RectificationDialog(self.ctx.ledger, w, self)

    def rectify(self) -> None:
        w = selected_row(self.view)
        if not isinstance(w, OrgWarning):
            return
        if not w.issued:
            show_error(self, NotFoundError("这个组织本季度的预警还没有发布，请先点“发布预警通报”。"))
            return
        dialog = self.rectification_dialog(w)
        if dialog.exec():
            saved: OrgWarning = dialog.result_value
            self._changed([saved if r.org_code == saved.org_code else r for r in self.rows])

    # --- state ---------------------------------------------------------------------------
    def save_state(self, settings: QSettings) -> None:
        settings.setValue("warnings/filter", self.filter.currentIndex())

    def restore_state(self, settings: QSettings) -> None:
        value = settings.value("warnings/filter", 0)
        self.filter.setCurrentIndex(int(value) if str(value).isdigit() else 0)
