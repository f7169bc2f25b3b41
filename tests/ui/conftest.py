"""GUI fixtures: a UiContext over the test ledgers; QSettings kept in a private folder."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QSettings


@pytest.fixture(autouse=True)
def _private_settings(tmp_path, qapp):
    # Window geometry / last page must not leak between tests or into the user's real settings.
    QCoreApplication.setOrganizationName("dangjian-test")
    QCoreApplication.setApplicationName("dangjian-test")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    yield


@pytest.fixture
def ctx(ledger, qapp):
    from ui.context import UiContext

    c = UiContext(ledger)
    yield c
    c.tasks.wait(10000)


@pytest.fixture
def demo_ctx(demo_ledger, qapp):
    from ui.context import UiContext

    c = UiContext(demo_ledger)
    yield c
    c.tasks.wait(10000)
