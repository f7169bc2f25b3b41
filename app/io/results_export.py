"""结果运用 workbooks: a year's 奖补兑现 and 绩效评定 sheets (with totals), and the 表彰 / 补助经费 registers."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from app.domain.incentives import APPRAISAL, REWARD, fmt_yuan
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
from app.services.incentives.awards import AwardInfo
from app.services.incentives.grants import GrantInfo, total
from app.services.incentives.results import IncentiveSheet

MONEY_FORMAT = "#,##0.00"
BOLD = Font(name="宋体", size=10, bold=True)


def _sheet(wb: Workbook, name: str, title: str, subtitle: str, headers: Sequence[str], rows: Sequence[Sequence[object]],
           *, money_columns: Sequence[int] = (), footer: Sequence[object] | None = None) -> None:
    ws = wb.create_sheet(name)
    widths = [float(text_width(h)) for h in headers]
    for r in [*rows, *( [footer] if footer else [])]:
        for i, v in enumerate(r):
            widths[i] = max(widths[i], float(text_width(fmt_yuan(v) if isinstance(v, Decimal) else v)))
    fit_widths(ws, [max(w, 4) for w in widths], minimum=5, maximum=40)
    print_setup(ws, header_row=3, landscape=False)
    ws.freeze_panes = "A4"
    ws.append([cell(ws, title, font=TITLE_FONT, border=False)])
    ws.append([cell(ws, subtitle, font=SUBTITLE_FONT, border=False)])
    ws.append(header_cells(ws, list(headers)))
    for values in rows:
        ws.append([_value(ws, v, i in money_columns) for i, v in enumerate(values)])
    if footer:
        ws.append([_value(ws, v, i in money_columns, bold=True) for i, v in enumerate(footer)])


def _value(ws, v: object, money: bool, *, bold: bool = False):
    kw = {"font": BOLD} if bold else {}
    if money and isinstance(v, Decimal):
        return cell(ws, v, number_format=MONEY_FORMAT, **kw)
    return cell(ws, v, align=LEFT if isinstance(v, str) else CENTER, **kw)


def export_incentives(path: Path | str, unit: str, sheet: IncentiveSheet) -> Path:
    wb = Workbook(write_only=True)
    state = f"（{sheet.state}）"
    rewards = sheet.of_kind(REWARD)
    _sheet(wb, "奖补兑现", f"{unit} {sheet.year} 年度非公党组织党建考核奖补兑现表", f"依据 {sheet.year} 年度定级{state}",
           ["序号", "党组织", "领域", "年度得分", "最终定级", "奖补金额（元）", "说明", "状态"],
           [[i, r.org_name, r.sector, r.score, r.final + ("（否决）" if r.veto else ""), r.amount, r.result,
             r.status] for i, r in enumerate(rewards, start=1)],
           money_columns=(5,), footer=["", "合计", f"{len(rewards)} 个", "", "", sheet.total(), "", ""])
    appraisal = sheet.of_kind(APPRAISAL)
    _sheet(wb, "绩效评定", f"{unit} {sheet.year} 年度党建考核绩效评定结果表", f"依据 {sheet.year} 年度定级{state}",
           ["序号", "党组织", "领域", "年度得分", "最终定级", "绩效评定结果", "状态"],
           [[i, r.org_name, r.sector, r.score, r.final + ("（否决）" if r.veto else ""), r.result, r.status]
            for i, r in enumerate(appraisal, start=1)])
    return save_workbook(wb, path)


def export_awards(path: Path | str, unit: str, title_year: str, rows: Sequence[AwardInfo]) -> Path:
    wb = Workbook(write_only=True)
    _sheet(wb, "表彰", f"{unit} 表彰登记表", title_year,
           ["编号", "日期", "级别", "表彰名称", "党组织", "获表彰人员", "授予单位", "计入加分", "备注"],
           [[a.id, a.date.isoformat(), a.level, a.title, a.org_name, a.person or "（集体）", a.issuer,
             a.bonus_item or "", a.note] for a in rows])
    return save_workbook(wb, path)


def export_grants(path: Path | str, unit: str, title_year: str, rows: Sequence[GrantInfo]) -> Path:
    wb = Workbook(write_only=True)
    _sheet(wb, "补助经费", f"{unit} 补助经费登记表", title_year,
           ["编号", "拨付日期", "党组织", "用途", "金额（元）", "备注"],
           [[g.id, g.date.isoformat(), g.org_name, g.purpose, g.amount, g.note] for g in rows],
           money_columns=(4,), footer=["", "合计", f"{len(rows)} 笔", "", total(list(rows)), ""])
    return save_workbook(wb, path)
