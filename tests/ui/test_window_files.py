"""Opening another ledger, unsaved edits on close, and the error dialog for unexpected errors."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox

from app.errors import ValidationError
from app.services.opening import setup
from app.services.opening.setup import open_ledger
from ui.main_window import MainWindow
from ui.widgets import errors


def test_switch_to_another_ledger_replaces_the_context(qtbot, ctx, tmp_path):
    other_path = tmp_path / "other.sqlite"
    other = open_ledger(other_path)
    setup.initialize(other, "另一个镇党委")
    other.close()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.switch_to(other_path)
    assert ctx.ledger.path.name == "other.sqlite"
    assert "另一个镇党委" in window.windowTitle() and "other.sqlite" in window.windowTitle()


def test_close_with_unsaved_settings_asks_and_can_be_refused(qtbot, ctx, monkeypatch):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.select_page("settings")
    page.unit_name.setText("还没保存的名称")
    assert page.has_unsaved_changes()
    asked = []

    def answer(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    window.show()
    assert not window.close()
    assert window.isVisible() and "设置" in asked[0]
    page.save_unit()
    assert not page.has_unsaved_changes()
    assert window.close()


def test_expected_error_is_a_plain_message_unexpected_one_is_logged(qtbot, monkeypatch, caplog):
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    errors.show_error(None, ValidationError("组织名称不能为空"))
    assert shown == ["组织名称不能为空"]

    dialogs = []
    monkeypatch.setattr(errors.ErrorDialog, "exec", lambda d: dialogs.append(d) or 0)
    with caplog.at_level(logging.ERROR):
        try:
            raise KeyError("boom")
        except KeyError as exc:
            errors.show_error(None, exc)
    assert "KeyError" in caplog.text
    details = dialogs[0].details.toPlainText()
    assert "KeyError" in details and "Traceback" in details


def test_switch_with_safety_session_moves_the_writer_lock(qtbot, ctx, tmp_path):
    import os

    from db.filelock import holder
    from ui.safety import startup

    first, second = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    for p, name in ((first, "甲镇党委"), (second, "乙镇党委")):
        lg = open_ledger(p)
        setup.initialize(lg, name)
        lg.close()
    session = startup.open_for_gui(first, "管理员")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    ctx.replace_ledger(session.ledger)
    window.safety = session
    assert holder(first).pid == os.getpid()
    assert window.switch_to(second)
    assert holder(first) is None and holder(second).pid == os.getpid()
    assert "乙镇党委" in window.windowTitle()
    startup.on_exit(window.safety)
    assert holder(second) is None
