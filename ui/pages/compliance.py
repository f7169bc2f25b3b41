"""组织生活: an organisation × period matrix of one work-record type's status for a year."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.compliance import DONE, DUE_SOON, EXEMPT, MISSING, NOT_DUE, STATUS_LABELS
from app.domain.enums import SECTORS
from app.errors import LedgerError
from app.io.compliance_export import export_matrix
from app.services.compliance import requirements, status
from app.services.compliance.status import PeriodStatus
from app.services.register import orgs
from app.services.register.orgs import OrgInfo
from ui.context import ALL, ORGS, RECORDS, UiContext
from ui.dialogs.compliance_rules import ExemptionDialog, ExemptionsDialog, RequirementsDialog
from ui.models.base import CENTER, ROW_ROLE, Column, RowTableModel
from ui.widgets import files, table_menu
from ui.widgets.errors import show_error
from ui.widgets.layout import hint, page_title
from ui.widgets.pickers import YearSpin
from ui.widgets.tables import list_view

ALL_LABEL = "全部"
SYMBOLS = {DONE: "✓", MISSING: "✗", EXEMPT: "豁免", NOT_DUE: "未到期", DUE_SOON: "临期"}  # 临期: 即将到期, short enough for a cell
BACKGROUNDS = {DONE: "#dff0d8", MISSING: "#f6c9c6", DUE_SOON: "#fbe3b0"}
FOREGROUNDS = {DONE: "#2e7d32", MISSING: "#b3261e", DUE_SOON: "#8a5a00", EXEMPT: "#666666", NOT_DUE: "#888888"}
CLASS_ORDER = {"C": 0, "B": 1, "A": 2}  # C类 (孵化型) first: they need the most attention
PERIOD_WORDS = {"month": "月", "quarter": "季", "year": "年"}
FIXED = 3  # 党组织, 上级党委, 分类 come before the period columns


@dataclass(frozen=True)
class MatrixRow:
    """One branch: its place in the tree and its status in each period of the chosen type."""

    order: int
    org: OrgInfo
    cells: dict[str, PeriodStatus] = field(default_factory=dict)

    def missing(self) -> int:
        return sum(1 for c in self.cells.values() if c.status == MISSING)


def periods(year: int, period: str) -> list[tuple[str, str]]:
    """(period key as year_status names it, column header) for a requirement's period kind."""
    if period == "month":
        return [(f"{year}-{m:02d}", f"{m}月") for m in range(1, 13)]
    if period == "quarter":
        return [(f"{year}-Q{q}", f"{q}季度") for q in range(1, 5)]
    return [(str(year), "全年")]


def symbol(c: PeriodStatus | None) -> str:
    return SYMBOLS.get(c.status, c.status) if c is not None else "—"


def tooltip(c: PeriodStatus | None) -> str:
    if c is None:
        return "该期不计（组织未成立、已撤销或不适用）"
    text = f"{STATUS_LABELS.get(c.status, c.status)}：已开 {c.held} 次 / 应开 {c.required} 次，截止 {c.due.isoformat()}"
    return text


def _class(r: MatrixRow) -> str:
    return r.org.category.value if r.org.category is not None else ""


def columns(keys: list[tuple[str, str]]) -> list[Column]:
    cols = [
        Column("党组织", lambda r: r.org.name, sort=lambda r: (r.org.name, r.org.code), width=200,
               tooltip=lambda r: f"{r.org.name}（{r.org.code}），{r.org.sector}"),
        Column("上级党委", lambda r: r.org.parent_name or "", sort=lambda r: (r.org.parent_name or "", r.order), width=150,
               tooltip=lambda r: r.org.parent_name or ""),
        Column("分类", lambda r: f"{_class(r)}类" if _class(r) else "", align=CENTER, width=44,
               sort=lambda r: (CLASS_ORDER.get(_class(r), 3), r.org.parent_name or "", r.order),
               tooltip=lambda r: r.org.category.label if r.org.category else "未定类"),
    ]
    width = 58 if len(keys) > 4 else 80  # wide enough for 即将到期
    for key, header in keys:
        cols.append(Column(
            header, lambda r, k=key: symbol(r.cells.get(k)), align=CENTER, width=width,
            sort=lambda r, k=key: (r.cells[k].status if k in r.cells else ""),
            background=lambda r, k=key: BACKGROUNDS.get(r.cells[k].status) if k in r.cells else None,
            foreground=lambda r, k=key: FOREGROUNDS.get(r.cells[k].status) if k in r.cells else "#aaaaaa",
            tooltip=lambda r, k=key: tooltip(r.cells.get(k))))
    cols.append(Column("缺", lambda r: r.missing() or "", sort=MatrixRow.missing, align=CENTER, width=44,
                       foreground=lambda r: "#b3261e" if r.missing() else None,
                       tooltip=lambda r: f"本年已过期而未达要求的 {r.missing()} 期"))
    return cols


