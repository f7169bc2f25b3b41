"""What every screen is given: the open ledger, the task runner, and the change signal.

All changes go through app.services; after a write a screen calls ``ctx.notify_changed(kind)``
and every screen that shows that kind of data refreshes (moneyGuru's "one gateway" idea).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.services.kernel.context import Ledger

from .tasks import TaskRunner

# Kinds of change a screen may care about.
ORGS, SCORES, RECORDS, WARNINGS, GRADES, SCHEME, SETTINGS, ALL = (
    "orgs", "scores", "records", "warnings", "grades", "scheme", "settings", "all",
)


class UiContext(QObject):
    changed = Signal(str)  # one of the kinds above

    def __init__(self, ledger: Ledger, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.tasks = TaskRunner(self)

    def notify_changed(self, kind: str) -> None:
        self.changed.emit(kind)

    def replace_ledger(self, ledger: Ledger) -> None:
        """After restoring a backup or opening another file: everything refreshes."""
        old, self.ledger = self.ledger, ledger
        if old is not ledger:
            old.close()
        self.changed.emit(ALL)
