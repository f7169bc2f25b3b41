"""Column mapping for a user's own sheet: which column is which field; the choice is remembered."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.io.column_mapping import FieldSpec, Table, missing_required


class ColumnMappingDialog(QDialog):
    """Pick a field for each header. ``with_period`` adds the year and month the sheet is for."""

    def __init__(self, table: Table, fields: list[FieldSpec], guessed: dict[int, str], parent: QWidget | None = None,
                 *, with_period: tuple[int, int] | None = None) -> None:
        super().__init__(parent)
        self.table, self.fields = table, fields
        self.setWindowTitle(f"列对应关系 — 工作表“{table.sheet}”")
        self.resize(620, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(f"这个表格不是本软件导出的模板。请为每一列选择它对应的内容（表头在第 {table.header_row} 行，"
                       f"共 {len(table.rows)} 行数据）；不需要的列选“（不导入）”。选择会被记住，下次同样的表格无需再选。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.year = self.month = None
        if with_period is not None:
            box = QGroupBox("积分所属月份")
            form = QFormLayout(box)
            self.year = QSpinBox()
            self.year.setRange(2000, 2100)
            self.year.setValue(with_period[0])
            self.month = QSpinBox()
            self.month.setRange(1, 12)
            self.month.setValue(with_period[1])
            form.addRow("年份", self.year)
            form.addRow("月份", self.month)
            layout.addWidget(box)
        inner = QWidget()
        form = QFormLayout(inner)
        self.combos: dict[int, QComboBox] = {}
        for col, header in enumerate(table.headers):
            if not header:
                continue
            combo = QComboBox()
            combo.addItem("（不导入）", "")
            for f in fields:
                combo.addItem(f.label + ("（必填）" if f.required else ""), f.key)
            if col in guessed:
                combo.setCurrentIndex(combo.findData(guessed[col]))
            combo.currentIndexChanged.connect(self._check)
            self.combos[col] = combo
            form.addRow(f"“{header}”", combo)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout.addWidget(scroll, 1)
        self.message = QLabel()
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("下一步：预览")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._check()

    def mapping(self) -> dict[int, str]:
        return {col: c.currentData() for col, c in self.combos.items() if c.currentData()}

    def _check(self) -> None:
        chosen = list(self.mapping().values())
        labels = {f.key: f.label for f in self.fields}
        dupes = sorted({k for k in chosen if chosen.count(k) > 1})
        missing = missing_required(self.mapping(), self.fields)
        if dupes:
            text = f"多个列选择了同一内容：{'、'.join(labels[d] for d in dupes)}"
        elif missing:
            text = f"还需要指定：{'、'.join(f.label for f in missing)}"
        elif len(chosen) < 2:
            text = "至少还要选择一列要导入的内容"
        else:
            text = ""
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not text)
