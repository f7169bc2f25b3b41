"""月度工作任务清单 from a user's sheet: one row per task (任务名称, 完成时限, optional 责任单位编码 and
责任人). The workbook is opened through the zip guard (open_workbook); the rows become ListLines that the
task-list service checks like typed ones, each named by its sheet row."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from app.services.kernel.context import Ledger
from app.services.tracking.task_lists import ListLine

from . import column_mapping as cm
from .score_import import _pick_sheet
from .workbook import cell_text, open_workbook

KIND = "task_list"
FIELDS = [
    cm.FieldSpec("title", "任务名称", True, ("任务", "工作任务", "任务内容", "工作内容")),
    cm.FieldSpec("due", "完成时限", False, ("时限", "完成时间", "截止日期", "办结时限")),
    cm.FieldSpec("owners", "责任单位编码", False, ("责任单位", "组织编码", "牵头单位编码")),
    cm.FieldSpec("person", "责任人", False, ("具体责任人",)),
]


def _value(v: object) -> object:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    return cell_text(v)


def read_lines(ledger: Ledger, path: Path | str, sheet: str | None = None) -> list[ListLine]:
    path = Path(path)
    table = _pick_sheet(open_workbook(path), path.name, sheet)
    cols = cm.resolve(ledger, KIND, table, FIELDS)
    out = []
    for n, values in table.rows:
        row = {key: _value(values[col]) for col, key in cols.items() if col < len(values)}
        owners = [c.strip() for c in str(row.get("owners") or "").replace("，", "、").replace(",", "、").split("、")
                  if c.strip()]
        out.append(ListLine(f"{table.sheet} 第 {n} 行", row.get("title"), row.get("due"), tuple(owners),
                            row.get("person") or ""))
    return out
