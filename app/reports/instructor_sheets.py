"""党建指导员 paper: 周记录表 (one page per instructor and week), 月调度表, 年度考核汇总表, 补贴发放表 and 问题帮办台账,
laid out like the other printed ledgers (A4, binding margin, ruled tables, signature lines)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from app.domain import instructors as rules
from app.domain.points import fmt
from app.services.instructors import assessment, subsidies, tickets, weekly
from app.services.kernel import scope
from app.services.kernel.context import Ledger

from .layout import LANDSCAPE, PORTRAIT, build, frame_size
from .station_task_tables import month_tasks
from .styles import SHADE, P, RTable, grid
from .unit_docs import sign_block, unit_name

TALL = [("TOPPADDING", (0, 1), (-1, -1), 5), ("BOTTOMPADDING", (0, 1), (-1, -1), 5)]


def weekly_sheets(ledger: Ledger, week: str, target: Path | BytesIO, *, station: str | None = None) -> int:
    """《党建指导员积分考核工作周记录表》: one page per instructor of the week (blank forms for those not entered)."""
    year, wk = weekly.parse_week(week)
    label = rules.week_label(year, wk)
    monday, sunday = rules.week_days(year, wk)
    logs = {x.instructor: x for x in weekly.list_logs(ledger, week=label)}
    unit = unit_name(ledger)
    w, _h = frame_size(PORTRAIT)
    story: list[Flowable] = []
    for _iid, name, st, group, counts in weekly.week_grid(ledger, label, station):
        log = logs.get(name)
        if story:
            story.append(PageBreak())
        story += [P("党建指导员积分考核工作周记录表", "doc_title"), Spacer(1, 3 * mm)]
        head = [[P("指导站", "label"), P(st), P("小组", "label"), P(group or "—"), P("姓名", "label"), P(name)],
                [P("周次", "label"), P(f"{label}（第 {wk} 周）"), P("起止", "label"),
                 P(f"{monday:%Y年%m月%d日}—{sunday:%m月%d日}"), "", ""]]
        story.append(RTable(head, colWidths=[18 * mm, 46 * mm, 14 * mm, 50 * mm, 14 * mm, w - 142 * mm],
                            style=[*grid(0), ("SPAN", (3, 1), (5, 1)),
                                   *[("BACKGROUND", (c, 0), (c, 1), SHADE) for c in (0, 2, 4)]]))
        story.append(Spacer(1, 4 * mm))
        items = [[P("考勤与工作量", "th"), P("数量", "th"), P("考勤与工作量", "th"), P("数量", "th")]]
        keys = list(rules.COUNTS)
        half = (len(keys) + 1) // 2
        for i in range(half):
            row: list[object] = []
            for k in (keys[i], keys[i + half] if i + half < len(keys) else None):
                row += [P(rules.COUNTS[k]) if k else "", P(str(counts[k]) if log and k else "", "cell_c") if k else ""]
            items.append(row)
        story.append(RTable(items, colWidths=[w * 0.32, w * 0.18, w * 0.32, w * 0.18], repeatRows=1,
                            style=[*grid(), *TALL]))
        story += [Spacer(1, 4 * mm), P("走访记录（B岗走访）", "label"), Spacer(1, 1.5 * mm)]
        visits = [[P("日期", "th"), P("走访对象", "th"), P("事由与成效", "th")]]
        for v in (log.visits if log else ()):
            visits.append([P(f"{v.date:%m月%d日}", "cell_c"), P(v.place), P(v.purpose)])
        while len(visits) < 7:  # room to write by hand
            visits.append(["", "", ""])
        story.append(RTable(visits, colWidths=[24 * mm, 62 * mm, w - 86 * mm], repeatRows=1,
                            style=[*grid(), *TALL]))
        story += [Spacer(1, 4 * mm), P(f"备注：{log.note if log and log.note else ''}", "plain"), Spacer(1, 12 * mm),
                  sign_block(w, ("指导员签字", "小组统计", "站内核实"))]
    if not story:
        story = [P("党建指导员积分考核工作周记录表", "doc_title"), P("尚未登记指导员。")]
    title = f"{label} 党建指导员积分考核工作周记录表"
    return build(story, target, header=f"{unit} · {title}", title=title, author=unit, first=PORTRAIT)


def month_sheet(ledger: Ledger, year: int, month: int, target: Path | BytesIO) -> int:
    """月调度表: each instructor's and each station's sums of the month's weeks, with the problems handled, and the
    month's task list with its feedback."""
    roll = weekly.month_rollup(ledger, year, month)
    unit = unit_name(ledger)
    w, _h = frame_size(LANDSCAPE)
    keys = list(rules.COUNTS)
    head = ["指导站", "指导员", "周数", *[rules.COUNTS[k].replace("（天）", "天数") for k in keys], "新收集问题", "办结问题"]
    data: list[list[object]] = [[P(t, "th_s") for t in head]]
    for x in roll.lines:
        total = not x.instructor
        style = "th_s" if total else "small_c"
        data.append([P(x.station if total else "", "small"), P(x.instructor or "小计", style), P(x.weeks, style),
                     *[P(x.counts[k], style) for k in keys], P(x.tickets_raised, style), P(x.tickets_closed, style)])
    fixed = [46 * mm, 20 * mm, 12 * mm]
    rest = (w - sum(fixed)) / (len(head) - 3)
    story: list[Flowable] = [
        P(f"{unit}党建工作指导站{year}年{month}月工作调度表", "doc_title"), Spacer(1, 2 * mm),
        P(f"按周记录汇总：{'、'.join(roll.weeks)}（每周计入其周四所在月份）。{scope.heading(ledger, '统计')}", "small"), Spacer(1, 2 * mm),
        RTable(data, colWidths=[*fixed, *[rest] * (len(head) - 3)], repeatRows=1, style=[*grid(), *TALL]),
        Spacer(1, 4 * mm), *month_tasks(ledger, year, month, w),
        Spacer(1, 3 * mm),
        KeepTogether([P("下月安排：", "plain"), Spacer(1, 12 * mm), sign_block(w, ("填表人", "站长", "日期"))]),
    ]
    title = f"{year}年{month}月指导站月调度表"
    return build(story, target, header=f"{unit} · {title}", title=title, author=unit, first=LANDSCAPE)


