"""The Qt half of the self-test: the bundled font renders Chinese; tofu is told apart from glyphs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont

from app import selftest
from ui import selftest as qt_selftest


def test_bundled_font_renders_distinct_glyphs(qapp):
    family = qt_selftest.bundled_family()
    assert family == "WenQuanYi Micro Hei"
    images = [qt_selftest.render_glyph(c, QFont(family)) for c in qt_selftest.GLYPHS]
    assert all(qt_selftest.ink(img) > 50 for img in images)
    assert images[0] != images[1]
    assert qt_selftest.glyphs_render(QFont(family))[0]


def test_blank_rendering_is_a_failure(qapp, monkeypatch):
    monkeypatch.setattr(qt_selftest, "ink", lambda _img: 0)
    ok, message = qt_selftest.glyphs_render(QFont())
    assert not ok and message == "渲染结果为空白"


def test_tofu_is_a_failure(qapp, monkeypatch):
    # Every character drawn as the same box: non-blank, but identical.
    box = qt_selftest.render_glyph("口", QFont())
    monkeypatch.setattr(qt_selftest, "render_glyph", lambda _c, _f, size=48: box)
    ok, message = qt_selftest.glyphs_render(QFont())
    assert not ok and "方框" in message


def test_run_qt_opens_the_core_test_pdf(qapp, tmp_path: Path):
    core = selftest.SelfTestReport(workdir=tmp_path)
    selftest.check_pdf(core, tmp_path)
    report = qt_selftest.run_qt(tmp_path)
    assert report.ok, report.render()
    assert any("打印预览组件可打开测试页" in text for _ok, text in report.lines)


def test_run_qt_fails_on_a_broken_pdf(qapp, tmp_path: Path):
    (tmp_path / "自检-坏.pdf").write_bytes(b"%PDF-1.4 broken")
    report = qt_selftest.run_qt(tmp_path)
    assert not report.ok
    assert any(not ok and "无法打开测试页" in text for ok, text in report.lines)
