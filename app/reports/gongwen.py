"""党政机关公文格式 (GB/T 9704-2012) for the notices: A4, 版心 156 × 225 mm with 天头 37 mm and 订口 28 mm;
the issuing organ's mark in red 35 mm below the top of the 版心, the 文号 two lines beneath it, a red rule
the width of the 版心 4 mm under the 文号, the title two lines lower, 主送 flush left, the body in 3号
仿宋-style type (22 lines of 28 characters a page), 署名 centred over the 成文日期 (right-indented four
characters) with room for the seal, page numbers "— 1 —" at the outer edge, and the 版记 (抄送, 印发机关 and
印发日期 between rules) at the foot of the last page.

The stand-in fonts: 仿宋/楷体/黑体 from Windows when present, else the bundled WenQuanYi Micro Hei
(no 仿宋 or 小标宋 with a licence that allows bundling was found; see fonts.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from app.services.kernel import settings
from app.services.kernel.context import Ledger

from . import glyphs, kinsoku
from .fonts import BODY, FANG, HEAD, KAI, register_fonts
from .layout import draw_watermark, locked_build
from .styles import INK, PARTY_RED, date_text

PAGE_W, PAGE_H = A4
TOP = 37 * mm  # 天头
BINDING = 28 * mm  # 订口
BLOCK_W, BLOCK_H = 156 * mm, 225 * mm  # 版心
BOTTOM = PAGE_H - TOP - BLOCK_H  # 35 mm
SIZE = 15.75  # 3号 is 16 pt; 28 characters fill the 156 mm line at 15.75 pt (16 pt fits only 27)
TITLE_SIZE = 22  # 2号
LINE = BLOCK_H / 22  # 22 lines a page
MARK_MAX = 42  # the organ's mark: as large as this, smaller when the name is long (to fit one line)
MARK_MIN = 16
INK_DROP = 0.19  # the bundled font's glyphs start this fraction of the size below the top of their line


def inner_left(page: int, mirror: bool) -> float:
    """订口 on the left of odd pages; mirrored (double-sided), on the right of even pages."""
    return PAGE_W - BINDING - BLOCK_W if mirror and page % 2 == 0 else BINDING


@dataclass(frozen=True)
class Issuer:
    mark: str  # 发文机关标志
    signer: str  # 落款: the organ's full name
    prefix: str  # 发文字号 机关代字, e.g. 青开党工
    printer: str = ""  # 版记 印发机关 (default: the organ's 办公室)
    cc: str = ""  # 版记 抄送 (none when empty)

    def number(self, year: int, serial: int | None = None) -> str:
        """文号: 机关代字〔2026〕8号 (no padded zeros); a blank for the serial of an unnumbered notice."""
        return f"{self.prefix}〔{year}〕{serial if serial else '　　'}号"


def default_prefix(unit: str) -> str:
    """A 机关代字 from the unit's name when none is set: 青山经济开发区党工委 → 青山经济开发区党发."""
    name = unit.removeprefix("中共")
    for word in ("党", "委"):
        if word in name:
            return name[: name.index(word) + 1][:12] + "发"
    return name[:12] + "发"


def issuer(ledger: Ledger) -> Issuer:
    unit = str(settings.get(ledger, "unit_name") or "").strip() or "党（工）委"
    mark = str(settings.get(ledger, "doc_issuer") or "").strip() or unit
    prefix = str(settings.get(ledger, "doc_prefix") or "").strip() or default_prefix(unit)
    printer = str(settings.get(ledger, "doc_printer") or "").strip() or f"{unit}办公室"
    cc = str(settings.get(ledger, "doc_cc") or "").strip()
    return Issuer(mark, unit, prefix, printer, cc)


_BRACKETED_YEAR = re.compile(r"[\[［（(【〔]\s*(\d{4})\s*[\]］）)】〕]")


def normal_number(text: str) -> str:
    """A typed 文号 as GB/T 9704 writes it: the year in 〔〕 and no padded zeros (〔2026〕08号 → 〔2026〕8号)."""
    text = _BRACKETED_YEAR.sub(lambda m: f"〔{m.group(1)}〕", text.strip())
    return re.sub(r"〕0+(\d)", r"〕\1", text)


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    kinsoku.install()

    def s(name: str, font: str = FANG, size: float = SIZE, leading: float = LINE, **kw) -> ParagraphStyle:
        kw.setdefault("textColor", INK)
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **kw)

    return {
        "body": s("gw_body", alignment=TA_JUSTIFY, firstLineIndent=2 * SIZE),
        "to": s("gw_to", alignment=TA_LEFT),  # 主送: flush left
        "h1": s("gw_h1", font=HEAD, firstLineIndent=2 * SIZE),  # 一、 in 黑体 (see section())
        "h2": s("gw_h2", font=KAI, firstLineIndent=2 * SIZE, keepWithNext=1),  # （一） in 楷体
        "number": s("gw_number", alignment=TA_CENTER),
        "title": s("gw_title", font=HEAD, size=TITLE_SIZE, leading=TITLE_SIZE * 1.4, alignment=TA_CENTER),
        "cell": s("gw_cell", size=12, leading=17),
        "cell_c": s("gw_cell_c", size=12, leading=17, alignment=TA_CENTER),
        "small": s("gw_small", size=10.5, leading=15),
        "th": s("gw_th", font=HEAD, size=12, leading=17, alignment=TA_CENTER),
    }


