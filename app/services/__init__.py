"""Use cases: one transaction per call — validate → write → audit → return frozen dataclasses.

The UI and the CLI talk to the ledger only through these modules.
"""

from app.services.kernel.context import Ledger

from .setup import open_ledger

__all__ = ["Ledger", "open_ledger"]
