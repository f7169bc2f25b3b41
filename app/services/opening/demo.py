"""示例数据: a believable development zone with three years of records, points, warnings and grades.

Deterministic (seeded) for a given "today". Loaded in one transaction: all of it, or none.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import insert, select

from app.domain.enums import quarter_months
from app.errors import ConflictError
from app.services.assessment import grades, warnings
from app.services.kernel import audit
from app.services.kernel.context import Ledger
from app.services.pairing import pairings as pairing_service
from app.services.pairing import suggest
from app.services.scoring import aggregate
from app.services.scoring.schemes import ensure_scheme, item_ids
from app.services.tracking import demo as tracking_demo
from db.models import (
    AnnualGrade,
    CommitteeMember,
    MonthlyScore,
    Organization,
    OrgClass,
    PartyMember,
    Setting,
    WarningRow,
    WorkRecord,
)
from db.types import new_uuid

from . import demo_instructors, demo_records, demo_results, demo_station_tasks
from .demo_names import (
    COMMITTEES,
    CONTENT,
    EDUCATION,
    GIVEN,
    PAIR_CONTENT,
    PAIR_TOPICS,
    PLACES,
    POSTS,
    SURNAMES,
    TOPICS,
    UNIT,
)
from .setup import is_empty, load_yibentong


@dataclass
class _Branch:
    id: int
    code: str
    name: str
    sector: str
    level: float  # how diligent the branch is at its meetings and activities, 0–1
    secretary: str
    recorder: str
    members: int
    veto_year: int | None = None
    profile: str = "B"
    outreach: float = 1.0  # publicity and volunteering relative to meetings
    lapses: float = 0.0  # chance per month of a deduction
    groups: bool = False  # has 党小组 (only larger branches hold 党小组会)
    paired: set[int] = field(default_factory=set)  # years the branch has a 结对共建 pairing
    names: tuple[str, ...] = ()  # the roster, 书记 first (demo_records fills attendance and 党费 from it)
    leader_of: dict[int, _Branch] = field(default_factory=dict)  # year → its leader, where it is helped

def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


# Profiles: (meeting diligence range, outreach factor, monthly lapse chance).
# B branches hold their meetings but neglect publicity and volunteering and slip now and then:
# their quarters mostly clear 25 while their year lands between 80 and 90.
PROFILES = {
    "A": ((0.86, 0.97), 1.0, 0.0), "B": ((0.84, 0.92), 0.12, 0.12), "C": ((0.5, 0.6), 0.4, 0.15),
    "weak": ((0.3, 0.36), 0.4, 0.2), "veto": ((0.88, 0.95), 1.0, 0.0), "declining": ((0.9, 0.95), 1.0, 0.0),
    "rising": ((0.55, 0.6), 0.6, 0.1),
}


def _profiles(rng: random.Random, n: int) -> list[str]:
    kinds = ["A"] * 10 + ["B"] * 15 + ["C"] * 8 + ["weak"] * 2 + ["veto", "declining", "rising"]
    kinds += ["B"] * max(0, n - len(kinds))
    rng.shuffle(kinds)
    return kinds[:n]


def load_demo(ledger: Ledger) -> str:
    if not is_empty(ledger):
        raise ConflictError("数据库中已有组织数据，示例数据只能载入空数据库")
    today = ledger.today()
    rng = random.Random(20240101)
    years = [today.year - 2, today.year - 1, today.year]
    types = {t["code"]: t for sec in load_yibentong()["sections"] for t in sec["types"]}
    with ledger.db.write() as s:
        for key, value in (("unit_name", UNIT[1]), ("unit_code", UNIT[0])):
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value=json.dumps(value, ensure_ascii=False)))
        root = Organization(code=UNIT[0], name=UNIT[1], kind="工委", sector="机关事业单位", secretary=_name(rng),
                            contact="0564-3388001", sort_order=0, address="青山经济开发区管委会")
        s.add(root)
        s.flush()
        branches: list[_Branch] = []
        sort = 1
        for code, name, sector, names in COMMITTEES:
            parent = Organization(code=code, name=name, kind="党委", sector=sector, parent_id=root.id,
                                  secretary=_name(rng), sort_order=sort, contact=f"0564-33880{sort:02d}")
            s.add(parent)
            s.flush()
            sort += 1
            profiles = _profiles(rng, len(names))
            for i, (bname, kind) in enumerate(zip(names, profiles, strict=True), start=1):
                span, outreach, lapses = PROFILES[kind]
                level = rng.uniform(*span)
                members = rng.randint(6, 34)
                org = Organization(
                    code=f"{code}{i:02d}", name=bname, kind="联合党支部" if "联合" in bname else "党支部",
                    sector=sector, parent_id=parent.id, member_count=members, sort_order=sort,
                    has_groups=members >= 15,
                    contact=f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}",
                    established_on=date(rng.randint(1998, 2021), rng.randint(1, 12), rng.randint(1, 28)),
                    address=f"青山经济开发区{rng.choice(['创业大道', '青山路', '皖江路', '科技园'])}{rng.randint(1, 300)}号",
                )
                sort += 1
                s.add(org)
                s.flush()
                b = _make_people(s, rng, org, level, members, today)
                b.veto_year = today.year - 1 if kind == "veto" else None
                b.profile, b.outreach, b.lapses = kind, outreach, lapses
                b.groups = members >= 15
                branches.append(b)
                initial = {"A": "A", "B": "B", "veto": "A", "declining": "A"}.get(kind, "C")
                s.add(OrgClass(org_id=org.id, year=years[0], category=initial, source="initial", note="初始分类"))
        # Year by year: a year's pairings follow the classes its previous year's confirmed grades set.
        for year in years:
            ensure_scheme(s, ledger, year)
            s.flush()
            _pairings(s, ledger, branches, year, leave=3 if year == today.year else 0)
            _year(s, ledger, rng, branches, year, today, types)
            aggregate.refresh_year(s, year)
            _warnings_and_grades(s, ledger, rng, years, today, year)
        tracking_demo.load(s, ledger, today, rng)
        demo_instructors.load(s, random.Random(19), today)
        demo_station_tasks.load(s, random.Random(1905), today)
        # 表彰 / 补助 registers for the bonus points given, then 奖补 / 绩效 confirmed for the confirmed years.
        demo_results.add(s, ledger, random.Random(20240117), years, today)  # own generator: the rest stays as it was
        demo_results.confirm_past(s, ledger, years, today)
        audit.record(s, ledger, "载入示例数据", "demo",
                     summary=f"{UNIT[1]}：{len(branches)} 个党支部，{years[0]}–{years[-1]} 年")
    return f"已载入示例数据：{UNIT[1]}，{len(branches)} 个基层党组织，{years[0]}–{years[-1]} 年"


def _make_people(s, rng: random.Random, org: Organization, level: float, members: int, today: date) -> _Branch:
    names = [_name(rng) for _ in range(members)]
    rows = []
    for idx, nm in enumerate(names):
        birth = date(rng.randint(1956, 2001), rng.randint(1, 12), rng.randint(1, 28))
        joined = birth + timedelta(days=rng.randint(19 * 365, 40 * 365))
        joined = min(joined, today - timedelta(days=rng.randint(60, 400)))
        status = "预备党员" if (today - joined).days < 365 else "正式党员"
        rows.append(dict(
            uuid=new_uuid(), org_id=org.id, name=nm, gender=rng.choice("男男女"), birth_date=birth,
            ethnicity="汉族" if rng.random() > 0.06 else rng.choice(["回族", "满族", "壮族"]),
            education=rng.choice(EDUCATION), joined_on=joined, status=status,
            post=rng.choice(POSTS[org.sector]) if idx else "党支部书记",
            phone=f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}", transfer_note="",
        ))
    s.execute(insert(PartyMember), rows)
    roles = ["书记", "组织委员", "宣传委员"] + (["纪检委员"] if members >= 15 else []) + (["副书记"] if members >= 25 else [])
    for i, role in enumerate(roles):
        s.add(CommitteeMember(org_id=org.id, name=names[i], role=role, phone=rows[i]["phone"], sort_order=i,
                              term_start=date(today.year - 2, rng.randint(1, 6), rng.randint(1, 28))))
    org.secretary = names[0]
    return _Branch(org.id, org.code, org.name, org.sector, level, names[0], names[1], members, names=tuple(names))


def _diligence(b: _Branch, year: int, today: date, rng: random.Random) -> float:
    base = b.level
    if b.profile == "rising":  # weak two years ago, good now
        base += 0.15 * (2 - (today.year - year))
    elif b.profile == "declining":  # strong two years ago, weak this year
        base -= 0.22 * (2 - (today.year - year))
    return max(0.2, min(1.0, base + rng.uniform(-0.05, 0.05)))


def _n(rng: random.Random, p: float, k: int = 1) -> int:
    return sum(1 for _ in range(k) if rng.random() < p)


def _year(s, ledger: Ledger, rng: random.Random, branches: list[_Branch], year: int, today: date, types) -> None:
    items = item_ids(s, year)
    records: list[dict] = []
    manual: list[dict] = []
    used: dict[tuple[int, str], Decimal] = defaultdict(Decimal)  # (branch, item) → points given this year
    last_month = 12 if year < today.year else today.month
    for b in branches:
        p = _diligence(b, year, today, rng)
        for m in range(1, last_month + 1):
            plan: dict[str, int] = {
                "2.2": _n(rng, p) + _n(rng, p * 0.5),
                "2.3": _n(rng, p, 2) if b.groups else 0,
                "6.2": _n(rng, min(1.0, p + 0.1)),
                "3.1": _n(rng, p + 0.05),
                "4.1": _n(rng, p, 2),
                "7.1": _n(rng, p * 0.95 * b.outreach, 2),
                "4.2": _n(rng, p * 0.6 * b.outreach, 2),
                "7.2": _n(rng, p * 0.75 * b.outreach, 2),
                "2.1": _n(rng, p) if m % 3 == 2 else 0,
                "2.4": (_n(rng, p) if m % 3 == 0 else 0) + (_n(rng, p * 0.5) if m in (1, 7) else 0),
                "5.1": _n(rng, min(1.0, p + 0.3)) if m == 1 else 0,
                "5.2": _n(rng, min(1.0, p + 0.3)) if m == 2 else 0,
                "7.3": (1 if m == 1 and rng.random() < p + 0.2 else 0) + (1 if m == 12 and rng.random() < p else 0),
                "6.1": _n(rng, 0.12),
            }
            for code, n in plan.items():
                for k in range(n):
                    day = min(28, 3 + k * 9 + rng.randint(0, 8))
                    on = date(year, m, day)
                    if on > today:
                        continue
                    records.append(_record(rng, b, code, on, types[code]["form"], k))
            # 结对共建 points come from joint activity records, held by both sides of a pairing that year.
            leader = b.leader_of.get(year)
            if leader is not None and m % 3 == 1 and _n(rng, 0.6 + 0.3 * p):
                on = date(year, m, min(28, 10 + rng.randint(0, 12)))
                if on <= today:
                    records += _pair_records(rng, b, leader, on)
            counts = {"XX02": _n(rng, p * 0.12 * b.outreach),
                      "KF01": _n(rng, b.lapses * 0.6), "KF02": _n(rng, b.lapses * 0.4)}
            if m == 11 and rng.random() < p - 0.65:
                counts["JF01"] = 1
            if m == 9 and rng.random() < p - 0.75:
                counts["JF02"] = 1
            if b.veto_year == year and m == 6:
                counts["KF03"] = 1
            if year == today.year and m == today.month and rng.random() > p:
                counts = {}  # this month's entry not done yet
            for code, n in counts.items():
                if n and code in items and date(year, m, 1) <= today:
                    it = items[code]
                    if it.yearly_cap is not None:  # hand entry refuses points past the yearly cap; so does the demo
                        room = int((it.yearly_cap - used[(b.id, code)]) / it.points)
                        n = min(n, room)
                        if n <= 0:
                            continue
                        used[(b.id, code)] += it.points * n
                    manual.append(dict(uuid=new_uuid(), org_id=b.id, item_id=it.id, year=year, month=m, manual_count=n,
                                       manual_points=it.points * n, record_count=0, effective=0, note=""))
    if records:
        s.execute(insert(WorkRecord), records)
    if manual:
        s.execute(insert(MonthlyScore), manual)


def _record(rng: random.Random, b: _Branch, code: str, on: date, form: str, k: int) -> dict:
    topic = rng.choice(TOPICS[code]).format(m=on.month, y=on.year - 1 if code == "5.1" or code == "5.2" else on.year,
                                            org=b.name)
    if code == "7.3":
        topic = f"{on.year}年度党建工作{'计划' if on.month == 1 else '总结'}"
    expected = 3 + (b.members >= 15) + (b.members >= 25) if code == "2.2" else b.members
    actual = max(1, expected - rng.choice((0, 0, 0, 1, 1, 2)))
    attendance = form in ("meeting", "lecture", "study", "activity")
    absent = expected - actual
    content = CONTENT.get(form, CONTENT["meeting"]).format(host=b.secretary, topic=topic, n=rng.randint(2, 6))
    extra: dict[str, str] = {}
    if form == "talk":
        extra["interviewee"] = _name(rng)
    if form == "publicity":
        extra["media"] = rng.choice(["开发区党建微信公众号", "青山经开区门户网站", "市委组织部“先锋”平台"])
    if form == "study":
        extra["materials"] = topic.replace("学习", "")
    if form == "development":
        extra["stage"] = rng.choice(["入党积极分子", "发展对象", "预备党员接收", "预备党员转正"])
        extra["candidate"] = _name(rng)
    row = dict(
        uuid=new_uuid(), org_id=b.id, type_code=code, date=on, year=on.year, month=on.month, topic=topic,
        content=content, place=rng.choice(PLACES) if attendance else "", host=b.secretary, recorder=b.recorder,
        attendance_expected=expected if attendance else None, attendance_actual=actual if attendance else None,
        absentees="、".join(f"{_name(rng)}（{rng.choice(['出差', '病假', '外出务工', '值班'])}）" for _ in range(absent))
        if attendance else "",
        extra=json.dumps(extra, ensure_ascii=False, sort_keys=True),
    )
    row.update(demo_records.filed(b.names, code, form, on, row))
    return row


def _pairings(s, ledger: Ledger, branches: list[_Branch], year: int, leave: int) -> None:
    """The year's pairings as the suggestions propose them, added under the rules of every path; ``leave``
    C-class branches stay unpaired (the 结对共建 page then has suggestions to show)."""
    by_code = {b.code: b for b in branches}
    found = [sg for sg in suggest.suggest_in(s, ledger, year) if sg.leader]
    for sg in found[:len(found) - leave]:
        reason = "本领域暂无A类机关事业单位党组织可牵头，由同领域A类组织牵头" if sg.note else ""
        pairing_service.add_in(s, ledger, sg.leader, sg.helped, year, goals=("阵地联用", "活动联办", "组织生活联过"),
                               reason=reason, note="以强带弱，结对共建")
        a, b = by_code[sg.leader], by_code[sg.helped]
        a.paired.add(year)
        b.paired.add(year)
        b.leader_of[year] = a


def _pair_records(rng: random.Random, helped: _Branch, leader: _Branch, on: date) -> list[dict]:
    """One joint activity, recorded in both branches' books (same date and topic), each naming the other."""
    topic_tpl, goal = rng.choice(PAIR_TOPICS)
    topic = topic_tpl.format(partner=leader.name, org=helped.name)
    n = rng.randint(12, 30)
    out = []
    for side, other in ((helped, leader), (leader, helped)):
        out.append(dict(
            uuid=new_uuid(), org_id=side.id, type_code="7.4", date=on, year=on.year, month=on.month, topic=topic,
            content=PAIR_CONTENT.format(topic=topic, host=leader.secretary, n=n), place=rng.choice(PLACES),
            host=leader.secretary, recorder=side.recorder, attendance_expected=n, attendance_actual=n,
            absentees="", extra=json.dumps({"goal": goal, "partner": f"{other.code} {other.name}"}, ensure_ascii=False, sort_keys=True),
        ))
    return out


