"""Pickers for year, month, quarter and organisation, with Chinese labels.

Signals: YearSpin.valueChanged(int), MonthCombo.monthChanged(int 1–12),
QuarterCombo.quarterChanged(int 1–4), OrgPicker.orgChanged(code or None).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QSpinBox, QWidget

QUARTER_LABELS = ("第一季度", "第二季度", "第三季度", "第四季度")


class YearSpin(QSpinBox):
    """A year between 2000 and 2099, shown as “2026 年”; ``valueChanged(int)`` as usual."""

    def __init__(self, year: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(2000, 2099)
        self.setSuffix(" 年")
        self.setValue(year or date.today().year)
        self.setAccelerated(True)

    def year(self) -> int:
        return self.value()


class MonthCombo(QComboBox):
    """1月 … 12月; ``month()`` returns 1–12."""

    monthChanged = Signal(int)

    def __init__(self, month: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for m in range(1, 13):
            self.addItem(f"{m}月", m)
        self.set_month(month or date.today().month)
        self.currentIndexChanged.connect(lambda i: self.monthChanged.emit(i + 1))

    def month(self) -> int:
        return self.currentIndex() + 1

    def set_month(self, month: int) -> None:
        self.setCurrentIndex(max(1, min(12, month)) - 1)


class QuarterCombo(QComboBox):
    """第一季度 … 第四季度; ``quarter()`` returns 1–4."""

    quarterChanged = Signal(int)

    def __init__(self, quarter: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for q, label in enumerate(QUARTER_LABELS, 1):
            self.addItem(label, q)
        self.set_quarter(quarter or (date.today().month - 1) // 3 + 1)
        self.currentIndexChanged.connect(lambda i: self.quarterChanged.emit(i + 1))

    def quarter(self) -> int:
        return self.currentIndex() + 1

    def set_quarter(self, quarter: int) -> None:
        self.setCurrentIndex(max(1, min(4, quarter)) - 1)


class OrgPicker(QComboBox):
    """Pick an organisation; type part of its name or code to narrow the list.

    Fill it with ``set_orgs(orgs)`` (any objects with ``.code`` and ``.name``, e.g. OrgInfo).
    ``code()`` is the chosen code or None; ``orgChanged`` emits it.
    """

    orgChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, allow_none: str | None = None) -> None:
        super().__init__(parent)
        self._allow_none = allow_none  # label of an empty choice, e.g. “（无）”
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(16)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self._model = QStandardItemModel(self)
        self.setModel(self._model)
        completer = QCompleter(self)
        completer.setModel(self._model)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.lineEdit().setPlaceholderText("输入名称或编码查找")
        self.currentIndexChanged.connect(lambda _i: self.orgChanged.emit(self.code()))

    def set_orgs(self, orgs: Iterable[object]) -> None:
        keep = self.code()
        self.blockSignals(True)
        self._model.clear()
        if self._allow_none is not None:
            item = QStandardItem(self._allow_none)
            item.setData(None, Qt.ItemDataRole.UserRole)
            self._model.appendRow(item)
        for org in orgs:
            item = QStandardItem(f"{org.name}（{org.code}）")
            item.setData(org.code, Qt.ItemDataRole.UserRole)
            self._model.appendRow(item)
        self.blockSignals(False)
        if keep is not None and self.set_code(keep):
            return
        self.setCurrentIndex(0 if self._model.rowCount() else -1)

    def code(self) -> str | None:
        i = self.currentIndex()
        return self.itemData(i, Qt.ItemDataRole.UserRole) if i >= 0 else None

    def set_code(self, code: str | None) -> bool:
        """Select ``code``; returns False when it is not in the list."""
        for row in range(self._model.rowCount()):
            if self._model.item(row).data(Qt.ItemDataRole.UserRole) == code:
                self.setCurrentIndex(row)
                return True
        return False
