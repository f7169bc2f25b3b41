"""关于 / 自检: version, copyright, the licences of bundled components, data location, self-test."""

from __future__ import annotations

import importlib
import warnings
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME, __version__, selftest
from app.paths import data_dir, default_db_path, resources_dir
from app.services.kernel import identity

from . import selftest as qt_selftest
from .icon import app_icon, icon_path

COPYRIGHT = "© 2026 党建积分台账 开发组　本软件按 Apache-2.0 许可发布"


@dataclass(frozen=True)
class Component:
    name: str
    module: str  # where the version is read from ("" = none)
    licence: str
    files: tuple[str, ...]  # under resources/
    note: str = ""


COMPONENTS = (
    Component("Qt 6 / PySide6（界面）", "PySide6", "LGPLv3", ("licenses/LGPL-3.0.txt", "licenses/GPL-3.0.txt"),
              "Qt 与 PySide6 动态库以独立文件存放在安装目录中，用户可按 LGPLv3 自行替换。"
              "源代码：https://code.qt.io 与 https://download.qt.io"),
    Component("文泉驿微米黑（字体）", "", "Apache-2.0（或 GPLv3 附字体例外）",
              ("fonts/wqy-microhei.COPYRIGHT.txt", "fonts/wqy-microhei.LICENSE-Apache-2.0.txt",
               "fonts/wqy-microhei.README.txt")),
    Component("ReportLab（打印 PDF）", "reportlab", "BSD", ("licenses/reportlab.txt",)),
    Component("openpyxl（Excel）", "openpyxl", "MIT", ("licenses/openpyxl.txt",)),
    Component("et_xmlfile", "et_xmlfile", "MIT", ("licenses/et_xmlfile.txt",)),
    Component("SQLAlchemy（数据库）", "sqlalchemy", "MIT", ("licenses/sqlalchemy.txt",)),
    Component("Alembic（数据库升级）", "alembic", "MIT", ("licenses/alembic.txt",)),
    Component("Mako", "mako", "MIT", ("licenses/mako.txt",)),
    Component("MarkupSafe", "markupsafe", "BSD-3-Clause", ("licenses/markupsafe.txt",)),
    Component("platformdirs（数据文件夹）", "platformdirs", "MIT", ("licenses/platformdirs.txt",)),
    Component("pypdf（打印时选取页面）", "pypdf", "BSD-3-Clause", ("licenses/pypdf.txt",)),
    Component("pypdfium2 / PDFium（Windows 打印）", "pypdfium2", "Apache-2.0 / BSD-3-Clause",
              ("licenses/pypdfium2.txt",), "仅 Windows 版附带"),
    Component("Pillow（图像）", "PIL", "MIT-CMU", ("licenses/pillow.txt",)),
    Component("charset-normalizer", "charset_normalizer", "MIT", ("licenses/charset_normalizer.txt",)),
    Component("typing_extensions", "typing_extensions", "PSF-2.0", ("licenses/typing_extensions.txt",)),
    Component("cryptography（数据包签名）", "cryptography", "Apache-2.0 或 BSD-3-Clause", ("licenses/cryptography.txt",)),
    Component("cffi", "cffi", "MIT-0", ("licenses/cffi.txt",)),
    Component("pycparser", "pycparser", "BSD-3-Clause", ("licenses/pycparser.txt",)),
    Component("psycopg 3（县级服务器连接）", "psycopg", "LGPL-3.0", ("licenses/psycopg.txt", "licenses/LGPL-3.0.txt"),
              "以独立的 Python 包存放在安装目录中，用户可按 LGPLv3 自行替换。源代码：https://github.com/psycopg/psycopg"),
    Component("psycopg-binary（内含 libpq、OpenSSL 3、Kerberos、OpenLDAP、Cyrus SASL）", "", "LGPL-3.0；所含各库按各自许可",
              ("licenses/psycopg_binary.txt",), "libpq 为 PostgreSQL 许可，OpenSSL 3 为 Apache-2.0，其余见许可全文"),
    Component("Python", "sys", "PSF-2.0", ("licenses/python.txt",)),
    Component("PyInstaller 启动程序", "", "GPL-2.0（附允许随任何软件分发的例外）", ("licenses/pyinstaller.txt",)),
)


