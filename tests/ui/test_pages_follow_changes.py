"""Every view follows every change: an organisation added (as the 组织台账 dialog does it) appears on
every page that lists organisations, each refreshed from the one change notice."""

from __future__ import annotations

from app.services.register import orgs
from ui.context import ORGS
from ui.main_window import MainWindow


def _listed(window) -> dict[str, bool]:
    monthly = window.page("monthly")
    records = window.page("records")
    compliance = window.page("compliance")
    register = window.page("orgs")
    return {
        "orgs": any(r.info.code == "B9" for r in register.model.rows()),
        "monthly": "B9" in monthly.model.row_of,
        "records": records.org.set_code("B9"),
        "compliance": any(i.code == "B9" for i in compliance.infos),
    }


def test_a_new_organisation_reaches_every_page_at_once(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    for name in ("orgs", "monthly", "records", "compliance"):
        page = window.select_page(name)
        qtbot.waitUntil(lambda p=page: getattr(p, "loaded", True), timeout=20000)
    ctx.tasks.wait(20000)
    orgs.add_org(ctx.ledger, code="B9", name="新建第九党支部", sector="机关事业单位", parent="P1")
    ctx.notify_changed(ORGS)
    for name in ("orgs", "monthly", "records", "compliance"):  # each refreshes when shown, without a switch away
        page = window.select_page(name)
        qtbot.waitUntil(lambda p=page: getattr(p, "loaded", True), timeout=20000)
        ctx.tasks.wait(20000)
    qtbot.waitUntil(lambda: all(_listed(window).values()), timeout=20000)
    ctx.tasks.wait(20000)
