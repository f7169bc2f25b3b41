"""Issue 18, what was left: the month list's preview (same checks as issuing, nothing written), month locks and
confirmed years on milestone, log, task done and 销号 dates, and deleting a wrong log entry.
"Today" is 2026-11-21 (tests/conftest.py)."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import ValidationError
from app.services.register import orgs
from app.services.tracking import task_lists, tasks
from db.models_tracking import KeyTask


def _count(ledger, model) -> int:
    with ledger.db.read() as s:
        return s.query(model).count()


def test_the_preview_shows_what_issuing_writes_and_writes_nothing(ledger):
    orgs.add_org(ledger, code="B2", name="教育局党支部", sector="机关事业单位", parent="P1", category="B", year=2026)
    lines = [task_lists.ListLine("第 1 行", "学习贯彻全会精神", "2026-11-15"),
             task_lists.ListLine("第 2 行", "更新党员信息", None, ("B2",), "李四")]
    planned = task_lists.preview(ledger, "2026-11", ["B1", "B2"], lines)
    assert [(p.where, p.owner_code, p.due, p.person) for p in planned] == [
        ("第 1 行", "B1", date(2026, 11, 15), ""), ("第 1 行", "B2", date(2026, 11, 15), ""),
        ("第 2 行", "B2", date(2026, 11, 30), "李四")]
    assert _count(ledger, KeyTask) == 0
    with pytest.raises(ValidationError, match="第 2 行：没有责任单位"):
        task_lists.preview(ledger, "2026-11", [], [task_lists.ListLine("第 2 行", "x", None, (), "")])
    r = task_lists.issue(ledger, "2026-11", ["B1", "B2"], lines)
    written = sorted((t.owner_code, t.title, t.due) for t in tasks.listing(ledger, month="2026-11"))
    assert r.tasks == 3 and written == sorted((p.owner_code, p.title, p.due) for p in planned)
