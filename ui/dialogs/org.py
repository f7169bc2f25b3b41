"""Dialogs for one organisation: add/edit, move under another parent, stop (pairing: ui/dialogs/pairing.py)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QCheckBox, QMessageBox, QSpinBox, QWidget

from app.domain.enums import ORG_KINDS, PARENT_KINDS, SECTORS
from app.services.kernel.context import Ledger
from app.services.register import orgs
from app.services.register.orgs import OrgInfo
from ui.widgets.pickers import OrgPicker, YearSpin

from .base import ServiceDialog

CLASS_CHOICES = ("", "A", "B", "C")


def parent_candidates(all_orgs: Sequence[OrgInfo], moving: OrgInfo | None = None) -> list[OrgInfo]:
    """Active organisations that may have children (the service re-checks loops)."""
    return [o for o in all_orgs if o.active and o.kind in PARENT_KINDS and (moving is None or o.code != moving.code)]


class OrgDialog(ServiceDialog):
    """Add a new organisation (``org=None``) or edit an existing one's details."""

    def __init__(self, ledger: Ledger, all_orgs: Sequence[OrgInfo], org: OrgInfo | None = None,
                 parent: QWidget | None = None, *, default_parent: str | None = None) -> None:
        super().__init__("新增党组织" if org is None else f"编辑党组织 — {org.name}", parent)
        self.ledger, self.org, self.all_orgs = ledger, org, list(all_orgs)
        adding = org is None
        self.code = self.line("组织编码：", "" if adding else org.code, "字母或数字，如 QS0108", key="code")
        self.code.setReadOnly(not adding)
        self.name = self.line("组织名称：", "" if adding else org.name, "必填，如 某某局机关党支部", key="name")
        self.kind = self.choice("组织类型：", ORG_KINDS, "党支部" if adding else org.kind, key="kind")
        self.sector = self.choice("所属领域：", SECTORS, None if adding else org.sector, key="sector")
        if adding:
            self.parent_picker = OrgPicker(allow_none="（无上级，即本单位）")
            self.parent_picker.set_orgs(parent_candidates(all_orgs))
            # Under the node chosen in the tree, else under the unit itself: a second top-level
            # unit is almost never meant (it would show in neither branch of the tree).
            roots = [o for o in all_orgs if o.parent_code is None and o.active]
            self.parent_picker.set_code(default_parent or (roots[0].code if roots else None))
            self.form.addRow("上级组织：", self.parent_picker)
            self.category = self.choice("本年分类：", CLASS_CHOICES, "")
            self.category.setItemText(0, "（暂不分类）")
            self.year = YearSpin(ledger.today().year)
            self.form.addRow("分类年度：", self.year)
        self.secretary = self.line("书记：", "" if adding else org.secretary, key="secretary")
        self.contact = self.line("联系方式：", "" if adding else org.contact, key="contact")
        self.members = QSpinBox()
        self.members.setRange(0, 100000)
        self.members.setSuffix(" 人")
        self.members.setValue(0 if adding else org.member_count)
        self.add_field("党员人数：", self.members, "member_count")
        self.address = self.line("地址：", "" if adding else org.address, key="address")
        self.established = self.date_line("成立日期：", None if adding else org.established_on, key="established_on")
        self.has_groups = QCheckBox("设有党小组（须每月召开党小组会）")
        self.has_groups.setChecked(False if adding else org.has_groups)
        self.form.addRow("党小组：", self.has_groups)

    def values(self) -> dict:
        return {
            "name": self.name.text(),
            "kind": self.kind.currentText(),
            "sector": self.sector.currentText(),
            "secretary": self.secretary.text(),
            "contact": self.contact.text(),
            "member_count": self.members.value(),
            "address": self.address.text(),
            "established_on": self.established.text(),
            "has_groups": self.has_groups.isChecked(),
        }

    def try_save(self) -> bool:
        """Ask before what is allowed but rarely meant: a second top-level unit, a name already used
        under the same parent."""
        question = self.doubt()
        if question and QMessageBox.question(self, self.windowTitle(), question) != QMessageBox.StandardButton.Yes:
            return False
        return super().try_save()

    def doubt(self) -> str:
        name = self.name.text().strip()
        parent = self.parent_picker.code() if self.org is None else self.org.parent_code
        if self.org is None and parent is None:
            roots = [o for o in self.all_orgs if o.parent_code is None and o.active]
            if roots:
                return (f"没有选择上级组织，“{name}”将成为与“{roots[0].name}”并列的另一个最上级单位，"
                        "在组织架构树中不会出现在本单位之下。确定这样新增吗？")
        same = next((o for o in self.all_orgs if o.name == name and o.parent_code == parent
                     and (self.org is None or o.code != self.org.code)), None)
        if same is not None:
            return f"同一上级下已有同名的组织“{same.name}”（编码 {same.code}）。仍要保存吗？"
        return ""

    def save(self) -> OrgInfo:
        if self.org is None:
            return orgs.add_org(
                self.ledger, code=self.code.text(), parent=self.parent_picker.code(),
                category=CLASS_CHOICES[self.category.currentIndex()] or None, year=self.year.value(),
                **self.values(),
            )
        return orgs.update_org(self.ledger, self.org.code, **self.values())


class MoveDialog(ServiceDialog):
    """Put an organisation under another parent (调整隶属关系)."""

    def __init__(self, ledger: Ledger, all_orgs: Sequence[OrgInfo], org: OrgInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"调整隶属 — {org.name}", parent,
                         intro=f"现上级：{org.parent_name or '（无）'}。请选择新的上级组织。")
        self.ledger, self.org = ledger, org
        self.parent_picker = OrgPicker(allow_none="（无上级）")
        self.parent_picker.set_orgs(parent_candidates(all_orgs, org))
        self.parent_picker.set_code(org.parent_code)
        self.form.addRow("新上级组织：", self.parent_picker)

    def save(self) -> OrgInfo:
        return orgs.move_org(self.ledger, self.org.code, self.parent_picker.code())


class StopDialog(ServiceDialog):
    """停用 (撤销) an organisation on a date: it is warned and graded only for periods it lived through."""

    def __init__(self, ledger: Ledger, org: OrgInfo, parent: QWidget | None = None) -> None:
        intro = (f"停用“{org.name}”后，它不再参加积分、预警和定级；撤销日期之前已经完整经过的季度和年度照常保留。"
                 "历史数据保留，可随时重新启用。")
        super().__init__("停用组织", parent, intro=intro)
        self.ledger, self.org = ledger, org
        self.closed_on = self.date_line("撤销日期：", ledger.today())
        self.buttons.button(self.buttons.StandardButton.Ok).setText("停用")

    def save(self) -> OrgInfo:
        return orgs.set_status(self.ledger, self.org.code, False, on=self.closed_on.text())
