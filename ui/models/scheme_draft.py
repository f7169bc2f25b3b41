"""The 积分细则 editor's working copy: the scheme as a dict of typed-in strings, turned back into a Scheme.

Editing a dict of texts (the shape of ``scheme_to_dict``) lets the user type freely; only on
save is every number read, and every problem — unreadable numbers first, then the rules of
``validate_scheme`` — is reported in words at once.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal, InvalidOperation

from app.domain.enums import CategoryKind, ItemKind
from app.domain.scheme import (
    GradeRules,
    Scheme,
    SchemeCategory,
    SchemeItem,
    WarningRules,
    legacy_needs_pairing,
    scheme_to_dict,
    validate_scheme,
)

ITEM_KINDS_FOR = {
    CategoryKind.NORMAL.value: ItemKind.NORMAL.value,
    CategoryKind.BONUS.value: ItemKind.BONUS.value,
    CategoryKind.DEDUCTION.value: ItemKind.DEDUCTION.value,
}


def needs_pairing(item: dict) -> bool:
    """需结对 as the draft holds it: the flag where written, else the rule of schemes written before it."""
    return bool(item.get("needs_pairing", legacy_needs_pairing(str(item.get("name") or ""))))


class SchemeDraft:
    def __init__(self, scheme: Scheme) -> None:
        self.year = scheme.year
        self.data = copy.deepcopy(scheme_to_dict(scheme))
        self._saved = self._snapshot()

    def _snapshot(self) -> str:
        return json.dumps(self.data, ensure_ascii=False, sort_keys=True)

    @property
    def dirty(self) -> bool:
        return self._snapshot() != self._saved

    @property
    def categories(self) -> list[dict]:
        return self.data["categories"]

    def all_item_codes(self) -> set[str]:
        return {i["code"] for c in self.categories for i in c["items"]}

    # --- structure -----------------------------------------------------------------------
    def add_category(self) -> int:
        codes = {c["code"] for c in self.categories}
        n = 1
        while f"LB{n}" in codes:
            n += 1
        self.categories.append({"code": f"LB{n}", "name": "新类别", "kind": "normal", "max": "10.0", "items": []})
        return len(self.categories) - 1

    def add_item(self, cat_index: int) -> int:
        cat = self.categories[cat_index]
        used = self.all_item_codes()
        n = len(cat["items"]) + 1
        while f"{cat['code']}{n:02d}" in used:
            n += 1
        cat["items"].append({
            "code": f"{cat['code']}{n:02d}", "name": "新细则", "kind": ITEM_KINDS_FOR.get(cat["kind"], "normal"),
            "points": "1.0", "monthly_cap": None, "yearly_cap": None, "standard": "", "evidence": "",
            "record_type": None, "needs_pairing": False,
        })
        return len(cat["items"]) - 1

    def remove(self, cat_index: int, item_index: int | None) -> None:
        if item_index is None:
            del self.categories[cat_index]
        else:
            del self.categories[cat_index]["items"][item_index]

    def load_rules(self, other: Scheme) -> None:
        """Take another year's rules (从上一年复制) into this draft; saving is still the user's step."""
        data = scheme_to_dict(other.with_year(self.year))
        data["name"] = self.data["name"]
        self.data = copy.deepcopy(data)

    def mark_saved(self, scheme: Scheme) -> None:
        self.data = copy.deepcopy(scheme_to_dict(scheme))
        self._saved = self._snapshot()

    # --- back to a Scheme ----------------------------------------------------------------
    def build(self) -> tuple[Scheme | None, list[str]]:
        """The Scheme, or None with every problem in words."""
        problems: list[str] = []

        def number(text: object, where: str, *, optional: bool) -> Decimal | None:
            s = "" if text is None else str(text).strip()
            if not s:
                if not optional:
                    problems.append(f"{where}不能为空")
                return None
            try:
                value = Decimal(s)
            except InvalidOperation:
                problems.append(f"{where}“{s}”不是数字")
                return None
            if not value.is_finite():
                problems.append(f"{where}“{s}”不是数字")
                return None
            return value

        cats = []
        for c in self.categories:
            cw = f"类别“{c['name'] or c['code']}”"
            items = []
            for i in c["items"]:
                iw = f"{cw}下的细则“{i['name'] or i['code']}”"
                items.append(SchemeItem(
                    code=str(i["code"]).strip(), name=str(i["name"]).strip(), kind=ItemKind(i["kind"]),
                    points=number(i["points"], f"{iw}的每次分值", optional=False) or Decimal("0"),
                    monthly_cap=number(i["monthly_cap"], f"{iw}的月上限", optional=True),
                    yearly_cap=number(i["yearly_cap"], f"{iw}的年上限", optional=True),
                    standard=str(i.get("standard") or "").strip(), evidence=str(i.get("evidence") or "").strip(),
                    record_type=i.get("record_type") or None, needs_pairing=needs_pairing(i),
                ))
            cats.append(SchemeCategory(
                code=str(c["code"]).strip(), name=str(c["name"]).strip(), kind=CategoryKind(c["kind"]),
                max_points=number(c["max"], f"{cw}的年度上限", optional=True), items=tuple(items),
            ))
        w, g = self.data["warning"], self.data["grade"]
        warning = WarningRules(
            yellow_below=number(w["yellow_below"], "黄色预警线", optional=False) or Decimal("0"),
            orange_below=number(w["orange_below"], "橙色预警线", optional=False) or Decimal("0"),
            red_below=number(w["red_below"], "红色预警线", optional=False) or Decimal("0"),
            consecutive=bool(w["consecutive"]),
        )
        grade = GradeRules(
            a_min=number(g["A"], "A类分数线", optional=False) or Decimal("0"),
            b_min=number(g["B"], "B类分数线", optional=False) or Decimal("0"),
        )
        scheme = Scheme(self.year, self.data["name"], tuple(cats), warning, grade)
        if problems:
            return None, problems
        problems = validate_scheme(scheme)
        return (None, problems) if problems else (scheme, [])
