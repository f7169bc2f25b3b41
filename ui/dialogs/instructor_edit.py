"""指导员 dialogs on screen what the CLI does (issue 19.8): a week's 走访记录, editing an instructor, linking a target
to the party organisation founded there, the year's 考核细则, and a sign-off. Each calls the same service function
as the command; a refusal stays in the dialog in red and nothing is written."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.domain import instructors as rules
from app.services.instructors import assessment, register, scheme, weekly
from app.services.kernel.context import Ledger
from ui.dialogs.base import ServiceDialog


def _table(headers: list[str], rows: list[list[str]], widths: list[int]) -> QTableWidget:
    t = QTableWidget(len(rows), len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            t.setItem(r, c, QTableWidgetItem(value))
    for c, w in enumerate(widths):
        t.setColumnWidth(c, w)
    t.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return t


def cell(t: QTableWidget, r: int, c: int) -> str:
    item = t.item(r, c)
    return item.text().strip() if item is not None else ""


class VisitsDialog(ServiceDialog):
    """One instructor's visits of one ISO week: where (a target or a party organisation), when (inside the week),
    what for. Saving replaces the week's visits and keeps its counts (``weekly.save_log``)."""

    def __init__(self, ledger: Ledger, instructor: str, station: str, week: str, counts: dict[str, int],
                 places: list[str], parent: QWidget | None = None) -> None:
        y, w = weekly.parse_week(week)
        monday, sunday = rules.week_days(y, w)
        super().__init__(f"走访记录：{instructor} {week}", parent,
                         intro=f"本周 {monday}（周一）— {sunday}（周日）的走访；日期须在本周之内，走访对象为已登记的"
                               "指导对象或党组织。保存后替换本周原有的走访记录。")
        self.setMinimumWidth(640)
        self.ledger, self.instructor, self.station, self.week, self.counts = ledger, instructor, station, week, counts
        logs = weekly.list_logs(ledger, week=week, instructor=instructor, station=station)
        visits = logs[0].visits if logs else ()
        self.table = _table(["走访对象", "日期", "事由"], [[v.place, v.date.isoformat(), v.purpose] for v in visits],
                            [220, 100, 200])
        self.table.setMinimumHeight(150)
        self.form.addRow(self.table)
        self.place = self.choice("走访对象", places)
        self.place.setEditable(True)
        self.place.setCurrentText("")
        self.day = self.date_line("日期", monday, "如 2026-03-03")
        self.purpose = self.line("事由", placeholder="如 指导规范“三会一课”")
        add, remove = QPushButton("加入列表"), QPushButton("删除所选行")
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        self.form.addRow(row)
        add.clicked.connect(self.add_row)
        remove.clicked.connect(self.remove_row)
        self.add_button, self.remove_button = add, remove

    def add_row(self) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, value in enumerate((self.place.currentText().strip(), self.day.text().strip(), self.purpose.text().strip())):
            self.table.setItem(r, c, QTableWidgetItem(value))
        self.purpose.clear()

    def remove_row(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for r in rows:
            self.table.removeRow(r)

    def visits(self) -> list[dict]:
        return [{"target": cell(self.table, r, 0), "date": cell(self.table, r, 1), "purpose": cell(self.table, r, 2)}
                for r in range(self.table.rowCount())]

    def save(self):
        return weekly.save_log(self.ledger, self.instructor, self.week, self.counts, visits=self.visits(),
                               station=self.station)


class EditInstructorDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, person: register.InstructorInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"修改指导员：{person.name}", parent, intro=f"{person.station}")
        self.ledger, self.person = ledger, person
        self.name = self.line("姓名", person.name)
        self.name.setReadOnly(True)  # the name identifies the instructor (as `instructors update --name` does)
        self.source = self.choice("选派来源", rules.SOURCES, person.source)
        self.mode = self.choice("专职/兼职", rules.MODES, person.mode)
        self.group = self.line("小组", person.group, "如 第一组")
        self.post = self.choice("职务", rules.POSTS, person.post)
        self.term_start = self.date_line("任期开始", person.term_start)
        self.term_end = self.date_line("任期结束", person.term_end)
        self.phone = self.line("电话", person.phone)

    def save(self):
        return register.update_instructor(self.ledger, self.person.name, self.person.station,
                                          source=self.source.currentText(), mode=self.mode.currentText(),
                                          group=self.group.text(), post=self.post.currentText(),
                                          term_start=self.term_start.text(), term_end=self.term_end.text(),
                                          phone=self.phone.text())


