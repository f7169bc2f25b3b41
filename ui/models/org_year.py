"""One organisation's year in 月度积分: months and quarter subtotals × items (read-only)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.enums import quarter_months
from app.domain.points import ZERO, fmt
from app.domain.scheme import SchemeCategory, SchemeItem
from app.services.scoring import scores

from .monthly_grid import DEDUCTION_FG, MARKER_ROLE, item_tooltip, short_name

TOTAL_COL = 0  # the total sits first, always in view


class OrgYearModel(QAbstractTableModel):
    """One organisation's year: months and quarter subtotals × items, the row total first (read-only)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.items: list[tuple[SchemeCategory, SchemeItem]] = []
        self.values: dict[tuple[str, int], Decimal] = {}  # (item, month) → effective magnitude
        self.markers: set[tuple[str, int]] = set()
        # Row layout: 1–3月, 第一季度, 4–6月, 第二季度, … then 全年.
        self.rows: list[tuple[str, tuple[int, ...]]] = []
        for q in range(1, 5):
            months = quarter_months(q)
            self.rows += [(f"{m} 月", (m,)) for m in months]
            self.rows.append((f"第{'一二三四'[q - 1]}季度", months))
        self.rows.append(("全年累计", tuple(range(1, 13))))

    def set_data(self, items: list[tuple[SchemeCategory, SchemeItem]], cells: list[scores.ScoreCell]) -> None:
        self.beginResetModel()
        self.items = items
        self.values = {(c.item_code, c.month): c.effective for c in cells}
        self.markers = {(c.item_code, c.month) for c in cells if c.record_count}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items) + 1

    def month_of_row(self, row: int) -> int | None:
        months = self.rows[row][1]
        return months[0] if len(months) == 1 else None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Vertical:
                return self.rows[section][0]
            if section == TOTAL_COL:
                return "合计"
            item = self.items[section - 1][1]
            return short_name(item.name)
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Vertical and section == len(self.rows) - 1:
            return "各月积分相加，未按类别年度上限折算；年度得分见“年度定级”"
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return "各项积分合计（扣分已减去）" if section == TOTAL_COL else item_tooltip(*self.items[section - 1])
        return None

    def _sum(self, item: SchemeItem, months: tuple[int, ...]) -> Decimal:
        return sum((self.values.get((item.code, m), ZERO) for m in months), ZERO)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        months = self.rows[index.row()][1]
        col = index.column()
        if role == MARKER_ROLE:  # always a bool (see MonthGridModel.data)
            return col != TOTAL_COL and len(months) == 1 and (self.items[col - 1][1].code, months[0]) in self.markers
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and len(months) > 1:
            return QBrush(QColor("#eef2f7"))
        if col == TOTAL_COL:
            if role == Qt.ItemDataRole.DisplayRole:
                return fmt(sum((it.kind.sign * self._sum(it, months) for _c, it in self.items), ZERO))
            return None
        item = self.items[col - 1][1]
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._sum(item, months)
            has = any((item.code, m) in self.values for m in months)
            return fmt(value) if has else ""
        if role == Qt.ItemDataRole.ForegroundRole and item.kind.sign < 0:
            return QBrush(DEDUCTION_FG)
        return None
