"""Writing the tracking rows of a package under the rules of hand entry: a project's fields as 申报 checks
them, a task as 交办 checks it, a milestone within its project's dates, a log's progress 0–100, a 例会 as
登记 checks it. Mixed into exchange.write.Writer (which provides ``s``, ``ledger`` and ``org``)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from app.domain import tracking as rules
from app.errors import ValidationError
from app.services.kernel import permissions, tombstones, validate
from app.services.tracking import engine, meetings, projects, tasks
from app.services.tracking.removal import unit_root_id
from db.models import Organization
from db.models_tracking import KeyTask, Meeting, Milestone, SecretaryProject, TrackingLog

from .station_task_rows import StationTaskLinks


def _date(v: object, field: str, *, required: bool = True) -> date | None:
    if v is None:
        if required:
            raise ValueError(f"缺少{field}")
        return None
    try:
        return date.fromisoformat(str(v))
    except ValueError:
        raise ValueError(f"{field}“{v}”不是有效日期") from None


def _opt_int(v: object) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise ValueError(f"不是整数：{v!r}")
    return v


def _text(v: object, max_len: int = 4000) -> str:
    if v is None:
        return ""
    if not isinstance(v, str) or len(v) > max_len:
        raise ValueError(f"不是有效文字：{str(v)[:20]!r}")
    return v


class TrackingWriter(StationTaskLinks):
    s: object
    ledger: object

    def org(self, uuid: str) -> int:  # pragma: no cover - provided by Writer
        raise NotImplementedError

    def org_row(self, oid: int) -> Organization:
        """Held for the package (the session drops unreferenced rows: a year's records reloaded theirs 7,700 times)."""
        rows = self.__dict__.setdefault("_org_rows", {})
        return rows[oid] if oid in rows else rows.setdefault(oid, self.s.get(Organization, oid))

    def _tracking_by_uuid(self, model, uuid: object):
        return self.s.scalar(select(model).where(model.uuid == uuid))

    def _meetings(self, action: str, row: dict) -> None:
        speakers = json.loads(_text(row.get("speakers")) or "[]")
        if not isinstance(speakers, list) or not all(isinstance(x, list) and len(x) == 2 for x in speakers):
            raise ValueError("发言记录格式有误")
        sites = [x for x in _text(row.get("sites"), 400).split("、") if x]
        day, title, site_text, speaker_json, leader = meetings.check_meeting(
            _date(row["on"], "例会日期"), row.get("title"), sites, [tuple(x) for x in speakers], row.get("leader"),
            self.ledger.today())
        cur = self._tracking_by_uuid(Meeting, row["uuid"]) or Meeting(uuid=row["uuid"])
        engine.ensure_change_open(self.s, cur.on, day, "例会日期")  # as recording it by hand
        cur.on, cur.title, cur.sites, cur.speakers, cur.leader = day, title, site_text, speaker_json, leader
        cur.notes = _text(row.get("notes"))
        self.s.add(cur)

    def _projects(self, action: str, row: dict) -> None:
        lead = self.org_row(self.org(row["org_uuid"]))
        values = projects.check_fields(self.s, {
            "year": row.get("year"), "title": row.get("title"), "level": row.get("level"), "type": row.get("type"),
            "lead": lead.code, "start": row.get("start_on"), "end": row.get("end_on"), "goal": row.get("goal"),
            "measures": row.get("measures"), "theme": row.get("theme"), "lead_person": row.get("lead_person"),
            "partners": row.get("partners"), "problem": row.get("problem")})
        status = row.get("status")
        if status not in rules.PROJECT_STATUSES:
            raise ValueError(f"项目状态“{status}”无效")
        trail = [_date(row.get(k), k, required=False) for k in ("declared_on", "decided_on", "filed_on")]
        if status != rules.DECLARED and (trail[1] is None or trail[2] is None):
            raise ValueError(f"项目“{values['title']}”状态为{status}，却没有会议研究和审核备案日期")
        cur = self._tracking_by_uuid(SecretaryProject, row["uuid"]) or SecretaryProject(uuid=row["uuid"])
        for k, v in values.items():
            setattr(cur, k, v)
        cur.declared_on, cur.decided_on, cur.filed_on = trail
        cur.status, cur.summary, cur.review = status, _text(row.get("summary")), _text(row.get("review"), 200)
        finished = _date(row.get("finished_on"), "结项日期", required=False)
        engine.ensure_change_open(self.s, cur.finished_on, finished, "结项日期")  # as closing it by hand
        cur.finished_on, cur.end_reason = finished, _text(row.get("end_reason"), 200)
        cur.bonus_year, cur.bonus_month = _opt_int(row.get("bonus_year")), _opt_int(row.get("bonus_month"))
        cur.bonus_points = None if row.get("bonus_points") is None else validate.points(row["bonus_points"], "加分")
        self.s.add(cur)

    def _tasks(self, action: str, row: dict) -> None:
        oid = self.org(row["org_uuid"])
        title, source, issued, due = tasks.check_task(row.get("title"), row.get("source"), row.get("issued_on"),
                                                      row.get("due_on"))
        status = row.get("status")
        if status not in rules.STORED_TASK_STATUSES:
            raise ValueError(f"任务状态“{status}”无效")
        done = _date(row.get("done_on"), "完成日期", required=False)
        if done is not None and done < issued:
            raise ValueError(f"完成日期 {done} 早于交办日期 {issued}")
        meeting_id = None
        if row.get("meeting_uuid"):
            m = self._tracking_by_uuid(Meeting, row["meeting_uuid"])
            if m is None:
                raise ValueError("引用了数据包和本机都没有的例会")
            meeting_id = m.id
        list_month = _text(row.get("list_month"), 7)
        if list_month:
            tasks.parse_list_month(list_month)
        cur = self._tracking_by_uuid(KeyTask, row["uuid"]) or KeyTask(uuid=row["uuid"])
        closed = _date(row.get("closed_on"), "销号日期", required=False)
        engine.ensure_change_open(self.s, cur.done_on, done, "完成日期")  # as by hand: a closed month holds them
        engine.ensure_change_open(self.s, cur.closed_on, closed, "销号日期")
        cur.title, cur.source, cur.owner_org_id, cur.issued_on, cur.due_on = title, source, oid, issued, due
        cur.owner_person, cur.status, cur.done_on = _text(row.get("owner_person"), 40), status, done
        cur.evidence, cur.verified_by = _text(row.get("evidence"), 400), _text(row.get("verified_by"), 40)
        cur.closed_on, cur.list_month, cur.meeting_id = closed, list_month, meeting_id
        cur.deducted_year, cur.deducted_month = _opt_int(row.get("deducted_year")), _opt_int(row.get("deducted_month"))
        self.s.add(cur)
        self._link_station_task(cur, row)

    def _owner_ids(self, row: dict) -> tuple[int | None, int | None, date, date, str]:
        self.s.flush()
        if row.get("project_uuid"):
            p = self._tracking_by_uuid(SecretaryProject, row["project_uuid"])
            if p is None:
                raise ValueError("引用了数据包和本机都没有的书记项目")
            return p.id, None, p.start_on, p.end_on, f"项目“{p.title}”"
        t = self._tracking_by_uuid(KeyTask, row.get("task_uuid"))
        if t is None:
            raise ValueError("引用了数据包和本机都没有的重点任务")
        return None, t.id, t.issued_on, t.due_on, f"任务“{t.title}”"

    def _milestones(self, action: str, row: dict) -> None:
        pid, tid, first, last, what = self._owner_ids(row)
        try:
            title, due = engine.check_milestone(row.get("title"), row.get("due_on"), first, last, what)
        except ValidationError as e:
            raise ValueError(str(e)) from None
        cur = self._tracking_by_uuid(Milestone, row["uuid"]) or Milestone(uuid=row["uuid"])
        done = _date(row.get("done_on"), "完成日期", required=False)
        engine.ensure_change_open(self.s, cur.done_on, done, "节点完成日期")  # as marking it done by hand
        cur.project_id, cur.task_id, cur.title, cur.due_on = pid, tid, title, due
        cur.done_on, cur.evidence = done, _text(row.get("evidence"), 400)
        cur.sort_order = _opt_int(row.get("sort_order")) or 0
        self.s.add(cur)

    def _tracking_logs(self, action: str, row: dict) -> None:
        pid, tid, _first, _last, _what = self._owner_ids(row)
        progress = _opt_int(row.get("progress"))
        problem = rules.progress_problem(progress if progress is not None else -1, None, "")
        if problem:
            raise ValueError(problem)
        note = _text(row.get("note"))
        if not note.strip():
            raise ValueError("调度情况不能为空")
        cur = self._tracking_by_uuid(TrackingLog, row["uuid"]) or TrackingLog(uuid=row["uuid"])
        on = _date(row.get("on"), "调度日期")
        engine.ensure_day_open(self.s, cur.on, "调度日期")  # a log of a closed month neither changes nor moves
        engine.ensure_day_open(self.s, on, "调度日期")
        cur.project_id, cur.task_id, cur.on, cur.progress, cur.note = pid, tid, on, progress, note
        cur.problems, cur.next_steps = _text(row.get("problems")), _text(row.get("next_steps"))
        cur.reason, cur.by = _text(row.get("reason"), 200), _text(row.get("by"), 40)
        self.s.add(cur)

    # ---- deletions ----
    def _delete_tracking(self, entity: str, model, ident: dict, org_of, year_of) -> None:
        row = self._tracking_by_uuid(model, ident["uuid"])
        if row is not None:
            if entity != "meetings":  # a 例会 is the unit's own; the others belong to an organisation
                permissions.require_org(self.s, self.ledger, org_of(row))
            tombstones.tracking_removed(self.s, self.ledger.user, entity, row.uuid, org_of(row), year_of(row))
            self.s.delete(row)

    def _delete_projects(self, ident: dict) -> None:
        self._delete_tracking("projects", SecretaryProject, ident, lambda r: r.lead_org_id, lambda r: r.year)

    def _delete_tasks(self, ident: dict) -> None:
        self._delete_tracking("tasks", KeyTask, ident, lambda r: r.owner_org_id, lambda r: r.due_on.year)

    def _delete_milestones(self, ident: dict) -> None:
        def org_of(m: Milestone) -> int:
            if m.project_id is not None:
                return self.s.get(SecretaryProject, m.project_id).lead_org_id
            return self.s.get(KeyTask, m.task_id).owner_org_id

        self._delete_tracking("milestones", Milestone, ident, org_of, lambda r: r.due_on.year)

    def _delete_meetings(self, ident: dict) -> None:
        self._delete_tracking("meetings", Meeting, ident, lambda r: unit_root_id(self.s), lambda r: r.on.year)

    def _delete_tracking_logs(self, ident: dict) -> None:
        def org_of(r: TrackingLog) -> int:
            if r.project_id is not None:
                return self.s.get(SecretaryProject, r.project_id).lead_org_id
            return self.s.get(KeyTask, r.task_id).owner_org_id

        row = self._tracking_by_uuid(TrackingLog, ident["uuid"])
        if row is not None:
            engine.ensure_day_open(self.s, row.on, "调度日期")  # as deleting it by hand
        self._delete_tracking("tracking_logs", TrackingLog, ident, org_of, lambda r: r.on.year)
