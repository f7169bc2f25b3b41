"""First start: an empty file offers demo data or a blank start with the unit's name."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from app.services.kernel import settings
from app.services.opening import setup
from app.services.opening.setup import open_ledger
from app.services.register import orgs
from ui.dialogs.first_run import FirstRunDialog, needs_first_run


def test_blank_start_needs_a_name_then_creates_the_root(qtbot, tmp_path):
    ledger = open_ledger(tmp_path / "new.sqlite")
    try:
        assert needs_first_run(ledger)
        dialog = FirstRunDialog(ledger)
        qtbot.addWidget(dialog)
        dialog.empty_choice.setChecked(True)
        dialog.start()
        assert "单位名称不能为空" in dialog.message.text()
        assert setup.is_empty(ledger)

        dialog.unit_name.setText("青松镇党委")
        dialog.start()
        assert dialog.result() == QDialog.DialogCode.Accepted
        roots = [o for o in orgs.list_orgs(ledger) if o.parent_code is None]
        assert [(o.name, o.kind) for o in roots] == [("青松镇党委", "工委")]
        assert settings.get(ledger, "unit_name") == "青松镇党委"
        assert not needs_first_run(ledger)
    finally:
        ledger.close()


def test_demo_choice_loads_demo_in_background(qtbot, tmp_path):
    ledger = open_ledger(tmp_path / "demo.sqlite")
    try:
        dialog = FirstRunDialog(ledger)
        qtbot.addWidget(dialog)
        dialog.demo_choice.setChecked(True)
        assert not dialog.unit_name.isEnabled()
        with qtbot.waitSignal(dialog.accepted, timeout=120000):
            dialog.start()
        assert len(orgs.list_orgs(ledger)) > 40
    finally:
        ledger.close()
