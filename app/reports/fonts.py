"""Fonts for printed documents: TrueType only, always embedded (never the CID font STSong-Light).

On Windows the system 宋体 (body) and 黑体 (headings) are preferred when present, and for notices 仿宋
(body, GB/T 9704) and 楷体 (second-level headings); everywhere else the bundled WenQuanYi Micro Hei
stands in for all of them (no 仿宋 or 小标宋 with a licence that allows bundling was found).
"""

from __future__ import annotations

import copy
import os
import threading
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from app.paths import font_path

BODY = "ReportBody"
HEAD = "ReportHead"
FANG = "ReportFang"  # 仿宋: the body of a notice
KAI = "ReportKai"  # 楷体: a notice's （一） headings

_lock = threading.Lock()
_registered: dict[str, Path] = {}


def _windows_font(name: str) -> Path | None:
    root = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    path = root / name
    return path if os.name == "nt" and path.is_file() else None


def _candidates() -> dict[str, list[Path]]:
    bundled = font_path()
    body = [p for p in (_windows_font("simsun.ttc"),) if p] + [bundled]
    head = [p for p in (_windows_font("simhei.ttf"),) if p] + [bundled]
    fang = [p for p in (_windows_font("simfang.ttf"), _windows_font("simsun.ttc")) if p] + [bundled]
    kai = [p for p in (_windows_font("simkai.ttf"), _windows_font("simfang.ttf")) if p] + [bundled]
    return {BODY: body, HEAD: head, FANG: fang, KAI: kai}


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap writes '<%04X>', which garbles characters above U+FFFF (𠮷 U+20BB7
    came out of pdftotext as U+20BB); write each target as UTF-16BE, surrogate pairs included."""
    head = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
            f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
            f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(subset)} beginbfchar"]
    body = [f"<{i:02X}> <{chr(v).encode('utf-16-be', 'surrogatepass').hex().upper()}>"
            for i, v in enumerate(subset)]
    tail = ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(head + body + tail)


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def register_fonts() -> dict[str, Path]:
    """Register BODY and HEAD once per process; returns the file each name uses."""
    with _lock:
        if _registered:
            return dict(_registered)
        # Binary (not ASCII85) streams: smaller files, and noticeably faster to write.
        rl_config.useA85 = 0
        loaded: dict[Path, TTFont] = {}
        for name, paths in _candidates().items():
            for path in paths:
                if path in loaded:  # same file for both names: parse it once (it takes ~0.3 s)
                    font = copy.copy(loaded[path])
                    font.fontName, font.state = name, WeakKeyDictionary()
                    pdfmetrics.registerFont(font)
                    _registered[name] = path
                    break
                try:
                    # subfontIndex 0 of a .ttc is the regular face (宋体 / 微米黑).
                    font = TTFont(name, str(path), subfontIndex=0) if path.suffix.lower() == ".ttc" else TTFont(
                        name, str(path)
                    )
                except Exception:  # a damaged system font: fall back to the bundled one
                    continue
                pdfmetrics.registerFont(font)
                loaded[path] = font
                _registered[name] = path
                break
            else:  # pragma: no cover - the bundled font ships with the app
                raise RuntimeError(f"找不到可用的中文字体：{paths[-1]}")
        return dict(_registered)
