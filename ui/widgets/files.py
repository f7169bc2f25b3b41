"""Open and save dialogs that start where the user last was (the first time: 文档), as office programs do."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

KEY = "files/last_folder"


def start_folder() -> Path:
    """The folder of the last file opened or saved through these dialogs, else 文档 (else the home folder)."""
    last = QSettings().value(KEY)
    if last and Path(str(last)).is_dir():
        return Path(str(last))
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def remember(path: str | Path) -> None:
    p = Path(path)
    QSettings().setValue(KEY, str(p if p.is_dir() else p.parent))


def open_file(parent: QWidget | None, title: str, filters: str, folder: Path | None = None) -> str:
    """A chosen file's path, or "" when cancelled; ``folder`` overrides the remembered one (e.g. the backup folder)."""
    name, _ = QFileDialog.getOpenFileName(parent, title, str(folder or start_folder()), filters)
    if name:
        remember(name)
    return name


def save_file(parent: QWidget | None, title: str, file_name: str, filters: str, folder: Path | None = None) -> str:
    """Where to save ``file_name`` (a bare name starts in the remembered folder), or "" when cancelled."""
    suggested = Path(file_name) if Path(file_name).is_absolute() else (folder or start_folder()) / file_name
    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), filters)
    if name:
        remember(name)
    return name


def choose_folder(parent: QWidget | None, title: str, current: str = "") -> str:
    folder = QFileDialog.getExistingDirectory(parent, title, current if current and Path(current).is_dir()
                                              else str(start_folder()))
    if folder:
        remember(folder)
    return folder
