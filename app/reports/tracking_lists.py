"""Unit-wide tracking paper: 书记项目清单 (one row per project), 重点任务台账 (a year), 月度工作任务清单 and
月末汇总反馈表 (a month). The 调度通报 is a 公文: tracking_dispatch.py."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.domain import tracking as rules
from app.services.kernel import validate
from app.services.kernel.context import Ledger
from app.services.tracking import projects, task_lists, tasks

from .layout import LANDSCAPE, PORTRAIT, build, frame_size
from .styles import SHADE, P, RTable, grid
from .unit_docs import approval_box, sign_block, unit_name


def _level(level: str) -> str:
    return level.replace("乡镇(街道、开发区)党(工)委书记项目", "党(工)委书记项目")


def build_project_list(ledger: Ledger, year: object, target: Path | BytesIO) -> int:
    """书记项目清单: one row per project of the year, by type (重点, 提升, 改薄)."""
    y = validate.year(year)
    rows = sorted(projects.listing(ledger, y), key=lambda p: (rules.TYPES.index(p.type), p.id))
    unit = unit_name(ledger)
    w, _h = frame_size(LANDSCAPE)
    widths = [9 * mm, 44 * mm, 26 * mm, 12 * mm, 38 * mm, 0, 46 * mm, 26 * mm, 16 * mm, 14 * mm]
    widths[5] = w - sum(widths)
    head = ["序号", "项目名称", "项目层级", "类型", "牵头组织（领衔书记）", "解决的问题", "目标任务", "起止时间", "状态", "节点"]
    data: list[list[object]] = [[P(t, "th") for t in head]]
    for n, p in enumerate(rows, 1):
        data.append([P(n, "small_c"), P(p.title, "small"), P(_level(p.level), "small"), P(p.type, "small_c"),
                     P(f"{p.lead_name}（{p.lead_person or '—'}）", "small"), P(p.problem, "small"), P(p.goal, "small"),
                     P(f"{p.start:%Y.%m.%d}—{p.end:%Y.%m.%d}", "small_c"), P(p.status, "small_c"),
                     P(f"{p.track.milestones_done}/{p.track.milestones_total}", "small_c")])
    counts = "，".join(f"{t}项目 {sum(1 for p in rows if p.type == t)} 个" for t in rules.TYPES)
    story: list[Flowable] = [
        P(f"{unit}{y}年度基层党建书记项目清单", "doc_title"), Spacer(1, 3 * mm),
        P(f"共 {len(rows)} 个项目：{counts}。按难易程度分为重点项目、提升项目和改薄项目，分层动态管理。", "small"),
        Spacer(1, 2 * mm), RTable(data, colWidths=widths, repeatRows=1, style=grid()), Spacer(1, 8 * mm),
        sign_block(w, ("制表人", "审核人", "制表日期")),
    ]
    title = f"{y}年度书记项目清单"
    return build(story, target, header=f"{unit} · {title}", title=title, author=unit, first=LANDSCAPE)


def build_task_ledger(ledger: Ledger, year: object, target: Path | BytesIO) -> int:
    """重点任务台账: every task due in the year — 明责有为、履责有序、督责有力、问责有据."""
    y = validate.year(year)
    rows = tasks.listing(ledger, year=y)
    unit = unit_name(ledger)
    w, _h = frame_size(LANDSCAPE)
    widths = [9 * mm, 0, 22 * mm, 44 * mm, 18 * mm, 22 * mm, 22 * mm, 22 * mm, 16 * mm, 40 * mm]
    widths[1] = w - sum(widths)
    head = ["序号", "任务", "来源", "责任单位", "责任人", "交办日期", "完成时限", "完成日期", "状态", "佐证 / 验收"]
    data: list[list[object]] = [[P(t, "th") for t in head]]
    style = grid()
    for n, t in enumerate(rows, 1):
        data.append([P(n, "small_c"), P(t.title, "small"), P(t.source, "small_c"), P(t.owner_name, "small"),
                     P(t.owner_person, "small_c"), P(f"{t.issued:%Y.%m.%d}", "small_c"), P(f"{t.due:%Y.%m.%d}", "small_c"),
                     P(f"{t.done_on:%Y.%m.%d}" if t.done_on else "", "small_c"), P(t.status, "small_c"),
                     P(" / ".join(x for x in (t.evidence, t.verified_by) if x), "small")])
        if t.status == rules.OVERDUE:
            style.append(("BACKGROUND", (0, n), (-1, n), SHADE))
    counts = "，".join(f"{st} {sum(1 for t in rows if t.status == st)}" for st in rules.TASK_STATUSES)
    story: list[Flowable] = [
        P(f"{unit}{y}年度基层党建重点任务台账", "doc_title"), Spacer(1, 3 * mm),
        P(f"共 {len(rows)} 项（{counts}）；逾期未完成的行加底色。", "small"), Spacer(1, 2 * mm),
        RTable(data, colWidths=widths, repeatRows=1, style=style), Spacer(1, 8 * mm),
        sign_block(w, ("制表人", "审核人", "制表日期")),
    ]
    title = f"{y}年度重点任务台账"
    return build(story, target, header=f"{unit} · {title}", title=title, author=unit, first=LANDSCAPE)


def build_month_list(ledger: Ledger, month: object, target: Path | BytesIO) -> int:
    """月度工作任务清单 (月初拟定): the month's tasks, by owner."""
    ym = tasks.parse_list_month(month)
    rows = sorted(tasks.listing(ledger, month=ym), key=lambda t: (t.owner_code, t.due, t.id))
    unit = unit_name(ledger)
    w, _h = frame_size(PORTRAIT)
    widths = [10 * mm, 48 * mm, 0, 24 * mm, 20 * mm]
    widths[2] = w - sum(widths)
    data: list[list[object]] = [[P(t, "th") for t in ("序号", "责任单位", "工作任务", "完成时限", "责任人")]]
    for n, t in enumerate(rows, 1):
        data.append([P(n, "small_c"), P(t.owner_name, "small"), P(t.title, "small"), P(f"{t.due:%m月%d日}", "small_c"),
                     P(t.owner_person, "small_c")])
    y, m = ym.split("-")
    story: list[Flowable] = [
        P(f"{unit}{y}年{int(m)}月基层党建工作任务清单", "doc_title"), Spacer(1, 3 * mm),
        P(f"月初拟定、月末汇总反馈。本月任务 {len(rows)} 项，涉及 {len({t.owner_code for t in rows})} 个责任单位。", "small"),
        Spacer(1, 2 * mm), RTable(data, colWidths=widths, repeatRows=1, style=grid()), Spacer(1, 8 * mm),
        sign_block(w, ("拟定人", "审核人", "下发日期")),
    ]
    title = f"{y}年{int(m)}月工作任务清单"
    return build(story, target, header=f"{unit} · {title}", title=title, author=unit)


