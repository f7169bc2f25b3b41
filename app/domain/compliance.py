"""组织生活 compliance: which meetings a branch must hold in a period, and the status of each period.

A requirement names a kind of work record, a period (月/季/年), a minimum count, whom it applies to
and when it is due. A yearly rule due in the next year (组织生活会 by 3月31日) counts the meetings held
after the previous year's due date up to its own, so the meeting held in January for the year before
counts once, for that year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .periods import existed_throughout, month_bounds

PERIODS = {"month": "月", "quarter": "季", "year": "年"}
APPLIES = {"all": "全部参评支部", "groups": "设党小组的支部", "sectors": "指定领域"}
DONE, MISSING, DUE_SOON, NOT_DUE, EXEMPT = "done", "missing", "due_soon", "not_due", "exempt"
STATUS_LABELS = {DONE: "已完成", MISSING: "缺", DUE_SOON: "即将到期", NOT_DUE: "未到期", EXEMPT: "豁免"}


@dataclass(frozen=True)
class Requirement:
    type_code: str
    type_name: str
    period: str  # month | quarter | year
    minimum: int = 1
    applies: str = "all"  # all | groups | sectors
    sectors: tuple[str, ...] = field(default_factory=tuple)
    due_month: int | None = None  # yearly rules only: due in the next year on this month/day
    due_day: int | None = None

    def applies_to(self, sector: str, has_groups: bool) -> bool:
        if self.applies == "groups":
            return has_groups
        if self.applies == "sectors":
            return sector in self.sectors
        return True

    @property
    def describe(self) -> str:
        due = f"，次年{self.due_month}月{self.due_day}日前" if self.due_month else ""
        who = "、".join(self.sectors) if self.applies == "sectors" else APPLIES[self.applies]
        return f"{self.type_name}：每{PERIODS[self.period]}至少 {self.minimum} 次（{who}{due}）"


@dataclass(frozen=True)
class Window:
    """One period of a requirement: its label, its days, when it is due and which days' records count."""

    label: str  # "2025-03", "2025-Q1" or "2025"
    first: date
    last: date
    due: date
    count_from: date
    count_to: date


def _month_end(year: int, month: int) -> date:
    return month_bounds(year, month)[1]


def _yearly_due(req: Requirement, year: int) -> date:
    return date(year + 1, req.due_month, req.due_day) if req.due_month else date(year, 12, 31)


def windows(req: Requirement, year: int) -> list[Window]:
    if req.period == "month":
        return [Window(f"{year}-{m:02d}", date(year, m, 1), _month_end(year, m), _month_end(year, m),
                       date(year, m, 1), _month_end(year, m)) for m in range(1, 13)]
    if req.period == "quarter":
        return [Window(f"{year}-Q{q}", date(year, 3 * q - 2, 1), _month_end(year, 3 * q), _month_end(year, 3 * q),
                       date(year, 3 * q - 2, 1), _month_end(year, 3 * q)) for q in range(1, 5)]
    due = _yearly_due(req, year)
    start = _yearly_due(req, year - 1) + timedelta(days=1) if req.due_month else date(year, 1, 1)
    return [Window(str(year), date(year, 1, 1), date(year, 12, 31), due, start, due)]


def status(req: Requirement, window: Window, held: int, today: date, *, exempt: bool, soon_days: int) -> str:
    if exempt:
        return EXEMPT
    if held >= req.minimum:
        return DONE
    if today > window.due:
        return MISSING
    if (window.due - today).days <= soon_days and today >= window.first:
        return DUE_SOON
    return NOT_DUE


def counts_for(established_on: date | None, closed_on: date | None, window: Window) -> bool:
    """Only periods the organisation existed for in full are judged (founding, closing)."""
    return existed_throughout(established_on, closed_on, window.first, window.last)


def covered(exemptions: list[tuple[date, date]], window: Window) -> bool:
    """An exemption (first month, last month) covering every month of the period makes it exempt."""
    return any(first <= window.first and _month_end(last.year, last.month) >= window.last
               for first, last in exemptions)
