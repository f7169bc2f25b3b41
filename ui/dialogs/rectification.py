"""预警 dialogs: publish the quarter's 预警通报, and record an organisation's 整改."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QDateEdit, QLabel, QLineEdit, QPlainTextEdit, QWidget

from app.domain.enums import WarningLevel
from app.domain.periods import quarter_end, quarter_ended
from app.services.assessment import warnings
from app.services.assessment.warnings import OrgWarning
from app.services.kernel.context import Ledger
from ui.dialogs.base import ServiceDialog


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def date_edit(value: date, maximum: date | None = None) -> QDateEdit:
    w = QDateEdit(qdate(value))
    w.setCalendarPopup(True)
    w.setDisplayFormat("yyyy-MM-dd")
    if maximum is not None:
        w.setMaximumDate(qdate(maximum))
    return w


class NoticeDialog(ServiceDialog):
    """发布预警通报: 文号 and date; every warned organisation gets a notice and a rectification deadline."""

    def __init__(self, ledger: Ledger, year: int, quarter: int, rows: list[OrgWarning],
                 parent: QWidget | None = None) -> None:
        new = [r for r in rows if r.level and not r.issued]  # issued rows stay as issued
        counts = {lv: sum(1 for r in new if r.level == lv) for lv in WarningLevel if lv}
        warned = sum(counts.values())
        draft = not quarter_ended(year, quarter, ledger.today())
        if draft:
            intro = (f"{year} 年第 {quarter} 季度尚未结束（{quarter_end(year, quarter):%Y-%m-%d} 结束），"
                     "积分还会变化，现在只能预览通报草稿，不能发布。季度结束后再发布。")
        elif not warned and any(r.issued for r in rows):
            intro = f"{year} 年第 {quarter} 季度的预警通报已发布，没有新达到预警线、尚未通报的党组织，不需要再发布。"
        else:
            intro = (f"{year} 年第 {quarter} 季度有 {warned} 个党组织达到预警线、尚未通报"
                     + ("：" + "，".join(f"{lv.label} {n} 个" for lv, n in sorted(counts.items(), reverse=True))
                        if warned else "") + "。"
                     f"\n发布后，每个预警组织的整改期限为：黄色 {warnings.DEADLINE_DAYS[1]} 天、"
                     f"橙色 {warnings.DEADLINE_DAYS[2]} 天、红色 {warnings.DEADLINE_DAYS[3]} 天。")
            if any(r.issued for r in rows):
                intro += "\n本季度已发布过通报；已通报的组织保持通报时的等级和原因，这次只通报新达到预警线的组织。"
        super().__init__("发布预警通报", parent, intro=intro)
        self.ledger, self.year, self.quarter = ledger, year, quarter
        self.notice_no = QLineEdit()
        self.notice_no.setPlaceholderText(f"如 青开党工委〔{year}〕{quarter} 号")
        self.form.addRow("文号", self.notice_no)
        self.issued_on = date_edit(ledger.today(), ledger.today())
        self.form.addRow("通报日期", self.issued_on)
        self.buttons.button(self.buttons.StandardButton.Ok).setText("发布")
        self.buttons.button(self.buttons.StandardButton.Ok).setEnabled(warned > 0 and not draft)

    def save(self) -> list[OrgWarning]:
        return warnings.issue_notice(self.ledger, self.year, self.quarter, notice_no=self.notice_no.text(),
                                     issued_on=pydate(self.issued_on.date()))


class RectificationDialog(ServiceDialog):
    """整改: measures, deadline, who verified it and the date it was closed (销号)."""

    def __init__(self, ledger: Ledger, warning: OrgWarning, parent: QWidget | None = None) -> None:
        intro = (f"{warning.org_name}　{warning.year} 年第 {warning.quarter} 季度　{warning.level.label}"
                 f"（{warning.level.action}）\n原因：{warning.reason_text}")
        super().__init__("登记整改", parent, intro=intro)
        self.setMinimumWidth(560)
        self.ledger, self.warning = ledger, warning
        r = warning.rectification
        today = ledger.today()
        self.measures = QPlainTextEdit(r.measures if r else "")
        self.measures.setPlaceholderText("整改措施及落实情况")
        self.measures.setFixedHeight(120)
        self.form.addRow("整改措施", self.measures)
        self.deadline = date_edit(r.deadline if r and r.deadline else today)
        self.form.addRow("整改期限", self.deadline)
        self.verified_by = QLineEdit(r.verified_by if r else "")
        self.verified_by.setPlaceholderText("销号时必填")
        self.form.addRow("验收人", self.verified_by)
        self.closed = QCheckBox("已整改到位，销号")
        self.closed.setChecked(bool(r and r.closed_on))
        self.closed_on = date_edit(r.closed_on if r and r.closed_on else today, today)
        self.closed_on.setEnabled(self.closed.isChecked())
        self.closed.toggled.connect(self.closed_on.setEnabled)
        self.form.addRow("", self.closed)
        self.form.addRow("销号日期", self.closed_on)
        if r and r.deadline and r.deadline < today and not r.closed_on:
            late = QLabel(f"已超过整改期限 {(today - r.deadline).days} 天")
            late.setObjectName("errorText")
            self.form.addRow("", late)

    def save(self) -> OrgWarning:
        w = self.warning
        return warnings.save_rectification(
            self.ledger, w.org_code, w.year, w.quarter, measures=self.measures.toPlainText(),
            deadline=pydate(self.deadline.date()), verified_by=self.verified_by.text(),
            closed_on=pydate(self.closed_on.date()) if self.closed.isChecked() else None,
        )
