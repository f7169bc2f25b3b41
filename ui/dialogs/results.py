"""结果运用 dialogs: register or edit a 表彰 or a 补助经费 entry, and set one incentive rule."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QWidget

from app.domain.enums import SECTORS
from app.domain.incentives import AWARD_LEVELS, BONUS_LEVELS, GRADES, fmt_money
from app.services.incentives import awards, grants, rules
from app.services.incentives.awards import AwardInfo
from app.services.incentives.grants import GrantInfo
from app.services.kernel.context import Ledger
from ui.dialogs.base import ServiceDialog
from ui.widgets.pickers import OrgPicker


class AwardDialog(ServiceDialog):
    """登记表彰 / 修改表彰. A collective award at 县级 or above may also count its 加分 (once)."""

    def __init__(self, ledger: Ledger, orgs: list, award: AwardInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("修改表彰" if award else "登记表彰", parent,
                         intro="集体获县级以上表彰可计入加分项“获县级以上表彰”（每项一次，受该项年上限约束）；"
                               "个人表彰请填写获表彰人员。")
        self.ledger, self.award = ledger, award
        self.org = OrgPicker()
        self.org.set_orgs(orgs)
        if award is not None:
            self.org.set_code(award.org_code)
        self.form.addRow("党组织", self.org)
        self.level = self.choice("级别", AWARD_LEVELS, award.level if award else "县")
        self.on = self.date_line("表彰日期", award.date if award else ledger.today(), "如 2026-05-04")
        self.title = self.line("表彰名称", award.title if award else "", "如 县级先进基层党组织")
        self.person = self.line("获表彰人员", award.person if award else "", "集体表彰不填")
        self.issuer = self.line("授予单位", award.issuer if award else "", "如 中共某某县委")
        self.note = self.line("备注", award.note if award else "")
        self.bonus = QCheckBox("同时计入加分（获县级以上表彰）")
        self.bonus.setChecked(award is None)
        if award is None:
            self.form.addRow("", self.bonus)

    def save(self) -> AwardInfo:
        values = {"org": self.org.code() or "", "level": self.level.currentText(), "on": self.on.text(),
                  "title": self.title.text(), "person": self.person.text(), "issuer": self.issuer.text(),
                  "note": self.note.text()}
        if self.award is not None:
            return awards.edit(self.ledger, self.award.id, **values)
        bonus = (self.bonus.isChecked() and not values["person"].strip()
                 and values["level"] in BONUS_LEVELS)
        return awards.add(self.ledger, bonus=bonus, **values)


class GrantDialog(ServiceDialog):
    """登记补助经费 / 修改补助经费."""

    def __init__(self, ledger: Ledger, orgs: list, grant: GrantInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("修改补助经费" if grant else "登记补助经费", parent,
                         intro="例如对申报培育的党支部每年补助工作经费 5000 元。金额以元为单位，最多两位小数。")
        self.ledger, self.grant = ledger, grant
        self.org = OrgPicker()
        self.org.set_orgs(orgs)
        if grant is not None:
            self.org.set_code(grant.org_code)
        self.form.addRow("党组织", self.org)
        self.purpose = self.line("用途", grant.purpose if grant else "", "如 培育党支部工作经费")
        self.amount = self.line("金额（元）", fmt_money(grant.amount) if grant else "", "如 5000")
        self.on = self.date_line("拨付日期", grant.date if grant else ledger.today(), "如 2026-03-01")
        self.note = self.line("备注", grant.note if grant else "")

    def save(self) -> GrantInfo:
        values = {"org": self.org.code() or "", "purpose": self.purpose.text(), "amount": self.amount.text(),
                  "on": self.on.text(), "note": self.note.text()}
        if self.grant is not None:
            return grants.edit(self.ledger, self.grant.id, **values)
        return grants.add(self.ledger, **values)


class RuleDialog(ServiceDialog):
    """Set one of the year's incentive rules: a 奖补 amount or a 绩效 result for a sector and class."""

    def __init__(self, ledger: Ledger, year: int, parent: QWidget | None = None) -> None:
        super().__init__(f"{year} 年结果运用规则", parent,
                         intro="非公企业、社会组织按定级奖补兑现（元）；机关事业单位、村(社区)体现到绩效评定。"
                               "“否决”为有一票否决事项的组织：不予奖补（0 元）、绩效评定为最低等次。")
        self.ledger, self.year = ledger, year
        self.rule_set, _src = rules.rules(ledger, year)
        self.sector = self.choice("领域", SECTORS)
        self.grade = self.choice("定级", GRADES)
        self.amount = self.line("奖补金额（元）")
        self.result = self.line("结果 / 说明")
        self.sector.currentTextChanged.connect(lambda _t: self._load())
        self.grade.currentTextChanged.connect(lambda _t: self._load())
        self._load()

    def _load(self) -> None:
        r = self.rule_set.get(self.sector.currentText(), self.grade.currentText())
        reward = r is not None and r.kind == "奖补"
        self.amount.setEnabled(reward)
        self.amount.setText(fmt_money(r.amount) if r and r.amount is not None else "")
        self.result.setText(r.result if r else "")

    def save(self):
        return rules.set_rule(self.ledger, self.year, self.sector.currentText(), self.grade.currentText(),
                              amount=self.amount.text() if self.amount.isEnabled() else None,
                              result=self.result.text())
