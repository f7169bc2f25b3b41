"""Rule functions: item caps, quarter and annual scores, 三级预警, A/B/C grading.

The services compute the same figures with SQL aggregation for all organisations at once;
these functions are the reference the SQL is tested against, and serve one organisation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .enums import Category, CategoryKind, ItemKind, WarningLevel, quarter_months
from .points import ZERO, fmt
from .scheme import GradeRules, Scheme, SchemeItem, WarningRules


def raw_points(item: SchemeItem, manual: Decimal | None, record_count: int) -> Decimal:
    """Points before caps: hand-entered points beside those earned by linked records."""
    return (manual or ZERO) + item.points * record_count


def monthly_capped(item: SchemeItem, raw_by_month: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """Points per month after the monthly cap only: what quarter scores count."""
    if item.monthly_cap is None:
        return dict(raw_by_month)
    return {m: min(v, item.monthly_cap) for m, v in raw_by_month.items()}


def apply_item_caps(item: SchemeItem, raw_by_month: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """Effective points per month: the monthly cap, then the yearly cap in month order."""
    effective: dict[int, Decimal] = {}
    used = ZERO
    for month in sorted(raw_by_month):
        value = raw_by_month[month]
        if item.monthly_cap is not None:
            value = min(value, item.monthly_cap)
        if item.yearly_cap is not None:
            value = max(ZERO, min(value, item.yearly_cap - used))
        used += value
        effective[month] = value
    return effective


@dataclass(frozen=True)
class YearPoints:
    """One organisation's points for a year, item code → month → points: ``capped`` after monthly
    caps (quarter scores), ``effective`` after monthly and yearly caps (category totals)."""

    scheme: Scheme
    effective: Mapping[str, Mapping[int, Decimal]]
    veto: bool
    capped: Mapping[str, Mapping[int, Decimal]]

    def signed_month(self, month: int) -> Decimal:
        """The month's points toward its quarter: monthly caps only, deductions subtracted."""
        total = ZERO
        for _cat, item in self.scheme.items():
            total += item.kind.sign * self.capped.get(item.code, {}).get(month, ZERO)
        return total

    def quarter(self, quarter: int) -> Decimal:
        return sum((self.signed_month(m) for m in quarter_months(quarter)), ZERO)

    def category_totals(self) -> dict[str, Decimal]:
        return {
            cat.code: sum((sum(self.effective.get(i.code, {}).values(), ZERO) for i in cat.items), ZERO)
            for cat in self.scheme.categories
        }

    def annual(self) -> Decimal:
        return annual_score(self.scheme, self.category_totals())


def year_points(
    scheme: Scheme,
    manual: Mapping[tuple[str, int], Decimal],
    record_counts: Mapping[tuple[str, int], int],
    manual_counts: Mapping[tuple[str, int], int] | None = None,
) -> YearPoints:
    """Build an organisation's year from its raw inputs keyed by (item code, month)."""
    effective: dict[str, dict[int, Decimal]] = {}
    capped: dict[str, dict[int, Decimal]] = {}
    veto = False
    manual_counts = manual_counts or {}
    for _cat, item in scheme.items():
        raw: dict[int, Decimal] = {}
        for month in range(1, 13):
            key = (item.code, month)
            if key in manual or key in record_counts or key in manual_counts:
                raw[month] = raw_points(item, manual.get(key), record_counts.get(key, 0))
                if item.kind is ItemKind.VETO and (
                    raw[month] > 0 or record_counts.get(key, 0) > 0 or manual_counts.get(key, 0) > 0
                ):
                    veto = True
        effective[item.code] = apply_item_caps(item, raw)
        capped[item.code] = monthly_capped(item, raw)
    return YearPoints(scheme, effective, veto, capped)


def annual_score(scheme: Scheme, category_totals: Mapping[str, Decimal]) -> Decimal:
    """Each category's total capped by its maximum, bonus added, deductions subtracted, floored at 0."""
    score = ZERO
    for cat in scheme.categories:
        total = category_totals.get(cat.code, ZERO)
        if cat.max_points is not None:
            total = min(total, cat.max_points)
        score += cat.kind.sign * total
    return max(score, ZERO)


def normal_maximum(scheme: Scheme) -> Decimal:
    return sum((c.max_points or ZERO for c in scheme.categories if c.kind is CategoryKind.NORMAL), ZERO)


@dataclass(frozen=True)
class WarningResult:
    level: WarningLevel
    reasons: tuple[str, ...]

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)


def warning_level(
    quarter_score: Decimal,
    prior_below: int,
    veto: bool,
    rules: WarningRules,
) -> WarningResult:
    """三级预警 for one quarter.

    ``prior_below`` counts the consecutive quarters immediately before this one that were
    also at or below the yellow line (0, 1, 2…). The highest level any rule reaches wins, and
    every rule that fired is given as a reason. Lines include their number (25分以下含25分) unless
    the year's rules say otherwise.
    """
    level = WarningLevel.NONE
    reasons: list[str] = []
    score = fmt(quarter_score)
    rel = rules.relation

    def raise_to(new: WarningLevel, why: str) -> None:
        nonlocal level
        level = max(level, new)
        reasons.append(why)

    if rules.at_or_below(quarter_score, rules.red_below):
        raise_to(WarningLevel.RED, f"季度积分 {score} 分，{rel} {fmt(rules.red_below)} 分")
    elif rules.at_or_below(quarter_score, rules.orange_below):
        raise_to(WarningLevel.ORANGE, f"季度积分 {score} 分，{rel} {fmt(rules.orange_below)} 分")
    elif rules.at_or_below(quarter_score, rules.yellow_below):
        raise_to(WarningLevel.YELLOW, f"季度积分 {score} 分，{rel} {fmt(rules.yellow_below)} 分")
    if rules.consecutive and rules.below_yellow(quarter_score) and prior_below >= 1:
        run = prior_below + 1
        if run >= 3:
            raise_to(WarningLevel.RED, f"连续 {run} 个季度积分{rel} {fmt(rules.yellow_below)} 分")
        else:
            raise_to(WarningLevel.ORANGE, f"连续 {run} 个季度积分{rel} {fmt(rules.yellow_below)} 分")
    if veto:
        raise_to(WarningLevel.RED, "本年度存在一票否决事项")
    return WarningResult(level, tuple(reasons))


def consecutive_below(previous_below: Iterable[bool | None]) -> int:
    """How many of the quarters right before this one (most recent first) were at or below the yellow line.

    Each flag is judged by that quarter's own year's line; ``None`` marks a quarter with no ledger
    (before the organisation was recorded), which ends the run like a good quarter.
    """
    run = 0
    for below in previous_below:
        if not below:
            break
        run += 1
    return run


def grade_for(score: Decimal, veto: bool, rules: GradeRules, red_quarter: bool = False) -> Category:
    """A ≥ a_min, B ≥ b_min, else C; a veto means C whatever the score; a year with a 三级·红色
    quarter is at most B (an override with a reason can still give A)."""
    if veto:
        return Category.C
    if score >= rules.a_min and not red_quarter:
        return Category.A
    if score >= rules.b_min:
        return Category.B
    return Category.C


def change_label(previous: Category | None, current: Category) -> str:
    if previous is None:
        return "—"
    if current.rank > previous.rank:
        return "升"
    if current.rank < previous.rank:
        return "降"
    return "持平"
