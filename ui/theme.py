"""Fonts and the look of the application.

The bundled WenQuanYi Micro Hei is always loaded so Chinese renders on a PC without a CJK font;
on Windows the system 微软雅黑 (or 宋体) is preferred when present because office users know it.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.paths import fallback_font_paths, font_path, resources_dir

log = logging.getLogger(__name__)

WINDOWS_FAMILIES = ("Microsoft YaHei", "微软雅黑", "Microsoft YaHei UI", "SimSun", "宋体")
BASE_POINT_SIZE = 10

# Colours used by several pages (warning levels come from WarningLevel.color).
ACCENT = "#b3261e"  # Party red, used sparingly: selected navigation entry, headings
MUTED = "#666666"
CATEGORY_COLORS = {"A": "#2e7d32", "B": "#1565c0", "C": "#ef6c00"}

_loaded_family: str | None = None


def load_bundled_font() -> str | None:
    """Register the bundled CJK font once; returns its family name (None if it cannot load)."""
    global _loaded_family
    if _loaded_family is None:
        font_id = QFontDatabase.addApplicationFont(str(font_path()))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            log.warning("无法载入内置字体 %s", font_path())
            return None
        _loaded_family = families[0]
        # Rare name characters (CJK Ext-A/Ext-B) the main font lacks: Qt falls back to these.
        for path in fallback_font_paths():
            if QFontDatabase.addApplicationFont(str(path)) < 0:
                log.warning("无法载入内置字体 %s", path)
    return _loaded_family


def ui_font_family() -> str | None:
    bundled = load_bundled_font()
    if sys.platform.startswith("win"):
        available = set(QFontDatabase.families())
        for family in WINDOWS_FAMILIES:
            if family in available:
                return family
    return bundled


def install_translations(app: QApplication) -> None:
    """Qt's own Chinese strings (是/否/取消 on standard buttons, file dialogs, context menus)."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            return
    log.warning("未找到 Qt 中文翻译文件（%s）", folder)


def apply_theme(app: QApplication) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    install_translations(app)
    family = ui_font_family()
    font = QFont(family) if family else app.font()
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyle("Fusion")  # identical look on Windows 7–11 and Linux; native styles vary a lot
    qss = resources_dir() / "styles" / "app.qss"
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
