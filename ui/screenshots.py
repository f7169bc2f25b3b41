"""``python -m app screenshots OUTDIR``: every main page and key dialogs as 1366×768 PNG files.

Runs offscreen on a fresh copy of the demo data in a temporary folder, so it never touches the
user's ledger or settings. Files: OUTDIR/01-dashboard.png … plus dialog-*.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

SIZE = (1366, 768)


def _settle(app, ctx, seconds: float = 0.6) -> None:
    """Let background loads finish and the widgets repaint."""
    end = time.monotonic() + seconds
    while True:
        app.processEvents()
        if ctx is not None:
            ctx.tasks.wait(50)
        app.processEvents()
        if time.monotonic() >= end and (ctx is None or not ctx.tasks.busy):
            break


def take(outdir: Path, work: Path) -> list[Path]:
    from PySide6.QtCore import QSettings

    from app.services.opening import demo
    from app.services.opening.setup import open_ledger
    from ui.application import create_application

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work / "settings"))
    app = create_application([])

    from ui.context import UiContext
    from ui.dialogs.first_run import FirstRunDialog
    from ui.dialogs.org import OrgDialog
    from ui.main_window import MainWindow

    ledger = open_ledger(work / "示例台账.sqlite")
    print("正在生成示例数据…", flush=True)
    demo.load_demo(ledger)
    ctx = UiContext(ledger)
    window = MainWindow(ctx)
    window.resize(*SIZE)
    window.install_actions(background=False)  # the 数据/打印 menus belong in the pictures
    window.show()
    written: list[Path] = []
    for n, name in enumerate(window.page_names(), 1):
        page = window.select_page(name)
        _settle(app, ctx)
        if name == "orgs" and page is not None and page.select_code("QS0201"):
            page.details.setCurrentIndex(2)  # 党员花名册 shows more than the basic facts
            _settle(app, ctx, 0.3)
        target = outdir / f"{n:02d}-{name}.png"
        window.grab().save(str(target))
        written.append(target)
        print(target, flush=True)

    orgs_page = window.page("orgs")
    branch = orgs_page.current() if orgs_page is not None else None
    if branch is not None:
        dialog = OrgDialog(ledger, [r.info for r in orgs_page.model.rows()], branch.info, window)
        dialog.show()
        _settle(app, None, 0.2)
        written.append(outdir / "dialog-org-edit.png")
        dialog.grab().save(str(written[-1]))
        dialog.close()

    empty = open_ledger(work / "空白.sqlite")
    first = FirstRunDialog(empty)
    first.show()
    _settle(app, None, 0.2)
    written.append(outdir / "dialog-first-run.png")
    first.grab().save(str(written[-1]))
    first.close()
    empty.close()

    window.close()
    ctx.tasks.wait(30000)
    ledger.close()
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("用法：python -m app screenshots 输出文件夹", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    outdir = Path(argv[0])
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dangjian-shots-") as tmp:
        files = take(outdir, Path(tmp))
    print(f"已生成 {len(files)} 张截图：{outdir}")
    return 0
