"""结果运用: a year's 奖补兑现 and 绩效评定 from the confirmed grades (confirm, print, export), and the
表彰 and 补助经费 registers."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.incentives import APPRAISAL, REWARD, fmt_money, fmt_yuan
from app.domain.points import fmt
from app.errors import LedgerError
from app.io.results_export import export_awards, export_grants, export_incentives
from app.reports.results_tables import build_appraisals, build_rewards
from app.services.incentives import awards, grants, results
from app.services.incentives.awards import AwardInfo
from app.services.incentives.grants import GrantInfo
from app.services.incentives.results import STALE, IncentiveRow, IncentiveSheet
from app.services.kernel import settings
from app.services.register import orgs
from ui.context import ALL, GRADES, ORGS, SCORES, UiContext
from ui.dialogs.results import AwardDialog, GrantDialog, RuleDialog
from ui.models.base import CENTER, RIGHT, Column, FilterProxy, RowTableModel
from ui.printing.generate import generate_and_preview
from ui.widgets.errors import show_error
from ui.widgets.layout import hint, page_title
from ui.widgets.pickers import YearSpin
from ui.widgets.tables import list_view, selected_row

RESULTS = "results"  # change kind: incentive results, awards or grants
CLASS_COLORS = {"A": "#d9eed9", "B": "#dde8f6", "C": "#f6dede"}
STALE_COLOR = "#fbe3b0"


def _status(r: IncentiveRow) -> str:
    return r.status


def incentive_columns(kind: str) -> list[Column]:
    value = (Column("奖补金额（元）", lambda r: fmt_yuan(r.amount), sort=lambda r: r.amount, align=RIGHT, width=110)
             if kind == REWARD else Column("绩效评定", lambda r: r.result, align=CENTER, width=90))
    return [
        Column("党组织", lambda r: r.org_name, width=220, tooltip=lambda r: f"{r.org_name}（{r.org_code}）"),
        Column("所属党委", lambda r: r.parent_name, width=140),
        Column("领域", lambda r: r.sector, align=CENTER, width=90),
        Column("年度得分", lambda r: fmt(r.score), sort=lambda r: r.score, align=RIGHT, width=70),
        Column("最终定级", lambda r: r.final + ("（否决）" if r.veto else ""), align=CENTER, width=80,
               background=lambda r: CLASS_COLORS.get(r.final)),
        value,
        *([Column("说明", lambda r: r.result, width=140)] if kind == REWARD else []),
        Column("状态", _status, align=CENTER, width=90,
               background=lambda r: STALE_COLOR if r.status == STALE else None,
               tooltip=lambda r: r.why_stale or ""),
        Column("变化", lambda r: r.why_stale, tooltip=lambda r: r.why_stale),
    ]


AWARD_COLUMNS = [
    Column("编号", lambda a: a.id, align=CENTER, width=50),
    Column("日期", lambda a: a.date.isoformat(), sort=lambda a: a.date, width=90),
    Column("级别", lambda a: a.level, align=CENTER, width=50),
    Column("表彰名称", lambda a: a.title, width=220),
    Column("党组织", lambda a: a.org_name, width=200),
    Column("获表彰人员", lambda a: a.person or "（集体）", width=90),
    Column("授予单位", lambda a: a.issuer, width=140),
    Column("计入加分", lambda a: a.bonus_item or "", align=CENTER, width=70),
    Column("备注", lambda a: a.note),
]
GRANT_COLUMNS = [
    Column("编号", lambda g: g.id, align=CENTER, width=50),
    Column("拨付日期", lambda g: g.date.isoformat(), sort=lambda g: g.date, width=90),
    Column("党组织", lambda g: g.org_name, width=220),
    Column("用途", lambda g: g.purpose, width=220),
    Column("金额（元）", lambda g: fmt_yuan(g.amount), sort=lambda g: g.amount, align=RIGHT, width=100),
    Column("备注", lambda g: g.note),
]


def _table(columns: list[Column], parent: QWidget, text_columns: tuple[int, ...]) -> tuple[RowTableModel, QTableView]:
    model = RowTableModel(columns, parent)
    proxy = FilterProxy(text_columns=text_columns, parent=parent)
    proxy.setSourceModel(model)
    view = list_view(proxy)
    view.setSortingEnabled(True)
    return model, view


class Page(QWidget):
    title = "结果运用"
    kinds: ClassVar[set[str]] = {GRADES, ORGS, SCORES, RESULTS, ALL}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        self.loaded = False
        self.sheet: IncentiveSheet | None = None
        self.refusal = ""
        self.award_rows: list[AwardInfo] = []
        self.grant_rows: list[GrantInfo] = []
        self.org_list: list = []

        self.year = YearSpin(ctx.ledger.today().year - 1)
        self.year.setMinimumWidth(96)
        self.confirm_button = QPushButton("确认结果…")
        self.confirm_button.setToolTip("冻结本年度奖补兑现和绩效评定结果；定级调整后须再次确认")
        self.print_button = QPushButton("打印…")
        self.export_button = QPushButton("导出 Excel…")
        self.rules_button = QPushButton("规则…")
        top = QHBoxLayout()
        top.addWidget(page_title("结果运用"))
        top.addSpacing(12)
        top.addWidget(QLabel("年份"))
        top.addWidget(self.year)
        top.addStretch(1)
        for b in (self.rules_button, self.confirm_button, self.print_button, self.export_button):
            top.addWidget(b)
        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.RichText)
        self.state.setWordWrap(True)

        self.tabs = QTabWidget()
        self.reward_model, self.reward_view = _table(incentive_columns(REWARD), self, (0, 1))
        self.reward_total = hint()
        self.appraisal_model, self.appraisal_view = _table(incentive_columns(APPRAISAL), self, (0, 1))
        self.appraisal_total = hint()
        self.tabs.addTab(self._tab(self.reward_view, self.reward_total), "奖补兑现")
        self.tabs.addTab(self._tab(self.appraisal_view, self.appraisal_total), "绩效评定")

        self.award_model, self.award_view = _table(AWARD_COLUMNS, self, (3, 4, 5))
        self.award_add, self.award_edit = QPushButton("登记表彰…"), QPushButton("修改…")
        self.award_remove, self.award_bonus = QPushButton("删除"), QPushButton("计入加分")
        self.award_bonus.setToolTip("集体获县级以上表彰：计入当月加分项“获县级以上表彰”一次（受年上限约束）")
        self.award_export = QPushButton("导出 Excel…")
        self.award_note = hint()
        self.tabs.addTab(self._register_tab(self.award_view, self.award_note, self.award_add, self.award_edit,
                                            self.award_remove, self.award_bonus, self.award_export), "表彰")
        self.grant_model, self.grant_view = _table(GRANT_COLUMNS, self, (2, 3))
        self.grant_add, self.grant_edit = QPushButton("登记补助经费…"), QPushButton("修改…")
        self.grant_remove, self.grant_export = QPushButton("删除"), QPushButton("导出 Excel…")
        self.grant_total = hint()
        self.tabs.addTab(self._register_tab(self.grant_view, self.grant_total, self.grant_add, self.grant_edit,
                                            self.grant_remove, self.grant_export), "补助经费")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.state)
        layout.addWidget(self.tabs, 1)

        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.tabs.currentChanged.connect(lambda _i: self._enable())
        self.confirm_button.clicked.connect(self.confirm)
        self.print_button.clicked.connect(self.print_table)
        self.export_button.clicked.connect(lambda: self._export_dialog("incentives"))
        self.rules_button.clicked.connect(self.edit_rules)
        self.award_add.clicked.connect(lambda: self._award_dialog(None))
        self.award_edit.clicked.connect(lambda: self._award_dialog(selected_row(self.award_view)))
        self.award_view.doubleClicked.connect(lambda _i: self._award_dialog(selected_row(self.award_view)))
        self.award_remove.clicked.connect(self.remove_award)
        self.award_bonus.clicked.connect(self.bonus_award)
        self.award_export.clicked.connect(lambda: self._export_dialog("awards"))
        self.grant_add.clicked.connect(lambda: self._grant_dialog(None))
        self.grant_edit.clicked.connect(lambda: self._grant_dialog(selected_row(self.grant_view)))
        self.grant_view.doubleClicked.connect(lambda _i: self._grant_dialog(selected_row(self.grant_view)))
        self.grant_remove.clicked.connect(self.remove_grant)
        self.grant_export.clicked.connect(lambda: self._export_dialog("grants"))
        for view in (self.award_view, self.grant_view):
            view.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self._enable()

    @staticmethod
    def _tab(view: QTableView, foot: QLabel) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(view, 1)
        lay.addWidget(foot)
        return w

    @staticmethod
    def _register_tab(view: QTableView, foot: QLabel, *buttons: QPushButton) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.setContentsMargins(0, 4, 0, 0)
        bar = QHBoxLayout()
        for b in buttons:
            bar.addWidget(b)
        bar.addStretch(1)
        lay.addLayout(bar)
        lay.addWidget(view, 1)
        lay.addWidget(foot)
        return w

    # --- loading -------------------------------------------------------------------------
    def refresh(self) -> None:
        self._generation += 1
        gen, year, ledger = self._generation, self.year.year(), self.ctx.ledger
        self.loaded = False

        def work(_progress):
            try:
                sheet, refusal = results.year_incentives(ledger, year), ""
            except LedgerError as e:
                sheet, refusal = None, str(e)
            return (sheet, refusal, awards.listing(ledger, year), grants.listing(ledger, year),
                    awards.pending_bonus(ledger, year), orgs.list_orgs(ledger, year, include_inactive=False))

        self.ctx.tasks.start(work, on_done=lambda r: self._show(gen, *r),
                             on_error=lambda exc, tb: self._failed(gen, exc, tb))

    def _failed(self, gen: int, exc: BaseException, tb: str) -> None:
        if gen == self._generation:
            self.loaded = True
            show_error(self, exc, tb)

    def _show(self, gen: int, sheet: IncentiveSheet | None, refusal: str, award_rows: list[AwardInfo],
              grant_rows: list[GrantInfo], pending: dict[int, str], org_list: list) -> None:
        if gen != self._generation:
            return
        self.sheet, self.refusal = sheet, refusal
        self.award_rows, self.grant_rows, self.pending, self.org_list = award_rows, grant_rows, pending, org_list
        year = self.year.year()
        rewards = sheet.of_kind(REWARD) if sheet else []
        appraisals = sheet.of_kind(APPRAISAL) if sheet else []
        self.reward_model.set_rows(rewards)
        self.appraisal_model.set_rows(appraisals)
        if sheet is None:
            self.state.setText(f"<span style='color:#b35c00'>{refusal}</span>")
            self.reward_total.setText("")
            self.appraisal_total.setText("")
        else:
            self.state.setText(self._state_text(sheet))
            by_sector = "，".join(f"{s} {fmt_yuan(sheet.total(s))} 元"
                                  for s in dict.fromkeys(r.sector for r in rewards))
            self.reward_total.setText(f"奖补兑现 {len(rewards)} 个党组织，合计 <b>{fmt_yuan(sheet.total())}</b> 元"
                                      + (f"（{by_sector}）" if by_sector else "")
                                      + "。一票否决的党组织不予奖补。")
            counts: dict[str, int] = {}
            for r in appraisals:
                counts[r.result] = counts.get(r.result, 0) + 1
            self.appraisal_total.setText(f"绩效评定 {len(appraisals)} 个党组织：" +
                                         "，".join(f"{k} {v} 个" for k, v in counts.items()))
        self.award_model.set_rows(award_rows)
        waiting = [a for a in award_rows if a.id in pending]
        self.award_note.setText(f"{year} 年表彰 {len(award_rows)} 项（集体 {sum(1 for a in award_rows if a.collective)} 项，"
                                f"已计入加分 {sum(1 for a in award_rows if a.bonus_item)} 项）"
                                + (f"；另有 {len(waiting)} 项集体县级以上表彰尚未计入加分，可选中后点“计入加分”"
                                   if waiting else ""))
        self.grant_model.set_rows(grant_rows)
        for view in (self.reward_view, self.appraisal_view, self.award_view, self.grant_view):
            view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's order (rank, date)
        self.grant_total.setText(f"{year} 年补助经费 {len(grant_rows)} 笔，合计 <b>{fmt_yuan(grants.total(grant_rows))}</b> 元")
        self.loaded = True
        self._enable()

    def _state_text(self, sheet: IncentiveSheet) -> str:
        y = sheet.year
        if sheet.confirmed_at is None:
            return (f"{y} 年度定级已确认。以下是按 {y} 年结果运用规则计算的结果，<b>尚未确认</b>；核对无误后点“确认结果”冻结，"
                    "再打印《年度奖补兑现表》《绩效评定结果表》报批。")
        if sheet.stale_count:
            return (f"<span style='color:#b35c00'>{y} 年结果已于 {sheet.confirmed_at:%Y-%m-%d %H:%M} 由 {sheet.confirmed_by} "
                    f"确认，此后有 <b>{sheet.stale_count}</b> 个党组织的定级或规则发生变化（标“待重新确认”，表中仍为确认时的结果）；"
                    "定级再次确认后请点“确认结果”重新确认。</span>")
        return f"{y} 年结果已于 {sheet.confirmed_at:%Y-%m-%d %H:%M} 由 {sheet.confirmed_by} 确认。"

    def _enable(self) -> None:
        on_results = self.tabs.currentIndex() in (0, 1)
        ready = self.sheet is not None
        self.confirm_button.setEnabled(ready and self.sheet.grades_confirmed and self.sheet.state != results.CONFIRMED)
        self.print_button.setEnabled(ready and on_results)
        self.export_button.setEnabled(ready and on_results)
        a = selected_row(self.award_view)
        self.award_edit.setEnabled(isinstance(a, AwardInfo))
        self.award_remove.setEnabled(isinstance(a, AwardInfo))
        self.award_bonus.setEnabled(isinstance(a, AwardInfo) and a.id in getattr(self, "pending", {}))
        g = selected_row(self.grant_view)
        self.grant_edit.setEnabled(isinstance(g, GrantInfo))
        self.grant_remove.setEnabled(isinstance(g, GrantInfo))

    # --- writing -------------------------------------------------------------------------
    def _changed(self, *kinds: str) -> None:
        for kind in (RESULTS, *kinds):
            self.ctx.notify_changed(kind)

    def confirm_question(self) -> QMessageBox:
        sheet = self.sheet
        text = (f"确认 {sheet.year} 年度结果运用吗？\n\n奖补兑现 {len(sheet.of_kind(REWARD))} 个党组织，"
                f"合计 {fmt_yuan(sheet.total())} 元；绩效评定 {len(sheet.of_kind(APPRAISAL))} 个党组织。\n"
                "确认后结果冻结保存，定级若再调整，受影响的组织会标为“待重新确认”。")
        box = QMessageBox(QMessageBox.Icon.Question, "确认结果运用", text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText("确认")
        box.button(QMessageBox.StandardButton.No).setText("取消")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box

    def confirm(self) -> None:
        if self.sheet is None or self.confirm_question().exec() != QMessageBox.StandardButton.Yes:
            return
        try:
            results.confirm(self.ctx.ledger, self.year.year())
        except LedgerError as e:
            show_error(self, e)
            return
        self._changed()

    def print_table(self) -> None:
        ledger, year = self.ctx.ledger, self.year.year()
        if self.tabs.currentIndex() == 1:
            generate_and_preview(self.ctx, self, f"{year}年度绩效评定结果表", lambda p: build_appraisals(ledger, year, p))
        else:
            generate_and_preview(self.ctx, self, f"{year}年度奖补兑现表", lambda p: build_rewards(ledger, year, p))

    def export_to(self, what: str, path: Path) -> Path:
        unit = str(settings.get(self.ctx.ledger, "unit_name") or "")
        year = self.year.year()
        if what == "incentives":
            return export_incentives(path, unit, self.sheet)
        if what == "awards":
            return export_awards(path, unit, f"{year} 年", self.award_rows)
        return export_grants(path, unit, f"{year} 年", self.grant_rows)

    def _export_dialog(self, what: str) -> None:
        names = {"incentives": "结果运用", "awards": "表彰登记", "grants": "补助经费"}
        name, _f = QFileDialog.getSaveFileName(self, "导出 Excel", f"{self.year.year()}年{names[what]}.xlsx",
                                               "Excel 工作簿 (*.xlsx)")
        if not name:
            return
        try:
            self.export_to(what, Path(name))
        except LedgerError as e:
            show_error(self, e)

    def edit_rules(self) -> None:
        if RuleDialog(self.ctx.ledger, self.year.year(), self).exec():
            self._changed()

    def _award_dialog(self, award: AwardInfo | None) -> None:
        if award is not None and not isinstance(award, AwardInfo):
            return
        if AwardDialog(self.ctx.ledger, self.org_list, award, self).exec():
            self._changed(SCORES)

    def _grant_dialog(self, grant: GrantInfo | None) -> None:
        if grant is not None and not isinstance(grant, GrantInfo):
            return
        if GrantDialog(self.ctx.ledger, self.org_list, grant, self).exec():
            self._changed()

    def _ask(self, text: str) -> bool:
        return QMessageBox.question(self, "删除", text) == QMessageBox.StandardButton.Yes

    def remove_award(self) -> None:
        a = selected_row(self.award_view)
        if not isinstance(a, AwardInfo) or not self._ask(
                f"删除表彰“{a.title}”（{a.org_name}）吗？" + ("已计入的加分将一并扣回。" if a.bonus_item else "")):
            return
        try:
            awards.remove(self.ctx.ledger, a.id)
        except LedgerError as e:
            show_error(self, e)
            return
        self._changed(SCORES)

    def bonus_award(self) -> None:
        a = selected_row(self.award_view)
        if not isinstance(a, AwardInfo):
            return
        try:
            awards.accept_bonus(self.ctx.ledger, a.id)
        except LedgerError as e:
            show_error(self, e)
            return
        self._changed(SCORES)

    def remove_grant(self) -> None:
        g = selected_row(self.grant_view)
        if not isinstance(g, GrantInfo) or not self._ask(
                f"删除补助经费“{g.purpose}”{fmt_money(g.amount)} 元（{g.org_name}）吗？"):
            return
        try:
            grants.remove(self.ctx.ledger, g.id)
        except LedgerError as e:
            show_error(self, e)
            return
        self._changed()
