"""Users' own sheets: find the header row, guess which column is which field, remember the choice.

A mapping is keyed by the set of headers, so the next workbook laid out the same way is read
without asking again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from openpyxl.worksheet.worksheet import Worksheet

from app.errors import ValidationError
from app.services.imports import mappings
from app.services.kernel.context import Ledger

from .workbook import cell_text, is_blank

IGNORE = ""  # a column mapped to nothing


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass
class Table:
    """A sheet read as a header row and the data rows beneath it (Excel row numbers kept)."""

    sheet: str
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)

    @property
    def signature(self) -> str:
        norm = sorted(h for h in (_norm(h) for h in self.headers) if h)
        return hashlib.sha256(json.dumps(norm, ensure_ascii=False).encode()).hexdigest()


def _norm(text: str) -> str:
    return "".join(str(text).split()).replace("（", "(").replace("）", ")").lower()


def read_table(ws: Worksheet, *, max_header_scan: int = 10) -> Table:
    """The first row (of the first ten) with at least two text cells is the header row."""
    header_row = None
    rows = list(ws.iter_rows(values_only=True))
    for i, row in enumerate(rows[:max_header_scan], start=1):
        texts = [v for v in row if isinstance(v, str) and v.strip()]
        if len(texts) >= 2:
            header_row = i
            break
    if header_row is None:
        raise ValidationError(f"工作表“{ws.title}”的前 {max_header_scan} 行中找不到表头行（至少两列文字标题）")
    headers = [cell_text(v) for v in rows[header_row - 1]]
    table = Table(ws.title, header_row, headers)
    for n, row in enumerate(rows[header_row:], start=header_row + 1):
        values = list(row) + [None] * (len(headers) - len(row))
        if all(is_blank(v) for v in values):
            continue
        table.rows.append((n, values))
    table.merged = [str(r) for r in ws.merged_cells.ranges if r.max_row > header_row - 1]
    return table


def guess(headers: list[str], fields: list[FieldSpec]) -> dict[int, str]:
    """Column index → field key for every header that plainly names a field."""
    out: dict[int, str] = {}
    taken: set[str] = set()
    for col, h in enumerate(headers):
        nh = _norm(h)
        if not nh:
            continue
        for f in fields:
            names = {_norm(f.key), _norm(f.label), *(_norm(a) for a in f.aliases)}
            if f.key not in taken and nh in names:
                out[col] = f.key
                taken.add(f.key)
                break
    return out


def missing_required(mapping: dict[int, str], fields: list[FieldSpec]) -> list[FieldSpec]:
    chosen = set(mapping.values())
    return [f for f in fields if f.required and f.key not in chosen]


def remembered(ledger: Ledger, kind: str, table: Table) -> dict[int, str] | None:
    by_header = mappings.saved_mapping(ledger, kind, table.signature)
    if by_header is None:
        return None
    return {col: by_header[_norm(h)] for col, h in enumerate(table.headers)
            if _norm(h) in by_header and by_header[_norm(h)] != IGNORE}


def remember(ledger: Ledger, kind: str, table: Table, mapping: dict[int, str]) -> None:
    by_header = {_norm(h): mapping.get(col, IGNORE) for col, h in enumerate(table.headers) if _norm(h)}
    mappings.save_mapping(ledger, kind, table.signature, by_header)


def resolve(ledger: Ledger, kind: str, table: Table, fields: list[FieldSpec],
            chosen: dict[int, str] | None = None) -> dict[int, str]:
    """The mapping to use: the one given, else the remembered one, else the guess; checked complete."""
    mapping = chosen if chosen is not None else (remembered(ledger, kind, table) or guess(table.headers, fields))
    known = {f.key for f in fields}
    bad = [v for v in mapping.values() if v not in known]
    if bad:
        raise ValidationError(f"列对应关系中有未知字段：{'、'.join(bad)}")
    dupes = sorted({v for v in mapping.values() if list(mapping.values()).count(v) > 1})
    if dupes:
        labels = {f.key: f.label for f in fields}
        raise ValidationError(f"多个列对应了同一字段：{'、'.join(labels[d] for d in dupes)}")
    missing = missing_required(mapping, fields)
    if missing:
        raise ValidationError(
            f"工作表“{table.sheet}”的表头无法自动识别：缺少“{'”“'.join(f.label for f in missing)}”列；"
            "请在导入时指定列对应关系"
        )
    if chosen is not None:
        remember(ledger, kind, table, mapping)
    return mapping
