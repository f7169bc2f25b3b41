"""工作记录 (一本通): per organisation and year, the 7 大项 / 17 小项 tree and each 小项's records."""

from __future__ import annotations

from collections import Counter
from datetime import date
from html import escape
from typing import ClassVar

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.compliance import DONE, DUE_SOON, EXEMPT, MISSING, NOT_DUE, STATUS_LABELS
from app.domain.points import ZERO, fmt
from app.domain.scheme import Scheme
from app.errors import LedgerError, NotFoundError
from app.forms import form_template
from app.services.book import records, search
from app.services.book.records import RecordInfo, RecordTypeInfo
from app.services.book.roster import roster_on
from app.services.compliance import status
from app.services.register import orgs
from app.services.scoring import schemes
from ui.context import ALL, ORGS, RECORDS, SCHEME, SCORES, UiContext
from ui.dialogs.record_form import RecordFormDialog
from ui.models.base import CENTER, RIGHT, Column, RowTableModel
from ui.theme import ACCENT
from ui.widgets.errors import show_error
from ui.widgets.layout import page_title
from ui.widgets.pickers import OrgPicker, YearSpin
from ui.widgets.tables import list_view

TYPE_ROLE = Qt.ItemDataRole.UserRole + 1
FREQUENCY = {"monthly": "每月至少一次", "quarterly": "每季度至少一次", "yearly": "每年至少一次"}
EMPTY = "所选小项在这一年还没有记录：点“新增记录”登记一条。"
REGISTER_NOTE = "“{name}”由组织台账（基本信息、支部委员会、党员花名册）自动生成并打印，无需在这里登记。请到“组织台账”页面维护。"


def _compliance_text(periods: list) -> str:
    """本年：已完成 9 期；缺 2 期（2026-03、2026-07）；… in the order the statuses matter."""
    by: dict[str, list[str]] = {}
    for p in periods:
        by.setdefault(p.status, []).append(p.period)
    bits = []
    for st in (MISSING, DUE_SOON, DONE, NOT_DUE, EXEMPT):
        if st in by:
            listed = f"（{'、'.join(by[st][:4])}{'等' if len(by[st]) > 4 else ''}）" if st in (MISSING, DUE_SOON) else ""
            bits.append(f"{STATUS_LABELS[st]} {len(by[st])} 期{listed}")
    return "本年组织生活：" + "；".join(bits)


def _people_tip(r: RecordInfo) -> str:
    """应到/实到 of a meeting, 应缴/实缴 of a 党费 record, with the absentees' names and reasons."""
    if not r.attendance:
        return ""
    e, a = r.attendance_expected or 0, r.attendance_actual or 0
    if "dues" in r.extra:
        return f"应缴 {e} 人，实缴 {a} 人"
    return f"应到 {e} 人，实到 {a} 人" + (f"；缺席：{r.absentees}" if r.absentees else "")


def points_text(r: RecordInfo) -> str:
    if r.item_code is None:
        return "不计分"
    if r.points is None or r.points == ZERO:
        return "已达上限，未计分"
    return fmt(r.points)


COLUMNS = [
    Column("小项", lambda r: f"{r.type_code} {r.type_name}", width=130),  # shown only in search results
    Column("日期", lambda r: r.date.isoformat(), sort=lambda r: r.date, width=100),
    Column("主题", lambda r: r.topic, tooltip=lambda r: r.topic, width=320),
    Column("地点", lambda r: r.place, width=140),
    Column("主持/负责", lambda r: r.host, width=90),
    Column("应/实（人）", lambda r: r.attendance, align=CENTER, width=90, tooltip=lambda r: _people_tip(r)),
    Column("计分", points_text, sort=lambda r: r.points or ZERO, align=RIGHT, width=120,
           foreground=lambda r: "#8a6d00" if r.item_code and not r.points else None),
]


