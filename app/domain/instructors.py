"""党建指导员 rules, pure: ISO weeks, the 积分+等级 scheme and grade lines, the 问题帮办 status flow,
coverage and 办结率 arithmetic, and subsidies in exact yuan."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .points import ONE_PLACE, ZERO

SOURCES = ("省派", "市派", "县(区)派")
MODES = ("专职", "兼职")
POSTS = ("站长", "副站长", "联络员", "指导员")
TAGS = ("规上", "产业链", "新招商", "互联网", "新业态")
TARGET_SECTORS = ("非公企业", "社会组织")
# The counted items of the weekly form, in its order: field → label.
COUNTS: dict[str, str] = {
    "a_days": "A岗驻站（天）", "b_days": "B岗走访（天）", "visits": "走访企业", "orgs_founded": "组建党组织",
    "mass_orgs": "组建群团组织", "problems": "收集问题", "solved": "帮办解决", "experiences": "典型经验",
    "briefs": "工作简报",
}
TICKET_FLOW = ("收集", "交办", "办理中", "办结", "回访")
CLOSED = ("办结", "回访")
SATISFACTION = ("满意", "基本满意", "不满意")
SIGNOFF_STEPS = ("小组统计", "站内核实", "党支部认定")
GRADES = ("优秀", "合格", "基本合格", "不合格")
YUAN = Decimal("0.01")
_WEEK_RE = re.compile(r"^(\d{4})-?W(\d{1,2})$")


# ---- ISO weeks ----
def parse_week(text: object) -> tuple[int, int]:
    """'2026-W05' → (2026, 5); a week the ISO year does not have (2026-W54; 2025-W53) is refused."""
    raw = str(text or "").strip().upper()
    m = _WEEK_RE.match(raw)
    if not m:
        raise ValueError(f"周次应为“年-W周”，如 2026-W05，收到“{raw}”")
    year, week = int(m[1]), int(m[2])
    if not 2000 <= year <= 2100:
        raise ValueError(f"周次的年份 {year} 超出范围（2000–2100）")
    last = weeks_in_year(year)
    if not 1 <= week <= last:
        raise ValueError(f"{year} 年只有第 1–{last} 周，收到“{raw}”")
    return year, week


def weeks_in_year(year: int) -> int:
    return date(year, 12, 28).isocalendar()[1]  # 28 December is always in the year's last ISO week


def week_label(year: int, week: int) -> str:
    return f"{year}-W{week:02d}"


def week_days(year: int, week: int) -> tuple[date, date]:
    monday = date.fromisocalendar(year, week, 1)
    return monday, monday + timedelta(days=6)


def week_month(year: int, week: int) -> tuple[int, int]:
    """The (year, month) a week counts in for the monthly roll-up: the month of its Thursday."""
    thursday = date.fromisocalendar(year, week, 4)
    return thursday.year, thursday.month


def week_of(day: date) -> str:
    y, w, _d = day.isocalendar()
    return week_label(y, w)


def weeks_of_month(year: int, month: int) -> list[str]:
    """The ISO weeks whose Thursday falls in the month (each week counts in exactly one month)."""
    day = date(year, month, 1)
    while day.weekday() != 3:
        day += timedelta(days=1)
    out = []
    while day.month == month:
        out.append(week_of(day))
        day += timedelta(days=7)
    return out


# ---- scheme ----
@dataclass(frozen=True)
class ItemRule:
    points: Decimal  # per occurrence (per day for the duty days)
    cap: Decimal | None  # yearly cap


@dataclass(frozen=True)
class Subsidy:
    full_time: Decimal = Decimal("1000")
    part_time: Decimal = Decimal("300")
    transport: Decimal = Decimal("200")
    paid_grades: tuple[str, ...] = ("优秀", "合格")


@dataclass(frozen=True)
class Scheme:
    items: dict[str, ItemRule]
    excellent: Decimal = Decimal("90.0")
    passing: Decimal = Decimal("60.0")
    basic: Decimal = Decimal("50.0")
    excellent_share: Decimal | None = None  # e.g. 0.3: at most 30 % 优秀
    subsidy: Subsidy = field(default_factory=Subsidy)


def _dec(value: object, what: str, *, places: Decimal = ONE_PLACE) -> Decimal:
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(f"{what}必须是数字，收到“{value}”") from None
    if not d.is_finite() or d < 0 or d >= 1_000_000:
        raise ValueError(f"{what}应为 0 到 999999 之间的数，收到“{value}”")
    if d != d.quantize(places, rounding=ROUND_HALF_UP):
        raise ValueError(f"{what}的小数位数过多，收到“{value}”")
    return d.quantize(places)


def scheme_from_dict(data: dict) -> Scheme:
    """The stored (or default) JSON form → Scheme; a bad value raises ValueError naming it."""
    if not isinstance(data, dict):
        raise ValueError("指导员考核细则格式有误")
    items = {}
    for key, rule in dict(data.get("items") or {}).items():
        if key not in COUNTS:
            raise ValueError(f"考核细则中的项目“{key}”不是周记录的计数项")
        label = COUNTS[key]
        cap = rule.get("cap")
        items[key] = ItemRule(_dec(rule.get("points"), f"“{label}”每次分值"),
                              None if cap in (None, "") else _dec(cap, f"“{label}”全年上限"))
    grades = dict(data.get("grades") or {})
    sub = dict(data.get("subsidy") or {})
    share = data.get("excellent_share")
    paid = tuple(sub.get("paid_grades") or ("优秀", "合格"))
    if any(g not in GRADES for g in paid):
        raise ValueError(f"发放补贴的等次无效：{'、'.join(paid)}")
    scheme = Scheme(
        items,
        _dec(grades.get("优秀", "90"), "优秀线"), _dec(grades.get("合格", "60"), "合格线"),
        _dec(grades.get("基本合格", "50"), "基本合格线"),
        None if share in (None, "") else _dec(share, "优秀比例上限", places=Decimal("0.01")),
        Subsidy(_dec(sub.get("专职", "1000"), "专职补贴", places=YUAN), _dec(sub.get("兼职", "300"), "兼职补贴", places=YUAN),
                _dec(sub.get("transport", "200"), "交通补助", places=YUAN), paid),
    )
    problems = check_scheme(scheme)
    if problems:
        raise ValueError(problems[0])
    return scheme


def scheme_to_dict(s: Scheme) -> dict:
    return {
        "items": {k: {"points": str(r.points), "cap": None if r.cap is None else str(r.cap)} for k, r in s.items.items()},
        "grades": {"优秀": str(s.excellent), "合格": str(s.passing), "基本合格": str(s.basic)},
        "excellent_share": None if s.excellent_share is None else str(s.excellent_share),
        "subsidy": {"专职": str(s.subsidy.full_time), "兼职": str(s.subsidy.part_time),
                    "transport": str(s.subsidy.transport), "paid_grades": list(s.subsidy.paid_grades)},
    }


def check_scheme(s: Scheme) -> list[str]:
    out = []
    if not s.excellent > s.passing > s.basic > ZERO:
        out.append(f"等级线应为 优秀 > 合格 > 基本合格 > 0，现为 {s.excellent} / {s.passing} / {s.basic}")
    if s.excellent_share is not None and not ZERO < s.excellent_share <= 1:
        out.append(f"优秀比例上限应在 0 和 1 之间，现为 {s.excellent_share}")
    if not s.items:
        out.append("考核细则至少要有一个计分项目")
    return out


def item_points(counts: dict[str, int], s: Scheme) -> dict[str, Decimal]:
    out = {}
    for key, rule in s.items.items():
        got = rule.points * int(counts.get(key, 0))
        out[key] = min(got, rule.cap) if rule.cap is not None else got
    return out


def points(counts: dict[str, int], s: Scheme) -> Decimal:
    """The year's points from the summed weekly counts: per occurrence, each item capped for the year."""
    return sum(item_points(counts, s).values(), ZERO).quantize(ONE_PLACE)


