"""指导站 month list dialogs (issue 19.5): issue a month's list to a station or its instructors, and mark one task
done with its evidence. Both save through app.services.tracking.station_lists, as `instructor-tasks` does; a
refusal stays in the dialog in red, nothing written."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.services.instructors import register
from app.services.kernel.context import Ledger
from app.services.tracking import station_lists
from app.services.tracking.task_lists import ListLine
from ui.dialogs.base import ServiceDialog

OWN = "指导站（站本级）"


def parse_lines(text: str) -> list[ListLine]:
    """One task a line: “任务名称” or “任务名称|完成时限”; blank lines are skipped."""
    out = []
    for n, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            title, _, due = raw.partition("|")
            out.append(ListLine(f"第 {n} 行", title.strip(), due.strip() or None))
    return out


class IssueListDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, month: str, parent: QWidget | None = None, *, station: str | None = None) -> None:
        super().__init__("下达月度任务清单", parent, intro="月初向指导站下达本月工作任务；下达给全体指导员时每人一项，"
                                                          "月末按完成情况汇总反馈。完成时限不填为月末。")
        self.ledger = ledger
        self.station = self.choice("指导站", [s.name for s in register.stations(ledger)], station)
        self.month = self.line("月份", month, "如 2026-11")
        self.to = self.choice("下达给", [OWN, station_lists.EVERYONE])
        self._people()
        self.station.currentTextChanged.connect(lambda _t: self._people())
        self.issued = self.date_line("交办日期", placeholder="默认当月 1 日")
        self.lines = QPlainTextEdit()
        self.lines.setPlaceholderText("每行一项：任务名称|完成时限，如\n走访新招商企业|2026-11-20\n报送本月工作简报")
        self.lines.setMinimumHeight(110)
        self.form.addRow("任务", self.lines)

    def _people(self) -> None:
        keep = self.to.currentText()
        self.to.clear()
        self.to.addItems([OWN, station_lists.EVERYONE,
                          *[p.name for p in register.list_instructors(self.ledger, self.station.currentText() or None)]])
        self.to.setCurrentText(keep)

    def save(self):
        to = self.to.currentText()
        return station_lists.issue(self.ledger, self.month.text(), self.station.currentText(),
                                   parse_lines(self.lines.toPlainText()), to=[] if to == OWN else [to],
                                   issued=self.issued.text() or None)


class TaskDoneDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, task: station_lists.StationTask, parent: QWidget | None = None) -> None:
        t = task.task
        super().__init__("登记任务完成", parent,
                         intro=f"{task.instructor or task.station}：{t.title}（{t.issued}—{t.due}，当前：{t.status}）")
        self.ledger, self.task = ledger, task
        self.done_on = self.date_line("完成日期", ledger.today(), "如 2026-11-18")
        self.evidence = self.line("完成佐证", placeholder="如 走访记录 3 份、简报第 11 期")

    def save(self):
        return station_lists.mark_done(self.ledger, self.task.task.id, on=self.done_on.text(),
                                       evidence=self.evidence.text())
