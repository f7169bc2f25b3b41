"""Calibration of a scoring scheme against the routine a branch is required to keep.

A branch that holds exactly the required meetings (支部工作条例 practice, DESIGN.md) must not be
warned in any quarter and must be graded B for the year: 常规工作有落实 earns B, A needs work beyond
the routine (特色工作能出彩). A scheme that breaks this is allowed, but the user is told what breaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .enums import Category, WarningLevel
from .points import fmt
from .rules import grade_for, warning_level, year_points
from .scheme import Scheme

# 一本通 小项 → how often the routine holds it: "month" (every month) or "quarter" (once a quarter).
ROUTINE: dict[str, str] = {
    "2.1": "quarter",  # 支部党员大会
    "2.2": "month",  # 支部委员会会议
    "2.3": "month",  # 党小组会 (only where the branch has 党小组)
    "2.4": "quarter",  # 党课
    "3.1": "month",  # 主题党日
    "4.1": "month",  # 集中学习
    "6.2": "month",  # 党费收缴
}
GROUP_MEETING = "2.3"


@dataclass(frozen=True)
class RoutineYear:
    """What a routine branch earns under a scheme."""

    with_groups: bool
    quarters: tuple[Decimal, Decimal, Decimal, Decimal]
    levels: tuple[WarningLevel, WarningLevel, WarningLevel, WarningLevel]
    annual: Decimal
    grade: Category


def routine_year(scheme: Scheme, *, with_groups: bool, routine: dict[str, str] | None = None,
                 groups_only: frozenset[str] = frozenset({GROUP_MEETING})) -> RoutineYear:
    """The year of a branch that holds exactly the required activities, one record each time.

    ``routine`` maps a work-record type to "month" or "quarter" (the year's 组织生活 requirements);
    without it, the DESIGN.md frequencies."""
    routine = ROUTINE if routine is None else routine
    counts: dict[tuple[str, int], int] = {}
    for _cat, item in scheme.items():
        how = routine.get(item.record_type or "")
        if how not in ("month", "quarter") or (item.record_type in groups_only and not with_groups):
            continue
        for month in range(1, 13):
            if how == "month" or month % 3 == 0:
                counts[(item.code, month)] = 1
    year = year_points(scheme, {}, counts)
    quarters = tuple(year.quarter(q) for q in range(1, 5))
    levels = []
    prior = 0
    for score in quarters:
        levels.append(warning_level(score, prior, False, scheme.warning).level)
        prior = prior + 1 if scheme.warning.below_yellow(score) else 0
    annual = year.annual()
    return RoutineYear(with_groups, quarters, tuple(levels), annual, grade_for(annual, False, scheme.grade))


def calibration_problems(scheme: Scheme, routine: dict[str, str] | None = None,
                         groups_only: frozenset[str] = frozenset({GROUP_MEETING})) -> list[str]:
    """What breaks the routine-branch rule, in words; empty when the scheme is coherent."""
    problems: list[str] = []
    rules = scheme.warning
    for with_groups in (False, True):
        r = routine_year(scheme, with_groups=with_groups, routine=routine, groups_only=groups_only)
        who = "按最低要求开展组织生活的支部" + ("（设党小组）" if with_groups else "（未设党小组）")
        warned = [q + 1 for q, level in enumerate(r.levels) if level is not WarningLevel.NONE]
        if warned:
            low = min(r.quarters)
            names = "、".join(f"第{'一二三四'[q - 1]}季度" for q in warned)
            problems.append(
                f"{who}每季度只得 {fmt(low)} 分，{rules.relation}预警线 {fmt(rules.yellow_below)} 分，"
                f"会在{names}被预警"
            )
        if r.grade is not Category.B:
            why = ("常规工作就能评为 A 类，特色工作无从体现" if r.grade is Category.A
                   else "常规工作有落实却评不到 B 类")
            problems.append(f"{who}全年得 {fmt(r.annual)} 分，评定为 {r.grade.value} 类（{why}）")
    return problems
