"""指导员 dialogs: register an instructor or a guidance target, assign, collect a problem, move a ticket on.
Each saves through app.services.instructors; a refusal stays in the dialog in red, nothing written."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QWidget

from app.domain import instructors as rules
from app.services.instructors import assignments, register, tickets
from app.services.kernel.context import Ledger
from ui.dialogs.base import ServiceDialog


class InstructorDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__("登记指导员", parent)
        self.ledger = ledger
        self.station = self.choice("指导站", [s.name for s in register.stations(ledger)])
        self.name = self.line("姓名")
        self.source = self.choice("选派来源", rules.SOURCES, "县(区)派")
        self.mode = self.choice("专职/兼职", rules.MODES)
        self.group = self.line("小组", placeholder="如 第一组")
        self.post = self.choice("职务", rules.POSTS, "指导员")
        self.term_start = self.date_line("任期开始")
        self.term_end = self.date_line("任期结束")
        self.phone = self.line("电话")

    def save(self):
        return register.add_instructor(self.ledger, self.station.currentText(), name=self.name.text(),
                                       source=self.source.currentText(), mode=self.mode.currentText(),
                                       group=self.group.text(), post=self.post.currentText(),
                                       term_start=self.term_start.text(), term_end=self.term_end.text(),
                                       phone=self.phone.text())


class TargetDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, committees: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__("登记指导对象", parent, intro="尚未建立党组织的企业或社会组织；建立党组织后可关联到该党组织。")
        self.ledger = ledger
        self.name = self.line("名称")
        self.sector = self.choice("领域", rules.TARGET_SECTORS)
        self.tags = self.line("标签", placeholder="、".join(rules.TAGS) + "（可多选，用“、”分隔）")
        self.industry = self.line("行业", placeholder="如 软件、物流")
        self.committee = self.choice("所属党委", [f"{code} {name}" for code, name in committees], allow_empty=True)

    def save(self):
        code = self.committee.currentText().split(" ")[0] or None
        return register.add_target(self.ledger, committee=code, name=self.name.text(),
                                   sector=self.sector.currentText(), tags=self.tags.text(),
                                   industry=self.industry.text())


class AssignDialog(ServiceDialog):
    """Assign an instructor to a unit; ``units``: (label, org code or None, target name or None)."""

    def __init__(self, ledger: Ledger, people: list[str], units: list[tuple[str, str | None, str | None]],
                 parent: QWidget | None = None, *, unit: str | None = None) -> None:
        super().__init__("指派指导员", parent, intro="同一党组织或指导对象在同一时段只能指派一名指导员。")
        self.ledger, self.units = ledger, units
        self.person = self.choice("指导员", people)
        self.unit = self.choice("指派到", [u[0] for u in units], unit)
        self.start = self.date_line("开始日期", ledger.today(), "如 2026-03-01")
        self.end = self.date_line("结束日期")
        self.town = QCheckBox("派驻镇域企业（专职发交通补助）")
        self.form.addRow("", self.town)

    def save(self):
        _label, org, target = self.units[self.unit.currentIndex()]
        return assignments.assign(self.ledger, self.person.currentText(), org=org, target=target,
                                  start=self.start.text(), end=self.end.text() or None,
                                  in_town=self.town.isChecked())


class TicketDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, people: list[str], places: list[str], parent: QWidget | None = None) -> None:
        super().__init__("登记问题", parent, intro="走访中收集的企业问题和需求，登记后按 收集 → 交办 → 办理中 → 办结 → 回访 推进。")
        self.ledger = ledger
        self.person = self.choice("收集人（指导员）", people)
        self.place = self.choice("企业 / 党组织", places)
        self.place.setEditable(True)
        self.raised_by = self.line("提出人")
        self.raised_on = self.date_line("收集日期", ledger.today())
        self.content = self.line("问题内容")

    def save(self):
        return tickets.add(self.ledger, self.person.currentText(), self.place.currentText(), self.content.text(),
                           raised_on=self.raised_on.text(), raised_by=self.raised_by.text())


class TicketMoveDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, ticket: tickets.TicketInfo, parent: QWidget | None = None) -> None:
        super().__init__("推进问题帮办", parent, intro=f"{ticket.place}：{ticket.content}（当前：{ticket.status}）")
        self.ledger, self.ticket = ledger, ticket
        later = rules.TICKET_FLOW[rules.TICKET_FLOW.index(ticket.status):]
        self.status = self.choice("新状态", later, later[min(1, len(later) - 1)])
        self.handled_by = self.line("承办单位", ticket.handled_by)
        self.closed_on = self.date_line("办结日期", ticket.closed_on, "办结时填写，默认今天")
        self.satisfaction = self.choice("满意度（回访）", rules.SATISFACTION, ticket.satisfaction or None, allow_empty=True)

    def save(self):
        return tickets.update(self.ledger, self.ticket.id, status=self.status.currentText(),
                              closed_on=self.closed_on.text() or None, satisfaction=self.satisfaction.currentText(),
                              handled_by=self.handled_by.text())
