"""The handbook's 书记项目与重点任务 page: the branch's projects of the year (方案 in brief, milestones) and
the 重点任务 it owns, with their status."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from .data import HandbookData
from .layout import PORTRAIT, frame_size
from .styles import P, RTable, grid


def tracking_page(d: HandbookData) -> list[Flowable]:
    width, _h = frame_size(PORTRAIT)
    projects, tasks = d.tracking
    out: list[Flowable] = [P("（一）书记项目", "h3_flow")]
    if not projects:
        out.append(P("本年度本组织没有牵头或参与的书记项目。", "body"))
    for p in projects:
        role = "牵头" if p.lead_code == d.org.code else f"参与（牵头：{p.lead_name}）"
        out += [P(f"{p.title}（{p.type}项目，{p.status}，{role}）", "plain"),
                P(f"目标任务：{p.goal or '—'}；工作举措：{p.measures or '—'}", "small")]
        data: list[list[object]] = [[P(t, "th") for t in ("节点", "完成时限", "完成日期", "佐证材料")]]
        data += [[P(m.title + ("（滞后）" if m.lagging else ""), "small"), P(f"{m.due:%Y.%m.%d}", "small_c"),
                  P(f"{m.done_on:%Y.%m.%d}" if m.done_on else "", "small_c"), P(m.evidence, "small")]
                 for m in p.milestones]
        out += [RTable(data, colWidths=[64 * mm, 24 * mm, 24 * mm, width - 112 * mm], repeatRows=1, style=grid()),
                Spacer(1, 3 * mm)]
    out.append(P("（二）重点任务", "h3_flow"))
    if not tasks:
        return [*out, P("本年度没有交办给本组织的重点任务。", "body")]
    data = [[P(t, "th") for t in ("任务", "来源", "交办日期", "完成时限", "完成日期", "状态")]]
    data += [[P(t.title, "small"), P(t.source, "small_c"), P(f"{t.issued:%m.%d}", "small_c"),
              P(f"{t.due:%m.%d}", "small_c"), P(f"{t.done_on:%m.%d}" if t.done_on else "", "small_c"),
              P(t.status, "small_c")] for t in tasks]
    rest = width - 24 * mm - 4 * 17 * mm
    out.append(RTable(data, colWidths=[rest, 24 * mm, 17 * mm, 17 * mm, 17 * mm, 17 * mm], repeatRows=1, style=grid()))
    done = sum(1 for t in tasks if t.done_on)
    out += [Spacer(1, 2 * mm), P(f"共 {len(tasks)} 项，已完成 {done} 项，逾期未完成 "
                                 f"{sum(1 for t in tasks if t.status == '逾期')} 项。", "body")]
    return out
