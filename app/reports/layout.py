"""Page layout shared by every document: A4 portrait or landscape, a binding margin on the left (or,
mirrored for double-sided printing, on the left of odd pages and the right of even ones), a header
"organisation · year" and a footer "第 x 页 共 y 页" (the total is known only at the end, so footers
are drawn when the canvas is saved)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate

from . import glyphs
from .fonts import BODY, HEAD, register_fonts
from .styles import PARTY_RED as DRAFT_RED
from .styles import RULE

_build_lock = threading.Lock()

BINDING = 25 * mm  # left margin: room for staples or a binding strip
OUTER = 15 * mm
TOP = 20 * mm
BOTTOM = 18 * mm

PORTRAIT, LANDSCAPE, COVER = "portrait", "landscape", "cover"


def inner_left(page: int, mirror: bool) -> float:
    """The left margin of a page: the binding edge, unless mirrored and the page is even (bound on
    its right, so the wide margin stays at the spine when printed on both sides)."""
    return OUTER if mirror and page % 2 == 0 else BINDING


def frame_size(orientation: str = PORTRAIT) -> tuple[float, float]:
    """Width and height of the text frame of a page."""
    w, h = A4 if orientation != LANDSCAPE else landscape(A4)
    return w - BINDING - OUTER, h - TOP - BOTTOM


TOC_LINE = 7.5 * mm
TOC_TITLE = 22 * mm


def toc_lines_per_page() -> int:
    _w, h = frame_size(PORTRAIT)
    return int((h - TOC_TITLE) // TOC_LINE)


class _NumberedCanvas(rl_canvas.Canvas):
    """Keeps each page's state until save(), then draws '第 x 页 共 y 页' on each, and the table of
    contents on the pages reserved for it: by then every heading's page is known, so the document
    is laid out once instead of twice."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self.footer_off = False
        self.frame_left = BINDING  # this page's left margin (set by the page template)
        self.toc_chunk: int | None = None
        self.toc_entries: list[tuple[int, str, int]] = []  # shared by every page's saved state

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()
        self.footer_off = False
        self.frame_left = BINDING
        self.toc_chunk = None

    def _draw_toc(self, chunk: int) -> None:
        per = toc_lines_per_page()
        entries = self.toc_entries[chunk * per:(chunk + 1) * per]
        width = self._pagesize[0]
        top = self._pagesize[1] - TOP
        left = self.frame_left
        right = left + width - BINDING - OUTER
        if chunk == 0:
            self.setFont(HEAD, 16)
            self.setFillColor(colors.black)
            self.drawCentredString((left + right) / 2, top - 10 * mm, "目　　录")
        y = top - TOC_TITLE
        for level, text, page in entries:
            font, size, indent = (HEAD, 12, 0) if level == 0 else (BODY, 10.5, 8 * mm)
            self.setFont(font, size)
            self.setFillColor(colors.black)
            glyphs.draw(self, left + indent, y, text, font, size)
            num = str(page)
            start = left + indent + glyphs.width(text, font, size) + 2 * mm
            end = right - pdfmetrics.stringWidth(num, font, size) - 2 * mm
            if end > start:  # dot leader, drawn before the number so copied text reads in order
                dots = "." * int((end - start) / pdfmetrics.stringWidth(".", font, size))
                self.drawRightString(end, y, dots)
            self.drawRightString(right, y, num)
            y -= TOC_LINE

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self.toc_chunk is not None:
                self._draw_toc(self.toc_chunk)
            if not self.footer_off:
                width = self._pagesize[0]
                self.setFont(BODY, 9)
                self.setFillColor(RULE)
                x = self.frame_left + (width - BINDING - OUTER) / 2
                self.drawCentredString(x, BOTTOM / 2 - 1 * mm, f"第 {self._pageNumber} 页  共 {total} 页")
            super().showPage()
        super().save()


def draw_watermark(canv, text: str, right: float, top: float) -> None:
    """A draft mark: in red at the top right (``right``, ``top``) and faintly across the page."""
    width, height = canv._pagesize
    canv.saveState()
    canv.setFillColor(DRAFT_RED)
    canv.setFont(BODY, 12)
    canv.drawRightString(right, top, text)
    canv.setFillAlpha(0.13)
    canv.setFont(BODY, 54)
    canv.translate(width / 2, height / 2)
    canv.rotate(35)
    canv.drawCentredString(0, 0, text)
    canv.restoreState()


