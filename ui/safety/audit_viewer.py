"""审计日志: who changed what and when, filtered by user, organisation, date and kind; export to Excel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import LedgerError
from app.services.safety import audit_query
from ui.widgets import files

from .common import fill, info, table, warn

ALL_TEXT = "全部"


def _date_edit() -> QDateEdit:
    d = QDateEdit()
    d.setCalendarPopup(True)
    d.setDisplayFormat("yyyy-MM-dd")
    d.setMinimumDate(QDate(2000, 1, 1))
    d.setSpecialValueText("不限")  # shown at the minimum date: no limit
    d.setDate(d.minimumDate())
    return d


class AuditViewer(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("审计日志")
        self.resize(1100, 620)
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        users, actions, orgs = audit_query.filter_options(ctx.ledger)
        self.user = self._combo(users)
        self.org = self._combo(orgs)
        self.action = self._combo(actions)
        self.since, self.until = _date_edit(), _date_edit()
        self.text = QLineEdit()
        self.text.setPlaceholderText("内容包含…")
        for col, (label, w) in enumerate((("用户", self.user), ("组织", self.org), ("操作", self.action))):
            grid.addWidget(QLabel(label), 0, col * 2)
            grid.addWidget(w, 0, col * 2 + 1)
        for col, (label, w) in enumerate((("从", self.since), ("到", self.until), ("关键字", self.text))):
            grid.addWidget(QLabel(label), 1, col * 2)
            grid.addWidget(w, 1, col * 2 + 1)
        layout.addLayout(grid)
        self.table = table(("时间", "用户", "操作", "组织", "内容", "改动"), stretch=4)
        self.table.setWordWrap(True)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.count = QLabel()
        search = QPushButton("查询")
        export = QPushButton("导出 Excel…")
        close = QPushButton("关闭")
        row.addWidget(self.count, 1)
        for b in (search, export, close):
            row.addWidget(b)
        layout.addLayout(row)
        search.clicked.connect(self.refresh)
        self.text.returnPressed.connect(self.refresh)
        export.clicked.connect(self.export)
        close.clicked.connect(self.accept)
        self.refresh()

    @staticmethod
    def _combo(values: list[str]) -> QComboBox:
        c = QComboBox()
        c.addItems([ALL_TEXT, *values])
        c.setMinimumWidth(140)
        return c

    def _value(self, combo: QComboBox) -> str:
        return "" if combo.currentText() == ALL_TEXT else combo.currentText()

    def _day(self, edit: QDateEdit):
        return None if edit.date() == edit.minimumDate() else edit.date().toPython()

    def refresh(self) -> None:
        self.lines = audit_query.search(
            self.ctx.ledger, user=self._value(self.user), org_code=self._value(self.org),
            action=self._value(self.action), since=self._day(self.since), until=self._day(self.until),
            text=self.text.text().strip())
        fill(self.table, [(f"{audit_query.local_time(ln.at):%Y-%m-%d %H:%M:%S}", ln.user, ln.action, ln.org_code,
                           ln.summary, audit_query.changes_text(ln.changes)) for ln in self.lines])
        self.count.setText(f"共 {len(self.lines)} 条（最新的在前）")

    def export(self) -> None:
        name = files.save_file(self, "导出审计日志", "审计日志.xlsx", "Excel 工作簿 (*.xlsx)")
        if not name:
            return
        try:
            path = audit_query.export_xlsx(self.lines, Path(name if name.endswith(".xlsx") else name + ".xlsx"))
        except LedgerError as e:
            warn(self, "导出审计日志", str(e))
            return
        info(self, "导出审计日志", f"已导出 {len(self.lines)} 条到：\n{path}")