def build_feedback(ledger: Ledger, month: object, target: Path | BytesIO) -> int:
    """月末汇总反馈表: completion per owner, the laggards first, with the unit's totals."""
    fb = task_lists.feedback(ledger, month)
    unit = unit_name(ledger)
    w, _h = frame_size(PORTRAIT)
    widths = [10 * mm, 0, 16 * mm, 16 * mm, 18 * mm, 14 * mm, 16 * mm, 18 * mm, 26 * mm]
    widths[1] = w - sum(widths)
    head = ["序号", "责任单位", "任务数", "已完成", "按时完成", "逾期", "未到期", "完成率", "备注"]
    data: list[list[object]] = [[P(t, "th") for t in head]]
    for n, o in enumerate(fb.owners, 1):
        data.append([P(n, "small_c"), P(o.owner_name, "small"), P(o.total, "small_c"), P(o.done, "small_c"),
                     P(o.on_time, "small_c"), P(o.overdue, "small_c"), P(o.open, "small_c"), P(f"{o.rate}%", "small_c"), ""])
    data.append(["", P("合计", "label"), P(fb.total, "small_c"), P(fb.done, "small_c"),
                 P(sum(o.on_time for o in fb.owners), "small_c"), P(fb.overdue, "small_c"),
                 P(sum(o.open for o in fb.owners), "small_c"), P(f"{rules.rate(fb.done, fb.total)}%", "small_c"), ""])
    y, m = fb.month.split("-")
    story: list[Flowable] = [
        P(f"{unit}{y}年{int(m)}月工作任务月末汇总反馈表", "doc_title"), Spacer(1, 3 * mm),
        P("完成率低的单位排在前面；逾期为已过完成时限仍未完成的任务。", "small"), Spacer(1, 2 * mm),
        RTable(data, colWidths=widths, repeatRows=1, style=[*grid(), ("BACKGROUND", (0, -1), (-1, -1), SHADE)]),
        Spacer(1, 6 * mm), approval_box(w, "党（工）委\n审核意见", "负责人"), Spacer(1, 6 * mm),
        sign_block(w, ("填表人", "审核人", "填表日期")),
    ]
    title = f"{y}年{int(m)}月月末汇总反馈表"
    return build(story, target, header=f"{unit} · {title}", title=title, author=unit)
