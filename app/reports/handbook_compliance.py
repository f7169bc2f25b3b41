"""The handbook's 组织生活落实情况 page: each required meeting, period by period (已 / 缺 / 免 / 临 / —)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.domain.compliance import DONE, DUE_SOON, EXEMPT, MISSING

from .data import HandbookData
from .layout import PORTRAIT, frame_size
from .styles import P, RTable, grid

MARK = {DONE: "已", MISSING: "缺", EXEMPT: "免", DUE_SOON: "临"}  # anything else: not due yet


def _mark(st: str) -> str:
    return MARK.get(st, "—")


def compliance_page(d: HandbookData) -> list[Flowable]:
    width, _h = frame_size(PORTRAIT)
    if not d.compliance:
        return [P("本组织不适用组织生活要求（党委或已停用的组织），或本年度尚无需要统计的期间。", "body")]
    by_type: dict[str, list] = {}
    for r in d.compliance:
        by_type.setdefault(r.type_name, []).append(r)
    monthly = {t: rs for t, rs in by_type.items() if len(rs[0].period) == 7 and "Q" not in rs[0].period}
    other = {t: rs for t, rs in by_type.items() if t not in monthly}
    out: list[Flowable] = [
        P(f"按{d.year.year}年度组织生活要求统计：“已”为已落实，“缺”为期满未落实，“免”为经批准豁免，"
          "“临”为即将到期，“—”为尚未到期或不在统计期内（如成立前）。", "body"),
        Spacer(1, 2 * mm),
    ]
    if monthly:
        first = 34 * mm
        col = (width - first - 16 * mm) / 12
        data: list[list[object]] = [[P("每月事项", "th"), *[P(f"{m}月", "th") for m in range(1, 13)], P("缺", "th")]]
        for t, rs in monthly.items():
            marks = {int(r.period[5:]): r.status for r in rs}
            data.append([P(t), *[P(_mark(marks[m]) if m in marks else "—", "cell_c") for m in range(1, 13)],
                         P(sum(1 for r in rs if r.status == MISSING), "cell_c")])
        out += [RTable(data, colWidths=[first] + [col] * 12 + [16 * mm], repeatRows=1, style=grid()),
                Spacer(1, 4 * mm)]
    if other:
        first = 34 * mm
        col = (width - first - 16 * mm) / 5
        data = [[P("每季、每年事项", "th"), *[P(f"第{q}季度", "th") for q in range(1, 5)], P("全年", "th"),
                 P("缺", "th")]]
        for t, rs in other.items():
            marks = {r.period[5:] if "Q" in r.period else "Y": r.status for r in rs}
            cells = [P(_mark(marks[f"Q{q}"]) if f"Q{q}" in marks else "", "cell_c") for q in range(1, 5)]
            cells.append(P(_mark(marks["Y"]) if "Y" in marks else "", "cell_c"))
            data.append([P(t), *cells, P(sum(1 for r in rs if r.status == MISSING), "cell_c")])
        out.append(RTable(data, colWidths=[first] + [col] * 5 + [16 * mm], repeatRows=1, style=grid()))
    missed = [r for r in d.compliance if r.status == MISSING]
    out += [Spacer(1, 3 * mm), P(f"本年度共缺 {len(missed)} 期。" if missed else "本年度已到期的组织生活均已落实。", "body")]
    return out