def G(text: object, style: str = "body") -> Paragraph:
    """A paragraph of plain text in a 公文 style, with the per-character font fallback."""
    st = styles()[style]
    body = glyphs.plain_markup("" if text is None else str(text), st.fontName)
    return Paragraph(body.replace("\n", "<br/>"), st)


def masthead(who: Issuer, number: str) -> list[Flowable]:
    """版头: the red mark, the 文号 two lines below it, the red rule 4 mm under the 文号."""
    register_fonts()
    size = min(MARK_MAX, BLOCK_W * 0.94 / max(1.0, glyphs.width(who.mark, HEAD, 1)))
    size = max(size, MARK_MIN)  # a very long name wraps rather than shrinks further
    mark = ParagraphStyle("gw_mark", fontName=HEAD, fontSize=size, leading=size * 1.2, alignment=TA_CENTER,
                          textColor=PARTY_RED, wordWrap="CJK")
    # A line's glyphs start about a fifth of the size below its top, and the 文号's line ends about 4.2 mm
    # below its characters: the spaces below put the ink where GB/T 9704 measures from.
    return [
        Spacer(1, 35 * mm - INK_DROP * size),
        Paragraph(glyphs.plain_markup(who.mark, HEAD), mark),
        Spacer(1, 2 * LINE - (LINE - SIZE)),
        G(normal_number(number), "number"),
        HRFlowable(width=BLOCK_W, thickness=1.5, color=PARTY_RED, spaceBefore=0, spaceAfter=0),
        Spacer(1, 2 * LINE - (TITLE_SIZE * 1.4 - TITLE_SIZE)),
    ]


# Where a long title may turn to its second line: after a phrase, never inside a word.
TITLE_BREAKS = ("季度", "年度", "党组织", "情况", "关于", "书记项目")


def title_lines(title: str) -> list[str]:
    """A title too long for one line, broken after a phrase into lines as even as can be (词意完整，排列对称)."""
    full = glyphs.width(title, HEAD, TITLE_SIZE)
    if full <= BLOCK_W:
        return [title]
    best: tuple[float, int] | None = None
    for word in TITLE_BREAKS:
        start = 0
        while (i := title.find(word, start)) >= 0:
            cut = i + len(word)
            start = cut
            first = glyphs.width(title[:cut], HEAD, TITLE_SIZE)
            if 0 < cut < len(title) and first <= BLOCK_W and full - first <= BLOCK_W:
                score = abs(full - 2 * first)
                if best is None or score < best[0]:
                    best = (score, cut)
    if best is None:
        return [title]  # no phrase boundary fits: the paragraph wraps it
    return [title[:best[1]], title[best[1]:]]


def heading(title: str, addressee: str) -> list[Flowable]:
    """标题 (2号, centred, two lines below the rule) and, a line below it, 主送 flush left ending in a
    full-width colon."""
    st = styles()["title"]
    lines = "<br/>".join(glyphs.plain_markup(line, st.fontName) for line in title_lines(title))
    return [Paragraph(lines, st), Spacer(1, LINE), G(addressee.rstrip("：:") + "：", "to")]


class _RoomFor(CondPageBreak):
    """A page break unless a heading and the start of what follows it fit: a table's head and first
    row, or a paragraph's first two lines. What follows may then split across pages as it likes."""

    def __init__(self, after: Flowable | None) -> None:
        super().__init__(LINE * 3)
        self.after = after

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.height = LINE + _start_height(self.after, aw)
        return super().wrap(aw, ah)


def _start_height(f: Flowable | None, width: float) -> float:
    if isinstance(f, Table):
        f.wrap(width, 1e6)
        return sum(f._rowHeights[: (f.repeatRows or 0) + 1]) + 2
    if isinstance(f, Paragraph):
        return min(f.wrap(width, 1e6)[1], 2 * f.style.leading)
    return 2 * LINE


def section(title: str, after: Flowable | None = None) -> list[Flowable]:
    """A 一、 heading that never stands alone at the foot of a page (it moves to the next page unless the
    start of ``after``, which the caller puts next, fits beneath it)."""
    return [_RoomFor(after), G(title, "h1")]


class Signature(Flowable):
    """落款 and 成文日期 with room for the seal: the date right-indented four characters, the organ's
    name centred over it, two blank lines above them where the seal's top begins (a 42 mm seal then
    presses on both, as GB/T 9704 lays out a sealed notice)."""

    def __init__(self, signer: str, when: object) -> None:
        super().__init__()
        self.signer, self.date = signer, date_text(when)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        return aw, 4 * LINE

    def draw(self) -> None:
        c = self.canv
        date_w = glyphs.width(self.date, FANG, SIZE)
        date_right = self.width - 4 * SIZE
        centre = date_right - date_w / 2
        size = SIZE
        name_w = glyphs.width(self.signer, FANG, size)
        if name_w > self.width:  # a very long name shrinks to fit the line
            size = SIZE * self.width / name_w
            name_w = self.width
        centre = min(centre, self.width - name_w / 2)
        c.setFillColor(INK)
        glyphs.draw(c, centre, LINE + (LINE - SIZE) / 2, self.signer, FANG, size, align="centre")
        glyphs.draw(c, date_right, (LINE - SIZE) / 2, self.date, FANG, SIZE, align="right")