def grade_for(value: Decimal, s: Scheme) -> str:
    """优秀 ≥ 90, 合格 ≥ 60, 基本合格 ≥ 50, below 不合格 (the lines are the year's)."""
    if value >= s.excellent:
        return "优秀"
    if value >= s.passing:
        return "合格"
    if value >= s.basic:
        return "基本合格"
    return "不合格"


def grades(scored: list[tuple[str, Decimal]], s: Scheme) -> dict[str, str]:
    """Grades by key; with a share cap, only the best ⌊n × share⌋ above the line are 优秀, the rest 合格."""
    out = {k: grade_for(v, s) for k, v in scored}
    if s.excellent_share is None:
        return out
    allowed = int(len(scored) * s.excellent_share)
    best = sorted((kv for kv in scored if out[kv[0]] == "优秀"), key=lambda kv: (-kv[1], kv[0]))
    for k, _v in best[allowed:]:
        out[k] = "合格"
    return out


# ---- 问题帮办 ----
def check_move(current: str, new: str) -> None:
    """A ticket moves forward along 收集 → 交办 → 办理中 → 办结 → 回访 (steps may be skipped, never undone)."""
    if new not in TICKET_FLOW:
        raise ValueError(f"状态“{new}”无效，可选：{'、'.join(TICKET_FLOW)}")
    if TICKET_FLOW.index(new) < TICKET_FLOW.index(current):
        raise ValueError(f"问题已是“{current}”，不能退回“{new}”（顺序：{' → '.join(TICKET_FLOW)}）")


def rate(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal (办结率, coverage); None when there is nothing to count."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


# ---- subsidies ----
def months_in(spans: list[tuple[date, date | None]], year: int) -> set[int]:
    """The months of ``year`` touched by any span (first day, last day or None for open)."""
    out: set[int] = set()
    for first, last in spans:
        for m in range(1, 13):
            m_first = date(year, m, 1)
            m_last = date(year + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
            if first <= m_last and (last is None or last >= m_first):
                out.add(m)
    return out


@dataclass(frozen=True)
class SubsidyLine:
    months: int
    transport_months: int
    base: Decimal
    transport: Decimal

    @property
    def total(self) -> Decimal:
        return self.base + self.transport


def subsidy(mode: str, grade: str, months: int, transport_months: int, s: Scheme) -> SubsidyLine:
    """专职 1000 / 兼职 300 元 a month; 专职 placed in a 镇域 enterprise +200 a month; no pay below the paid grades."""
    if grade not in s.subsidy.paid_grades:
        return SubsidyLine(months, 0, Decimal("0.00"), Decimal("0.00"))
    monthly = s.subsidy.full_time if mode == "专职" else s.subsidy.part_time
    t_months = transport_months if mode == "专职" else 0
    return SubsidyLine(months, t_months, (monthly * months).quantize(YUAN), (s.subsidy.transport * t_months).quantize(YUAN))
