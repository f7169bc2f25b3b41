"""Shared workbook look: fonts, fills, borders, Chinese-aware column widths, A4 print set-up."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from app.domain.enums import WarningLevel

FONT_NAME = "宋体"
TITLE_FONT = Font(name="黑体", size=14, bold=True)
SUBTITLE_FONT = Font(name=FONT_NAME, size=10, color="555555")
HEADER_FONT = Font(name="黑体", size=10, bold=True)
BODY_FONT = Font(name=FONT_NAME, size=10)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
INPUT_FILL = PatternFill("solid", fgColor="FFFDE7")
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=False)
POINTS_FORMAT = "0.0"


def level_fill(level: WarningLevel) -> PatternFill | None:
    if level == WarningLevel.NONE:
        return None
    return PatternFill("solid", fgColor=level.color.lstrip("#").upper())


def text_width(value: object) -> int:
    """Display width in Excel units: CJK characters count double."""
    if value is None:
        return 0
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def fit_widths(ws: Worksheet, widths: list[float], *, minimum: float = 6, maximum: float = 40) -> None:
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(minimum, min(maximum, w + 2))


def print_setup(ws: Worksheet, *, header_row: int, landscape: bool = True) -> None:
    """A4, fit all columns to the page width, repeat the header row on every page."""
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_row}"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def cell(ws: Worksheet, value: object, *, font: Font = BODY_FONT, fill: PatternFill | None = None,
         align: Alignment | None = None, number_format: str | None = None, border: bool = True) -> WriteOnlyCell:
    c = WriteOnlyCell(ws, value=value)
    c.font = font
    if fill is not None:
        c.fill = fill
    if align is not None:
        c.alignment = align
    if border:
        c.border = BORDER
    if number_format is None and isinstance(value, Decimal):
        number_format = POINTS_FORMAT
    if number_format:
        c.number_format = number_format
    return c


def header_cells(ws: Worksheet, headers: list[str]) -> list[WriteOnlyCell]:
    return [cell(ws, h, font=HEADER_FONT, fill=HEADER_FILL, align=CENTER) for h in headers]


def header_height(headers: list[str], widths: list[float], *, minimum: float = 18, maximum: float = 60) -> float:
    """Row height that shows every wrapped header line (about 13 points a line at 10 pt)."""
    lines = 1
    for h, w in zip(headers, widths, strict=False):
        usable = max(1.0, min(40, max(6, w + 2)) - 1)
        lines = max(lines, -(-text_width(h) // int(usable)))
    return max(minimum, min(maximum, lines * 13 + 4))

