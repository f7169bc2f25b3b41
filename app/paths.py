"""Where things live: bundled resources and the user's data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import APP_ID


def resources_dir() -> Path:
    # PyInstaller unpacks data beside the executable; from source it is the repo's resources/.
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def manual_dir() -> Path:
    """The user manual (the Chinese chapters of docs/), shown in the app by 帮助 → 使用手册."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "manual"
    return Path(__file__).resolve().parent.parent / "docs"


def data_dir() -> Path:
    override = os.environ.get("DANGJIAN_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_ID, appauthor=False))


def default_db_path() -> Path:
    override = os.environ.get("DANGJIAN_DB")
    return Path(override) if override else data_dir() / "ledger.sqlite"


def log_dir() -> Path:
    return data_dir() / "logs"


def font_path() -> Path:
    return resources_dir() / "fonts" / "wqy-microhei.ttc"


def fallback_font_paths() -> list[Path]:
    """Fonts for characters the main font lacks (CJK Ext-A, the Unified block's gaps, Ext-B)."""
    folder = resources_dir() / "fonts"
    return [folder / "HanaMinA-subset.ttf", folder / "HanaMinB-extb.ttf"]
