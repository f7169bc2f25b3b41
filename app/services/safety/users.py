"""Accounts: 管理员 / 审核员 / 录入员, scrypt-hashed passwords, lockout after repeated failures.

A PC with at most one account works without a login; once a second account exists, everyone logs in.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from app.services.kernel import audit, permissions, validate
from app.services.kernel.context import Ledger
from app.services.kernel.permissions import ADMIN, ROLES
from db import seals
from db.models import Organization
from db.models_safety import User
from db.types import utcnow

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 6
# scrypt, memory-hard: n=2^14, r=8 uses 16 MiB and ~50 ms per try, which makes guessing slow.
_N, _R, _P = 2**14, 8, 1
KDF = f"scrypt:n={_N},r={_R},p={_P}"


@dataclass(frozen=True)
class UserInfo:
    name: str
    role: str
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    scope: str = ""  # an organisation code: this user sees and changes only that subtree; "" = the whole unit
    scope_name: str = ""


def _info(u: User, s=None) -> UserInfo:
    name = ""
    if u.scope and s is not None:
        name = s.scalar(select(Organization.name).where(Organization.code == u.scope)) or ""
    return UserInfo(u.name, u.role, u.active, u.locked_until, u.last_login_at, u.scope or "", name)


def _check_scope(s, code: object) -> str:
    """A scope is an existing organisation's code ("" = the whole unit)."""
    code = validate.text(code, "管理范围", max_len=40) if code not in (None, "") else ""
    if code and s.scalar(select(Organization.id).where(Organization.code == code)) is None:
        raise ValidationError(f"管理范围：找不到组织编码为“{code}”的党组织")
    return code


def _hash(password: str, salt: bytes, kdf: str | None = None) -> str:
    kdf = kdf or KDF
    params = dict(kv.split("=") for kv in kdf.split(":", 1)[1].split(","))
    n, r, p = int(params["n"]), int(params["r"]), int(params["p"])
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32).hex()


def _check_password(password: object) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValidationError(f"密码至少 {MIN_PASSWORD} 位")
    if len(password) > 128:
        raise ValidationError("密码不能超过 128 位")
    return password


def _check_role(role: object) -> str:
    return validate.one_of(role, ROLES, "角色")


def list_users(ledger: Ledger) -> list[UserInfo]:
    with ledger.db.read() as s:
        return [_info(u, s) for u in s.scalars(select(User).order_by(User.id))]


def active_count(ledger: Ledger) -> int:
    with ledger.db.read() as s:
        return s.scalar(select(func.count()).select_from(User).where(User.active.is_(True))) or 0


def login_required(ledger: Ledger) -> bool:
    """A single-user PC works without a login; a second account turns logins on."""
    return active_count(ledger) >= 2


def only_user(ledger: Ledger) -> UserInfo | None:
    """The one account of a single-user PC (None when there are none or several)."""
    with ledger.db.read() as s:
        rows = s.scalars(select(User).where(User.active.is_(True)).limit(2)).all()
        return _info(rows[0]) if len(rows) == 1 else None


def add_user(ledger: Ledger, name: str, role: str, password: str, scope: str = "") -> UserInfo:
    """Add an account. The very first account must be an administrator of the whole unit and needs no
    permission. ``scope`` limits the account to an organisation and everything under it."""
    name = validate.text(name, "用户名", required=True, max_len=40)
    role = _check_role(role)
    password = _check_password(password)
    salt, kdf = os.urandom(16), KDF
    digest = _hash(password, salt, kdf)
    with ledger.db.write() as s:
        first = not s.scalar(select(func.count()).select_from(User))
        if first and role != ADMIN:
            raise ValidationError("第一个账户必须是管理员")
        if not first:
            permissions.require(ledger, "users")
        code = _check_scope(s, scope)
        if first and code:
            raise ValidationError("第一个账户必须是全单位的管理员，不能限定管理范围")
        if s.scalar(select(User).where(User.name == name)) is not None:
            raise ConflictError(f"用户名“{name}”已存在")
        u = User(name=name, role=role, salt=salt.hex(), pw_hash=digest, kdf=kdf, active=True, failed_count=0,
                 scope=code)
        s.add(u)
        s.flush()
        where = f"，管理范围“{code}”及其下属组织" if code else ""
        audit.record(s, ledger, "新增用户", "user", summary=f"新增{role}“{name}”{where}",
                     changes={"role": (None, role), "scope": (None, code)})
        return _info(u, s)


def _get(s, name: str) -> User:
    u = s.scalar(select(User).where(User.name == name))
    if u is None:
        raise NotFoundError(f"没有名为“{name}”的用户")
    return u


def update_user(ledger: Ledger, name: str, *, role: str | None = None, scope: str | None = None,
                active: bool | None = None) -> UserInfo:
    """Change an account's role, scope (an organisation's subtree, "" = the whole unit) and/or whether it is
    active, all in one transaction: either every change is made or none. The rule that an active administrator
    of the whole unit remains is judged on the result, so the order of the changes never matters."""
    role = _check_role(role) if role is not None else None
    permissions.require(ledger, "users")
    with ledger.db.write() as s:
        u = _get(s, name)
        code = _check_scope(s, scope) if scope is not None else None
        before = (u.role, u.scope or "", bool(u.active))
        if role is not None:
            u.role = role
        if code is not None:
            u.scope = code
        if active is not None:
            u.active = bool(active)
            if active:
                u.failed_count, u.locked_until = 0, None
        s.flush()
        _require_unit_admin(s)
        after = (u.role, u.scope or "", bool(u.active))
        if after[0] != before[0]:
            audit.record(s, ledger, "修改角色", "user", summary=f"“{name}”的角色：{before[0]} → {after[0]}",
                         changes={"role": (before[0], after[0])})
        if after[1] != before[1]:
            audit.record(s, ledger, "修改管理范围", "user",
                         summary=f"“{name}”的管理范围：{before[1] or '全单位'} → {after[1] or '全单位'}",
                         changes={"scope": (before[1], after[1])})
        if active is not None:
            audit.record(s, ledger, "启用用户" if active else "停用用户", "user", summary=f"“{name}”")
        return _info(u, s)


