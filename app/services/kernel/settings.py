"""Settings stored in the ledger file, declared once with type, default and label."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.errors import ValidationError
from db.models import Setting

from . import audit, permissions
from .context import Ledger


@dataclass(frozen=True)
class SettingDef:
    key: str
    type: type
    default: object
    label: str


SETTINGS: dict[str, SettingDef] = {
    d.key: d
    for d in (
        SettingDef("unit_name", str, "", "单位名称"),
        SettingDef("unit_code", str, "", "单位组织编码"),
        SettingDef("backup_dir", str, "", "备份文件夹"),
        SettingDef("blank_pages_per_form", int, 2, "手册每个小项附空白页数"),
        SettingDef("handbook_instructions", str, "", "手册填写说明"),
        SettingDef("tracking_soon_days", int, 14, "书记项目、重点任务临期提醒天数"),
        SettingDef("doc_issuer", str, "", "公文发文机关标志"),
        SettingDef("doc_prefix", str, "", "公文发文字号机关代字"),
        SettingDef("doc_printer", str, "", "公文版记的印发机关"),
        SettingDef("doc_cc", str, "", "公文版记的抄送机关"),
        SettingDef("mirror_margins", bool, False, "双面打印镜像页边距"),
    )
}


def get(ledger: Ledger, key: str) -> object:
    d = SETTINGS[key]
    with ledger.db.read() as s:
        row = s.get(Setting, key)
    return d.default if row is None else json.loads(row.value)


def get_all(ledger: Ledger) -> dict[str, object]:
    with ledger.db.read() as s:
        stored = {r.key: json.loads(r.value) for r in s.scalars(select(Setting))}
    return {k: stored.get(k, d.default) for k, d in SETTINGS.items()}


def check_folder(value: str, label: str) -> None:
    """A folder setting must name a folder that exists and takes files now: a backup folder on a
    U 盘 that is not plugged in would make every backup fail later, unnoticed."""
    folder = Path(value).expanduser()
    if not folder.exists():
        raise ValidationError(f"{label}“{value}”不存在（U 盘或网络盘没有接好？请先建好文件夹再选择）")
    if not folder.is_dir():
        raise ValidationError(f"{label}“{value}”不是文件夹")
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".写入测试-"):
            pass
    except OSError as e:
        raise ValidationError(f"{label}“{value}”不能写入（只读、写保护或没有权限：{e.strerror or e}）") from None


def set_value(ledger: Ledger, key: str, value: object) -> None:
    permissions.require(ledger, "settings")
    d = SETTINGS.get(key)
    if d is None:
        raise ValidationError(f"未知的设置项“{key}”")
    if d.type is bool:
        value = _yes_no(value, d.label)
    elif d.type is int:
        try:
            value = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValidationError(f"{d.label}必须是整数") from None
        if not 0 <= value <= 50:
            raise ValidationError(f"{d.label}必须在 0 到 50 之间")
    else:
        value = str(value).strip()
        _check_length(key, value, d.label)
        if key == "unit_name" and not value:
            raise ValidationError("单位名称不能为空")
        if key == "backup_dir" and value:
            check_folder(value, d.label)
    with ledger.db.write() as s:
        row = s.get(Setting, key)
        old = None if row is None else json.loads(row.value)
        if old == value:
            return
        if row is None:
            s.add(Setting(key=key, value=json.dumps(value, ensure_ascii=False)))
        else:
            row.value = json.dumps(value, ensure_ascii=False)
        audit.record(s, ledger, "设置修改", "setting", summary=f"{d.label}", changes={key: (old, value)})


def _yes_no(value: object, label: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("是", "开", "1", "true", "yes", "on"):
        return True
    if text in ("否", "关", "0", "false", "no", "off"):
        return False
    raise ValidationError(f"{label}只能是“是”或“否”，收到“{value}”")


MAX_LENGTH = {"doc_issuer": 40, "doc_prefix": 40, "doc_printer": 40, "doc_cc": 60}


def _check_length(key: str, value: str, label: str) -> None:
    limit = MAX_LENGTH.get(key)
    if limit is not None and len(value) > limit:
        raise ValidationError(f"{label}不能超过 {limit} 个字，收到 {len(value)} 个字")