def grades_sheet(ledger: Ledger, year: int, target: Path | BytesIO) -> int:
    """年度考核汇总表: counts, points and grade of each instructor, and the three sign-offs (or blanks for them)."""
    result = assessment.assess(ledger, year)
    unit = unit_name(ledger)
    w, _h = frame_size(LANDSCAPE)
    keys = list(rules.COUNTS)
    head = ["序号", "指导站", "小组", "姓名", "专职/兼职", *[rules.COUNTS[k].replace("（天）", "天数") for k in keys],
            "积分", "等次"]
    data: list[list[object]] = [[P(t, "th_s") for t in head]]
    for n, g in enumerate(result.lines, 1):
        data.append([P(n, "small_c"), P(g.station, "small"), P(g.group, "small_c"), P(g.instructor, "small_c"),
                     P(g.mode, "small_c"), *[P(g.counts[k], "small_c") for k in keys], P(fmt(g.points), "cell_c"),
                     P(g.grade, "cell_c")])
    fixed = [9 * mm, 40 * mm, 15 * mm, 17 * mm, 15 * mm]
    tail = [14 * mm, 18 * mm]
    mid = (w - sum(fixed) - sum(tail)) / len(keys)
    def signs_of(signed) -> str:
        done = {s.step: s for s in signed}
        return "　　".join(f"{step}：{done[step].person}（{done[step].at:%Y-%m-%d}）" if step in done
                          else f"{step}：＿＿＿＿＿＿" for step in rules.SIGNOFF_STEPS)

    sign_lines = ([P(f"{st}　{signs_of(result.stations.get(st, []))}", "plain") for st in result.graded_stations]
                  if result.by_station else [P(signs_of(result.signoffs), "plain")])
    state = "已经党支部认定" if result.final else "未最终认定（草稿）"
    story: list[Flowable] = [
        P(f"{unit}{year}年度党建指导员积分考核汇总表", "doc_title"), Spacer(1, 2 * mm),
        P(f"积分按周记录和 {year} 年考核细则计算；等次：优秀、合格、基本合格、不合格。{state}。{scope.heading(ledger, '统计')}", "small"),
        Spacer(1, 2 * mm),
        RTable(data, colWidths=[*fixed, *[mid] * len(keys), *tail], repeatRows=1, style=[*grid(), *TALL]),
        Spacer(1, 8 * mm), *sign_lines,
    ]
    title = f"{year}年度党建指导员积分考核汇总表"
    return build(story, target, header=f"{unit} · {title}", title=title, author=unit, first=LANDSCAPE,
                 watermark="" if result.final else "草稿（未认定）")


