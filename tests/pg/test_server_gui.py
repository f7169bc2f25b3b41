"""文件 → 连接服务器… and the main window on a server database (pytest-qt, offscreen)."""

from __future__ import annotations

import pytest

from tests.pgserver import PASSWORD


def test_the_connect_dialog_checks_its_fields(qtbot):
    from ui.dialogs.server_connect import ServerConnectDialog

    dialog = ServerConnectDialog()
    qtbot.addWidget(dialog)
    dialog.host.setText("10.0.0.5")
    dialog.port.setText("99999")
    dialog.user.setText("乡镇01")
    dialog._accept()
    assert dialog.target is None and "端口" in dialog.problem.text()
    dialog.port.setText("6543")
    dialog.password.setText("秘密")
    dialog._accept()
    assert dialog.target is not None and dialog.target.port == 6543 and dialog.target.password == "秘密"
    assert "秘密" not in str(dialog.target)


@pytest.mark.server
def test_switching_the_window_to_a_server_database(qtbot, pg_server, pg_demo_ledger, ledger):
    from ui.context import UiContext
    from ui.dialogs.server_connect import ServerConnectDialog
    from ui.main_window import MainWindow

    window = MainWindow(UiContext(ledger))
    qtbot.addWidget(window)
    dialog = ServerConnectDialog()
    qtbot.addWidget(dialog)
    dialog.host.setText("127.0.0.1")
    dialog.port.setText(str(pg_server.port))
    dialog.database.setText(pg_demo_ledger.db.url.database)
    dialog.user.setText("postgres")
    dialog.password.setText(PASSWORD)
    dialog._accept()
    assert window.switch_to(dialog.target)
    assert window.ctx.ledger.db.is_server
    assert "服务器数据库：postgresql://postgres@127.0.0.1" in window.db_label.text()
    assert PASSWORD not in window.db_label.text() + window.windowTitle()
    assert pg_demo_ledger.db.url.database in window.windowTitle()
