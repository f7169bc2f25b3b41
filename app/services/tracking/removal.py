"""Deleting tracking rows entered by mistake: a project still at 申报, a milestone not yet done, a task with no
deduction, a 例会 (its assigned tasks stay), a 调度/跟踪 log entry (not in a closed month). Each deletion leaves a
tombstone, so packages carry it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import tracking as rules
from app.errors import NotFoundError, ValidationError
from app.services.kernel import audit, permissions, tombstones
from app.services.kernel.context import Ledger
from db.models import Organization
from db.models_tracking import KeyTask, Meeting, SecretaryProject, TrackingLog

from . import engine, projects, tasks


def unit_root_id(s: Session) -> int | None:
    """The top organisation: 例会 belong to the unit, and their tombstones travel with its scope."""
    return s.scalar(select(Organization.id).where(Organization.parent_id.is_(None)).order_by(Organization.id).limit(1))


def remove_project(ledger: Ledger, project_id: object) -> None:
    permissions.require(ledger, "tracking_approve")
    with ledger.db.write() as s:
        row = projects.get_row(s, project_id)
        permissions.require_org(s, ledger, row.lead_org_id)
        if row.status != rules.DECLARED:
            raise ValidationError(f"项目“{row.title}”已{row.status}，不能删除（可终止并说明理由）")
        for m in engine.milestone_rows(s, project_id=row.id):
            tombstones.tracking_removed(s, ledger.user, "milestones", m.uuid, row.lead_org_id, m.due_on.year)
        tombstones.tracking_removed(s, ledger.user, "projects", row.uuid, row.lead_org_id, row.year)
        audit.record(s, ledger, "删除书记项目", "secretary_project", entity_uuid=row.uuid, summary=row.title)
        s.delete(row)


def remove_milestone(ledger: Ledger, milestone_id: object) -> None:
    permissions.require(ledger, "tracking")
    with ledger.db.write() as s:
        m = engine.get_milestone(s, milestone_id)
        if m.done_on is not None:
            raise ValidationError(f"节点“{m.title}”已完成，不能删除")
        owner = (s.get(SecretaryProject, m.project_id).lead_org_id if m.project_id is not None
                 else s.get(KeyTask, m.task_id).owner_org_id)
        permissions.require_org(s, ledger, owner)
        tombstones.tracking_removed(s, ledger.user, "milestones", m.uuid, owner, m.due_on.year)
        audit.record(s, ledger, "删除节点", "tracking_milestone", entity_uuid=m.uuid, summary=f"{m.title}（{m.due_on}）")
        s.delete(m)


def remove_task(ledger: Ledger, task_id: object) -> None:
    permissions.require(ledger, "tracking")
    with ledger.db.write() as s:
        row = tasks.get_row(s, task_id)
        permissions.require_org(s, ledger, row.owner_org_id)
        if row.deducted_month is not None:
            raise ValidationError(f"任务“{row.title}”已作为扣分依据，不能删除")
        for m in engine.milestone_rows(s, task_id=row.id):
            tombstones.tracking_removed(s, ledger.user, "milestones", m.uuid, row.owner_org_id, m.due_on.year)
        tombstones.tracking_removed(s, ledger.user, "tasks", row.uuid, row.owner_org_id, row.due_on.year)
        audit.record(s, ledger, "删除重点任务", "key_task", entity_uuid=row.uuid, summary=row.title)
        s.delete(row)


def remove_meeting(ledger: Ledger, meeting_id: object) -> None:
    permissions.require(ledger, "tracking")
    with ledger.db.write() as s:
        try:
            row = s.get(Meeting, int(str(meeting_id)))
        except ValueError:
            raise ValidationError(f"例会编号应为整数，收到“{meeting_id}”") from None
        if row is None:
            raise NotFoundError(f"找不到编号为 {meeting_id} 的例会")
        tombstones.tracking_removed(s, ledger.user, "meetings", row.uuid, unit_root_id(s), row.on.year)
        audit.record(s, ledger, "删除例会", "meeting", entity_uuid=row.uuid, summary=f"{row.on} {row.title}")
        s.delete(row)


def remove_log(ledger: Ledger, log_id: object) -> engine.LogInfo:
    """Delete a 调度 (project) or 跟踪 (task) entry entered by mistake: not in a locked month or a confirmed year,
    not once the project or task is finished. A project (task) left with no entry goes back to 立项 (待办)."""
    permissions.require(ledger, "tracking")
    with ledger.db.write() as s:
        try:
            row = s.get(TrackingLog, int(str(log_id)))
        except ValueError:
            raise ValidationError(f"调度记录编号应为整数，收到“{log_id}”") from None
        if row is None:
            raise NotFoundError(f"找不到编号为 {log_id} 的调度记录")
        if row.project_id is not None:
            owner = projects.get_row(s, row.project_id)
            if owner.status in (rules.COMPLETED, rules.TERMINATED):
                raise ValidationError(f"项目“{owner.title}”已{owner.status[-2:]}，不能删除调度记录")
            org_id, what = owner.lead_org_id, f"项目“{owner.title}”"
        else:
            owner = tasks.get_row(s, row.task_id)
            if owner.status in (rules.DONE, rules.CLOSED):
                raise ValidationError(f"任务“{owner.title}”已{owner.status}，不能删除跟踪记录")
            org_id, what = owner.owner_org_id, f"任务“{owner.title}”"
        engine.ensure_day_open(s, row.on, "调度日期")
        info = engine.log_info(row)
        tombstones.tracking_removed(s, ledger.user, "tracking_logs", row.uuid, org_id, row.on.year)
        audit.record(s, ledger, "删除调度记录", "tracking_log", entity_uuid=row.uuid,
                     org_code=s.get(Organization, org_id).code,
                     summary=f"{what}：{row.on} {row.progress}%，{row.note}")
        s.delete(row)
        s.flush()
        left = engine.log_rows(s, project_id=row.project_id) if row.project_id is not None \
            else engine.log_rows(s, task_id=row.task_id)
        if not left and owner.status in (rules.RUNNING, rules.DOING):
            owner.status = rules.APPROVED if row.project_id is not None else rules.TODO
        return info
