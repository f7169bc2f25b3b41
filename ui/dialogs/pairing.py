"""结对共建 dialogs: add (or accept an edited suggestion), edit a pairing's span and goals, evaluate it at
the year's end. Every save goes through app.services.pairing, which applies the year's rules."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QCheckBox, QGridLayout, QPlainTextEdit, QWidget

from app.domain.pairing import GOALS, RATINGS
from app.services.kernel.context import Ledger
from app.services.pairing import pairings
from app.services.pairing.pairings import PairingInfo
from app.services.register.orgs import OrgInfo
from ui.widgets.pickers import OrgPicker, YearSpin

from .base import ServiceDialog

INTRO = ("以强带弱：牵头方为当年A类组织（规则允许时可为B类），一般为机关事业单位党组织；被帮扶方为C类组织。"
         "一个组织一年只能有一个牵头组织。")


class GoalBoxes(QWidget):
    """共建内容: one check box per goal."""

    def __init__(self, chosen: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, g in enumerate(GOALS):
            box = QCheckBox(g)
            box.setChecked(g in chosen)
            grid.addWidget(box, i // 4, i % 4)
            self.boxes[g] = box

    def chosen(self) -> list[str]:
        return [g for g, b in self.boxes.items() if b.isChecked()]


class PairingDialog(ServiceDialog):
    """Add a pairing; ``leader``/``helped`` preset it (e.g. from a suggestion the user then edits)."""

    def __init__(self, ledger: Ledger, all_orgs: Sequence[OrgInfo], year: int, parent: QWidget | None = None, *,
                 leader: str | None = None, helped: str | None = None) -> None:
        super().__init__("新增结对共建", parent, intro=INTRO)
        self.setMinimumWidth(560)
        self.ledger = ledger
        scored = [o for o in all_orgs if o.active and o.scored]
        self.leader = OrgPicker()
        self.leader.set_orgs(scored)
        self.helped = OrgPicker()
        self.helped.set_orgs(scored)
        if leader:
            self.leader.set_code(leader)
        if helped:
            self.helped.set_code(helped)
        self.year = YearSpin(year)
        self.form.addRow("年度：", self.year)
        self.form.addRow("牵头方：", self.leader)
        self.form.addRow("被帮扶方：", self.helped)
        self.start = self.date_line("开始日期：", placeholder="默认为当年 1 月 1 日")
        self.end = self.date_line("结束日期：", placeholder="默认为当年 12 月 31 日")
        self.goals = GoalBoxes(("阵地联用", "活动联办", "组织生活联过"))
        self.form.addRow("共建内容：", self.goals)
        self.reason = self.line("理由：", placeholder="牵头方不是机关事业单位时必须填写")
        self.note = self.line("备注：")

    def save(self) -> PairingInfo:
        return pairings.add(self.ledger, self.leader.code() or "", self.helped.code() or "", self.year.value(),
                            goals=self.goals.chosen(), reason=self.reason.text(), start_on=self.start.text() or None,
                            end_on=self.end.text() or None, note=self.note.text())


class EditPairingDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, pair: PairingInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"修改结对 — {pair.strong_name} 牵头 {pair.weak_name}", parent, intro=INTRO)
        self.setMinimumWidth(560)
        self.ledger, self.pair = ledger, pair
        self.start = self.date_line("开始日期：", pair.start_on)
        self.end = self.date_line("结束日期：", pair.end_on)
        self.goals = GoalBoxes(pair.goals)
        self.form.addRow("共建内容：", self.goals)
        self.reason = self.line("理由：", pair.reason)
        self.note = self.line("备注：", pair.note)

    def save(self) -> PairingInfo:
        return pairings.update(self.ledger, self.pair.id, goals=self.goals.chosen(), reason=self.reason.text(),
                               start_on=self.start.text() or None, end_on=self.end.text() or None,
                               note=self.note.text())


class EvaluationDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, pair: PairingInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"年终评价 — {pair.strong_name} 牵头 {pair.weak_name}", parent,
                         intro=f"{pair.year} 年结对共建的年终评价：评价等次和主要成效、存在问题。")
        self.ledger, self.pair = ledger, pair
        self.rating = self.choice("评价等次：", RATINGS, pair.rating or "较好")
        self.text = QPlainTextEdit(pair.evaluation)
        self.text.setMinimumHeight(120)
        self.form.addRow("评价意见：", self.text)

    def save(self) -> PairingInfo:
        return pairings.evaluate(self.ledger, self.pair.id, self.rating.currentText(), self.text.toPlainText())
