"""指导员 tab 4: 年度考核 — points and grades from the logs, the three sign-offs in order (each by a named person),
and the 补贴发放表 once the grades are final (exported to Excel)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain import instructors as rules
from app.domain.points import fmt
from app.errors import LedgerError
from app.services.instructors import assessment, register, subsidies
from ui.context import GRADES, SCHEME, UiContext
from ui.dialogs.instructor_edit import SchemeDialog, SignoffDialog
from ui.models.base import CENTER, RIGHT, Column, RowTableModel
from ui.widgets.errors import show_error
from ui.widgets.pickers import YearSpin
from ui.widgets.tables import list_view

ALL_STATIONS = "全部指导站一并签认"
GRADE_COLORS = {"优秀": "#cde8c4", "合格": "", "基本合格": "#fbe3b0", "不合格": "#f6c9c6"}
SHOWN = {"b_days": "B岗天数", "visits": "走访", "orgs_founded": "组建党组织", "mass_orgs": "群团组织",
         "problems": "收集问题", "solved": "帮办解决", "experiences": "典型经验", "briefs": "简报"}
GRADES_COLS = [Column("小组", lambda g: g.group, width=52), Column("指导员", lambda g: g.instructor, width=60),
               *[Column(label, lambda g, k=k: g.counts[k], align=RIGHT, width=70 if len(label) > 3 else 50)
                 for k, label in SHOWN.items()],
               Column("积分", lambda g: fmt(g.points), sort=lambda g: g.points, align=RIGHT, width=54),
               Column("等次", lambda g: g.grade, align=CENTER, background=lambda g: GRADE_COLORS.get(g.grade), width=64)]
MONEY = [Column("指导员", lambda r: r.instructor, width=60), Column("专/兼", lambda r: r.mode, align=CENTER, width=44),
         Column("等次", lambda r: r.grade, align=CENTER, width=64), Column("月数", lambda r: r.months, align=RIGHT, width=40),
         Column("补贴", lambda r: f"{r.base:,}", sort=lambda r: r.base, align=RIGHT, width=80),
         Column("交通补助", lambda r: f"{r.transport:,}", sort=lambda r: r.transport, align=RIGHT, width=72),
         Column("合计（元）", lambda r: f"{r.total:,}", sort=lambda r: r.total, align=RIGHT, width=84)]


class GradesTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result: assessment.YearAssessment | None = None
        self.year = YearSpin(ctx.ledger.today().year - 1)
        self.scope = QComboBox()
        # Signing every station at once is a county-wide act: a township account signs its own stations only.
        self.whole = not getattr(ctx.ledger, "scope", "")
        self.firsts = [ALL_STATIONS] if self.whole else []
        self.scope.addItems(self.firsts)
        self.steps = QLabel()
        self.sign_button = QPushButton()
        self.export_button = QPushButton("导出补贴发放表…")
        self.scheme_button = QPushButton("考核细则…")
        top = QHBoxLayout()
        for w in (QLabel("考核年度"), self.year, QLabel("签认范围"), self.scope, self.steps):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.scheme_button)
        top.addWidget(self.sign_button)
        top.addWidget(self.export_button)
        self.model = RowTableModel(GRADES_COLS, self)
        self.money = RowTableModel(MONEY, self)
        self.money_note = QLabel()
        self.money_note.setWordWrap(True)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.money_note)
        lower_layout.addWidget(list_view(self.money), 1)
        split = QSplitter()
        split.addWidget(list_view(self.model))
        split.addWidget(lower)
        split.setSizes([760, 560])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.scope.activated.connect(lambda _i: self.refresh())
        self.sign_button.clicked.connect(self._sign)
        self.export_button.clicked.connect(self._export)
        self.scheme_button.clicked.connect(self._scheme)

    def refresh(self) -> None:
        lg, year = self.ctx.ledger, self.year.year()
        self.result = r = assessment.assess(lg, year)
        self.model.set_rows(r.lines)
        self._scopes([st.name for st in register.stations(lg)])
        station = self.station()
        done = {s.step: s for s in (r.stations.get(station, []) if station and not r.signoffs else r.signoffs)}
        marks = []
        for step in rules.SIGNOFF_STEPS:
            s = done.get(step)
            marks.append(f"<span style='color:#2e7d32'>✔ {step}（{s.person}）</span>" if s
                         else f"<span style='color:#888'>○ {step}</span>")
        if station is None and r.by_station:
            final = sum(r.station_next(st) is None for st in r.graded_stations)
            marks = [f"逐站签认：{final}/{len(r.graded_stations)} 个指导站已认定"]
        self.steps.setText(" → ".join(marks))
        step = self.next_step()
        label = "已认定" if r.final else ("已逐站签认" if r.by_station and station is None else
                                       "已一并签认" if station and r.signoffs else "已认定")
        self.sign_button.setText(f"签认：{step}…" if step else label)
        self.sign_button.setEnabled(step is not None)
        try:
            rows = subsidies.subsidies(lg, year)
        except LedgerError as e:
            self.money.set_rows([])
            self.money_note.setText(f"<b>补贴发放</b>：{e}")
            self.export_button.setEnabled(False)
            return
        base, transport, total = subsidies.totals(rows)
        self.money.set_rows(rows)
        self.money_note.setText(f"<b>{year} 年补贴发放</b>：补贴 {base:,} 元 + 交通补助 {transport:,} 元 = "
                                f"<b>{total:,} 元</b>")
        self.export_button.setEnabled(True)

    def _scopes(self, names: list[str]) -> None:
        current = self.scope.currentText()
        if [self.scope.itemText(i) for i in range(self.scope.count())] != [*self.firsts, *names]:
            self.scope.clear()
            self.scope.addItems([*self.firsts, *names])
            self.scope.setCurrentText(current)

    def station(self) -> str | None:
        """The station signed for, or None for all stations at once (county accounts only)."""
        if self.whole and self.scope.currentIndex() <= 0:
            return None
        return self.scope.currentText() or None

    def next_step(self) -> str | None:
        r, station = self.result, self.station()
        if r is None:
            return None
        if station is None:
            return r.next_step if self.whole else None
        return None if r.signoffs else r.station_next(station)

    def sign_dialog(self) -> SignoffDialog | None:
        step = self.next_step()
        if self.result is None or step is None:
            return None
        return SignoffDialog(self.ctx.ledger, self.result.year, step, self, station=self.station())

    def _sign(self) -> None:
        dialog = self.sign_dialog()
        if dialog is not None and dialog.exec():
            self.ctx.notify_changed(GRADES)

    def _scheme(self) -> None:
        if SchemeDialog(self.ctx.ledger, self.year.year(), self).exec():
            self.ctx.notify_changed(SCHEME)

    def _export(self) -> None:
        from app.io.instructor_export import export_subsidies

        year = self.year.year()
        path, _f = QFileDialog.getSaveFileName(self, "导出补贴发放表", f"{year}年指导员补贴发放表.xlsx", "Excel (*.xlsx)")
        if not path:
            return
        try:
            lg = self.ctx.ledger
            export_subsidies(path, year, subsidies.subsidies(lg, year), subsidies.scope_note(lg))
        except LedgerError as e:
            show_error(self, e)
