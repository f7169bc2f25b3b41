"""指导员 tab 1: the register (instructors, guidance targets), assignments and coverage with the uncovered."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QTabWidget, QVBoxLayout, QWidget

from app.errors import LedgerError
from app.services.instructors import assignments, register
from app.services.register import orgs as org_service
from ui.context import ORGS, UiContext
from ui.dialogs.instructor_edit import EditInstructorDialog, LinkTargetDialog
from ui.dialogs.instructors import AssignDialog, InstructorDialog, TargetDialog
from ui.models.base import CENTER, Column, RowTableModel
from ui.widgets.errors import show_error
from ui.widgets.layout import Card
from ui.widgets.tables import list_view, selected_row

PEOPLE = [Column("指导站", lambda i: i.station, width=150), Column("小组", lambda i: i.group or "—", width=60),
          Column("姓名", lambda i: i.name, width=70), Column("职务", lambda i: i.post, width=60),
          Column("来源", lambda i: i.source, width=70), Column("专职/兼职", lambda i: i.mode, align=CENTER, width=70),
          Column("电话", lambda i: i.phone, width=100)]
TARGETS = [Column("名称", lambda t: t.name, width=170), Column("领域", lambda t: t.sector, width=70),
           Column("标签", lambda t: "、".join(t.tags) or "—", width=110), Column("行业", lambda t: t.industry, width=70),
           Column("已建党组织", lambda t: t.org_name or "—", width=160)]
ASSIGNED = [Column("编号", lambda a: a.id, align=CENTER, width=44), Column("指导员", lambda a: a.instructor, width=64),
            Column("类别", lambda a: a.kind, width=64), Column("对象", lambda a: a.name, width=190),
            Column("开始", lambda a: a.start_on.isoformat(), width=86),
            Column("结束", lambda a: a.end_on.isoformat() if a.end_on else "至今", width=86),
            Column("镇域", lambda a: "是" if a.in_town else "", align=CENTER, width=44)]
UNCOVERED = [Column("类别", lambda u: u.kind, width=70), Column("名称", lambda u: u.name, width=220),
             Column("所属党委", lambda u: u.committee, width=150)]


class RegisterTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.covered = Card("指导覆盖率")
        self.counts = Card("指导员")
        self.uncovered_card = Card("未覆盖", "#d7261e")
        self.by_committee = QLabel()
        self.by_committee.setWordWrap(True)
        self.add_person = QPushButton("登记指导员…")
        self.add_target = QPushButton("登记指导对象…")
        self.assign_button = QPushButton("指派…")
        self.end_button = QPushButton("结束所选指派")
        self.edit_person = QPushButton("修改所选指导员…")
        self.link_button = QPushButton("关联党组织…")
        top = QHBoxLayout()
        for w in (self.covered, self.counts, self.uncovered_card):
            top.addWidget(w)
        top.addWidget(self.by_committee, 1)
        buttons = QHBoxLayout()
        for b in (self.add_person, self.edit_person, self.add_target, self.link_button, self.assign_button,
                  self.end_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.people = RowTableModel(PEOPLE, self)
        self.targets = RowTableModel(TARGETS, self)
        self.targets_view = list_view(self.targets)
        self.assigned = RowTableModel(ASSIGNED, self)
        self.uncovered = RowTableModel(UNCOVERED, self)
        self.people_view = list_view(self.people)
        self.assigned_view = list_view(self.assigned, stretch=3)
        self.uncovered_view = list_view(self.uncovered, stretch=1)
        lists = QTabWidget()
        lists.addTab(self.people_view, "指导员")
        lists.addTab(self.targets_view, "指导对象（企业、社会组织）")
        right = QTabWidget()
        right.addTab(self.assigned_view, "指派")
        right.addTab(self.uncovered_view, "未覆盖（双击指派）")
        self.right = right
        split = QSplitter()
        split.addWidget(lists)
        split.addWidget(right)
        split.setSizes([560, 600])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)

        self.add_person.clicked.connect(self._add_person)
        self.add_target.clicked.connect(self._add_target)
        self.assign_button.clicked.connect(lambda: self._assign())
        self.end_button.clicked.connect(self._end)
        self.edit_person.clicked.connect(self._edit_person)
        self.people_view.doubleClicked.connect(lambda _i: self._edit_person())
        self.link_button.clicked.connect(self._link)
        self.uncovered_view.doubleClicked.connect(lambda _i: self._assign(selected_row(self.uncovered_view)))

    def refresh(self) -> None:
        lg = self.ctx.ledger
        people = register.list_instructors(lg)
        self.people.set_rows(people)
        self.targets.set_rows(register.list_targets(lg))
        self.assigned.set_rows(assignments.list_assignments(lg))
        cov = assignments.coverage(lg)
        self.uncovered.set_rows(cov.uncovered)
        self.covered.set_value(f"{cov.percent}%" if cov.percent is not None else "—",
                               f"指导覆盖率（{cov.covered}/{cov.total}）")
        full = sum(p.mode == "专职" for p in people)
        self.counts.set_value(len(people), f"指导员（专职 {full}，兼职 {len(people) - full}）")
        self.uncovered_card.set_value(len(cov.uncovered))
        self.by_committee.setText("　".join(f"{c}：{n}/{t}" for c, n, t in cov.by_committee))

    def _changed(self) -> None:
        self.ctx.notify_changed(ORGS)

    def _add_person(self) -> None:
        if InstructorDialog(self.ctx.ledger, self).exec():
            self._changed()

    def edit_dialog(self) -> EditInstructorDialog | None:
        person = selected_row(self.people_view)
        return EditInstructorDialog(self.ctx.ledger, person, self) if person is not None else None

    def _edit_person(self) -> None:
        dialog = self.edit_dialog()
        if dialog is None:
            show_error(self, LedgerError("请先在“指导员”列表中选择一位指导员"))
            return
        if dialog.exec():
            self._changed()

    def link_dialog(self) -> LinkTargetDialog | None:
        lg = self.ctx.ledger
        targets = [t.name for t in register.list_targets(lg) if t.org_code is None]
        if not targets:
            return None
        chosen = selected_row(self.targets_view)
        orgs = [(o.code, o.name) for o in org_service.list_orgs(lg, include_inactive=False)
                if o.scored and o.sector in ("非公企业", "社会组织")]
        return LinkTargetDialog(lg, targets, orgs, self, target=chosen.name if chosen is not None else None)

    def _link(self) -> None:
        dialog = self.link_dialog()
        if dialog is None:
            show_error(self, LedgerError("没有尚未关联党组织的指导对象"))
            return
        if dialog.exec():
            self._changed()

    def _add_target(self) -> None:
        committees = [(o.code, o.name) for o in org_service.list_orgs(self.ctx.ledger) if o.kind in ("工委", "党委", "党总支")]
        if TargetDialog(self.ctx.ledger, committees, self).exec():
            self._changed()

    def _units(self) -> list[tuple[str, str | None, str | None]]:
        lg = self.ctx.ledger
        out = [(f"指导对象：{t.name}", None, t.name) for t in register.list_targets(lg) if t.org_code is None]
        out += [(f"党组织：{o.name}", o.code, None) for o in org_service.list_orgs(lg, include_inactive=False)
                if o.scored and o.sector in ("非公企业", "社会组织")]
        return out

    def _assign(self, unit=None) -> None:
        people = [p.name for p in register.list_instructors(self.ctx.ledger)]
        label = None
        if unit is not None:
            label = f"{'指导对象' if unit.kind == '指导对象' else '党组织'}：{unit.name}"
        if AssignDialog(self.ctx.ledger, people, self._units(), self, unit=label).exec():
            self._changed()

    def _end(self) -> None:
        row = selected_row(self.assigned_view)
        if row is None:
            show_error(self, LedgerError("请先在“指派”列表中选择一条指派"))
            return
        try:
            assignments.unassign(self.ctx.ledger, row.id)
        except LedgerError as e:
            show_error(self, e)
            return
        self._changed()
