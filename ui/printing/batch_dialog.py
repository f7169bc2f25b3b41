"""批量导出工作手册: every handbook of the unit for a year into a folder, in the background."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.reports.batch import export_handbooks, handbook_orgs
from ui.context import UiContext
from ui.tasks import Task
from ui.widgets import files
from ui.widgets.errors import show_error


class BatchExportDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task: Task | None = None
        self.files: list[Path] = []
        self.setWindowTitle("批量导出工作手册")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel("把本单位所有参加积分的党组织某一年度的党支部工作手册，各生成一个 PDF 文件，保存到选定的文件夹。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(ctx.ledger.today().year)
        self.year.setSuffix(" 年")
        self.year.valueChanged.connect(self._count)
        form.addRow("年度：", self.year)
        self.folder = QLineEdit(str(files.start_folder() / "工作手册"))
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        form.addRow("保存到：", row)
        layout.addLayout(form)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)
        self.bar = QProgressBar()
        self.bar.setFormat("%v / %m")
        self.bar.setValue(0)
        layout.addWidget(self.bar)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.start_button = QPushButton("开始导出")
        self.open_button = QPushButton("打开文件夹")
        self.open_button.hide()
        self.cancel_button = QPushButton("关闭")
        self.start_button.clicked.connect(self.start)
        self.open_button.clicked.connect(self._open_folder)
        self.cancel_button.clicked.connect(self.cancel_or_close)
        for b in (self.start_button, self.open_button, self.cancel_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self._count()

    def _count(self) -> None:
        n = len(handbook_orgs(self.ctx.ledger, self.year.value()))
        self.count_label.setText(f"{self.year.value()} 年共 {n} 个党组织需要生成工作手册。")
        self.bar.setMaximum(max(n, 1))  # the bar counts what the label counts: 0 / 38, not 0 / 100
        self.bar.setValue(0)

    def _browse(self) -> None:
        folder = files.choose_folder(self, "选择保存文件夹", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder.text()))

    @property
    def running(self) -> bool:
        return self.task is not None

    def start(self) -> None:
        folder = Path(self.folder.text().strip())
        if not self.folder.text().strip():
            self.status.setText("请选择保存文件夹")
            return
        ledger, year = self.ctx.ledger, self.year.value()
        self._set_running(True)
        self.status.setText("正在准备……")
        self.task = self.ctx.tasks.start(
            lambda progress: export_handbooks(ledger, year, folder, progress),
            on_done=self._done, on_error=self._failed, on_progress=self._progress, on_cancelled=self._cancelled,
        )

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.year.setEnabled(not running)
        self.folder.setEnabled(not running)
        self.cancel_button.setText("取消" if running else "关闭")
        self.cancel_button.setEnabled(True)
        if running:
            self.open_button.hide()

    def _progress(self, done: int, total: int, text: str) -> None:
        self.bar.setMaximum(total)
        self.bar.setValue(done)
        self.status.setText(text)

    def _done(self, files: list[Path]) -> None:
        self.task = None
        self.files = files
        self._set_running(False)
        self.bar.setValue(self.bar.maximum())
        self.status.setText(f"已完成：{len(files)} 本工作手册保存在 {self.folder.text()}")
        self.open_button.show()

    def _failed(self, exc: BaseException, tb: str) -> None:
        self.task = None
        self._set_running(False)
        self.status.setText("导出未完成。")
        show_error(self, exc, tb, title="导出未完成")

    def _cancelled(self) -> None:
        self.task = None
        self._set_running(False)
        self.status.setText("已取消。已经生成的文件保留在文件夹中，未完成的没有留下。")

    def cancel_or_close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)  # enabled again when the task reports back
            self.status.setText("正在取消……")
        else:
            self.reject()

    def reject(self) -> None:
        if self.task is not None:  # Esc or the window's close button while running: cancel first
            self.task.cancel()
            return
        super().reject()
