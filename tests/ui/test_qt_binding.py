"""Guards the PySide6 pin: shiboken6 6.12 on CPython 3.11 drops a reference to None each time Qt
hands None back to Python, and the process aborts after a few thousand reads ("none_dealloc").
6.11.3 does not; this fails if a version with that bug is installed."""

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem


def test_reading_none_back_from_qt_keeps_none_alive(qapp):
    item = QStandardItem()
    before = sys.getrefcount(None)
    for _ in range(5000):
        assert item.data(Qt.ItemDataRole.UserRole) is None
    assert sys.getrefcount(None) >= before - 50
