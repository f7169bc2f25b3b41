"""Period edges: the last day of a quarter is still inside it; founding and closing bound what counts."""

from datetime import date

import pytest

from app.domain.periods import existed_whole_quarter, existed_whole_year, quarter_end, quarter_ended, year_ended


@pytest.mark.parametrize("q,end", [(1, date(2024, 3, 31)), (2, date(2024, 6, 30)), (3, date(2024, 9, 30)),
                                   (4, date(2024, 12, 31))])
def test_quarter_end(q, end):
    assert quarter_end(2024, q) == end


def test_a_quarter_ends_after_its_last_day():
    assert not quarter_ended(2026, 4, date(2026, 12, 31))
    assert quarter_ended(2026, 4, date(2027, 1, 1))
    assert not quarter_ended(2026, 1, date(2026, 3, 31)) and quarter_ended(2026, 1, date(2026, 4, 1))
    assert not year_ended(2026, date(2026, 12, 2)) and year_ended(2026, date(2027, 1, 1))


@pytest.mark.parametrize("founded,first_full", [
    (date(2025, 5, 10), 3), (date(2025, 4, 1), 2), (date(2025, 4, 2), 3), (date(2025, 1, 1), 1),
    (date(2024, 12, 31), 1), (date(2025, 12, 31), 5),
])
def test_founding_date_decides_the_first_full_quarter(founded, first_full):
    full = [q for q in range(1, 5) if existed_whole_quarter(founded, None, 2025, q)]
    assert full == list(range(first_full, 5))


def test_closing_date_ends_the_quarters_that_count():
    # closed on 1 July: Q2 (to 30 June) was lived in full, Q3 was not
    assert existed_whole_quarter(None, date(2025, 7, 1), 2025, 2)
    assert not existed_whole_quarter(None, date(2025, 7, 1), 2025, 3)
    assert not existed_whole_quarter(None, date(2025, 6, 30), 2025, 2)


def test_a_year_counts_only_when_lived_in_full():
    assert existed_whole_year(date(2025, 1, 1), None, 2025)
    assert not existed_whole_year(date(2025, 1, 2), None, 2025)
    assert not existed_whole_year(None, date(2025, 12, 31), 2025)
    assert existed_whole_year(None, date(2026, 1, 1), 2025)
    assert existed_whole_year(None, None, 2025)
