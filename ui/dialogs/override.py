"""调整定级: set an organisation's final class by hand; the reason is required and audited."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from app.domain.enums import Category
from app.domain.points import fmt
from app.services.assessment import grades
from app.services.assessment.grades import OrgGrade
from app.services.kernel.context import Ledger
from ui.dialogs.base import ServiceDialog


class OverrideDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, grade: OrgGrade, parent: QWidget | None = None) -> None:
        veto = "；本年度有一票否决事项" if grade.veto else ""
        intro = (f"{grade.org_name}　{grade.year} 年度得分 {fmt(grade.score)}，排名第 {grade.rank}，"
                 f"按细则计算为 {grade.computed.label}{veto}。\n"
                 "调整后的定级将作为最终结果（确认后据此设定下一年的分类），调整理由会记入操作日志。")
        super().__init__("调整定级", parent, intro=intro)
        self.setMinimumWidth(520)
        self.ledger, self.grade = ledger, grade
        self.final = QComboBox()
        for c in Category:
            self.final.addItem(c.label, c.value)
        self.final.setCurrentIndex(self.final.findData(grade.final.value))
        self.form.addRow("最终定级", self.final)
        self.reason = QPlainTextEdit(grade.override_reason)
        self.reason.setPlaceholderText("必填：说明调整的依据，如 上级表彰文件、专项检查结论")
        self.reason.setFixedHeight(100)
        self.form.addRow("调整理由", self.reason)

    def save(self) -> OrgGrade:
        return grades.override(self.ledger, self.grade.org_code, self.grade.year, self.final.currentData(),
                               self.reason.toPlainText())
