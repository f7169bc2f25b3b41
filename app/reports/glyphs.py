"""Per-character font fallback: no character of user text is ever lost on paper.

Text is split into runs by the first font that has each character: the style's own font, then the
bundled HanaMin subsets (CJK Ext-A and the Unified block's gaps, then Ext-B). A character that no
font has becomes a visible placeholder 〔U+XXXXX〕 and is recorded in the active ``collect()``
set, so the caller can report it. Fallback fonts are parsed only when a document needs them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.paths import fallback_font_paths

FALLBACK_NAMES = ("ReportExtA", "ReportExtB")

_lock = threading.Lock()
_fallbacks: list[tuple[str, frozenset[int] | dict]] | None = None
_missing: ContextVar[set[str] | None] = ContextVar("missing_glyphs", default=None)
# Characters every font handles without a glyph of its own (line breaks, tabs).
_CONTROL = {"\n", "\r", "\t"}


def placeholder(char: str) -> str:
    return f"〔U+{ord(char):04X}〕"


@contextmanager
def collect() -> Iterator[set[str]]:
    """Collect the characters printed as placeholders while the block runs."""
    found: set[str] = set()
    token = _missing.set(found)
    try:
        yield found
    finally:
        _missing.reset(token)


def missing_text(chars: set[str]) -> str:
    """A one-line Chinese report of characters no font could print."""
    listed = "、".join(f"{c}（U+{ord(c):04X}）" for c in sorted(chars))
    return f"以下字符没有可用的字体，已印为〔U+编码〕：{listed}"


def _coverage(font_name: str) -> dict:
    return pdfmetrics.getFont(font_name).face.charToGlyph


def _fallback_fonts() -> list[tuple[str, dict]]:
    global _fallbacks
    with _lock:
        if _fallbacks is None:
            loaded = []
            for name, path in zip(FALLBACK_NAMES, fallback_font_paths(), strict=True):
                try:
                    font = TTFont(name, str(path))
                except Exception:  # pragma: no cover - the fonts ship with the app
                    continue
                pdfmetrics.registerFont(font)
                loaded.append((name, font.face.charToGlyph))
            _fallbacks = loaded
        return _fallbacks


def covered(text: str, base: str) -> bool:
    """True when ``base`` alone prints every character of ``text``."""
    cmap = _coverage(base)
    return all(ch in _CONTROL or ord(ch) in cmap for ch in text)


def font_for(char: str, base: str) -> str | None:
    """The font that prints ``char`` (``base`` first), or None when no font has it."""
    code = ord(char)
    if char in _CONTROL or code in _coverage(base):
        return base
    for name, cmap in _fallback_fonts():
        if code in cmap:
            return name
    return None


def runs(text: str, base: str) -> list[tuple[str, str]]:
    """Split ``text`` into (font, text) runs; missing characters become placeholders in ``base``."""
    out: list[tuple[str, str]] = []
    cmap = _coverage(base)
    for ch in text:
        if ch in _CONTROL or ord(ch) in cmap:
            font, piece = base, ch
        else:
            found = font_for(ch, base)
            if found is None:
                sink = _missing.get()
                if sink is not None:
                    sink.add(ch)
                font, piece = base, placeholder(ch)
            else:
                font, piece = found, ch
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + piece)
        else:
            out.append((font, piece))
    return out


def plain_markup(text: str, base: str) -> str:
    """Paragraph markup for plain user text: escaped, with rare characters in their fallback font."""
    return "".join(escape(t) if f == base else f'<font name="{f}">{escape(t)}</font>' for f, t in runs(text, base))


_TAG = re.compile(r"(<[^>]*>|&[#\w]+;)")


def markup(text: str, base: str) -> str:
    """Fallback fonts for the text between the tags of our own (already escaped) markup."""
    parts = _TAG.split(text)
    return "".join(p if i % 2 else plain_markup(p, base) for i, p in enumerate(parts))


def width(text: str, font: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(t, f, size) for f, t in runs(text, font))


def draw(canv, x: float, y: float, text: str, font: str, size: float, align: str = "left") -> None:
    """Draw one line on a canvas with per-character fallback; align is left, centre or right."""
    pieces = runs(text, font)
    total = sum(pdfmetrics.stringWidth(t, f, size) for f, t in pieces)
    if align == "right":
        x -= total
    elif align == "centre":
        x -= total / 2
    for f, t in pieces:
        canv.setFont(f, size)
        canv.drawString(x, y, t)
        x += pdfmetrics.stringWidth(t, f, size)
    canv.setFont(font, size)
