"""Exchange package files: a zip holding manifest.json and payload.json, checked before use.

The manifest names the app and schema versions, the sending unit, the scope (organisation and
year), the time, and the SHA-256 of the payload; a package whose payload does not match, that is
not a zip, whose JSON is broken, or that was made by a newer schema is refused before anything
is read into the ledger.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app import __version__
from app.errors import ValidationError
from app.services.exchange import merge
from app.services.kernel.context import Ledger

from .atomic import save_bytes

FORMAT = "dangjian-ledger-package"
FORMAT_VERSION = 1
SUFFIX = ".djpkg"
MANIFEST, PAYLOAD = "manifest.json", "payload.json"


def schema_revisions() -> list[str]:
    return merge.schema_heads()


def known_schema() -> frozenset[str]:
    return merge.known_schema()


@dataclass(frozen=True)
class PackageInfo:
    path: Path
    manifest: dict
    payload: dict

    @property
    def source(self) -> str:
        return self.manifest["source_unit"] or self.manifest["source_unit_name"]

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
        "schema": schema_revisions(), "source_unit": data.source_code, "source_unit_name": data.source_name,
        "scope": data.scope_code, "scope_name": data.scope_name, "scope_uuid": data.scope_uuid, "year": data.year,
        "created": datetime.now().isoformat(timespec="seconds"), "with_roster": data.with_roster,
        "counts": data.counts, "payload_sha256": hashlib.sha256(payload).hexdigest(),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        z.writestr(PAYLOAD, payload)
    return save_bytes(buf.getvalue(), path)


def read_package(path: Path | str) -> PackageInfo:
    """Open and verify a package; any defect is a ValidationError and nothing has been touched."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError(f"找不到文件“{path}”")
    broken = f"“{path.name}”已损坏或不是本软件的数据包"
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if MANIFEST not in names or PAYLOAD not in names:
                raise ValidationError(f"{broken}（缺少清单或数据）")
            manifest_bytes, payload_bytes = z.read(MANIFEST), z.read(PAYLOAD)
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
    if not isinstance(version, int) or not isinstance(schema, list):
        raise ValidationError(f"{broken}（清单缺少版本信息）")
    unknown = [r for r in schema if r not in known_schema()]
    if version > FORMAT_VERSION or unknown:
        raise ValidationError(
            f"“{path.name}”由更新版本的软件（{manifest.get('app_version', '未知版本')}）生成，"
            "本机软件无法读取，请先升级本软件后再导入"
        )
    if hashlib.sha256(payload_bytes).hexdigest() != manifest.get("payload_sha256"):
        raise ValidationError(f"“{path.name}”的数据与校验值不符：文件在传递中被修改或损坏，已拒绝导入")
    for key in ("source_unit", "source_unit_name", "scope", "scope_name", "year"):
        if key not in manifest:
            raise ValidationError(f"{broken}（清单缺少“{key}”）")
    try:
        payload = json.loads(payload_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationError(f"{broken}（数据无法读取）") from None
    merge.check_payload_shape(payload)
    if payload["year"] != manifest["year"]:
        raise ValidationError(f"{broken}（清单与数据的年份不一致）")
    return PackageInfo(path, manifest, payload)


def plan_package(ledger: Ledger, info: PackageInfo, decisions: dict | None = None) -> merge.MergePlan:
    return merge.merge(ledger, info.payload, info.source, info.manifest["source_unit_name"],
                       decisions=decisions, dry_run=True)


def import_package(ledger: Ledger, info: PackageInfo, decisions: dict | None = None) -> merge.MergePlan:
    return merge.merge(ledger, info.payload, info.source, info.manifest["source_unit_name"],
                       decisions=decisions, file_name=info.path.name)
