"""Reading scores from a workbook: a filled entry template, or a user's own sheet via a column mapping.

Parsing only reads the file and checks each cell on its own (numbers, caps, headers, layout);
what the values mean against the database (new/changed, locks, yearly caps) is worked out by
app.services.imports, which also writes.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl.workbook import Workbook

from app.domain.enums import ItemKind
from app.domain.points import fmt
from app.domain.scheme import Scheme
from app.errors import ValidationError
from app.services.imports.sheets import ParsedScores, ScoreValue
from app.services.kernel import validate
from app.services.kernel.context import Ledger
from app.services.scoring import schemes

from . import column_mapping as cm
from .template import FIRST_COL, HEADER_ROW, INFO_SHEET, META_SHEET, TEMPLATE_KIND, item_header, sheet_name
from .workbook import cell_points, cell_text, is_blank, open_workbook, where

MAPPING_KIND = "scores"


class NotATemplate(ValidationError):
    """A user's own sheet: it needs a year, a month and a column mapping; ``table`` is what was read."""

    def __init__(self, message: str, table: cm.Table) -> None:
        super().__init__(message)
        self.table = table


def _meta(wb: Workbook) -> dict[str, str] | None:
    if META_SHEET not in wb.sheetnames:
        return None
    return {cell_text(r[0]): cell_text(r[1]) for r in wb[META_SHEET].iter_rows(values_only=True) if r and r[0]}


def _value(item, raw: object, loc: str, problems: list[str]) -> tuple[Decimal | None, int | None] | None:
    """(points, count) for a cell, or None after adding a problem."""
    try:
        pts = cell_points(raw)
    except ValueError as e:
        problems.append(f"{loc}: {e}")
        return None
    if pts is None:
        return (None, None)
    if item.kind is ItemKind.VETO:
        if pts != pts.to_integral_value():
            problems.append(f"{loc}: 一票否决事项只能填 0 或 1，收到 {fmt(pts)}")
            return None
        return (None, int(pts))  # a count past 1 is refused with every other entry path
    return (pts, None)  # caps, locks and the rest are judged with every other entry path (scoring.cell_rules)


def parse_scores(ledger: Ledger, path: Path | str, *, year: int | None = None, month: int | None = None,
                 mapping: dict[int, str] | None = None, sheet: str | None = None) -> ParsedScores:
    """Read a score workbook. A template needs nothing else; a user's sheet needs year and month."""
    path = Path(path)
    wb = open_workbook(path)
    meta = _meta(wb)
    if meta is not None:
        return _parse_template(ledger, path.name, wb, meta)
    if year is None or month is None:
        raise NotATemplate(f"“{path.name}”不是本软件导出的填报模板；导入自制表格时请指定年份和月份",
                           _pick_sheet(wb, path.name, sheet))
    return _parse_mapped(ledger, path.name, wb, validate.year(year), validate.month(month), mapping, sheet)


def _parse_template(ledger: Ledger, file_name: str, wb: Workbook, meta: dict[str, str]) -> ParsedScores:
    if meta.get("kind") != TEMPLATE_KIND:
        raise ValidationError(f"“{file_name}”不是积分填报模板")
    try:
        year = validate.year(meta.get("year"))
        months = [validate.month(m) for m in meta.get("months", "").split(",")]
    except ValidationError:
        raise ValidationError(f"“{file_name}”的模板信息已损坏，请重新导出模板") from None
    scheme = schemes.get_scheme(ledger, year)
    if meta.get("fingerprint") != scheme.fingerprint():
        raise ValidationError(
            f"“{file_name}”是按旧版 {year} 年积分细则生成的模板（模板细则指纹 {meta.get('fingerprint')}，"
            f"当前 {scheme.fingerprint()}），积分细则已修改，请重新导出填报模板后再填写"
        )
    out = ParsedScores(file_name, year, months)
    expected = {sheet_name(year, m): m for m in months}
    for name in wb.sheetnames:
        if name not in expected and name not in (INFO_SHEET, META_SHEET):
            out.notices.append(f"工作表“{name}”不属于模板，已忽略")
    for name, m in expected.items():
        if name not in wb.sheetnames:
            out.problems.append(f"{name}: 缺少工作表“{name}”（请不要重命名或删除模板中的工作表）")
            continue
        _template_sheet(wb[name], scheme, m, out)
    return out


