"""No page needs more height than a 1366×768 screen at 125 % scaling leaves for it (768 / 1.25 = 614
pixels, less the menu and status bars): forms that could grow scroll instead."""

from __future__ import annotations

from ui.main_window import MainWindow, available_pages

ROOM = 614 - 60  # menu bar and status bar


def test_every_page_fits_a_768_pixel_screen_at_125_percent(qtbot, demo_ctx):
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    too_tall = {}
    for name, _title in available_pages():
        page = window.select_page(name)
        qtbot.waitUntil(lambda p=page: getattr(p, "loaded", True), timeout=30000)
        need = page.minimumSizeHint().height()
        if need > ROOM:
            too_tall[name] = need
    demo_ctx.tasks.wait(30000)
    assert not too_tall, too_tall


def test_the_scheme_problems_never_push_the_page_off_the_screen(qtbot, demo_ctx):
    from ui.pages.scheme import Page

    page = Page(demo_ctx)
    qtbot.addWidget(page)
    page.problems.setText("\n".join(f"· 第 {i} 个问题" for i in range(40)))
    page._show_problems(True)
    assert page.minimumSizeHint().height() <= ROOM
