"""Exchange package files: a zip holding manifest.json and payload.json, checked before use.

The manifest names the app and schema versions, the sending unit, the scope (organisation and
year), the time, and the SHA-256 of the payload; a package whose payload does not match, that is
not a zip, whose JSON is broken, or that was made by a newer schema is refused before anything
is read into the ledger.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import struct
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app import __version__
from app.errors import ValidationError
from app.services.exchange import merge, trust
from app.services.kernel import identity, settings
from app.services.kernel.context import Ledger

from . import zipguard
from .atomic import save_bytes

FORMAT = "dangjian-ledger-package"
FORMAT_VERSION = 2  # 2: signed (signature.json); 1 was unsigned and is refused
SUFFIX = ".djpkg"
PACKAGE_LIMIT = 1024 * 1024 * 1024  # unpacked; a county's year with rosters is a few hundred MB
MANIFEST, PAYLOAD, SIGNATURE = "manifest.json", "payload.json", "signature.json"
_DOMAIN = b"dangjian-ledger-package/v2\x00"


def signed_digest(manifest: bytes, payload: bytes) -> bytes:
    """What is signed: SHA-256 over a domain tag, the manifest's length, the manifest and the payload."""
    return hashlib.sha256(_DOMAIN + struct.pack(">Q", len(manifest)) + manifest + payload).digest()


def schema_revisions() -> list[str]:
    return merge.schema_heads()


def known_schema() -> frozenset[str]:
    return merge.known_schema()


@dataclass(frozen=True)
class PackageInfo:
    path: Path
    manifest: dict
    payload: dict
    public_key: bytes = b""

    @property
    def source(self) -> str:
        """The sender's unit id: covered by the signature, so renaming the unit does not change it."""
        return self.manifest["unit_id"]

    @property
    def sender_name(self) -> str:
        return self.manifest["source_unit_name"] or self.manifest["source_unit"] or self.manifest["scope_name"]

    @property
    def fingerprint(self) -> str:
        return identity.fingerprint(self.public_key)

    @property
    def label(self) -> str:
        m = self.manifest
        sender = m["source_unit_name"] or m["source_unit"]
        prefix = f"来自{sender}：" if sender and sender != m["scope_name"] else ""
        return f"{prefix}{m['scope_name']}（{m['scope']}）{m['year']} 年"


