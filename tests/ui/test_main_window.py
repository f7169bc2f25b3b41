"""The main window: every page reachable, the last page remembered, menus on demand."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from ui.main_window import MainWindow, available_pages
from ui.pages import PAGES


def test_window_shows_pages_and_remembers_last_page(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.restore()
    names = [n for n, _t in available_pages()]
    assert names[:2] == ["dashboard", "orgs"] and names[-1] == "settings"
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [t for n, t in PAGES if n in names]
    for name in names:
        page = window.select_page(name)
        assert page is window.current_page()
        assert window.stack.currentWidget() is page
        assert page.title == dict(PAGES)[name]
    window.select_page("orgs")
    window.close()
    assert QSettings().value("window/page") == "orgs"

    again = MainWindow(ctx)
    qtbot.addWidget(again)
    again.restore()
    qtbot.waitUntil(lambda: again.current_name() == "orgs")
    ctx.tasks.wait(10000)


def test_title_names_unit_and_file_and_follows_settings(qtbot, ctx):
    from app.services.kernel import settings

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.windowTitle() == "党建积分台账 — 测试经开区党工委 — ledger.sqlite"
    settings.set_value(ctx.ledger, "unit_name", "新名称党工委")
    ctx.notify_changed("settings")
    assert "新名称党工委" in window.windowTitle()


def test_menu_is_created_once_in_a_stable_order(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    safety = window.menu("安全")
    printing = window.menu("打印")
    assert window.menu("打印") is printing
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("文件") < titles.index("打印") < titles.index("安全")
    assert safety.title() == "安全"


def test_other_areas_menus_are_installed_in_the_background(qtbot, ctx):
    import pkgutil

    import ui.actions

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    before = len(window.menuBar().actions())
    window.install_actions()
    modules = list(pkgutil.iter_modules(ui.actions.__path__))
    if modules:
        qtbot.waitUntil(lambda: len(window.menuBar().actions()) > before, timeout=20000)
        ctx.tasks.wait(20000)
        assert all(m.actions() for m in window._menus.values() if m.title() != "安全")


def test_settings_threshold_button_jumps_to_scheme(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.select_page("settings")
    page.open_scheme()
    if "scheme" in window.page_names():
        assert window.current_name() == "scheme"
    else:
        assert "暂不可用" in page.message.text()


def test_column_widths_are_remembered_per_user(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.select_page("orgs")
    page.table.setColumnWidth(1, 333)
    window.save()
    ctx.tasks.wait(10000)
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    assert again.select_page("orgs").table.columnWidth(1) == 333
    ctx.tasks.wait(10000)
