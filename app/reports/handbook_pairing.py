"""The handbook's 结对共建 page: the branch's pairings of the year (as leader or as helped) with their span,
goals and year-end evaluation, and its 结对共建活动 records in date order."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.services.pairing.activities import ACTIVITY_TYPE, PARTNER, partner_code

from .data import HandbookData
from .layout import PORTRAIT, frame_size
from .styles import P, RTable, date_text, grid


def pairing_page(d: HandbookData) -> list[Flowable]:
    width, _h = frame_size(PORTRAIT)
    code = d.org.code
    out: list[Flowable] = []
    if not d.pairings:
        out.append(P(f"{d.year.year}年度本组织未参加结对共建。", "body"))
    else:
        widths = [22 * mm, 44 * mm, 30 * mm, 0.0, 24 * mm]
        widths[3] = width - sum(widths)
        data: list[list[object]] = [[P(t, "th") for t in ("本组织", "结对组织", "结对期间", "共建内容", "年终评价")]]
        for p in d.pairings:
            lead = p.strong_code == code
            partner = p.weak_name if lead else p.strong_name
            data.append([P("牵头帮扶" if lead else "被帮扶", "cell_c"), P(partner), P(p.span.replace(" 至 ", "\n至 "), "small_c"),
                         P("、".join(p.goals)), P(p.rating or "—", "cell_c")])
        out.append(RTable(data, colWidths=widths, repeatRows=1, style=grid()))
        for p in d.pairings:
            if p.evaluation:
                out += [Spacer(1, 2 * mm), P(f"年终评价（{p.strong_name} — {p.weak_name}）：{p.evaluation}", "body")]
    acts = d.records.get(ACTIVITY_TYPE, [])
    names = {o.code: o.name for o in d.year.register.values()}
    out += [Spacer(1, 4 * mm), P("结对共建活动", "h3")]
    if not acts:
        out.append(P("本年度没有登记结对共建活动。", "body"))
        return out
    widths = [24 * mm, 0.0, 44 * mm, 24 * mm, 14 * mm]
    widths[1] = width - sum(widths)
    data = [[P(t, "th") for t in ("日期", "活动主题", "结对组织", "共建内容", "计分")]]
    for r in acts:
        partner = partner_code(r.extra.get(PARTNER))
        data.append([P(date_text(r.date), "cell_c"), P(r.topic), P(names.get(partner, partner)),
                     P(r.extra.get("goal", ""), "cell_c"), P(r.points if r.points is not None else "", "cell_c")])
    out += [RTable(data, colWidths=widths, repeatRows=1, style=grid()),
            Spacer(1, 2 * mm), P(f"本年度共开展结对共建活动 {len(acts)} 次。", "body")]
    return out