def component_version(module: str) -> str:
    if not module:
        return ""
    if module == "sys":
        import platform

        return platform.python_version()
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return ""
    for attr in ("__version__", "Version", "VERSION"):
        with warnings.catch_warnings():  # MarkupSafe deprecates __version__ (still the one source when frozen)
            warnings.simplefilter("ignore", DeprecationWarning)
            value = getattr(mod, attr, None)
        if isinstance(value, str):
            return value
    return ""


def licence_text(component: Component) -> str:
    parts = [f"{component.name}　{component_version(component.module)}".rstrip(), f"许可证：{component.licence}"]
    if component.note:
        parts.append(component.note)
    for name in component.files:
        path = resources_dir() / name
        if path.is_file():
            parts.append(f"—— {Path(name).name} ——\n{path.read_text(encoding='utf-8', errors='replace').strip()}")
        else:
            parts.append(f"（许可证文件 {name} 缺失，请重新安装本软件）")
    return "\n\n".join(parts)


class AboutDialog(QDialog):
    """设置 → 关于/自检. ``ctx`` (a UiContext) gives the open ledger; without it the default file is shown."""

    def __init__(self, ctx=None, parent: QWidget | None = None) -> None:
        if parent is None and isinstance(ctx, QWidget):
            ctx, parent = None, ctx  # AboutDialog(parent) also works
        super().__init__(parent)
        self.ctx = ctx
        self.report: selftest.SelfTestReport | None = None
        self.setWindowTitle(f"关于 {APP_NAME}")
        self.setWindowIcon(app_icon())
        self.resize(820, 600)

        layout = QVBoxLayout(self)
        layout.addLayout(self._header())
        layout.addLayout(self._locations())
        self.tabs = QTabWidget()
        self.tabs.addTab(self._selftest_tab(), "自检")
        self.tabs.addTab(self._licences_tab(), "开源组件与许可")
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    # --- layout -------------------------------------------------------------------------------
    def _header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        logo = QLabel()
        if icon_path(64).is_file():
            logo.setPixmap(QPixmap(str(icon_path(64))))
        row.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        title = QLabel(APP_NAME)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        text.addWidget(title)
        self.version_label = QLabel(f"版本 {__version__}")
        text.addWidget(self.version_label)
        text.addWidget(QLabel(COPYRIGHT))
        row.addLayout(text, 1)
        return row

    def ledger_path(self) -> Path:
        ledger = getattr(self.ctx, "ledger", None)
        return Path(ledger.path) if ledger is not None else default_db_path()

    def _locations(self) -> QFormLayout:
        form = QFormLayout()
        self.db_label = QLabel(str(self.ledger_path()))
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        folder_row = QHBoxLayout()
        folder = self.ledger_path().parent
        folder_label = QLabel(str(folder))
        folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_button = QPushButton("打开文件夹")
        open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
        folder_row.addWidget(folder_label, 1)
        folder_row.addWidget(open_button)
        form.addRow("数据文件：", self.db_label)
        form.addRow("所在文件夹：", folder_row)
        name, uid, fp, keys_folder = identity.describe(self.ledger_path())
        self.unit_label = QLabel(f"{name or '（未填写单位名称）'}　单位标识 {uid or '（首次以可写方式打开时建立）'}")
        self.fingerprint_label = QLabel(fp or "（首次以可写方式打开时建立）")
        self.keys_label = QLabel(f"{keys_folder}（封记密钥、签名密钥、审计锚点；须与数据文件一起备份和搬移）")
        for label in (self.unit_label, self.fingerprint_label, self.keys_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keys_label.setWordWrap(True)
        form.addRow("本单位：", self.unit_label)
        form.addRow("本机密钥指纹：", self.fingerprint_label)
        form.addRow("密钥文件夹：", self.keys_label)
        if folder != data_dir():
            form.addRow("默认数据文件夹：", QLabel(str(data_dir())))
        return form

    def _selftest_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("自检会检查数据文件、随软件附带的字体、PDF 打印和 Excel 读写。"
                                "测试文件写入临时文件夹，不改动您的数据。"))
        row = QHBoxLayout()
        self.run_button = QPushButton("开始自检")
        self.run_button.clicked.connect(self.run_selftest)
        self.copy_button = QPushButton("复制报告")
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_report)
        self.files_button = QPushButton("打开测试文件夹")
        self.files_button.setEnabled(False)
        self.files_button.clicked.connect(self.open_workdir)
        self.status_label = QLabel("")
        row.addWidget(self.run_button)
        row.addWidget(self.copy_button)
        row.addWidget(self.files_button)
        row.addWidget(self.status_label, 1)
        layout.addLayout(row)
        self.report_view = QPlainTextEdit()
        self.report_view.setReadOnly(True)
        self.report_view.setPlaceholderText("点击“开始自检”。")
        layout.addWidget(self.report_view, 1)
        return page

    def _licences_tab(self) -> QWidget:
        splitter = QSplitter()
        self.component_list = QListWidget()
        for c in COMPONENTS:
            version = component_version(c.module)
            self.component_list.addItem(f"{c.name}　{version}　{c.licence}".replace("　　", "　"))
        self.licence_view = QPlainTextEdit()
        self.licence_view.setReadOnly(True)
        self.component_list.currentRowChanged.connect(self._show_licence)
        splitter.addWidget(self.component_list)
        splitter.addWidget(self.licence_view)
        splitter.setSizes([360, 460])
        self.component_list.setCurrentRow(0)
        return splitter

    def _show_licence(self, row: int) -> None:
        if 0 <= row < len(COMPONENTS):
            self.licence_view.setPlainText(licence_text(COMPONENTS[row]))

    # --- self-test ----------------------------------------------------------------------------
    def run_selftest(self) -> None:
        """The core checks run in the background; the Qt checks (fonts) on the GUI thread after."""
        self.run_button.setEnabled(False)
        self.copy_button.setEnabled(False)
        self.status_label.setText("正在自检……")
        self.report_view.setPlainText("")
        path = self.ledger_path()
        tasks = getattr(self.ctx, "tasks", None)
        if tasks is None:
            self._core_done(selftest.run(path))
            return
        tasks.start(lambda _progress: selftest.run(path), on_done=self._core_done, on_error=self._core_failed)

    def _core_done(self, report: selftest.SelfTestReport) -> None:
        report.extend(qt_selftest.run_qt(report.workdir))
        self.show_report(report)

    def _core_failed(self, exc: BaseException, _trace: str) -> None:
        report = selftest.SelfTestReport()
        report.add(False, f"自检未能完成：{exc}")
        self.show_report(report)

    def show_report(self, report: selftest.SelfTestReport) -> None:
        self.report = report
        self.report_view.setPlainText(report.render())
        failed = sum(1 for ok, _ in report.lines if not ok)
        self.status_label.setText("全部通过" if report.ok else f"有 {failed} 项未通过")
        self.status_label.setStyleSheet("color: #1a7f37;" if report.ok else "color: #c62828; font-weight: bold;")
        self.run_button.setEnabled(True)
        self.copy_button.setEnabled(True)
        self.files_button.setEnabled(report.workdir is not None and report.workdir.is_dir())

    def open_workdir(self) -> None:
        """The test PDF, workbook and report: support may ask for them."""
        if self.report is not None and self.report.workdir is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report.workdir)))

    def copy_report(self) -> None:
        if self.report is not None:
            QGuiApplication.clipboard().setText(self.report.render())
            self.status_label.setText(self.status_label.text().split("（")[0] + "（报告已复制）")
