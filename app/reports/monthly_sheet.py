"""月度积分记录表: one month's points of every scored organisation, for signing and filing."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.domain.enums import quarter_of
from app.domain.points import ZERO, fmt
from app.services.kernel import validate
from app.services.kernel.context import Ledger
from app.services.register import orgs
from app.services.scoring import schemes, scores

from .layout import LANDSCAPE, build, frame_size
from .styles import P, RTable, grid
from .unit_docs import sign_block, unit_name


def build_monthly_sheet(ledger: Ledger, year: int, month: int, target: Path | BytesIO) -> int:
    year, month = validate.year(year), validate.month(month)
    scheme = schemes.get_scheme(ledger, year)
    unit = unit_name(ledger)
    category_of = {item.code: cat.code for cat, item in scheme.items()}
    by_org: dict[str, dict[str, Decimal]] = {}
    for c in scores.cells(ledger, year, month=month):
        cat = category_of.get(c.item_code)
        if cat is not None:
            d = by_org.setdefault(c.org_code, {})
            d[cat] = d.get(cat, ZERO) + c.signed
    totals = scores.month_totals(ledger, year, month)
    branches = [o for o in orgs.list_orgs(ledger, year) if o.scored and o.active]
    w, _h = frame_size(LANDSCAPE)
    cats = scheme.categories
    fixed = [9 * mm, 50 * mm, 32 * mm]
    tail = [16 * mm, 18 * mm, 28 * mm]
    # A scheme with many categories narrows their columns rather than pushing the table off the page.
    cat_w = min(14 * mm, (w - sum(fixed) - sum(tail) - 16 * mm) / max(1, len(cats)))
    widths = fixed + [cat_w] * len(cats) + tail
    widths.append(w - sum(widths))
    q = quarter_of(month)
    head = ["序号", "党组织名称", "所属党委", *[c.name for c in cats], "本月得分", f"第{q}季度累计",
            "书记签字", "备注"]
    data: list[list[object]] = [[P(t, "th_s") for t in head]]
    for i, o in enumerate(branches, 1):
        vals = by_org.get(o.code, {})
        t = totals.get(o.code)
        data.append([P(i, "small_c"), P(o.name, "small"), P(o.parent_name or "", "small"),
                     *[P(fmt(vals[c.code]) if c.code in vals else "", "small_c") for c in cats],
                     P(fmt(t.month) if t else "0.0", "cell_c"), P(fmt(t.quarter_to_date) if t else "0.0", "cell_c"),
                     "", ""])
    story: list[Flowable] = [
        P(f"{unit}{year}年{month}月基层党组织党建积分记录表", "doc_title"),
        Spacer(1, 2 * mm),
        P(f"共 {len(branches)} 个党组织。各项为本月按细则计得的分数（扣分项为负数），"
          "请各党组织书记核对后签字。", "small"),
        Spacer(1, 2 * mm),
        # Generous padding leaves room for a handwritten signature in each row.
        RTable(data, colWidths=widths, repeatRows=1,
               style=[*grid(), ("LEFTPADDING", (0, 0), (-1, 0), 1), ("RIGHTPADDING", (0, 0), (-1, 0), 1),
                      ("TOPPADDING", (0, 1), (-1, -1), 6), ("BOTTOMPADDING", (0, 1), (-1, -1), 7)]),
        Spacer(1, 8 * mm),
        sign_block(w, ("填表人", "审核人", "填表日期")),
    ]
    title = f"{year}年{month}月党建积分记录表"
    return build(story, target, header=f"{unit} · {title}", title=title, author=unit, first=LANDSCAPE)