class Page(QWidget):
    title = "工作记录"
    kinds: ClassVar[set[str]] = {RECORDS, ORGS, SCHEME, SCORES, ALL}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._muted = False
        self._pending_org: str | None = None  # restored before the list is filled
        self._pending_type: str | None = None  # a type another page asked to open on
        self.types: dict[str, RecordTypeInfo] = {}
        self.all_records: list[RecordInfo] = []
        self.scheme: Scheme | None = None

        self.org = OrgPicker()
        self.year = YearSpin(ctx.ledger.today().year)
        self.year.setMinimumWidth(96)
        top = QHBoxLayout()
        top.addWidget(page_title("工作记录"))
        top.addSpacing(12)
        top.addWidget(QLabel("党组织"))
        top.addWidget(self.org, 3)
        top.addWidget(QLabel("年份"))
        top.addWidget(self.year)
        top.addStretch(1)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索本年全部记录：主题、内容、地点、人员…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        top.addWidget(QLabel("搜索"))
        top.addWidget(self.search, 2)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["一本通项目", "条数"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("QLabel { background: #eef4fb; border: 1px solid #b8cde6; padding: 8px; }")
        self.model = RowTableModel(COLUMNS, self)
        self.table = list_view(self.model, stretch=2, name="工作记录",
                               empty=EMPTY)  # the topic takes the spare width
        self.add_button = QPushButton("新增记录")
        self.edit_button = QPushButton("修改")
        self.delete_button = QPushButton("删除")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.heading)
        rl.addWidget(self.note)
        rl.addLayout(buttons)
        rl.addWidget(self.table, 1)
        self.status = QLabel()
        rl.addWidget(self.status)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(right)
        self.splitter.setSizes([280, 900])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        self.org.orgChanged.connect(lambda _c: self.load_records())
        self.year.valueChanged.connect(lambda _y: self.load_records())
        self.tree.currentItemChanged.connect(lambda *_a: self._type_picked())
        self.search.textChanged.connect(lambda _t: self.show_type())
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())

    # --- loading -------------------------------------------------------------------------
    def refresh(self) -> None:
        if self._muted:
            return
        try:
            self.types = {t.code: t for t in records.record_types(self.ctx.ledger)}
            active = [o for o in orgs.list_orgs(self.ctx.ledger, self.year.year(), include_inactive=False)
                      if o.parent_code is not None]  # the root 工委 keeps no 一本通
        except LedgerError as e:
            show_error(self, e)
            return
        self.org.blockSignals(True)
        first = self.org.code() is None
        self.org.set_orgs(active)
        if first:  # start on a branch: they are the ones keeping the 一本通
            self.org.set_code(next((o.code for o in active if o.scored), self.org.code()))
        if self._pending_org:
            self.org.set_code(self._pending_org)
            self._pending_org = None
        self.org.blockSignals(False)
        if self.tree.topLevelItemCount() == 0:
            self._build_tree()
        if self._pending_type:
            self.select_type(self._pending_type)
            self._pending_type = None
        self.load_records()

    def show_records(self, org_code: str, year: int, type_code: str | None = None) -> None:
        """Open on one organisation, year and work-record type (the 组织生活 matrix hands over here)."""
        self.year.blockSignals(True)
        self.year.setValue(year)
        self.year.blockSignals(False)
        self._pending_org, self._pending_type = org_code, type_code
        if self.tree.topLevelItemCount():  # already shown once: apply now, not only when next refreshed
            self.refresh()

    def select_type(self, code: str) -> bool:
        for i in range(self.tree.topLevelItemCount()):
            sec = self.tree.topLevelItem(i)
            for j in range(sec.childCount()):
                if sec.child(j).data(0, TYPE_ROLE) == code:
                    self.tree.setCurrentItem(sec.child(j))
                    return True
        return False

    def _build_tree(self) -> None:
        sections: dict[str, QTreeWidgetItem] = {}
        for t in self.types.values():
            sec = sections.get(t.section_code)
            if sec is None:
                sec = sections[t.section_code] = QTreeWidgetItem([f"{t.section_code}. {t.section_name}", ""])
                sec.setData(0, TYPE_ROLE, "")  # never read back an unset role: PySide6 6.12 leaks None refs
                sec.setFlags(sec.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                self.tree.addTopLevelItem(sec)
            child = QTreeWidgetItem([f"{t.code} {t.name}", ""])
            child.setData(0, TYPE_ROLE, t.code)
            sec.addChild(child)
        self.tree.expandAll()
        first = self.tree.topLevelItem(1) or self.tree.topLevelItem(0)
        if first and first.childCount():
            self.tree.setCurrentItem(first.child(0))

    def current_type(self) -> RecordTypeInfo | None:
        item = self.tree.currentItem()
        code = item.data(0, TYPE_ROLE) if item else None
        return self.types.get(code) if code else None

    def load_records(self) -> None:
        code = self.org.code()
        try:
            self.all_records = records.list_records(self.ctx.ledger, code, self.year.year()) if code else []
            self.scheme = schemes.get_scheme(self.ctx.ledger, self.year.year())
        except LedgerError as e:
            show_error(self, e)
            return
        counts = Counter(r.type_code for r in self.all_records)
        self.compliance: dict[str, list] = {}  # type → this branch's periods of the year (组织生活要求)
        try:
            for row in status.year_status(self.ctx.ledger, self.year.year(), org_code=code) if code else []:
                self.compliance.setdefault(row.type_code, []).append(row)
        except NotFoundError:
            pass  # a 党委 or a stopped organisation: no requirements of its own
        for i in range(self.tree.topLevelItemCount()):
            sec = self.tree.topLevelItem(i)
            total = 0
            for j in range(sec.childCount()):
                child = sec.child(j)
                t = self.types[child.data(0, TYPE_ROLE)]
                n = counts.get(t.code, 0)
                total += n
                child.setText(1, "—" if t.source != "record" else str(n))
                periods = self.compliance.get(t.code, [])
                missed = [p.period for p in periods if p.status == MISSING]
                child.setForeground(1, QBrush(QColor(ACCENT)) if missed else QBrush())
                if missed:
                    child.setText(1, f"{n}（缺{len(missed)}）")
                child.setToolTip(1, _compliance_text(periods) if periods else "")
            registers = all(self.types[sec.child(j).data(0, TYPE_ROLE)].source != "record"
                            for j in range(sec.childCount()))
            sec.setText(1, "—" if registers else str(total))
        self.show_type()

    def _type_picked(self) -> None:
        """Picking a 小项 in the tree leaves a search: the list shows that 小项 again."""
        if self.search.text():
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
        self.show_type()

    def show_search(self, query: str) -> None:
        """Every record of the organisation's year with all the words of ``query`` (search.matches)."""
        found = search.search(self.all_records, query)
        self.table.setColumnHidden(0, False)
        self.heading.setText(f"<b>搜索“{escape(query.strip())}”</b>　·　{escape(self.org.currentText())} "
                             f"{self.year.year()} 年全部小项中找到 {len(found)} 条（点左侧小项回到该项列表）")
        self.table.set_empty_text("没有找到：换个词试试，或检查党组织和年份。")
        self.model.set_rows(found)
        self.status.setText("")
        self.note.setVisible(False)
        self.table.setVisible(True)
        self.add_button.setEnabled(False)
        self._enable()

    def show_type(self) -> None:
        query = self.search.text().strip()
        if query:
            self.show_search(query)
            return
        self.table.setColumnHidden(0, True)
        self.table.set_empty_text(EMPTY)
        t = self.current_type()
        register = t is not None and t.source != "record"
        if t is None:
            self.heading.setText("请在左侧选择一个小项")
            self.model.set_rows([])
        else:
            items = self.scheme.items() if self.scheme else []
            item = next((i for _c, i in items if i.record_type == t.code), None)
            parts = [f"<b>{t.code} {t.name}</b>"]
            if t.frequency in FREQUENCY:
                parts.append(FREQUENCY[t.frequency])
            if item is not None:
                cap = f"，月上限 {fmt(item.monthly_cap)} 分" if item.monthly_cap is not None else ""
                parts.append(f"计入积分细则 {item.code}“{item.name}”，每条 {fmt(item.points)} 分{cap}")
            periods = self.compliance.get(t.code, [])
            if periods:
                parts.append(_compliance_text(periods))
            self.heading.setText("　·　".join(parts))
            rows = [r for r in self.all_records if r.type_code == t.code] if not register else []
            self.model.set_rows(rows)
        self.status.setText("")
        self.note.setText(REGISTER_NOTE.format(name=t.name) if register and t else "")
        self.note.setVisible(register)
        self.table.setVisible(not register)
        self.add_button.setEnabled(t is not None and not register and self.org.code() is not None)
        self._enable()

    def _enable(self) -> None:
        has = self.selected() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def selected(self) -> RecordInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    # --- writing -------------------------------------------------------------------------
    def _after_write(self) -> None:
        self.load_records()
        self._muted = True
        try:
            self.ctx.notify_changed(RECORDS)
            self.ctx.notify_changed(SCORES)  # linked records earn points in 月度积分
        finally:
            self._muted = False

    def _heading(self, t: RecordTypeInfo) -> str:
        return f"{self.org.currentText()} · {t.section_name} · {t.name}"

    def form_dialog(self, record: RecordInfo | None = None) -> RecordFormDialog | None:
        t = self.types.get(record.type_code) if record else self.current_type()
        code = self.org.code()
        if t is None or t.source != "record" or code is None:
            return None
        ledger = self.ctx.ledger

        def save(values: dict) -> RecordInfo | None:
            if not self._confirm_duplicate(code, t, values, record):
                return None
            if record is None:
                return records.add_record(ledger, code, t.code, values)
            return records.update_record(ledger, record.id, {**values, "type": t.code})

        def roster(on: date) -> list[str]:
            return roster_on(ledger, code, on)

        return RecordFormDialog(form_template(t.form), self._heading(t), save, today=ledger.today(),
                                check=lambda values: records.check_values(ledger, t.code, values),
                                record=record, roster=roster, type_name=t.name, parent=self)

    def _confirm_duplicate(self, code: str, t: RecordTypeInfo, values: dict, record: RecordInfo | None) -> bool:
        """The same type, date and topic already recorded: most likely entered twice, so ask first."""
        on = values.get("date")
        if not isinstance(on, date):
            try:
                on = date.fromisoformat(str(on))
            except ValueError:
                return True  # the save itself names the bad date
        same = search.duplicates(self.ctx.ledger, code, t.code, on, str(values.get("topic") or ""),
                                 exclude_id=record.id if record else None)
        if not same:
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, "可能重复的记录",
                          f"{self.org.currentText()} 已有一条 {on:%Y-%m-%d} 的“{t.name}”记录，主题相同："
                          f"“{same[0].topic}”。\n\n同一次活动不要重复登记（重复的记录会重复计分）。仍要保存吗？",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          QApplication.activeModalWidget() or self)  # over the entry form
        box.button(QMessageBox.StandardButton.Yes).setText("仍然保存")
        box.button(QMessageBox.StandardButton.No).setText("返回修改")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _run(self, dialog: RecordFormDialog | None) -> None:
        if dialog is None:
            return
        if dialog.exec():
            self._after_write()
            saved = dialog.result_record
            row = self.model.find(lambda r: r.id == saved.id)
            if row >= 0:
                self.table.selectRow(row)
                self.status.setText(f"已保存：{saved.date} {saved.topic}　计分：{points_text(self.model.row(row))}")

    def add(self) -> None:
        self._run(self.form_dialog())

    def edit(self) -> None:
        r = self.selected()
        if r is not None:
            self._run(self.form_dialog(r))

    def delete(self) -> None:
        r = self.selected()
        if r is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "删除工作记录",
                          f"确定删除 {r.date} 的“{r.topic}”吗？\n删除后它计入的积分也会随之扣除。",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText("删除")
        box.button(QMessageBox.StandardButton.No).setText("取消")
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        try:
            records.delete_record(self.ctx.ledger, r.id)
        except LedgerError as e:
            show_error(self, e)
            return
        self._after_write()

    # --- state ---------------------------------------------------------------------------
    def save_state(self, settings: QSettings) -> None:
        settings.setValue("records/splitter", self.splitter.saveState())
        if self.org.code():
            settings.setValue("records/org", self.org.code())

    def restore_state(self, settings: QSettings) -> None:
        state = settings.value("records/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        code = settings.value("records/org")
        if code and not self.org.set_code(str(code)):
            self._pending_org = str(code)
