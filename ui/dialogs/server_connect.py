"""文件 → 连接服务器…: the county's PostgreSQL server database (docs/server.md)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.errors import LedgerError
from app.paths import server_target

HINT = ("连接县里的 PostgreSQL 服务器。密码可以不填：软件会依次使用环境变量 PGPASSWORD 和 pgpass 文件；"
        "密码不会被显示或记录。各乡镇同时使用时，保存会在服务器上排队。")


class ServerConnectDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("连接服务器")
        self.target = None
        self.host, self.port = QLineEdit(), QLineEdit("5432")
        self.database, self.user = QLineEdit("dangjian"), QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.host.setPlaceholderText("例如 10.0.0.5")
        form = QFormLayout()
        for label, field in (("服务器", self.host), ("端口", self.port), ("数据库", self.database),
                             ("用户名", self.user), ("密码", self.password)):
            form.addRow(label, field)
        self.problem = QLabel("")
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setWordWrap(True)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("连接")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(460, 0)

    def _accept(self) -> None:
        try:
            self.target = server_target(self.host.text(), self.port.text(), self.database.text(),
                                        self.user.text(), self.password.text())
        except LedgerError as e:
            self.problem.setText(str(e))
            return
        self.accept()
