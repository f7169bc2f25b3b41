"""Qt models of 月度积分: the month grid (organisations × scoring items) and one organisation's year.

The grid is a model over the arrays of a ``MonthGrid`` (app.services.grid): no widget per cell,
so 3,000 organisations load as fast as the SQL behind them. Writes go through
app.services.scores; after a write only the touched organisation's row is re-read.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.enums import ItemKind, WarningLevel, quarter_of
from app.domain.points import ZERO, fmt, parse_points
from app.domain.scheme import SchemeCategory, SchemeItem
from app.errors import LedgerError, StaleError
from app.services.kernel.context import Ledger
from app.services.scoring import grid as grid_service
from app.services.scoring import scores
from app.services.scoring.grid import GridCell, MonthGrid
from ui.models.base import SORT_ROLE

MARKER_ROLE = Qt.ItemDataRole.UserRole + 10  # True when linked work records add points to the cell
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 11

COL_PARENT, COL_ORG, COL_MONTH, COL_QTD = 0, 1, 2, 3
FIXED = 4  # columns before the first item: totals sit beside the name so they stay in view
DEDUCTION_FG = QColor("#b3261e")
REFUSED_BG = QColor("#f6c9c6")


def level_brush(level: WarningLevel) -> QBrush | None:
    """A light tint of the level's colour: readable black text on it, still unmistakable."""
    if level == WarningLevel.NONE:
        return None
    c = QColor(level.color)
    c.setAlpha(110)
    return QBrush(c)


HEADER_LINE_MAX = 8  # characters per header line; the column widens to fit up to this


def short_name(name: str) -> str:
    """An item's name on two lines of equal length for a column header; a name longer than two full lines
    keeps both ends (the full name is the header's tooltip)."""
    if len(name) > 2 * HEADER_LINE_MAX:
        name = name[:HEADER_LINE_MAX] + "…" + name[-(HEADER_LINE_MAX - 1):]
    if len(name) <= 4:
        return name
    half = (len(name) + 1) // 2
    return name[:half] + "\n" + name[half:]


def item_tooltip(cat: SchemeCategory, item: SchemeItem) -> str:
    lines = [f"{item.code} {item.name}", f"类别：{cat.name}（{item.kind.label}）"]
    if item.kind is ItemKind.VETO:
        lines.append("发生填 1，未发生留空；任何一次都使全年定为 C 类并触发红色预警")
    else:
        lines.append(f"每次 {fmt(item.points)} 分")
    caps = []
    if item.monthly_cap is not None:
        caps.append(f"月上限 {fmt(item.monthly_cap)} 分")
    if item.yearly_cap is not None:
        caps.append(f"年上限 {fmt(item.yearly_cap)} 分")
    if caps:
        lines.append("，".join(caps))
    if item.record_type:
        lines.append(f"登记“{item.record_type}”工作记录自动计分")
    if item.standard:
        lines.append(f"标准：{item.standard}")
    return "\n".join(lines)


def cell_tooltip(item: SchemeItem, cell: GridCell | None) -> str:
    if cell is None:
        return "未录入"
    if item.kind is ItemKind.VETO:
        return "已发生一票否决事项" if (cell.manual_count or cell.record_count) else "未发生"
    parts = []
    if cell.manual_points is not None:
        parts.append(f"手工 {fmt(cell.manual_points)}")
    if cell.record_count:
        parts.append(f"工作记录 {cell.record_count} 条 {fmt(cell.record_points)}")
    raw = (cell.manual_points or ZERO) + cell.record_points
    text = " + ".join(parts) + f"，计入 {fmt(cell.effective)}"
    if cell.effective < raw:
        text += "（已按上限封顶）"
    return text


@dataclass(frozen=True)
class CellChange:
    org_code: str
    item_code: str
    before: tuple[Decimal | None, int | None]
    after: tuple[Decimal | None, int | None]


@dataclass(frozen=True)
class UndoStep:
    """One Ctrl+Z: a typed cell, or every cell of one paste, clear or fill-down."""

    year: int
    month: int
    changes: tuple[CellChange, ...]
    label: str

    @property
    def org_code(self) -> str:
        return self.changes[0].org_code

    @property
    def item_code(self) -> str:
        return self.changes[0].item_code


