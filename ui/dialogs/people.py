"""Dialogs for the people of an organisation: committee members, party members, transfers."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.domain.enums import COMMITTEE_ROLES, GENDERS, MEMBER_STATUSES
from app.services.kernel.context import Ledger
from app.services.register import members
from app.services.register.members import EDUCATIONS, CommitteeInfo, MemberInfo

from .base import ServiceDialog


class CommitteeDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, org_code: str, person: CommitteeInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("新增支委成员" if person is None else f"编辑支委成员 — {person.name}", parent)
        self.ledger, self.org_code, self.person = ledger, org_code, person
        self.name = self.line("姓名：", person.name if person else "")
        self.role = self.choice("职务：", COMMITTEE_ROLES, person.role if person else "委员")
        self.phone = self.line("联系电话：", person.phone if person else "")
        self.term_start = self.date_line("任职时间：", person.term_start if person else None)
        self.term_end = self.date_line("离任时间：", person.term_end if person else None,
                                       "在任留空；离任后填写，如 2026-06-30（历年手册据此列出当年的支委）")

    def save(self) -> CommitteeInfo:
        return members.save_committee_member(
            self.ledger, self.org_code, name=self.name.text(), role=self.role.currentText(),
            phone=self.phone.text(), term_start=self.term_start.text(), term_end=self.term_end.text(),
            member_id=self.person.id if self.person else None,
        )


class MemberDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, org_code: str, person: MemberInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("新增党员" if person is None else f"编辑党员信息 — {person.name}", parent)
        self.ledger, self.org_code, self.person = ledger, org_code, person
        p = person
        self.name = self.line("姓名：", p.name if p else "")
        self.gender = self.choice("性别：", GENDERS, p.gender if p else None, allow_empty=True)
        self.birth = self.date_line("出生日期：", p.birth_date if p else None)
        self.ethnicity = self.line("民族：", p.ethnicity if p else "汉族")
        self.education = self.choice("学历：", EDUCATIONS, p.education if p else None, allow_empty=True)
        self.joined = self.date_line("入党时间：", p.joined_on if p else None)
        self.status = self.choice("党员类别：", MEMBER_STATUSES, p.status if p else "正式党员")
        self.post = self.line("工作岗位：", p.post if p else "")
        self.phone = self.line("联系电话：", p.phone if p else "")

    def save(self) -> MemberInfo:
        values = {
            "name": self.name.text(), "gender": self.gender.currentText(), "birth_date": self.birth.text(),
            "ethnicity": self.ethnicity.text(), "education": self.education.currentText(),
            "joined_on": self.joined.text(), "status": self.status.currentText(), "post": self.post.text(),
            "phone": self.phone.text(),
        }
        return members.save_member(self.ledger, self.org_code, values, self.person.id if self.person else None)


class TransferDialog(ServiceDialog):
    """组织关系转出: the member leaves the roster but stays on record."""

    def __init__(self, ledger: Ledger, org_code: str, person: MemberInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"组织关系转出 — {person.name}", parent,
                         intro="转出后该党员不再计入本组织党员人数，历史记录保留。")
        self.ledger, self.org_code, self.person = ledger, org_code, person
        self.on = self.line("转出日期：", ledger.today().isoformat(), "如 2026-03-15")
        self.note = self.line("转往何处：", "", "如 县教育局机关党支部")
        self.buttons.button(self.buttons.StandardButton.Ok).setText("转出")

    def save(self) -> MemberInfo:
        return members.transfer_out(self.ledger, self.org_code, self.person.id, self.on.text(), self.note.text())
