"""下发月度任务清单: a month, the organisations it goes to (ticked in the tree), its lines (typed, or read
from an Excel sheet), a preview of every task it will write, and then all of it or nothing. Preview and
saving call app.services.tracking.task_lists (the service ``task-lists issue`` calls); a refusal names the
line (第 n 行, or the sheet's row) and stays in the dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import LedgerError
from app.services.kernel.context import Ledger
from app.services.register import orgs
from app.services.tracking import task_lists
from ui.widgets.files import open_file
from ui.widgets.org_tree import OrgTree

from .base import ServiceDialog

LINE_HEADERS = ("任务名称", "完成时限", "责任单位编码", "责任人")
PREVIEW_HEADERS = ("行", "任务名称", "完成时限", "责任单位", "责任人")
WHERE = Qt.ItemDataRole.UserRole


def _table(headers: tuple[str, ...], stretch: int = 0) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(list(headers))
    t.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    t.verticalHeader().setDefaultSectionSize(24)
    return t


class IssueListDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, month: str, parent: QWidget | None = None) -> None:
        super().__init__("下发月度工作任务清单", parent,
                         intro="月初拟定工作任务清单：勾选责任单位（勾选党委即勾选其下全部组织），逐行填写任务或从 Excel 读取；"
                               "完成时限不填为月末，责任单位编码不填为勾选的单位。先预览，保存时任何一行有问题，整张清单都不写入。")
        self.ledger = ledger
        self.setMinimumSize(940, 560)
        self.month = self.line("清单月份", month, "如 2026-11")
        self.issued = self.line("交办日期", "", "不填为当月 1 日")

        self.tree = OrgTree()
        self.tree.set_orgs(orgs.list_orgs(ledger, include_inactive=False))
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel("下发给"))
        ll.addWidget(self.tree, 1)

        self.lines = _table(LINE_HEADERS)
        self.add_row_button = QPushButton("添加一行")
        self.remove_row_button = QPushButton("删除所选行")
        self.excel_button = QPushButton("从 Excel 读取…")
        self.preview_button = QPushButton("预览")
        buttons = QHBoxLayout()
        for b in (self.add_row_button, self.remove_row_button, self.excel_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        self.preview = _table(PREVIEW_HEADERS, stretch=1)
        self.preview.verticalHeader().hide()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_total = QLabel("点“预览”查看将下发的每一项任务")
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel("任务"))
        rl.addWidget(self.lines, 2)
        rl.addLayout(buttons)
        rl.addWidget(self.preview_total)
        rl.addWidget(self.preview, 3)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([360, 600])
        self.form.addRow(split)
        self.buttons.button(self.buttons.StandardButton.Ok).setText("下发")

        self.add_row_button.clicked.connect(lambda: self.add_line())
        self.remove_row_button.clicked.connect(self._remove_rows)
        self.excel_button.clicked.connect(self._choose_excel)
        self.preview_button.clicked.connect(self.show_preview)
        for _ in range(3):
            self.add_line()

    # --- lines -------------------------------------------------------------------------------
    def add_line(self, title: str = "", due: str = "", owners: str = "", person: str = "", where: str = "") -> int:
        r = self.lines.rowCount()
        self.lines.insertRow(r)
        for c, v in enumerate((title, due, owners, person)):
            item = QTableWidgetItem(v)
            if c == 0 and where:
                item.setData(WHERE, where)  # a sheet's row keeps its name in messages
            self.lines.setItem(r, c, item)
        return r

    def _remove_rows(self) -> None:
        for r in sorted({i.row() for i in self.lines.selectedIndexes()}, reverse=True):
            self.lines.removeRow(r)

    def _cell(self, r: int, c: int) -> str:
        item = self.lines.item(r, c)
        return item.text().strip() if item is not None else ""

    def list_lines(self) -> list[task_lists.ListLine]:
        """The filled rows as the service takes them; an empty row is skipped."""
        out = []
        for r in range(self.lines.rowCount()):
            values = [self._cell(r, c) for c in range(len(LINE_HEADERS))]
            if not any(values):
                continue
            first = self.lines.item(r, 0)
            where = (first.data(WHERE) if first is not None else None) or f"第 {r + 1} 行"
            owners = tuple(c.strip() for c in values[2].replace("，", "、").replace(",", "、").split("、") if c.strip())
            out.append(task_lists.ListLine(where, values[0], values[1] or None, owners, values[3]))
        return out

    def load_excel(self, path: str) -> int:
        """Append the sheet's rows; a sheet that cannot be read is named in the dialog. Returns rows read."""
        from app.io.task_list_import import read_lines

        try:
            read = read_lines(self.ledger, path)
        except LedgerError as exc:
            self.show_message(str(exc))
            return 0
        for r in reversed(range(self.lines.rowCount())):
            if not any(self._cell(r, c) for c in range(len(LINE_HEADERS))):
                self.lines.removeRow(r)
        for ln in read:
            due = ln.due.isoformat() if hasattr(ln.due, "isoformat") else str(ln.due or "")
            self.add_line(str(ln.title or ""), due, "、".join(ln.owners), str(ln.person or ""), ln.where)
        self.show_message("")
        self.preview_total.setText(f"已从 Excel 读取 {len(read)} 行，点“预览”检查")
        return len(read)

    def _choose_excel(self) -> None:
        path = open_file(self, "选择任务清单", "Excel 工作簿 (*.xlsx)")
        if path:
            self.load_excel(path)

    # --- preview and save --------------------------------------------------------------------
    def show_preview(self) -> bool:
        try:
            planned = task_lists.preview(self.ledger, self.month.text(), self.tree.checked_codes(), self.list_lines(),
                                         issued=self.issued.text())
        except LedgerError as exc:
            self.preview.setRowCount(0)
            self.preview_total.setText("预览未通过，请按下面的说明修改")
            self.show_message(str(exc))
            return False
        self.show_message("")
        self.preview.setRowCount(len(planned))
        for r, p in enumerate(planned):
            for c, v in enumerate((p.where, p.title, p.due.isoformat(), f"{p.owner_name}（{p.owner_code}）", p.person)):
                self.preview.setItem(r, c, QTableWidgetItem(v))
        for c in (0, 2, 3):
            self.preview.resizeColumnToContents(c)
        owners = len({p.owner_code for p in planned})
        self.preview_total.setText(f"将下发 {len(planned)} 项任务给 {owners} 个责任单位")
        return True

    def save(self):
        return task_lists.issue(self.ledger, self.month.text(), self.tree.checked_codes(), self.list_lines(),
                                issued=self.issued.text())
