"""Any table on screen as an .xlsx: a title, a subtitle (date, filters), the headers and the rows shown."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from app.io.atomic import save_workbook
from app.io.styles import (
    CENTER,
    LEFT,
    SUBTITLE_FONT,
    TITLE_FONT,
    cell,
    fit_widths,
    header_cells,
    print_setup,
    text_width,
)

SHEET_NAME_MAX = 31  # Excel's limit


def export_table(path: Path | str, sheet: str, title: str, subtitle: str, headers: Sequence[str],
                 rows: Sequence[Sequence[object]], *, fills: Sequence[Sequence[PatternFill | None]] | None = None,
                 centre_from: int | None = None) -> Path:
    """Write ``rows`` under ``headers``; ``fills[r][c]`` colours a cell; columns from ``centre_from`` on are
    centred (period columns of a matrix)."""
    wb = Workbook(write_only=True)
    clean = "".join(ch for ch in sheet if ch not in "[]:*?/\\\\")[:SHEET_NAME_MAX] or "表格"
    ws = wb.create_sheet(clean)
    widths = [float(text_width(h)) for h in headers]
    for r in rows:
        for i, v in enumerate(r[: len(widths)]):
            widths[i] = max(widths[i], float(text_width(v)))
    fit_widths(ws, [max(w, 4) for w in widths], minimum=5, maximum=36)
    print_setup(ws, header_row=3)
    ws.freeze_panes = "B4"
    ws.append([cell(ws, title, font=TITLE_FONT, border=False)])
    ws.append([cell(ws, subtitle, font=SUBTITLE_FONT, border=False)])
    ws.append(header_cells(ws, list(headers)))
    for r, values in enumerate(rows):
        row_fills = fills[r] if fills is not None else ()
        ws.append([cell(ws, v, fill=row_fills[i] if i < len(row_fills) else None,
                        align=CENTER if centre_from is not None and i >= centre_from else LEFT)
                   for i, v in enumerate(values)])
    return save_workbook(wb, path)
