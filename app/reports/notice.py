"""季度预警通报: the formal notice of a quarter's 三级预警, with actions and deadlines by level, in 公文 form."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.domain.enums import WarningLevel, quarter_months
from app.domain.periods import quarter_ended
from app.domain.points import ZERO, fmt
from app.services.assessment import warnings
from app.services.assessment.warnings import DEADLINE_DAYS
from app.services.kernel import settings, validate
from app.services.kernel.context import Ledger

from . import gongwen
from .gongwen import G
from .styles import RTable, date_text, grid

QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}

# What each level requires of the warned organisation and of those above it.
ACTIONS = {
    WarningLevel.RED: "由党（工）委负责同志约谈党组织书记，在一定范围内通报，所属党委派员督导；"
                      "党组织应制定整改方案，在期限内完成整改并书面报告，经验收合格后销号。"
                      "整改不到位的，年度分类定级不得评为A类。",
    WarningLevel.ORANGE: "由党（工）委分管负责同志约谈党组织书记，指出问题、提出要求；"
                         "党组织应在期限内完成整改，并向党（工）委组织办书面报告整改情况。",
    WarningLevel.YELLOW: "由所属党委书记对党组织书记进行提醒谈话；党组织应对照积分细则查找差距，"
                         "在期限内制定并落实整改措施，报党（工）委组织办备案。",
}


def build_notice(
    ledger: Ledger, year: int, quarter: int, target: Path | BytesIO, *, notice_no: str | None = None,
    mirror: bool | None = None,
) -> int:
    """Write the quarter's warning notice in 公文 form (GB/T 9704); returns its page count."""
    year, quarter = validate.year(year), validate.quarter(quarter)
    rows = warnings.quarter_warnings(ledger, year, quarter)
    who = gongwen.issuer(ledger)
    issued = [r for r in rows if r.issued]
    number = notice_no if notice_no is not None else next((r.notice_no for r in issued if r.notice_no), "")
    when = next((r.issued_on for r in issued if r.issued_on), None) or ledger.today()
    # An issued notice prints what it said when issued (later edits never change it); otherwise the ledger now.
    warned = [r for r in rows if r.shown_level != WarningLevel.NONE]
    m1, _m2, m3 = quarter_months(quarter)
    qname = QUARTER_NAMES[quarter]
    avg = (sum((r.quarter_score for r in rows), ZERO) / len(rows)).quantize(ZERO) if rows else ZERO
    counts = {lvl: sum(1 for r in warned if r.shown_level == lvl) for lvl in (3, 2, 1)}
    provisional = any(r.provisional for r in rows) or (not rows and not quarter_ended(year, quarter, ledger.today()))
    draft = "草稿（季度未结束）" if provisional else ("" if issued else "草稿（未发布）")

    story: list[Flowable] = [
        *gongwen.masthead(who, number or who.number(year)),
        *gongwen.heading(f"关于{year}年{qname}基层党组织党建积分预警情况的通报", "各基层党组织"),
        G(f"根据{year}年度基层党组织党建工作积分管理办法，现将{year}年{qname}（{m1}—{m3}月）"
          f"党建积分及预警情况通报如下。"),
        G(f"本季度共有{len(rows)}个基层党组织参加积分，季度平均积分{fmt(avg)}分。其中{len(warned)}个党组织"
          f"触发预警：三级·红色预警{counts[3]}个，二级·橙色预警{counts[2]}个，一级·黄色预警{counts[1]}个。"),
    ]
    numerals = "一二三四"
    n = 0
    for level in (WarningLevel.RED, WarningLevel.ORANGE, WarningLevel.YELLOW):
        group = [r for r in warned if r.shown_level == level]
        if not group:
            continue
        deadline = when + timedelta(days=DEADLINE_DAYS[int(level)])
        # The heading keeps with the table's first rows; a long table splits and repeats its head.
        heading = f"{numerals[n]}、{level.label}预警（{level.action}）{len(group)}个"
        n += 1
        widths = [12 * mm, 46 * mm, 32 * mm, 20 * mm]
        widths.append(gongwen.BLOCK_W - sum(widths))
        data: list[list[object]] = [[G(t, "th") for t in ("序号", "党组织", "所属党委", "季度积分", "预警原因")]]
        for i, r in enumerate(group, 1):
            data.append([G(i, "cell_c"), G(r.org_name, "cell"), G(r.parent_name or "", "small"),
                         G(fmt(r.shown_score), "cell_c"), G(r.shown_reason_text, "small")])
        table = RTable(data, colWidths=widths, repeatRows=1, style=grid())
        story += [*gongwen.section(heading, table), table, Spacer(1, 2 * mm)]
        story.append(G(f"工作要求：{ACTIONS[level]}整改期限：{date_text(deadline)}前"
                       f"（{DEADLINE_DAYS[int(level)]}日内）。"))
    if not warned:
        story.append(G("本季度没有党组织触发预警。"))
    story.append(gongwen.closing(
        G("各基层党组织要对照积分细则，认真查找差距，举一反三，切实把“三会一课”、主题党日等基本制度落到实处。"
          "被预警的党组织要将整改情况按期报党（工）委组织办，党（工）委将适时组织“回头看”。"),
        who.signer, when))
    story.append(gongwen.Banji(who, when))
    title = f"{year}年{qname}党建积分预警通报" + (f"（{draft}）" if draft else "")
    return gongwen.build_gongwen(story, target, title=title, author=who.signer, watermark=draft,
                                 mirror=bool(settings.get(ledger, "mirror_margins")) if mirror is None else mirror)