def closing(last: Flowable, signer: str, when: object) -> Flowable:
    """The last paragraph stays on the page of the signature: a seal never stands on a page alone."""
    return KeepTogether([last, Signature(signer, when)])


BANJI_SIZE = 14  # 4号
BANJI_ROW = 7 * mm


class Banji(Flowable):
    """版记 at the foot of the last page: 抄送 (if any) and 印发机关 / 印发日期 between rules the width of the
    版心 — the first and last rules heavier (0.35 mm), a thin one (0.25 mm) between the rows; 印发机关 one
    character in from the left, 印发日期 one character in from the right. It takes the rest of the page,
    so it always sits on the last lines; with no room left it moves to a page of its own."""

    def __init__(self, who: Issuer, when: object) -> None:
        super().__init__()
        self.rows = ([f"抄送：{who.cc}。".replace("。。", "。")] if who.cc else []) + [who.printer]
        self.date = f"{date_text(when)}印发"

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        need = len(self.rows) * BANJI_ROW + 1
        self.width, self.height = aw, (ah if ah >= need else need)
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(INK)
        c.setFillColor(INK)
        n = len(self.rows)
        for i in range(n + 1):  # rules from the bottom up: heavy, (thin), heavy
            c.setLineWidth(0.35 * mm if i in (0, n) else 0.25 * mm)
            c.line(0, i * BANJI_ROW, self.width, i * BANJI_ROW)
        base = (BANJI_ROW - BANJI_SIZE) / 2 + 0.2 * BANJI_SIZE
        text_w = self.width - 2 * BANJI_SIZE - glyphs.width(self.date, FANG, BANJI_SIZE) - BANJI_SIZE
        for i, text in enumerate(reversed(self.rows)):
            size = BANJI_SIZE
            room = text_w if i == 0 else self.width - 2 * BANJI_SIZE
            if glyphs.width(text, FANG, size) > room:  # a very long name shrinks to its row
                size = size * room / glyphs.width(text, FANG, size)
            glyphs.draw(c, BANJI_SIZE, i * BANJI_ROW + base, text, FANG, size)
        glyphs.draw(c, self.width - BANJI_SIZE, base, self.date, FANG, BANJI_SIZE, align="right")
        c.restoreState()


class GongwenDoc(BaseDocTemplate):
    """One page template: the 版心 at GB/T 9704's place (moved to the other side on even pages when
    mirrored), page numbers at the outer edge, a draft mark when the notice is not final."""

    def __init__(self, target, *, title: str, author: str, watermark: str = "", mirror: bool = False) -> None:
        register_fonts()
        super().__init__(target, pagesize=A4, title=title, author=author, subject=title, creator="党建积分台账",
                         invariant=1, initialFontName=FANG, initialFontSize=SIZE, leftMargin=BINDING,
                         rightMargin=PAGE_W - BINDING - BLOCK_W, topMargin=TOP, bottomMargin=BOTTOM)
        self.watermark, self.mirror = watermark, mirror
        # Half a point more than 22 lines, so 22 lines fit whatever the rounding.
        frame = Frame(BINDING, BOTTOM - 0.5, BLOCK_W, BLOCK_H + 0.5, leftPadding=0, rightPadding=0, topPadding=0,
                      bottomPadding=0, id="block")
        self.addPageTemplates([PageTemplate("gongwen", [frame], onPage=self._page, pagesize=A4)])

    def beforePage(self) -> None:
        left = inner_left(self.page, self.mirror)
        for f in self.pageTemplate.frames:
            f.x1 = left
            f._x = left + f._leftPadding

    def _page(self, canv, doc) -> None:
        left = inner_left(doc.page, self.mirror)
        # 页码: 4号 half-width digits between dashes, 7 mm below the 版心, one character in from the outer edge.
        text = f"— {doc.page} —"
        canv.saveState()
        canv.setFillColor(INK)
        y = BOTTOM - 7 * mm - 14 * 0.35
        if doc.page % 2:
            glyphs.draw(canv, left + BLOCK_W - 14, y, text, BODY, 14, align="right")
        else:
            glyphs.draw(canv, left + 14, y, text, BODY, 14)
        canv.restoreState()
        if self.watermark:
            draw_watermark(canv, self.watermark, left + BLOCK_W, PAGE_H - TOP + 10 * mm)


def build_gongwen(story: list[Flowable], target: Path | BytesIO, *, title: str, author: str, watermark: str = "",
                  mirror: bool = False) -> int:
    """Lay out a notice in 公文 form; returns its page count."""
    doc = GongwenDoc(str(target) if isinstance(target, Path) else target, title=title, author=author,
                     watermark=watermark, mirror=mirror)
    return locked_build(doc, story)

