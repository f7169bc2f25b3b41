"""The service context: an open database, who is acting, and what day it is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from db.engine import Database


@dataclass
class Ledger:
    db: Database
    user: str = "管理员"
    today: Callable[[], date] = field(default=date.today)
    role: str = "管理员"  # 管理员 / 审核员 / 录入员, checked by app.services.permissions
    scope: str = ""  # an organisation code: the user sees and changes that subtree only; "" = whole unit (kernel.scope)

    @property
    def path(self) -> Path:
        return self.db.path

    def close(self) -> None:
        self.db.dispose()
