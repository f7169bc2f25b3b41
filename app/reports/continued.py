"""Marks on the part of a table that continues onto the next page, so a filed page never looks
complete when it is not: a form's field carries "标签（续）" in its label cell, any other table a
"（续表）" line above its continued part."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from . import glyphs
from .fonts import BODY

CAPTION = "（续表）"
CAPTION_H = 5 * mm
CAPTION_SIZE = 9


class Continued(Flowable):
    """The continued part of a table, with a caption line drawn above it."""

    def __init__(self, table: Flowable, caption: str = CAPTION) -> None:
        super().__init__()
        self.table = table
        self.caption = caption
        self.spaceAfter = getattr(table, "spaceAfter", 0) or 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        w, h = self.table.wrap(aw, ah - CAPTION_H)
        self.width, self.height = w, h + CAPTION_H
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        parts = self.table.split(aw, ah - CAPTION_H)
        if not parts:
            return []
        # The table's own split already wrapped every later part; only the first needs the caption.
        return [Continued(parts[0], self.caption), *parts[1:]]

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setFont(BODY, CAPTION_SIZE)
        text_w = glyphs.width(self.caption, BODY, CAPTION_SIZE)
        glyphs.draw(c, self.width - text_w, self.height - CAPTION_H + 1.5 * mm, self.caption, BODY, CAPTION_SIZE)
        c.restoreState()
        self.table.drawOn(c, 0, 0)


def remap(labels: dict[int, str], first_kept: int, heads: int) -> dict[int, str]:
    """A form's continuation labels re-indexed for the part that starts at original row ``first_kept``
    (after ``heads`` repeated header rows)."""
    return {row - first_kept + heads: text for row, text in labels.items() if row >= first_kept}
