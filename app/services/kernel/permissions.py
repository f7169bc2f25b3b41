"""Roles and what each may do. Enforced here, in the services, not only by hiding buttons."""

from __future__ import annotations

from app.errors import PermissionDeniedError

from . import scope
from .context import Ledger

ADMIN, REVIEWER, CLERK = "管理员", "审核员", "录入员"
ROLES = (ADMIN, REVIEWER, CLERK)
_RANK = {CLERK: 1, REVIEWER: 2, ADMIN: 3}

# permission → (the lowest role that has it, what it lets you do — shown in the refusal)
PERMISSIONS: dict[str, tuple[str, str]] = {
    "scores": (CLERK, "录入或修改积分"),
    "records": (CLERK, "登记或修改工作记录"),
    "members": (CLERK, "维护支委和党员信息"),
    "rectify": (CLERK, "登记整改情况"),
    "export_personal": (CLERK, "导出含党员个人信息的数据"),
    "lock": (REVIEWER, "审核锁定月份"),
    "grades": (REVIEWER, "调整或确认年度定级"),
    "notices": (REVIEWER, "发布预警通报"),
    "orgs": (ADMIN, "维护组织台账和分类"),
    "scheme": (ADMIN, "修改积分细则"),
    "settings": (ADMIN, "修改系统设置"),
    "users": (ADMIN, "管理用户"),
    "unlock": (ADMIN, "解锁已锁定的月份"),
    "reopen": (ADMIN, "重新打开已确认定级的年度"),
    "restore": (ADMIN, "从备份恢复数据"),
    "accept": (ADMIN, "确认软件之外的数据改动"),
    "import": (CLERK, "导入数据"),
    "keys": (ADMIN, "管理数据包发送方的密钥"),
    "tracking": (CLERK, "登记书记项目、重点任务和例会"),
    "tracking_approve": (REVIEWER, "书记项目立项备案、终止，重点任务验收销号"),
}


# What concerns the whole unit: a user limited to a subtree (kernel/scope.py) never has these.
UNIT_WIDE = frozenset({"scheme", "settings", "users", "reopen", "restore", "accept", "keys"})


def role_of(ledger: Ledger) -> str:
    return getattr(ledger, "role", ADMIN) or ADMIN


def allowed(ledger: Ledger, permission: str) -> bool:
    needed, _label = PERMISSIONS[permission]
    return _RANK.get(role_of(ledger), 0) >= _RANK[needed]


def require(ledger: Ledger, permission: str, *, org=None, session=None) -> None:
    """Raise PermissionDeniedError naming the role needed, before anything is written. A user limited to a
    subtree is refused what concerns the whole unit, and — given ``org`` (a row, id or code) and the write's
    ``session`` — any organisation outside the subtree, naming it and the scope."""
    if allowed(ledger, permission):
        if permission in UNIT_WIDE:
            scope.ensure_whole_unit(ledger, PERMISSIONS[permission][1])
        if org is not None and session is not None:
            scope.ensure_covers(session, ledger, org)
        return
    needed, label = PERMISSIONS[permission]
    who = f"{ledger.user}（{role_of(ledger)}）"
    higher = "管理员" if needed == REVIEWER else ""
    roles = f"{needed}或{higher}" if higher else needed
    raise PermissionDeniedError(f"当前用户 {who} 无权{label}：需要{roles}权限，请换用有权限的账户登录")


def require_org(session, ledger: Ledger, org, action: str = "修改") -> None:
    """The scope half of ``require`` for a write that has found its organisation (row, id or code) in ``session``:
    refused, naming the organisation and the user's scope, when it lies outside the user's subtree."""
    scope.ensure_covers(session, ledger, org, action)
