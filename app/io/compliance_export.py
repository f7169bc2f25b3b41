"""组织生活落实情况 matrix as an .xlsx: one row per branch, one column per period, ✓/✗/豁免/… cells."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from app.domain.compliance import DONE, DUE_SOON, MISSING
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

FILLS = {
    DONE: PatternFill("solid", fgColor="DFF0D8"),
    MISSING: PatternFill("solid", fgColor="F6C9C6"),
    DUE_SOON: PatternFill("solid", fgColor="FBE3B0"),
}


def export_matrix(path: Path | str, title: str, subtitle: str, headers: Sequence[str],
                  rows: Sequence[Sequence[str]], statuses: Sequence[Sequence[str | None]],
                  *, first_period: int) -> Path:
    """Write ``rows`` (display text) under ``headers``; ``statuses[r][c]`` colours the period cells,
    which start at column ``first_period`` (0-based)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("组织生活落实情况")
    widths = [float(text_width(h)) for h in headers]
    for r in rows:
        for i, v in enumerate(r):
            widths[i] = max(widths[i], float(text_width(v)))
    widths = [max(w, 4) for w in widths]
    fit_widths(ws, widths, minimum=5, maximum=36)
    print_setup(ws, header_row=3)
    ws.freeze_panes = "B4"
    ws.append([cell(ws, title, font=TITLE_FONT, border=False)])
    ws.append([cell(ws, subtitle, font=SUBTITLE_FONT, border=False)])
    ws.append(header_cells(ws, list(headers)))
    for values, sts in zip(rows, statuses, strict=True):
        out = []
        for i, v in enumerate(values):
            st = sts[i] if i < len(sts) else None
            out.append(cell(ws, v, fill=FILLS.get(st or ""), align=CENTER if i >= first_period else LEFT))
        ws.append(out)
    return save_workbook(wb, path)
