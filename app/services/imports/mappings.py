"""Column mappings remembered per set of sheet headers, so a user's own sheet is mapped only once."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.services.kernel.context import Ledger
from db.models_io import ColumnMapping


def saved_mapping(ledger: Ledger, kind: str, signature: str) -> dict[str, str] | None:
    """The header → field choice remembered for sheets with this set of headers, if any."""
    with ledger.db.read() as s:
        row = s.scalar(select(ColumnMapping).where(ColumnMapping.kind == kind, ColumnMapping.signature == signature))
        return None if row is None else json.loads(row.mapping)


def save_mapping(ledger: Ledger, kind: str, signature: str, by_header: dict[str, str]) -> None:
    data = json.dumps(by_header, ensure_ascii=False, sort_keys=True)
    with ledger.db.write() as s:
        row = s.scalar(select(ColumnMapping).where(ColumnMapping.kind == kind, ColumnMapping.signature == signature))
        if row is None:
            s.add(ColumnMapping(kind=kind, signature=signature, mapping=data))
        else:
            row.mapping = data
