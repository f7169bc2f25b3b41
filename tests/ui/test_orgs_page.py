"""组织台账: refusing a nameless organisation, search narrowing the table, filters, details."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from app.domain.enums import Category, WarningLevel
from app.services.assessment import warnings
from app.services.register import members, orgs
from ui.dialogs.org import OrgDialog
from ui.dialogs.people import MemberDialog


def _page(qtbot, ctx):
    from ui.pages.orgs import Page

    page = Page(ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded_rows > 0 and page.levels_loaded, timeout=10000)
    return page


def test_missing_name_is_refused_in_the_dialog_and_nothing_written(qtbot, ctx):
    before = len(orgs.list_orgs(ctx.ledger))
    dialog = OrgDialog(ctx.ledger, orgs.list_orgs(ctx.ledger), None)
    qtbot.addWidget(dialog)
    dialog.code.setText("B9")
    dialog.name.setText("   ")
    dialog.parent_picker.set_code("P1")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.message.isVisibleTo(dialog)
    assert "组织名称" in dialog.message.text() and "不能为空" in dialog.message.text()
    assert dialog.result() == 0  # still open
    assert len(orgs.list_orgs(ctx.ledger)) == before

    dialog.name.setText("审计局党支部")
    dialog.category.setCurrentIndex(1)  # A
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    added = orgs.get_org(ctx.ledger, "B9")
    assert added.name == "审计局党支部" and added.parent_code == "P1" and added.category == Category.A


def test_search_filter_narrows_the_table(qtbot, demo_ctx):
    page = _page(qtbot, demo_ctx)
    total = page.model.rowCount()
    assert total == len([o for o in orgs.list_orgs(demo_ctx.ledger) if o.active])
    qtbot.keyClicks(page.search, "qs02")  # typed, case-insensitive code search
    shown = [page.model.row(i) for i in range(page.model.rowCount())]
    assert 0 < len(shown) < total
    assert all(r.code.startswith("QS02") or r.info.parent_code == "QS02" for r in shown)
    page.search.setText("社区")  # QTest cannot type Chinese; an input method sets the text like this
    shown = [page.model.row(i) for i in range(page.model.rowCount())]
    assert 0 < len(shown) < total
    assert all("社区" in (r.info.name + (r.info.parent_name or "")) for r in shown)
    page.search.clear()
    assert page.model.rowCount() == total


def test_sector_class_and_tree_filters(qtbot, demo_ctx):
    page = _page(qtbot, demo_ctx)
    page.sector.setCurrentText("非公企业")
    rows = [page.model.row(i) for i in range(page.model.rowCount())]
    assert rows and all(r.info.sector == "非公企业" for r in rows)
    page.sector.setCurrentIndex(0)
    page.category.setCurrentIndex(page.category.findData(Category.A))
    rows = [page.model.row(i) for i in range(page.model.rowCount())]
    assert rows and all(r.info.category == Category.A for r in rows)
    page.category.setCurrentIndex(0)
    page.level.setCurrentIndex(page.level.findData(WarningLevel.RED))
    rows = [page.model.row(i) for i in range(page.model.rowCount())]
    red = {w.org_code for w in warnings.quarter_warnings(demo_ctx.ledger, 2026, 3) if w.level == WarningLevel.RED}
    assert rows and {r.code for r in rows} == red
    page.level.setCurrentIndex(0)
    # Choosing a 党委 in the tree keeps it and its branches only.
    top = page.tree.topLevelItem(0)
    party = top.child(0).child(0)
    code = party.data(0, 256)
    page.tree.setCurrentItem(party)
    rows = [page.model.row(i) for i in range(page.model.rowCount())]
    assert rows and all(r.code == code or code in r.ancestors for r in rows)


def test_details_show_roster_and_adding_a_member_updates_it(qtbot, ctx):
    page = _page(qtbot, ctx)
    assert page.select_code("B1")
    qtbot.waitUntil(lambda: page.details.org is not None and page.details.org.code == "B1")
    assert page.details.roster_model.rowCount() == 0
    dialog = MemberDialog(ctx.ledger, "B1", None, page)
    qtbot.addWidget(dialog)
    dialog.name.setText("张三")
    dialog.joined.setText("2010-07-01")
    assert dialog.try_save()
    ctx.notify_changed("orgs")
    page.refresh()
    qtbot.waitUntil(lambda: page.details.roster_model.rowCount() == 1, timeout=10000)
    assert members.roster(ctx.ledger, "B1")[0].name == "张三"
