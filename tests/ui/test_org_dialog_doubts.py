"""The add-organisation dialog: the parent defaults to the node chosen in the tree or to the unit; a
second top-level unit and a name already used under the same parent are asked about before saving."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from app.services.register import orgs
from ui.dialogs.org import OrgDialog


def _dialog(qtbot, ledger, **kw) -> OrgDialog:
    d = OrgDialog(ledger, orgs.list_orgs(ledger), None, **kw)
    qtbot.addWidget(d)
    return d


@pytest.fixture
def answers(monkeypatch):
    asked: list[str] = []
    reply = {"value": QMessageBox.StandardButton.No}
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a, **k: asked.append(text) or reply["value"])
    return asked, reply


def test_parent_defaults_to_the_tree_node_or_the_unit(qtbot, ledger):
    assert _dialog(qtbot, ledger).parent_picker.code() == "00"
    assert _dialog(qtbot, ledger, default_parent="P1").parent_picker.code() == "P1"


def test_a_second_top_level_unit_is_asked_about(qtbot, ledger, answers):
    asked, reply = answers
    d = _dialog(qtbot, ledger)
    d.code.setText("X1")
    d.name.setText("另一个党工委")
    d.parent_picker.setCurrentIndex(0)  # （无上级，即本单位）
    assert d.parent_picker.code() is None
    assert not d.try_save()
    assert "并列的另一个最上级单位" in asked[-1] and "测试经开区党工委" in asked[-1]
    assert "X1" not in {o.code for o in orgs.list_orgs(ledger)}
    reply["value"] = QMessageBox.StandardButton.Yes
    assert d.try_save()
    assert orgs.get_org(ledger, "X1").parent_code is None


def test_a_duplicate_name_under_the_same_parent_is_asked_about(qtbot, ledger, answers):
    asked, _reply = answers
    d = _dialog(qtbot, ledger, default_parent="P1")
    d.code.setText("B2")
    d.name.setText("财政局党支部")
    d.sector.setCurrentText("机关事业单位")
    assert not d.try_save()
    assert "同名的组织“财政局党支部”（编码 B1）" in asked[-1]
    d.name.setText("教育局党支部")
    assert d.try_save()  # no doubt, no question
    assert len(asked) == 1


def test_every_problem_shows_beneath_its_field_at_once(qtbot, ledger):
    """Issue 21.2: a bad code, an empty name and a future founding date are named in one save."""
    d = _dialog(qtbot, ledger, default_parent="P1")
    d.code.setText("含 空格")
    d.name.setText("")
    d.established.setText("2099-01-01")
    assert not d.try_save()
    shown = {k for k, e in d.field_errors.items() if e.isVisibleTo(d)}
    assert shown == {"code", "name", "established_on"}
    assert "组织名称" in d.field_errors["name"].text() and "晚于今天" in d.field_errors["established_on"].text()
    assert d.message.text().startswith("有 3 处需要修改")
    assert not any(o.code == "含 空格" for o in orgs.list_orgs(ledger))
    d.name.setText("新支部")
    d.code.setText("N1")
    assert not d.try_save()
    assert {k for k, e in d.field_errors.items() if e.isVisibleTo(d)} == {"established_on"}
