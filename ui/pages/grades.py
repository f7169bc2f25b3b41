"""年度定级: the year's scores, rank and class; 调整定级 with a reason; 确认定级 sets next year's classes."""

from __future__ import annotations

import html
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import Category
from app.domain.points import ZERO, fmt
from app.domain.scheme import Scheme
from app.errors import LedgerError
from app.services.assessment import grades
from app.services.assessment.grades import OrgGrade
from app.services.kernel import scope
from app.services.scoring import schemes
from ui.context import ALL, GRADES, ORGS, SCHEME, SCORES, UiContext
from ui.dialogs.override import OverrideDialog
from ui.models.base import CENTER, RIGHT, Column, FilterProxy, RowTableModel
from ui.widgets.errors import show_error
from ui.widgets.layout import hint, page_title
from ui.widgets.pickers import YearSpin
from ui.widgets.tables import list_view, selected_row

CLASS_COLORS = {"A": "#d9eed9", "B": "#dde8f6", "C": "#f6dede"}
CHANGE_COLORS = {"升": "#2e7d32", "降": "#d7261e"}


def columns(scheme: Scheme | None) -> list[Column]:
    cats = list(scheme.categories) if scheme else []
    cat_cols = [
        Column(c.name[:4], (lambda g, code=c.code: fmt(g.categories.get(code, ZERO))),
               sort=(lambda g, code=c.code: g.categories.get(code, ZERO)), align=RIGHT, width=60,
               tooltip=lambda g, c=c: f"{c.name}（{c.kind.label}"
                                      + (f"，上限 {fmt(c.max_points)} 分）" if c.max_points is not None else "）"))
        for c in cats
    ]
    return [
        Column("排名", lambda g: g.rank if g.rank is not None else "", sort=lambda g: g.rank or 10**6,
               align=CENTER, width=50),
        Column("党组织", lambda g: g.org_name, width=180, tooltip=lambda g: f"{g.org_name}（{g.org_code}）"),
        Column("上级党委", lambda g: g.parent_name or "", width=100),
        *cat_cols,
        Column("年度得分", lambda g: fmt(g.score), sort=lambda g: g.score, align=RIGHT, width=70),
        Column("计算定级", lambda g: g.computed.value if g.computed else "—", align=CENTER, width=64,
               tooltip=lambda g: "本年有三级·红色预警季度，计算定级最高为 B类" if g.red_quarter else ""),
        Column("最终定级", lambda g: (g.final.value + (" *" if g.override_reason else "")) if g.final else g.note,
               sort=lambda g: g.final.value if g.final else "Z", align=CENTER, width=64,
               background=lambda g: CLASS_COLORS[g.final.value] if g.final else None,
               tooltip=lambda g: (g.final.label + ("（人工调整）" if g.override_reason else "")) if g.final
               else f"{g.note}：未满一整年，不参加当年定级；下一年的分类在组织台账中设定"),
        Column("本年分类", lambda g: g.previous.value if g.previous else "—", align=CENTER, width=64,
               tooltip=lambda g: "本年度所属分类（由上一年定级确定）"),
        Column("升/降", lambda g: g.change, align=CENTER, width=48, foreground=lambda g: CHANGE_COLORS.get(g.change)),
        Column("否决", lambda g: "否决" if g.veto else "", align=CENTER, width=44,
               foreground=lambda g: "#d7261e" if g.veto else None,
               tooltip=lambda g: "本年度有一票否决事项，定为 C 类" if g.veto else ""),
        Column("调整理由", lambda g: g.override_reason, tooltip=lambda g: g.override_reason, width=200),
    ]


