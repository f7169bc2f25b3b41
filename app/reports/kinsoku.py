"""Chinese line breaking (禁则) for every reportlab paragraph and table cell.

reportlab's CJK wrapping breaks between any two characters and only hangs a few Japanese stops, so
a line could start with ，。；：）》 or end with （《“, and numbers, dates and Latin words were cut in
two. ``install()`` replaces its two CJK line splitters with one rule: when a line is full, break at
the last place where the next line does not start with closing punctuation, the line does not end
with opening punctuation, and no number, date or word is split. Only a single unbreakable run
longer than the line (a long URL) is ever cut. Nothing hangs into the margin, so cells never overflow.
"""

from __future__ import annotations

from reportlab.lib import textsplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph
from reportlab.rl_config import _FUZZ

CANNOT_START = frozenset("，。、；：？！）》」』】〕〉］｝”’…‥·・％‰℃°,.;:?!)]}%ー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
CANNOT_END = frozenset("（《「『【〔〈［｛“‘([{￥$£#＃")
# Characters that bind a word: digits and Latin letters, with the joiners found inside numbers and dates.
_JOINERS = frozenset(".,:/-_@&+'%·")
_DATE_UNITS = frozenset("年月日时分秒号点元万亿%％")


def _alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


def can_break(a: str, c: str, after: str = "", *, strict: bool = True) -> bool:
    """May a line end after ``a`` with the next one starting at ``c`` (``after`` follows ``c``)?
    Not ``strict``: only the punctuation rules, for a line that is one long number or word."""
    if not a or not c:
        return True
    if c in CANNOT_START or a in CANNOT_END or c == " ":
        return False
    if not strict:
        return True
    if _alnum(a) and _alnum(c):
        return False
    if _alnum(a) and c in _JOINERS and _alnum(after):  # 23.45, 2026-03-05, 10:30
        return False
    if (a in _JOINERS and _alnum(c) and a != ",") or (a == "," and c.isdigit()):
        return False
    if a.isdigit() and c in _DATE_UNITS:  # 2026年, 15人 stay whole
        return False
    return not (a == c and a in "—…")  # —— and …… are one mark


def _break_at(chars: list[str], start: int, over: int) -> int:
    """Where a full line [start, over] ends: the last allowed break at or before ``over``."""
    for strict in (True, False):
        for b in range(over, start, -1):
            if can_break(chars[b - 1], chars[b], chars[b + 1] if b + 1 < len(chars) else "", strict=strict):
                return b
    return over  # one unbreakable run wider than the line: cut it rather than overflow


def lines(chars: list[str], widths: list[float], max_widths: list[float], hard: list[bool]) -> list[tuple]:
    """(start, end, width) of each line; ``hard[i]`` marks a forced break after character i."""
    out: list[tuple[int, int, float]] = []
    start, used, i, n = 0, 0.0, 0, len(chars)
    while i < n:
        max_w = max_widths[min(len(out), len(max_widths) - 1)]
        used += widths[i]
        if hard[i]:
            out.append((start, i + 1, used))
            start, used, i = i + 1, 0.0, i + 1
            continue
        if used > max_w + _FUZZ and i > start:
            b = _break_at(chars, start, i)
            out.append((start, b, sum(widths[start:b])))
            start, used, i = b, 0.0, b
            continue
        i += 1
    if start < n:
        out.append((start, n, sum(widths[start:n])))
    return out


def _word_split(word, maxWidths, fontName, fontSize, encoding="utf8"):
    text = word.decode(encoding) if isinstance(word, bytes) else word
    if not isinstance(maxWidths, list | tuple):
        maxWidths = [maxWidths]
    chars = list(text)
    widths = [stringWidth(c, fontName, fontSize) for c in chars]
    found = lines(chars, widths, list(maxWidths), [False] * len(chars))
    return [[maxWidths[min(k, len(maxWidths) - 1)] - w, text[s:e]] for k, (s, e, w) in enumerate(found)]


def _cjk_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):
    units = []
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        units.extend([paragraph.cjkU(t, f, encoding) for t in text] if text else [paragraph.cjkU(text, f, encoding)])
    max_widths = list(maxWidths)
    widths = []
    for u in units:
        w = u.width
        if hasattr(w, "normalizedValue"):
            mw = max_widths[0]
            w._normalizer = mw
            w = w.normalizedValue(mw)
        widths.append(w)
    hard = [hasattr(u.frag, "lineBreak") for u in units]
    out = []
    for k, (s, e, w) in enumerate(lines([str(u) for u in units], widths, max_widths, hard)):
        max_w = max_widths[min(k, len(max_widths) - 1)]
        out.append(paragraph.makeCJKParaLine(units[s:e], max_w, w, max_w - w, hard[e - 1], calcBounds))
    return paragraph.ParaLines(kind=1, lines=out)


_installed = False


def install() -> None:
    """Use these rules in every Paragraph with wordWrap='CJK' (idempotent)."""
    global _installed
    if not _installed:
        paragraph.wordSplit = _word_split
        paragraph.cjkFragSplit = _cjk_frag_split
        textsplit.ALL_CANNOT_START = "".join(sorted(CANNOT_START))
        _installed = True
