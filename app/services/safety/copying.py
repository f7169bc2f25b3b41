"""copy-db: carry a whole ledger from a file to the county server, or back (ids, audit chain and keys kept).

The source must pass the audit-chain and seal checks first (a copy must not launder changes made
behind the software); the destination must be empty. The source's key folder goes with the data, so
the copy's chain verifies and its packages are signed by the same installation; the copy's seals are
made afresh for its backend, and the copy is recorded in its audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.errors import DatabaseError
from app.paths import is_server, ledger_target, server_keys_home
from app.services.kernel import audit
from app.services.kernel.context import Ledger
from db import copy as rowcopy
from db import keys
from db.migrate import open_database
from db.server_open import stand_in

from . import integrity


@dataclass(frozen=True)
class CopyResult:
    source: str
    target: str
    rows: dict[str, int]


def _key_path(target) -> Path:
    return stand_in(target, server_keys_home()) if is_server(target) else Path(target).expanduser().resolve()


def copy_ledger(source: Ledger, target_value, *, user: str = "管理员") -> CopyResult:
    target = ledger_target(target_value)
    if not is_server(target):
        target = Path(target).expanduser().resolve()
        if target.exists() and target.stat().st_size > 0:
            raise DatabaseError(f"目标文件“{target}”已存在：复制只写入新的文件或空的服务器数据库")
    where = str(target)
    if where == (str(source.db.url) if source.db.is_server else str(Path(source.path).resolve())):
        raise DatabaseError("源和目标是同一个数据库")
    ok, message = audit.verify_chain(source)
    finding, problems, _checked = integrity.check_seals(source)
    if not ok or problems:
        raise DatabaseError(f"源数据库没有通过核对，不能复制：{message if not ok else finding.detail}")
    probe = open_database(target, user=user, key_home=server_keys_home())
    try:
        if not rowcopy.is_empty(probe):
            raise DatabaseError(f"目标数据库“{where}”不是空的：复制只写入新的文件或空的服务器数据库")
    finally:
        probe.dispose()
    try:
        keys.copy_keys(source.path, _key_path(target))  # the same installation: key, signing key, pins
    except OSError as e:
        raise DatabaseError(f"无法把密钥文件夹复制到目标旁：{e.strerror or e}") from None
    db = open_database(target, user=user, key_home=server_keys_home())
    copy = Ledger(db, user=user, today=source.today, role=source.role)
    try:
        with db.write() as s:
            rows = rowcopy.copy_rows(source.db, s, db.seal_key)
            audit.record(s, copy, "复制台账", "ledger",
                         summary=f"从 {source.db.where} 复制全部数据（{sum(rows.values())} 行）")
        db.forget_anchor()
        db.update_anchor()
    finally:
        copy.close()
    return CopyResult(source.db.where, str(target), rows)
