"""锁定月份: a reviewer locks a checked month; an administrator unlocks it with a reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import LedgerError
from app.services.kernel import locks
from app.services.safety.audit_query import local_time
from ui.context import ALL

from .common import fill, info, table, warn
from .scope_choice import label, scope_combo, select


class LockDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("锁定月份")
        self.resize(620, 440)
        today = ctx.ledger.today()
        layout = QVBoxLayout(self)
        hint = QLabel("审核员核对完某月的积分和工作记录后锁定该月：锁定后该月的积分、记录和导入都不能再改。"
                      "可以锁定全单位，也可以只锁定一个党委及其下属组织（限定范围的账户只能锁定本范围）。"
                      "如需修改，由管理员填写理由后解锁（记入审计日志）。")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        form = QFormLayout()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.month = QSpinBox()
        self.month.setRange(1, 12)
        self.month.setValue(today.month - 1 if today.month > 1 else 12)
        self.note = QLineEdit()
        self.note.setPlaceholderText("锁定备注，或解锁理由（解锁时必填）")
        row = QHBoxLayout()
        row.addWidget(self.year)
        row.addWidget(QLabel("年"))
        row.addWidget(self.month)
        row.addWidget(QLabel("月"))
        row.addStretch(1)
        form.addRow("月份", row)
        own = getattr(ctx.ledger, "scope", "")
        self.scope = scope_combo(ctx.ledger, own, whole=not own)
        form.addRow("范围", self.scope)
        form.addRow("备注/理由", self.note)
        layout.addLayout(form)
        self.table = table(("月份", "范围", "锁定人", "锁定时间", "备注"), stretch=4)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        lock = QPushButton("锁定")
        unlock = QPushButton("解锁")
        close = QPushButton("关闭")
        buttons.addWidget(lock)
        buttons.addWidget(unlock)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        lock.clicked.connect(self.lock)
        unlock.clicked.connect(self.unlock)
        close.clicked.connect(self.accept)
        self.table.cellClicked.connect(self._pick)
        self.refresh()

    def refresh(self) -> None:
        self.rows = locks.locked_months(self.ctx.ledger)
        fill(self.table, [(f"{r.year} 年 {r.month} 月", label(r.scope, r.scope_name), r.locked_by,
                           f"{local_time(r.locked_at):%Y-%m-%d %H:%M}", r.note) for r in reversed(self.rows)])

    def _pick(self, row: int, _col: int) -> None:
        r = list(reversed(self.rows))[row]
        self.year.setValue(r.year)
        self.month.setValue(r.month)
        select(self.scope, r.scope)

    def _run(self, fn, done: str) -> None:
        try:
            fn()
        except LedgerError as e:
            warn(self, "锁定月份", str(e))
            return
        self.note.clear()
        self.refresh()
        self.ctx.notify_changed(ALL)
        info(self, "锁定月份", done)

    def lock(self) -> None:
        y, m, code = self.year.value(), self.month.value(), self.scope.currentData() or ""
        self._run(lambda: locks.lock_month(self.ctx.ledger, y, m, self.note.text(), scope_code=code),
                  f"已锁定 {y} 年 {m} 月（{self.scope.currentText()}）")

    def unlock(self) -> None:
        y, m, code = self.year.value(), self.month.value(), self.scope.currentData() or ""
        self._run(lambda: locks.unlock_month(self.ctx.ledger, y, m, self.note.text(), scope_code=code),
                  f"已解锁 {y} 年 {m} 月（{self.scope.currentText()}）")
