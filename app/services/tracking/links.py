"""Points that follow from tracking: one more occurrence of a scheme item in an organisation's month,
written through the scoring service, so the one judge of score cells (CellRules: month locks, confirmed
years, monthly and yearly caps, organisations that are scored) decides."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.services.kernel.context import Ledger
from app.services.scoring.schemes import ensure_scheme, item_ids
from app.services.scoring.scores import ScoreEntry, write_scores
from db.models import MonthlyScore, Organization, SchemeItemRow


def find_item(s: Session, ledger: Ledger, year: int, word: str, kind: str) -> SchemeItemRow:
    """The year's scheme item of this kind whose name contains ``word`` (e.g. 书记项目, 上级交办)."""
    ensure_scheme(s, ledger, year)
    for item in sorted(item_ids(s, year).values(), key=lambda i: i.code):
        if item.kind == kind and word in item.name:
            return item
    label = "加分" if kind == "bonus" else "扣分"
    raise ValidationError(f"{year} 年积分细则中没有名称含“{word}”的{label}项，无法关联计分")


def notes_of(s: Session, org_id: int, item_id: int, year: int) -> list[str]:
    return [n for n in s.scalars(select(MonthlyScore.note).where(
        MonthlyScore.org_id == org_id, MonthlyScore.item_id == item_id, MonthlyScore.year == year,
        (MonthlyScore.manual_points.is_not(None)) | (MonthlyScore.manual_count.is_not(None)))) if n]


def add_occurrence(s: Session, ledger: Ledger, org: Organization, year: int, month: int, item: SchemeItemRow,
                   note: str, action: str) -> Decimal:
    """Add one occurrence of ``item`` to the cell (a count if the cell counts, points if it holds points)."""
    cell = s.scalar(select(MonthlyScore).where(MonthlyScore.org_id == org.id, MonthlyScore.item_id == item.id,
                                               MonthlyScore.month == month))
    count = points = None
    if cell is not None and cell.manual_points is not None and cell.manual_count is None:
        points = cell.manual_points + item.points
    else:
        count = (cell.manual_count or 0) + 1 if cell is not None else 1
    old_note = cell.note if cell is not None else ""
    joined = f"{old_note}；{note}" if old_note else note
    write_scores(ledger, year, [ScoreEntry(org.code, item.code, month, count=count, points=points,
                                           note=joined[-200:])], action=action, session=s)
    return item.points
