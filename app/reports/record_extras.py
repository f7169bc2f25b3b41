"""The parts of a filed record beyond label + value cells: attendance and vote wording, the 党费 table
(one row per member) and the signature lines. Used by record_form.py for filled and blank pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Table

from app.services.book.fields import VOTES, dues_total

from .layout import PORTRAIT, frame_size
from .styles import INK, SHADE, P, RTable, date_text, grid

ROW_H = 9 * mm
BLANK = "\u3000\u3000"  # room to write a number by hand


def attendance_summary(record: object) -> str:
    e, a = getattr(record, "attendance_expected", None), getattr(record, "attendance_actual", None)
    if e is None and a is None:
        return ""
    e, a = e or 0, a or 0
    return f"应到 {e} 人，实到 {a} 人，缺席 {max(e - a, 0)} 人"


def blank_attendance() -> str:
    return f"应到{BLANK}人，实到{BLANK}人，缺席{BLANK}人"


def present_text(record: object) -> str:
    roster = getattr(record, "roster", None)
    return "、".join(roster["present"]) if roster else ""


def absent_text(record: object) -> str:
    roster = getattr(record, "roster", None)
    text = getattr(record, "absentees", "") or ""
    if roster is not None and not roster.get("absent"):
        return "无"
    return text


def vote_text(value: object) -> str:
    if not isinstance(value, dict):
        return ""
    return "，".join(f"{label} {value.get(key, 0)} 票" for key, label in VOTES)


def blank_vote() -> str:
    return "，".join(f"{label}{BLANK}票" for _key, label in VOTES)


def money_cell(text: object) -> str:
    return "" if text in (None, "") else f"{Decimal(str(text)):,.2f}"


DUES_HEAD = ("序号", "姓名", "缴费基数（元）", "应缴（元）", "实缴（元）", "缴纳日期")


def _dues_widths() -> list[float]:
    full, _h = frame_size(PORTRAIT)
    fixed = [12 * mm, 0, 30 * mm, 26 * mm, 26 * mm, 32 * mm]
    fixed[1] = full - sum(fixed)
    return fixed


def _head(label: str) -> list[list[object]]:
    return [[P(label, "th"), "", "", "", "", ""], [P(h, "th") for h in DUES_HEAD]]


def dues_table(label: str, rows: list[dict], counts: tuple[int | None, int | None] = (None, None)) -> Table:
    """党费 per member: 姓名, 缴费基数, 应缴, 实缴, 缴纳日期, with a 合计 row; the header repeats on each page."""
    data = _head(label)
    for n, r in enumerate(rows, 1):
        paid_on = r.get("paid_on") or ""
        data.append([str(n), P(r.get("name", ""), "cell_c"), money_cell(r.get("base")), money_cell(r.get("due")),
                     money_cell(r.get("paid")), date_text(_iso(paid_on)) if paid_on else ""])
    if rows:
        paid_n = sum(1 for r in rows if r.get("paid"))
        data.append(["合计", f"应缴 {len(rows)} 人，实缴 {paid_n} 人", "",
                     money_cell(dues_total(rows, "due")), money_cell(dues_total(rows, "paid")), ""])
    else:
        e, a = counts
        note = f"应缴 {e or 0} 人，实缴 {a or 0} 人（未登记每人明细）" if e is not None else "未登记每人明细"
        data.append(["合计", note, "", "", "", ""])
    return _dues(data, [None] * len(data))


def blank_dues_table(label: str, lines: int) -> Table:
    data = _head(label)
    data += [[str(n), "", "", "", "", ""] for n in range(1, lines + 1)]
    data.append(["合计", f"应缴{BLANK}人，实缴{BLANK}人", "", "", "", ""])
    return _dues(data, [None, None] + [ROW_H] * (len(data) - 2))


def _dues(data: list[list[object]], heights: list[float | None]) -> Table:
    last = len(data) - 1
    style = [
        *grid(2),
        ("SPAN", (0, 0), (-1, 0)),
        ("ALIGN", (0, 2), (0, -1), "CENTER"),
        ("ALIGN", (2, 2), (4, -1), "RIGHT"),
        ("ALIGN", (5, 2), (5, -1), "CENTER"),
        ("SPAN", (1, last), (2, last)),
        ("BACKGROUND", (0, last), (-1, last), SHADE),
    ]
    return RTable(data, colWidths=_dues_widths(), rowHeights=heights, style=style, repeatRows=2)


def _iso(text: str) -> object:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def dues_height(lines: int) -> float:
    return (lines + 3) * ROW_H


def signature_lines(roles: tuple[str, ...]) -> Table:
    """主持人（签字）：________　记录人（签字）：________ — lines to sign by hand on the filed page."""
    full, _h = frame_size(PORTRAIT)
    label_w = 36 * mm  # “主持人（签字）：” whole inside its cell (30 mm let it run past the binding margin)
    line_w = (full - len(roles) * label_w) / len(roles) - 4 * mm
    row: list[object] = []
    widths: list[float] = []
    for role in roles:
        row += [f"{role}（签字）：", ""]
        widths += [label_w, line_w + 4 * mm]
    style = [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
             ("TOPPADDING", (0, 0), (-1, -1), 8 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm)]
    style += [("LINEBELOW", (2 * i + 1, 0), (2 * i + 1, 0), 0.6, INK) for i in range(len(roles))]
    return RTable([row], colWidths=widths, style=style)


SIGNATURE_H = 14 * mm
