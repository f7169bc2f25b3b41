"""The 月调度表's month list (issue 19.5): the tasks issued to the stations at the start of the month and the
month-end feedback — completion per instructor and per station — as printed tables."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.services.kernel.context import Ledger
from app.services.tracking import station_lists

from .styles import P, RTable, grid

PAD = [("TOPPADDING", (0, 1), (-1, -1), 2), ("BOTTOMPADDING", (0, 1), (-1, -1), 2)]


def month_tasks(ledger: Ledger, year: int, month: int, width: float) -> list[Flowable]:
    ym = f"{year}-{month:02d}"
    fb = station_lists.feedback(ledger, ym)
    story: list[Flowable] = [P("本月任务清单完成情况（月初下达，月末反馈）", "h3")]
    if not fb.stations:
        return [*story, P("本月没有向指导站下达任务清单。", "small")]
    head = ["指导站 / 指导员", "任务数", "已完成", "按时完成", "逾期未完成", "未到期", "完成率"]
    data: list[list[object]] = [[P(t, "th_s") for t in head]]
    bold: list[int] = []
    for st in fb.stations:
        for x in st.lines:
            data.append([P(f"　{x.instructor or '站本级'}", "small"), *[P(v, "small_c") for v in
                         (x.total, x.done, x.on_time, x.overdue, x.open, f"{x.rate}%")]])
        t = st.total
        bold.append(len(data))
        data.append([P(f"{st.station} 小计", "th_s"), *[P(v, "th_s") for v in
                     (t.total, t.done, t.on_time, t.overdue, t.open, f"{t.rate}%")]])
    first = 70 * mm
    rest = (width - first) / (len(head) - 1)
    story.append(RTable(data, colWidths=[first, *[rest] * (len(head) - 1)], repeatRows=1, style=[*grid(), *PAD]))
    story += [Spacer(1, 3 * mm), P("任务明细", "h3_flow")]
    head = ["序号", "责任方", "任务", "完成时限", "状态", "完成日期", "完成佐证"]
    data = [[P(t, "th_s") for t in head]]
    for n, x in enumerate(station_lists.listing(ledger, ym), 1):
        t = x.task
        data.append([P(n, "small_c"), P(x.instructor or "站本级", "small_c"), P(t.title, "small"), P(t.due, "small_c"),
                     P(t.status, "small_c"), P(t.done_on or "", "small_c"), P(t.evidence, "small")])
    fixed = [10 * mm, 20 * mm, 0, 24 * mm, 16 * mm, 24 * mm, 60 * mm]
    fixed[2] = width - sum(fixed)
    story.append(RTable(data, colWidths=fixed, repeatRows=1, style=[*grid(), *PAD]))
    return story
