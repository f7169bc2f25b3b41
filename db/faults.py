"""Plain-words errors for the storage failing under us: a full disk, a read-only or vanished folder.

SQLite reports these as driver errors; turned into DatabaseError here, every screen and the CLI show a
sentence a township clerk can act on (and the transaction has already been rolled back).
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine

from .errors import DatabaseError

_MESSAGES = (
    ("database or disk is full", "磁盘空间不足，刚才的修改没有保存（数据文件完好）。请清理磁盘或把数据文件移到空间充足的位置后重试。"),
    ("disk i/o error", "读写数据文件时出错（U 盘被拔出或网络共享断开？），刚才的修改没有保存。请检查存放数据文件的磁盘后重新打开软件。"),
    ("attempt to write a readonly database", "数据文件或其所在文件夹是只读的，刚才的修改没有保存。请检查文件权限。"),
    ("unable to open database file", "无法打开数据文件（文件夹不存在或没有权限）。"),
)


@event.listens_for(Engine, "handle_error")
def _translate(context):
    text = str(context.original_exception).lower()
    for needle, message in _MESSAGES:
        if needle in text:
            return DatabaseError(message)
    return None
