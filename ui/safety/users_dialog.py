"""用户管理: accounts and their roles (管理员 only; the services refuse anyone else)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.errors import LedgerError
from app.services.kernel import permissions
from app.services.safety import users
from ui.dialogs.base import ServiceDialog

from .common import confirm, fill, table, warn
from .scope_choice import label, scope_combo

ROLE_HELP = ("管理员：积分细则、系统设置、用户、解锁月份、恢复备份，以及下面的一切；\n"
             "审核员：审核锁定月份、调整和确认年度定级、发布预警通报，以及录入；\n"
             "录入员：录入积分和工作记录、维护党员信息、登记整改。\n"
             "管理范围：县级服务器上给乡镇的账户选择本乡镇党委，该账户只能看到和修改这个党委及其下属组织。")


class AddUserDialog(ServiceDialog):
    def __init__(self, ctx, parent: QWidget | None = None, *, first: bool = False) -> None:
        intro = ("先为自己建立管理员账户。只有一个账户时打开软件不需要登录；建立第二个账户后，每次打开都要登录。"
                 if first else ROLE_HELP)
        super().__init__("建立管理员账户" if first else "新增用户", parent, intro=intro)
        self.ctx = ctx
        self.name = self.line("用户名", "管理员" if first else "")
        self.role = self.choice("角色", (permissions.ADMIN,) if first else permissions.ROLES,
                                permissions.ADMIN if first else permissions.CLERK)
        self.scope = scope_combo(ctx.ledger)
        self.scope.setEnabled(not first)  # the first account is the whole unit's administrator
        self.form.addRow("管理范围", self.scope)
        self.password = self._secret("密码", "至少 6 位")
        self.again = self._secret("再输入一次", "")

    def _secret(self, label: str, hint: str) -> QLineEdit:
        edit = self.line(label, "", hint)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def save(self):
        if self.password.text() != self.again.text():
            raise LedgerError("两次输入的密码不一致")
        return users.add_user(self.ctx.ledger, self.name.text(), self.role.currentText(), self.password.text(),
                              scope=self.scope.currentData() or "")


class PasswordDialog(ServiceDialog):
    def __init__(self, ctx, name: str, parent: QWidget | None = None) -> None:
        super().__init__(f"重设“{name}”的密码", parent)
        self.ctx, self.user_name = ctx, name
        self.password = self.line("新密码", "", "至少 6 位")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = self.line("再输入一次")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)

    def save(self):
        if self.password.text() != self.again.text():
            raise LedgerError("两次输入的密码不一致")
        users.set_password(self.ctx.ledger, self.user_name, self.password.text())


class RoleDialog(ServiceDialog):
    def __init__(self, ctx, name: str, role: str, parent: QWidget | None = None) -> None:
        super().__init__(f"修改“{name}”的角色", parent, intro=ROLE_HELP)
        self.ctx, self.user_name = ctx, name
        self.role = self.choice("角色", permissions.ROLES, role)

    def save(self):
        return users.set_role(self.ctx.ledger, self.user_name, self.role.currentText())


class ScopeDialog(ServiceDialog):
    def __init__(self, ctx, name: str, scope: str, parent: QWidget | None = None) -> None:
        super().__init__(f"修改“{name}”的管理范围", parent,
                         intro="限定范围的账户只能看到和修改所选组织及其下属组织；选“全单位”则不限。")
        self.ctx, self.user_name = ctx, name
        self.scope = scope_combo(ctx.ledger, scope)
        self.form.addRow("管理范围", self.scope)

    def save(self):
        return users.set_scope(self.ctx.ledger, self.user_name, self.scope.currentData() or "")


class UsersDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("用户管理")
        self.resize(640, 400)
        layout = QVBoxLayout(self)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.table = table(("用户名", "角色", "管理范围", "状态", "上次登录"), stretch=2)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_btn = QPushButton("新增用户…")
        self.role_btn = QPushButton("修改角色…")
        self.scope_btn = QPushButton("管理范围…")
        self.pw_btn = QPushButton("重设密码…")
        self.toggle_btn = QPushButton("停用/启用")
        close = QPushButton("关闭")
        for b in (self.add_btn, self.role_btn, self.scope_btn, self.pw_btn, self.toggle_btn):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.add_btn.clicked.connect(self.add)
        self.role_btn.clicked.connect(self.change_role)
        self.scope_btn.clicked.connect(self.change_scope)
        self.pw_btn.clicked.connect(self.reset_password)
        self.toggle_btn.clicked.connect(self.toggle)
        close.clicked.connect(self.accept)
        self.refresh()

    def refresh(self) -> None:
        self.rows = users.list_users(self.ctx.ledger)
        fill(self.table, [(u.name, u.role, label(u.scope, u.scope_name), "启用" if u.active else "停用",
                           f"{u.last_login_at:%Y-%m-%d %H:%M}" if u.last_login_at else "") for u in self.rows])
        me = f"当前用户：{self.ctx.ledger.user}（{self.ctx.ledger.role}）。"
        if not self.rows:
            self.hint.setText(me + "还没有账户：本机单人使用，无需登录。新增用户时先建立管理员账户。")
        elif users.login_required(self.ctx.ledger):
            self.hint.setText(me + "已有多个账户：打开软件需要登录。")
        else:
            self.hint.setText(me + "只有一个账户：打开软件无需登录；再建立一个账户后开始要求登录。")
        for b in (self.role_btn, self.scope_btn, self.pw_btn, self.toggle_btn):
            b.setEnabled(bool(self.rows))

    def _selected(self):
        r = self.table.currentRow()
        if 0 <= r < len(self.rows):
            return self.rows[r]
        warn(self, "用户管理", "请先在表中选择一个用户")
        return None

    def add(self) -> None:
        if AddUserDialog(self.ctx, self, first=not self.rows).exec():
            self.refresh()

    def change_role(self) -> None:
        u = self._selected()
        if u and RoleDialog(self.ctx, u.name, u.role, self).exec():
            self.refresh()

    def change_scope(self) -> None:
        u = self._selected()
        if u and ScopeDialog(self.ctx, u.name, u.scope, self).exec():
            self.refresh()

    def reset_password(self) -> None:
        u = self._selected()
        if u and PasswordDialog(self.ctx, u.name, self).exec():
            self.refresh()

    def toggle(self) -> None:
        u = self._selected()
        if u is None:
            return
        verb = "停用" if u.active else "启用"
        if not confirm(self, "用户管理", f"{verb}“{u.name}”？", verb):
            return
        try:
            users.set_active(self.ctx.ledger, u.name, not u.active)
        except LedgerError as e:
            warn(self, "用户管理", str(e))
        self.refresh()
