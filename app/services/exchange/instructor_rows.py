"""党建指导员 rows of a package (issue 19.9): the stations of the scope's organisations, their instructors,
assignments, the weekly logs and visits, tickets of the package's years, the yearly schemes, grades and sign-offs;
guidance targets of the scope's 党委. Each as a plain JSON dict, keyed as app.domain.row_keys says."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.points import fmt
from db.models_instructors import (
    Assignment,
    GradeSignoff,
    GuidanceTarget,
    Instructor,
    InstructorGrade,
    InstructorScheme,
    Station,
    StationSignoff,
    Ticket,
    Visit,
    WeeklyLog,
)

INSTRUCTOR_ENTITIES = ("ins_stations", "instructors", "ins_targets", "ins_assignments", "ins_logs", "ins_visits",
                       "ins_tickets", "ins_schemes", "ins_grades", "ins_signoffs", "ins_station_signoffs")
INSTRUCTOR_DELETABLE = ("ins_assignments", "ins_visits", "ins_grades", "ins_signoffs", "ins_station_signoffs")
NATURAL_KEYED = ("ins_logs", "ins_grades", "ins_schemes", "ins_signoffs", "ins_station_signoffs")  # their uuid is not part of the content
INSTRUCTOR_LABELS = {
    "ins_stations": "指导站", "instructors": "党建指导员", "ins_targets": "指导对象", "ins_assignments": "指导员指派",
    "ins_logs": "指导员周记录", "ins_visits": "走访记录", "ins_tickets": "问题帮办", "ins_schemes": "指导员考核细则",
    "ins_grades": "指导员考核等次", "ins_signoffs": "指导员考核签认", "ins_station_signoffs": "指导站考核签认",
}
INSTRUCTOR_FIELDS = {
    "station_uuid": "指导站", "instructor_uuid": "指导员", "target_uuid": "指导对象", "committee_uuid": "所属党委",
    "mode": "专职/兼职", "group": "小组", "term_end": "任期结束", "tags": "标签", "industry": "行业",
    "start_on": "开始日期", "end_on": "结束日期", "in_town": "镇域", "week": "周次", "a_days": "A岗天数",
    "b_days": "B岗天数", "visits": "走访企业", "orgs_founded": "组建党组织", "mass_orgs": "组建群团组织",
    "problems": "收集问题", "solved": "帮办解决", "experiences": "典型经验", "briefs": "工作简报", "purpose": "事由",
    "raised_by": "提出人", "raised_on": "收集日期", "handled_by": "承办单位", "closed_on": "办结日期",
    "satisfaction": "满意度", "rules": "考核细则", "points": "积分", "grade": "等次", "step": "签认环节",
    "person": "签认人", "signed_at": "签认时间", "signed_by": "录入账户",
}


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt(value: datetime | None) -> str | None:
    return value.isoformat(timespec="milliseconds") if value is not None else None


def collect_instructors(s: Session, ids: list[int], year: int, uuid_of: dict[int, str]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {e: [] for e in INSTRUCTOR_ENTITIES}
    idset = set(ids)
    stations = [st for st in s.scalars(select(Station).order_by(Station.id)) if st.org_id in idset]
    if not stations:
        return out
    st_uuid = {st.id: st.uuid for st in stations}
    for st in stations:
        out["ins_stations"].append({"uuid": st.uuid, "name": st.name, "org_uuid": uuid_of.get(st.org_id),
                                    "note": st.note})
    people = list(s.scalars(select(Instructor).where(Instructor.station_id.in_(st_uuid)).order_by(Instructor.id)))
    ins_uuid = {i.id: i.uuid for i in people}
    for i in people:
        out["instructors"].append({"uuid": i.uuid, "station_uuid": st_uuid[i.station_id], "name": i.name,
                                   "source": i.source, "mode": i.mode, "group": i.group_name, "post": i.post,
                                   "term_start": _d(i.term_start), "term_end": _d(i.term_end), "phone": i.phone})
    targets = list(s.scalars(select(GuidanceTarget).where(or_(GuidanceTarget.committee_id.in_(idset),
                                                              GuidanceTarget.org_id.in_(idset)))
                             .order_by(GuidanceTarget.id)))
    t_uuid = {t.id: t.uuid for t in targets}
    for t in targets:
        out["ins_targets"].append({"uuid": t.uuid, "name": t.name, "sector": t.sector, "tags": t.tags,
                                   "industry": t.industry, "committee_uuid": uuid_of.get(t.committee_id),
                                   "org_uuid": uuid_of.get(t.org_id), "status": t.status, "note": t.note})
    first = date(year - 1, 1, 1)
    for a in s.scalars(select(Assignment).where(Assignment.instructor_id.in_(ins_uuid)).order_by(Assignment.id)):
        if (a.org_id is not None and a.org_id not in idset) or (a.target_id is not None and a.target_id not in t_uuid):
            continue
        out["ins_assignments"].append({"uuid": a.uuid, "instructor_uuid": ins_uuid[a.instructor_id],
                                       "org_uuid": uuid_of.get(a.org_id), "target_uuid": t_uuid.get(a.target_id),
                                       "start_on": _d(a.start_on), "end_on": _d(a.end_on), "in_town": a.in_town})
    logs = list(s.scalars(select(WeeklyLog).where(WeeklyLog.instructor_id.in_(ins_uuid),
                                                  WeeklyLog.year.in_([year - 1, year])).order_by(WeeklyLog.id)))
    fields = ("a_days", "b_days", "visits", "orgs_founded", "mass_orgs", "problems", "solved", "experiences", "briefs")
    log_key = {}
    for r in logs:
        log_key[r.id] = (ins_uuid[r.instructor_id], r.week)
        out["ins_logs"].append({"uuid": r.uuid, "instructor_uuid": ins_uuid[r.instructor_id], "week": r.week,
                                **{k: getattr(r, k) for k in fields}, "note": r.note})
    if log_key:
        for v in s.scalars(select(Visit).where(Visit.log_id.in_(log_key)).order_by(Visit.id)):
            who, week = log_key[v.log_id]
            out["ins_visits"].append({"uuid": v.uuid, "instructor_uuid": who, "week": week,
                                      "target_uuid": t_uuid.get(v.target_id), "org_uuid": uuid_of.get(v.org_id),
                                      "place": v.place, "date": _d(v.date), "purpose": v.purpose})
    for t in s.scalars(select(Ticket).where(Ticket.instructor_id.in_(ins_uuid), or_(
            Ticket.raised_on >= first, Ticket.status.not_in(("办结", "回访")))).order_by(Ticket.id)):
        out["ins_tickets"].append({"uuid": t.uuid, "instructor_uuid": ins_uuid[t.instructor_id],
                                   "target_uuid": t_uuid.get(t.target_id), "org_uuid": uuid_of.get(t.org_id),
                                   "place": t.place, "raised_by": t.raised_by, "raised_on": _d(t.raised_on),
                                   "content": t.content, "status": t.status, "handled_by": t.handled_by,
                                   "closed_on": _d(t.closed_on), "satisfaction": t.satisfaction, "note": t.note})
    for sc in s.scalars(select(InstructorScheme).where(InstructorScheme.year.in_([year - 1, year]))):
        out["ins_schemes"].append({"uuid": sc.uuid, "year": sc.year, "rules": json.loads(sc.rules)})
    for g in s.scalars(select(InstructorGrade).where(InstructorGrade.instructor_id.in_(ins_uuid),
                                                     InstructorGrade.year.in_([year - 1, year]))):
        out["ins_grades"].append({"uuid": g.uuid, "instructor_uuid": ins_uuid[g.instructor_id], "year": g.year,
                                  "points": fmt(g.points), "grade": g.grade})
    for x in s.scalars(select(GradeSignoff).where(GradeSignoff.year.in_([year - 1, year])).order_by(GradeSignoff.id)):
        out["ins_signoffs"].append({"uuid": x.uuid, "year": x.year, "step": x.step, "person": x.person,
                                    "signed_at": _dt(x.signed_at), "signed_by": x.signed_by})
    for x in s.scalars(select(StationSignoff).where(StationSignoff.station_id.in_(st_uuid),
                                                    StationSignoff.year.in_([year - 1, year])).order_by(StationSignoff.id)):
        out["ins_station_signoffs"].append({"uuid": x.uuid, "station_uuid": st_uuid[x.station_id], "year": x.year,
                                            "step": x.step, "person": x.person, "signed_at": _dt(x.signed_at),
                                            "signed_by": x.signed_by})
    return out
