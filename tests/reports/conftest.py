"""Helpers for the printed documents' tests: text and fonts of a PDF, read with pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest


def pdf_pages(path: Path) -> list[str]:
    return [p.extract_text() or "" for p in pypdf.PdfReader(str(path)).pages]


def flat(text: str) -> str:
    """Text without whitespace: a line break inside a table cell must not hide a match."""
    return re.sub(r"\s+", "", text)


def font_report(path: Path) -> dict[str, bool]:
    """Every font used on any page → whether its program is embedded (FontFile/2/3)."""
    out: dict[str, bool] = {}
    for page in pypdf.PdfReader(str(path)).pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            out[str(font.get("/BaseFont"))] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return out


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    d = tmp_path / "out"
    d.mkdir()
    return d
