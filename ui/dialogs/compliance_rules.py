"""Dialogs that edit 组织生活 rules: a year's meeting requirements and the exemptions of branches.

Every save goes through app.services.compliance (the same checks, permissions and audit as the
``requirements`` and ``compliance exempt`` commands); a refusal is shown in place and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.compliance import APPLIES, PERIODS, Requirement
from app.domain.enums import SECTORS
from app.errors import LedgerError
from app.services.book.records import RecordTypeInfo, record_types
from app.services.compliance import exemptions, requirements
from app.services.compliance.exemptions import ExemptionInfo
from app.services.kernel.context import Ledger
from ui.models.base import Column, RowTableModel
from ui.widgets.errors import show_error
from ui.widgets.layout import hint
from ui.widgets.pickers import OrgPicker, YearSpin
from ui.widgets.tables import list_view, selected_row

from .base import ServiceDialog

NO_DUE = "当年年底"


def due_text(r: Requirement) -> str:
    if r.period != "year":
        return "每期期末"
    return f"次年{r.due_month}月{r.due_day}日" if r.due_month else NO_DUE


def applies_text(r: Requirement) -> str:
    return "、".join(r.sectors) if r.applies == "sectors" else APPLIES[r.applies]


REQUIREMENT_COLUMNS = [
    Column("工作记录类型", lambda r: f"{r.type_name}（{r.type_code}）", width=200),
    Column("周期", lambda r: PERIODS[r.period], width=50),
    Column("最少次数", lambda r: str(r.minimum), width=70),
    Column("适用于", applies_text, width=200),
    Column("截止", due_text),
]


class RequirementDialog(ServiceDialog):
    """Add or change one type's requirement in a year."""

    def __init__(self, ledger: Ledger, year: int, types: Sequence[RecordTypeInfo], req: Requirement | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"{year} 年组织生活要求 — {'修改' if req else '新增'}", parent,
                         intro="保存后，该年及以后沿用该年要求的年份都按新要求判断是否缺项。")
        self.ledger, self.year, self.req = ledger, year, req
        self.type = QComboBox()
        for t in types:
            self.type.addItem(f"{t.section_name} · {t.name}（{t.code}）", t.code)
        if req is not None:
            self.type.setCurrentIndex(max(self.type.findData(req.type_code), 0))
            self.type.setEnabled(False)  # another type is another requirement: add it instead
        self.form.addRow("工作记录类型：", self.type)
        self.period = self.choice("周期：", [PERIODS[p] for p in PERIODS], PERIODS[req.period] if req else "月")
        self.minimum = QSpinBox()
        self.minimum.setRange(1, 31)
        self.minimum.setValue(req.minimum if req else 1)
        self.form.addRow("每期最少次数：", self.minimum)
        self.applies = self.choice("适用于：", list(APPLIES.values()), APPLIES[req.applies] if req else None)
        self.sector_boxes = [QCheckBox(s) for s in SECTORS]
        row = QHBoxLayout()
        for box in self.sector_boxes:
            box.setChecked(bool(req and s_in(box.text(), req)))
            row.addWidget(box)
        self.form.addRow("指定领域：", row)
        self.due = QComboBox()
        self.due.addItem(NO_DUE, None)
        for m, d in ((1, 31), (2, 28), (3, 31), (4, 30), (6, 30)):
            self.due.addItem(f"次年{m}月{d}日", f"{m}-{d}")
        if req and req.due_month:
            i = self.due.findData(f"{req.due_month}-{req.due_day}")
            if i < 0:
                self.due.addItem(f"次年{req.due_month}月{req.due_day}日", f"{req.due_month}-{req.due_day}")
                i = self.due.count() - 1
            self.due.setCurrentIndex(i)
        self.form.addRow("按年要求的截止：", self.due)
        self.period.currentIndexChanged.connect(lambda _i: self._enable())
        self.applies.currentIndexChanged.connect(lambda _i: self._enable())
        self._enable()

    def _enable(self) -> None:
        self.due.setEnabled(self.period.currentText() == "年")
        for box in self.sector_boxes:
            box.setEnabled(self.applies.currentText() == APPLIES["sectors"])

    def requirement(self) -> Requirement:
        period = next(k for k, v in PERIODS.items() if v == self.period.currentText())
        applies = next(k for k, v in APPLIES.items() if v == self.applies.currentText())
        sectors = tuple(b.text() for b in self.sector_boxes if b.isChecked()) if applies == "sectors" else ()
        due = [int(x) for x in self.due.currentData().split("-")] if period == "year" and self.due.currentData() else None
        code = self.type.currentData()
        name = self.type.currentText().split(" · ")[-1].rsplit("（", 1)[0]
        return Requirement(code, name, period, self.minimum.value(), applies, sectors,
                           due[0] if due else None, due[1] if due else None)

    def save(self) -> list[Requirement]:
        return requirements.set_one(self.ledger, self.year, self.requirement())


