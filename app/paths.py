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


def default_db_path():
    """DANGJIAN_DB (a file or a postgresql:// server database), else ledger.sqlite in the data folder."""
    override = os.environ.get("DANGJIAN_DB")
    return ledger_target(override) if override else data_dir() / "ledger.sqlite"


def ledger_target(value):
    """A ``--db`` / DANGJIAN_DB / open-dialog value: a file ``Path`` or a server database (db/url.py).

    Any ``scheme://`` other than postgresql is refused with a one-line DatabaseError, never taken
    as a file name."""
    from db.url import target

    return target(value)


def db_argument(value: str):
    """argparse ``type=`` for ``--db``: a refused URL is an argument error (exit 2, one line)."""
    import argparse

    from db.errors import DatabaseError

    try:
        return ledger_target(value)
    except DatabaseError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def is_server(target) -> bool:
    from db.url import ServerUrl

    return isinstance(target, ServerUrl)


def server_keys_home() -> Path:
    """Where a client keeps the key folders of the server databases it connects to."""
    return data_dir() / "servers"


def log_dir() -> Path:
    return data_dir() / "logs"


def font_path() -> Path:
    return resources_dir() / "fonts" / "wqy-microhei.ttc"


def fallback_font_paths() -> list[Path]:
    """Fonts for characters the main font lacks (CJK Ext-A, the Unified block's gaps, Ext-B)."""
    folder = resources_dir() / "fonts"
    return [folder / "HanaMinA-subset.ttf", folder / "HanaMinB-extb.ttf"]


def server_target(host: str, port: str, database: str, user: str, password: str = ""):
    """The server database of the 连接服务器 dialog's fields (checked as a typed URL would be)."""
    from urllib.parse import quote

    text = f"postgresql://{quote(user.strip(), safe='')}@{host.strip()}:{port.strip() or '5432'}/{database.strip()}"
    return ledger_target(text).with_password(password or None)
