"""Two clerks on one cell of the 月度积分 grid, each on their own client of the server."""

from __future__ import annotations

from decimal import Decimal

import pytest


@pytest.mark.server
def test_the_grid_refuses_a_save_on_a_stale_cell_then_saving_again_overwrites(qtbot, pg_ledger):
    from app.services.opening.setup import open_ledger
    from app.services.scoring import scores
    from ui.models.monthly_grid import MonthGridModel

    other = open_ledger(pg_ledger.db.url, user="乙镇录入员")
    other.today = pg_ledger.today
    model = MonthGridModel(pg_ledger)
    model.load(2026, 6)
    row = model.row_of["B1"]
    col = model.column_of("KF01")
    scores.write_scores(other, 2026, [scores.ScoreEntry("B1", "KF01", 6, count=2)])  # the other clerk saves first
    error = model.write(model.index(row, col), "1")
    assert error is not None and "乙镇录入员" in error and "没有保存" in error
    assert scores.cell(pg_ledger, "B1", 2026, 6, "KF01").manual_count == 2
    assert model.write(model.index(row, col), "1") is None  # the row now shows 2: saving again overwrites
    now = scores.cell(pg_ledger, "B1", 2026, 6, "KF01")
    assert (now.manual_points, now.manual_count) == (Decimal("1.0"), None)  # typed points replace the count
    other.close()
