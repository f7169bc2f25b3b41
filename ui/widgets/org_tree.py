"""Tick many organisations in their tree: ticking a 党委 ticks every organisation under it.

Fill it with ``set_orgs(orgs)`` (objects with ``.code``, ``.name`` and ``.parent_code``, e.g. OrgInfo, in any
order); ``checked_codes()`` are the ticked organisations that have none under them (the branches a list goes
to), in tree order.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

CODE = Qt.ItemDataRole.UserRole


class OrgTree(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)

    def set_orgs(self, orgs: Iterable[object]) -> None:
        self.clear()
        rows = list(orgs)
        known = {o.code for o in rows}
        items: dict[str, QTreeWidgetItem] = {}
        for o in rows:
            item = QTreeWidgetItem([f"{o.name}（{o.code}）"])
            item.setData(0, CODE, o.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            items[o.code] = item
        for o in rows:
            parent = items.get(o.parent_code) if o.parent_code in known else None
            if parent is not None:
                parent.addChild(items[o.code])
            else:
                self.addTopLevelItem(items[o.code])
        self.expandToDepth(1)

    def _items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []

        def walk(item: QTreeWidgetItem) -> None:
            out.append(item)
            for i in range(item.childCount()):
                walk(item.child(i))

        for i in range(self.topLevelItemCount()):
            walk(self.topLevelItem(i))
        return out

    def set_checked(self, codes: Iterable[str]) -> None:
        wanted = set(codes)
        for item in self._items():
            if item.childCount() == 0 and item.data(0, CODE) in wanted:
                item.setCheckState(0, Qt.CheckState.Checked)

    def checked_codes(self) -> list[str]:
        return [item.data(0, CODE) for item in self._items()
                if item.childCount() == 0 and item.checkState(0) == Qt.CheckState.Checked]
