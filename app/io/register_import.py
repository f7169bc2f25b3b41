"""Reading the member roster (党员花名册) and the organisation register (组织台账) from users' sheets.

Both go through the same column mapping as scores (guessed from the headers, or chosen once and
remembered); app.services.imports.registers previews them against the database and applies them.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from app.services.imports.sheets import ParsedRegister
from app.services.kernel.context import Ledger

from . import column_mapping as cm
from .score_import import _pick_sheet
from .workbook import cell_text, open_workbook

ROSTER, ORGS = "roster", "orgs"

FIELDS: dict[str, list[cm.FieldSpec]] = {
    ROSTER: [
        cm.FieldSpec("org_code", "组织编码", True, ("支部编码", "所在支部编码", "党组织编码", "支部代码", "编码")),
        cm.FieldSpec("name", "姓名", True, ("党员姓名",)),
        cm.FieldSpec("gender", "性别"),
        cm.FieldSpec("birth_date", "出生日期", False, ("出生年月", "出生时间")),
        cm.FieldSpec("ethnicity", "民族"),
        cm.FieldSpec("education", "学历", False, ("文化程度",)),
        cm.FieldSpec("joined_on", "入党时间", False, ("入党日期", "入党年月")),
        cm.FieldSpec("status", "党员类别", False, ("类别", "党员状态", "正式/预备")),
        cm.FieldSpec("post", "工作岗位", False, ("岗位", "职务", "工作单位及职务")),
        cm.FieldSpec("phone", "联系电话", False, ("电话", "手机", "手机号码")),
    ],
    ORGS: [
        cm.FieldSpec("code", "组织编码", True, ("编码", "代码", "组织代码", "党组织编码")),
        cm.FieldSpec("name", "党组织名称", True, ("名称", "组织名称", "党组织全称")),
        cm.FieldSpec("kind", "组织类型", False, ("类型", "党组织类型")),
        cm.FieldSpec("sector", "所属领域", False, ("领域",)),
        cm.FieldSpec("parent", "上级组织编码", False, ("上级编码", "上级党组织编码")),
        cm.FieldSpec("secretary", "书记", False, ("支部书记", "党组织书记")),
        cm.FieldSpec("contact", "联系方式", False, ("联系电话", "电话")),
        cm.FieldSpec("member_count", "党员人数", False, ("党员数",)),
        cm.FieldSpec("address", "地址", False, ("办公地址",)),
        cm.FieldSpec("established_on", "成立时间", False, ("成立日期",)),
        cm.FieldSpec("has_groups", "有党小组", False, ("设有党小组", "是否设党小组", "党小组")),
    ],
}
LABELS = {kind: {f.key: f.label for f in fields} for kind, fields in FIELDS.items()}


def read_table(path: Path | str, sheet: str | None = None) -> cm.Table:
    return _pick_sheet(open_workbook(path), Path(path).name, sheet)


def parse_register(ledger: Ledger, path: Path | str, kind: str, *, mapping: dict[int, str] | None = None,
                   sheet: str | None = None) -> ParsedRegister:
    path = Path(path)
    table = read_table(path, sheet)
    cols = cm.resolve(ledger, kind, table, FIELDS[kind], mapping)
    out = ParsedRegister(kind, path.name, labels=LABELS[kind])
    for rng in table.merged:
        out.problems.append(f"{table.sheet}!{rng}: 合并了单元格，请取消合并")
    for r, values in table.rows:
        row: dict[str, object] = {}
        for col, key in cols.items():
            raw = values[col] if col < len(values) else None
            if isinstance(raw, str) and raw.strip().startswith("="):
                out.problems.append(f"{table.sheet}!{cm_letter(col)}{r}: 含公式，请改为直接填写内容")
                raw = None
            # Dates stay dates (Excel gives datetimes); everything else is compared and stored as text.
            if isinstance(raw, datetime):
                raw = raw.date()
            row[key] = raw if isinstance(raw, date) else cell_text(raw)
        out.rows.append((f"{table.sheet}!{r}", row))
    return out


def cm_letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col + 1)
