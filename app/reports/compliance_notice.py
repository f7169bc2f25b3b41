"""季度组织生活落实情况通报: missed meetings by type per 党委, the branches that missed them, in 公文 form."""

from __future__ import annotations

from collections import Counter, defaultdict
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.domain.compliance import EXEMPT, MISSING
from app.domain.periods import quarter_ended
from app.services.compliance import status
from app.services.kernel import settings, validate
from app.services.kernel.context import Ledger
from app.services.register import orgs

from . import gongwen
from .gongwen import G
from .styles import RTable, grid

QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


def build_compliance_notice(ledger: Ledger, year: int, quarter: int, target: Path | BytesIO, *,
                            notice_no: str | None = None, mirror: bool | None = None) -> int:
    """Write the quarter's 组织生活落实情况通报 (monthly and quarterly requirements) in 公文 form (GB/T 9704);
    returns its page count. ``notice_no`` is its 文号 (blank serial when not given)."""
    year, quarter = validate.year(year), validate.quarter(quarter)
    rows = status.year_status(ledger, year, quarter=quarter)
    parent_of = {o.code: o.parent_name or "（未归属）" for o in orgs.list_orgs(ledger, year, include_inactive=True)}
    who = gongwen.issuer(ledger)
    width = gongwen.BLOCK_W
    qname = QUARTER_NAMES[quarter]
    running = not quarter_ended(year, quarter, ledger.today())
    types = list(dict.fromkeys(r.type_name for r in rows))
    missed = [r for r in rows if r.status == MISSING]
    branches = {r.org_code for r in rows}
    by_parent: dict[str, Counter] = defaultdict(Counter)
    for r in missed:
        by_parent[parent_of.get(r.org_code, "（未归属）")][r.type_name] += 1
    done = sum(1 for r in rows if r.status not in (MISSING, EXEMPT) and r.held >= r.required)

    story: list[Flowable] = [
        *gongwen.masthead(who, notice_no or who.number(year)),
        *gongwen.heading(f"关于{year}年{qname}基层党组织组织生活落实情况的通报", "各基层党组织"),
        G(f"根据年度组织生活要求，现将{year}年{qname}“三会一课”、主题党日、党费收缴、集中学习等组织生活落实情况"
          f"通报如下。本季度参加统计的党支部{len(branches)}个，应开展{len(rows)}期，已落实{done}期，"
          f"缺{len(missed)}期。"),
    ]
    head = ["所属党委", *types, "合计"]
    first = 40 * mm
    col = (width - first) / max(1, len(types) + 1)
    data: list[list[object]] = [[G(t, "th") for t in head]]
    for parent in sorted(by_parent, key=lambda p: -sum(by_parent[p].values())):
        counts = by_parent[parent]
        data.append([G(parent, "cell"), *[G(counts.get(t, 0) or "—", "cell_c") for t in types],
                     G(sum(counts.values()), "cell_c")])
    if len(data) == 1:
        data.append([G("本季度各党委均无缺项", "cell"), *["" for _ in types], ""])
    table = RTable(data, colWidths=[first] + [col] * (len(types) + 1), repeatRows=1, style=grid())
    story += [*gongwen.section("一、各党委缺项情况（期数）", table), table, Spacer(1, 3 * mm)]
    per_branch: dict[str, list] = defaultdict(list)
    names = {}
    for r in missed:
        per_branch[r.org_code].append(r)
        names[r.org_code] = r.org_name
    data = [[G(t, "th") for t in ("序号", "所属党委", "党支部", "缺项")]]
    for i, code in enumerate(sorted(per_branch, key=lambda c: (parent_of.get(c, ""), c)), 1):
        items: dict[str, list[str]] = defaultdict(list)
        for r in per_branch[code]:
            items[r.type_name].append(r.period[5:] + ("" if "Q" in r.period else "月"))
        text = "；".join(f"{t}（{'、'.join(p.lstrip('0') for p in ps)}）" for t, ps in items.items())
        data.append([G(i, "cell_c"), G(parent_of.get(code, ""), "small"), G(names[code], "cell"), G(text, "small")])
    if len(data) == 1:
        data.append(["", "", G("无", "cell"), ""])
    widths = [12 * mm, 34 * mm, 46 * mm]
    widths.append(width - sum(widths))
    table = RTable(data, colWidths=widths, repeatRows=1, style=grid())
    story += [*gongwen.section("二、存在缺项的党支部", table), table]
    story.append(gongwen.closing(
        G("存在缺项的党支部要对照要求及时补课，把“三会一课”等基本制度落到实处；各党委要加强督促指导，"
          "下季度将继续通报。经批准豁免的期次不计为缺项。"), who.signer, ledger.today()))
    story.append(gongwen.Banji(who, ledger.today()))
    # A running quarter can only be a marked draft: the mark is on every page.
    draft = "草稿（季度未结束）" if running else ""
    title = f"{year}年{qname}组织生活落实情况通报" + (f"（{draft}）" if draft else "")
    return gongwen.build_gongwen(story, target, title=title, author=who.signer, watermark=draft,
                                 mirror=bool(settings.get(ledger, "mirror_margins")) if mirror is None else mirror)