def _template_sheet(ws, scheme: Scheme, month: int, out: ParsedScores) -> None:
    items = [i for _c, i in scheme.items()]
    expected = ["组织编码", "党组织名称", *[item_header(i) for i in items]]
    rows = list(ws.iter_rows(min_row=1, values_only=True))
    header = list(rows[HEADER_ROW - 1]) if len(rows) >= HEADER_ROW else []
    header += [None] * (len(expected) - len(header))
    bad_header = False
    for col, want in enumerate(expected, start=1):
        got = cell_text(header[col - 1])
        if got != want:
            out.problems.append(f"{where(ws.title, HEADER_ROW, col)}: 表头应为“{want}”，实际为“{got or '空'}”")
            bad_header = True
    for col in range(len(expected) + 1, len(header) + 1):
        if not is_blank(header[col - 1]):
            out.problems.append(f"{where(ws.title, HEADER_ROW, col)}: 多出的列“{cell_text(header[col - 1])}”")
            bad_header = True
    for rng in ws.merged_cells.ranges:
        if rng.max_row >= HEADER_ROW:
            out.problems.append(f"{ws.title}!{rng.coord}: 合并了单元格，请取消合并")
            bad_header = True
    if bad_header:
        return
    seen: dict[str, int] = {}
    for r, row in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        row = list(row) + [None] * (len(expected) - len(row))
        if all(is_blank(v) for v in row):
            continue  # blank rows are allowed anywhere
        code = cell_text(row[0])
        if not code:
            out.problems.append(f"{where(ws.title, r, 1)}: 缺少组织编码")
            continue
        if code in seen:
            out.problems.append(f"{where(ws.title, r, 1)}: 组织编码“{code}”与第 {seen[code]} 行重复")
            continue
        seen[code] = r
        out.rows[(code, month)] = f"{ws.title}!{r}"
        out.org_names[code] = cell_text(row[1])
        for n, item in enumerate(items):
            col = FIRST_COL + n
            loc = where(ws.title, r, col)
            v = _value(item, row[col - 1], loc, out.problems)
            if v is not None:
                out.values.append(ScoreValue(loc, code, item.code, month, v[0], v[1]))


def score_fields(scheme: Scheme) -> list[cm.FieldSpec]:
    fields = [
        cm.FieldSpec("org_code", "组织编码", True, ("编码", "代码", "编号", "组织代码", "组织编号", "支部编码", "支部代码",
                                                 "党组织编码", "党组织代码")),
        cm.FieldSpec("org_name", "党组织名称", False, ("名称", "组织名称", "支部名称", "党支部", "单位")),
    ]
    for _c, i in scheme.items():
        fields.append(cm.FieldSpec(i.code, item_header(i), False, (i.code, i.name)))
    return fields


def read_user_table(path: Path | str, sheet: str | None = None) -> cm.Table:
    wb = open_workbook(path)
    return _pick_sheet(wb, Path(path).name, sheet)


def _pick_sheet(wb: Workbook, file_name: str, sheet: str | None) -> cm.Table:
    if sheet is not None and sheet not in wb.sheetnames:
        raise ValidationError(f"“{file_name}”中没有工作表“{sheet}”")
    ws = wb[sheet] if sheet else next((w for w in wb.worksheets if w.sheet_state == "visible"), wb.worksheets[0])
    return cm.read_table(ws)


def _parse_mapped(ledger: Ledger, file_name: str, wb: Workbook, year: int, month: int,
                  chosen: dict[int, str] | None, sheet: str | None) -> ParsedScores:
    scheme = schemes.get_scheme(ledger, year)
    table = _pick_sheet(wb, file_name, sheet)
    fields = score_fields(scheme)
    mapping = cm.resolve(ledger, MAPPING_KIND, table, fields, chosen)
    item_cols = {col: scheme.item(key) for col, key in mapping.items() if key not in ("org_code", "org_name")}
    if not item_cols:
        raise ValidationError(f"工作表“{table.sheet}”中没有任何列对应到 {year} 年的积分细则")
    code_col = next(c for c, k in mapping.items() if k == "org_code")
    name_col = next((c for c, k in mapping.items() if k == "org_name"), None)
    out = ParsedScores(file_name, year, [month])
    for rng in table.merged:
        out.problems.append(f"{table.sheet}!{rng}: 合并了单元格，请取消合并")
    seen: dict[str, int] = {}
    for r, row in table.rows:
        code = cell_text(row[code_col]) if code_col < len(row) else ""
        if not code:
            out.problems.append(f"{where(table.sheet, r, code_col + 1)}: 缺少组织编码")
            continue
        if code in seen:
            out.problems.append(f"{where(table.sheet, r, code_col + 1)}: 组织编码“{code}”与第 {seen[code]} 行重复")
            continue
        seen[code] = r
        out.rows[(code, month)] = f"{table.sheet}!{r}"
        if name_col is not None:
            out.org_names[code] = cell_text(row[name_col])
        for col, item in item_cols.items():
            loc = where(table.sheet, r, col + 1)
            v = _value(item, row[col] if col < len(row) else None, loc, out.problems)
            if v is not None:
                out.values.append(ScoreValue(loc, code, item.code, month, v[0], v[1]))
    return out
