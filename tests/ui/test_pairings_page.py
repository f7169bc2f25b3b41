"""结对共建 page: it shows the service's board; a suggestion is accepted as it stands or through the dialog;
the dialog refuses a pairing that breaks a rule, names the rule, stays open and writes nothing."""

from __future__ import annotations

import pytest

from app.services.pairing import pairings, review
from app.services.pairing.board import year_board
from app.services.register import orgs
from ui.dialogs.pairing import PairingDialog
from ui.pages import PAGES
from ui.pages.pairings import Page


@pytest.fixture
def page(qtbot, demo_ctx):
    p = Page(demo_ctx)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    p.year.setValue(2026)
    p.refresh()
    qtbot.waitUntil(lambda: p.loaded, timeout=20000)
    return p


def test_listed_after_grades():
    names = [n for n, _t in PAGES]
    assert names.index("pairings") == names.index("grades") + 1


def test_page_shows_the_board(page):
    board = year_board(page.ctx.ledger, 2026)
    assert page.model.rowCount() == len(board.pairs) > 0
    assert [page.model.row(r).info.id for r in range(page.model.rowCount())] == [p.info.id for p in board.pairs]
    assert page.suggest_model.rowCount() == len(board.suggestions) > 0
    assert f"结对 <b>{len(board.pairs)}</b> 对" in page.counts.text() and "均符合结对规则" in page.counts.text()
    assert page.model.index(0, 7).data() == "符合"


def test_accepting_a_suggestion_pairs_them(page, qtbot):
    before = page.suggest_model.rowCount()
    first = page.suggest_model.row(0)
    page.suggest_view.selectRow(0)
    page.accept_button.click()
    qtbot.waitUntil(lambda: page.loaded and page.suggest_model.rowCount() == before - 1, timeout=20000)
    assert any((p.strong_code, p.weak_code) == (first.leader, first.helped)
               for p in pairings.listing(page.ctx.ledger, 2026))
    assert review.check_year(page.ctx.ledger, 2026) == []


def test_the_dialog_names_the_broken_rule_and_writes_nothing(page, qtbot):
    lg = page.ctx.ledger
    sg = page.suggest_model.row(0)
    before = pairings.listing(lg, 2026)
    dialog = PairingDialog(lg, orgs.list_orgs(lg, 2026), 2026, page, leader=sg.helped, helped=sg.helped)
    qtbot.addWidget(dialog)
    assert dialog.try_save() is False
    assert "不符合结对规则“不能与自己结对”" in dialog.message.text()
    other = page.suggest_model.row(1)
    dialog.helped.set_code(other.helped)  # a C-class branch cannot lead
    assert dialog.try_save() is False and "牵头方分类" in dialog.message.text()
    dialog.leader.set_code(sg.leader)
    assert pairings.listing(lg, 2026) == before
    dialog.helped.set_code(sg.helped)
    assert dialog.try_save() is True
    assert len(pairings.listing(lg, 2026)) == len(before) + 1


def test_a_class_change_shows_as_broken(page, qtbot):
    row = page.model.row(0)
    orgs.set_class(page.ctx.ledger, row.info.strong_code, 2026, "B")
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    shown = next(page.model.row(r) for r in range(page.model.rowCount()) if page.model.row(r).info.id == row.info.id)
    assert not shown.ok and "牵头方分类" in page.model.index(
        next(r for r in range(page.model.rowCount()) if page.model.row(r).info.id == row.info.id), 7).data()
    assert "不符合规则 <b>1</b> 对" in page.counts.text()
