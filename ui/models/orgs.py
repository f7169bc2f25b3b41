"""Rows and columns of the 组织台账 tables (organisations, committee, roster, classes, pairings)."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.enums import WarningLevel
from app.services.register.orgs import OrgInfo
from ui.models.base import CENTER, RIGHT, Column
from ui.theme import CATEGORY_COLORS, MUTED

SOURCE_LABELS = {"initial": "初始设定", "grade": "年度定级", "manual": "手工调整", "import": "导入"}


@dataclass(frozen=True)
class OrgRow:
    info: OrgInfo
    level: WarningLevel | None  # the last complete quarter's computed level (None: not scored)
    ancestors: frozenset[str]  # codes of every organisation above it
    members: int | None = None  # 党委 and the like: the members of the branches under it

    @property
    def member_total(self) -> int:
        return self.info.member_count if self.members is None else self.members

    @property
    def code(self) -> str:
        return self.info.code


def _category(r: OrgRow) -> str:
    return r.info.category.label if r.info.category else ""


ORG_COLUMNS = [
    Column("编码", lambda r: r.info.code, width=72),
    Column("组织名称", lambda r: r.info.name, width=260,
           foreground=lambda r: None if r.info.active else MUTED),
    Column("类型", lambda r: r.info.kind, width=70),
    Column("领域", lambda r: r.info.sector, width=96),
    Column("上级组织", lambda r: r.info.parent_name or "", width=150),
    Column("书记", lambda r: r.info.secretary, width=62),
    Column("党员数", lambda r: r.member_total, align=RIGHT, width=56,
           tooltip=lambda r: "下属党支部党员数之和" if r.members is not None else None),
    Column("本年分类", _category, sort=lambda r: r.info.category.value if r.info.category else "Z",
           foreground=lambda r: CATEGORY_COLORS.get(r.info.category.value) if r.info.category else None, width=92),
    Column("上季度预警", lambda r: r.level.label if r.level else "", align=CENTER,
           sort=lambda r: int(r.level) if r.level is not None else -1,
           background=lambda r: r.level.color if r.level else None, width=96),
    Column("状态", lambda r: "在用" if r.info.active else "已停用", align=CENTER, width=52),
]
ORG_TEXT_COLUMNS = (0, 1, 4, 5)

COMMITTEE_COLUMNS = [
    Column("职务", lambda p: p.role),
    Column("姓名", lambda p: p.name),
    Column("联系电话", lambda p: p.phone),
    Column("任职时间", lambda p: p.term_start or "", sort=lambda p: p.term_start),
    Column("离任时间", lambda p: p.term_end or "在任", sort=lambda p: p.term_end,
           foreground=lambda p: MUTED if p.term_end else None),
]

ROSTER_COLUMNS = [
    Column("姓名", lambda m: m.name),
    Column("性别", lambda m: m.gender, align=CENTER),
    Column("出生日期", lambda m: m.birth_date or "", sort=lambda m: m.birth_date),
    Column("学历", lambda m: m.education),
    Column("入党时间", lambda m: m.joined_on or "", sort=lambda m: m.joined_on),
    Column("类别", lambda m: m.status),
    Column("工作岗位", lambda m: m.post),
    Column("联系电话", lambda m: m.phone),
    Column("状态", lambda m: f"已转出（{m.transferred_out_on}）" if m.transferred_out_on else "在册",
           foreground=lambda m: MUTED if m.transferred_out_on else None),
]

CLASS_COLUMNS = [
    Column("年度", lambda c: c.year, align=CENTER),
    Column("分类", lambda c: c.category.label, foreground=lambda c: CATEGORY_COLORS.get(c.category.value)),
    Column("来源", lambda c: SOURCE_LABELS.get(c.source, c.source)),
    Column("上年得分", lambda c: c.score or "", align=RIGHT),
    Column("说明", lambda c: c.note),
]

PAIRING_COLUMNS = [
    Column("年度", lambda p: p.year, align=CENTER),
    Column("牵头方", lambda p: p.strong_name),
    Column("被帮扶方", lambda p: p.weak_name),
    Column("共建内容", lambda p: "、".join(p.goals)),
    Column("年终评价", lambda p: p.rating),
    Column("备注", lambda p: p.note),
]
