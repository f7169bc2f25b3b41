"""Reading a PDF as paper: text, word boxes and line starts, with poppler (pdftotext -bbox-layout)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

# Punctuation that must never start a line (禁则).
CLOSING = set("，。、；：？！）》」』】〕〉］｝”’…,.;:?!)]}%％")


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def flat(s: str) -> str:
    return re.sub(r"\s+", "", s)


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>')


def pages(path: Path) -> list[tuple[float, float, list[Word]]]:
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", str(path), "-"], capture_output=True,
                         check=True).stdout
    # -bbox writes characters above U+FFFF as two UTF-8-encoded surrogates (CESU-8): join them back.
    out = raw.decode("utf-8", "surrogatepass").encode("utf-16", "surrogatepass").decode("utf-16")
    result = []
    for n, (w, h, body) in enumerate(_PAGE.findall(out), 1):
        words = [Word(n, float(a), float(b), float(c), float(d), unescape(t)) for a, b, c, d, t in _WORD.findall(body)]
        result.append((float(w), float(h), words))
    return result


def problems(path: Path, ignore: str = "草稿") -> list[str]:
    """Words outside the page, overlapping words, lines starting with closing punctuation."""
    found: list[str] = []
    for width, height, words in pages(path):
        words = [w for w in words if ignore not in w.text]
        for w in words:
            if w.x0 < -0.5 or w.y0 < -0.5 or w.x1 > width + 0.5 or w.y1 > height + 0.5:
                found.append(f"p{w.page} outside the page: {w.text}")
        ordered = sorted(words, key=lambda w: w.x0)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                if b.x0 >= a.x1 - 0.8:
                    break
                dy = min(a.y1, b.y1) - max(a.y0, b.y0)
                if dy > 0.8 and min(a.x1, b.x1) - b.x0 > 0.8:
                    found.append(f"p{a.page} overlap: {a.text!r} / {b.text!r}")
        for w in words:
            if w.text[:1] in CLOSING and set(w.text) != {"."}:  # a TOC dot leader is no punctuation
                # A word glued to its left neighbour on the same baseline does not start a line.
                glued = any(abs(o.y1 - w.y1) < 1.5 and 0 <= w.x0 - o.x1 < 2.5 for o in words if o is not w)
                if not glued:
                    found.append(f"p{w.page} line starts with closing punctuation: {w.text}")
    return found


def last_lines(path: Path, footer: float = 40) -> list[str]:
    """The last line of text on each page above its footer band (``footer`` points from the bottom):
    the words sharing the lowest baseline, joined without spaces."""
    out = []
    for _width, height, words in pages(path):
        body = [w for w in words if w.y1 < height - footer and "草稿" not in w.text]
        if not body:
            out.append("")
            continue
        low = max(w.y1 for w in body)
        line = sorted((w for w in body if abs(w.y1 - low) < 2), key=lambda w: w.x0)
        out.append("".join(w.text for w in line))
    return out


def pages_ending_with_heading(path: Path, headings: set[str]) -> list[int]:
    """Pages whose last line is a heading (or a heading's first line): a heading alone at a page's foot."""
    heads = {flat(h) for h in headings if flat(h)}
    return [n for n, line in enumerate(last_lines(path), 1)
            if line and any(h == line or (h.startswith(line) and len(line) >= 4) for h in heads)]


def left_edges(path: Path, footer: float = 40) -> list[float]:
    """The leftmost x of each page's text (points), footer band excluded."""
    out = []
    for _width, height, words in pages(path):
        body = [w for w in words if w.y1 < height - footer]
        out.append(min((w.x0 for w in body), default=0.0))
    return out
