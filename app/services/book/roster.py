"""Who was on an organisation's roster on a given day: the names an attendance list is ticked from."""

from __future__ import annotations

from datetime import date

from app.services.kernel.context import Ledger
from app.services.register import members


def roster_on(ledger: Ledger, org_code: str, on: date) -> list[str]:
    """Members who had joined by ``on`` and not yet transferred out (a member without a 入党时间 counts)."""
    return [
        m.name for m in members.roster(ledger, org_code, include_transferred=True)
        if (m.joined_on is None or m.joined_on <= on) and (m.transferred_out_on is None or m.transferred_out_on > on)
    ]
