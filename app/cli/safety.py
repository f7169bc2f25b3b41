"""Data-safety commands: backup, backups list, restore, verify-audit, users, lock-month, unlock-month.

Also how every command opens the ledger: the single-writer lock, then a login when one is required
(``--user NAME`` with the password from DANGJIAN_PASSWORD or a prompt).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from . import CliError, print_json

_opened: list = []  # what this command opened, closed (and unlocked) by close_opened() when it ends


def _password(env: str, prompt: str, *, confirm: bool = False) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise CliError(f"需要密码：请设置环境变量 {env}，或在终端中运行以便输入")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("再输入一次：") != first:
        raise CliError("两次输入的密码不一致")
    return first


def open_for_cli(args: argparse.Namespace):
    """Open the ledger named on the command line, take the writer lock and log in if required."""
    from app.errors import DatabaseError
    from app.paths import default_db_path
    from app.services.opening import access
    from app.services.safety import users

    target = args.db or default_db_path()
    try:
        opened = access.open_guarded(target, user=args.user)
    except DatabaseError as e:
        # A server that wants a password the URL, PGPASSWORD and the pgpass file did not give: ask once.
        if not getattr(e, "needs_password", False) or not sys.stdin.isatty() or target.password is not None:
            raise
        secret = getpass.getpass(f"服务器 {target} 的密码：")
        opened = access.open_guarded(target.with_password(secret), user=args.user)
    _opened.append(opened)
    ledger = opened.ledger
    explicit = args.user != "管理员"
    if users.login_required(ledger):
        users.authenticate(ledger, args.user, _password("DANGJIAN_PASSWORD", f"“{args.user}”的密码："))
    elif explicit and users.only_user(ledger) is None:
        ledger.role = "管理员"  # no accounts yet: the PC's one user may do everything
    else:
        users.act_as_single_user(ledger)
    return ledger


def close_opened() -> None:
    while _opened:
        _opened.pop().close()


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="立即备份数据文件")
    p.add_argument("-o", "--output", type=Path, help="备份到此文件（默认：备份文件夹）")
    p.set_defaults(func=cmd_backup)

    b = sub.add_parser("backups", help="备份文件").add_subparsers(dest="sub", metavar="SUB", required=True)
    p = b.add_parser("list", help="列出备份及其内容概要")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_backups_list)

    p = sub.add_parser("restore", help="从备份恢复（先把当前数据另存一份）")
    p.add_argument("file", type=Path)
    p.add_argument("--other-ledger", action="store_true",
                   help="确认使用其他数据文件或其他单位的备份（会替换当前数据）")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("verify-audit", help="核对审计记录链和数据（发现软件之外的改动时返回非零）")
    p.set_defaults(func=cmd_verify_audit)

    p = sub.add_parser("accept-data", help="管理员确认当前数据（在已知的修复之后）")
    p.add_argument("--reason", required=True)
    p.set_defaults(func=cmd_accept_data)

    u = sub.add_parser("users", help="用户与角色").add_subparsers(dest="sub", metavar="SUB", required=True)
    p = u.add_parser("add", help="新增用户（新密码取自 DANGJIAN_NEW_PASSWORD 或提示输入）")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=["管理员", "审核员", "录入员"])
    p.add_argument("--scope", default="", metavar="CODE",
                   help="管理范围：只能查看和修改这个组织（通常是乡镇党委）及其下属组织；不填为全单位")
    p.set_defaults(func=cmd_users_add)
    p = u.add_parser("update", help="修改用户的角色、管理范围或启用状态")
    p.add_argument("name")
    p.add_argument("--role", choices=["管理员", "审核员", "录入员"])
    p.add_argument("--scope", metavar="CODE", help="管理范围（组织编码）；填空字符串 \"\" 恢复为全单位")
    state = p.add_mutually_exclusive_group()
    state.add_argument("--active", dest="active", action="store_true", default=None, help="启用")
    state.add_argument("--inactive", dest="active", action="store_false", help="停用")
    p.set_defaults(func=cmd_users_update)
    p = u.add_parser("list", help="列出用户")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_users_list)
    p = u.add_parser("passwd", help="修改密码（新密码取自 DANGJIAN_NEW_PASSWORD 或提示输入）")
    p.add_argument("name")
    p.set_defaults(func=cmd_users_passwd)

    p = sub.add_parser("lock-month", help="审核锁定某月（锁定后该月积分和记录不能修改）")
    p.add_argument("--year", required=True, type=int)
    p.add_argument("--month", required=True, type=int)
    p.add_argument("--note", default="")
    p.add_argument("--scope", metavar="CODE", help="只锁定这个组织（如乡镇党委）及其下属组织；不填为全单位（限定范围的用户默认为其范围）")
    p.set_defaults(func=cmd_lock_month)
    p = sub.add_parser("unlock-month", help="解锁某月（需要管理员，并写明理由）")
    p.add_argument("--year", required=True, type=int)
    p.add_argument("--month", required=True, type=int)
    p.add_argument("--reason", required=True)
    p.add_argument("--scope", metavar="CODE", help="解锁按组织范围锁定的月份（组织编码）")
    p.set_defaults(func=cmd_unlock_month)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def cmd_backup(args) -> int:
    from app.services.safety import backups

    ledger = open_for_cli(args)
    path = backups.backup_now(ledger, "手动", target=args.output)
    print(f"已备份到：{path}（{_size(path.stat().st_size)}）")
    return 0


def cmd_backups_list(args) -> int:
    from app.services.safety import backups

    ledger = open_for_cli(args)
    rows = backups.list_backups(ledger)
    if args.json:
        print_json([{"file": str(b.path), "at": b.at.isoformat(timespec="seconds"), "reason": b.reason,
                     "size": b.size, "organizations": b.organizations, "last_entry": b.last_entry,
                     "last_entry_at": b.last_entry_at.isoformat(timespec="seconds") if b.last_entry_at else None,
                     "problem": b.problem, "keys": b.keys, "mine": b.mine, "source": b.source_stem,
                     "unit_id": b.unit_id, "unit_name": b.unit_name} for b in rows])
        return 0
    if not rows:
        print(f"备份文件夹中还没有备份：{backups.backup_folder(ledger)}")
    others = False
    for b in rows:
        if not b.mine and not others:
            others = True
            print(f"\n—— 以下是其他数据文件的备份（不是“{ledger.path.name}”的，恢复需加 --other-ledger）——")
        state = f"{b.organizations} 个组织；最后一条：{b.last_entry}" if b.ok else f"不可用：{b.problem}"
        state += "" if b.keys else "；不含密钥文件夹"
        origin = "" if b.mine else f"  来自：{b.source_stem or '未知文件'}.sqlite（{b.unit_name or '未知单位'}）"
        print(f"{b.at:%Y-%m-%d %H:%M} {b.reason:<6} {_size(b.size):>8}  {state}{origin}\n    {b.path}")
    return 0


def cmd_restore(args) -> int:
    from app.services.safety import backups

    ledger = open_for_cli(args)
    done = backups.restore(ledger, args.file, other_ledger=args.other_ledger)
    print(f"已从“{args.file}”恢复。恢复前的数据另存为：{done.saved}\n密钥：{done.keys}")
    return 0


def cmd_verify_audit(args) -> int:
    from app.services.safety import integrity

    ledger = open_for_cli(args)
    report = integrity.verify(ledger)
    for f in report.findings:
        print(("✔ " if f.ok else "✘ ") + f"{f.title}：{f.detail}")
    if not report.ok:
        print(f"核对未通过：{report.first_problem()}", file=sys.stderr)
        return 1
    return 0


def cmd_accept_data(args) -> int:
    from app.services.safety import integrity

    ledger = open_for_cli(args)
    n = integrity.accept_current_data(ledger, args.reason)
    print(f"已确认当前数据，重新加封 {n} 行")
    return 0


def cmd_users_add(args) -> int:
    from app.services.safety import users

    ledger = open_for_cli(args)
    pw = _password("DANGJIAN_NEW_PASSWORD", f"为“{args.name}”设置密码：", confirm=True)
    u = users.add_user(ledger, args.name, args.role, pw, scope=args.scope)
    extra = "；从现在起需要登录" if users.login_required(ledger) else ""
    where = f"，管理范围：{u.scope_name or u.scope}（{u.scope}）及其下属组织" if u.scope else ""
    print(f"已新增{u.role}“{u.name}”{where}{extra}")
    return 0


def cmd_users_update(args) -> int:
    from app.services.safety import users

    if args.role is None and args.scope is None and args.active is None:
        raise CliError("请至少指定 --role、--scope、--active 或 --inactive 之一")
    ledger = open_for_cli(args)
    u = users.update_user(ledger, args.name, role=args.role, scope=args.scope, active=args.active)  # all or nothing
    where = f"{u.scope_name or u.scope}（{u.scope}）及其下属组织" if u.scope else "全单位"
    print(f"“{u.name}”：{u.role}，管理范围：{where}，{'启用' if u.active else '停用'}")
    return 0


def cmd_users_list(args) -> int:
    from app.services.safety import users

    ledger = open_for_cli(args)
    rows = users.list_users(ledger)
    if args.json:
        print_json([{"name": u.name, "role": u.role, "active": u.active,
                     "locked_until": u.locked_until, "last_login_at": u.last_login_at, "scope": u.scope} for u in rows])
        return 0
    if not rows:
        print("还没有用户账户（单机使用，无需登录）")
    for u in rows:
        state = "启用" if u.active else "停用"
        last = f"，上次登录 {u.last_login_at:%Y-%m-%d %H:%M}" if u.last_login_at else ""
        where = f"  范围：{u.scope_name or u.scope}（{u.scope}）" if u.scope else ""
        print(f"{u.name:<10} {u.role}  {state}{where}{last}")
    return 0


def cmd_users_passwd(args) -> int:
    from app.services.safety import users

    ledger = open_for_cli(args)
    pw = _password("DANGJIAN_NEW_PASSWORD", f"“{args.name}”的新密码：", confirm=True)
    users.set_password(ledger, args.name, pw)
    print(f"已修改“{args.name}”的密码")
    return 0


def cmd_lock_month(args) -> int:
    from app.services.kernel import locks

    ledger = open_for_cli(args)
    info = locks.lock_month(ledger, args.year, args.month, args.note, scope_code=args.scope)
    print(f"已锁定 {info.year} 年 {info.month} 月（{info.where}，{info.locked_by}）")
    return 0


def cmd_unlock_month(args) -> int:
    from app.services.kernel import locks

    ledger = open_for_cli(args)
    locks.unlock_month(ledger, args.year, args.month, args.reason, scope_code=args.scope)
    where = f"（{args.scope} 及其下属组织）" if args.scope else ""
    print(f"已解锁 {args.year} 年 {args.month} 月{where}：{args.reason}")
    return 0
