"""Paragraph and table styles shared by every printed document."""

from __future__ import annotations

from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from . import glyphs, kinsoku
from .continued import Continued, remap
from .fonts import BODY, HEAD, register_fonts

INK = colors.black
RULE = colors.HexColor("#333333")
LIGHT_RULE = colors.HexColor("#9a9a9a")
SHADE = colors.HexColor("#eeeeee")
PARTY_RED = colors.HexColor("#c00000")

# Height of one handwriting line on a ruled page.
LINE = 8 * mm


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    kinsoku.install()

    def s(name: str, font: str = BODY, size: float = 10.5, leading: float | None = None, **kw) -> ParagraphStyle:
        # CJK wrapping breaks lines between any two Chinese characters, as typeset Chinese does.
        kw.setdefault("textColor", INK)
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.5,
                              wordWrap="CJK", **kw)

    return {
        "body": s("body", alignment=TA_JUSTIFY, firstLineIndent=21),
        "plain": s("plain"),
        "cell": s("cell", size=10, leading=15),
        "cell_c": s("cell_c", size=10, leading=15, alignment=TA_CENTER),
        "cell_r": s("cell_r", size=10, leading=15, alignment=TA_RIGHT),
        "small": s("small", size=9, leading=13),
        "small_c": s("small_c", size=9, leading=13, alignment=TA_CENTER),
        "small_r": s("small_r", size=9, leading=13, alignment=TA_RIGHT),
        "label": s("label", font=HEAD, size=10, leading=15, alignment=TA_CENTER),
        "th": s("th", font=HEAD, size=9.5, leading=13, alignment=TA_CENTER),
        "th_s": s("th_s", font=HEAD, size=8.5, leading=11, alignment=TA_CENTER),
        "title": s("title", font=HEAD, size=20, leading=30, alignment=TA_CENTER, spaceAfter=6 * mm),
        "doc_title": s("doc_title", font=HEAD, size=18, leading=28, alignment=TA_CENTER),
        "red_title": s("red_title", font=HEAD, size=24, leading=36, alignment=TA_CENTER, textColor=PARTY_RED),
        "docno": s("docno", size=11, leading=18, alignment=TA_CENTER),
        "h1": s("h1", font=HEAD, size=16, leading=24, alignment=TA_CENTER, spaceBefore=2 * mm, spaceAfter=5 * mm,
                keepWithNext=1),
        "h2": s("h2", font=HEAD, size=13, leading=20, alignment=TA_LEFT, spaceBefore=1 * mm, spaceAfter=3 * mm,
                keepWithNext=1),
        "h3": s("h3", font=HEAD, size=11.5, leading=18, spaceBefore=2 * mm, spaceAfter=2 * mm, keepWithNext=1),
        "h3_flow": s("h3_flow", font=HEAD, size=11.5, leading=18, spaceBefore=2 * mm, spaceAfter=2 * mm),
        "note": s("note", size=9, leading=14, textColor=colors.HexColor("#444444")),
        "right": s("right", size=11, leading=20, alignment=TA_RIGHT),
        "center": s("center", size=11, leading=20, alignment=TA_CENTER),
        "cover_org": s("cover_org", font=HEAD, size=18, leading=30, alignment=TA_CENTER),
        "cover_line": s("cover_line", size=14, leading=26),
    }


def P(text: object, style: str = "cell") -> Paragraph:
    """A paragraph of plain user text: escaped, so '<' or '&' in a record prints as typed; characters
    the style's font lacks fall back to the bundled rare-character fonts (glyphs.py)."""
    st = styles()[style]
    body = glyphs.plain_markup("" if text is None else str(text), st.fontName)
    return Paragraph(body.replace("\n", "<br/>"), st)


def M(markup: str, style: str = "cell") -> Paragraph:
    """A paragraph of our own markup (already escaped), with the same per-character fallback."""
    st = styles()[style]
    return Paragraph(glyphs.markup(markup, st.fontName), st)


def grid(header_rows: int = 1, *, shade: bool = True) -> list[tuple]:
    """The ruled-table look: thin inner grid, heavier outer box, shaded header."""
    cmds: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BOX", (0, 0), (-1, -1), 1.0, INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows and shade:
        cmds.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE))
    return cmds


def date_text(value: object) -> str:
    """Dates as a secretary writes them: 2026年3月5日."""
    if value is None or value == "":
        return ""
    if hasattr(value, "year") and hasattr(value, "month") and hasattr(value, "day"):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def month_text(value: object) -> str:
    if value is None or value == "":
        return ""
    return f"{value.year}.{value.month:02d}" if hasattr(value, "month") else str(value)


class RTable(Table):
    """A Table whose plain-string cells (even empty ones) use our embedded font, not Helvetica; a
    plain string with a character the font lacks becomes a paragraph, which falls back per character."""

    def __init__(self, data, *args, style=None, **kwargs) -> None:
        register_fonts()
        data = [[P(c) if isinstance(c, str) and not glyphs.covered(c, BODY) else c for c in row] for row in data]
        super().__init__(data, *args, style=[("FONT", (0, 0), (-1, -1), BODY, 10), *list(style or [])], **kwargs)
        # A form's rows that continue a field (row -> the field's label), set by the form builder; a
        # table without them gets a "（续表）" line above each continued part instead.
        self.cont_labels: dict[int, str] | None = None

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if len(parts) < 2:
            return parts
        first, rest = parts[0], parts[1:]
        if self.cont_labels is None:
            return [first, *(p if isinstance(p, Continued) else Continued(p) for p in rest)]
        kept = len(first._cellvalues)  # original rows that stayed on this page (headers included)
        heads = first.repeatRows if isinstance(first.repeatRows, int) else len(first.repeatRows)
        for part in rest:
            part.cont_labels = remap(self.cont_labels, kept, heads)
            if kept in self.cont_labels:
                part._cellvalues[heads][0] = P(self.cont_labels[kept] + "（续）", "label")
        return [first, *rest]


def fit_heights(rows: list[list[object]], widths: list[float], minimum: float, pad: float = 8) -> list[float | None]:
    """Row heights that keep a form's even look (``minimum``) yet let a row grow with its text: a row
    whose paragraphs need more room gets None (reportlab sizes it), so long text never overprints."""
    out: list[float | None] = []
    for row in rows:
        need = 0.0
        for cell, width in zip(row, widths, strict=False):
            if isinstance(cell, Paragraph):
                need = max(need, cell.wrap(width - 6, 10_000)[1] + pad)
        out.append(minimum if need <= minimum else None)
    return out


class Gap(Spacer):
    """Vertical space of up to ``height`` that gives way when the page is nearly full (covers)."""

    def __init__(self, height: float, keep: float = 0) -> None:
        super().__init__(1, height)
        self.keep = keep

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.height = max(0.0, min(self.height, ah - self.keep))
        return aw, self.height
