"""示例数据 for the 党建指导员 (issue 19): one 指导站 of the 非公 committee with nine instructors in three 小组,
guidance targets (some since founded as branches), assignments covering most 非公 and 社会组织 units, a weekly log
for every instructor and week of last year and this year so far, tickets, and last year's grades signed off."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from app.domain import instructors as rules
from app.services.instructors import assessment
from db.models import Organization
from db.models_instructors import (
    Assignment,
    GradeSignoff,
    GuidanceTarget,
    Instructor,
    InstructorGrade,
    Station,
    Ticket,
    Visit,
    WeeklyLog,
)
from db.types import utcnow

STATION = "青山开发区党建工作指导站"
# (name, source, mode, group, post, diligence)
PEOPLE = [
    ("周立新", "市派", "专职", "第一组", "站长", 1.2), ("孙玉兰", "县(区)派", "专职", "第一组", "副站长", 0.95),
    ("钱国栋", "县(区)派", "兼职", "第一组", "指导员", 0.8), ("吴晓东", "省派", "专职", "第二组", "联络员", 1.0),
    ("郑秀梅", "县(区)派", "兼职", "第二组", "指导员", 0.75), ("冯建华", "市派", "专职", "第二组", "指导员", 1.15),
    ("陈海燕", "县(区)派", "兼职", "第三组", "指导员", 0.35), ("褚志强", "县(区)派", "专职", "第三组", "指导员", 0.85),
    ("卫明亮", "市派", "兼职", "第三组", "指导员", 0.65),
]
# (name, sector, tags, industry, 镇域, founded as branch code)
TARGETS = [
    ("青山云数科技有限公司", "非公企业", "互联网、新业态", "软件", False, None),
    ("皖江光伏材料有限公司", "非公企业", "规上、产业链", "新能源", False, None),
    ("城南快递服务站", "非公企业", "新业态", "物流", True, None),
    ("瑞丰新材料有限公司", "非公企业", "规上、新招商", "新材料", True, None),
    ("青禾生鲜电商有限公司", "非公企业", "互联网、新业态", "电商", False, None),
    ("开发区外卖骑手服务中心", "社会组织", "新业态", "物流", False, None),
    ("华创智能装备有限公司", "非公企业", "规上、产业链、新招商", "装备制造", True, None),
    ("青山家政服务协会", "社会组织", "", "家政", False, None),
    ("皖源生物科技有限公司", "非公企业", "新招商", "医药", True, None),
    ("智汇软件园", "非公企业", "互联网", "软件", False, "QS0307"),
    ("远航物流园", "非公企业", "规上、产业链", "物流", True, "QS0305"),
]
PURPOSES = ["了解党员情况，宣讲组建党组织政策", "指导规范“三会一课”", "协调解决用工问题", "指导开展主题党日",
            "走访调研，收集企业需求", "指导党建带群建工作", "指导整理党建台账", "宣传人才奖励申报政策"]
PROBLEMS = ["企业招工难，希望协调对接职业院校", "申报高新技术企业需要政策辅导", "党员活动场地不足", "物流园周边交通拥堵",
            "希望协调办理融资贷款贴息", "新招员工子女入学咨询", "人才公寓申请流程不清楚", "外卖骑手休息点建设"]
HANDLERS = ["开发区经济发展局", "开发区社会事业局", "非公企业综合党委", "区人社局", "开发区招商服务中心"]


def _chance(rng: random.Random, p: float) -> int:
    """A count with mean ``p`` (p may exceed 1)."""
    n = int(p)
    return n + (1 if rng.random() < p - n else 0)


def load(s, rng: random.Random, today: date) -> int:
    """Everything above inside the demo's transaction; returns the number of instructors."""
    committee = s.scalar(select(Organization).where(Organization.code == "QS03"))
    orgs = list(s.scalars(select(Organization).where(Organization.code.like("QS03%") | Organization.code.like("QS04%"),
                                                     Organization.kind.in_(("党支部", "联合党支部")))
                          .order_by(Organization.code)))
    by_code = {o.code: o for o in orgs}
    station = Station(name=STATION, org_id=committee.id, note="实行站长负责制、清单调度制、AB岗工作制、量化考核制")
    s.add(station)
    s.flush()
    first_year = today.year - 1
    people = []
    for name, source, mode, group, post, dil in PEOPLE:
        p = Instructor(name=name, source=source, mode=mode, station_id=station.id, group_name=group, post=post,
                       term_start=date(first_year - 1, 9, 1), phone=f"13{rng.randint(100000000, 999999999)}")
        s.add(p)
        people.append((p, dil))
    targets = []
    social = s.scalar(select(Organization.id).where(Organization.code == "QS04"))
    for name, sector, tags, industry, town, founded in TARGETS:
        t = GuidanceTarget(name=name, sector=sector, tags=tags, industry=industry, status="active", note="",
                           committee_id=social if sector == "社会组织" else committee.id,
                           org_id=by_code[founded].id if founded else None)
        s.add(t)
        targets.append((t, town))
    s.flush()
    start = date(first_year, 1, 1)
    units: dict[int, list[tuple[int | None, int | None, str]]] = {p.id: [] for p, _d in people}
    # Branches: all but the last two of each committee are covered; targets: all but two.
    plan = [(None, o, False) for o in orgs if o.code not in ("QS0310", "QS0311", "QS0407")
            and o.code not in ("QS0305", "QS0307")]
    plan += [(t, None, town) for t, town in targets[:-4]] + [(t, None, town) for t, town in targets[-2:]]
    for i, (t, o, town) in enumerate(plan):
        p, _dil = people[i % len(people)]
        s.add(Assignment(instructor_id=p.id, org_id=o.id if o else None, target_id=t.id if t else None,
                         start_on=start if i % 5 else date(first_year, 3, 1), end_on=None, in_town=town))
        units[p.id].append((t.id if t else None, o.id if o else None, t.name if t else o.name))
    s.flush()
    # Weekly logs: every week of last year, and this year's weeks that are over.
    weeks = [(first_year, w) for w in range(1, rules.weeks_in_year(first_year) + 1)]
    weeks += [(today.year, w) for w in range(1, rules.weeks_in_year(today.year) + 1)
              if rules.week_days(today.year, w)[1] < today]
    visits_of: list[tuple[WeeklyLog, dict]] = []  # added once the logs have ids (one flush, not one per week)
    for p, dil in people:
        for y, w in weeks:
            monday, _sunday = rules.week_days(y, w)
            holiday = rng.random() < 0.06
            b_days = 0 if holiday else min(4, _chance(rng, 2.6 * dil))
            a_days = 0 if holiday else min(5 - b_days, _chance(rng, 1.5))
            visits = 0 if holiday else _chance(rng, 1.3 * dil)
            log = WeeklyLog(instructor_id=p.id, week=rules.week_label(y, w), year=y, month=rules.week_month(y, w)[1],
                            a_days=a_days, b_days=b_days, visits=visits, orgs_founded=_chance(rng, 0.08 * dil),
                            mass_orgs=_chance(rng, 0.03 * dil), problems=_chance(rng, 0.06 * dil),
                            solved=_chance(rng, 0.2 * dil), experiences=_chance(rng, 0.035 * dil),
                            briefs=_chance(rng, 0.2 * dil), note="")
            s.add(log)
            mine = units[p.id]
            for k in range(min(visits, 3)):
                if not mine:
                    break
                tid, oid, name = rng.choice(mine)
                visits_of.append((log, dict(target_id=tid, org_id=oid, place=name, purpose=rng.choice(PURPOSES),
                                            date=monday + timedelta(days=min(4, k + rng.randint(0, 2))))))
            for _k in range(log.problems):
                if not mine:
                    break
                tid, oid, name = rng.choice(mine)
                raised = monday + timedelta(days=2)
                age = (today - raised).days
                status = ("回访" if age > 90 and rng.random() < 0.6 else "办结") if age > 45 and rng.random() < 0.85 \
                    else rng.choice(("收集", "交办", "办理中"))
                closed = raised + timedelta(days=rng.randint(7, 40)) if status in rules.CLOSED else None
                s.add(Ticket(instructor_id=p.id, target_id=tid, org_id=oid, place=name, raised_by="企业负责人",
                             raised_on=raised, content=rng.choice(PROBLEMS), status=status,
                             handled_by=rng.choice(HANDLERS) if status != "收集" else "", closed_on=closed,
                             satisfaction=rng.choice(("满意", "满意", "基本满意")) if status == "回访" else "", note=""))
    s.flush()
    s.add_all([Visit(log_id=log.id, **v) for log, v in visits_of])
    s.flush()
    # Last year's grades, signed off in order.
    for x in assessment.compute(s, first_year):
        s.add(InstructorGrade(instructor_id=x.instructor_id, year=first_year, points=x.points, grade=x.grade))
    for step, person in zip(rules.SIGNOFF_STEPS, ("孙玉兰", "周立新", "非公企业综合党委 王书记"), strict=True):
        s.add(GradeSignoff(year=first_year, step=step, person=person, signed_at=utcnow(), signed_by="管理员"))
    return len(people)
