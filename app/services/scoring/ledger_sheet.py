"""Raw figures for the big ledger sheet: every organisation × month × item, signed, in integer tenths.

The exported workbook's 月度明细 has one row per organisation and month; building ScoreCell
dataclasses with Decimals for a county's ~400,000 cells costs seconds, so this reads plain ints.
"""

from __future__ import annotations

from sqlalchemy import text

from app.services.kernel import scope, validate
from app.services.kernel.context import Ledger


def month_grid(ledger: Ledger, year: int, item_codes: list[str]) -> dict[tuple[str, int], list[int | None]]:
    """(organisation code, month) → signed effective tenths per item, in ``item_codes`` order."""
    year = validate.year(year)
    col = {code: n for n, code in enumerate(item_codes)}
    grid: dict[tuple[str, int], list[int | None]] = {}
    with ledger.db.read() as s:
        rows = s.execute(text(
            """SELECT o.code, i.code, s.month,
                      CASE WHEN i.kind IN ('deduction','veto') THEN -s.effective ELSE s.effective END
               FROM monthly_scores s JOIN scheme_items i ON i.id = s.item_id
               JOIN organizations o ON o.id = s.org_id
               WHERE s.year = :year"""), {"year": year})
        width = len(item_codes)
        sc = scope.of(s, ledger)  # a scoped user's export: their subtree only
        for org, item, month, value in rows:
            if not sc.covers_code(org):
                continue
            n = col.get(item)
            if n is None:
                continue
            row = grid.get((org, month))
            if row is None:
                row = grid[(org, month)] = [None] * width
            row[n] = value
    return grid
