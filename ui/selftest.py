"""The Qt half of the self-test: Chinese renders with the bundled font; the Qt modules we ship load.

Runs on the GUI thread (fonts and QPdfDocument belong there); the core half (app.selftest) may run
in a worker first. A tofu box is also "non-blank", so a glyph only counts as rendered when two
different characters give two different images.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QRawFont

from app import selftest
from app.paths import font_path

GLYPHS = ("党", "建")


def ensure_gui_app() -> QGuiApplication:
    """The running application, or a new one — offscreen when there is no display (a console or SSH)."""
    app = QGuiApplication.instance()
    if app is not None:
        return app  # type: ignore[return-value]
    headless = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # The app's own set-up (fonts, translations, style), so the report shows what users get.
    from ui.application import create_application

    return create_application([])


def bundled_family() -> str | None:
    """Register the bundled font with Qt (idempotent) and return its family name."""
    path = str(font_path())
    for family in QFontDatabase.applicationFontFamilies(_font_id(path)):
        return family
    return None


_font_ids: dict[str, int] = {}


def _font_id(path: str) -> int:
    if path not in _font_ids:
        _font_ids[path] = QFontDatabase.addApplicationFont(path)
    return _font_ids[path]


def render_glyph(char: str, font: QFont, size: int = 48) -> QImage:
    image = QImage(size, size, QImage.Format.Format_Grayscale8)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        font = QFont(font)
        font.setPixelSize(int(size * 0.75))
        painter.setFont(font)
        painter.setPen(Qt.GlobalColor.black)
        painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, char)
    finally:
        painter.end()
    return image


def ink(image: QImage) -> int:
    """Number of dark pixels."""
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            if image.pixelColor(QPoint(x, y)).lightness() < 128:
                count += 1
    return count


def glyphs_render(font: QFont) -> tuple[bool, str]:
    images = [render_glyph(c, font) for c in GLYPHS]
    inks = [ink(img) for img in images]
    if min(inks) == 0:
        return False, "渲染结果为空白"
    if images[0] == images[1]:
        return False, "显示为方框（缺少汉字字形）"
    return True, f"“{'”“'.join(GLYPHS)}”渲染正常"


def check_fonts(report: selftest.SelfTestReport) -> None:
    family = bundled_family()
    if not family:
        report.add(False, f"界面字体：无法载入随软件附带的字体 {font_path()}")
        return
    raw = QRawFont(str(font_path()), 24)
    supported = raw.isValid() and all(raw.supportsCharacter(c) for c in GLYPHS)
    report.add(supported, f"界面字体：{family} 含常用汉字字形" if supported else f"界面字体：{family} 缺少汉字字形")
    ok, message = glyphs_render(QFont(family))
    report.add(ok, f"界面字体：{family} {message}")
    app_font = QGuiApplication.font()
    ok, message = glyphs_render(app_font)
    report.add(ok, f"界面默认字体：{app_font.family()} {message}")


def check_qt_modules(report: selftest.SelfTestReport, workdir: Path | None) -> None:
    """The Qt modules the app uses are in the installation (packaging excludes the others)."""
    from PySide6 import QtCharts, QtPrintSupport  # noqa: F401  (import is the check)
    from PySide6.QtPdf import QPdfDocument

    report.add(True, "Qt 图表与打印组件可用")
    pdfs = sorted(workdir.glob("自检-*.pdf")) if workdir else []
    if not pdfs:
        report.add(True, "Qt 打印预览组件已载入（无测试页可预览）")
        return
    doc = QPdfDocument()
    error = doc.load(str(pdfs[-1]))
    ok = error == QPdfDocument.Error.None_ and doc.pageCount() == 1
    report.add(ok, "Qt 打印预览组件可打开测试页" if ok else f"Qt 打印预览组件无法打开测试页（{error}）")
    doc.close()


def run_qt(workdir: Path | None = None) -> selftest.SelfTestReport:
    """Qt checks only; needs a Q(Gui)Application and the GUI thread."""
    report = selftest.SelfTestReport()
    report.add(True, f"Qt {_qt_version()}，显示平台：{QGuiApplication.platformName()}")
    selftest._guarded(report, "界面字体", lambda: check_fonts(report))
    selftest._guarded(report, "Qt 组件", lambda: check_qt_modules(report, workdir))
    return report


def _qt_version() -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    return f"{qVersion()}（PySide6 {pyside_version}）"


def run_all(db_path: Path | None = None, workdir: Path | None = None) -> selftest.SelfTestReport:
    """Core + Qt checks in one go (the ``--self-test`` command line)."""
    ensure_gui_app()
    report = selftest.run(db_path, workdir)
    report.extend(run_qt(report.workdir))
    return report


def main(argv: list[str]) -> int:
    """``dangjian-ledger --self-test [--db PATH]``: print the report; exit 0 when every check passed."""
    import argparse

    from app.paths import db_argument, default_db_path, is_server

    parser = argparse.ArgumentParser(prog="dangjian-ledger --self-test", description="自检")
    parser.add_argument("--db", type=db_argument, help="要检查的数据库文件（只读；默认：用户数据文件夹中的 ledger.sqlite）")
    parser.add_argument("--dir", type=Path, help="测试文件写到哪个文件夹（默认：新建临时文件夹）")
    parser.add_argument("--pause", action="store_true", help="结束前等待按回车（开始菜单的“自检”快捷方式用）")
    args, _unknown = parser.parse_known_args(argv)
    if is_server(args.db or default_db_path()):
        print("自检只检查本机的数据库文件；服务器数据库请用 check 和 verify-audit 命令检查")
        return 2
    report = run_all(args.db or default_db_path(), args.dir)
    text = report.render()
    if report.workdir is not None:
        # A copy beside the test files: a windowed Windows build has no console to print to.
        (report.workdir / "自检报告.txt").write_text(text + "\n", encoding="utf-8")
    if sys.stdout is not None:
        try:
            print(text, flush=True)
        except UnicodeEncodeError:  # a console code page without these characters
            sys.stdout.buffer.write((text + "\n").encode(sys.stdout.encoding or "utf-8", errors="replace"))
        if args.pause and sys.stdin is not None:
            with contextlib.suppress(EOFError):
                input("\n按回车键关闭本窗口……")
    return 0 if report.ok else 1
