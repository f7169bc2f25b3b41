"""Backups of the ledger file, taken with SQLite's online backup API."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from db.migrate import sqlite_backup

from .context import Ledger


def backup_folder(ledger: Ledger) -> Path:
    from . import settings

    configured = str(settings.get(ledger, "backup_dir") or "").strip()
    return Path(configured) if configured else ledger.path.parent / "backups"


def backup_now(ledger: Ledger, reason: str = "手动", target: Path | None = None) -> Path:
    """Copy the live database to the backup folder (or ``target``); returns the file written."""
    if target is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")[:-3]
        target = backup_folder(ledger) / f"{ledger.path.stem}-{stamp}-{reason}.sqlite"
    return sqlite_backup(ledger.path, Path(target))
