"""书记项目推进情况调度通报 in 公文 form (GB/T 9704, as the 组织生活 通报): the 滞后 projects first (with their
late milestones), then 临期, then completed — as they stood at the month's end. A 通报 of a month not yet ended is a marked draft on every page."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.domain import tracking as rules
from app.domain.periods import month_bounds
from app.errors import ValidationError
from app.services.kernel import settings, validate
from app.services.kernel.context import Ledger
from app.services.tracking import projects, tasks

from . import gongwen
from .gongwen import G
from .styles import RTable, grid

DRAFT = "草稿（月份未结束）"


def dispatch_month(year: int, month: object, today: date) -> tuple[int, int]:
    """The month a 通报 reports: the one asked for (in ``year``), else this month of the current year, else
    December of another year."""
    if month not in (None, ""):
        y, m = (int(x) for x in tasks.parse_list_month(month).split("-"))
        if y != year:
            raise ValidationError(f"月份 {y}-{m:02d} 不在 {year} 年")
        return y, m
    return year, today.month if year == today.year else 12


def month_ended(year: int, month: int, today: date) -> bool:
    return month_bounds(year, month)[1] < today


def build_dispatch(ledger: Ledger, year: object, target: Path | BytesIO, *, month: object = None,
                   notice_no: str | None = None, mirror: bool | None = None) -> int:
    """Write the month's 调度通报 of the year's 书记项目 as they stood at the month's end (today while the month
    runs: a later milestone, log or completion does not rewrite a past month's 通报); returns its page count."""
    y = validate.year(year)
    today = ledger.today()
    y, m = dispatch_month(y, month, today)
    as_of = min(today, month_bounds(y, m)[1])
    rows = projects.listing(ledger, y, full=True, as_of=as_of)
    who = gongwen.issuer(ledger)
    width = gongwen.BLOCK_W
    lagging = sorted((p for p in rows if p.track.is_lagging), key=lambda p: (-p.track.lagging, p.id))
    soon = [p for p in rows if p.track.is_due_soon and not p.track.is_lagging]
    done = [p for p in rows if p.status == rules.COMPLETED]
    running = [p for p in rows if p.status in (rules.APPROVED, rules.RUNNING)]
    story: list[Flowable] = [
        *gongwen.masthead(who, notice_no or who.number(y)),
        *gongwen.heading(f"关于{y}年{m}月书记项目推进情况的调度通报", "各基层党组织"),
        G(f"按照“盯跟晒”工作法（盯紧进度、跟住责任、晒出成效），现将书记项目推进情况通报如下。截至"
          f"{as_of.year}年{as_of.month}月{as_of.day}日，{y}年度书记项目共{len(rows)}个，推进中{len(running)}个，"
          f"已完成{len(done)}个；有节点滞后的{len(lagging)}个，近期节点临期的{len(soon)}个。"),
    ]

    def part(title: str, items: list[projects.ProjectInfo], what) -> None:
        if not items:
            story.extend([*gongwen.section(title), G("无。")])
            return
        widths = [44 * mm, 34 * mm, 0, 14 * mm]
        widths[2] = width - sum(widths)
        data: list[list[object]] = [[G(t, "th") for t in ("项目名称", "牵头组织", "情况", "节点")]]
        data += [[G(p.title, "cell"), G(p.lead_name, "small"), G(what(p), "small"),
                  G(f"{p.track.milestones_done}/{p.track.milestones_total}", "cell_c")] for p in items]
        table = RTable(data, colWidths=widths, repeatRows=1, style=grid())
        story.extend([*gongwen.section(title, table), table, Spacer(1, 3 * mm)])

    part("一、节点滞后的项目", lagging,
         lambda p: "；".join(f"“{x.title}”时限{x.due.month}月{x.due.day}日未完成" for x in p.milestones if x.lagging))
    part("二、节点临期的项目", soon,
         lambda p: "；".join(f"“{x.title}”将于{x.due.month}月{x.due.day}日到期" for x in p.milestones if x.due_soon))
    part("三、已完成的项目", done, lambda p: f"{p.finished_on.month}月{p.finished_on.day}日结项：{p.summary}")
    story.append(gongwen.closing(
        G("节点滞后项目的牵头党组织书记要亲自领办，查找原因，限期赶上进度；临期项目要倒排工期，确保按时完成。"
          "下月将继续调度通报。"), who.signer, today))
    story.append(gongwen.Banji(who, today))
    draft = "" if month_ended(y, m, today) else DRAFT
    title = f"{y}年{m}月书记项目调度通报" + (f"（{draft}）" if draft else "")
    return gongwen.build_gongwen(story, target, title=title, author=who.signer, watermark=draft,
                                 mirror=bool(settings.get(ledger, "mirror_margins")) if mirror is None else mirror)
