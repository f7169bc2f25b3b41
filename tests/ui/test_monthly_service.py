"""The month grid's figures (app.services.grid) agree with the services they summarise."""

from __future__ import annotations

from app.domain.enums import quarter_months
from app.services.assessment import warnings
from app.services.scoring import scores
from app.services.scoring.grid import month_grid


def test_quarter_end_levels_equal_the_quarter_warnings(demo_ledger):
    # At the last month of a quarter, quarter-to-date is the quarter: the colours must match 预警通报.
    for quarter in (2, 3):
        grid = month_grid(demo_ledger, 2026, quarter_months(quarter)[2])
        expected = {w.org_code: w for w in warnings.quarter_warnings(demo_ledger, 2026, quarter)}
        assert set(grid.totals) == set(expected)
        for code, t in grid.totals.items():
            assert t.quarter_to_date == expected[code].quarter_score, code
            assert t.level == expected[code].level, code


def test_cells_and_month_totals_equal_the_score_cells(demo_ledger):
    grid = month_grid(demo_ledger, 2026, 5)
    cells = scores.cells(demo_ledger, 2026, month=5)
    active = {o.code for o in grid.orgs}
    for c in cells:
        if c.org_code in active:
            g = grid.cells[(c.org_code, c.item_code)]
            assert (g.manual_points, g.record_count, g.effective) == (c.manual_points, c.record_count, c.effective)
    totals = scores.month_totals(demo_ledger, 2026, 5)
    for code, t in grid.totals.items():
        assert t.month == totals[code].month and t.quarter_to_date == totals[code].quarter_to_date


def test_reused_prior_quarters_give_the_same_grid(demo_ledger):
    fresh = month_grid(demo_ledger, 2026, 8)
    again = month_grid(demo_ledger, 2026, 8, prior_below=month_grid(demo_ledger, 2026, 7).prior_below)
    assert again.totals == fresh.totals
    one = month_grid(demo_ledger, 2026, 8, ["QS0101"], prior_below=fresh.prior_below)
    assert one.totals == {"QS0101": fresh.totals["QS0101"]}
    assert {k: v for k, v in fresh.cells.items() if k[0] == "QS0101"} == one.cells
