"""The application icon (resources/icons/app-*.png, drawn by packaging/make_icon.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

from app.paths import resources_dir

SIZES = (16, 24, 32, 48, 64, 128, 256)


def icon_path(size: int = 128) -> Path:
    return resources_dir() / "icons" / f"app-{size}.png"


def app_icon() -> QIcon:
    """Every drawn size, so title bars and task bars pick a crisp one."""
    icon = QIcon()
    for size in SIZES:
        if icon_path(size).is_file():
            icon.addFile(str(icon_path(size)))
    return icon
