"""Open and save dialogs start in the folder last used (the first time: 文档, else home) and remember
where the user went."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog

from ui.widgets import files


def test_first_time_documents_then_the_last_folder_used(qapp, tmp_path, monkeypatch):
    QSettings().remove(files.KEY)
    first = files.start_folder()
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert first == (Path(docs) if docs and Path(docs).is_dir() else Path.home())
    asked = {}

    def fake_save(_parent, _title, suggested, _filters):
        asked["save"] = suggested
        return str(tmp_path / "导出" / "台账.xlsx"), ""

    (tmp_path / "导出").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    assert files.save_file(None, "保存", "台账.xlsx", "Excel (*.xlsx)") == str(tmp_path / "导出" / "台账.xlsx")
    assert asked["save"] == str(first / "台账.xlsx")
    assert files.start_folder() == tmp_path / "导出"  # remembered for next time

    def fake_open(_parent, _title, folder, _filters):
        asked["open"] = folder
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake_open)
    assert files.open_file(None, "打开", "Excel (*.xlsx)") == ""  # cancelled: nothing remembered
    assert asked["open"] == str(tmp_path / "导出")
    assert files.start_folder() == tmp_path / "导出"


def test_a_remembered_folder_that_is_gone_falls_back(qapp, tmp_path):
    gone = tmp_path / "拔掉的U盘"
    gone.mkdir()
    files.remember(gone)
    gone.rmdir()
    assert files.start_folder() != gone and files.start_folder().is_dir()
