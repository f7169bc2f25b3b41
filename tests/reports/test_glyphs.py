"""Rare name characters: every one is printed (fallback font) or shown as 〔U+XXXXX〕 and reported."""

from __future__ import annotations

import subprocess
from pathlib import Path

from reportlab.platypus import Spacer

from app.reports import glyphs
from app.reports.fonts import BODY, register_fonts
from app.reports.layout import build
from app.reports.styles import P, RTable

RARE = ("刘䶮", "𠮷野家", "王鿍", "李㐂")


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_runs_pick_a_font_per_character() -> None:
    register_fonts()
    runs = glyphs.runs("刘䶮𠮷野", BODY)
    assert runs == [(BODY, "刘"), ("ReportExtA", "䶮"), ("ReportExtB", "𠮷"), (BODY, "野")]
    assert glyphs.covered("王李", BODY) and not glyphs.covered("王鿍", BODY)


def test_unknown_character_becomes_a_reported_placeholder() -> None:
    register_fonts()
    with glyphs.collect() as missing:
        runs = glyphs.runs("张\U0002A700", BODY)  # CJK Ext-C: in no bundled font
    assert runs == [(BODY, "张〔U+2A700〕")]
    assert missing == {"\U0002A700"}
    assert "U+2A700" in glyphs.missing_text(missing)


def test_rare_names_come_out_of_the_pdf(tmp_path: Path) -> None:
    out = tmp_path / "rare.pdf"
    header = "中共𠮷野家䶮有限公司支部 · 2026年度"
    with glyphs.collect() as missing:
        build([P("、".join(RARE), "body"), Spacer(1, 5), RTable([list(RARE)]), P("李㐂", "h1")], out,
              header=header, title="t")
    assert not missing
    text = _text(out)
    for name in (*RARE, header):
        assert text.count(name) >= 1, name
    assert "𠮷" in text and "\u20bb" not in text  # above U+FFFF: the ToUnicode map keeps the whole code
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert any("HanaMinA" in r[0] for r in rows) and any("HanaMinB" in r[0] for r in rows)
    assert all(r[-5] == "yes" for r in rows), fonts  # emb
