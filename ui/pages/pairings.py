"""结对共建: a year's pairs with their rule check and joint-activity count; the unpaired C-class
organisations with a suggested leader each, accepted as suggested or edited first; print the 一览表."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import LedgerError
from app.reports.pairings_table import build_pairings_table
from app.services.pairing import pairings
from app.services.pairing.board import Board, PairRow, year_board
from app.services.pairing.suggest import Suggestion
from app.services.register import orgs
from ui.context import ALL, GRADES, ORGS, RECORDS, UiContext
from ui.dialogs.pairing import EditPairingDialog, EvaluationDialog, PairingDialog
from ui.models.base import CENTER, Column, RowTableModel
from ui.printing.generate import generate_and_preview
from ui.widgets.errors import show_error
from ui.widgets.layout import hint, page_title
from ui.widgets.pickers import YearSpin
from ui.widgets.tables import list_view, selected_row

BAD = "#f6c9c6"
OK_FG, BAD_FG = "#2e7d32", "#b3261e"


def _check(r: PairRow) -> str:
    return "符合" if r.ok else "不符合：" + "、".join(b.rule_name for b in r.breaches)


PAIR_COLUMNS = [
    Column("牵头组织", lambda r: r.info.strong_name, width=190,
           tooltip=lambda r: f"{r.info.strong_name}（{r.info.strong_code}），{r.info.strong_sector}"),
    Column("分类", lambda r: f"{r.leader_class}类" if r.leader_class else "—", align=CENTER, width=44),
    Column("被帮扶组织", lambda r: r.info.weak_name, width=190,
           tooltip=lambda r: f"{r.info.weak_name}（{r.info.weak_code}），{r.info.weak_sector}"),
    Column("分类", lambda r: f"{r.helped_class}类" if r.helped_class else "—", align=CENTER, width=44),
    Column("共建内容", lambda r: "、".join(r.info.goals), width=250, tooltip=lambda r: "、".join(r.info.goals)),
    Column("活动次数", lambda r: r.activities, sort=lambda r: r.activities, align=CENTER, width=64,
           tooltip=lambda r: "双方工作记录中“结对共建活动”的次数（同一天同一主题的记一次）"),
    Column("年终评价", lambda r: r.info.rating or "—", align=CENTER, width=64,
           tooltip=lambda r: r.info.evaluation),
    Column("规则检查", _check, width=170, foreground=lambda r: OK_FG if r.ok else BAD_FG,
           background=lambda r: None if r.ok else BAD,
           tooltip=lambda r: "\n".join(b.message for b in r.breaches) or "符合本年度结对规则"),
    Column("理由 / 备注", lambda r: "；".join(x for x in (r.info.reason, r.info.note) if x), width=180,
           tooltip=lambda r: "；".join(x for x in (r.info.reason, r.info.note) if x)),
]

SUGGEST_COLUMNS = [
    Column("未结对的C类组织", lambda s: s.helped_name, width=210, tooltip=lambda s: f"{s.helped_name}（{s.helped}）"),
    Column("领域", lambda s: s.helped_sector, align=CENTER, width=90),
    Column("建议牵头组织", lambda s: s.leader_name or "—", width=190,
           tooltip=lambda s: s.note or (f"{s.leader_name}（{s.leader}）" if s.leader else "")),
    Column("分类", lambda s: f"{s.leader_class}类" if s.leader_class else "", align=CENTER, width=44),
    Column("牵头数", lambda s: s.load if s.leader else "", align=CENTER, width=56,
           tooltip=lambda _s: "接受这条建议后，该组织本年牵头的结对数"),
    Column("说明", lambda s: s.note, width=220, tooltip=lambda s: s.note),
]


class Page(QWidget):
    title = "结对共建"
    kinds: ClassVar[set[str]] = {ORGS, GRADES, RECORDS, ALL}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        self.loaded = False
        self.board: Board | None = None

        self.year = YearSpin(ctx.ledger.today().year)
        self.year.setMinimumWidth(96)
        self.add_button = QPushButton("新增结对…")
        self.edit_button = QPushButton("修改…")
        self.evaluate_button = QPushButton("年终评价…")
        self.remove_button = QPushButton("解除结对")
        self.print_button = QPushButton("打印一览表…")
        self.print_button.setToolTip("生成 A4 横向的结对共建一览表（PDF），可预览、打印或另存")
        top = QHBoxLayout()
        top.addWidget(page_title("结对共建"))
        top.addSpacing(12)
        top.addWidget(QLabel("年份"))
        top.addWidget(self.year)
        top.addStretch(1)
        for b in (self.add_button, self.edit_button, self.evaluate_button, self.remove_button, self.print_button):
            top.addWidget(b)

        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.rules_text = hint()
        self.model = RowTableModel(PAIR_COLUMNS, self)
        self.view = list_view(self.model)
        self.view.setSortingEnabled(False)

        self.accept_button = QPushButton("接受建议")
        self.accept_button.setToolTip("按建议登记结对（共建内容默认为阵地联用、活动联办、组织生活联过）")
        self.edit_suggestion_button = QPushButton("修改后接受…")
        lower_bar = QHBoxLayout()
        self.lower_title = QLabel("<b>尚未结对的C类组织与建议</b>")
        lower_bar.addWidget(self.lower_title)
        lower_bar.addStretch(1)
        lower_bar.addWidget(self.accept_button)
        lower_bar.addWidget(self.edit_suggestion_button)
        self.suggest_model = RowTableModel(SUGGEST_COLUMNS, self)
        self.suggest_view = list_view(self.suggest_model)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 4, 0, 0)
        lower_layout.addLayout(lower_bar)
        lower_layout.addWidget(self.suggest_view, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        layout.addWidget(split, 1)
        layout.addWidget(self.rules_text)
        for view, cols in ((self.view, PAIR_COLUMNS), (self.suggest_view, SUGGEST_COLUMNS)):
            for i, col in enumerate(cols):
                view.setColumnWidth(i, col.width or 110)

        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.evaluate_button.clicked.connect(self.evaluate)
        self.remove_button.clicked.connect(self.remove)
        self.print_button.clicked.connect(self.print_table)
        self.accept_button.clicked.connect(self.accept_suggestion)
        self.edit_suggestion_button.clicked.connect(self.edit_suggestion)
        self.view.doubleClicked.connect(lambda _i: self.edit())
        self.suggest_view.doubleClicked.connect(lambda _i: self.edit_suggestion())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.suggest_view.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self._enable()

    # --- loading -------------------------------------------------------------------------
    def refresh(self) -> None:
        self._generation += 1
        gen, year, ledger = self._generation, self.year.year(), self.ctx.ledger
        self.loaded = False
        self.ctx.tasks.start(lambda _p: year_board(ledger, year), on_done=lambda b: self._show(gen, b),
                             on_error=lambda exc, tb: self._failed(gen, exc, tb))

    def _failed(self, gen: int, exc: BaseException, tb: str) -> None:
        if gen == self._generation:
            self.loaded = True
            show_error(self, exc, tb)

    def _show(self, gen: int, board: Board) -> None:
        if gen != self._generation:
            return
        self.board = board
        self.model.set_rows(board.pairs)
        self.suggest_model.set_rows(board.suggestions)
        total = sum(p.activities for p in board.pairs)
        bad = (f"<span style='color:{BAD_FG}'>不符合规则 <b>{board.broken}</b> 对</span>" if board.broken
               else f"<span style='color:{OK_FG}'>均符合结对规则</span>")
        self.counts.setText(f"{board.year} 年结对 <b>{len(board.pairs)}</b> 对，结对共建活动 <b>{total}</b> 次；"
                            f"{bad}；尚未结对的C类组织 <b>{len(board.unpaired)}</b> 个")
        r = board.rules
        origin = "默认规则" if board.rules_year is None else (
            f"{board.rules_year} 年设定" if board.rules_year == board.year else f"沿用 {board.rules_year} 年设定")
        self.rules_text.setText(
            f"结对规则（{origin}）：牵头方为当年A类{'或B类' if r.allow_b_leader else ''}组织，一般为{r.sector}党组织"
            "（其他领域须说明理由）；被帮扶方为C类组织；双方须参与积分并在结对期间存续；一个组织一年只有一个牵头组织。"
            "结对共建活动在“工作记录”中按“7.4 结对共建活动”登记，写明结对组织，计入“结对共建”细则的积分。")
        self.lower_title.setText(f"<b>尚未结对的C类组织与建议</b>（{len(board.suggestions)} 个）")
        self.loaded = True
        self._enable()

    def _enable(self) -> None:
        pair = selected_row(self.view)
        sg = selected_row(self.suggest_view)
        for b in (self.edit_button, self.evaluate_button, self.remove_button):
            b.setEnabled(isinstance(pair, PairRow))
        self.accept_button.setEnabled(isinstance(sg, Suggestion) and bool(sg.leader))
        self.edit_suggestion_button.setEnabled(isinstance(sg, Suggestion))

    # --- writing -------------------------------------------------------------------------
    def _changed(self) -> None:
        self.ctx.notify_changed(ORGS)
        self.refresh()

    def _all_orgs(self):
        return orgs.list_orgs(self.ctx.ledger, self.year.year())

    def add(self) -> None:
        if PairingDialog(self.ctx.ledger, self._all_orgs(), self.year.year(), self).exec():
            self._changed()

    def edit(self) -> None:
        r = selected_row(self.view)
        if isinstance(r, PairRow) and EditPairingDialog(self.ctx.ledger, r.info, self).exec():
            self._changed()

    def evaluate(self) -> None:
        r = selected_row(self.view)
        if isinstance(r, PairRow) and EvaluationDialog(self.ctx.ledger, r.info, self).exec():
            self._changed()

    def remove(self) -> None:
        r = selected_row(self.view)
        if not isinstance(r, PairRow):
            return
        text = f"确定解除 {r.info.year} 年“{r.info.strong_name}”与“{r.info.weak_name}”的结对吗？"
        if QMessageBox.question(self, "解除结对", text) != QMessageBox.StandardButton.Yes:
            return
        try:
            pairings.remove(self.ctx.ledger, r.info.id)
        except LedgerError as e:
            show_error(self, e)
            return
        self._changed()

    def accept_suggestion(self) -> None:
        sg = selected_row(self.suggest_view)
        if not isinstance(sg, Suggestion) or not sg.leader:
            return
        if sg.note:  # a leader outside the preferred sector needs a reason: the dialog asks for it
            self.edit_suggestion()
            return
        try:
            pairings.add(self.ctx.ledger, sg.leader, sg.helped, sg.year, goals=("阵地联用", "活动联办", "组织生活联过"),
                         note="按系统建议结对")
        except LedgerError as e:
            show_error(self, e)
            return
        self._changed()

    def suggestion_dialog(self, sg: Suggestion) -> PairingDialog:
        return PairingDialog(self.ctx.ledger, self._all_orgs(), sg.year, self, leader=sg.leader, helped=sg.helped)

    def edit_suggestion(self) -> None:
        sg = selected_row(self.suggest_view)
        if isinstance(sg, Suggestion) and self.suggestion_dialog(sg).exec():
            self._changed()

    def print_table(self) -> None:
        year, ledger = self.year.year(), self.ctx.ledger
        generate_and_preview(self.ctx, self, f"{year}年度结对共建一览表",
                             lambda p: build_pairings_table(ledger, year, p))
