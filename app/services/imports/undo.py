"""撤销上次导入: the list of import batches, and putting back exactly what the last one replaced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.errors import ConflictError, ValidationError
from app.services.kernel import audit, permissions
from app.services.kernel.context import Ledger
from app.services.safety import backups
from db.models_io import ImportBatch, ImportBatchRow
from db.types import utcnow

from .batches import undo_scores
from .registers import undo_orgs, undo_roster

# Each kind of batch knows how to put its rows back.
_UNDO = {"scores": undo_scores, "roster": undo_roster, "orgs": undo_orgs}


@dataclass(frozen=True)
class BatchInfo:
    id: int
    kind: str
    file_name: str
    at: datetime
    user: str
    summary: str
    cells: int
    undone: bool


def batches(ledger: Ledger, limit: int = 50) -> list[BatchInfo]:
    with ledger.db.read() as s:
        counts = dict(s.execute(select(ImportBatchRow.batch_id, func.count()).group_by(ImportBatchRow.batch_id)).all())
        return [BatchInfo(b.id, b.kind, b.file_name, b.at, b.user, b.summary, counts.get(b.id, 0), b.undone_at is not None)
                for b in s.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit))]


def last_batch(ledger: Ledger) -> BatchInfo | None:
    """The most recent import that has not been undone."""
    return next((b for b in batches(ledger) if not b.undone), None)


def undo_last(ledger: Ledger) -> BatchInfo:
    """Put back exactly what the last import replaced; refuse if any of its cells changed since."""
    permissions.require(ledger, "import")
    target = last_batch(ledger)
    if target is None:
        raise ValidationError("没有可以撤销的导入")
    with backups.write_after_backup(ledger, "撤销导入前") as (s, _backup):
        batch = s.get(ImportBatch, target.id)
        if batch is None or batch.undone_at is not None:
            raise ConflictError("这次导入已经被撤销")
        rows = list(s.scalars(select(ImportBatchRow).where(ImportBatchRow.batch_id == batch.id)))
        undo = _UNDO.get(batch.kind)
        if undo is None:
            raise ValidationError(f"不支持撤销此类导入（{batch.kind}）")
        undo(s, rows, who=ledger.user)
        batch.undone_at = utcnow()
        audit.record(s, ledger, "撤销导入", "import_batch",
                     summary=f"撤销 {batch.at:%Y-%m-%d %H:%M} 导入的“{batch.file_name}”（{len(rows)} 处）",
                     changes={"batch": (batch.id, None)})
    return BatchInfo(target.id, target.kind, target.file_name, target.at, target.user, target.summary,
                     target.cells, True)
