"""The About dialog: version, licences of every bundled component, the self-test button."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app import APP_NAME, __version__
from app.paths import resources_dir
from ui import about
from ui.context import UiContext


def test_every_component_has_its_licence_text_bundled():
    names = " ".join(c.name for c in about.COMPONENTS)
    for required in ("PySide6", "文泉驿微米黑", "ReportLab", "openpyxl", "SQLAlchemy", "Alembic", "platformdirs", "pypdf"):
        assert required in names
    for component in about.COMPONENTS:
        for name in component.files:
            assert (resources_dir() / name).is_file(), name
        assert "缺失" not in about.licence_text(component)
    qt = about.licence_text(about.COMPONENTS[0])
    assert "LGPLv3" in qt and "GNU LESSER GENERAL PUBLIC LICENSE" in qt
    font = next(c for c in about.COMPONENTS if "文泉驿" in c.name)
    assert "Apache License" in about.licence_text(font)


def test_versions_are_read_from_the_libraries():
    import reportlab
    import sqlalchemy

    assert about.component_version("reportlab") == reportlab.Version
    assert about.component_version("sqlalchemy") == sqlalchemy.__version__
    assert about.component_version("") == ""
    assert about.component_version("no_such_module_here") == ""


def test_dialog_shows_version_and_ledger_path(qtbot, ledger):
    ctx = UiContext(ledger)
    dialog = about.AboutDialog(ctx)
    qtbot.addWidget(dialog)
    assert APP_NAME in dialog.windowTitle()
    assert dialog.version_label.text() == f"版本 {__version__}"
    assert dialog.db_label.text() == str(ledger.path)
    from app.services.kernel import identity

    assert identity.unit_id(ledger) in dialog.unit_label.text() and "测试经开区党工委" in dialog.unit_label.text()
    assert dialog.fingerprint_label.text() == identity.own_fingerprint(ledger)
    assert ".keys" in dialog.keys_label.text()
    dialog.resize(820, 600)
    dialog.grab().save(str(ledger.path.parent / "about.png"))
    assert dialog.component_list.count() == len(about.COMPONENTS)
    dialog.component_list.setCurrentRow(2)
    assert dialog.licence_view.toPlainText().startswith("ReportLab")


def test_parent_only_constructor(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = about.AboutDialog(parent)
    assert dialog.parent() is parent and dialog.ctx is None


def test_selftest_button_runs_in_background_and_shows_report(qtbot, ledger, monkeypatch, tmp_path):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    ctx = UiContext(ledger)
    dialog = about.AboutDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.run_button, __import__("PySide6.QtCore").QtCore.Qt.MouseButton.LeftButton)
    assert not dialog.run_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=60000)
    assert dialog.report.ok, dialog.report.render()
    text = dialog.report_view.toPlainText()
    assert "数据文件：审计链完整" in text and "界面字体" in text and "结论：全部通过" in text
    assert dialog.status_label.text() == "全部通过"
    assert dialog.files_button.isEnabled()
    assert (dialog.report.workdir / "自检.xlsx").is_file()
    dialog.copy_report()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == dialog.report.render()


def test_failed_core_run_is_shown(qtbot):
    dialog = about.AboutDialog()
    qtbot.addWidget(dialog)
    dialog._core_failed(RuntimeError("磁盘已满"), "")
    assert "自检未能完成：磁盘已满" in dialog.report_view.toPlainText()
    assert dialog.status_label.text() == "有 1 项未通过"
    assert not dialog.files_button.isEnabled()  # no test folder was written


def test_application_carries_the_icon(qapp):
    from ui.application import create_application
    from ui.icon import SIZES, app_icon

    icon = app_icon()
    assert {s.width() for s in icon.availableSizes()} == set(SIZES)
    app = create_application([])
    assert not app.windowIcon().isNull()
    assert app.desktopFileName() == "dangjian-ledger"