def _require_unit_admin(s) -> None:
    """At least one active administrator remains, and at least one of them is not limited to a subtree."""
    admins = select(func.count()).select_from(User).where(User.role == ADMIN, User.active.is_(True))
    if not s.scalar(admins):
        raise ValidationError("至少要保留一个管理员（启用的）")
    if not s.scalar(admins.where(User.scope == "")):
        raise ValidationError("至少要保留一个全单位（不限范围）的管理员")


def set_role(ledger: Ledger, name: str, role: str) -> UserInfo:
    return update_user(ledger, name, role=role)


def set_scope(ledger: Ledger, name: str, scope: str) -> UserInfo:
    """Limit an account to an organisation's subtree (a township 党委 and everything under it), or give it the
    whole unit back (""). Only an administrator of the whole unit may; at least one such administrator stays."""
    return update_user(ledger, name, scope=scope)


def set_active(ledger: Ledger, name: str, active: bool) -> UserInfo:
    return update_user(ledger, name, active=active)


def set_password(ledger: Ledger, name: str, new_password: str, old_password: str | None = None) -> None:
    """Change a password: your own with the old one, anyone's as an administrator."""
    new_password = _check_password(new_password)
    own = name == ledger.user
    if not own or old_password is None:
        permissions.require(ledger, "users")
    salt, kdf = os.urandom(16), KDF
    digest = _hash(new_password, salt, kdf)
    with ledger.db.write() as s:
        u = _get(s, name)
        if own and old_password is not None and not hmac.compare_digest(_hash(old_password, bytes.fromhex(u.salt), u.kdf), u.pw_hash):
            raise ValidationError("原密码不正确")
        u.salt, u.pw_hash, u.kdf = salt.hex(), digest, kdf
        u.failed_count, u.locked_until = 0, None
        audit.record(s, ledger, "修改密码", "user", summary=f"“{name}”的密码已修改")


def _sealed(s, u: User, key: bytes) -> bool:
    """Is this account's row (role, password hash, active) as this software wrote it?"""
    raw = s.connection().connection.dbapi_connection
    return seals.key_state(raw, key) != "other" and seals.row_ok(raw, "users", u.id, key)


def _refuse_tampered(s, u: User, key: bytes) -> None:
    if not _sealed(s, u, key):
        raise PermissionDeniedError(f"账户“{u.name}”的角色或密码在本软件之外被改动，不能用它登录。"
                                    "请管理员用备份恢复，或核实后“确认当前数据”")


def authenticate(ledger: Ledger, name: str, password: str) -> UserInfo:
    """Check a login; on success the ledger acts as this user. Failures are counted and audited.

    The account's seal is checked before its role is honoured: a role raised or a password hash
    replaced with a database tool is refused."""
    name = (name or "").strip()
    now = utcnow()
    with ledger.db.read() as s:
        u = s.scalar(select(User).where(User.name == name))
        if u is None or not u.active:
            raise PermissionDeniedError("用户名或密码不正确")
        _refuse_tampered(s, u, ledger.db.seal_key)
        if u.locked_until is not None and u.locked_until > now:
            raise PermissionDeniedError(_locked_message(u.locked_until))
        good = hmac.compare_digest(_hash(password or "", bytes.fromhex(u.salt), u.kdf), u.pw_hash)
    if ledger.db.read_only:
        if not good:
            raise PermissionDeniedError("用户名或密码不正确")
    else:
        with ledger.db.write() as s:
            u = _get(s, name)
            actor = (ledger.user, ledger.role)
            ledger.user = name  # the audit entry names who tried
            try:
                if good:
                    u.failed_count, u.locked_until, u.last_login_at = 0, None, now
                    audit.record(s, ledger, "登录", "user", summary=f"“{name}”登录")
                else:
                    u.failed_count += 1
                    if u.failed_count >= MAX_FAILURES:
                        u.locked_until, u.failed_count = now + LOCKOUT, 0
                    audit.record(s, ledger, "登录失败", "user", summary=f"“{name}”密码错误")
            finally:
                ledger.user, ledger.role = actor
            locked_until = u.locked_until
        if not good:
            if locked_until is not None and locked_until > now:
                raise PermissionDeniedError(f"密码连续错误 {MAX_FAILURES} 次，" + _locked_message(locked_until))
            raise PermissionDeniedError("用户名或密码不正确")
    with ledger.db.read() as s:
        u = _get(s, name)
        ledger.user, ledger.role, ledger.scope = u.name, u.role, u.scope or ""
        return _info(u, s)


def _locked_message(until: datetime) -> str:
    local = until.replace(tzinfo=UTC).astimezone()  # stored as naive UTC; shown in local time
    return f"账户已锁定，请于 {local:%H:%M} 后再试（或请管理员解除）"


def act_as_single_user(ledger: Ledger) -> bool:
    """On a PC with one account (or none), act as it without a login. False when a login is needed."""
    if login_required(ledger):
        return False
    with ledger.db.read() as s:
        rows = s.scalars(select(User).where(User.active.is_(True)).limit(2)).all()
        if len(rows) == 1:
            _refuse_tampered(s, rows[0], ledger.db.seal_key)
    u = only_user(ledger)
    if u is not None:
        ledger.user, ledger.role, ledger.scope = u.name, u.role, u.scope
    else:
        ledger.role = ADMIN
    return True
