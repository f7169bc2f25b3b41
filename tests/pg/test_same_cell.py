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


@pytest.mark.parametrize("server", [False, pytest.param(True, marks=pytest.mark.server)], ids=["sqlite", "postgresql"])
def test_a_paste_keeps_a_cell_another_clerk_saved_meanwhile(qtbot, ledger, request, server):
    """A paste over several cells writes the unchanged ones and refuses only the cell another client
    saved since the grid was read (named who); pasting again overwrites it."""
    from app.services.opening.setup import open_ledger
    from app.services.scoring import scores
    from ui.models.monthly_grid import MonthGridModel

    mine = request.getfixturevalue("pg_ledger") if server else ledger
    other = open_ledger(mine.db.url if server else mine.path, user="乙镇录入员")
    other.today = mine.today
    model = MonthGridModel(mine)
    model.load(2026, 6)
    row = model.row_of["B1"]
    kf01, kf02 = model.column_of("KF01"), model.column_of("KF02")
    scores.write_scores(other, 2026, [scores.ScoreEntry("B1", "KF01", 6, count=2)])  # saved after our read
    done, refused = model.write_block([(model.index(row, kf01), "1"), (model.index(row, kf02), "1")])
    assert done == 1 and len(refused) == 1 and "乙镇录入员" in refused[0] and "没有保存" in refused[0]
    assert scores.cell(mine, "B1", 2026, 6, "KF01").manual_count == 2  # theirs kept
    assert scores.cell(mine, "B1", 2026, 6, "KF02").manual_points == Decimal("1.0")
    done, refused = model.write_block([(model.index(row, kf01), "1")])  # the grid now shows 2: overwrite
    assert (done, refused) == (1, [])
    assert scores.cell(mine, "B1", 2026, 6, "KF01").manual_points == Decimal("1.0")
    other.close()
