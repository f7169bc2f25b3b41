"""登录 dialog: shown at start-up once a second account exists."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from app.services.kernel.context import Ledger
from app.services.safety import users
from ui.dialogs.base import ServiceDialog


class LoginDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__("登录", parent, intro=f"本台账有多个用户，请登录。\n数据文件：{ledger.path}")
        self.ledger = ledger
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems([u.name for u in users.list_users(ledger) if u.active])
        self.form.addRow("用户名", self.name)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow("密码", self.password)
        self.buttons.button(self.buttons.StandardButton.Ok).setText("登录")
        self.buttons.button(self.buttons.StandardButton.Cancel).setText("退出")
        self.password.setFocus()

    def save(self):
        info = users.authenticate(self.ledger, self.name.currentText(), self.password.text())
        self.password.clear()
        return info

    def try_save(self) -> bool:
        ok = super().try_save()
        if not ok:
            self.password.clear()
            self.password.setFocus()
        return ok
