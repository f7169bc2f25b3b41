"""First start on an empty ledger: load the demo data, or start blank with the unit's name."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import LedgerError
from app.services.kernel.context import Ledger
from app.services.opening import setup
from ui.context import UiContext
from ui.widgets.errors import show_error
from ui.widgets.progress import run_with_progress

INTRO = (
    "这是一个新的台账数据文件，里面还没有任何党组织。\n"
    "可以先载入示例数据熟悉操作（一个虚构的开发区党工委，含 4 个党委、38 个党支部和近三年的积分），"
    "以后用“文件 → 新建数据库”开始正式台账；也可以直接从空白开始。"
)


def needs_first_run(ledger: Ledger) -> bool:
    return setup.is_empty(ledger)


class FirstRunDialog(QDialog):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self._ctx = UiContext(ledger, self)  # only for its task runner while loading the demo
        self.setWindowTitle("欢迎使用党建积分台账")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.demo_choice = QRadioButton("载入示例数据（青山经济开发区党工委）")
        self.empty_choice = QRadioButton("从空白开始")
        group = QButtonGroup(self)
        group.addButton(self.demo_choice)
        group.addButton(self.empty_choice)
        self.empty_choice.setChecked(True)
        layout.addWidget(self.demo_choice)
        layout.addWidget(self.empty_choice)

        form = QFormLayout()
        form.setContentsMargins(24, 0, 0, 0)
        self.unit_name = QLineEdit()
        self.unit_name.setPlaceholderText("例如：某某镇党委、某某街道党工委")
        form.addRow("本单位名称：", self.unit_name)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("开始")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.demo_choice.toggled.connect(lambda on: self.unit_name.setEnabled(not on))

    def start(self) -> None:
        self.message.clear()
        if self.demo_choice.isChecked():
            from app.services.opening import demo  # only needed here; keeps start-up light

            self.buttons.setEnabled(False)
            run_with_progress(
                self, self._ctx, lambda _progress: demo.load_demo(self.ledger), "正在载入示例数据，请稍候…",
                on_done=lambda _r: self.accept(), on_error=self._demo_failed, cancellable=False,
            )
            return
        try:
            setup.initialize(self.ledger, self.unit_name.text())
        except LedgerError as exc:
            self.message.setText(str(exc))
            self.unit_name.setFocus()
            return
        self.accept()

    def _demo_failed(self, exc: BaseException, tb: str) -> None:
        self.buttons.setEnabled(True)
        show_error(self, exc, tb)

    def reject(self) -> None:
        if self._ctx.tasks.busy:  # the demo is being written in one transaction; let it finish
            return
        super().reject()


def run_first_run(parent: QWidget | None, ledger: Ledger) -> bool:
    """Show the dialog; True when the ledger now has its first organisations."""
    dialog = FirstRunDialog(ledger, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted
