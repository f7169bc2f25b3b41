"""补贴发放表 as an .xlsx: one row per instructor (exact yuan), a total row, A4 landscape, ready to print."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from app.io.atomic import save_workbook
from app.io.styles import (
    CENTER,
    HEADER_FONT,
    LEFT,
    SUBTITLE_FONT,
    TITLE_FONT,
    cell,
    fit_widths,
    header_cells,
    print_setup,
)

HEADERS = ("序号", "指导站", "姓名", "专职/兼职", "考核等次", "补贴月数", "补贴（元）", "交通补助（元）", "合计（元）", "领取人签字")
YUAN_FORMAT = "#,##0.00"


def export_subsidies(path: Path | str, year: int, rows: Sequence, note: str = "") -> Path:
    """``rows``: SubsidyRow (instructor, station, mode, grade, months, base, transport, total); ``note``: the
    scope the rows were limited to (``scope.heading``), "" for the whole unit."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(f"{year}年补贴发放表")
    fit_widths(ws, [4, 18, 10, 9, 9, 8, 12, 13, 12, 14], minimum=5)
    print_setup(ws, header_row=3)
    ws.freeze_panes = "A4"
    ws.append([cell(ws, f"{year} 年度党建工作指导员补贴发放表", font=TITLE_FONT, border=False)])
    ws.append([cell(ws, "依据年度考核等次（经小组统计、站内核实、党支部认定）和指派月数计发；金额单位：元" + note,
                    font=SUBTITLE_FONT, border=False)])
    ws.append(header_cells(ws, list(HEADERS)))
    base = transport = total = None
    for n, r in enumerate(rows, start=1):
        ws.append([cell(ws, n, align=CENTER), cell(ws, r.station, align=LEFT), cell(ws, r.instructor, align=LEFT),
                   cell(ws, r.mode, align=CENTER), cell(ws, r.grade, align=CENTER), cell(ws, r.months, align=CENTER),
                   cell(ws, r.base, number_format=YUAN_FORMAT), cell(ws, r.transport, number_format=YUAN_FORMAT),
                   cell(ws, r.total, number_format=YUAN_FORMAT), cell(ws, "")])
        base = r.base if base is None else base + r.base
        transport = r.transport if transport is None else transport + r.transport
        total = r.total if total is None else total + r.total
    if rows:
        ws.append([cell(ws, "合计", font=HEADER_FONT, align=CENTER), *[cell(ws, "") for _ in range(5)],
                   cell(ws, base, font=HEADER_FONT, number_format=YUAN_FORMAT),
                   cell(ws, transport, font=HEADER_FONT, number_format=YUAN_FORMAT),
                   cell(ws, total, font=HEADER_FONT, number_format=YUAN_FORMAT), cell(ws, "")])
    ws.append([])
    ws.append([cell(ws, "制表人：            审核人：            党支部（盖章）：            日期：", border=False)])
    return save_workbook(wb, path)
