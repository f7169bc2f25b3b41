"""The main window's pages, one module each, shown in the left navigation bar.

Page contract (every module ``ui/pages/<name>.py``):

- defines ``class Page(QWidget)`` with class attributes
  ``title`` — the Chinese label in the navigation bar, and
  ``kinds`` — the set of change kinds from ``ui.context`` (ORGS, SCORES, …) that make it refresh;
- ``__init__(self, ctx: UiContext, parent=None)`` builds widgets only; it must not load data
  (the window constructs a page when it is first shown, then calls ``refresh()``);
- ``refresh()`` reloads everything from ``app.services``; work slower than ~200 ms goes through
  ``ctx.tasks`` (see ``ui.widgets.progress``);
- optional ``has_unsaved_changes() -> bool`` — the window asks before closing or switching file;
- optional ``save_state(settings: QSettings)`` / ``restore_state(settings: QSettings)`` for
  splitter sizes, chosen year, column widths… (keys are prefixed with the module name by the page).

When a change of kind K is announced with ``ctx.notify_changed(K)``, each constructed page whose
``kinds`` holds K (or when K is ALL) gets ``refresh()`` — at once if visible, else when next shown.

Navigation order (module name → title) is ``PAGES`` below. The window imports modules lazily and
skips any that does not exist yet.
"""

from __future__ import annotations

PAGES: tuple[tuple[str, str], ...] = (
    ("dashboard", "概览"),
    ("orgs", "组织台账"),
    ("monthly", "月度积分"),
    ("records", "工作记录"),
    ("compliance", "组织生活"),
    ("warnings", "预警通报"),
    ("grades", "年度定级"),
    ("pairings", "结对共建"),
    ("results", "结果运用"),
    ("projects", "书记项目"),
    ("tasks", "重点任务"),
    ("board", "盯跟晒"),
    ("scheme", "积分细则"),
    ("instructors", "指导员"),
    ("settings", "设置"),
)