class ReportDoc(BaseDocTemplate):
    """A4 document with portrait, landscape and cover page templates; headings marked with
    toc_mark() become bookmarks and table-of-contents entries."""

    def __init__(self, target, *, header: str, title: str, author: str = "", first: str = PORTRAIT,
                 watermark: str = "", mirror: bool = False) -> None:
        register_fonts()
        # invariant=1: no creation date or random ids, so the same data gives the same file;
        # initialFontName: otherwise every page starts in Helvetica, which is not embedded.
        super().__init__(target, pagesize=A4, title=title, author=author, subject=title, creator="党建积分台账",
                         invariant=1, initialFontName=BODY, initialFontSize=10, leftMargin=BINDING,
                         rightMargin=OUTER, topMargin=TOP, bottomMargin=BOTTOM)
        self.header = header
        self.watermark = watermark  # e.g. 草稿（季度未结束）: on every page, so no page can pass as final
        self.mirror = mirror  # double-sided: even pages bind on the right
        self._outline_no = 0
        templates = {
            COVER: PageTemplate(COVER, [self._frame(PORTRAIT)], onPage=self._cover, pagesize=A4),
            PORTRAIT: PageTemplate(PORTRAIT, [self._frame(PORTRAIT)], onPage=self._page, pagesize=A4),
            LANDSCAPE: PageTemplate(LANDSCAPE, [self._frame(LANDSCAPE)], onPage=self._page,
                                    pagesize=landscape(A4)),
        }
        order = [first] + [k for k in templates if k != first]
        self.addPageTemplates([templates[k] for k in order])

    @staticmethod
    def _frame(orientation: str) -> Frame:
        w, h = frame_size(orientation)
        return Frame(BINDING, BOTTOM, w, h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                     id=orientation)

    def beforePage(self) -> None:
        """Move the page's frames to this page's binding side (the templates are laid out for odd pages)."""
        left = inner_left(self.page, self.mirror)
        for f in self.pageTemplate.frames:
            f.x1 = left
            f._x = left + f._leftPadding

    def _cover(self, canv, doc) -> None:
        canv.footer_off = True
        canv.frame_left = inner_left(doc.page, self.mirror)

    def _page(self, canv, doc) -> None:
        width, height = canv._pagesize
        left = canv.frame_left = inner_left(doc.page, self.mirror)
        right = left + width - BINDING - OUTER
        canv.saveState()
        canv.setFont(BODY, 9)
        canv.setFillColor(RULE)
        glyphs.draw(canv, left, height - TOP + 4 * mm, self.header, BODY, 9)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.line(left, height - TOP + 2.5 * mm, right, height - TOP + 2.5 * mm)
        canv.restoreState()
        if self.watermark:
            draw_watermark(canv, self.watermark, right, height - TOP + 4 * mm)

    def afterFlowable(self, flowable: Flowable) -> None:
        level = getattr(flowable, "toc_level", None)
        if level is None:
            return
        text = flowable.toc_text
        self._outline_no += 1
        key = f"s{self._outline_no}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        self.canv.toc_entries.append((level, text, self.page))


def toc_mark(flowable: Flowable, level: int, text: str) -> Flowable:
    """Mark a heading to appear in the table of contents (and the PDF outline)."""
    flowable.toc_level = level
    flowable.toc_text = text
    return flowable


class _TocPage(Flowable):
    """Reserves a page for the table of contents; the canvas fills it in when it is saved."""

    def __init__(self, chunk: int) -> None:
        super().__init__()
        self.chunk = chunk

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return aw, 1

    def draw(self) -> None:
        self.canv.toc_chunk = self.chunk


class TocSlot(Flowable):
    """Where the table of contents goes; build() turns it into as many pages as the entries need."""

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:  # pragma: no cover - replaced by build()
        return 0, 0


def _expand_toc(story: list[Flowable]) -> list[Flowable]:
    entries = sum(1 for f in story if getattr(f, "toc_level", None) is not None)
    pages = max(1, -(-entries // toc_lines_per_page()))
    out: list[Flowable] = []
    for f in story:
        if isinstance(f, TocSlot):
            for chunk in range(pages):
                out += [_TocPage(chunk), PageBreak()]
        else:
            out.append(f)
    return out


def locked_build(doc: BaseDocTemplate, story: list[Flowable], **kwargs) -> int:
    """Build ``doc``; reportlab keeps some module-level state, so two previews started at once must
    not interleave. Returns the number of pages."""
    with _build_lock:
        doc.build(story, **kwargs)
    return doc.page


def build(story: Sequence[Flowable], target: Path | BytesIO, *, header: str, title: str, author: str = "",
          first: str = PORTRAIT, watermark: str = "", mirror: bool = False) -> int:
    """Lay out ``story`` (in one pass) into ``target``; returns the number of pages. A ``watermark``
    (e.g. 草稿) is printed across and atop every page; ``mirror`` binds even pages on the right."""
    doc = ReportDoc(str(target) if isinstance(target, Path) else target, header=header, title=title,
                    author=author, first=first, watermark=watermark, mirror=mirror)
    return locked_build(doc, _expand_toc(list(story)), canvasmaker=_NumberedCanvas)
