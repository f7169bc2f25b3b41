"""Package conflicts: rows changed both here and at the sender since the last exchange; the user picks."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.exchange.merge import MINE, THEIRS, MergePlan

CHOICES = {MINE: "保留本机", THEIRS: "采用数据包"}


class ConflictDialog(QDialog):
    def __init__(self, plan: MergePlan, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("导入数据包 — 处理冲突")
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(f"<b>{label}</b><br>将发生：{plan.summary()}<br>"
                       f"以下 {len(plan.conflicts)} 条数据在本机和对方都被修改过。请在“选择”一列逐条选择保留哪一方，"
                       "然后导入。导入前会自动备份。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["数据", "选择", "本机", "数据包"])
        self.tree.setColumnWidth(0, 330)
        self.tree.setColumnWidth(1, 120)
        self.tree.setColumnWidth(2, 200)
        self.choices: dict[tuple[str, str], str] = {}
        self._items: list[tuple[QTreeWidgetItem, tuple[str, str]]] = []
        self._combos: dict[tuple[str, str], QComboBox] = {}
        for c in plan.conflicts:
            key = (c.entity, c.key)
            self.choices[key] = MINE
            item = QTreeWidgetItem([c.label, CHOICES[MINE], "", ""])
            for name, here, there in c.fields:
                QTreeWidgetItem(item, [f"  {name}", "", here[:80], there[:80]])
            self.tree.addTopLevelItem(item)
            item.setExpanded(True)
            self._items.append((item, key))
            combo = QComboBox()
            for value, text in CHOICES.items():
                combo.addItem(text, value)
            combo.currentIndexChanged.connect(lambda _i, k=key, c=combo: self.set_choice(k, c.currentData()))
            item.setText(1, "")
            self.tree.setItemWidget(item, 1, combo)
            self._combos[key] = combo
        self.tree.itemDoubleClicked.connect(self._toggle)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox()
        mine = QPushButton("全部保留本机")
        theirs = QPushButton("全部采用数据包")
        mine.clicked.connect(lambda: self.set_all(MINE))
        theirs.clicked.connect(lambda: self.set_all(THEIRS))
        buttons.addButton(mine, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(theirs, QDialogButtonBox.ButtonRole.ActionRole)
        ok = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        ok.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def _toggle(self, item: QTreeWidgetItem, _column: int) -> None:
        while item.parent() is not None:
            item = item.parent()
        for it, key in self._items:
            if it is item:
                self.set_choice(key, THEIRS if self.choices[key] == MINE else MINE)

    def set_choice(self, key: tuple[str, str], choice: str) -> None:
        self.choices[key] = choice
        combo = self._combos.get(key)
        if combo is not None and combo.currentData() != choice:
            combo.setCurrentIndex(combo.findData(choice))

    def set_all(self, choice: str) -> None:
        for _it, key in self._items:
            self.set_choice(key, choice)
