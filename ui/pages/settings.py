"""设置: the unit's name, the backup folder, handbook blank pages, 公文 issuer and 文号 prefix, mirrored
margins, thresholds, and 关于."""

from __future__ import annotations

import importlib.util

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME, __version__
from app.errors import LedgerError
from app.logsetup import log_file
from app.paths import log_dir
from app.services.kernel import identity, settings
from app.services.safety import backups
from ui.context import ALL, SETTINGS, UiContext
from ui.widgets.errors import show_error
from ui.widgets.layout import hint, page_title

FONT_NOTE = (
    "界面和打印使用内置的文泉驿微米黑字体（WenQuanYi Micro Hei），按 Apache-2.0 许可随软件分发，"
    "许可文件在程序目录 resources/fonts/ 中；Windows 上如装有微软雅黑/宋体，界面优先使用系统字体。"
)


def _selectable(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class Page(QWidget):
    title = "设置"
    kinds = frozenset({SETTINGS, ALL})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

        # 单位
        self.unit_name = QLineEdit()
        self.unit_name.setPlaceholderText("如：某某镇党委")
        save_unit = QPushButton("保存")
        save_unit.clicked.connect(self.save_unit)
        unit_row = QHBoxLayout()
        unit_row.addWidget(self.unit_name, 1)
        unit_row.addWidget(save_unit)

        # 备份
        self.backup_dir = QLineEdit()
        self.backup_dir.setPlaceholderText("留空＝数据文件旁的 backups 文件夹")
        browse = QPushButton("选择文件夹…")
        browse.clicked.connect(self.choose_backup_dir)
        save_backup = QPushButton("保存")
        save_backup.clicked.connect(self.save_backup_dir)
        open_backup = QPushButton("打开")
        open_backup.clicked.connect(lambda: self._open_folder(backups.backup_folder(self.ctx.ledger)))
        backup_row = QHBoxLayout()
        backup_row.addWidget(self.backup_dir, 1)
        for b in (browse, save_backup, open_backup):
            backup_row.addWidget(b)
        self.backup_effective = hint()

        # 手册
        self.blank_pages = QSpinBox()
        self.blank_pages.setRange(0, 50)
        self.blank_pages.setSuffix(" 页")
        save_pages = QPushButton("保存")
        save_pages.clicked.connect(self.save_blank_pages)
        pages_row = QHBoxLayout()
        pages_row.addWidget(self.blank_pages)
        pages_row.addWidget(save_pages)
        pages_row.addStretch(1)

        # 公文与打印
        self.doc_issuer = QLineEdit()
        self.doc_issuer.setPlaceholderText("留空＝本单位名称；如：中共某某镇委员会")
        self.doc_prefix = QLineEdit()
        self.doc_prefix.setPlaceholderText("如：青开党工（文号印为“青开党工〔2026〕8号”）")
        self.doc_printer = QLineEdit()
        self.doc_printer.setPlaceholderText("留空＝本单位名称加“办公室”；印在通报末页版记")
        self.doc_cc = QLineEdit()
        self.doc_cc.setPlaceholderText("可不填；如：县委组织部，县委宣传部")
        self.mirror = QCheckBox("双面打印：奇数页装订边在左，偶数页在右")
        save_doc = QPushButton("保存公文与打印设置")
        save_doc.clicked.connect(self.save_documents)
        doc_row = QHBoxLayout()
        doc_row.addWidget(self.mirror)
        doc_row.addStretch(1)
        doc_row.addWidget(save_doc)

        # 阈值
        to_scheme = QPushButton("打开积分细则…")
        to_scheme.clicked.connect(self.open_scheme)
        scheme_row = QHBoxLayout()
        scheme_row.addWidget(to_scheme)
        scheme_row.addWidget(hint("预警线（黄/橙/红）、定级线（A/B/C）和各项分值、上限都按年度在“积分细则”中设置。"), 1)

        general = QGroupBox("基本设置")
        form = QFormLayout(general)
        form.addRow("本单位名称：", unit_row)
        form.addRow("备份文件夹：", backup_row)
        form.addRow("", self.backup_effective)
        form.addRow("手册每个小项附空白页：", pages_row)
        form.addRow("通报发文机关标志：", self.doc_issuer)
        form.addRow("发文字号机关代字：", self.doc_prefix)
        form.addRow("版记印发机关：", self.doc_printer)
        form.addRow("版记抄送：", self.doc_cc)
        form.addRow("镜像页边距：", doc_row)
        form.addRow("预警与定级阈值：", scheme_row)
        self.soon_days = QSpinBox()
        self.soon_days.setRange(0, 50)
        self.soon_days.setSuffix(" 天")
        save_soon = QPushButton("保存")
        save_soon.clicked.connect(lambda: self._save("tracking_soon_days", self.soon_days.value(),
                                                     "临期提醒天数已保存。") and self.ctx.notify_changed("tracking"))
        soon_row = QHBoxLayout()
        soon_row.addWidget(self.soon_days)
        soon_row.addWidget(save_soon)
        soon_row.addWidget(hint("书记项目节点、重点任务在这么多天内到期即显示“临期”（默认 14 天）"), 1)
        form.addRow("临期提醒：", soon_row)
        self.message = QLabel()
        self.message.setObjectName("hint")
        form.addRow("", self.message)

        # 关于
        about = QGroupBox("关于")
        about_form = QFormLayout(about)
        about_form.addRow("软件：", _selectable(f"{APP_NAME}　版本 {__version__}"))
        self.db_path = _selectable()
        about_form.addRow("数据文件：", self.db_path)
        self.unit_identity = _selectable()
        about_form.addRow("本单位标识：", self.unit_identity)
        self.fingerprint = _selectable()
        about_form.addRow("本机密钥指纹：", self.fingerprint)
        about_form.addRow("日志文件夹：", _selectable(str(log_dir())))
        about_form.addRow("字体许可：", _selectable(FONT_NOTE))
        about_form.addRow("组件许可：", _selectable(
            "Qt 6 / PySide6（LGPLv3）、ReportLab（BSD）、openpyxl（MIT）、SQLAlchemy 与 Alembic（MIT）、"
            "cryptography（Apache-2.0/BSD）、psycopg（LGPLv3）、platformdirs（MIT）等；许可全文见“关于与自检”。"))
        about_buttons = QHBoxLayout()
        open_data = QPushButton("打开数据文件夹")
        open_data.clicked.connect(lambda: self._open_folder(self.ctx.ledger.path.parent))
        open_logs = QPushButton("打开日志文件夹")
        open_logs.clicked.connect(lambda: self._open_folder(log_file().parent))
        about_buttons.addWidget(open_data)
        about_buttons.addWidget(open_logs)
        self.about_button: QPushButton | None = None
        if importlib.util.find_spec("ui.about") is not None:
            self.about_button = QPushButton("关于与自检…")
            self.about_button.clicked.connect(self.open_about)
            about_buttons.addWidget(self.about_button)
        about_buttons.addStretch(1)
        about_form.addRow("", about_buttons)

        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(12, 8, 12, 8)
        column.addWidget(page_title("设置"))
        column.addWidget(general)
        column.addWidget(about)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def refresh(self) -> None:
        values = settings.get_all(self.ctx.ledger)
        self.unit_name.setText(str(values["unit_name"]))
        self.backup_dir.setText(str(values["backup_dir"]))
        self.blank_pages.setValue(int(values["blank_pages_per_form"]))  # type: ignore[arg-type]
        self.soon_days.setValue(int(values["tracking_soon_days"]))  # type: ignore[arg-type]
        self.doc_issuer.setText(str(values["doc_issuer"]))
        self.doc_prefix.setText(str(values["doc_prefix"]))
        self.doc_printer.setText(str(values["doc_printer"]))
        self.doc_cc.setText(str(values["doc_cc"]))
        self.mirror.setChecked(bool(values["mirror_margins"]))
        self.backup_effective.setText(f"备份实际保存到：{backups.backup_folder(self.ctx.ledger)}")
        self.db_path.setText(str(self.ctx.ledger.path))
        uid = identity.unit_id(self.ctx.ledger)
        self.unit_identity.setText(f"{values['unit_name'] or '（未填写单位名称）'}　{uid or '（首次以可写方式打开时建立）'}")
        try:
            self.fingerprint.setText(f"{identity.own_fingerprint(self.ctx.ledger)}（接收方核对数据包来源时用）")
        except LedgerError as e:
            self.fingerprint.setText(str(e))

    def has_unsaved_changes(self) -> bool:
        values = settings.get_all(self.ctx.ledger)
        return (
            self.unit_name.text().strip() != str(values["unit_name"])
            or self.backup_dir.text().strip() != str(values["backup_dir"])
            or self.blank_pages.value() != int(values["blank_pages_per_form"])  # type: ignore[arg-type]
            or self.doc_issuer.text().strip() != str(values["doc_issuer"])
            or self.doc_prefix.text().strip() != str(values["doc_prefix"])
            or self.doc_printer.text().strip() != str(values["doc_printer"])
            or self.doc_cc.text().strip() != str(values["doc_cc"])
            or self.mirror.isChecked() != bool(values["mirror_margins"])
        )

    # -- saving ------------------------------------------------------------------------
    def _save(self, key: str, value: object, done: str) -> bool:
        try:
            settings.set_value(self.ctx.ledger, key, value)
        except LedgerError as exc:
            show_error(self, exc)
            return False
        self.message.setText(done)
        self.ctx.notify_changed(SETTINGS)
        return True

    def save_unit(self) -> None:
        self._save("unit_name", self.unit_name.text(), "单位名称已保存。")

    def save_backup_dir(self) -> None:
        self._save("backup_dir", self.backup_dir.text(), "备份文件夹已保存。")

    def save_blank_pages(self) -> None:
        self._save("blank_pages_per_form", self.blank_pages.value(), "空白页数已保存。")

    def save_documents(self) -> None:
        for key, value in (("doc_issuer", self.doc_issuer.text()), ("doc_prefix", self.doc_prefix.text()),
                           ("doc_printer", self.doc_printer.text()), ("doc_cc", self.doc_cc.text()),
                           ("mirror_margins", self.mirror.isChecked())):
            if not self._save(key, value, "公文与打印设置已保存。"):
                return

    def choose_backup_dir(self) -> None:
        start = self.backup_dir.text() or str(backups.backup_folder(self.ctx.ledger))
        folder = QFileDialog.getExistingDirectory(self, "选择备份文件夹", start)
        if folder:
            self.backup_dir.setText(folder)
            self.save_backup_dir()

    # -- elsewhere ---------------------------------------------------------------------
    def open_scheme(self) -> None:
        window = self.window()
        if "scheme" in getattr(window, "page_names", list)():
            window.select_page("scheme")
        else:
            self.message.setText("积分细则页面暂不可用。")

    def open_about(self) -> None:
        from ui.about import AboutDialog

        try:
            AboutDialog(self.ctx, self).exec()
        except Exception as exc:
            show_error(self, exc)

    def _open_folder(self, folder) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            show_error(self, exc)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