class LinkTargetDialog(ServiceDialog):
    """``orgs``: (code, name) of the party organisations a target may have founded."""

    def __init__(self, ledger: Ledger, targets: list[str], orgs: list[tuple[str, str]], parent: QWidget | None = None,
                 *, target: str | None = None) -> None:
        super().__init__("关联党组织", parent, intro="指导对象建立党组织后关联到该党组织：此后覆盖率按该党组织计一次。")
        self.ledger = ledger
        self.target = self.choice("指导对象", targets, target)
        self.org = self.choice("建立的党组织", [f"{code} {name}" for code, name in orgs])

    def save(self):
        return register.link_target(self.ledger, self.target.currentText(), self.org.currentText().split(" ")[0])


class SchemeDialog(ServiceDialog):
    """The year's 指导员考核细则: each item's points per occurrence and yearly cap, the grade lines, the share cap on
    优秀 and the subsidy amounts; saved whole through ``scheme.save`` (checked, audited, closed once counted)."""

    def __init__(self, ledger: Ledger, year: int, parent: QWidget | None = None) -> None:
        value, source = scheme.scheme(ledger, year)
        origin = "默认细则" if source is None else (f"沿用 {source} 年" if source != year else f"{year} 年已设定")
        super().__init__(f"{year} 年指导员考核细则", parent, intro=f"当前：{origin}。分值为每次（天）得分，上限为全年上限"
                                                                  "（不填为不设上限）；保存后为该年的细则。")
        self.setMinimumWidth(560)
        self.ledger, self.year, self.value = ledger, year, value
        keys = list(rules.COUNTS)
        self.keys = [k for k in keys if k in value.items] + [k for k in keys if k not in value.items]
        rows = []
        for k in self.keys:
            r = value.items.get(k)
            rows.append([rules.COUNTS[k], str(r.points) if r else "", "" if r is None or r.cap is None else str(r.cap)])
        self.items = _table(["计分项目", "每次分值", "全年上限"], rows, [160, 100, 100])
        for r in range(self.items.rowCount()):
            self.items.item(r, 0).setFlags(self.items.item(r, 0).flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.items.setMinimumHeight(30 * (len(rows) + 1))
        self.form.addRow(self.items)
        self.excellent = self.line("优秀线（≥）", value.excellent)
        self.passing = self.line("合格线（≥）", value.passing)
        self.basic = self.line("基本合格线（≥）", value.basic)
        self.share = self.line("优秀比例上限", "" if value.excellent_share is None else value.excellent_share,
                               "如 0.3；不填为不限")
        self.full_time = self.line("专职补贴（元/月）", value.subsidy.full_time)
        self.part_time = self.line("兼职补贴（元/月）", value.subsidy.part_time)
        self.transport = self.line("镇域交通补助（元/月）", value.subsidy.transport)

    def data(self) -> dict:
        data = rules.scheme_to_dict(self.value)
        items = {}
        for r, k in enumerate(self.keys):
            points, cap = cell(self.items, r, 1), cell(self.items, r, 2)
            if points or cap:
                items[k] = {"points": points or "0", "cap": cap or None}
        data["items"] = items
        data["grades"] = {"优秀": self.excellent.text().strip(), "合格": self.passing.text().strip(),
                          "基本合格": self.basic.text().strip()}
        data["excellent_share"] = self.share.text().strip() or None
        data["subsidy"] = {**data["subsidy"], "专职": self.full_time.text().strip(), "兼职": self.part_time.text().strip(),
                           "transport": self.transport.text().strip()}
        return data

    def save(self):
        return scheme.save(self.ledger, self.year, self.data())


class SignoffDialog(ServiceDialog):
    """The next sign-off of a year (小组统计 → 站内核实 → 党支部认定), by a named person (``assessment.sign``)."""

    def __init__(self, ledger: Ledger, year: int, step: str, parent: QWidget | None = None, *,
                 station: str | None = None) -> None:
        scope = f"“{station}”" if station else "全部指导站"
        super().__init__(f"{year} 年指导员考核：{step}（{scope}）", parent,
                         intro=f"签认按 {' → '.join(rules.SIGNOFF_STEPS)} 的顺序进行，每步写明签认人姓名，记入审计日志；"
                               f"录入员不能签认。本次签认范围：{scope}。“小组统计”后"
                               f"{'该站' if station else ''}该年的周记录和细则不能再改。")
        self.ledger, self.year, self.station = ledger, year, station
        self.step = self.choice("签认环节", rules.SIGNOFF_STEPS, step)
        self.person = self.line("签认人姓名", placeholder="如 吴组长")

    def save(self):
        return assessment.sign(self.ledger, self.year, self.step.currentText(), self.person.text(),
                               station=self.station)