def _warnings_and_grades(s, ledger: Ledger, rng: random.Random, years: list[int], today: date, only: int) -> None:
    measures = [
        "支部召开专题组织生活会查找问题，制定整改清单，按月落实三会一课。",
        "书记约谈后，支部补齐会议记录，规范党费收缴，建立月度工作提醒。",
        "与结对A类支部共同开展主题党日，学习先进经验，落实整改措施。",
    ]
    for year in (y for y in years if y == only):
        for q in range(1, 5):
            end = date(year, quarter_months(q)[2], 28)
            issued_on = end + timedelta(days=12)
            if issued_on > today:
                continue
            warnings.issue_in(s, ledger, year, q, f"青开党工〔{year if q < 4 else year + 1}〕{q * 3 + 2}号", issued_on)
            for w in s.scalars(select(WarningRow).where(WarningRow.year == year, WarningRow.quarter == q)):
                assert w.rect_deadline is not None
                if w.rect_deadline < today - timedelta(days=20) or rng.random() < 0.4:
                    w.rect_measures = rng.choice(measures)
                    if w.rect_deadline < today - timedelta(days=20) or rng.random() < 0.5:
                        w.rect_verified_by = "工委组织办 " + rng.choice(["周敏", "陈刚", "李娟"])
                        w.rect_closed_on = min(today, w.rect_deadline - timedelta(days=rng.randint(0, 8)))
        if year < today.year:
            if year == years[-2]:
                # One override, as an office would do after a committee decision.
                rows = grades.compute(s, ledger, year)
                near = next((g for g in rows if g.computed.value == "B" and g.score >= 88 and not g.veto), None)
                if near is not None:
                    oid = s.scalar(select(Organization.id).where(Organization.code == near.org_code))
                    s.add(AnnualGrade(org_id=oid, year=year, score=near.score, computed_class="B", final_class="A",
                                      veto=False, override_reason="获评市级“五星级党支部”，经工委会议研究同意调整为A类"))
                    s.flush()
            grades.confirm_in(s, ledger, year)
