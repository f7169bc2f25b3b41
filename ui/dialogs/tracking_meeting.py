"""新增例会: date, 观摩 sites, the speakers (经验交流 or 表态发言 — 正反发言), the leader who 领办, and the
problems assigned, each becoming a 例会表态 task with its deadline. Saves through meetings.add_meeting (the
service ``meetings add`` calls); a refusal names the speaker or the problem and stays in the dialog."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.domain import tracking as rules
from app.services.kernel.context import Ledger
from app.services.register import orgs
from app.services.tracking import meetings
from ui.widgets.pickers import OrgPicker

from .base import ServiceDialog


def _table(headers: tuple[str, ...], stretch: int) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(list(headers))
    t.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    t.verticalHeader().setDefaultSectionSize(26)
    t.setMinimumHeight(120)
    return t


def _text(table: QTableWidget, r: int, c: int) -> str:
    item = table.item(r, c)
    return item.text().strip() if item is not None else ""


class MeetingDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__("新增例会", parent,
                         intro="正反发言：工作好的作经验交流，落后的作表态发言。交办的问题各成一项“例会表态”任务，"
                               "带整改时限，进入重点任务台账；发言人次和整改数都从这里统计。")
        self.ledger = ledger
        self.setMinimumWidth(760)
        self._orgs = orgs.list_orgs(ledger, include_inactive=False)
        self.on = self.line("例会日期", ledger.today().isoformat())
        self.title = self.line("例会名称", "党建工作例会")
        self.sites = self.line("观摩点", placeholder="多个观摩点用“、”分隔")
        self.leader = self.line("领办领导", placeholder="如 党委书记 王某")
        self.speakers = _table(("发言人", "发言类型"), 0)
        self.form.addRow("发言", self._with_button(self.speakers, "添加发言", self.add_speaker))
        self.problems = _table(("责任单位", "交办问题", "整改时限", "责任人"), 1)
        self.problems.setColumnWidth(0, 230)
        self.form.addRow("交办问题", self._with_button(self.problems, "添加问题", self.add_problem))
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(54)
        self.form.addRow("会议纪要", self.notes)
        for _ in range(2):
            self.add_speaker()
        self.add_problem()

    def _with_button(self, table: QTableWidget, label: str, slot) -> QWidget:
        box = QWidget()
        lay = QHBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(table, 1)
        button = QPushButton(label)
        button.clicked.connect(lambda: slot())
        lay.addWidget(button)
        return box

    def add_speaker(self, name: str = "", kind: str = rules.SPEAKER_KINDS[0]) -> int:
        r = self.speakers.rowCount()
        self.speakers.insertRow(r)
        self.speakers.setItem(r, 0, QTableWidgetItem(name))
        combo = QComboBox()
        combo.addItems(list(rules.SPEAKER_KINDS))
        combo.setCurrentText(kind)
        self.speakers.setCellWidget(r, 1, combo)
        return r

    def add_problem(self, owner: str | None = None, title: str = "", due: str = "", person: str = "") -> int:
        r = self.problems.rowCount()
        self.problems.insertRow(r)
        picker = OrgPicker()
        picker.set_orgs(self._orgs)
        if owner:
            picker.set_code(owner)
        self.problems.setCellWidget(r, 0, picker)
        for c, v in ((1, title), (2, due), (3, person)):
            self.problems.setItem(r, c, QTableWidgetItem(v))
        return r

    def speaker_rows(self) -> list[tuple[str, str]]:
        return [(_text(self.speakers, r, 0), self.speakers.cellWidget(r, 1).currentText())
                for r in range(self.speakers.rowCount()) if _text(self.speakers, r, 0)]

    def problem_rows(self) -> list[meetings.Problem]:
        out = []
        for r in range(self.problems.rowCount()):
            title, due, person = (_text(self.problems, r, c) for c in (1, 2, 3))
            if title or due:
                out.append(meetings.Problem(self.problems.cellWidget(r, 0).code() or "", title, due, person))
        return out

    def save(self):
        sites = [x.strip() for x in self.sites.text().replace("，", "、").replace(",", "、").split("、") if x.strip()]
        return meetings.add_meeting(self.ledger, on=self.on.text(), title=self.title.text(), sites=sites,
                                    speakers=self.speaker_rows(), leader=self.leader.text(),
                                    notes=self.notes.toPlainText(), problems=self.problem_rows())
