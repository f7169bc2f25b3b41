"""指导员: one navigation entry with four tabs — 指导员与覆盖 (register, assignments, coverage), 周记录 (the weekly grid
and 月调度), 问题帮办, 年度考核 (grades, the three sign-offs, subsidies)."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from ui.context import ALL, GRADES, ORGS, RECORDS, SCHEME, UiContext
from ui.widgets.layout import page_title

from .instructor_grades import GradesTab
from .instructor_register import RegisterTab
from .instructor_tickets import TicketsTab
from .instructor_weekly import WeeklyTab


class Page(QWidget):
    title = "指导员"
    kinds: ClassVar[set[str]] = {ORGS, RECORDS, GRADES, SCHEME, ALL}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.register = RegisterTab(ctx)
        self.weekly = WeeklyTab(ctx)
        self.tickets = TicketsTab(ctx)
        self.grades = GradesTab(ctx)
        self.tabs = QTabWidget()
        for tab, label in ((self.register, "指导员与覆盖"), (self.weekly, "周记录与月调度"), (self.tickets, "问题帮办"),
                           (self.grades, "年度考核与补贴")):
            self.tabs.addTab(tab, label)
        self._stale = set(range(self.tabs.count()))
        head = QHBoxLayout()
        head.addWidget(page_title("党建指导员"))
        head.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(self._show)

    def refresh(self) -> None:
        """Reload the visible tab now, the others when they are next shown."""
        self._stale = set(range(self.tabs.count()))
        self._show(self.tabs.currentIndex())

    def _show(self, index: int) -> None:
        if index in self._stale:
            self._stale.discard(index)
            self.tabs.widget(index).refresh()

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("instructors/tab", self.tabs.currentIndex())

    def restore_state(self, settings: QSettings) -> None:
        tab = settings.value("instructors/tab", 0)
        self.tabs.setCurrentIndex(int(tab) if str(tab).isdigit() else 0)
