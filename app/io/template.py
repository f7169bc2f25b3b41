"""Entry templates: one sheet per month, one row per scored organisation, one column per item.

Every input cell carries data validation from the item's cap, headers and organisation columns
are locked (sheet protection without a password), and a very hidden ``_meta`` sheet records the
year, months, unit and scheme fingerprint so a template made under other rules is refused.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.domain.enums import ItemKind, quarter_months
from app.domain.points import fmt
from app.domain.scheme import Scheme, SchemeItem
from app.errors import ValidationError
from app.services.kernel import settings, validate
from app.services.kernel.context import Ledger
from app.services.register import orgs
from app.services.scoring import schemes, scores

from . import styles
from .atomic import save_workbook

META_SHEET = "_meta"
INFO_SHEET = "说明"
TEMPLATE_KIND = "score_template"
TEMPLATE_VERSION = 1
HEADER_ROW = 3
FIRST_COL = 3  # columns A, B: 组织编码, 党组织名称
UNLOCKED = Protection(locked=False)


def sheet_name(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def item_upper(item: SchemeItem) -> Decimal:
    """The largest value one month's cell may hold."""
    if item.kind is ItemKind.VETO:
        return Decimal(1)
    return item.monthly_cap or item.yearly_cap or Decimal("99.9")


def item_header(item: SchemeItem) -> str:
    return f"{item.code} {item.name}"


def _months(month: int | None, quarter: int | None) -> list[int]:
    if quarter is not None:
        return list(quarter_months(validate.quarter(quarter)))
    if month is None:
        raise ValidationError("请指定月份或季度")
    return [validate.month(month)]


def template_orgs(ledger: Ledger, unit: str | None) -> list[orgs.OrgInfo]:
    """Active scored organisations, all of them or those under ``unit``."""
    all_orgs = orgs.list_orgs(ledger, include_inactive=False)
    if unit:
        by_code = {o.code: o for o in all_orgs}
        if unit not in by_code:
            orgs.get_org(ledger, unit)  # raises the usual 找不到 message
        parent_of = {o.code: o.parent_code for o in all_orgs}

        def under(code: str | None) -> bool:
            while code is not None:
                if code == unit:
                    return True
                code = parent_of.get(code)
            return False

        all_orgs = [o for o in all_orgs if under(o.code)]
    return [o for o in all_orgs if o.scored]


def export_template(ledger: Ledger, year: int, path: Path | str, *, month: int | None = None,
                    quarter: int | None = None, unit: str | None = None) -> Path:
    year = validate.year(year)
    months = _months(month, quarter)
    scheme = schemes.get_scheme(ledger, year)
    targets = template_orgs(ledger, unit)
    if not targets:
        raise ValidationError("所选范围内没有参与积分的党组织，无法生成模板")
    existing: dict[tuple[str, str, int], scores.ScoreCell] = {
        (c.org_code, c.item_code, c.month): c for c in scores.cells(ledger, year) if c.month in months
    }
    unit_name = str(settings.get(ledger, "unit_name") or "")
    wb = Workbook()
    wb.remove(wb.active)
    _info_sheet(wb, scheme, year, months, unit_name)
    for m in months:
        _month_sheet(wb, scheme, year, m, targets, existing, unit_name)
    meta = wb.create_sheet(META_SHEET)
    for key, value in (
        ("kind", TEMPLATE_KIND), ("version", TEMPLATE_VERSION), ("year", year),
        ("months", ",".join(str(m) for m in months)), ("unit", unit or ""), ("unit_name", unit_name),
        ("fingerprint", scheme.fingerprint()), ("created", datetime.now().isoformat(timespec="seconds")),
    ):
        meta.append([key, str(value)])
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    wb.active = 1
    return save_workbook(wb, path)