class MonthGridModel(QAbstractTableModel):
    def __init__(self, ledger: Ledger, parent=None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.grid: MonthGrid | None = None
        self.items: list[tuple[SchemeCategory, SchemeItem]] = []
        self.row_of: dict[str, int] = {}
        self.undo_stack: list[UndoStep] = []
        # (year, quarter) → earlier quarters' figures, kept while nothing before that quarter changes
        self._priors: dict[tuple[int, int], dict[str, int]] = {}
        self.busy = False  # set while the page reads another month in the background
        # (org, item) → why a pasted value was refused: the cell is tinted and its tooltip says so
        # until it is written or the month is read again.
        self.cell_errors: dict[tuple[str, str], str] = {}

    # --- loading -------------------------------------------------------------------------
    def prior_for(self, year: int, month: int) -> dict[str, int] | None:
        """Earlier quarters' figures kept from an earlier read of the same quarter."""
        return self._priors.get((year, quarter_of(month)))

    def forget_priors(self) -> None:
        self._priors.clear()

    def load(self, year: int, month: int, *, reuse: bool = False) -> None:
        """Read the month here (the page reads in the background and calls ``set_grid``).

        ``reuse`` keeps the earlier quarters' figures of the same quarter (month switching); a
        refresh after an outside change recomputes everything."""
        prior = self.prior_for(year, month) if reuse else None
        self.set_grid(grid_service.month_grid(self.ledger, year, month, prior_below=prior))

    def set_grid(self, grid: MonthGrid) -> None:
        self.beginResetModel()
        self.grid = grid
        self._priors[(grid.year, quarter_of(grid.month))] = grid.prior_below
        self.items = grid.scheme.items()
        self.row_of = {o.code: i for i, o in enumerate(grid.orgs)}
        self.busy = False
        self.cell_errors = {}
        self.endResetModel()

    def _row_lock(self, row: int) -> str:
        """The lock of this row's subtree when only part of the month is locked ("" when the row is open)."""
        if self.grid is None or not 0 <= row < len(self.grid.orgs):
            return ""
        return self.grid.locked_rows.get(self.grid.orgs[row].code, "")

    @property
    def locked(self) -> bool:
        """Not editable: a locked month, or another month being read (the grid still shows the old one)."""
        return self.busy or bool(self.grid and self.grid.lock_text)

    def total_columns(self) -> tuple[int, int]:
        return COL_MONTH, COL_QTD

    def item_at(self, column: int) -> SchemeItem | None:
        i = column - FIXED
        return self.items[i][1] if 0 <= i < len(self.items) else None

    def column_of(self, item_code: str) -> int:
        return next(FIXED + i for i, (_c, it) in enumerate(self.items) if it.code == item_code)

    # --- Qt model API --------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.grid is None else len(self.grid.orgs)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIXED + len(self.items)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        month_col, qtd_col = self.total_columns()
        if role == Qt.ItemDataRole.DisplayRole:
            if section == COL_PARENT:
                return "上级党委"
            if section == COL_ORG:
                return "党组织"
            if section == month_col:
                return "本月\n合计"
            if section == qtd_col:
                return "本季\n累计"
            item = self.items[section - FIXED][1]
            return short_name(item.name)
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == month_col:
                return "本月各项积分合计（扣分已减去）"
            if section == qtd_col:
                return "本季度截至本月的积分；底色表示按此分数将得到的预警等级"
            if section >= FIXED:
                return item_tooltip(*self.items[section - FIXED])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.item_at(index.column()) is not None and not self.locked and not self._row_lock(index.row()):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.grid is None:
            return None
        org = self.grid.orgs[index.row()]
        col = index.column()
        month_col, qtd_col = self.total_columns()
        if role == MARKER_ROLE:
            # Always a bool: reading a None back through index.data() leaks a reference in PySide6 6.12.
            if col < FIXED:
                return False
            cell = self.grid.cells.get((org.code, self.items[col - FIXED][1].code))
            return bool(cell and cell.record_count)
        if col in (COL_PARENT, COL_ORG):
            if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
                return org.parent_name if col == COL_PARENT else org.name
            if role == Qt.ItemDataRole.ToolTipRole:
                return org.parent_name if col == COL_PARENT else f"{org.name}（{org.code}）"
            return None
        if col in (month_col, qtd_col):
            t = self.grid.totals[org.code]
            value = t.month if col == month_col else t.quarter_to_date
            if role == Qt.ItemDataRole.DisplayRole:
                return fmt(value)
            if role == SORT_ROLE:
                return float(value)  # sorting only; the shown text stays the exact Decimal
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if col == qtd_col:
                if role == Qt.ItemDataRole.BackgroundRole:
                    return level_brush(t.level)
                if role == LEVEL_ROLE:
                    return t.level
                if role == Qt.ItemDataRole.ToolTipRole:
                    if t.level == WarningLevel.NONE:
                        return "按本季截至本月的积分，不会预警"
                    return f"按本季截至本月的积分将得到{t.level.label}预警（{t.level.action}）：" + "；".join(t.reasons)
            return None
        item = self.items[col - FIXED][1]
        cell = self.grid.cells.get((org.code, item.code))
        if role == Qt.ItemDataRole.DisplayRole:
            if cell is None:
                return ""
            if item.kind is ItemKind.VETO:
                return "1" if (cell.manual_count or cell.record_count) else ""
            if cell.manual_points is None and cell.record_count == 0:
                return ""
            return fmt(cell.effective)
        if role == Qt.ItemDataRole.EditRole:
            if cell is None:
                return ""
            if item.kind is ItemKind.VETO:
                return "" if cell.manual_count is None else str(cell.manual_count)
            return "" if cell.manual_points is None else fmt(cell.manual_points)
        if role == SORT_ROLE:
            return float(cell.effective) if cell else 0.0
        if role == Qt.ItemDataRole.ToolTipRole:
            refused = self.cell_errors.get((org.code, item.code))
            return f"未录入：{refused}" if refused else cell_tooltip(item, cell)
        if role == Qt.ItemDataRole.BackgroundRole and (org.code, item.code) in self.cell_errors:
            return QBrush(REFUSED_BG)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and item.kind.sign < 0:
            return QBrush(DEDUCTION_FG)
        return None

    # --- writing -------------------------------------------------------------------------
    def _parse(self, item: SchemeItem, text: str) -> tuple[Decimal | None, int | None]:
        text = text.strip()
        if not text:
            return None, None
        if item.kind is ItemKind.VETO:
            if not text.isdigit():
                raise ValueError(f"一票否决事项“{item.name}”只能填 1（发生）或 0（未发生），收到“{text}”")
            return (None, None) if int(text) == 0 else (None, int(text))  # more than 1 is refused by the service
        # Caps (counting the points linked work records already earn), locks and the rest are judged by
        # the service with every other entry path (scoring.cell_rules).
        return parse_points(text, field=f"“{item.name}”的分值"), None

    def write(self, index: QModelIndex | QPersistentModelIndex, text: str) -> str | None:
        """Save what was typed in a cell; the error in words, or None when saved (or unchanged)."""
        if self.grid is None or self.locked:
            if self.busy:
                return "正在载入所选月份，请稍候再录入"
            return self.grid.lock_text if self.grid else "没有可录入的月份"
        item = self.item_at(index.column())
        if item is None:
            return "这一列不能录入"
        org = self.grid.orgs[index.row()]
        if row_lock := self._row_lock(index.row()):
            return row_lock
        try:
            after = self._parse(item, text)
        except ValueError as e:
            return str(e)
        cell = self.grid.cells.get((org.code, item.code))
        before = (cell.manual_points, cell.manual_count) if cell else (None, None)
        if before == after:
            return None
        change = CellChange(org.code, item.code, before, after)
        # ``seen``: on a server another client may have saved this cell since the grid was read; then the
        # save is refused naming who and when, the row shows their value, and saving again overwrites it.
        error = self._apply(self.grid.year, self.grid.month, [change], lambda c: c.after, seen=lambda c: c.before)
        if error is None:
            self.undo_stack.append(UndoStep(self.grid.year, self.grid.month, (change,), f"{org.name} {item.name}"))
        return error

    def write_block(self, cells: list[tuple[QModelIndex | QPersistentModelIndex, str]],
                    verb: str = "粘贴") -> tuple[int, list[str]]:
        """Write many cells at once (a paste, a clear, a fill-down): every cell judged by the same rules as
        typing, the accepted ones written in one transaction and undone by one Ctrl+Z.
        Returns (cells written, each refused cell as "organisation item：reason")."""
        if self.grid is None or self.locked:
            reason = ("正在载入所选月份，请稍候再录入" if self.busy else
                      self.grid.lock_text if self.grid else "没有可录入的月份")
            return 0, [reason] if cells else []
        refused: list[str] = []
        changes: list[CellChange] = []
        for index, text in cells:
            item = self.item_at(index.column())
            org = self.grid.orgs[index.row()] if 0 <= index.row() < len(self.grid.orgs) else None
            if item is None or org is None:
                refused.append(f"第 {index.column() + 1} 列：这一列不能录入")
                continue
            try:
                after = self._parse(item, text)
            except ValueError as e:
                self.cell_errors[(org.code, item.code)] = str(e)
                refused.append(f"{org.name} {item.name}：{e}")
                continue
            cell = self.grid.cells.get((org.code, item.code))
            before = (cell.manual_points, cell.manual_count) if cell else (None, None)
            if before != after:
                changes.append(CellChange(org.code, item.code, before, after))
        if changes:
            year, month = self.grid.year, self.grid.month
            # ``seen``: a cell another client saved since this grid was read is refused (named who and
            # when) and shows their value; pasting again overwrites it, as typing does.
            entries = [scores.ScoreEntry(c.org_code, c.item_code, month, c.after[1], c.after[0], seen=c.before)
                       for c in changes]
            try:
                _result, why = scores.write_accepted(self.ledger, year, entries, action=f"{verb}积分")
            except LedgerError as e:
                return 0, [*refused, str(e)]
            names = {o.code: o.name for o in self.grid.orgs}
            items = {it.code: it.name for _c, it in self.items}
            for i, reason in why.items():
                c = changes[i]
                self.cell_errors[(c.org_code, c.item_code)] = reason
                refused.append(f"{names.get(c.org_code, c.org_code)} {items.get(c.item_code, c.item_code)}：{reason}")
            done = tuple(c for i, c in enumerate(changes) if i not in why)
            if done:
                self.undo_stack.append(UndoStep(year, month, done, f"{verb} {len(done)} 个单元格"))
                self._after_write(year, month, done)
            for org_code in dict.fromkeys(changes[i].org_code for i in why):
                self.refresh_org(org_code)  # a refused cell may hold another client's newer value
            return len(done), refused
        return 0, refused

    def _apply(self, year: int, month: int, changes: list[CellChange] | tuple[CellChange, ...],
               value, seen=None) -> str | None:
        """Write ``value(change)`` for every change in one transaction (all or nothing); with ``seen``,
        refused (StaleError) when another client changed a cell from ``seen(change)`` meanwhile."""
        entries = [scores.ScoreEntry(c.org_code, c.item_code, month, value(c)[1], value(c)[0],
                                     seen=seen(c) if seen else None) for c in changes]
        try:
            scores.write_scores(self.ledger, year, entries)
        except StaleError as e:
            if self.grid is not None and (self.grid.year, self.grid.month) == (year, month):
                for org_code in dict.fromkeys(c.org_code for c in changes):
                    self.refresh_org(org_code)
            return str(e)
        except LedgerError as e:
            return str(e)
        self._after_write(year, month, changes)
        return None

    def _after_write(self, year: int, month: int, changes) -> None:
        changed = (year, quarter_of(month))
        # Only later quarters look back at this one: their kept figures are now stale.
        self._priors = {k: v for k, v in self._priors.items() if k <= changed}
        for c in changes:
            self.cell_errors.pop((c.org_code, c.item_code), None)
        if self.grid is not None and (self.grid.year, self.grid.month) == (year, month):
            for org_code in dict.fromkeys(c.org_code for c in changes):
                self.refresh_org(org_code)

    def undo(self) -> tuple[str | None, UndoStep | None]:
        """Write the previous values of the last step back; (error, the step undone)."""
        if not self.undo_stack:
            return "没有可撤销的录入", None
        step = self.undo_stack[-1]
        error = self._apply(step.year, step.month, step.changes, lambda c: c.before, seen=lambda c: c.after)
        if error is None:
            self.undo_stack.pop()
        return error, step

    def refresh_org(self, org_code: str) -> None:
        """Re-read one organisation's row (its cells and totals) after a write."""
        if self.grid is None or org_code not in self.row_of:
            return
        part = grid_service.month_grid(self.ledger, self.grid.year, self.grid.month, [org_code],
                                       prior_below=self.grid.prior_below)
        for key in [k for k in self.grid.cells if k[0] == org_code]:
            del self.grid.cells[key]
        self.grid.cells.update(part.cells)
        if org_code in part.totals:
            self.grid.totals[org_code] = part.totals[org_code]
        row = self.row_of[org_code]
        self.dataChanged.emit(self.index(row, COL_MONTH), self.index(row, self.columnCount() - 1))
