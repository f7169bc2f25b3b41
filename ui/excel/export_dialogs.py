"""Export dialogs: the year's ledger, an entry template, an exchange package. Each picks a file too."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel import settings
from app.services.register import orgs
from ui.context import UiContext
from ui.widgets import files
from ui.widgets.pickers import MonthCombo, OrgPicker, QuarterCombo, YearSpin

ROSTER_WARNING = "党员花名册含姓名、出生日期、联系电话等个人信息，只在确有需要时导出；本次导出会记入审计日志。"


class _ExportDialog(QDialog):
    suffix = ".xlsx"
    file_filter = "Excel 工作簿 (*.xlsx)"

    def __init__(self, ctx: UiContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.today = ctx.ledger.today()
        self.unit_name = str(settings.get(ctx.ledger, "unit_name") or "")

    def finish(self) -> None:
        row = QHBoxLayout()
        self.path = QLineEdit()
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.form.addRow("保存到", row)
        self.message = QLabel()
        self.message.setObjectName("errorText")
        self.message.hide()
        self.layout_.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("导出")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        self.layout_.addWidget(buttons)
        self.path.setText(str(files.start_folder() / self.default_name()))

    def default_name(self) -> str:  # pragma: no cover - each subclass names its file
        raise NotImplementedError

    def _browse(self) -> None:
        name = files.save_file(self, "保存为", self.path.text(), self.file_filter)
        if name:
            self.path.setText(name if name.endswith(self.suffix) else name + self.suffix)

    def target(self) -> Path:
        text = self.path.text().strip()
        return Path(text if text.endswith(self.suffix) else text + self.suffix)

    def _ok(self) -> None:
        if not self.path.text().strip():
            self.message.setText("请选择保存位置")
            self.message.show()
            return
        if not self.target().parent.is_dir():
            self.message.setText(f"文件夹“{self.target().parent}”不存在")
            self.message.show()
            return
        self.accept()


class LedgerExportDialog(_ExportDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "导出积分台账", parent)
        self.year = YearSpin(self.today.year)
        self.form.addRow("年度", self.year)
        self.with_roster = QCheckBox("同时导出党员花名册（个人信息）")
        self.with_roster.setToolTip(ROSTER_WARNING)
        self.form.addRow("", self.with_roster)
        self.finish()
        self.year.valueChanged.connect(lambda _y: self.path.setText(str(self.target().with_name(self.default_name()))))

    def default_name(self) -> str:
        return f"{self.unit_name}{self.year.year()}年积分台账.xlsx"


class TemplateExportDialog(_ExportDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "导出填报模板", parent)
        self.year = YearSpin(self.today.year)
        self.form.addRow("年度", self.year)
        self.by_month = QRadioButton("按月")
        self.by_quarter = QRadioButton("按季度（每月一张工作表）")
        self.by_month.setChecked(True)
        self.month = MonthCombo(self.today.month)
        self.quarter = QuarterCombo((self.today.month - 1) // 3 + 1)
        row = QHBoxLayout()
        row.addWidget(self.by_month)
        row.addWidget(self.month)
        row.addSpacing(16)
        row.addWidget(self.by_quarter)
        row.addWidget(self.quarter)
        row.addStretch(1)
        self.form.addRow("期间", row)
        self.unit = OrgPicker(allow_none="全部党组织")
        self.unit.set_orgs([o for o in orgs.list_orgs(ctx.ledger, include_inactive=False) if not o.scored])
        self.form.addRow("范围", self.unit)
        hint = QLabel("模板每行一个支部、每列一项细则，已填好系统中现有的手工分值；各支部填好后交回，用“导入积分…”导入。")
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        self.form.addRow("", hint)
        self.finish()
        for sig in (self.month.monthChanged, self.quarter.quarterChanged, self.year.valueChanged):
            sig.connect(lambda _v: self.path.setText(str(self.target().with_name(self.default_name()))))
        self.by_month.toggled.connect(lambda _v: self.path.setText(str(self.target().with_name(self.default_name()))))

    def period(self) -> tuple[int | None, int | None]:
        return (self.month.month(), None) if self.by_month.isChecked() else (None, self.quarter.quarter())

    def default_name(self) -> str:
        month, quarter = self.period()
        when = f"{month}月" if month else f"第{quarter}季度"
        return f"{self.year.year()}年{when}积分填报模板.xlsx"


class PackageExportDialog(_ExportDialog):
    suffix = ".djpkg"
    file_filter = "党建积分数据包 (*.djpkg)"

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "导出数据包", parent)
        self.scope = OrgPicker()
        all_orgs = orgs.list_orgs(ctx.ledger)
        self.scope.set_orgs(all_orgs)
        self.form.addRow("组织（含下属）", self.scope)
        self.year = YearSpin(self.today.year)
        self.form.addRow("年度", self.year)
        self.with_roster = QCheckBox("包含党员花名册和支委会成员（个人信息）")
        self.with_roster.setToolTip(ROSTER_WARNING)
        self.form.addRow("", self.with_roster)
        hint = QLabel("数据包含所选组织及其下属组织当年（及上一年）的积分、工作记录、预警整改和定级，"
                      "可用 U 盘或聊天工具交给上级或下级，对方用“导入数据包…”合并。")
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        self.form.addRow("", hint)
        self.finish()
        for sig in (self.year.valueChanged, self.scope.orgChanged):
            sig.connect(lambda _v: self.path.setText(str(self.target().with_name(self.default_name()))))

    def default_name(self) -> str:
        return f"{self.scope.code() or ''}-{self.year.year()}年数据包.djpkg"
