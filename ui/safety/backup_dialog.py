"""备份与恢复: the backups with a preview of each, back up now, restore (the current data is kept first)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.errors import LedgerError
from app.services.safety import backups
from ui.context import ALL
from ui.widgets.errors import show_error

from .common import confirm, fill, info, table, warn


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def restore_from(ctx, parent: QWidget | None, path: Path, label: str) -> bool:
    """Ask, restore, tell the user where the previous data went; True when restored.
    A backup of another ledger file or unit needs a second, explicit confirmation naming both."""
    text = (f"用{label}的数据替换当前数据？\n\n当前数据会先另存为一份“恢复前”备份，需要时还可以恢复回来。")
    if not confirm(parent, "从备份恢复", text, "恢复"):
        return False
    try:
        foreign = backups.origin_of(ctx.ledger, path)
    except LedgerError as e:
        warn(parent, "从备份恢复", str(e))
        return False
    if foreign and not confirm(parent, "这不是当前数据文件的备份",
                               f"{foreign}。\n\n用它恢复会把当前数据换成另一份台账的数据。确定要这样做吗？",
                               "仍然恢复"):
        return False
    try:
        done = backups.restore(ctx.ledger, path, other_ledger=bool(foreign))
    except LedgerError as e:
        warn(parent, "从备份恢复", str(e))
        return False
    except Exception as e:
        show_error(parent, e)
        return False
    ctx.notify_changed(ALL)
    info(parent, "从备份恢复", f"已恢复。恢复前的数据另存为：\n{done.saved}\n\n密钥：{done.keys}")
    return True


def _last(b: backups.BackupInfo) -> str:
    return (f"{b.last_entry_at:%m-%d %H:%M} " if b.last_entry_at else "") + b.last_entry if b.ok else ""


class BackupDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("备份与恢复")
        self.resize(980, 480)
        layout = QVBoxLayout(self)
        self.folder = QLabel()
        self.folder.setWordWrap(True)
        layout.addWidget(self.folder)
        self.table = table(("备份时间", "原因", "大小", "组织数", "最后一条操作", "状态"), stretch=4)
        layout.addWidget(self.table, 2)
        # Backups of other ledger files kept in the same folder: shown apart, named, never mistaken for ours.
        self.others_label = QLabel()
        self.others_label.setObjectName("hint")
        self.others_label.setWordWrap(True)
        self.others = table(("备份时间", "来自数据文件", "单位", "组织数", "最后一条操作", "状态"), stretch=4)
        layout.addWidget(self.others_label)
        layout.addWidget(self.others, 1)
        hint = QLabel("软件在启动（数据有变化时）、退出、导入和升级前自动备份，并只保留最近 7 天每天一份、"
                      "4 周每周一份、12 个月每月一份；“手动”和“恢复前”的备份不会自动删除。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        row = QHBoxLayout()
        self.backup_btn = QPushButton("立即备份")
        self.restore_btn = QPushButton("用所选备份恢复…")
        self.file_btn = QPushButton("从其他文件恢复…")
        close = QPushButton("关闭")
        for b in (self.backup_btn, self.restore_btn, self.file_btn):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.backup_btn.clicked.connect(self.backup)
        self.restore_btn.clicked.connect(self.restore_selected)
        self.file_btn.clicked.connect(self.restore_file)
        close.clicked.connect(self.accept)
        self.refresh()

    def refresh(self) -> None:
        folder = backups.backup_folder(self.ctx.ledger)
        self.folder.setText(f"备份文件夹：{folder}")
        every = backups.list_backups(self.ctx.ledger)
        self.rows = [b for b in every if b.mine]
        self.other_rows = [b for b in every if not b.mine]
        fill(self.table, [
            (f"{b.at:%Y-%m-%d %H:%M:%S}", b.reason, _size(b.size), b.organizations if b.ok else "",
             _last(b), "可用" if b.ok else b.problem)
            for b in self.rows])
        fill(self.others, [
            (f"{b.at:%Y-%m-%d %H:%M:%S}", f"{b.source_stem}.sqlite" if b.source_stem else "（未知）",
             b.unit_name or "（未知）", b.organizations if b.ok else "", _last(b), "可用" if b.ok else b.problem)
            for b in self.other_rows])
        self.others_label.setText(f"同一文件夹中还有 {len(self.other_rows)} 份其他数据文件的备份，"
                                  f"它们不是“{self.ctx.ledger.path.name}”的备份，不要用它们恢复本台账：")
        self.others_label.setVisible(bool(self.other_rows))
        self.others.setVisible(bool(self.other_rows))
        self.restore_btn.setEnabled(bool(self.rows))

    def backup(self) -> None:
        try:
            path = backups.backup_now(self.ctx.ledger, "手动")
        except LedgerError as e:
            warn(self, "立即备份", str(e))
            return
        self.refresh()
        info(self, "立即备份", f"已备份到：\n{path}")

    def restore_selected(self) -> None:
        r = self.table.currentRow()
        if not 0 <= r < len(self.rows):
            warn(self, "从备份恢复", "请先在表中选择一个备份")
            return
        b = self.rows[r]
        if restore_from(self.ctx, self, b.path, f" {b.at:%Y-%m-%d %H:%M} 的备份（{b.organizations} 个组织）"):
            self.refresh()

    def restore_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择备份文件", str(backups.backup_folder(self.ctx.ledger)),
                                              "台账数据文件 (*.sqlite);;所有文件 (*)")
        if name and restore_from(self.ctx, self, Path(name), f"“{Path(name).name}”"):
            self.refresh()
