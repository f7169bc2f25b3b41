"""Small dialogs asking what a document needs: organisation, year, quarter or month, 文号."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.reports.data import ended_quarters
from app.services.kernel.context import Ledger
from app.services.register import orgs

QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


class AskDialog(QDialog):
    """Asks for the fields named in ``fields`` (any of: org, year, quarter, month, notice_no)."""

    def __init__(self, ledger: Ledger, title: str, fields: tuple[str, ...], parent: QWidget | None = None,
                 intro: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.ledger = ledger
        today = ledger.today()
        layout = QVBoxLayout(self)
        if intro:
            hint = QLabel(intro)
            hint.setWordWrap(True)
            layout.addWidget(hint)
        form = QFormLayout()
        layout.addLayout(form)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.year.setSuffix(" 年")
        self.org: QComboBox | None = None
        self.quarter: QComboBox | None = None
        self.month: QComboBox | None = None
        self.notice_no: QLineEdit | None = None
        if "year" in fields:
            form.addRow("年度：", self.year)
        if "org" in fields:
            self.org = QComboBox()
            self.org.setEditable(True)  # type to find among hundreds of organisations
            self.org.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            self.org.setMinimumContentsLength(24)
            form.addRow("党组织：", self.org)
            self._fill_orgs()
            self.year.valueChanged.connect(self._fill_orgs)
        if "quarter" in fields:
            self.quarter = QComboBox()
            self.quarter.addItems(QUARTERS)
            ended = ended_quarters(today.year, today)
            self.quarter.setCurrentIndex((ended[-1] if ended else 1) - 1)
            form.addRow("季度：", self.quarter)
        if "month" in fields:
            self.month = QComboBox()
            self.month.addItems([f"{m} 月" for m in range(1, 13)])
            self.month.setCurrentIndex(today.month - 1)
            form.addRow("月份：", self.month)
        if "notice_no" in fields:
            self.notice_no = QLineEdit()
            self.notice_no.setPlaceholderText("如 青开党工〔2026〕11号；不填则用已发布通报的文号")
            form.addRow("文号：", self.notice_no)
        self.message = QLabel()
        self.message.setObjectName("errorText")
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("预览")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _fill_orgs(self) -> None:
        assert self.org is not None
        current = self.org_code()
        self.org.clear()
        for o in orgs.list_orgs(self.ledger, self.year.value()):
            if o.scored and o.active:
                self.org.addItem(f"{o.name}（{o.code}）", o.code)
        if current:
            i = self.org.findData(current)
            if i >= 0:
                self.org.setCurrentIndex(i)

    def org_code(self) -> str | None:
        if self.org is None or self.org.count() == 0:
            return None
        i = self.org.findText(self.org.currentText())
        return self.org.itemData(i) if i >= 0 else None

    def _accept(self) -> None:
        if self.org is not None and not self.org_code():
            self.message.setText("请从列表中选择一个党组织")
            self.message.show()
            return
        self.accept()

    def values(self) -> dict:
        out: dict = {"year": self.year.value()}
        if self.org is not None:
            out["org"] = self.org_code()
            out["org_name"] = self.org.currentText()
        if self.quarter is not None:
            out["quarter"] = self.quarter.currentIndex() + 1
        if self.month is not None:
            out["month"] = self.month.currentIndex() + 1
        if self.notice_no is not None:
            out["notice_no"] = self.notice_no.text().strip() or None
        return out

