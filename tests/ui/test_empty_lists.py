"""An empty list says why and what to do; a list emptied by a filter says so."""

from __future__ import annotations

from ui.context import UiContext
from ui.models.base import Column, FilterProxy, RowTableModel
from ui.widgets.empty_hint import FILTERED
from ui.widgets.tables import list_view


def test_an_empty_list_says_its_own_reason_and_a_filtered_one_says_filter(qapp):
    model = RowTableModel([Column("名称", lambda r: r)])
    proxy = FilterProxy(text_columns=(0,))
    proxy.setSourceModel(model)
    view = list_view(proxy, empty="还没有党员：点“新增党员”。")
    assert view.shown_empty_text() == "还没有党员：点“新增党员”。"
    model.set_rows(["张三", "李四"])
    assert view.shown_empty_text() == ""
    proxy.set_text("王五")
    assert view.shown_empty_text() == FILTERED
    view.resize(400, 200)
    assert not view.grab().isNull()  # paints without error


def test_a_new_ledger_s_register_explains_how_to_start(qtbot, tmp_path):
    from app.services.opening.setup import open_ledger
    from ui.pages.org_details import OrgDetails

    lg = open_ledger(tmp_path / "空.sqlite")
    try:
        details = OrgDetails(UiContext(lg), list)
        qtbot.addWidget(details)
        assert "新增党员" in details.roster_view.shown_empty_text()
    finally:
        lg.close()