class Page(QWidget):
    title = "年度定级"
    kinds: ClassVar[set[str]] = {GRADES, SCORES, SCHEME, ORGS, ALL}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        self._muted = False
        self.loaded = False
        self.rows: list[OrgGrade] = []
        self.scheme: Scheme | None = None

        self.year = YearSpin(ctx.ledger.today().year)
        self.year.setMinimumWidth(96)
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找党组织")
        self.search.setClearButtonEnabled(True)
        self.override_button = QPushButton("调整定级…")
        self.clear_button = QPushButton("撤销调整")
        self.confirm_button = QPushButton("确认定级…")
        self.reopen_button = QPushButton("重新打开年度…")
        self.reopen_button.setToolTip("管理员：重新打开已确认的年度以便修改，需填写理由；修改后须再次确认")
        self.confirmation = None
        top = QHBoxLayout()
        top.addWidget(page_title("年度定级"))
        top.addSpacing(12)
        top.addWidget(QLabel("年份"))
        top.addWidget(self.year)
        top.addWidget(self.search, 1)
        for b in (self.override_button, self.clear_button, self.confirm_button, self.reopen_button):
            top.addWidget(b)

        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.summary = hint()
        self.model = RowTableModel(columns(None), self)
        self.proxy = FilterProxy(text_columns=(1, 2), parent=self)
        self.proxy.setSourceModel(self.model)
        self.view = list_view(self.proxy, name="年度定级",
                              empty="这一年还没有积分可定级：先在“月度积分”录入，或用“数据”菜单导入积分。")
        self.view.setSortingEnabled(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)

        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.search.textChanged.connect(self.proxy.set_text)
        self.override_button.clicked.connect(self.adjust)
        self.clear_button.clicked.connect(self.clear_override)
        self.confirm_button.clicked.connect(self.confirm)
        self.reopen_button.clicked.connect(self.reopen)
        self.view.doubleClicked.connect(lambda _i: self.adjust())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self._enable()

    # --- loading -------------------------------------------------------------------------
    def refresh(self) -> None:
        if self._muted:
            return
        self._generation += 1
        gen, year, ledger = self._generation, self.year.year(), self.ctx.ledger
        self.loaded = False
        self.summary.setText("正在计算年度得分…")

        def work(_progress):
            return (schemes.get_scheme(ledger, year), grades.year_grades(ledger, year),
                    grades.year_confirmation(ledger, year))

        self.ctx.tasks.start(work, on_done=lambda result: self._show(gen, *result),
                             on_error=lambda exc, tb: self._failed(gen, exc, tb))

    def _failed(self, gen: int, exc: BaseException, tb: str) -> None:
        if gen == self._generation:
            self.summary.setText("")
            self.loaded = True
            show_error(self, exc, tb)

    def _show(self, gen: int, scheme: Scheme, rows: list[OrgGrade], confirmation=None) -> None:
        if gen != self._generation:
            return
        if self.scheme is None or [c.code for c in scheme.categories] != [c.code for c in self.scheme.categories]:
            self.model.columns = columns(scheme)
            self.model.set_rows([])
            for i, col in enumerate(self.model.columns):
                self.view.setColumnWidth(i, col.width or 110)
        self.scheme = scheme
        self.rows = rows
        self.confirmation = confirmation
        self.model.set_rows(rows)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's rank order
        counts = {c: sum(1 for g in rows if g.final == c) for c in Category}
        chips = [f"<span style='background:{CLASS_COLORS[c.value]}; padding:2px 8px;'>&nbsp;{c.label} "
                 f"<b>{counts[c]}</b> 个&nbsp;</span>" for c in Category]
        overridden = sum(1 for g in rows if g.override_reason)
        chips.append(f"&nbsp;&nbsp;人工调整 <b>{overridden}</b> 个（标 *）")
        if within := scope.heading(self.ctx.ledger):  # a scoped user: ranked within their subtree
            chips.append(f"&nbsp;&nbsp;<b>{html.escape(within)}</b>")
        apart = sum(1 for g in rows if not g.graded)
        if apart:
            chips.append(f"&nbsp;&nbsp;未满一年不定级 <b>{apart}</b> 个")
        self.counts.setText("&nbsp;&nbsp;".join(chips))
        year = self.year.year()
        g = scheme.grade
        rule = (f"A类 ≥ {fmt(g.a_min)} 分，B类 ≥ {fmt(g.b_min)} 分，其余 C类；一票否决定为 C类；"
                "有三级·红色预警季度的年度最高为 B类。")
        if confirmation is not None:
            state = (f"{year} 年度定级已于 {confirmation.confirmed_at:%Y-%m-%d %H:%M} 由 {confirmation.confirmed_by} 确认，"
                     f"已据此设定 {year + 1} 年分类；该年度已关闭，如需修改请由管理员“重新打开年度”。")
        elif rows and rows[0].provisional:
            state = f"{year} 年尚未结束：以下是截至今天的暂算结果，不能确认；{year} 年结束后再确认定级。"
        else:
            state = f"{year} 年度定级尚未确认：核对无误后点“确认定级”，据此设定 {year + 1} 年各党组织的分类。"
        self.summary.setText(rule + "　" + state)
        self.loaded = True
        self._enable()

    def _enable(self) -> None:
        g = selected_row(self.view)
        open_year = self.confirmation is None
        self.override_button.setEnabled(open_year and isinstance(g, OrgGrade) and g.graded)
        self.clear_button.setEnabled(open_year and isinstance(g, OrgGrade) and bool(g.override_reason))
        self.confirm_button.setEnabled(open_year and any(r.graded for r in self.rows)
                                       and not self.rows[0].provisional)
        self.reopen_button.setVisible(not open_year)

    # --- writing -------------------------------------------------------------------------
    def _changed(self) -> None:
        self._muted = True
        try:
            self.ctx.notify_changed(GRADES)
            self.ctx.notify_changed(ORGS)  # next year's classes may have changed
        finally:
            self._muted = False
        self.refresh()

    def override_dialog(self, g: OrgGrade) -> OverrideDialog:
        return OverrideDialog(self.ctx.ledger, g, self)

    def adjust(self) -> None:
        g = selected_row(self.view)
        if isinstance(g, OrgGrade) and self.override_dialog(g).exec():
            self._changed()

    def clear_override(self) -> None:
        g = selected_row(self.view)
        if not isinstance(g, OrgGrade) or not g.override_reason:
            return
        try:
            grades.clear_override(self.ctx.ledger, g.org_code, g.year)
        except LedgerError as e:
            show_error(self, e)
            return
        self._changed()

    def confirm_question(self) -> QMessageBox:
        year = self.year.year()
        counts = {c: sum(1 for g in self.rows if g.final == c) for c in Category}
        graded = sum(1 for g in self.rows if g.graded)
        apart = len(self.rows) - graded
        text = (f"确认 {year} 年度定级吗？\n\n"
                f"A类 {counts[Category.A]} 个，B类 {counts[Category.B]} 个，C类 {counts[Category.C]} 个。\n"
                f"确认后将据此设定 {graded} 个党组织 {year + 1} 年的分类（A类、B类或C类），并记入操作日志；"
                f"{year} 年度随即关闭，此后不能再修改该年的积分、工作记录、分类和定级。"
                + (f"\n另有 {apart} 个党组织未满一整年，不定级，其 {year + 1} 年分类请在组织台账中设定。" if apart else ""))
        box = QMessageBox(QMessageBox.Icon.Question, "确认年度定级", text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText(f"确认并设定 {year + 1} 年分类")
        box.button(QMessageBox.StandardButton.No).setText("取消")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box

    def confirm(self) -> None:
        if self.confirm_question().exec() != QMessageBox.StandardButton.Yes:
            return
        try:
            grades.confirm(self.ctx.ledger, self.year.year())
        except LedgerError as e:
            show_error(self, e)
            return
        self._changed()

    def reopen(self) -> None:
        year = self.year.year()
        reason, ok = QInputDialog.getText(self, "重新打开年度",
                                          f"重新打开 {year} 年度后可以修改，改完须再次确认定级。\n理由（记入审计日志）：")
        if not ok:
            return
        try:
            grades.reopen(self.ctx.ledger, year, reason)
        except LedgerError as e:
            show_error(self, e)
            return
        self._changed()
