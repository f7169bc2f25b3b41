"""帮助 → 快捷键: every key the program answers to, in one list."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

KEYS: tuple[tuple[str, str, str], ...] = (
    ("全局", "F1", "打开使用手册中当前页面的说明"),
    ("全局", "Ctrl+1 … Ctrl+9", "切换到左侧导航栏的第 1 … 9 个页面"),
    ("全局", "Ctrl+O / Ctrl+N", "打开 / 新建数据库"),
    ("全局", "Ctrl+Q", "退出"),
    ("月度积分", "直接输入", "开始录入所在格子"),
    ("月度积分", "回车 / Shift+回车", "保存并下移 / 上移"),
    ("月度积分", "Tab / Shift+Tab", "保存并右移 / 左移"),
    ("月度积分", "Esc", "放弃正在输入的内容"),
    ("月度积分", "Delete / Backspace", "清除所选格子"),
    ("月度积分", "Ctrl+C", "复制所选区域（可粘贴到 Excel、WPS）"),
    ("月度积分", "Ctrl+V", "从所在格子起粘贴 Excel、WPS 中复制的一块数据；不合规的格子列出原因并标红，其余保存"),
    ("月度积分", "Ctrl+D", "把所选区域第一行向下填充"),
    ("月度积分", "Ctrl+Z", "撤销上一步（一次粘贴、清除或填充算一步）"),
    ("组织生活", "双击格子", "打开该支部该期的工作记录"),
    ("组织生活", "右键格子", "为该期设豁免、查看豁免"),
)


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("快捷键")
        self.resize(720, 520)
        table = QTableWidget(len(KEYS), 3)
        table.setHorizontalHeaderLabels(["位置", "按键", "作用"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setWordWrap(True)
        for r, row in enumerate(KEYS):
            for c, text in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(text))
        table.setColumnWidth(0, 90)
        table.setColumnWidth(1, 170)
        table.horizontalHeader().setStretchLastSection(True)
        table.resizeRowsToContents()
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