def s_in(sector: str, req: Requirement) -> bool:
    return req.applies == "sectors" and sector in req.sectors


class RequirementsDialog(QDialog):
    """The requirements of a year: list, add, change, remove, copy from the year before."""

    def __init__(self, ledger: Ledger, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.changed = False
        self.setWindowTitle("组织生活要求")
        self.resize(760, 420)
        self.year = YearSpin(year)
        self.source = hint()
        self.model = RowTableModel(REQUIREMENT_COLUMNS, self)
        self.view = list_view(self.model, stretch=3)
        self.add_button = QPushButton("新增…")
        self.edit_button = QPushButton("修改…")
        self.remove_button = QPushButton("删除")
        self.copy_button = QPushButton("从上一年复制")
        close = QPushButton("关闭")
        top = QHBoxLayout()
        top.addWidget(QLabel("年份"))
        top.addWidget(self.year)
        top.addWidget(self.source, 1)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button, self.copy_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(hint("按《中国共产党支部工作条例（试行）》的通常做法预置，可按本地要求修改；"
                              "改动只影响所选年份（及以后沿用它的年份），已确认定级的年份不能改。"))
        layout.addLayout(buttons)
        self.types = record_types(ledger)
        self.year.valueChanged.connect(lambda _y: self.reload())
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(lambda: self.edit(selected_row(self.view)))
        self.view.doubleClicked.connect(lambda _i: self.edit(selected_row(self.view)))
        self.remove_button.clicked.connect(self.remove)
        self.copy_button.clicked.connect(self.copy_previous)
        close.clicked.connect(self.accept)
        self.reload()

    def reload(self) -> None:
        year = self.year.year()
        reqs, source = requirements.requirements(self.ledger, year)
        self.model.set_rows(reqs)
        if source is None:
            self.source.setText("　尚未设定，使用程序预置的要求")
        elif source == year:
            self.source.setText(f"　{year} 年自己的要求")
        else:
            self.source.setText(f"　{year} 年未单独设定，沿用 {source} 年的要求")

    def _run(self, action) -> bool:
        try:
            action()
        except LedgerError as exc:
            QMessageBox.warning(self, "组织生活要求", str(exc))
            return False
        except Exception as exc:
            show_error(self, exc)
            return False
        self.changed = True
        self.reload()
        return True

    def edit(self, req: object) -> None:
        if req is not None and not isinstance(req, Requirement):
            return
        dialog = RequirementDialog(self.ledger, self.year.year(), self.types, req, self)
        if dialog.exec():
            self.changed = True
            self.reload()

    def remove(self) -> None:
        req = selected_row(self.view)
        if not isinstance(req, Requirement):
            return
        year = self.year.year()
        if QMessageBox.question(self, "删除要求", f"不再要求 {year} 年的“{req.type_name}”？") \
                == QMessageBox.StandardButton.Yes:
            self._run(lambda: requirements.remove_one(self.ledger, year, req.type_code))

    def copy_previous(self) -> None:
        year = self.year.year()
        if QMessageBox.question(self, "复制要求", f"用 {year - 1} 年的要求替换 {year} 年的要求？") \
                == QMessageBox.StandardButton.Yes:
            self._run(lambda: requirements.copy(self.ledger, year - 1, year))


def exemption_columns(type_names: dict[str, str]) -> list[Column]:
    return [
        Column("党组织", lambda e: e.org_name, width=240, tooltip=lambda e: f"{e.org_name}（{e.org_code}）"),
        Column("会议类型", lambda e: type_names.get(e.type_code, e.type_code), width=130),
        Column("起止月份", lambda e: e.span, width=130),
        Column("理由", lambda e: e.reason, tooltip=lambda e: e.reason),
    ]


class ExemptionDialog(ServiceDialog):
    """A new exemption: an organisation need not hold one kind of meeting in a range of months."""

    def __init__(self, ledger: Ledger, orgs: Sequence[object], types: Sequence[Requirement | RecordTypeInfo],
                 *, org_code: str | None = None, type_code: str | None = None,
                 first: date | None = None, last: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__("新增组织生活豁免", parent,
                         intro="豁免期内该类会议既不算缺项，也不计入完成。须写明理由，如新建支部、合并、停用、经批准延期。")
        self.ledger = ledger
        self.org = OrgPicker()
        self.org.set_orgs(orgs)
        if org_code:
            self.org.set_code(org_code)
        self.form.addRow("党组织：", self.org)
        self.type = QComboBox()
        for t in types:
            self.type.addItem(f"{t.type_name if isinstance(t, Requirement) else t.name}（"
                              f"{t.type_code if isinstance(t, Requirement) else t.code}）",
                              t.type_code if isinstance(t, Requirement) else t.code)
        if type_code:
            self.type.setCurrentIndex(max(self.type.findData(type_code), 0))
        self.form.addRow("会议类型：", self.type)
        today = ledger.today()
        self.first = self.line("起始月份：", f"{first or today:%Y-%m}", "如 2026-03")
        self.last = self.line("截止月份：", f"{last or first or today:%Y-%m}", "如 2026-06")
        self.reason = self.line("理由：", "", "如 新建支部，2026年4月成立")

    def save(self) -> ExemptionInfo:
        return exemptions.add(self.ledger, self.org.code() or "", self.type.currentData() or "", self.first.text(),
                              self.last.text(), self.reason.text())


class ExemptionsDialog(QDialog):
    """The exemptions on record (all, or one branch's): add and withdraw."""

    def __init__(self, ledger: Ledger, orgs: Sequence[object], reqs: Sequence[Requirement], *,
                 org_code: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.orgs, self.reqs = ledger, list(orgs), list(reqs)
        self.changed = False
        self.setWindowTitle("组织生活豁免")
        self.resize(820, 420)
        self.filter = OrgPicker(allow_none="（全部党组织）")
        self.filter.set_orgs(self.orgs)
        if org_code:
            self.filter.set_code(org_code)
        names = {t.code: t.name for t in record_types(ledger)}
        self.model = RowTableModel(exemption_columns(names), self)
        self.view = list_view(self.model)
        self.add_button = QPushButton("新增豁免…")
        self.remove_button = QPushButton("撤销豁免")
        close = QPushButton("关闭")
        top = QHBoxLayout()
        top.addWidget(QLabel("党组织"))
        top.addWidget(self.filter, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.filter.orgChanged.connect(lambda _c: self.reload())
        self.add_button.clicked.connect(lambda: self.add())
        self.remove_button.clicked.connect(self.remove)
        close.clicked.connect(self.accept)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(exemptions.listing(self.ledger, self.filter.code()))

    def add(self, **prefill) -> bool:
        prefill.setdefault("org_code", self.filter.code())
        dialog = ExemptionDialog(self.ledger, self.orgs, self.reqs, parent=self, **prefill)
        if dialog.exec():
            self.changed = True
            self.reload()
            return True
        return False

    def remove(self) -> None:
        e = selected_row(self.view)
        if not isinstance(e, ExemptionInfo):
            return
        if QMessageBox.question(self, "撤销豁免", f"撤销“{e.org_name}”{e.span} 的豁免？撤销后这些期间重新按要求判断。") \
                != QMessageBox.StandardButton.Yes:
            return
        try:
            exemptions.remove(self.ledger, e.id)
        except LedgerError as exc:
            QMessageBox.warning(self, "撤销豁免", str(exc))
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.changed = True
        self.reload()