def build_rows(infos: list[OrgInfo], statuses: list[PeriodStatus]) -> list[MatrixRow]:
    """One row per organisation that has at least one period of the type (in the register's order)."""
    by_org: dict[str, dict[str, PeriodStatus]] = {}
    for st in statuses:
        by_org.setdefault(st.org_code, {})[st.period] = st
    return [MatrixRow(i, o, by_org[o.code]) for i, o in enumerate(infos) if o.code in by_org]


class Page(QWidget):
    title = "组织生活"
    kinds: ClassVar[set[str]] = {RECORDS, ORGS, ALL}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        self.loaded = False
        self.all_rows: list[MatrixRow] = []
        self.reqs: dict[str, requirements.Requirement] = {}
        self.keys: list[tuple[str, str]] = []
        self._pending_type: str | None = None

        self.year = YearSpin(ctx.ledger.today().year)
        self.year.setMinimumWidth(96)
        self.type = QComboBox()
        self.type.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.type.setMinimumWidth(220)
        self.parent_filter = QComboBox()
        self.parent_filter.setMinimumWidth(150)
        self.sector = QComboBox()
        self.sector.addItems([ALL_LABEL, *SECTORS])
        self.category = QComboBox()
        self.category.addItems([ALL_LABEL, "C类", "B类", "A类"])
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找党组织")
        self.search.setClearButtonEnabled(True)
        self.export_button = QPushButton("导出 Excel…")
        self.rules_button = QPushButton("要求设置…")
        self.rules_button.setToolTip("各类会议每月/季/年至少开几次、适用于哪些支部、何时截止")
        self.exempt_button = QPushButton("豁免…")
        self.exempt_button.setToolTip("新建、合并、停用或经批准延期的支部，某类会议在某段时间内不作要求")

        top = QHBoxLayout()
        top.addWidget(page_title("组织生活"))
        top.addSpacing(12)
        for w in (QLabel("年份"), self.year, QLabel("类型"), self.type):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.rules_button)
        top.addWidget(self.exempt_button)
        top.addWidget(self.export_button)
        filters = QHBoxLayout()
        for w in (QLabel("上级党委"), self.parent_filter, QLabel("领域"), self.sector, QLabel("分类"), self.category):
            filters.addWidget(w)
        filters.addWidget(self.search, 1)

        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.summary = hint()
        self.model = RowTableModel(columns([]), self)
        self.view = list_view(self.model, stretch=0, menu=False)  # its own menu below adds exemptions
        self.view.setSelectionBehavior(self.view.SelectionBehavior.SelectItems)
        self.view.setSortingEnabled(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.counts)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)

        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.type.currentIndexChanged.connect(lambda _i: self._type_changed())
        for combo in (self.parent_filter, self.sector, self.category):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.search.textChanged.connect(lambda _t: self.apply_filter())
        self.view.doubleClicked.connect(self.open_records)
        self.export_button.clicked.connect(self.export)
        self.rules_button.clicked.connect(self.edit_requirements)
        self.exempt_button.clicked.connect(lambda: self.edit_exemptions())
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._cell_menu)

    # --- loading -------------------------------------------------------------------------
    def refresh(self) -> None:
        self._generation += 1
        gen, year = self._generation, self.year.year()
        ledger = self.ctx.ledger
        self.loaded = False
        self.summary.setText("正在计算组织生活落实情况…")

        def work(_progress):
            reqs, _source = requirements.requirements(ledger, year)
            return reqs, orgs.list_orgs(ledger, year), status.year_status(ledger, year)

        self.ctx.tasks.start(work, on_done=lambda result: self._loaded(gen, *result),
                             on_error=lambda exc, tb: self._failed(gen, exc, tb))

    def _failed(self, gen: int, exc: BaseException, tb: str) -> None:
        if gen == self._generation:
            self.summary.setText("")
            self.loaded = True
            show_error(self, exc, tb)

    def _loaded(self, gen: int, reqs: list, infos: list[OrgInfo], statuses: list[PeriodStatus]) -> None:
        if gen != self._generation:
            return
        self.infos = infos
        self.statuses = statuses
        self.reqs = {r.type_code: r for r in reqs}
        wanted = self._pending_type or self.type.currentData()
        self._pending_type = None
        self.type.blockSignals(True)
        self.type.clear()
        for r in reqs:
            self.type.addItem(f"{r.type_name}（每{PERIOD_WORDS.get(r.period, r.period)}≥{r.minimum}）", r.type_code)
        i = self.type.findData(wanted) if wanted else -1
        self.type.setCurrentIndex(max(i, 0))
        self.type.blockSignals(False)
        parents = sorted({(o.parent_name or "") for o in infos if o.scored and o.parent_name})
        chosen = self.parent_filter.currentText()
        self.parent_filter.blockSignals(True)
        self.parent_filter.clear()
        self.parent_filter.addItems([ALL_LABEL, *parents])
        self.parent_filter.setCurrentIndex(max(self.parent_filter.findText(chosen), 0))
        self.parent_filter.blockSignals(False)
        self._show_type()
        self.loaded = True

    def _type_changed(self) -> None:
        if self.reqs:
            self._show_type()

    def type_code(self) -> str | None:
        return self.type.currentData()

    def _show_type(self) -> None:
        code = self.type_code()
        req = self.reqs.get(code) if code else None
        self.keys = periods(self.year.year(), req.period) if req else []
        self.all_rows = build_rows(self.infos, [s for s in self.statuses if s.type_code == code])
        self.model.beginResetModel()
        self.model.columns = columns(self.keys)
        self.model._sorted = None  # column numbers of the previous type mean nothing now
        self.model.endResetModel()
        for i, col in enumerate(self.model.columns[1:], start=1):
            self.view.setColumnWidth(i, col.width or 60)
        self.apply_filter()
        self.view.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # C类 first, then by 党委 and register order

    def set_type(self, code: str) -> None:
        i = self.type.findData(code)
        if i >= 0:
            self.type.setCurrentIndex(i)
        else:
            self._pending_type = code

    # --- filtering -----------------------------------------------------------------------
    def _accepts(self, r: MatrixRow) -> bool:
        parent, sector, cls = self.parent_filter.currentText(), self.sector.currentText(), self.category.currentText()
        needle = self.search.text().strip().casefold()
        return ((parent in ("", ALL_LABEL) or r.org.parent_name == parent)
                and (sector == ALL_LABEL or r.org.sector == sector)
                and (cls == ALL_LABEL or f"{_class(r)}类" == cls)
                and (not needle or needle in f"{r.org.name}\x1f{r.org.code}".casefold()))

    def shown_rows(self) -> list[MatrixRow]:
        return list(self.model.rows())

    def apply_filter(self) -> None:
        rows = [r for r in self.all_rows if self._accepts(r)]
        self.model.set_rows(rows)
        self._summarise(rows)

    def _summarise(self, rows: list[MatrixRow]) -> None:
        counts = {st: 0 for st in SYMBOLS}
        for r in rows:
            for c in r.cells.values():
                counts[c.status] = counts.get(c.status, 0) + 1
        branches = sum(1 for r in rows if r.missing())
        chips = [f"显示 <b>{len(rows)}</b> 个支部"]
        for st in (MISSING, DUE_SOON, DONE, NOT_DUE, EXEMPT):
            bg = BACKGROUNDS.get(st, "#eeeeee")
            mark = f"{SYMBOLS[st]} " if SYMBOLS[st] != STATUS_LABELS[st] and len(SYMBOLS[st]) == 1 else ""
            chips.append(f"<span style='background:{bg}; padding:2px 8px;'>&nbsp;{mark}"
                         f"{STATUS_LABELS[st]} <b>{counts.get(st, 0)}</b> 期&nbsp;</span>")
        chips.append(f"有缺项的支部 <b>{branches}</b> 个")
        self.counts.setText("&nbsp;&nbsp;".join(chips))
        code = self.type_code()
        req = self.reqs.get(code) if code else None
        if req is None:
            self.summary.setText(f"{self.year.year()} 年没有组织生活要求。")
            return
        self.summary.setText(
            f"“{req.type_name}”要求每{PERIOD_WORDS.get(req.period, req.period)}至少 {req.minimum} 次。"
            "✓ 已完成　✗ 缺　— 该期不计。鼠标停在格子上看次数和截止日期，双击格子打开该支部的工作记录，右键可设豁免。")

    # --- actions -------------------------------------------------------------------------
    def open_records(self, index) -> None:
        row = self.model.data(index, ROW_ROLE) if index.isValid() else None
        code = self.type_code()
        if not isinstance(row, MatrixRow) or code is None:
            return
        window = self.window()
        page = window.page("records") if hasattr(window, "page") else None
        if page is None:
            return
        page.show_records(row.org.code, self.year.year(), code)
        window.select_page("records")

    def edit_requirements(self) -> None:
        dialog = RequirementsDialog(self.ctx.ledger, self.year.year(), self)
        dialog.exec()
        if dialog.changed:
            self.ctx.notify_changed(RECORDS)

    def _scored(self) -> list[OrgInfo]:
        return [o for o in getattr(self, "infos", []) if o.scored]

    def edit_exemptions(self, org_code: str | None = None) -> None:
        dialog = ExemptionsDialog(self.ctx.ledger, self._scored(), list(self.reqs.values()), org_code=org_code,
                                  parent=self)
        dialog.exec()
        if dialog.changed:
            self.ctx.notify_changed(RECORDS)

    def add_exemption(self, org_code: str, first: date, last: date) -> None:
        dialog = ExemptionDialog(self.ctx.ledger, self._scored(), list(self.reqs.values()), org_code=org_code,
                                 type_code=self.type_code(), first=first, last=last, parent=self)
        if dialog.exec():
            self.ctx.notify_changed(RECORDS)

    def cell_months(self, column: int) -> tuple[date, date] | None:
        """The first and last month of the period in a matrix column (None outside the periods)."""
        if not FIXED <= column < FIXED + len(self.keys):
            return None
        key = self.keys[column - FIXED][0]
        year = self.year.year()
        if "-Q" in key:
            q = int(key[-1])
            return date(year, 3 * q - 2, 1), date(year, 3 * q, 1)
        if "-" in key:
            m = int(key[5:])
            return date(year, m, 1), date(year, m, 1)
        return date(year, 1, 1), date(year, 12, 1)

    def cell_menu(self, index: QModelIndex) -> QMenu | None:
        """The cell's own actions (records, exemptions) above every list's copy and export."""
        row = self.model.data(index, ROW_ROLE) if index.isValid() else None
        if not isinstance(row, MatrixRow):
            return None
        code = self.type_code()
        name = f"{self.year.year()}年{self.reqs[code].type_name if code in self.reqs else '组织生活'}落实情况"
        menu = table_menu.build_menu(self.view, name, QModelIndex())
        common = menu.actions()[0]
        own = [QAction("打开该支部的工作记录", menu)]
        own[0].triggered.connect(lambda: self.open_records(index))
        months = self.cell_months(index.column())
        if months is not None:
            first, last = months
            own.append(QAction(f"为该期设豁免（{first:%Y-%m} 至 {last:%Y-%m}）…", menu))
            own[-1].triggered.connect(lambda: self.add_exemption(row.org.code, first, last))
        own.append(QAction("查看该支部的豁免…", menu))
        own[-1].triggered.connect(lambda: self.edit_exemptions(row.org.code))
        menu.insertActions(common, own)
        menu.insertSeparator(common)
        return menu

    def _cell_menu(self, pos) -> None:
        menu = self.cell_menu(self.view.indexAt(pos))
        if menu is not None:
            menu.exec(self.view.viewport().mapToGlobal(pos))

    def matrix(self) -> tuple[list[str], list[list[str]], list[list[str | None]]]:
        """The shown matrix as text: headers, rows, and each cell's status (None outside the periods)."""
        headers = [c.header for c in self.model.columns]
        rows, statuses = [], []
        for r in self.model.rows():
            rows.append([str(c.display(r) or "") for c in self.model.columns])
            statuses.append([None] * FIXED + [r.cells[k].status if k in r.cells else None for k, _h in self.keys]
                            + [MISSING if r.missing() else None])
        return headers, rows, statuses

    def export_path(self) -> str:
        code = self.type_code()
        name = self.reqs[code].type_name if code in self.reqs else "组织生活"
        path = files.save_file(self, "导出 Excel", f"{self.year.year()}年{name}落实情况.xlsx", "Excel 工作簿 (*.xlsx)")
        return path

    def export(self) -> None:
        path = self.export_path()
        if not path:
            return
        if not path.endswith(".xlsx"):
            path += ".xlsx"
        headers, rows, statuses = self.matrix()
        code = self.type_code()
        req = self.reqs.get(code) if code else None
        title = f"{self.year.year()} 年{req.type_name if req else ''}落实情况"
        filters = [f"{label}：{w.currentText()}" for label, w in
                   (("上级党委", self.parent_filter), ("领域", self.sector), ("分类", self.category))
                   if w.currentText() not in ("", ALL_LABEL)]
        subtitle = (f"截至 {self.ctx.ledger.today().isoformat()}；{'；'.join(filters) or '全部支部'}；"
                    "✓ 已完成　✗ 缺　豁免　未到期　临期（即将到期）　— 不计")
        try:
            saved = export_matrix(path, title, subtitle, headers, rows, statuses, first_period=FIXED)
        except LedgerError as e:
            show_error(self, e)
            return
        window = self.window()
        if hasattr(window, "status"):
            window.status(f"已导出 {len(rows)} 个支部到 {saved}")

    # --- state ---------------------------------------------------------------------------
    def save_state(self, settings: QSettings) -> None:
        if self.type_code():
            settings.setValue("compliance/type", self.type_code())

    def restore_state(self, settings: QSettings) -> None:
        code = settings.value("compliance/type")
        if code:
            self._pending_type = str(code)
