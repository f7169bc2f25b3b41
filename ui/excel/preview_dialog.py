"""The import preview: every row of the file as 新增 / 修改 / 无变化 / 有错误, problems named by cell.

Nothing is written until the user presses 导入; by default an import with any problem cannot be
applied (all or nothing); ticking 跳过有错误的行 imports only the rows without problems.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.services.imports.batches import CHANGED, INVALID, NEW, STATUS_LABELS, UNCHANGED, ImportPreview, PreviewRow
from ui.models.base import Column, FilterProxy, RowTableModel
from ui.widgets.tables import list_view

STATUS_COLORS = {NEW: "#e3f4e1", CHANGED: "#e1ecf7", UNCHANGED: "", INVALID: "#fbe1df"}


def _changes(r: PreviewRow) -> str:
    return "；".join(f"{c.field}：{c.old} → {c.new}" for c in r.changes)


COLUMNS = [
    Column("状态", lambda r: STATUS_LABELS[r.status], sort=lambda r: r.status, background=lambda r: STATUS_COLORS[r.status],
           width=70),
    Column("位置", lambda r: r.where, width=100),
    Column("行", lambda r: r.label, width=230),
    Column("变化", _changes, tooltip=lambda r: _changes(r).replace("；", "\n")),
    Column("问题", lambda r: "；".join(r.problems),
           foreground=lambda r: "#b3261e" if r.problems else None,
           tooltip=lambda r: "\n".join(r.problems), width=300),
]


class ImportPreviewDialog(QDialog):
    def __init__(self, preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(f"导入预览 — {preview.file_name}")
        self.resize(1000, 600)
        layout = QVBoxLayout(self)
        self.summary = QLabel(f"<b>{preview.summary()}</b>。导入前会自动备份，导入后可用“撤销上次导入”完整恢复。")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        if preview.problems or preview.notices:
            self.file_problems = QListWidget()
            for p in preview.problems:
                self.file_problems.addItem(f"错误：{p}")
            for n in preview.notices:
                self.file_problems.addItem(f"提示：{n}")
            self.file_problems.setMaximumHeight(110)
            layout.addWidget(self.file_problems)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("显示："))
        self.filter_group = QButtonGroup(self)
        self._filters: dict[QRadioButton, set[str]] = {}
        default = None
        for text, statuses in (("有变化和错误", {NEW, CHANGED, INVALID}), ("只看错误", {INVALID}),
                               ("全部", {NEW, CHANGED, UNCHANGED, INVALID})):
            count = sum(preview.count(s) for s in statuses)
            b = QRadioButton(f"{text}（{count}）")
            self._filters[b] = statuses
            self.filter_group.addButton(b)
            filters.addWidget(b)
            default = default or b
        filters.addStretch(1)
        layout.addLayout(filters)
        self.model = RowTableModel(COLUMNS)
        self.model.set_rows(preview.rows)
        self.proxy = FilterProxy(text_columns=(1, 2))
        self.proxy.setSourceModel(self.model)
        self.view = list_view(self.proxy, stretch=3)
        layout.addWidget(self.view, 1)
        self.skip_invalid = QCheckBox("跳过有错误的行，只导入无误的行（默认：有任何错误就不导入）")
        self.skip_invalid.setEnabled(preview.count(INVALID) > 0 and not preview.problems)
        layout.addWidget(self.skip_invalid)
        self.reason = QLabel()
        self.reason.setObjectName("errorText")
        self.reason.setWordWrap(True)
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("导入")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.filter_group.buttonToggled.connect(self._apply_filter)
        self.skip_invalid.toggled.connect(self._update_ok)
        default.setChecked(True)
        self._update_ok()

    def _apply_filter(self, button: QRadioButton, checked: bool) -> None:
        if checked:
            statuses = self._filters[button]
            self.proxy.set_predicate(lambda r: r.status in statuses)

    def _update_ok(self) -> None:
        p = self.preview
        if p.problems:
            reason = f"文件有 {len(p.problems)} 处问题（见上方），不能导入；请修改文件后重新导入。"
        elif not p.ok and not self.skip_invalid.isChecked():
            reason = f"有 {p.count(INVALID)} 行有错误（红色），请修改文件后重新导入，或勾选“跳过有错误的行”。"
        elif not any(r.status in (NEW, CHANGED) for r in p.rows):
            reason = "文件中的数据与系统中的完全一致，没有需要导入的内容。"
        else:
            reason = ""
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        self.ok_button.setEnabled(not reason)
