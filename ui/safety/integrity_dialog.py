"""完整性检查: the file, the audit chain and the data against it, in plain words; a damaged file can be restored."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.errors import LedgerError
from app.services.kernel import permissions
from app.services.safety import backups, integrity
from ui.context import ALL

from .common import info, warn

DAMAGED = ("数据文件已损坏（可能是在写入时断电或强行关机，或 U 盘被拔出）。为避免损坏扩大，本次打开只能查看，不能保存。\n"
           "建议用最近一份完好的备份恢复：恢复前，当前文件会另存一份，不会丢失。")
TAMPERED = ("有数据不是通过本软件修改的（例如有人用数据库工具直接改动了文件），下面列出了第一处。\n"
            "请核实这些改动：如是误改，请用备份恢复；如确认无误，管理员可以“确认当前数据”。")


def newest_good_backup(ledger) -> backups.BackupInfo | None:
    for b in backups.list_backups(ledger):
        if b.ok and b.mine:
            try:
                backups.check_backup(b.path)
            except LedgerError:
                continue
            return b
    return None


class IntegrityDialog(QDialog):
    def __init__(self, ctx, report: integrity.IntegrityReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.report = ctx, report
        self.setWindowTitle("完整性检查")
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        head = QLabel("检查通过：数据文件完整，所有改动都有审计记录。" if report.ok else
                      (DAMAGED if not report.file_ok else TAMPERED))
        head.setWordWrap(True)
        layout.addWidget(head)
        body = QTextBrowser()
        body.setPlainText("\n".join(("✔ " if f.ok else "✘ ") + f"{f.title}：{f.detail}" for f in report.findings))
        layout.addWidget(body, 1)
        row = QHBoxLayout()
        self.restore_btn = QPushButton("用最近的完好备份恢复…")
        self.accept_btn = QPushButton("确认当前数据…")
        close = QPushButton("关闭")
        row.addWidget(self.restore_btn)
        row.addWidget(self.accept_btn)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.restore_btn.setVisible(not report.ok)
        self.accept_btn.setVisible(report.file_ok and not report.ok
                                   and permissions.allowed(ctx.ledger, "accept"))
        self.restore_btn.clicked.connect(self.restore)
        self.accept_btn.clicked.connect(self.accept_data)
        close.clicked.connect(self.reject)
        self.restored = False

    def restore(self) -> None:
        from .backup_dialog import restore_from

        b = newest_good_backup(self.ctx.ledger)
        if b is None:
            warn(self, "完整性检查", f"备份文件夹中没有完好的备份：{backups.backup_folder(self.ctx.ledger)}")
            return
        if restore_from(self.ctx, self, b.path, f" {b.at:%Y-%m-%d %H:%M} 的备份"):
            self.restored = True
            self.accept()

    def accept_data(self) -> None:
        reason, ok = QInputDialog.getText(self, "确认当前数据", "确认理由（记入审计日志）：")
        if not ok:
            return
        try:
            n = integrity.accept_current_data(self.ctx.ledger, reason)
        except LedgerError as e:
            warn(self, "确认当前数据", str(e))
            return
        self.ctx.notify_changed(ALL)
        info(self, "确认当前数据", f"已确认，重新加封 {n} 行数据")
        self.accept()
