"""Enumerations of the domain with their Chinese labels."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Category(StrEnum):
    """ABC class of an organisation for a year."""

    A = "A"
    B = "B"
    C = "C"

    @property
    def label(self) -> str:
        return {"A": "A类示范型", "B": "B类成长型", "C": "C类孵化型"}[self.value]

    @property
    def rank(self) -> int:
        """Higher is better; used for 升/降 comparisons."""
        return {"A": 3, "B": 2, "C": 1}[self.value]


SECTORS: tuple[str, ...] = ("机关事业单位", "村(社区)", "非公企业", "社会组织")

ORG_KINDS: tuple[str, ...] = ("工委", "党委", "党总支", "党支部", "联合党支部")

# Kinds that own branches below them; branches are the ones that are scored.
PARENT_KINDS: frozenset[str] = frozenset({"工委", "党委", "党总支"})

ORG_STATUSES: tuple[str, ...] = ("active", "inactive")

COMMITTEE_ROLES: tuple[str, ...] = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员", "青年委员", "委员")

MEMBER_STATUSES: tuple[str, ...] = ("正式党员", "预备党员")

GENDERS: tuple[str, ...] = ("男", "女")


class ItemKind(StrEnum):
    NORMAL = "normal"
    BONUS = "bonus"
    DEDUCTION = "deduction"
    VETO = "veto"

    @property
    def label(self) -> str:
        return {"normal": "常规", "bonus": "加分", "deduction": "扣分", "veto": "一票否决"}[self.value]

    @property
    def sign(self) -> int:
        return -1 if self in (ItemKind.DEDUCTION, ItemKind.VETO) else 1


class CategoryKind(StrEnum):
    """A scheme category's kind decides how its capped total enters the annual score."""

    NORMAL = "normal"
    BONUS = "bonus"
    DEDUCTION = "deduction"

    @property
    def label(self) -> str:
        return {"normal": "基础分", "bonus": "加分项", "deduction": "扣分项"}[self.value]

    @property
    def sign(self) -> int:
        return -1 if self is CategoryKind.DEDUCTION else 1


class WarningLevel(IntEnum):
    NONE = 0
    YELLOW = 1
    ORANGE = 2
    RED = 3

    @property
    def label(self) -> str:
        return {0: "无预警", 1: "一级·黄色", 2: "二级·橙色", 3: "三级·红色"}[int(self)]

    @property
    def action(self) -> str:
        return {0: "", 1: "提醒", 2: "约谈", 3: "通报整改"}[int(self)]

    @property
    def color(self) -> str:
        return {0: "", 1: "#f2c200", 2: "#f07800", 3: "#d7261e"}[int(self)]


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def quarter_months(quarter: int) -> tuple[int, int, int]:
    first = (quarter - 1) * 3 + 1
    return (first, first + 1, first + 2)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    """The quarter before (year, quarter): Q1 looks back at the previous year's Q4."""
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)
