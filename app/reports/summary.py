"""年度分类定级汇总表: every organisation ranked with score, class, change and the approval block."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.domain.enums import Category, CategoryKind
from app.domain.points import fmt
from app.services.assessment import grades
from app.services.kernel import scope, validate
from app.services.kernel.context import Ledger
from app.services.scoring import schemes

from .layout import LANDSCAPE, build, frame_size
from .styles import SHADE, P, RTable, grid
from .unit_docs import approval_box, sign_block, unit_name


def build_summary(ledger: Ledger, year: int, target: Path | BytesIO) -> int:
    year = validate.year(year)
    rows = sorted(grades.year_grades(ledger, year), key=lambda g: (g.rank, g.org_code))
    scheme = schemes.get_scheme(ledger, year)
    unit = unit_name(ledger)
    w, _h = frame_size(LANDSCAPE)
    cats = scheme.categories
    fixed = [9 * mm, 44 * mm, 28 * mm, 16 * mm]
    tail = [14 * mm, 13 * mm, 13 * mm, 13 * mm, 10 * mm]
    # A scheme with many categories narrows their columns rather than pushing the table off the page.
    cat_w = min(13 * mm, (w - sum(fixed) - sum(tail) - 16 * mm) / max(1, len(cats)))
    remark = w - sum(fixed) - sum(tail) - cat_w * len(cats)
    widths = fixed + [cat_w] * len(cats) + tail + [remark]
    head = ["排名", "党组织名称", "所属党委", "领域", *[c.name for c in cats],
            "年度得分", "积分定级", "最终定级", "本年分类", "升降", "备注"]
    data: list[list[object]] = [[P(t, "th_s") for t in head]]
    style = [*grid(), ("LEFTPADDING", (0, 0), (-1, 0), 1), ("RIGHTPADDING", (0, 0), (-1, 0), 1)]
    reasons: list[tuple[str, str]] = []  # printed under the table: a long reason would not fit a row
    for g in rows:
        vals = []
        for c in cats:
            v = g.categories.get(c.code)
            vals.append("" if v is None else fmt(-v if c.kind is CategoryKind.DEDUCTION else v))
        notes = []
        if g.veto:
            notes.append("一票否决")
        if g.override_reason:
            reasons.append((g.org_name, g.override_reason))
            notes.append(f"调整定级（理由见表后说明{len(reasons)}）")
        if not g.confirmed:
            notes.append("待确认")
        data.append([P(g.rank, "small_c"), P(g.org_name, "small"), P(g.parent_name or "", "small"),
                     P(g.sector, "small_c"), *[P(v, "small_c") for v in vals], P(fmt(g.score), "cell_c"),
                     P(g.computed.value, "small_c"), P(g.final.value, "cell_c"),
                     P(g.previous.value if g.previous else "—", "small_c"), P(g.change or "—", "small_c"),
                     P("；".join(notes), "small")])
        if g.final is not Category.A and g.final != g.computed:
            style.append(("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), SHADE))
    counts = {c: sum(1 for g in rows if g.final is c) for c in Category}
    story: list[Flowable] = [
        P(f"{unit}{year}年度基层党组织分类定级汇总表", "doc_title"),
        *([P(within, "center")] if (within := scope.heading(ledger)) else []),
        Spacer(1, 3 * mm),
        P(f"参加定级 {len(rows)} 个；A类示范型 {counts[Category.A]} 个，B类成长型 {counts[Category.B]} 个，"
          f"C类孵化型 {counts[Category.C]} 个。定级标准：年度得分 ≥ {fmt(scheme.grade.a_min)} 分为A类，"
          f"≥ {fmt(scheme.grade.b_min)} 分为B类，其余为C类；有一票否决事项的定为C类。", "small"),
        Spacer(1, 2 * mm),
        RTable(data, colWidths=widths, repeatRows=1, style=style),
        *_reason_notes(reasons),
        Spacer(1, 6 * mm),
        approval_box(w, "党（工）委\n审批意见", "负责人"),
        Spacer(1, 6 * mm),
        sign_block(w, ("制表人", "审核人", "制表日期")),
    ]
    title = f"{year}年度分类定级汇总表"
    return build(story, target, header=f"{unit} · {title}", title=title, author=unit, first=LANDSCAPE)


def _reason_notes(reasons: list[tuple[str, str]]) -> list[Flowable]:
    """调整理由 in full, one paragraph each, numbered as the 备注 column refers to them."""
    if not reasons:
        return []
    out: list[Flowable] = [Spacer(1, 3 * mm), P("调整定级理由说明", "h3")]
    out += [P(f"{i}. {name}：{reason}", "small") for i, (name, reason) in enumerate(reasons, 1)]
    return out