def export_package(ledger: Ledger, scope: str, year: int, path: Path | str, *, with_roster: bool = False) -> Path:
    data = merge.export_scope(ledger, scope, year, with_roster=with_roster)
    payload = json.dumps(data.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "app_version": __version__,
        "schema": schema_revisions(), "unit_id": data.source_code,
        "source_unit": str(settings.get(ledger, "unit_code") or ""), "source_unit_name": data.source_name,
        "scope": data.scope_code, "scope_name": data.scope_name, "scope_uuid": data.scope_uuid, "year": data.year,
        "created": datetime.now().isoformat(timespec="seconds"), "with_roster": data.with_roster,
        "counts": data.counts, "payload_sha256": hashlib.sha256(payload).hexdigest(),
    }
    return save_bytes(build(ledger, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"), payload), path)


def build(ledger: Ledger, manifest: bytes, payload: bytes) -> bytes:
    """The package file's bytes: manifest and payload as given, signed with this installation's key."""
    public = identity.public_raw(ledger)
    signature = {"algorithm": "ed25519", "unit_id": json.loads(manifest)["unit_id"],
                 "public_key": base64.b64encode(public).decode(), "fingerprint": identity.fingerprint(public),
                 "signature": base64.b64encode(identity.sign(ledger, signed_digest(manifest, payload))).decode()}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(MANIFEST, manifest)
        z.writestr(PAYLOAD, payload)
        z.writestr(SIGNATURE, json.dumps(signature, ensure_ascii=False, indent=2))
    return buf.getvalue()


def read_package(path: Path | str) -> PackageInfo:
    """Open and verify a package; any defect is a ValidationError and nothing has been touched."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError(f"找不到文件“{path}”")
    broken = f"“{path.name}”已损坏或不是本软件的数据包"
    try:
        with zipfile.ZipFile(path) as z:
            zipguard.check(z, path.name, PACKAGE_LIMIT)
            names = set(z.namelist())
            if MANIFEST not in names or PAYLOAD not in names:
                raise ValidationError(f"{broken}（缺少清单或数据）")
            manifest_bytes, payload_bytes = z.read(MANIFEST), z.read(PAYLOAD)
            signature_bytes = z.read(SIGNATURE) if SIGNATURE in names else None
    except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile):
        raise ValidationError(broken) from None
    except Exception as e:  # zlib/CRC errors of an altered member come in several types
        if isinstance(e, ValidationError):
            raise
        raise ValidationError(f"{broken}（内容校验失败）") from None
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationError(f"{broken}（清单无法读取）") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValidationError(f"“{path.name}”不是本软件的数据包")
    version = manifest.get("format_version")
    schema = manifest.get("schema")
    if not isinstance(version, int) or isinstance(version, bool) or not isinstance(schema, list) \
            or not all(isinstance(r, str) for r in schema):
        raise ValidationError(f"{broken}（清单缺少版本信息）")
    unknown = [r for r in schema if r not in known_schema()]
    if version > FORMAT_VERSION or unknown:
        raise ValidationError(
            f"“{path.name}”由更新版本的软件（{manifest.get('app_version', '未知版本')}）生成，"
            "本机软件无法读取，请先升级本软件后再导入"
        )
    if version < FORMAT_VERSION or signature_bytes is None:
        raise ValidationError(f"“{path.name}”没有签名（由旧版本软件导出，或签名被去掉），无法确认来自何处，已拒绝导入。"
                              "请对方用新版本软件重新导出数据包")
    public = _check_signature(path.name, manifest, signature_bytes, signed_digest(manifest_bytes, payload_bytes))
    if hashlib.sha256(payload_bytes).hexdigest() != manifest.get("payload_sha256"):
        raise ValidationError(f"“{path.name}”的数据与校验值不符：文件在传递中被修改或损坏，已拒绝导入")
    for key in ("unit_id", "source_unit", "source_unit_name", "scope", "scope_name", "year"):
        if key not in manifest:
            raise ValidationError(f"{broken}（清单缺少“{key}”）")
        wanted = int if key == "year" else str
        if not isinstance(manifest[key], wanted) or isinstance(manifest[key], bool):
            raise ValidationError(f"{broken}（清单中“{key}”的类型不对）")
    try:
        payload = json.loads(payload_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationError(f"{broken}（数据无法读取）") from None
    merge.check_payload_shape(payload)
    if payload["year"] != manifest["year"]:
        raise ValidationError(f"{broken}（清单与数据的年份不一致）")
    return PackageInfo(path, manifest, payload, public)


def _check_signature(name: str, manifest: dict, signature_bytes: bytes, digest: bytes) -> bytes:
    """The sender's public key, when the signature over manifest and payload holds; else a refusal."""
    try:
        sig = json.loads(signature_bytes.decode("utf-8"))
        public = base64.b64decode(str(sig["public_key"]), validate=True)
        signature = base64.b64decode(str(sig["signature"]), validate=True)
        signer = str(sig["unit_id"])
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise ValidationError(f"“{name}”的签名无法读取，已拒绝导入，没有写入任何数据") from None
    fp = identity.fingerprint(public) if len(public) == 32 else "无效"
    if len(public) != 32 or signer != manifest.get("unit_id") or not identity.verify(public, signature, digest):
        raise ValidationError(f"“{name}”的签名与内容不符（签名密钥指纹 {fp}）：数据包在传递中被修改或伪造，"
                              "已拒绝导入，没有写入任何数据")
    return public


def check_sender(ledger: Ledger, info: PackageInfo) -> str:
    """trust.TRUSTED_KEY or trust.NEW_KEY; a changed key (or this unit's own id on another key) is refused."""
    if info.source == identity.ensure_unit_id(ledger):
        if info.public_key != identity.public_raw(ledger):
            raise ValidationError(f"“{info.path.name}”自称来自本单位，但签名密钥（指纹 {info.fingerprint}）不是本机的，已拒绝导入")
        return trust.TRUSTED_KEY
    state, old = trust.status(ledger, info.source, info.public_key)
    if state == trust.CHANGED_KEY:
        raise ValidationError(trust.changed_message(info.sender_name, info.fingerprint, old))
    return state


def trust_sender(ledger: Ledger, info: PackageInfo) -> trust.Pin:
    """Pin the sender's key (trust on first use), after the person compared the fingerprint."""
    return trust.pin(ledger, info.source, info.sender_name, info.public_key)


def _require_trusted(ledger: Ledger, info: PackageInfo, *, new_key_ok: bool = False) -> None:
    if check_sender(ledger, info) == trust.NEW_KEY and not new_key_ok:
        raise ValidationError(f"“{info.sender_name}”的密钥（指纹 {info.fingerprint}）尚未被本机信任：请先核对指纹并信任，"
                              "已拒绝导入，没有写入任何数据")


def plan_package(ledger: Ledger, info: PackageInfo, decisions: dict | None = None, *,
                 new_key_ok: bool = False) -> merge.MergePlan:
    """A preview; ``new_key_ok`` lets a first package be previewed before its key is trusted (nothing is written)."""
    _require_trusted(ledger, info, new_key_ok=new_key_ok)
    return merge.merge(ledger, info.payload, info.source, info.sender_name, decisions=decisions, dry_run=True)


def import_package(ledger: Ledger, info: PackageInfo, decisions: dict | None = None) -> merge.MergePlan:
    _require_trusted(ledger, info)
    return merge.merge(ledger, info.payload, info.source, info.sender_name,
                       decisions=decisions, file_name=info.path.name)
