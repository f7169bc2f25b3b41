"""结果运用 rules, pure: a year's incentive rules by sector and final class, their checks, and the
outcome for one graded organisation. Money is Decimal yuan with two places, never float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .enums import SECTORS

VETO = "否决"
GRADES: tuple[str, ...] = ("A", "B", "C", VETO)  # the final class, or 否决 for a year with a 一票否决
REWARD, APPRAISAL = "奖补", "绩效"
KINDS: tuple[str, ...] = (REWARD, APPRAISAL)
KIND_LABELS = {REWARD: "奖补兑现", APPRAISAL: "绩效评定"}
TWO_PLACES = Decimal("0.01")
ZERO_YUAN = Decimal("0.00")
MAX_YUAN = Decimal("100000000")  # one hundred million: anything larger is a typing slip

AWARD_LEVELS: tuple[str, ...] = ("国家", "省", "市", "县", "乡镇")
# 加分 "获县级以上表彰": a collective award of these levels proposes the bonus item's points.
BONUS_LEVELS: frozenset[str] = frozenset({"国家", "省", "市", "县"})
RESULT_MAX = 60


def parse_money(value: object, field: str = "金额") -> Decimal:
    """Yuan with at most two decimal places, not negative; raises ValueError naming the field."""
    if value is None or isinstance(value, bool):
        raise ValueError(f"{field}不能为空")
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace(",", "").replace("，", "")
    if text.endswith("元"):
        text = text[:-1].strip()
    if not text:
        raise ValueError(f"{field}不能为空")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{field}必须是数字（元），收到“{value}”") from None
    if not number.is_finite():
        raise ValueError(f"{field}必须是有限数字，收到“{value}”")
    if number < 0:
        raise ValueError(f"{field}不能为负数，收到“{value}”")
    if number >= MAX_YUAN:
        raise ValueError(f"{field}数值过大，收到“{value}”")
    if number != number.quantize(TWO_PLACES, rounding=ROUND_HALF_UP):
        raise ValueError(f"{field}最多保留两位小数（到分），收到“{value}”")
    return number.quantize(TWO_PLACES)


def fmt_money(value: Decimal | None) -> str:
    """Two-place text as written in JSON ("8000.00"); "" for none."""
    return "" if value is None else str(Decimal(value).quantize(TWO_PLACES))


def fmt_yuan(value: Decimal | None) -> str:
    """Two places with thousands separators, as printed ("8,000.00")."""
    return "" if value is None else f"{Decimal(value).quantize(TWO_PLACES):,}"


@dataclass(frozen=True)
class Rule:
    sector: str
    grade: str  # A | B | C | 否决
    kind: str  # 奖补 | 绩效
    amount: Decimal | None  # yuan, 奖补 only
    result: str


@dataclass(frozen=True)
class RuleSet:
    year: int
    rules: tuple[Rule, ...]

    def get(self, sector: str, grade: str) -> Rule | None:
        return next((r for r in self.rules if r.grade == grade and r.sector == sector), None)

    def kind_of(self, sector: str) -> str | None:
        r = self.get(sector, "A")
        return r.kind if r else None

    def replace(self, rule: Rule) -> RuleSet:
        others = tuple(r for r in self.rules if (r.sector, r.grade) != (rule.sector, rule.grade))
        return RuleSet(self.year, tuple(sorted((*others, rule), key=rule_order)))


def rule_order(r: Rule) -> tuple[int, int]:
    s = SECTORS.index(r.sector) if r.sector in SECTORS else len(SECTORS)
    return s, GRADES.index(r.grade) if r.grade in GRADES else len(GRADES)


def check_rule(rule: Rule) -> str | None:
    """The one check of a single rule row (hand entry, CLI, packages): a problem in words, or None."""
    where = f"{rule.sector} {rule.grade if rule.grade == VETO else rule.grade + '类'}"
    if rule.sector not in SECTORS:
        return f"领域“{rule.sector}”无效，可选：{'、'.join(SECTORS)}"
    if rule.grade not in GRADES:
        return f"定级“{rule.grade}”无效，可选：{'、'.join(GRADES)}"
    if rule.kind not in KINDS:
        return f"{where}：兑现方式“{rule.kind}”无效，可选：{'、'.join(KINDS)}"
    if len(rule.result) > RESULT_MAX:
        return f"{where}：结果说明不能超过 {RESULT_MAX} 个字"
    if rule.kind == REWARD:
        if rule.amount is None:
            return f"{where}：奖补兑现须填写金额（元）"
        if rule.amount < 0:
            return f"{where}：奖补金额不能为负数，收到 {fmt_money(rule.amount)}"
        if rule.amount != rule.amount.quantize(TWO_PLACES) or rule.amount >= MAX_YUAN:
            return f"{where}：奖补金额应为不超过一亿、最多两位小数的元数，收到 {rule.amount}"
        if rule.grade == VETO and rule.amount != 0:
            return f"{where}：一票否决的组织不予奖补，金额必须为 0"
    else:
        if rule.amount is not None:
            return f"{where}：绩效评定不填金额，只填评定结果"
        if not rule.result.strip():
            return f"{where}：绩效评定须填写评定结果（如 好 / 较好 / 一般）"
    return None


def validate_rules(rules: RuleSet) -> list[str]:
    """Every problem of a year's rules: each row's own check, all four grades of each sector, one kind
    per sector, and a better class never getting less money."""
    problems = [p for r in rules.rules if (p := check_rule(r))]
    for sector in SECTORS:
        rows = [r for r in rules.rules if r.sector == sector]
        missing = [g for g in GRADES if not any(r.grade == g for r in rows)]
        if missing:
            problems.append(f"{sector}：缺少 {'、'.join(missing)} 的规则")
            continue
        kinds = {r.kind for r in rows}
        if len(kinds) > 1:
            problems.append(f"{sector}：同一领域的兑现方式必须一致（现有 {'、'.join(sorted(kinds))}）")
            continue
        if kinds == {REWARD}:
            a, b, c = (rules.get(sector, g).amount for g in ("A", "B", "C"))
            if None not in (a, b, c) and not a >= b >= c:
                problems.append(f"{sector}：奖补金额应 A类 ≥ B类 ≥ C类（现为 {fmt_money(a)} / {fmt_money(b)} / {fmt_money(c)}）")
    return problems


def outcome(rules: RuleSet, sector: str, final: str, veto: bool) -> Rule | None:
    """The rule that applies to an organisation of ``sector`` graded ``final``; a veto takes the 否决 rule
    (0 元, or the lowest 绩效 result). None when the year's rules do not cover the sector."""
    return rules.get(sector, VETO if veto else final)


def rules_from_dict(data: dict, year: int) -> RuleSet:
    """The defaults file's shape: {"sectors": {sector: {"kind": k, "A": {"amount", "result"}, …}}}."""
    out = []
    for sector, spec in data["sectors"].items():
        kind = spec["kind"]
        for grade in GRADES:
            cell = spec[grade]
            amount = parse_money(cell["amount"], "奖补金额") if cell.get("amount") is not None else None
            out.append(Rule(sector, grade, kind, amount, str(cell.get("result", ""))))
    return RuleSet(year, tuple(sorted(out, key=rule_order)))
