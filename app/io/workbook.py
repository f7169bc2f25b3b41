"""Opening users' workbooks safely, and reading one cell's value as points with a named problem."""

from __future__ import annotations

import zipfile
import zlib
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from app.domain.points import parse_points
from app.errors import ValidationError

from . import zipguard

WORKBOOK_LIMIT = 256 * 1024 * 1024  # unpacked; a township's sheet of a year is a few MB

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def open_workbook(path: Path | str) -> Workbook:
    """Load an .xlsx fully (formulas kept as text), or raise a ValidationError a user can act on."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise ValidationError(f"找不到文件“{path}”")
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(_OLE_MAGIC):
        # Both legacy .xls and password-protected .xlsx are OLE compound files.
        if _ENCRYPTED in path.read_bytes():
            raise ValidationError(f"“{name}”设置了打开密码（已加密），无法读取；请在 Excel/WPS 中取消密码并另存为 .xlsx 后再导入")
        raise ValidationError(f"“{name}”是旧版 Excel 97-2003（.xls）文件，请在 Excel/WPS 中另存为 .xlsx 后再导入")
    if not head.startswith(b"PK"):
        raise ValidationError(f"“{name}”不是 Excel 工作簿（.xlsx）文件")
    try:
        with zipfile.ZipFile(path) as z:
            zipguard.check(z, name, WORKBOOK_LIMIT)
        return load_workbook(path, data_only=False)
    except ValidationError:
        raise
    except (zipfile.BadZipFile, EOFError, zlib.error):
        raise ValidationError(f"“{name}”不完整或已损坏（可能拷贝或下载未完成），请重新获取文件") from None
    except Exception:  # openpyxl raises many types for broken parts; the user needs one message
        raise ValidationError(f"“{name}”已损坏或不是有效的 Excel 工作簿，无法读取") from None


def where(sheet: str, row: int, col: int) -> str:
    return f"{sheet}!{get_column_letter(col)}{row}"


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_points(value: object) -> Decimal | None:
    """A cell's value as one-decimal points (None if blank); ValueError names what is wrong."""
    if is_blank(value):
        return None
    if isinstance(value, str) and value.strip().startswith("="):
        raise ValueError(f"含公式“{value.strip()[:30]}”，请改为直接填写数值")
    if not isinstance(value, (str, int, float, Decimal)) or isinstance(value, bool):
        if isinstance(value, (datetime, date, time)):
            raise ValueError("是日期格式，不是分值；请把单元格格式改为“数值”后重新填写")
        if type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
            raise ValueError("含公式，请改为直接填写数值")
        raise ValueError(f"不是数字（{value!r}）")
    text = value.strip() if isinstance(value, str) else value
    try:
        return parse_points(text, field="分值")
    except InvalidOperation:  # parse_points quantizes before its size check; huge numbers land here
        raise ValueError(f"分值数值过大，收到“{value}”") from None


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()