def _info_sheet(wb: Workbook, scheme: Scheme, year: int, months: list[int], unit_name: str) -> None:
    ws = wb.create_sheet(INFO_SHEET)
    period = "、".join(f"{m}月" for m in months)
    lines = [
        f"{unit_name}{year}年{period}积分填报模板",
        "",
        "填写说明：",
        f"1. 每个月份一张工作表（{'、'.join(sheet_name(year, m) for m in months)}），每行一个党组织，每列一项积分细则。",
        "2. 只在淡黄色单元格中填写本月手工认定的分值（一位小数），不要修改表头、组织编码和名称。",
        "3. 由工作记录（一本通）自动计算的分值不在此填写；表中已有的数字是系统中现有的手工分值。",
        "4. 清空一个单元格表示删除该项本月的手工分值；一票否决事项填写 1 表示发生，0 或空表示未发生。",
        "5. 扣分项填写扣分的分值（正数），系统计算时自动扣减。",
        "6. 请不要插入或删除行列，也不要使用公式；填好后在软件中选择“数据 → 导入积分…”。",
        "7. 导入前会先显示预览并自动备份；导入后可用“撤销上次导入”完整恢复。",
        f"8. 本模板按 {year} 年积分细则生成（细则指纹 {scheme.fingerprint()}）；细则修改后请重新导出模板。",
        "",
        "积分细则：",
    ]
    for line in lines:
        ws.append([line])
    ws.append(["编码", "细则", "类型", "每次分值", "月上限", "年上限", "本表可填范围"])
    for _c, item in scheme.items():
        rng = "0 或 1" if item.kind is ItemKind.VETO else f"0–{fmt(item_upper(item))}"
        ws.append([item.code, item.name, item.kind.label, fmt(item.points), fmt(item.monthly_cap),
                   fmt(item.yearly_cap), rng])
    ws["A1"].font = styles.TITLE_FONT
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 36
    for col in "CDEFG":
        ws.column_dimensions[col].width = 12
    ws.protection.sheet = True
    styles.print_setup(ws, header_row=1, landscape=False)


def _month_sheet(wb: Workbook, scheme: Scheme, year: int, month: int, targets: list[orgs.OrgInfo],
                 existing: dict, unit_name: str) -> None:
    ws = wb.create_sheet(sheet_name(year, month))
    items = [i for _c, i in scheme.items()]
    ws.append([f"{unit_name}{year}年{month}月积分填报表"])
    ws.append(["只在淡黄色单元格中填写分值；一票否决填 1 表示发生。请勿修改表头与组织编码。"])
    headers = ["组织编码", "党组织名称", *[item_header(i) for i in items]]
    ws.append(headers)
    ws["A1"].font = styles.TITLE_FONT
    ws["A2"].font = styles.SUBTITLE_FONT
    for col, _h in enumerate(headers, start=1):
        c = ws.cell(HEADER_ROW, col)
        c.font, c.fill, c.alignment, c.border = styles.HEADER_FONT, styles.HEADER_FILL, styles.CENTER, styles.BORDER
    for org in targets:
        row = [org.code, org.name]
        for item in items:
            cell = existing.get((org.code, item.code, month))
            if item.kind is ItemKind.VETO:
                row.append(cell.manual_count if cell and cell.manual_count is not None else None)
            else:
                row.append(cell.manual_points if cell and cell.manual_points is not None else None)
        ws.append(row)
    last = HEADER_ROW + len(targets)
    for r in range(HEADER_ROW + 1, last + 1):
        for col in (1, 2):
            ws.cell(r, col).border = styles.BORDER
            ws.cell(r, col).font = styles.BODY_FONT
        for n, item in enumerate(items):
            c = ws.cell(r, FIRST_COL + n)
            c.protection, c.fill, c.border = UNLOCKED, styles.INPUT_FILL, styles.BORDER
            c.number_format = "0" if item.kind is ItemKind.VETO else styles.POINTS_FORMAT
    for n, item in enumerate(items):
        letter = get_column_letter(FIRST_COL + n)
        upper = item_upper(item)
        if item.kind is ItemKind.VETO:
            dv = DataValidation(type="whole", operator="between", formula1="0", formula2="1", allow_blank=True)
            dv.error = f"“{item.name}”只能填写 0 或 1（1 表示发生）"
        else:
            dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=fmt(upper),
                                allow_blank=True)
            dv.error = f"“{item.name}”每月可填 0–{fmt(upper)} 分"
        dv.errorTitle = "填写有误"
        dv.prompt = dv.error
        dv.showErrorMessage = dv.showInputMessage = True
        ws.add_data_validation(dv)
        dv.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
    widths = [10.0, max([10.0, *(float(styles.text_width(o.name)) for o in targets)])] + [9.0] * len(items)
    styles.fit_widths(ws, widths, maximum=36)
    ws.row_dimensions[HEADER_ROW].height = styles.header_height(headers, widths)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, FIRST_COL)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # users may widen columns; they may not edit locked cells
    styles.print_setup(ws, header_row=HEADER_ROW)
