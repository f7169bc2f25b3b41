"""Demo 结果运用: the 表彰 behind the demo's 加分 points, persons' and township awards, 补助经费 for
C-class (培育) branches and 阵地 grants, and confirmed 奖补 / 绩效 for the confirmed past years."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.incentives import results
from app.services.kernel.context import Ledger
from app.services.register.orgs import class_map
from db.models import MonthlyScore, Organization, PartyMember, SchemeItemRow, SchemeRow
from db.models_incentives import Award, Grant

COUNTY, CITY = "中共青山县委", "中共安庆市委"
COLLECTIVE = [("县", "全县先进基层党组织", COUNTY), ("县", "县级“五星级党支部”", "中共青山县委组织部"),
              ("市", "全市“双强六好”非公企业党组织", CITY), ("市", "市级基层党建示范点", "中共安庆市委组织部")]
PERSONAL = [("县", "全县优秀共产党员", COUNTY), ("县", "全县优秀党务工作者", COUNTY),
            ("乡镇", "开发区优秀共产党员", "青山经济开发区党工委")]
TOWNSHIP = ("乡镇", "开发区“红旗党支部”", "青山经济开发区党工委")
TRAINING_GRANT = Decimal("5000.00")  # 对申报培育的党支部每年补助工作经费 5000 元 (reference 003)


def add(s: Session, ledger: Ledger, rng: random.Random, years: list[int], today: date) -> None:
    """Registers first (before the years are confirmed): each demo 加分 "获县级以上表彰" occurrence gets
    its award, counted on that item, so the register and the points agree."""
    for year in years:
        bonus = s.execute(
            select(MonthlyScore.org_id, MonthlyScore.month, MonthlyScore.manual_count)
            .join(SchemeItemRow, SchemeItemRow.id == MonthlyScore.item_id)
            .join(SchemeRow, SchemeRow.id == SchemeItemRow.scheme_id)
            .where(SchemeRow.year == year, SchemeItemRow.code == "JF01", MonthlyScore.manual_count > 0)
        ).all()
        sectors = dict(s.execute(select(Organization.id, Organization.sector)).all())
        for org_id, month, count in bonus:
            for k in range(count):
                fits = [c for c in COLLECTIVE if "非公" not in c[1] or sectors[org_id] == "非公企业"]
                level, title, issuer = rng.choice(fits)
                s.add(Award(org_id=org_id, level=level, date=date(year, month, min(28, 8 + k * 7)), title=title,
                            issuer=issuer, person="", note="", bonus_item="JF01"))
        branches = list(s.scalars(select(Organization).where(Organization.kind.in_(("党支部", "联合党支部")))
                                  .order_by(Organization.code)))
        for org in rng.sample(branches, 4):  # persons of a branch: no organisation bonus
            person = s.scalar(select(PartyMember.name).where(PartyMember.org_id == org.id).limit(1))
            on = date(year, 6, 28)
            if person and on <= today:
                level, title, issuer = rng.choice(PERSONAL)
                s.add(Award(org_id=org.id, level=level, date=on, title=title, issuer=issuer, person=person, note="",
                            bonus_item=None))
        for org in rng.sample(branches, 2):  # township level: below 县级, no bonus
            on = date(year, 7, 1)
            if on <= today:
                s.add(Award(org_id=org.id, level=TOWNSHIP[0], date=on, title=TOWNSHIP[1], issuer=TOWNSHIP[2],
                            person="", note="“七一”表彰", bonus_item=None))
        classes = class_map(s, year)
        for org in branches:
            on = date(year, 3, 15)
            if classes.get(org.id) is not None and classes[org.id].value == "C" and on <= today:
                s.add(Grant(org_id=org.id, purpose="培育党支部工作经费", amount=TRAINING_GRANT, date=on,
                            note=f"{year} 年 C类孵化型支部培育补助"))
        for org in rng.sample([b for b in branches if b.sector in ("非公企业", "社会组织")], 3):
            on = date(year, 9, 20)
            if on <= today:
                s.add(Grant(org_id=org.id, purpose="党群服务阵地建设补助",
                            amount=Decimal(rng.choice(("8000.00", "12000.00", "15000.00"))), date=on, note=""))
    s.flush()


def confirm_past(s: Session, ledger: Ledger, years: list[int], today: date) -> None:
    """After the past years' grades are confirmed: their 奖补 / 绩效 confirmed too."""
    for year in years:
        if year < today.year:
            results.confirm_in(s, ledger, year)
