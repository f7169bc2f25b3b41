"""党支部工作手册: one organisation's year, printed as the handbook a secretary files."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Spacer

from app.services.kernel.context import Ledger

from .data import HandbookData, YearData, handbook_data
from .handbook_compliance import compliance_page
from .handbook_pairing import pairing_page
from .handbook_records import NUMERALS, record_sections
from .handbook_register import basic_info, committee, roster
from .handbook_scores import grade_page, score_table
from .handbook_tracking import tracking_page
from .layout import COVER, PORTRAIT, TocSlot, build, frame_size, toc_mark
from .styles import INK, Gap, P, RTable, fit_heights


def cover(d: HandbookData) -> list[Flowable]:
    _w, _h = frame_size(PORTRAIT)
    o = d.org
    lines = [
        ("党组织名称", o.name),
        ("所属党（工）委", o.parent_name or d.year.unit_name),
        ("党组织书记", d.secretary),
        ("组织类别", o.category.label if o.category else "未分类"),
        ("联系电话", o.contact),
    ]
    rows = [[P(a, "cover_line"), P(b, "cover_line")] for a, b in lines]
    widths = [42 * mm, 100 * mm]
    table = RTable(
        rows, colWidths=widths, rowHeights=fit_heights(rows, widths, 14 * mm),
        style=[("LINEBELOW", (1, 0), (1, -1), 0.8, INK), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
               ("ALIGN", (0, 0), (0, -1), "RIGHT")],
    )
    return [
        NextPageTemplate(PORTRAIT),
        Spacer(1, 28 * mm),
        P(f"{d.year.year}年度", "center"),
        Spacer(1, 6 * mm),
        P("党支部工作手册", "red_title"),
        Spacer(1, 3 * mm),
        P("（党务工作记录“一本通”）", "center"),
        Gap(36 * mm, keep=110 * mm),
        table,
        Gap(50 * mm, keep=20 * mm),
        P(d.year.unit_name or "", "center"),
        P(f"{d.year.year}年印制", "center"),
        PageBreak(),
    ]


def instructions(d: HandbookData) -> list[Flowable]:
    out: list[Flowable] = [P("填写说明", "h1")]
    out += [P(line, "body") for line in d.year.instructions]
    return [*out, PageBreak()]


def _numeral(i: int) -> str:
    """The chinese numeral of a 0-based section index: 一 … 十, 十一, 十二 …"""
    return NUMERALS[i] if i < len(NUMERALS) else "十" + NUMERALS[i - 10]


def story(d: HandbookData) -> list[Flowable]:
    out = [*cover(d), *instructions(d), TocSlot()]
    out.append(toc_mark(P("一、基本情况", "h1"), 0, "一、基本情况"))
    for code, title, part in (("1.1", "支部基本信息", basic_info), ("1.2", "支部委员会成员", committee),
                              ("1.3", "党员花名册", roster)):
        if code != "1.1":
            out.append(Spacer(1, 6 * mm) if code == "1.2" else PageBreak())
        out.append(toc_mark(P(f"{code} {title}", "h2"), 1, f"{code} {title}"))
        out += part(d)
    sections = record_sections(d, 1)
    out += sections
    n = 1 + sum(1 for f in sections if getattr(f, "toc_level", None) == 0)
    title = f"{NUMERALS[n]}、积分制管理记录表"
    out += [PageBreak(), toc_mark(P(title, "h1"), 0, title)]
    out += score_table(d)
    title = f"{NUMERALS[n + 1]}、组织生活落实情况"
    out += [PageBreak(), toc_mark(P(title, "h1"), 0, title)]
    out += compliance_page(d)
    title = f"{NUMERALS[n + 2]}、结对共建"
    out += [PageBreak(), toc_mark(P(title, "h1"), 0, title)]
    out += pairing_page(d)
    title = f"{NUMERALS[n + 3]}、书记项目与重点任务"
    out += [PageBreak(), toc_mark(P(title, "h1"), 0, title)]
    out += tracking_page(d)
    title = f"{NUMERALS[n + 4]}、年度考核定级"
    out += [PageBreak(), toc_mark(P(title, "h1"), 0, title)]
    out += grade_page(d)
    return out


def render(d: HandbookData, target: Path | BytesIO, mirror: bool | None = None) -> int:
    header = f"{d.org.name} · {d.year.year}年度党支部工作手册"
    return build(story(d), target, header=header, title=f"{d.org.name}{d.year.year}年度党支部工作手册",
                 author=d.year.unit_name, first=COVER, mirror=d.year.mirror if mirror is None else mirror)


def build_handbook(ledger: Ledger, org_code: str, year: int, target: Path | BytesIO,
                   shared: YearData | None = None, mirror: bool | None = None) -> int:
    """Write the handbook PDF of ``org_code`` for ``year``; returns its page count. ``mirror`` (mirrored
    margins for double-sided printing) overrides the setting when given."""
    return render(handbook_data(ledger, org_code, year, shared), target, mirror)
