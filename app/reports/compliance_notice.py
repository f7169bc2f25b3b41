"""季度组织生活落实情况通报: missed meetings by type per 党委, the branches that missed them, a signature block."""

from __future__ import annotations

from collections import Counter, defaultdict
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from app.domain.compliance import EXEMPT, MISSING
from app.domain.periods import quarter_ended
from app.services.compliance import status
from app.services.kernel import validate
from app.services.kernel.context import Ledger
from app.services.register import orgs

from .layout import PORTRAIT, build, frame_size
from .styles import P, RTable, grid
from .unit_docs import issuer_block, unit_name

QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


def build_compliance_notice(ledger: Ledger, year: int, quarter: int, target: Path | BytesIO) -> int:
    """Write the quarter's 组织生活落实情况通报 (monthly and quarterly requirements); returns its page count."""
    year, quarter = validate.year(year), validate.quarter(quarter)
    rows = status.year_status(ledger, year, quarter=quarter)
    parent_of = {o.code: o.parent_name or "（未归属）" for o in orgs.list_orgs(ledger, year, include_inactive=True)}
    unit = unit_name(ledger)
    width, _h = frame_size(PORTRAIT)
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
        Spacer(1, 4 * mm),
        P(f"关于{year}年{qname}基层党组织组织生活落实情况的通报", "doc_title"),
        Spacer(1, 5 * mm),
        P("各基层党组织：", "plain"),
        P(f"根据年度组织生活要求，现将{year}年{qname}“三会一课”、主题党日、党费收缴、集中学习等组织生活落实情况"
          f"通报如下。本季度参加统计的党支部 {len(branches)} 个，应开展 {len(rows)} 期，已落实 {done} 期，"
          f"缺 {len(missed)} 期。", "body"),
        Spacer(1, 2 * mm),
        P("一、各党委缺项情况（期数）", "h3_flow"),
    ]
    head = ["所属党委", *types, "合计"]
    col = (width - 44 * mm) / max(1, len(types) + 1)
    data: list[list[object]] = [[P(t, "th") for t in head]]
    for parent in sorted(by_parent, key=lambda p: -sum(by_parent[p].values())):
        counts = by_parent[parent]
        data.append([P(parent), *[P(counts.get(t, 0) or "—", "cell_c") for t in types],
                     P(sum(counts.values()), "cell_c")])
    if len(data) == 1:
        data.append([P("本季度各党委均无缺项"), *["" for _ in types], ""])
    story.append(RTable(data, colWidths=[44 * mm] + [col] * (len(types) + 1), repeatRows=1, style=grid()))
    story += [Spacer(1, 4 * mm), CondPageBreak(30 * mm), P("二、存在缺项的党支部", "h3_flow")]
    per_branch: dict[str, list] = defaultdict(list)
    names = {}
    for r in missed:
        per_branch[r.org_code].append(r)
        names[r.org_code] = r.org_name
    data = [[P(t, "th") for t in ("序号", "所属党委", "党支部", "缺项")]]
    for i, code in enumerate(sorted(per_branch, key=lambda c: (parent_of.get(c, ""), c)), 1):
        items: dict[str, list[str]] = defaultdict(list)
        for r in per_branch[code]:
            items[r.type_name].append(r.period[5:] + ("" if "Q" in r.period else "月"))
        text = "；".join(f"{t}（{'、'.join(p.lstrip('0') for p in ps)}）" for t, ps in items.items())
        data.append([P(i, "cell_c"), P(parent_of.get(code, ""), "small"), P(names[code]), P(text, "small")])
    if len(data) == 1:
        data.append(["", "", P("无"), ""])
    widths = [11 * mm, 36 * mm, 48 * mm]
    widths.append(width - sum(widths))
    story.append(RTable(data, colWidths=widths, repeatRows=1, style=grid()))
    story += [
        Spacer(1, 3 * mm),
        P("存在缺项的党支部要对照要求及时补课，把“三会一课”等基本制度落到实处；各党委要加强督促指导，"
          "下季度将继续通报。经批准豁免的期次不计为缺项。", "body"),
        *issuer_block(unit, ledger.today(), 14 * mm),
    ]
    draft = "草稿（季度未结束）" if running else ""
    title = f"{year}年{qname}组织生活落实情况通报" + (f"（{draft}）" if draft else "")
    return build(story, target, header=f"{unit} · {title}", title=title, author=unit, watermark=draft)
