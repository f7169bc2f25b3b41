"""Refuse zip files (workbooks, packages) whose members would unpack to more than a desk PC should
read: a few hundred bytes can claim gigabytes (a "zip bomb"), and reading them would hang the app."""

from __future__ import annotations

import zipfile

from app.errors import ValidationError

RATIO = 400  # real workbooks and packages compress 5–30×; a bomb compresses thousands of times
SMALL = 16 * 1024 * 1024  # below this, any ratio is harmless


def check(z: zipfile.ZipFile, name: str, limit: int) -> None:
    """Raise a ValidationError if the members unpack to more than ``limit`` bytes or look like a bomb."""
    infos = z.infolist()
    total = sum(i.file_size for i in infos)
    if total > limit:
        raise ValidationError(f"“{name}”解压后达 {total // (1024 * 1024)} MB，超过 {limit // (1024 * 1024)} MB 的上限，"
                              "不像正常的文件，已拒绝读取")
    for i in infos:
        if i.file_size > SMALL and i.file_size > RATIO * max(i.compress_size, 1):
            raise ValidationError(f"“{name}”中的“{i.filename[:40]}”压缩比异常（疑似压缩炸弹），已拒绝读取")
