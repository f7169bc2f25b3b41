"""Periods and existence: when a quarter or year is over, and whether an organisation existed for all of it.

An organisation exists on day d when ``established_on <= d`` and, if it was closed, ``d < closed_on``
(the 撤销/停用 date is its first day of no longer existing). A quarter or year that has not ended is
provisional: shown apart, never issued or confirmed.
"""

from __future__ import annotations

from datetime import date, timedelta

from .enums import quarter_months


def quarter_start(year: int, quarter: int) -> date:
    return date(year, quarter_months(quarter)[0], 1)


def quarter_end(year: int, quarter: int) -> date:
    """The last day of the quarter."""
    last = quarter_months(quarter)[2]
    return (date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)) - timedelta(days=1)


def quarter_ended(year: int, quarter: int, today: date) -> bool:
    """True once the quarter's last day has passed (on that last day it is still running)."""
    return today > quarter_end(year, quarter)


def year_ended(year: int, today: date) -> bool:
    return today > date(year, 12, 31)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and the last day of a month."""
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, 1), nxt - timedelta(days=1)


def existed_in_month(established_on: date | None, closed_on: date | None, year: int, month: int) -> bool:
    """Did the organisation exist on at least one day of the month? (Points may be entered for it.)"""
    first, last = month_bounds(year, month)
    return (established_on is None or established_on <= last) and (closed_on is None or closed_on > first)


def existed_on(established_on: date | None, closed_on: date | None, day: date) -> bool:
    """Did the organisation exist on this day?"""
    return (established_on is None or established_on <= day) and (closed_on is None or day < closed_on)


def existed_throughout(established_on: date | None, closed_on: date | None, first: date, last: date) -> bool:
    """Did the organisation exist on every day from ``first`` to ``last``? No founding date counts as 'always'."""
    if established_on is not None and established_on > first:
        return False
    return closed_on is None or closed_on > last


def existed_whole_quarter(established_on: date | None, closed_on: date | None, year: int, quarter: int) -> bool:
    return existed_throughout(established_on, closed_on, quarter_start(year, quarter), quarter_end(year, quarter))


def existed_whole_year(established_on: date | None, closed_on: date | None, year: int) -> bool:
    return existed_throughout(established_on, closed_on, date(year, 1, 1), date(year, 12, 31))
