"""积分细则: the year's scheme as a tree (categories → items) with an edit form beside it, and thresholds.

Edits change a working copy (SchemeDraft); 保存 validates all of it and explains every problem,
then app.services.schemes.save_scheme stores it and re-caps the points already recorded.
Unsaved edits are reported by ``has_unsaved_changes`` and switching year asks first.
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import CategoryKind, ItemKind
from app.errors import LedgerError
from app.services.book import records
from app.services.scoring import schemes
from ui.context import ALL, SCHEME, UiContext
from ui.models.scheme_draft import SchemeDraft, needs_pairing
from ui.widgets.errors import show_error
from ui.widgets.layout import hint, page_title
from ui.widgets.pickers import YearSpin

POS_ROLE = Qt.ItemDataRole.UserRole + 1  # (category index, item index or -1)
HEADERS = ["编码 / 名称", "类型", "每次分值", "月上限", "年上限", "关联工作记录"]
PROBLEM_STYLE = "QLabel { color: #d7261e; background: #fff3f2; border: 1px solid #e6a6a1; padding: 6px; }"


def _t(value: object) -> str:
    return "" if value is None else str(value)


def _opt(text: str) -> str | None:
    return text.strip() or None


class Page(QWidget):
    title = "积分细则"
    kinds: ClassVar[set[str]] = {SCHEME, ALL}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.draft: SchemeDraft | None = None
        self._draft_ledger: object = None
        self._loading = False
        self._muted = False
        self._shown_year = ctx.ledger.today().year
        self.record_types: dict[str, str] = {}

        self.year = YearSpin(self._shown_year)
        self.year.setMinimumWidth(96)
        self.add_cat_button = QPushButton("新增类别")
        self.add_item_button = QPushButton("新增细则")
        self.remove_button = QPushButton("删除")
        self.copy_button = QPushButton("从上一年复制")
        self.revert_button = QPushButton("放弃修改")
        self.save_button = QPushButton("保存")
        self.save_button.setDefault(True)
        top = QHBoxLayout()
        top.addWidget(page_title("积分细则"))
        top.addSpacing(12)
        top.addWidget(QLabel("年份"))
        top.addWidget(self.year)
        top.addStretch(1)
        for b in (self.add_cat_button, self.add_item_button, self.remove_button, self.copy_button,
                  self.revert_button, self.save_button):
            top.addWidget(b)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(HEADERS)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        for i, w in enumerate((0, 64, 64, 56, 64, 140)):
            if w:
                self.tree.setColumnWidth(i, w)

        self.forms = QStackedWidget()
        self.forms.addWidget(hint("在左侧选择一个类别或细则进行修改。"))
        self.forms.addWidget(self._category_form())
        self.forms.addWidget(self._item_form())

        self.problems = QLabel()
        self.problems.setStyleSheet(PROBLEM_STYLE)
        self.problems.setWordWrap(True)
        self.problems.hide()
        self.status = hint()

        right = QWidget()
        right.setMaximumWidth(500)  # the tree's names are what people read; the form needs less
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.forms)
        rl.addWidget(self._thresholds())
        rl.addStretch(1)
        # Scrolls rather than making the page taller than a 768-pixel screen (at 125 % too).
        right_scroll = QScrollArea()
        right_scroll.setWidgetResizable(True)
        right_scroll.setFrameShape(QFrame.Shape.NoFrame)
        right_scroll.setMaximumWidth(520)
        right_scroll.setWidget(right)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(right_scroll)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self.problems_box = QScrollArea()  # every problem listed, never pushing the page off the screen
        self.problems_box.setWidgetResizable(True)
        self.problems_box.setFrameShape(QFrame.Shape.NoFrame)
        self.problems_box.setMaximumHeight(150)
        self.problems_box.setWidget(self.problems)
        self.problems_box.setVisible(False)
        layout.addWidget(self.problems_box)
        layout.addWidget(self.status)

        self.year.valueChanged.connect(self._year_changed)
        self.tree.currentItemChanged.connect(lambda *_a: self._show_form())
        self.add_cat_button.clicked.connect(self.add_category)
        self.add_item_button.clicked.connect(self.add_item)
        self.remove_button.clicked.connect(self.remove)
        self.copy_button.clicked.connect(self.copy_previous)
        self.revert_button.clicked.connect(self.revert)
        self.save_button.clicked.connect(self.save)

    # --- widgets -------------------------------------------------------------------------
    def _category_form(self) -> QWidget:
        box = QGroupBox("类别")
        form = QFormLayout(box)
        self.c_code, self.c_name, self.c_max = QLineEdit(), QLineEdit(), QLineEdit()
        self.c_max.setPlaceholderText("不填表示不设上限（仅加分、扣分类别可不设）")
        self.c_kind = QComboBox()
        for k in CategoryKind:
            self.c_kind.addItem(k.label, k.value)
        form.addRow("编码", self.c_code)
        form.addRow("名称", self.c_name)
        form.addRow("类型", self.c_kind)
        form.addRow("年度上限（分）", self.c_max)
        for w in (self.c_code, self.c_name, self.c_max):
            w.textEdited.connect(lambda _t: self._form_changed())
        self.c_kind.currentIndexChanged.connect(lambda _i: self._form_changed())
        return box

    def _item_form(self) -> QWidget:
        box = QGroupBox("细则")
        form = QFormLayout(box)
        self.i_code, self.i_name = QLineEdit(), QLineEdit()
        self.i_points, self.i_monthly, self.i_yearly = QLineEdit(), QLineEdit(), QLineEdit()
        self.i_monthly.setPlaceholderText("不填表示不设")
        self.i_yearly.setPlaceholderText("不填表示不设")
        self.i_kind = QComboBox()
        for k in ItemKind:
            self.i_kind.addItem(k.label, k.value)
        self.i_record = QComboBox()
        self.i_pairing = QCheckBox("需结对：当年没有结对共建关系的组织不能计此项的分")
        self.i_standard, self.i_evidence = QPlainTextEdit(), QPlainTextEdit()
        for w in (self.i_standard, self.i_evidence):
            w.setFixedHeight(64)
            w.setTabChangesFocus(True)
        form.addRow("编码", self.i_code)
        form.addRow("名称", self.i_name)
        form.addRow("类型", self.i_kind)
        form.addRow("每次分值", self.i_points)
        form.addRow("月上限", self.i_monthly)
        form.addRow("年上限", self.i_yearly)
        form.addRow("关联工作记录", self.i_record)
        form.addRow("", self.i_pairing)
        form.addRow("评分标准", self.i_standard)
        form.addRow("佐证材料", self.i_evidence)
        for w in (self.i_code, self.i_name, self.i_points, self.i_monthly, self.i_yearly):
            w.textEdited.connect(lambda _t: self._form_changed())
        for w in (self.i_standard, self.i_evidence):
            w.textChanged.connect(self._form_changed)
        self.i_kind.currentIndexChanged.connect(lambda _i: self._form_changed())
        self.i_record.currentIndexChanged.connect(lambda _i: self._form_changed())
        self.i_pairing.toggled.connect(lambda _b: self._form_changed())
        return box

    def _thresholds(self) -> QWidget:
        box = QGroupBox("预警线与定级线")
        form = QFormLayout(box)
        self.yellow, self.orange, self.red = QLineEdit(), QLineEdit(), QLineEdit()
        self.consecutive = QCheckBox("连续季度低于黄色线时升级")
        self.consecutive.setToolTip("连续第 2 个季度低于黄色线升为橙色，连续第 3 个季度升为红色")
        self.a_min, self.b_min = QLineEdit(), QLineEdit()
        form.addRow("季度积分低于（黄色·提醒）", self.yellow)
        form.addRow("季度积分低于（橙色·约谈）", self.orange)
        form.addRow("季度积分低于（红色·通报整改）", self.red)
        form.addRow("连续低分（第 2 季橙、第 3 季红）", self.consecutive)
        form.addRow("年度得分不低于（A类）", self.a_min)
        form.addRow("年度得分不低于（B类）", self.b_min)
        for w in (self.yellow, self.orange, self.red, self.a_min, self.b_min):
            w.setMaximumWidth(120)
            w.textEdited.connect(lambda _t: self._thresholds_changed())
        self.consecutive.toggled.connect(lambda _b: self._thresholds_changed())
        return box

    # --- loading -------------------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        return bool(self.draft and self.draft.dirty)

    def refresh(self) -> None:
        if self._muted:
            return
        same_file = self._draft_ledger is self.ctx.ledger  # another file opened: its scheme, not our draft
        if same_file and self.has_unsaved_changes() and self.draft and self.draft.year == self.year.year():
            self.status.setText("积分细则在别处被修改；你的修改尚未保存，保存时以你的修改为准。")
            return
        self.load(self.year.year())

    def load(self, year: int) -> None:
        try:
            scheme = schemes.get_scheme(self.ctx.ledger, year)
            self.record_types = {t.code: t.name for t in records.record_types(self.ctx.ledger) if t.source == "record"}
        except LedgerError as e:
            show_error(self, e)
            return
        self._shown_year = year
        self.draft = SchemeDraft(scheme)
        self._draft_ledger = self.ctx.ledger
        self._loading = True
        self.i_record.clear()
        self.i_record.addItem("（不关联）", "")  # "" not None: see ui.models.monthly_grid MARKER_ROLE
        for code, name in self.record_types.items():
            self.i_record.addItem(f"{code} {name}", code)
        self._loading = False
        self._rebuild_tree((0, -1))
        self._show_thresholds()
        self._show_problems(False)
        self.status.setText(f"{scheme.name}。修改后点“保存”；已录入的积分会按新细则重新计算上限。")
        self._update_buttons()

    def _year_changed(self, year: int) -> None:
        if year == self._shown_year:
            return
        if self.has_unsaved_changes():
            answer = self._ask_unsaved()
            if answer == QMessageBox.StandardButton.Cancel:
                self.year.blockSignals(True)
                self.year.setValue(self._shown_year)
                self.year.blockSignals(False)
                return
            if answer == QMessageBox.StandardButton.Save and not self.save():
                self.year.blockSignals(True)
                self.year.setValue(self._shown_year)
                self.year.blockSignals(False)
                return
        self.load(year)

    def _ask_unsaved(self) -> QMessageBox.StandardButton:
        box = QMessageBox(QMessageBox.Icon.Question, "积分细则未保存",
                          f"{self._shown_year} 年积分细则的修改还没有保存。",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Save).setText("保存")
        box.button(QMessageBox.StandardButton.Discard).setText("放弃修改")
        box.button(QMessageBox.StandardButton.Cancel).setText("取消")
        return QMessageBox.StandardButton(box.exec())

    def _rebuild_tree(self, select: tuple[int, int] | None = None) -> None:
        assert self.draft is not None
        self._loading = True
        self.tree.clear()
        current = None
        for ci, c in enumerate(self.draft.categories):
            node = QTreeWidgetItem()
            node.setData(0, POS_ROLE, (ci, -1))
            self._fill(node, c, None)
            self.tree.addTopLevelItem(node)
            if select == (ci, -1):
                current = node
            for ii, i in enumerate(c["items"]):
                child = QTreeWidgetItem()
                child.setData(0, POS_ROLE, (ci, ii))
                self._fill(child, c, i)
                node.addChild(child)
                if select == (ci, ii):
                    current = child
        self.tree.expandAll()
        self._loading = False
        if current is not None:
            self.tree.setCurrentItem(current)
        else:
            self._show_form()

    def _fill(self, node: QTreeWidgetItem, cat: dict, item: dict | None) -> None:
        if item is None:
            node.setText(0, f"{cat['code']} {cat['name']}")
            node.setText(1, CategoryKind(cat["kind"]).label)
            node.setText(4, _t(cat["max"]) or "不设")
            node.setToolTip(4, "类别年度上限（分）")
            node.setTextAlignment(4, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            font = node.font(0)
            font.setBold(True)
            node.setFont(0, font)
            return
        node.setText(0, f"{item['code']} {item['name']}")
        node.setText(1, ItemKind(item["kind"]).label)
        node.setText(2, _t(item["points"]))
        node.setText(3, _t(item["monthly_cap"]))
        node.setText(4, _t(item["yearly_cap"]))
        rt = item.get("record_type")
        node.setText(5, f"{rt} {self.record_types.get(rt, '')}" if rt else "")
        node.setToolTip(0, item.get("standard") or "")
        for col in (2, 3, 4):
            node.setTextAlignment(col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _position(self) -> tuple[int, int] | None:
        node = self.tree.currentItem()
        return tuple(node.data(0, POS_ROLE)) if node else None

    def _show_form(self) -> None:
        pos = self._position()
        self._loading = True
        if pos is None or self.draft is None:
            self.forms.setCurrentIndex(0)
        elif pos[1] < 0:
            c = self.draft.categories[pos[0]]
            self.c_code.setText(c["code"])
            self.c_name.setText(c["name"])
            self.c_kind.setCurrentIndex(self.c_kind.findData(c["kind"]))
            self.c_max.setText(_t(c["max"]))
            self.forms.setCurrentIndex(1)
        else:
            i = self.draft.categories[pos[0]]["items"][pos[1]]
            self.i_code.setText(i["code"])
            self.i_name.setText(i["name"])
            self.i_kind.setCurrentIndex(self.i_kind.findData(i["kind"]))
            self.i_points.setText(_t(i["points"]))
            self.i_monthly.setText(_t(i["monthly_cap"]))
            self.i_yearly.setText(_t(i["yearly_cap"]))
            self.i_record.setCurrentIndex(max(0, self.i_record.findData(i.get("record_type") or "")))
            self.i_pairing.setChecked(needs_pairing(i))
            self.i_standard.setPlainText(i.get("standard") or "")
            self.i_evidence.setPlainText(i.get("evidence") or "")
            self.forms.setCurrentIndex(2)
        self._loading = False
        self._update_buttons()

    def _show_thresholds(self) -> None:
        assert self.draft is not None
        self._loading = True
        w, g = self.draft.data["warning"], self.draft.data["grade"]
        self.yellow.setText(_t(w["yellow_below"]))
        self.orange.setText(_t(w["orange_below"]))
        self.red.setText(_t(w["red_below"]))
        self.consecutive.setChecked(bool(w["consecutive"]))
        self.a_min.setText(_t(g["A"]))
        self.b_min.setText(_t(g["B"]))
        self._loading = False

    # --- editing -------------------------------------------------------------------------
    def _form_changed(self) -> None:
        pos = self._position()
        if self._loading or pos is None or self.draft is None:
            return
        cat = self.draft.categories[pos[0]]
        if pos[1] < 0:
            cat.update(code=self.c_code.text().strip(), name=self.c_name.text().strip(),
                       kind=self.c_kind.currentData(), max=_opt(self.c_max.text()))
            self._fill(self.tree.currentItem(), cat, None)
        else:
            item = cat["items"][pos[1]]
            item.update(code=self.i_code.text().strip(), name=self.i_name.text().strip(),
                        kind=self.i_kind.currentData(), points=self.i_points.text().strip(),
                        monthly_cap=_opt(self.i_monthly.text()), yearly_cap=_opt(self.i_yearly.text()),
                        record_type=self.i_record.currentData() or None, standard=self.i_standard.toPlainText(),
                        evidence=self.i_evidence.toPlainText(), needs_pairing=self.i_pairing.isChecked())
            self._fill(self.tree.currentItem(), cat, item)
        self._update_buttons()

    def _thresholds_changed(self) -> None:
        if self._loading or self.draft is None:
            return
        self.draft.data["warning"].update(yellow_below=self.yellow.text().strip(), orange_below=self.orange.text().strip(),
                                          red_below=self.red.text().strip(), consecutive=self.consecutive.isChecked())
        self.draft.data["grade"].update(A=self.a_min.text().strip(), B=self.b_min.text().strip())
        self._update_buttons()

    def _update_buttons(self) -> None:
        dirty = self.has_unsaved_changes()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        pos = self._position()
        self.add_item_button.setEnabled(pos is not None)
        self.remove_button.setEnabled(pos is not None)
        if dirty:
            self.status.setText("有未保存的修改。")

    def add_category(self) -> None:
        if self.draft is None:
            return
        ci = self.draft.add_category()
        self._rebuild_tree((ci, -1))
        self.c_name.setFocus()
        self.c_name.selectAll()

    def add_item(self) -> None:
        pos = self._position()
        if self.draft is None or pos is None:
            return
        ii = self.draft.add_item(pos[0])
        self._rebuild_tree((pos[0], ii))
        self.i_name.setFocus()
        self.i_name.selectAll()

    def remove(self) -> None:
        pos = self._position()
        if self.draft is None or pos is None:
            return
        cat = self.draft.categories[pos[0]]
        if pos[1] < 0 and cat["items"]:
            box = QMessageBox(QMessageBox.Icon.Question, "删除类别",
                              f"类别“{cat['name']}”下有 {len(cat['items'])} 条细则，一并删除吗？\n（保存前都可以放弃修改）",
                              QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
            box.button(QMessageBox.StandardButton.Yes).setText("删除")
            box.button(QMessageBox.StandardButton.No).setText("取消")
            if box.exec() != QMessageBox.StandardButton.Yes:
                return
        self.draft.remove(pos[0], pos[1] if pos[1] >= 0 else None)
        self._rebuild_tree((pos[0], -1) if pos[1] >= 0 else None)
        self._update_buttons()

    def copy_previous(self) -> None:
        if self.draft is None:
            return
        source = self.draft.year - 1
        if source not in schemes.scheme_years(self.ctx.ledger):
            show_error(self, LedgerError(f"{source} 年还没有积分细则，无法复制。"))
            return
        try:
            previous = schemes.get_scheme(self.ctx.ledger, source)
        except LedgerError as e:
            show_error(self, e)
            return
        self.draft.load_rules(previous)
        self._rebuild_tree()
        self._show_thresholds()
        self._update_buttons()
        self.status.setText(f"已把 {source} 年的细则复制到这里，核对后点“保存”才会生效。")

    def revert(self) -> None:
        self.load(self._shown_year)

    def confirm_calibration(self, problems: list[str]) -> bool:
        """The scheme is valid, but a branch keeping only the routine would be warned or not graded
        B; the user decides whether that is intended."""
        box = QMessageBox(QMessageBox.Icon.Warning, "校准提示",
                          "按这份细则，只开展规定组织生活的支部会出现下列情况：\n\n"
                          + "\n".join(f"· {p}" for p in problems)
                          + "\n\n常规工作有落实应评为 B 类且不被预警。确定仍要保存吗？",
                          QMessageBox.StandardButton.NoButton, self)
        keep = box.addButton("仍然保存", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("返回修改", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is keep

    def _show_problems(self, visible: bool) -> None:
        self.problems.setVisible(visible)
        self.problems_box.setVisible(visible)

    def save(self) -> bool:
        if self.draft is None:
            return False
        scheme, problems = self.draft.build()
        if scheme is None:
            self.problems.setText("没有保存，请先改正：\n" + "\n".join(f"· {p}" for p in problems))
            self._show_problems(True)
            return False
        try:
            try:
                saved = schemes.save_scheme(self.ctx.ledger, scheme)
            except schemes.CalibrationWarning as w:
                if not self.confirm_calibration(w.problems):
                    self.problems.setText("没有保存（校准提示）：\n" + "\n".join(f"· {p}" for p in w.problems))
                    self._show_problems(True)
                    return False
                saved = schemes.save_scheme(self.ctx.ledger, scheme, accept_calibration=True)
        except LedgerError as e:
            self.problems.setText(f"没有保存：{e}")
            self._show_problems(True)
            return False
        pos = self._position()
        self.draft.mark_saved(saved)
        self._show_problems(False)
        self._rebuild_tree(pos)
        self._show_thresholds()
        self._update_buttons()
        self.status.setText(f"{saved.year} 年积分细则已保存，已录入的积分已按新细则重新计算。")
        self._muted = True
        try:
            self.ctx.notify_changed(SCHEME)
        finally:
            self._muted = False
        return True
