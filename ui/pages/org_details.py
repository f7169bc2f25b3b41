"""The tabs under the 组织台账 table: one organisation's details, committee, roster, classes, pairs."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.pairing import pairings
from app.services.register import members, orgs
from app.services.register.orgs import OrgInfo
from ui.context import ORGS, UiContext
from ui.dialogs.pairing import PairingDialog
from ui.dialogs.people import CommitteeDialog, MemberDialog, TransferDialog
from ui.models.base import RowTableModel
from ui.models.orgs import CLASS_COLUMNS, COMMITTEE_COLUMNS, PAIRING_COLUMNS, ROSTER_COLUMNS
from ui.widgets.errors import show_error
from ui.widgets.tables import list_view, selected_row

INFO_FIELDS = (
    ("组织名称", lambda o: o.name), ("组织编码", lambda o: o.code), ("组织类型", lambda o: o.kind),
    ("所属领域", lambda o: o.sector), ("上级组织", lambda o: o.parent_name or "（无）"),
    ("书记", lambda o: o.secretary), ("联系方式", lambda o: o.contact), ("党员人数", lambda o: o.member_count),
    ("本年分类", lambda o: o.category.label if o.category else "未分类"), ("地址", lambda o: o.address),
    ("成立日期", lambda o: o.established_on or ""), ("党小组", lambda o: "设有党小组" if o.has_groups else "未设党小组"),
    ("状态", lambda o: "在用" if o.active else f"已停用（{o.closed_on or '撤销日期未记录'}）"),
)


def _buttons(*pairs: tuple[str, Callable[[], None]]) -> tuple[QHBoxLayout, list[QPushButton]]:
    row = QHBoxLayout()
    made = []
    for text, slot in pairs:
        b = QPushButton(text)
        b.clicked.connect(slot)
        row.addWidget(b)
        made.append(b)
    row.addStretch(1)
    return row, made


class OrgDetails(QTabWidget):
    def __init__(self, ctx: UiContext, all_orgs: Callable[[], Sequence[OrgInfo]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._all_orgs = all_orgs
        self.org: OrgInfo | None = None

        info = QWidget()
        grid = QGridLayout(info)
        grid.setHorizontalSpacing(12)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setColumnStretch(5, 1)
        self.info_labels: dict[str, QLabel] = {}
        for i, (label, _get) in enumerate(INFO_FIELDS):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.info_labels[label] = value
            r, c = divmod(i, 3)
            caption = QLabel(f"{label}：")
            caption.setObjectName("hint")
            grid.addWidget(caption, r, c * 2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, r, c * 2 + 1, Qt.AlignmentFlag.AlignTop)
        grid.setRowStretch(len(INFO_FIELDS) // 3 + 1, 1)
        self.addTab(info, "基本信息")

        self.committee_model = RowTableModel(COMMITTEE_COLUMNS, self)
        self.committee_view = list_view(self.committee_model, name="支部委员会", empty="还没有登记支部委员：点“新增”。")
        self.committee_view.doubleClicked.connect(lambda _i: self.edit_committee())
        bar, self.committee_buttons = _buttons(
            ("新增支委", self.add_committee), ("编辑", self.edit_committee), ("删除", self.remove_committee))
        self.addTab(self._tab(bar, self.committee_view), "支部委员会")

        self.roster_model = RowTableModel(ROSTER_COLUMNS, self)
        self.roster_view = list_view(self.roster_model, name="党员花名册",
                                     empty="还没有党员：点“新增党员”，或用“数据 → 导入党员花名册”。")
        self.roster_view.doubleClicked.connect(lambda _i: self.edit_member())
        self.show_transferred = QCheckBox("显示已转出党员")
        self.show_transferred.toggled.connect(lambda _on: self.load_roster())
        bar, self.roster_buttons = _buttons(
            ("新增党员", self.add_member), ("编辑", self.edit_member), ("组织关系转出", self.transfer_member))
        bar.addWidget(self.show_transferred)
        self.addTab(self._tab(bar, self.roster_view), "党员花名册")

        self.class_model = RowTableModel(CLASS_COLUMNS, self)
        self.addTab(self._tab(None, list_view(self.class_model, name="分类记录", empty="还没有分类记录。")), "分类记录")

        self.pairing_model = RowTableModel(PAIRING_COLUMNS, self)
        self.pairing_view = list_view(self.pairing_model, name="结对共建", empty="这个组织还没有结对共建关系。")
        bar, self.pairing_buttons = _buttons(("新增结对", self.add_pairing), ("解除结对", self.remove_pairing))
        self.addTab(self._tab(bar, self.pairing_view), "结对共建")
        self.set_org(None)

    @staticmethod
    def _tab(bar: QHBoxLayout | None, view: QWidget) -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        layout.setContentsMargins(6, 6, 6, 6)
        if bar is not None:
            layout.addLayout(bar)
        layout.addWidget(view)
        return w

    # -- loading ---------------------------------------------------------------------
    def set_org(self, org: OrgInfo | None) -> None:
        self.org = org
        for label, get in INFO_FIELDS:
            self.info_labels[label].setText("" if org is None else str(get(org)))
        for b in (*self.committee_buttons, *self.roster_buttons, *self.pairing_buttons):
            b.setEnabled(org is not None and org.active)
        if org is None:
            for m in (self.committee_model, self.roster_model, self.class_model, self.pairing_model):
                m.set_rows([])
            return
        ledger = self.ctx.ledger
        try:
            self.committee_model.set_rows(members.committee(ledger, org.code))
            self.load_roster()
            self.class_model.set_rows(orgs.class_history(ledger, org.code))
            self.pairing_model.set_rows(pairings.listing(ledger, code=org.code))
        except Exception as exc:
            show_error(self, exc)

    def load_roster(self) -> None:
        if self.org is not None:
            self.roster_model.set_rows(
                members.roster(self.ctx.ledger, self.org.code, include_transferred=self.show_transferred.isChecked())
            )

    def _changed(self) -> None:
        # The register's member count and secretary may have changed too.
        self.ctx.notify_changed(ORGS)

    def _need(self, view, what: str):
        row = selected_row(view)
        if row is None:
            QMessageBox.information(self, "请先选择", f"请先在列表中选择一个{what}。")
        return row

    # -- committee -------------------------------------------------------------------
    def add_committee(self) -> None:
        if self.org and CommitteeDialog(self.ctx.ledger, self.org.code, None, self).exec():
            self._changed()

    def edit_committee(self) -> None:
        person = self._need(self.committee_view, "支委成员")
        if person and self.org and CommitteeDialog(self.ctx.ledger, self.org.code, person, self).exec():
            self._changed()

    def remove_committee(self) -> None:
        person = self._need(self.committee_view, "支委成员")
        if not (person and self.org):
            return
        if QMessageBox.question(self, "删除支委成员", f"确定从支部委员会中删除 {person.role} {person.name} 吗？") \
                != QMessageBox.StandardButton.Yes:
            return
        try:
            members.remove_committee_member(self.ctx.ledger, self.org.code, person.id)
        except Exception as exc:
            show_error(self, exc)
            return
        self._changed()

    # -- roster ----------------------------------------------------------------------
    def add_member(self) -> None:
        if self.org and MemberDialog(self.ctx.ledger, self.org.code, None, self).exec():
            self._changed()

    def edit_member(self) -> None:
        person = self._need(self.roster_view, "党员")
        if person and self.org and MemberDialog(self.ctx.ledger, self.org.code, person, self).exec():
            self._changed()

    def transfer_member(self) -> None:
        person = self._need(self.roster_view, "党员")
        if person and self.org and TransferDialog(self.ctx.ledger, self.org.code, person, self).exec():
            self._changed()

    # -- pairings --------------------------------------------------------------------
    def add_pairing(self) -> None:
        if not self.org:
            return
        lead = self.org.category is not None and self.org.category.value in ("A", "B")
        year = self.ctx.ledger.today().year
        code = self.org.code
        dialog = PairingDialog(self.ctx.ledger, self._all_orgs(), year, self, leader=code if lead else None,
                               helped=None if lead else code)
        if dialog.exec():
            self._changed()

    def remove_pairing(self) -> None:
        pair = self._need(self.pairing_view, "结对关系")
        if not pair:
            return
        text = f"确定解除 {pair.year} 年 {pair.strong_name} 与 {pair.weak_name} 的结对吗？"
        if QMessageBox.question(self, "解除结对", text) != QMessageBox.StandardButton.Yes:
            return
        try:
            pairings.remove(self.ctx.ledger, pair.id)
        except Exception as exc:
            show_error(self, exc)
            return
        self._changed()
