"""``python -m app screenshots OUTDIR``: every main page and key dialogs as 1366×768 PNG files.

Runs offscreen on a fresh copy of the demo data in a temporary folder, so it never touches the
user's ledger or settings. Files: OUTDIR/01-dashboard.png … plus dialog-*.png.

``python -m app screenshots --manual [DOCS]`` writes the manual's own pictures instead (docs/*.md, shown
inside the app under 帮助 → 使用手册, link them by these names): the pages in MANUAL and a record page of a
demo branch's 工作手册 rendered with pdftoppm — so after a screen changes the manual shows it as it is.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

SIZE = (1366, 768)
# page → the manual's picture of it
MANUAL = {
    "dashboard": "screenshot-dashboard.png",
    "orgs": "screenshot-orgs.png",
    "monthly": "screenshot-monthly.png",
    "records": "screenshot-records.png",
    "pairings": "screenshot-pairings.png",
    "projects": "screenshot-projects.png",
    "instructors": "screenshot-instructors.png",
}


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


def take(outdir: Path, work: Path, *, manual: bool = False) -> list[Path]:
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
        if manual and name not in MANUAL:
            continue
        page = window.select_page(name)
        _settle(app, ctx)
        if name == "orgs" and page is not None and page.select_code("QS0201"):
            page.details.setCurrentIndex(2)  # 党员花名册 shows more than the basic facts
            _settle(app, ctx, 0.3)
        target = outdir / (MANUAL[name] if manual else f"{n:02d}-{name}.png")
        if not window.grab().save(str(target)):
            raise OSError(f"未能保存截图：{target}")
        written.append(target)
        print(target, flush=True)
    if manual:
        written.append(_handbook_page(ledger, work, outdir / "handbook-page.png"))
        window.close()
        ctx.tasks.wait(30000)
        ledger.close()
        return written

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


def _handbook_page(ledger, work: Path, target: Path) -> Path:
    """The first 支部委员会会议 record page of a demo branch's last-year 工作手册, as the manual shows it."""
    import subprocess

    from app.reports.handbook import build_handbook

    pdf = work / "handbook.pdf"
    build_handbook(ledger, "QS0203", ledger.today().year - 1, pdf)
    pages = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    first = next(i for i, t in enumerate(pages, 1) if "2.2 支部委员会会议" in t and "主持人" in t)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(first), "-l", str(first), "-singlefile", str(pdf),
                    str(target.with_suffix(""))], check=True)
    print(target, flush=True)
    return target


def main(argv: list[str]) -> int:
    from app.cli._zh import install

    install()  # argparse's own words in Chinese, as on the other commands
    parser = argparse.ArgumentParser(
        prog="python -m app screenshots", description="用示例数据在 1366×768 下截取每个页面的图片（不需要显示器）")
    parser.add_argument("outdir", nargs="?", type=Path, help="输出文件夹（与 --manual 同用时默认 docs/）")
    parser.add_argument("--manual", action="store_true", help="生成使用手册用的截图（docs/ 下的文件名）")
    args = parser.parse_args(argv)  # --help prints and exits 0; a wrong option exits 2
    if args.outdir is None and not args.manual:
        parser.error("请给出输出文件夹，或用 --manual")
    manual = args.manual
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    outdir = args.outdir or Path(__file__).resolve().parents[1] / "docs"
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dangjian-shots-") as tmp:
        files = take(outdir, Path(tmp), manual=manual)
    print(f"已生成 {len(files)} 张截图：{outdir}")
    return 0
