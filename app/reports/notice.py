"""季度预警通报: the formal notice of a quarter's 三级预警, with actions and deadlines by level."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, HRFlowable, Spacer

from app.domain.enums import WarningLevel, quarter_months
from app.domain.periods import quarter_ended
from app.domain.points import ZERO, fmt
from app.services.assessment import warnings
from app.services.assessment.warnings import DEADLINE_DAYS
from app.services.kernel import validate
from app.services.kernel.context import Ledger

from .layout import PORTRAIT, build, frame_size
from .styles import PARTY_RED, P, RTable, date_text, grid
from .unit_docs import issuer_block, unit_name

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


def _red_rule(width: float) -> Flowable:
    return HRFlowable(width=width, thickness=1.6, color=PARTY_RED, spaceBefore=1 * mm, spaceAfter=1 * mm)


def build_notice(
    ledger: Ledger, year: int, quarter: int, target: Path | BytesIO, *, notice_no: str | None = None
) -> int:
    """Write the quarter's warning notice; returns its page count."""
    year, quarter = validate.year(year), validate.quarter(quarter)
    rows = warnings.quarter_warnings(ledger, year, quarter)
    unit = unit_name(ledger)
    w, _h = frame_size(PORTRAIT)
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
        Spacer(1, 6 * mm),
        P(unit, "red_title"),
        P(number or f"〔{year}〕　　号", "docno"),
        _red_rule(w),
        Spacer(1, 4 * mm),
        P(f"关于{year}年{qname}基层党组织党建积分预警情况的通报", "doc_title"),
        Spacer(1, 5 * mm),
        P("各基层党组织：", "plain"),
        P(f"根据{year}年度基层党组织党建工作积分管理办法，现将{year}年{qname}（{m1}—{m3}月）"
          f"党建积分及预警情况通报如下。", "body"),
        P(f"本季度共有 {len(rows)} 个基层党组织参加积分，季度平均积分 {fmt(avg)} 分。其中 {len(warned)} 个党组织"
          f"触发预警：三级·红色预警 {counts[3]} 个，二级·橙色预警 {counts[2]} 个，一级·黄色预警 {counts[1]} 个。",
          "body"),
    ]
    numerals = "一二三四"
    n = 0
    for level in (WarningLevel.RED, WarningLevel.ORANGE, WarningLevel.YELLOW):
        group = [r for r in warned if r.shown_level == level]
        if not group:
            continue
        deadline = when + timedelta(days=DEADLINE_DAYS[int(level)])
        # A long table may start low on a page and split, rather than leave the page empty.
        story += [Spacer(1, 3 * mm), CondPageBreak(40 * mm),
                  P(f"{numerals[n]}、{level.label}预警（{level.action}）　{len(group)} 个", "h3_flow")]
        n += 1
        widths = [11 * mm, 44 * mm, 30 * mm, 17 * mm]
        widths.append(w - sum(widths))
        data: list[list[object]] = [[P(t, "th") for t in ("序号", "党组织", "所属党委", "季度积分", "预警原因")]]
        for i, r in enumerate(group, 1):
            data.append([P(i, "cell_c"), P(r.org_name), P(r.parent_name or "", "small"),
                         P(fmt(r.shown_score), "cell_c"), P(r.shown_reason_text, "small")])
        story.append(RTable(data, colWidths=widths, repeatRows=1, style=grid()))
        story.append(Spacer(1, 2 * mm))
        story.append(P(f"工作要求：{ACTIONS[level]}整改期限：{date_text(deadline)}前"
                       f"（{DEADLINE_DAYS[int(level)]}日内）。", "body"))
    if not warned:
        story.append(P("本季度没有党组织触发预警。", "body"))
    story += [
        Spacer(1, 3 * mm),
        P("各基层党组织要对照积分细则，认真查找差距，举一反三，切实把“三会一课”、主题党日等基本制度落到实处。"
          "被预警的党组织要将整改情况按期报党（工）委组织办，党（工）委将适时组织“回头看”。", "body"),
        *issuer_block(unit, when),
    ]
    title = f"{year}年{qname}党建积分预警通报" + (f"（{draft}）" if draft else "")
    return build(story, target, header=f"{unit} · {title}", title=title, author=unit, watermark=draft)
