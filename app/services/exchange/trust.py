"""Which senders' keys this installation trusts: pins kept in the key folder (``trusted.json``).

Trust on first use, like SSH: the first package from a unit pins that unit's public key (after the
user compared the fingerprint, in the GUI); later packages from the same unit must be signed by the
same key. A changed key is refused until an administrator forgets the old pin (a replaced PC) and
trusts the new key, ideally from a key file handed over in advance (``keys export`` on the sender).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.errors import NotFoundError, ValidationError
from app.services.kernel import audit, identity, permissions, settings
from app.services.kernel.context import Ledger
from db import keys

TRUSTED = "trusted.json"
KEY_FILE_FORMAT = "dangjian-ledger-public-key"
_memory_pins: dict[int, dict] = {}

TRUSTED_KEY, NEW_KEY, CHANGED_KEY = "trusted", "new", "changed"


@dataclass(frozen=True)
class Pin:
    unit_id: str
    unit_name: str
    fingerprint: str
    pinned_at: str


def _path(ledger: Ledger) -> Path | None:
    folder = keys.folder_for(ledger.path)
    return None if folder is None else folder / TRUSTED


def _load(ledger: Ledger) -> dict:
    path = _path(ledger)
    if path is None:
        return _memory_pins.setdefault(id(ledger.db), {})
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError
        return data
    except (OSError, ValueError, UnicodeDecodeError):
        raise ValidationError(f"已信任密钥的清单“{path}”无法读取：请从备份恢复 .keys 文件夹") from None


def _save(ledger: Ledger, pins: dict) -> None:
    path = _path(ledger)
    if path is None:
        _memory_pins[id(ledger.db)] = pins
        return
    try:
        keys.write_private(path, json.dumps(pins, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8"))
    except OSError as e:
        raise ValidationError(f"无法保存已信任密钥的清单“{path}”：{e.strerror or e}") from None


def list_pins(ledger: Ledger) -> list[Pin]:
    return [Pin(uid, p.get("unit_name", ""), p["fingerprint"], p.get("pinned_at", ""))
            for uid, p in sorted(_load(ledger).items(), key=lambda kv: kv[1].get("unit_name", ""))]


def status(ledger: Ledger, unit_id: str, public: bytes) -> tuple[str, Pin | None]:
    """(trusted | new | changed, the existing pin for this unit if any)."""
    p = _load(ledger).get(unit_id)
    if p is None:
        return NEW_KEY, None
    pin = Pin(unit_id, p.get("unit_name", ""), p["fingerprint"], p.get("pinned_at", ""))
    return (TRUSTED_KEY if p["public_key"] == base64.b64encode(public).decode() else CHANGED_KEY), pin


def pin(ledger: Ledger, unit_id: str, unit_name: str, public: bytes, *, how: str = "首次导入时") -> Pin:
    """Trust this unit's key from now on (a first import, or a key file). Refuses to replace another key."""
    state, old = status(ledger, unit_id, public)
    if state == CHANGED_KEY:
        raise ValidationError(changed_message(unit_name or unit_id, identity.fingerprint(public), old))
    if unit_id == identity.ensure_unit_id(ledger):
        raise ValidationError("这是本单位自己的密钥，不需要信任")
    fp = identity.fingerprint(public)
    if state == TRUSTED_KEY:
        return old
    pins = _load(ledger)
    now = datetime.now().isoformat(timespec="seconds")
    pins[unit_id] = {"unit_name": unit_name, "public_key": base64.b64encode(public).decode(),
                     "fingerprint": fp, "pinned_at": now}
    _save(ledger, pins)
    with ledger.db.write() as s:
        audit.record(s, ledger, "信任密钥", "key", summary=f"{how}信任“{unit_name}”的密钥，指纹 {fp}",
                     changes={"unit_id": (None, unit_id)})
    return Pin(unit_id, unit_name, fp, now)


def changed_message(sender: str, fp: str, old: Pin | None) -> str:
    was = f"本机记录的指纹是 {old.fingerprint}，" if old else ""
    return (f"“{sender}”的数据包由另一把密钥签名（指纹 {fp}），{was}两者不符：可能是对方换了电脑，"
            "也可能是他人冒充。已拒绝导入，没有写入任何数据。请与对方电话核对指纹；确认是换了电脑后，"
            "由管理员先“忘记”旧密钥（keys forget），再信任对方导出的新密钥文件（keys trust --file）")


def find(ledger: Ledger, who: str) -> Pin:
    who = (who or "").strip()
    norm = who.replace(" ", "").upper()
    for p in list_pins(ledger):
        if who in (p.unit_id, p.unit_name) or (len(norm) >= 8 and p.fingerprint.replace(" ", "").startswith(norm)):
            return p
    raise NotFoundError(f"没有已信任的密钥与“{who}”相符（可用单位标识、单位名称或指纹）")


def forget(ledger: Ledger, who: str) -> Pin:
    permissions.require(ledger, "keys")
    p = find(ledger, who)
    pins = _load(ledger)
    pins.pop(p.unit_id, None)
    _save(ledger, pins)
    with ledger.db.write() as s:
        audit.record(s, ledger, "忘记密钥", "key", summary=f"不再信任“{p.unit_name}”的密钥，指纹 {p.fingerprint}",
                     changes={"unit_id": (p.unit_id, None)})
    return p


def export_public(ledger: Ledger, path: Path | str) -> tuple[Path, str]:
    """Write this installation's public key file to hand over in advance; (path, fingerprint)."""
    path = Path(path)
    raw = identity.public_raw(ledger)
    body = {"format": KEY_FILE_FORMAT, "unit_id": identity.ensure_unit_id(ledger),
            "unit_name": str(settings.get(ledger, "unit_name") or ""),
            "public_key": base64.b64encode(raw).decode(), "fingerprint": identity.fingerprint(raw)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(body, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as e:
        raise ValidationError(f"无法写入“{path}”：{e.strerror or e}") from None
    return path, body["fingerprint"]


def read_key_file(path: Path | str) -> tuple[str, str, bytes]:
    """(unit id, unit name, public key) from a key file; a clear message for anything else."""
    path = Path(path)
    bad = f"“{path.name}”不是本软件导出的密钥文件"
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationError(f"找不到文件“{path}”") from None
    except (OSError, ValueError, UnicodeDecodeError):
        raise ValidationError(bad) from None
    if not isinstance(body, dict) or body.get("format") != KEY_FILE_FORMAT:
        raise ValidationError(bad)
    try:
        public = base64.b64decode(str(body["public_key"]), validate=True)
        uid, name = str(body["unit_id"]), str(body.get("unit_name", ""))
    except (KeyError, ValueError):
        raise ValidationError(bad) from None
    if len(public) != 32 or not uid:
        raise ValidationError(bad)
    return uid, name, public


def trust_file(ledger: Ledger, path: Path | str) -> Pin:
    permissions.require(ledger, "keys")
    uid, name, public = read_key_file(path)
    return pin(ledger, uid, name, public, how="从密钥文件")
