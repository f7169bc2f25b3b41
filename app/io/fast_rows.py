"""Bulk rows for a very large sheet, written as worksheet XML directly.

openpyxl spends ~25 µs serialising each cell; a county's 月度明细 has about a million. The sheet
is created by openpyxl as usual (title, headers, widths, print set-up), and its data rows are
spliced into the saved file's sheet XML afterwards, using style ids registered through openpyxl
so the cells look exactly like the others.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

_LETTERS = [get_column_letter(i) for i in range(1, 400)]


class Tenths(int):
    """An integer count of tenths, written as a one-decimal number."""


def row_xml(row: int, cells: Sequence[tuple[object, int]]) -> str:
    """One <row>: each cell is (value, style id). str → inline string; Decimal and int → number;
    Tenths → one-decimal number (exact text, never through a float)."""
    out = [f'<row r="{row}">']
    for n, (value, style) in enumerate(cells):
        ref = f"{_LETTERS[n]}{row}"
        if value is None:
            out.append(f'<c r="{ref}" s="{style}"/>')
        elif isinstance(value, str):
            out.append(f'<c r="{ref}" s="{style}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        elif isinstance(value, Tenths):
            sign = "-" if value < 0 else ""
            a = abs(value)
            out.append(f'<c r="{ref}" s="{style}"><v>{sign}{a // 10}.{a % 10}</v></c>')
        else:  # Decimal or int: their str() is exact
            out.append(f'<c r="{ref}" s="{style}"><v>{value}</v></c>')
    out.append("</row>")
    return "".join(out)


def _sheet_member(z: zipfile.ZipFile, title: str) -> str:
    workbook = z.read("xl/workbook.xml").decode("utf-8")
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    m = re.search(rf'<sheet [^>]*name="{re.escape(escape(title, {chr(34): "&quot;"}))}"[^>]*r:id="([^"]+)"', workbook)
    if m is None:
        m = re.search(rf'<sheet [^>]*r:id="([^"]+)"[^>]*name="{re.escape(title)}"', workbook)
    rid = m.group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    path = target.group(1).lstrip("/")
    return path if path.startswith("xl/") else f"xl/{path}"


def splice_rows(xlsx: Path, sheets: dict[str, Iterable[str]]) -> None:
    """Append rows to the end of sheets' data in a saved workbook (rewrites the zip once)."""
    xlsx = Path(xlsx)
    out = xlsx.with_name(xlsx.name + ".rows")
    with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        members = {_sheet_member(src, title): rows for title, rows in sheets.items()}
        for info in src.infolist():
            data = src.read(info.filename)
            rows = members.get(info.filename)
            if rows is not None:
                text = data.decode("utf-8")
                cut = text.rindex("</sheetData>")
                text = text[:cut] + "".join(rows) + text[cut:]
                info.compress_type = zipfile.ZIP_DEFLATED
                text = re.sub(r'<dimension ref="[^"]*"\s*/>', "", text, count=1)  # stale once rows are added
                data = text.encode("utf-8")
            dst.writestr(info, data)
    out.replace(xlsx)
