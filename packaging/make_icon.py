"""Draw the app icon (red disc, gold ring, gold "积") into resources/icons/: PNGs 16–256 and app.ico.

Each size is drawn separately rather than scaled, so the small sizes stay crisp.
Usage: .venv/bin/python packaging/make_icon.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QPen, QRadialGradient

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
SIZES = (16, 24, 32, 48, 64, 128, 256)
RED, DARK_RED, GOLD = QColor("#d7141a"), QColor("#9e0b0f"), QColor("#ffd24a")


def draw(size: int, family: str) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    s = float(size)
    centre = QPointF(s / 2, s / 2)
    gradient = QRadialGradient(QPointF(s * 0.4, s * 0.35), s * 0.65)
    gradient.setColorAt(0, RED.lighter(115))
    gradient.setColorAt(1, DARK_RED)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(gradient)
    p.drawEllipse(centre, s * 0.48, s * 0.48)
    if size >= 24:  # the ring turns to mush below 24 px
        ring = QPen(GOLD, max(1.0, s * 0.035))
        p.setPen(ring)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(centre, s * 0.40, s * 0.40)
    font = QFont(family)
    font.setPixelSize(round(s * (0.56 if size >= 24 else 0.78)))
    font.setBold(True)
    font.setHintingPreference(QFont.HintingPreference.PreferFullHinting)
    p.setFont(font)
    p.setPen(GOLD)
    p.drawText(QRectF(0, -s * 0.02, s, s), Qt.AlignmentFlag.AlignCenter, "积")
    p.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv[:1])
    families = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(FONT)))
    if not families:
        print(f"cannot load {FONT}", file=sys.stderr)
        return 1
    ICONS.mkdir(parents=True, exist_ok=True)
    paths = []
    for size in SIZES:
        path = ICONS / f"app-{size}.png"
        if not draw(size, families[0]).save(str(path)):
            print(f"cannot write {path}", file=sys.stderr)
            return 1
        paths.append(path)
    from PIL import Image

    images = [Image.open(p) for p in paths]
    # Pillow writes each given size from the matching appended image (largest first as the base).
    images[-1].save(ICONS / "app.ico", format="ICO", sizes=[(s, s) for s in SIZES], append_images=images[:-1])
    print(f"wrote {len(paths)} PNGs and app.ico to {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
