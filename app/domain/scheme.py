"""The per-year scoring scheme (积分细则) as frozen data, with its validation."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from decimal import Decimal

from .enums import CategoryKind, ItemKind
from .points import fmt

# Before items carried the 需结对 flag, an item whose name held this word needed a pairing. A scheme
# written then (no "needs_pairing" key) reads with that rule, so old files and packages keep their meaning.
LEGACY_PAIRING_WORD = "结对"


def legacy_needs_pairing(name: str) -> bool:
    return LEGACY_PAIRING_WORD in name


@dataclass(frozen=True)
class SchemeItem:
    code: str
    name: str
    kind: ItemKind
    points: Decimal  # per occurrence; a magnitude, the kind gives the sign
    monthly_cap: Decimal | None = None
    yearly_cap: Decimal | None = None
    standard: str = ""  # 评分标准 in words
    evidence: str = ""  # 佐证材料
    record_type: str | None = None  # 一本通 小项 code whose records earn this item
    needs_pairing: bool = False  # 需结对: refused for an organisation with no 结对共建 pairing that year


@dataclass(frozen=True)
class SchemeCategory:
    code: str
    name: str
    kind: CategoryKind
    max_points: Decimal | None  # annual maximum of the category total; None = uncapped
    items: tuple[SchemeItem, ...] = ()


@dataclass(frozen=True)
class WarningRules:
    """The quarterly warning lines. The source says 季度考核积分25分以下 and 以下 includes the number
    itself, so with ``inclusive`` (the default) a quarter at a line is warned; False is the strict
    reading kept by years that acted on it before this rule was corrected."""

    yellow_below: Decimal = Decimal("25.0")
    orange_below: Decimal = Decimal("20.0")
    red_below: Decimal = Decimal("15.0")
    consecutive: bool = True  # 2nd consecutive quarter at or below yellow → orange, 3rd → red
    inclusive: bool = True

    def at_or_below(self, score: Decimal, line: Decimal) -> bool:
        return score <= line if self.inclusive else score < line

    def below_yellow(self, score: Decimal) -> bool:
        """Counts toward the consecutive-quarter rule."""
        return self.at_or_below(score, self.yellow_below)

    @property
    def relation(self) -> str:
        """How a reason names the line: 不高于 (inclusive) or 低于 (strict)."""
        return "不高于" if self.inclusive else "低于"


@dataclass(frozen=True)
class GradeRules:
    a_min: Decimal = Decimal("90.0")
    b_min: Decimal = Decimal("80.0")


@dataclass(frozen=True)
class Scheme:
    year: int
    name: str
    categories: tuple[SchemeCategory, ...]
    warning: WarningRules = field(default_factory=WarningRules)
    grade: GradeRules = field(default_factory=GradeRules)

    def items(self) -> list[tuple[SchemeCategory, SchemeItem]]:
        return [(cat, item) for cat in self.categories for item in cat.items]

    def item(self, code: str) -> SchemeItem | None:
        for _cat, item in self.items():
            if item.code == code:
                return item
        return None

    def with_year(self, year: int) -> Scheme:
        return replace(self, year=year, name=self.name.replace(str(self.year), str(year)))

    def fingerprint(self) -> str:
        """Stable digest of the rules (not the year), so a stale template or package can be told."""
        return hashlib.sha256(json.dumps(scheme_rules_dict(self), sort_keys=True).encode()).hexdigest()[:16]


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else fmt(value)


def scheme_rules_dict(scheme: Scheme) -> dict:
    return {
        "categories": [
            {
                "code": c.code,
                "name": c.name,
                "kind": c.kind.value,
                "max": _dec(c.max_points),
                "items": [
                    {
                        "code": i.code,
                        "name": i.name,
                        "kind": i.kind.value,
                        "points": _dec(i.points),
                        "monthly_cap": _dec(i.monthly_cap),
                        "yearly_cap": _dec(i.yearly_cap),
                        "standard": i.standard,
                        "evidence": i.evidence,
                        "record_type": i.record_type,
                        # Written only where it differs from the old name rule, so older schemes keep their fingerprint.
                        **({"needs_pairing": i.needs_pairing}
                           if i.needs_pairing != legacy_needs_pairing(i.name) else {}),
                    }
                    for i in c.items
                ],
            }
            for c in scheme.categories
        ],
        "warning": {
            "yellow_below": _dec(scheme.warning.yellow_below),
            "orange_below": _dec(scheme.warning.orange_below),
            "red_below": _dec(scheme.warning.red_below),
            "consecutive": scheme.warning.consecutive,
            # Only written when set, so the strict schemes of earlier versions keep their fingerprint.
            **({"inclusive": True} if scheme.warning.inclusive else {}),
        },
        "grade": {"A": _dec(scheme.grade.a_min), "B": _dec(scheme.grade.b_min)},
    }


def scheme_to_dict(scheme: Scheme) -> dict:
    return {"year": scheme.year, "name": scheme.name, **scheme_rules_dict(scheme)}


def _opt(value: object) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def scheme_from_dict(data: dict, year: int | None = None) -> Scheme:
    cats = []
    for c in data["categories"]:
        items = tuple(
            SchemeItem(
                code=i["code"],
                name=i["name"],
                kind=ItemKind(i["kind"]),
                points=Decimal(str(i["points"])),
                monthly_cap=_opt(i.get("monthly_cap")),
                yearly_cap=_opt(i.get("yearly_cap")),
                standard=i.get("standard", ""),
                evidence=i.get("evidence", ""),
                record_type=i.get("record_type"),
                needs_pairing=bool(i.get("needs_pairing", legacy_needs_pairing(i["name"]))),
            )
            for i in c["items"]
        )
        cats.append(SchemeCategory(c["code"], c["name"], CategoryKind(c["kind"]), _opt(c.get("max")), items))
    w = data.get("warning", {})
    g = data.get("grade", {})
    return Scheme(
        year=year if year is not None else int(data["year"]),
        name=data.get("name", "积分细则"),
        categories=tuple(cats),
        warning=WarningRules(
            yellow_below=Decimal(str(w.get("yellow_below", "25.0"))),
            orange_below=Decimal(str(w.get("orange_below", "20.0"))),
            red_below=Decimal(str(w.get("red_below", "15.0"))),
            consecutive=bool(w.get("consecutive", True)),
            inclusive=bool(w.get("inclusive", False)),  # absent: written before lines were inclusive
        ),
        grade=GradeRules(a_min=Decimal(str(g.get("A", "90.0"))), b_min=Decimal(str(g.get("B", "80.0")))),
    )


_KIND_FITS = {
    CategoryKind.NORMAL: {ItemKind.NORMAL},
    CategoryKind.BONUS: {ItemKind.BONUS},
    CategoryKind.DEDUCTION: {ItemKind.DEDUCTION, ItemKind.VETO},
}


def _tenths_ok(value: Decimal) -> bool:
    return value == value.quantize(Decimal("0.1"))


def validate_scheme(scheme: Scheme) -> list[str]:
    """Every problem in words; an empty list means the scheme can be saved."""
    problems: list[str] = []
    seen_cats: set[str] = set()
    seen_items: set[str] = set()
    seen_record_types: dict[str, str] = {}
    if not scheme.categories:
        problems.append("积分细则至少需要一个类别")
    for cat in scheme.categories:
        where = f"类别“{cat.name or cat.code}”"
        if not cat.code.strip():
            problems.append(f"{where}缺少编码")
        if not cat.name.strip():
            problems.append(f"类别 {cat.code} 缺少名称")
        if cat.code in seen_cats:
            problems.append(f"类别编码 {cat.code} 重复")
        seen_cats.add(cat.code)
        if cat.max_points is not None and (cat.max_points <= 0 or not _tenths_ok(cat.max_points)):
            problems.append(f"{where}的年度上限必须是大于 0 的一位小数")
        if cat.kind is CategoryKind.NORMAL and cat.max_points is None:
            problems.append(f"{where}是基础分类别，必须设置年度上限")
        for item in cat.items:
            iw = f"{where}下的细则“{item.name or item.code}”"
            if not item.code.strip():
                problems.append(f"{iw}缺少编码")
            if not item.name.strip():
                problems.append(f"细则 {item.code} 缺少名称")
            if item.code in seen_items:
                problems.append(f"细则编码 {item.code} 重复")
            seen_items.add(item.code)
            if item.kind not in _KIND_FITS[cat.kind]:
                problems.append(f"{iw}的类型“{item.kind.label}”不能放在{cat.kind.label}类别中")
            if item.points < 0 or not _tenths_ok(item.points):
                problems.append(f"{iw}的每次分值必须是不小于 0 的一位小数")
            if item.kind is not ItemKind.VETO and item.points == 0:
                problems.append(f"{iw}的每次分值不能为 0")
            for label, cap in (("月上限", item.monthly_cap), ("年上限", item.yearly_cap)):
                if cap is not None and (cap <= 0 or not _tenths_ok(cap)):
                    problems.append(f"{iw}的{label}必须是大于 0 的一位小数")
            if (
                item.monthly_cap is not None
                and item.yearly_cap is not None
                and item.monthly_cap > item.yearly_cap
            ):
                problems.append(f"{iw}的月上限 {fmt(item.monthly_cap)} 大于年上限 {fmt(item.yearly_cap)}")
            if item.record_type:
                if item.record_type in seen_record_types:
                    problems.append(
                        f"工作记录类型 {item.record_type} 同时关联了细则 "
                        f"{seen_record_types[item.record_type]} 和 {item.code}"
                    )
                seen_record_types[item.record_type] = item.code
    w = scheme.warning
    if not (w.yellow_below > w.orange_below > w.red_below >= 0):
        problems.append(
            f"预警线必须满足 黄色({fmt(w.yellow_below)}) > 橙色({fmt(w.orange_below)}) > 红色({fmt(w.red_below)}) ≥ 0"
        )
    g = scheme.grade
    if not (g.a_min > g.b_min > 0):
        problems.append(f"定级线必须满足 A类({fmt(g.a_min)}) > B类({fmt(g.b_min)}) > 0")
    return problems
