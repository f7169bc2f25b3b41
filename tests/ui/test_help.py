"""Help inside the app: F1 opens the manual at the current screen's section, the manual is searchable
and offline, chapters link to each other, Ctrl+1…9 move between pages, the shortcut list is there."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtTest import QTest

from ui.actions import help as help_actions
from ui.help import chapters
from ui.help.manual import ManualWindow
from ui.help.shortcuts import ShortcutsDialog
from ui.main_window import MainWindow, available_pages


def _show_active(qtbot, window) -> None:
    """Shortcuts reach only the active window."""
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    window.nav.setFocus()


def test_every_screen_topic_names_a_heading_of_its_chapter():
    files = {f for f, _t in chapters.CHAPTERS}
    for page, (file, heading) in chapters.TOPICS.items():
        assert file in files, page
        assert heading is None or heading in chapters.headings(file), (page, heading)
    for file, _title in chapters.CHAPTERS:
        assert chapters.chapter_path(file).is_file(), file


def test_f1_opens_the_section_of_the_current_screen(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.install_actions(background=False)
    _show_active(qtbot, window)
    window.select_page("monthly")
    QTest.keyClick(window.nav, Qt.Key.Key_F1)
    manual = window._manual
    qtbot.addWidget(manual)
    assert manual.isVisible() and manual.current == "data-entry.md"
    assert manual.shown_heading() == "月度积分"
    window.select_page("orgs")
    assert help_actions.open_manual(window) is manual  # one window, moved to the new topic
    assert (manual.current, manual.shown_heading()) == ("desktop.md", "组织台账")
    ctx.tasks.wait(10000)


def test_search_lists_every_place_and_opens_one(qtbot):
    manual = ManualWindow()
    qtbot.addWidget(manual)
    manual.search.setText("撤销")
    hits = chapters.search("撤销")
    assert len(hits) >= 3 and manual.toc.count() == len(hits)
    assert f"找到 {len(hits)} 处" == manual.count.text()
    manual.toc.setCurrentRow(0)
    assert manual.current == hits[0].file
    assert "撤销" in manual.text.textCursor().selectedText()
    manual.search.setText("一个不存在的词语组合")
    assert manual.toc.count() == 0 and "没有找到" in manual.count.text()
    manual.search.clear()
    assert manual.toc.count() > len(chapters.CHAPTERS)  # the contents again, with their sections


def test_links_between_chapters_open_inside_the_manual(qtbot):
    manual = ManualWindow()
    qtbot.addWidget(manual)
    manual.open("compliance.md")
    manual.text.anchorClicked.emit(QUrl("rules.md"))
    assert manual.current == "rules.md"


def test_a_page_may_name_its_own_topic():
    class Page:
        help_topic = ("safety.md", "月份锁定")

    assert chapters.topic_for("unknown", Page()) == ("safety.md", "月份锁定")
    assert chapters.topic_for("unknown", None) == (chapters.CHAPTERS[0][0], None)


def test_ctrl_number_moves_between_pages(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    _show_active(qtbot, window)
    names = [n for n, _t in available_pages()]
    QTest.keyClick(window.nav, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_name() == names[2]
    QTest.keyClick(window.nav, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_name() == names[0]
    ctx.tasks.wait(10000)


def test_the_shortcut_list_names_the_grid_keys(qtbot):
    d = ShortcutsDialog()
    qtbot.addWidget(d)
    keys = [d.table.item(r, 1).text() for r in range(d.table.rowCount())]
    assert "F1" in keys and "Ctrl+V" in keys and "Ctrl+D" in keys


def test_every_page_has_its_section_in_the_manual():
    from ui.pages import PAGES

    assert {name for name, _t in PAGES} <= set(chapters.TOPICS)
