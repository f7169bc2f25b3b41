"""积分制管理记录表 (12 months × categories, quarter subtotals, annual total, warnings, class) and the
closing 年度考核定级 page with signature and seal lines."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.domain.enums import CategoryKind, quarter_months
from app.domain.points import ZERO, fmt

from .data import HandbookData
from .layout import PORTRAIT, frame_size
from .styles import SHADE, M, P, RTable, fit_heights, grid
from .unit_docs import approval_box

QUARTERS = "一二三四"


def _pts(value: Decimal | None) -> str:
    return "" if value is None else fmt(value)


def score_table(d: HandbookData) -> list[Flowable]:
    w, _h = frame_size(PORTRAIT)
    cats = d.year.scheme.categories
    cat_w = min(16 * mm, (w - 26 * mm - 17 * mm - 30 * mm) / max(1, len(cats)))
    widths = [26 * mm] + [cat_w] * len(cats) + [17 * mm]
    widths.append(w - sum(widths))
    head = [P("月份", "th")]
    for c in cats:
        cap = f"<br/><font size=7.5>上限 {fmt(c.max_points)}</font>" if c.max_points is not None else ""
        head.append(M(f"{escape(c.name)}{cap}", "th"))
    head += [P("月合计", "th"), P("预警及备注", "th")]
    rows: list[list[object]] = [head]
    style = grid()
    year_sum = {c.code: ZERO for c in cats}
    for q in (1, 2, 3, 4):
        q_sum = {c.code: ZERO for c in cats}
        for m in quarter_months(q):
            vals = [d.month_points.get((m, c.code)) for c in cats]
            for c, v in zip(cats, vals, strict=True):
                q_sum[c.code] += v or ZERO
            total = sum((v or ZERO for v in vals), ZERO)
            rows.append([P(f"{m}月", "cell_c")] + [P(_pts(v), "cell_c") for v in vals]
                        + [P(fmt(total) if any(v is not None for v in vals) else "", "cell_c"), ""])
        for c in cats:
            year_sum[c.code] += q_sum[c.code]
        warn = d.warning(q)
        note = "—" if warn is None else f"{warn.level.label}预警" if warn.level else "无预警"
        i = len(rows)
        rows.append([P(f"第{QUARTERS[q - 1]}季度", "label")] + [P(fmt(q_sum[c.code]), "cell_c") for c in cats]
                    + [P(fmt(sum(q_sum.values(), ZERO)), "label"), P(note, "small_c")])
        style.append(("BACKGROUND", (0, i), (-1, i), SHADE))
    i = len(rows)
    rows.append([P("全年合计", "label")] + [P(fmt(year_sum[c.code]), "cell_c") for c in cats]
                + [P(fmt(sum(year_sum.values(), ZERO)), "label"), P("各月相加", "small_c")])
    grade = d.grade()
    capped = grade.categories if grade else {}
    capped_vals = []
    for c in cats:
        v = capped.get(c.code)
        capped_vals.append(None if v is None else (-v if c.kind is CategoryKind.DEDUCTION else v))
    rows.append([P("计入年度得分", "label")] + [P(_pts(v), "cell_c") for v in capped_vals]
                + [P(fmt(grade.score) if grade else "", "label"), P("按类别上限计", "small_c")])
    style += [("BACKGROUND", (0, i), (-1, i + 1), SHADE), ("LINEABOVE", (0, i), (-1, i), 1.0, "black")]
    table = RTable(rows, colWidths=widths, repeatRows=1, style=style,
                  rowHeights=[None] + [7.2 * mm] * (len(rows) - 1))
    return [table, Spacer(1, 4 * mm), *_warning_table(d), Spacer(1, 4 * mm), *_class_line(d)]


def _warning_table(d: HandbookData) -> list[Flowable]:
    w, _h = frame_size(PORTRAIT)
    widths = [20 * mm, 18 * mm, 24 * mm]
    widths += [(w - sum(widths)) * 0.5, (w - sum(widths)) * 0.5]
    rows: list[list[object]] = [[P(t, "th") for t in ("季度", "季度积分", "预警等级", "预警原因", "整改情况")]]
    for q in (1, 2, 3, 4):
        warn = d.warning(q)
        if warn is None:
            rows.append([P(f"第{QUARTERS[q - 1]}季度", "cell_c"), P("—", "cell_c"), P("未到通报时间", "small_c"), "", ""])
            continue
        rect = warn.rectification
        status = warn.status(d.year.today)
        if rect and rect.measures:
            status = f"{status}：{rect.measures}"
        rows.append([
            P(f"第{QUARTERS[q - 1]}季度", "cell_c"), P(fmt(warn.quarter_score), "cell_c"),
            P(warn.level.label, "cell_c"), P(warn.reason_text or "—", "small"), P(status, "small"),
        ])
    return [P("季度预警情况", "h3"), RTable(rows, colWidths=widths, repeatRows=1, style=grid())]


def _class_line(d: HandbookData) -> list[Flowable]:
    grade = d.grade()
    if grade is None:
        return [P("本组织不参加本年度积分定级，或本年度尚无积分。", "note")]
    return [P(f"年度得分 {fmt(grade.score)} 分，定级为 {grade.final.label}"
              f"{'（已确认）' if grade.confirmed else '（待确认）'}。", "plain")]


def grade_page(d: HandbookData) -> list[Flowable]:
    w, _h = frame_size(PORTRAIT)
    grade = d.grade()
    n = d.year.org_count

    def v(text: str) -> Flowable:
        return P(text, "cell")

    if grade:
        rows = [
            ("年度积分", f"{fmt(grade.score)} 分", d.year.rank_label, f"第 {grade.rank} 名（共 {n} 个）"),
            ("本年度分类", grade.previous.label if grade.previous else "未分类", "按积分定级", grade.computed.label),
            ("最终定级", grade.final.label, "较上年", grade.change or "—"),
            ("一票否决", "有" if grade.veto else "无", "定级状态", "已确认" if grade.confirmed else "待确认"),
        ]
    else:
        rows = [("年度积分", "—", "积分排名", "—"), ("本年度分类", "—", "按积分定级", "—"),
                ("最终定级", "—", "较上年", "—"), ("一票否决", "—", "定级状态", "—")]
    data = [[P(a, "label"), v(b), P(c, "label"), v(e)] for a, b, c, e in rows]
    reason = grade.override_reason if grade else ""
    data.append([P("调整理由", "label"), v(reason or "无"), "", ""])
    half = w / 2
    style = [*grid(0), ("BACKGROUND", (0, 0), (0, -1), SHADE), ("BACKGROUND", (2, 0), (2, -2), SHADE),
             ("SPAN", (1, len(data) - 1), (3, len(data) - 1))]
    widths = [26 * mm, half - 26 * mm, 26 * mm, half - 26 * mm]
    # The reason spans three columns: measured at that width, it grows with its text (500 characters fit).
    heights = [*fit_heights(data[:-1], widths, 10 * mm), fit_heights([[data[-1][1]]], [w - 26 * mm], 10 * mm)[0]]
    info = RTable(data, colWidths=widths, style=style, rowHeights=heights)

    return [
        info, Spacer(1, 6 * mm),
        approval_box(w, "党支部\n自评意见", "党支部书记", 40 * mm), Spacer(1, 5 * mm),
        approval_box(w, "上级党委\n审核意见", "审核人", 40 * mm), Spacer(1, 5 * mm),
        approval_box(w, "党（工）委\n定级意见", "负责人", 40 * mm),
    ]
