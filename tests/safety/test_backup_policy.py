from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.domain.backup_policy import backups_to_delete, backups_to_keep


def test_empty_and_single():
    assert backups_to_keep([]) == set()
    one = datetime(2026, 11, 21, 9)
    assert backups_to_keep([one]) == {one}


def test_several_a_day_keeps_the_newest_of_each_day():
    day = datetime(2026, 11, 21)
    stamps = [day + timedelta(hours=h) for h in (8, 12, 17)] + [day - timedelta(days=1) + timedelta(hours=9)]
    assert backups_to_keep(stamps) == {day + timedelta(hours=17), day - timedelta(days=1) + timedelta(hours=9)}


def test_two_years_of_daily_backups_thin_to_daily_weekly_monthly():
    now = datetime(2026, 11, 21, 18)
    stamps = [now - timedelta(days=d) for d in range(730)]
    keep = backups_to_keep(stamps)
    days = sorted((now - s).days for s in keep)
    assert days[:7] == [0, 1, 2, 3, 4, 5, 6]  # the last seven days
    # 2026-11-21 is a Saturday: weeks are kept by their newest day (Sunday of earlier ISO weeks)
    assert {13, 20} <= set(days)
    months = {(s.year, s.month) for s in keep}
    assert len(months) == 12 and (2025, 12) in months and (2025, 11) not in months
    assert len(keep) <= 7 + 4 + 12
    assert backups_to_delete(stamps) == set(stamps) - keep


@given(st.lists(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)), max_size=80))
def test_invariants(stamps):
    keep = backups_to_keep(stamps)
    assert keep <= set(stamps)
    if stamps:
        assert max(stamps) in keep
    assert len(keep) <= 1 + 7 + 4 + 12
    # every kept backup is the newest of its day, so no day keeps two
    assert len({s.date() for s in keep}) == len(keep)
    for k in keep:
        assert k == max(s for s in stamps if s.date() == k.date())