def subsidy_pdf(ledger: Ledger, year: int, target: Path | BytesIO) -> int:
    """补贴发放表: from the final grades (refused before), exact yuan, a signature column for each recipient."""
    rows = subsidies.subsidies(ledger, year)
    base, transport, total = subsidies.totals(rows)
    unit = unit_name(ledger)
    w, _h = frame_size(PORTRAIT)
    head = ["序号", "指导站", "姓名", "专/兼", "等次", "月数", "补贴（元）", "交通补助", "合计（元）", "领取人签字"]
    data: list[list[object]] = [[P(t, "th_s") for t in head]]
    for n, r in enumerate(rows, 1):
        data.append([P(n, "small_c"), P(r.station, "small"), P(r.instructor, "small_c"), P(r.mode, "small_c"),
                     P(r.grade, "small_c"), P(r.months, "small_c"), P(f"{r.base:,}", "small_r"),
                     P(f"{r.transport:,}", "small_r"), P(f"{r.total:,}", "small_r"), ""])
    data.append([P("合计", "th_s"), "", "", "", "", "", P(f"{base:,}", "small_r"), P(f"{transport:,}", "small_r"),
                 P(f"{total:,}", "small_r"), ""])
    widths = [8 * mm, 36 * mm, 14 * mm, 13 * mm, 16 * mm, 9 * mm, 19 * mm, 17 * mm, 19 * mm]
    widths.append(w - sum(widths))
    story: list[Flowable] = [
        P(f"{unit}{year}年度党建工作指导员补贴发放表", "doc_title"), Spacer(1, 2 * mm),
        P("依据年度考核等次（经小组统计、站内核实、党支部认定）和指派月数计发；考核不合格的不发放。"
          f"{subsidies.scope_note(ledger)}", "small"),
        Spacer(1, 2 * mm),
        RTable(data, colWidths=widths, repeatRows=1, style=[*grid(), ("SPAN", (0, -1), (5, -1)),
                                                            ("TOPPADDING", (0, 1), (-1, -1), 7),
                                                            ("BOTTOMPADDING", (0, 1), (-1, -1), 7)]),
        Spacer(1, 10 * mm), sign_block(w, ("制表人", "审核人", "党支部盖章")),
    ]
    title = f"{year}年度党建工作指导员补贴发放表"
    return build(story, target, header=f"{unit} · {title}", title=title, author=unit, first=PORTRAIT)


def tickets_sheet(ledger: Ledger, year: int, target: Path | BytesIO) -> int:
    """问题帮办台账: every problem collected in the year, its handling and state, with 办结率."""
    rows = tickets.listing(ledger, year=year)
    rates = tickets.rates(ledger, year)
    unit = unit_name(ledger)
    w, _h = frame_size(LANDSCAPE)
    head = ["序号", "收集日期", "指导员", "企业 / 党组织", "提出人", "问题和需求", "状态", "承办单位", "办结日期", "满意度"]
    data: list[list[object]] = [[P(t, "th_s") for t in head]]
    for n, t in enumerate(rows, 1):
        data.append([P(n, "small_c"), P(f"{t.raised_on:%m-%d}", "small_c"), P(t.instructor, "small_c"),
                     P(t.place, "small"), P(t.raised_by, "small"), P(t.content, "small"), P(t.status, "small_c"),
                     P(t.handled_by, "small"), P(f"{t.closed_on:%m-%d}" if t.closed_on else "", "small_c"),
                     P(t.satisfaction, "small_c")])
    widths = [9 * mm, 16 * mm, 16 * mm, 44 * mm, 20 * mm, 0.0, 14 * mm, 34 * mm, 16 * mm, 15 * mm]
    widths[5] = w - sum(widths)
    overall = rates[-1]
    people = "；".join(f"{r.label} {r.closed}/{r.total}" for r in rates if r.level == "指导员" and r.total)
    story: list[Flowable] = [
        P(f"{unit}{year}年党建指导员问题帮办台账", "doc_title"), Spacer(1, 2 * mm),
        P(f"共收集问题 {overall.total} 个，办结 {overall.closed} 个，办结率 "
          f"{f'{overall.percent}%' if overall.percent is not None else '—'}。按指导员：{people or '—'}。{scope.heading(ledger, '统计')}", "small"),
        Spacer(1, 2 * mm),
        RTable(data, colWidths=widths, repeatRows=1, style=[*grid(), *TALL]),
        Spacer(1, 8 * mm), sign_block(w, ("填表人", "站长", "日期")),
    ]
    title = f"{year}年问题帮办台账"
    return build(story, target, header=f"{unit} · {title}", title=title, author=unit, first=LANDSCAPE)
