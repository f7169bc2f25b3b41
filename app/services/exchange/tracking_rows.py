"""Package rows of the tracking engine: 书记项目 (led in the scope), 重点任务 (owned in the scope), their
milestones and logs, and the 例会 those tasks came from (all the year's 例会 when the scope is the unit)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import Organization
from db.models_tracking import KeyTask, Meeting, Milestone, SecretaryProject, TrackingLog

from .station_task_rows import station_owners

ENTITIES = ("meetings", "projects", "tasks", "milestones", "tracking_logs")
LABELS = {"meetings": "例会", "projects": "书记项目", "tasks": "重点任务", "milestones": "项目任务节点",
          "tracking_logs": "调度记录"}
FIELDS = {
    "title": "名称", "theme": "项目主题", "lead_person": "领衔书记", "partners": "责任单位", "problem": "解决的问题",
    "goal": "目标任务", "measures": "工作举措", "start_on": "开始日期", "end_on": "结束日期", "declared_on": "申报日期",
    "decided_on": "会议研究日期", "filed_on": "审核备案日期", "summary": "成效总结", "review": "述职评议",
    "finished_on": "结项日期", "end_reason": "终止理由", "bonus_year": "加分年份", "bonus_month": "加分月份",
    "bonus_points": "加分", "owner_person": "责任人", "issued_on": "交办日期", "due_on": "完成时限",
    "done_on": "完成日期", "evidence": "佐证", "verified_by": "验收人", "closed_on": "销号日期",
    "list_month": "清单月份", "meeting_uuid": "例会", "deducted_year": "扣分年份", "deducted_month": "扣分月份",
    "project_uuid": "书记项目", "task_uuid": "重点任务", "on": "日期", "progress": "进度", "problems": "存在问题",
    "next_steps": "下步打算", "by": "填报人", "sites": "观摩点", "speakers": "发言", "leader": "领办领导",
    "notes": "会议纪要", "station_uuid": "指导站", "instructor_uuid": "指导员",
}


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def collect(session: Session, root_id: int, ids: list[int], year: int, uuid_of: dict[int, str],
            only: set[str]) -> dict[str, list[dict]]:
    years = (year - 1, year)
    first, last = date(year - 1, 1, 1), date(year, 12, 31)
    out: dict[str, list[dict]] = {e: [] for e in ENTITIES if e in only}
    if not out:
        return out
    projects = list(session.scalars(select(SecretaryProject).where(
        SecretaryProject.lead_org_id.in_(ids), SecretaryProject.year.in_(years)).order_by(SecretaryProject.id)))
    tasks = list(session.scalars(select(KeyTask).where(
        KeyTask.owner_org_id.in_(ids), KeyTask.due_on >= first, KeyTask.due_on <= last).order_by(KeyTask.id)))
    project_uuid = {p.id: p.uuid for p in projects}
    project_org = {p.id: p.lead_org_id for p in projects}
    task_uuid = {t.id: t.uuid for t in tasks}
    task_org = {t.id: t.owner_org_id for t in tasks}
    meeting_q = select(Meeting).order_by(Meeting.id)
    top = session.get(Organization, root_id)  # the unit's own 例会 travel only with the unit's scope
    wanted = {t.meeting_id for t in tasks if t.meeting_id is not None}
    if top is not None and top.parent_id is None:
        meeting_q = meeting_q.where(or_(Meeting.id.in_(wanted), (Meeting.on >= first) & (Meeting.on <= last)))
    else:
        meeting_q = meeting_q.where(Meeting.id.in_(wanted))
    meetings = list(session.scalars(meeting_q))
    meeting_uuid = {m.id: m.uuid for m in meetings}
    if "meetings" in out:
        out["meetings"] = [{"uuid": m.uuid, "on": _d(m.on), "title": m.title, "sites": m.sites, "speakers": m.speakers,
                            "leader": m.leader, "notes": m.notes} for m in meetings]
    if "projects" in out:
        out["projects"] = [{
            "uuid": p.uuid, "org_uuid": uuid_of[p.lead_org_id], "year": p.year, "title": p.title, "level": p.level,
            "type": p.type, "theme": p.theme, "lead_person": p.lead_person, "partners": p.partners,
            "problem": p.problem, "goal": p.goal, "measures": p.measures, "start_on": _d(p.start_on),
            "end_on": _d(p.end_on), "declared_on": _d(p.declared_on), "decided_on": _d(p.decided_on),
            "filed_on": _d(p.filed_on), "status": p.status, "summary": p.summary, "review": p.review,
            "finished_on": _d(p.finished_on), "end_reason": p.end_reason, "bonus_year": p.bonus_year,
            "bonus_month": p.bonus_month, "bonus_points": None if p.bonus_points is None else str(p.bonus_points),
        } for p in projects]
    owner_kind = station_owners(session, tasks)
    if "tasks" in out:
        out["tasks"] = [{
            "uuid": t.uuid, "org_uuid": uuid_of[t.owner_org_id], "title": t.title, "source": t.source,
            "owner_person": t.owner_person, "issued_on": _d(t.issued_on), "due_on": _d(t.due_on), "status": t.status,
            "done_on": _d(t.done_on), "evidence": t.evidence, "verified_by": t.verified_by,
            "closed_on": _d(t.closed_on), "list_month": t.list_month, "meeting_uuid": meeting_uuid.get(t.meeting_id),
            "deducted_year": t.deducted_year, "deducted_month": t.deducted_month, **owner_kind.get(t.id, {}),
        } for t in tasks]

    def owner(row) -> dict:
        if row.project_id is not None:
            return {"project_uuid": project_uuid[row.project_id], "task_uuid": None,
                    "org_uuid": uuid_of[project_org[row.project_id]]}
        return {"project_uuid": None, "task_uuid": task_uuid[row.task_id], "org_uuid": uuid_of[task_org[row.task_id]]}

    owned = or_(Milestone.project_id.in_(list(project_uuid)), Milestone.task_id.in_(list(task_uuid)))
    if "milestones" in out:
        out["milestones"] = [{"uuid": m.uuid, **owner(m), "title": m.title, "due_on": _d(m.due_on),
                              "done_on": _d(m.done_on), "evidence": m.evidence, "sort_order": m.sort_order}
                             for m in session.scalars(select(Milestone).where(owned).order_by(Milestone.id))]
    if "tracking_logs" in out:
        logged = or_(TrackingLog.project_id.in_(list(project_uuid)), TrackingLog.task_id.in_(list(task_uuid)))
        out["tracking_logs"] = [{"uuid": r.uuid, **owner(r), "on": _d(r.on), "progress": r.progress, "note": r.note,
                                 "problems": r.problems, "next_steps": r.next_steps, "reason": r.reason, "by": r.by}
                                for r in session.scalars(select(TrackingLog).where(logged).order_by(TrackingLog.id))]
    return out
