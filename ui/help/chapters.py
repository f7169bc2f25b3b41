"""The chapters of the user manual and which one belongs to which screen (F1).

The manual is the Chinese chapters of docs/ (app.paths.manual_dir), so the repository and the app show
the same text; this module only reads and searches them, without Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.paths import manual_dir

# (file, title) in reading order; the developers' architecture notes are left out.
CHAPTERS: tuple[tuple[str, str], ...] = (
    ("desktop.md", "桌面程序：启动、概览、组织台账、设置"),
    ("data-entry.md", "录入与考核"),
    ("compliance.md", "组织生活落实情况"),
    ("pairings.md", "结对共建"),
    ("results.md", "结果运用：奖补兑现、绩效评定、表彰与补助"),
    ("tracking.md", "书记项目、重点任务与盯跟晒"),
    ("instructors.md", "党建指导员"),
    ("rules.md", "积分、预警与定级规则"),
    ("excel.md", "Excel 导入导出与数据包"),
    ("printing.md", "打印手册与报表"),
    ("safety.md", "数据安全与可信"),
    ("install.md", "安装与自检"),
)

# Screen → (chapter file, heading); a page may also name its own topic with ``help_topic``.
TOPICS: dict[str, tuple[str, str | None]] = {
    "dashboard": ("desktop.md", "概览"),
    "orgs": ("desktop.md", "组织台账"),
    "monthly": ("data-entry.md", "月度积分"),
    "records": ("data-entry.md", "工作记录（一本通）"),
    "compliance": ("compliance.md", None),
    "warnings": ("data-entry.md", "预警通报"),
    "grades": ("data-entry.md", "年度定级"),
    "scheme": ("data-entry.md", "积分细则"),
    "settings": ("desktop.md", "设置"),
    "projects": ("tracking.md", "书记项目"),
    "tasks": ("tracking.md", "重点任务与清单调度"),
    "board": ("tracking.md", "滞后、临期、完成率"),
    "pairings": ("pairings.md", None),
    "results": ("results.md", None),
    "instructors": ("instructors.md", "界面"),
}


@dataclass(frozen=True)
class Hit:
    file: str
    title: str
    heading: str  # the nearest heading above the line ("" at the top)
    line: str


def chapter_path(file: str) -> Path:
    return manual_dir() / file


@cache
def chapter_text(file: str) -> str:
    try:
        return chapter_path(file).read_text(encoding="utf-8")
    except OSError:
        return f"# 找不到本章\n\n使用手册文件“{file}”不在 {manual_dir()} 中。"


def headings(file: str) -> list[str]:
    return [m.group(2).strip() for m in re.finditer(r"^(#{1,3})\s+(.+)$", chapter_text(file), re.M)]


def topic_for(page_name: str | None, page: object | None = None) -> tuple[str, str | None]:
    """The chapter and heading F1 opens for a screen (the first chapter when none is known)."""
    own = getattr(page, "help_topic", None)
    if isinstance(own, tuple) and len(own) == 2:
        return own
    return TOPICS.get(page_name or "", (CHAPTERS[0][0], None))


def search(term: str, limit: int = 200) -> list[Hit]:
    """Every line of every chapter holding ``term`` (case-insensitive), with the heading it falls under."""
    needle = term.strip().casefold()
    if not needle:
        return []
    hits: list[Hit] = []
    for file, title in CHAPTERS:
        heading = ""
        for raw in chapter_text(file).splitlines():
            m = re.match(r"^#{1,3}\s+(.+)$", raw)
            if m:
                heading = m.group(1).strip()
            if needle in raw.casefold():
                hits.append(Hit(file, title, heading, _plain(raw)))
                if len(hits) >= limit:
                    return hits
    return hits


def _plain(line: str) -> str:
    """A line without Markdown marks, for the result list."""
    line = re.sub(r"^#{1,6}\s+|^\s*[-*]\s+|\*\*|`", "", line.strip())
    line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)
    return line[:120]
