"""Write output files atomically: a half-written workbook or package never replaces a good one."""

from __future__ import annotations

import os
from pathlib import Path

from app.errors import ValidationError


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp")


def save_workbook(wb, path: Path | str, postprocess=None) -> Path:
    """Save to a temporary name, let ``postprocess(tmp)`` finish the file, then rename into place."""
    path = Path(path)
    tmp = _tmp(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(tmp)
        if postprocess is not None:
            postprocess(tmp)
        os.replace(tmp, path)
    except PermissionError:
        tmp.unlink(missing_ok=True)
        raise ValidationError(f"无法写入“{path}”：文件可能正在 Excel 中打开，请关闭后重试") from None
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise ValidationError(f"无法写入“{path}”：{e.strerror or e}") from None
    return path


def save_bytes(data: bytes, path: Path | str) -> Path:
    path = Path(path)
    tmp = _tmp(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise ValidationError(f"无法写入“{path}”：{e.strerror or e}") from None
    return path
