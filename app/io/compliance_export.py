"""组织生活落实情况 matrix as an .xlsx: one row per branch, one column per period, ✓/✗/豁免/… cells."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl.styles import PatternFill

from app.domain.compliance import DONE, DUE_SOON, MISSING
from app.io.table_export import export_table

FILLS = {
    DONE: PatternFill("solid", fgColor="DFF0D8"),
    MISSING: PatternFill("solid", fgColor="F6C9C6"),
    DUE_SOON: PatternFill("solid", fgColor="FBE3B0"),
}


def export_matrix(path: Path | str, title: str, subtitle: str, headers: Sequence[str],
                  rows: Sequence[Sequence[str]], statuses: Sequence[Sequence[str | None]],
                  *, first_period: int) -> Path:
    """Write ``rows`` (display text) under ``headers``; ``statuses[r][c]`` colours the period cells,
    which start at column ``first_period`` (0-based)."""
    fills = [[FILLS.get(st or "") for st in sts] for sts in statuses]
    return export_table(path, "组织生活落实情况", title, subtitle, headers, rows, fills=fills, centre_from=first_period)
