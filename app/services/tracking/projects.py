"""书记项目台账: a project's 方案, its 立项 trail (申报 → 会议定 → 审核备案), milestones and 调度 log on the
tracking engine, type changes with a reason (分层动态管理, audited), completion and termination."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import tracking as rules
from app.errors import NotFoundError, ValidationError
from app.services.kernel import audit, permissions, scope, validate
from app.services.kernel.context import Ledger
from db.models import Organization
from db.models_tracking import SecretaryProject, TrackingLog

from . import bonus, engine


@dataclass(frozen=True)
class ProjectInfo:
    id: int
    uuid: str
    year: int
    title: str
    level: str
    type: str
    theme: str
    lead_code: str
    lead_name: str
    lead_person: str
    partners: str
    problem: str
    goal: str
    measures: str
    start: date
    end: date
    declared_on: date | None
    decided_on: date | None
    filed_on: date | None
    status: str
    summary: str
    review: str
    finished_on: date | None
    end_reason: str
    bonus_points: object
    track: rules.Track
    milestones: tuple[engine.MilestoneInfo, ...] = field(default=())
    logs: tuple[engine.LogInfo, ...] = field(default=())

    def as_dict(self, *, full: bool = False) -> dict:
        d = {"id": self.id, "year": self.year, "title": self.title, "level": self.level, "type": self.type,
             "theme": self.theme, "lead": self.lead_code, "lead_name": self.lead_name, "lead_person": self.lead_person,
             "partners": self.partners, "start": self.start.isoformat(), "end": self.end.isoformat(),
             "status": self.status, "lagging": self.track.is_lagging, "due_soon": self.track.is_due_soon,
             "milestones_done": self.track.milestones_done, "milestones_total": self.track.milestones_total,
             "progress": self.track.progress,
             "bonus_points": str(self.bonus_points) if self.bonus_points is not None else None}
        if full:
            d |= {"problem": self.problem, "goal": self.goal, "measures": self.measures,
                  "declared_on": _iso(self.declared_on), "decided_on": _iso(self.decided_on),
                  "filed_on": _iso(self.filed_on), "summary": self.summary, "review": self.review,
                  "finished_on": _iso(self.finished_on), "end_reason": self.end_reason,
                  "milestones": [m.as_dict() for m in self.milestones], "logs": [lg.as_dict() for lg in self.logs]}
        return d


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass
class Prefetch:
    """What a listing of many projects needs, read once (organisations, milestones, logs)."""

    orgs: dict[int, Organization]
    milestones: dict[int, list]
    logs: dict[int, list]

    @classmethod
    def read(cls, s: Session) -> Prefetch:
        return cls({o.id: o for o in s.scalars(select(Organization))}, engine.milestones_by_project(s),
                   engine.logs_by_owner(s, TrackingLog.project_id))


def _info(s: Session, row: SecretaryProject, today: date, days: int, *, full: bool = False,
          pre: Prefetch | None = None, as_of: date | None = None) -> ProjectInfo | None:
    """Where the project stands today — or, with ``as_of``, at the end of that day: milestones done later count
    as not done, later logs are left out, the status is read from the dated trail (None: not declared yet)."""
    lead = pre.orgs[row.lead_org_id] if pre else s.get(Organization, row.lead_org_id)
    ms = pre.milestones.get(row.id, []) if pre else engine.milestone_rows(s, project_id=row.id)
    logs = pre.logs.get(row.id, []) if pre else engine.log_rows(s, project_id=row.id)
    status, finished_on = row.status, row.finished_on
    if as_of is not None:
        today, logs = as_of, [r for r in logs if r.on <= as_of]
        status = rules.status_on(row.status, as_of, declared_on=row.declared_on, decided_on=row.decided_on,
                                 finished_on=row.finished_on, logged_by_then=bool(logs))
        if status is None:
            return None
        if status not in (rules.COMPLETED, rules.TERMINATED):
            finished_on = None
    infos = [engine.milestone_info(m, today, days, as_of=as_of) for m in ms]
    progress = logs[-1].progress if logs else 0
    tr = rules.track([rules.Milestone(m.title, m.due, m.done_on) for m in infos], today, days, progress,
                     active=status not in (rules.COMPLETED, rules.TERMINATED))
    return ProjectInfo(
        row.id, row.uuid, row.year, row.title, row.level, row.type, row.theme, lead.code, lead.name, row.lead_person,
        row.partners, row.problem, row.goal, row.measures, row.start_on, row.end_on, row.declared_on, row.decided_on,
        row.filed_on, status, row.summary, row.review, finished_on, row.end_reason, row.bonus_points, tr,
        tuple(infos) if full else (),
        tuple(engine.log_info(r) for r in logs) if full else (),
    )


def get_row(s: Session, project_id: object) -> SecretaryProject:
    try:
        pid = int(str(project_id))
    except ValueError:
        raise ValidationError(f"项目编号应为整数，收到“{project_id}”") from None
    row = s.get(SecretaryProject, pid)
    if row is None:
        raise NotFoundError(f"找不到编号为 {pid} 的书记项目")
    return row


def _org(s: Session, code: object, field: str) -> Organization:
    code = validate.code(code, field)
    org = s.scalar(select(Organization).where(Organization.code == code))
    if org is None:
        raise NotFoundError(f"{field}：找不到组织编码为“{code}”的党组织")
    return org


def _partners(s: Session, value: object) -> str:
    codes = [c.strip() for c in str(value or "").replace(",", "、").replace("，", "、").split("、") if c.strip()]
    for c in codes:
        _org(s, c, "责任单位")
    return "、".join(codes)


def check_dates(start: object, end: object) -> tuple[date, date]:
    first = validate.parse_date(start, "开始日期")
    last = validate.parse_date(end, "结束日期")
    if last < first:
        raise ValidationError(f"结束日期 {last} 早于开始日期 {first}")
    return first, last


def check_fields(s: Session, v: dict) -> dict:
    """The rules of a project's own fields, for every path that writes one (by hand, a package)."""
    out = {
        "year": validate.year(v.get("year")),
        "title": validate.text(v.get("title"), "项目名称", required=True),
        "level": validate.one_of(v.get("level"), rules.LEVELS, "项目层级"),
        "type": validate.one_of(v.get("type"), rules.TYPES, "项目类型"),
        "theme": validate.text(v.get("theme"), "项目主题", max_len=100),
        "lead_org_id": _org(s, v.get("lead"), "牵头组织").id,
        "lead_person": validate.text(v.get("lead_person"), "领衔书记", max_len=40),
        "partners": _partners(s, v.get("partners")),
        "problem": validate.text(v.get("problem"), "解决的问题", max_len=2000),
        "goal": validate.text(v.get("goal"), "目标任务", max_len=2000),
        "measures": validate.text(v.get("measures"), "工作举措", max_len=2000),
    }
    out["start_on"], out["end_on"] = check_dates(v.get("start"), v.get("end"))
    return out


def add_project(ledger: Ledger, *, year: object, title: object, level: object, type: object, lead: object,
                start: object, end: object, goal: object = "", measures: object = "", theme: object = "",
                lead_person: object = "", partners: object = "", problem: object = "",
                declared_on: object = None) -> ProjectInfo:
    """申报 a project (status 申报); the 方案 and milestones may follow before 立项."""
    permissions.require(ledger, "tracking")
    today, days = ledger.today(), engine.soon_days(ledger)
    with ledger.db.write() as s:
        values = check_fields(s, {"year": year, "title": title, "level": level, "type": type, "lead": lead,
                                  "start": start, "end": end, "goal": goal, "measures": measures, "theme": theme,
                                  "lead_person": lead_person, "partners": partners, "problem": problem})
        declared = engine.check_done_on(declared_on, today, "申报日期")
        row = SecretaryProject(**values, declared_on=declared, status=rules.DECLARED)
        permissions.require_org(s, ledger, row.lead_org_id)
        if not row.lead_person:
            row.lead_person = s.get(Organization, row.lead_org_id).secretary or ""
        s.add(row)
        s.flush()
        lead_code = s.get(Organization, row.lead_org_id).code
        audit.record(s, ledger, "申报书记项目", "secretary_project", entity_uuid=row.uuid, org_code=lead_code,
                     summary=f"{row.year} {row.type}项目：{row.title}")
        return _info(s, row, today, days)


EDITABLE = {"title": "项目名称", "level": "项目层级", "type": "项目类型", "theme": "项目主题", "lead_person": "领衔书记",
            "partners": "责任单位", "problem": "解决的问题", "goal": "目标任务", "measures": "工作举措",
            "start": "开始日期", "end": "结束日期", "review": "述职评议结果", "summary": "成效总结"}


def update_project(ledger: Ledger, project_id: object, *, reason: object = "", **changes: object) -> ProjectInfo:
    """Change a project's fields. After 立项 a change of type or level needs a reason (分层动态管理);
    the change is audited with the old and new values. New dates must still hold every milestone."""
    permissions.require(ledger, "tracking")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"不能修改的项目字段：{'、'.join(sorted(unknown))}")
    today, days = ledger.today(), engine.soon_days(ledger)
    with ledger.db.write() as s:
        row = get_row(s, project_id)
        permissions.require_org(s, ledger, row.lead_org_id)
        if row.status in (rules.COMPLETED, rules.TERMINATED) and set(changes) - {"review", "summary"}:
            raise ValidationError(f"项目“{row.title}”已{row.status[-2:]}，只能补充述职评议结果和成效总结")
        lead = s.get(Organization, row.lead_org_id)
        current = {"year": row.year, "title": row.title, "level": row.level, "type": row.type, "theme": row.theme,
                   "lead": lead.code, "lead_person": row.lead_person, "partners": row.partners,
                   "problem": row.problem, "goal": row.goal, "measures": row.measures, "start": row.start_on,
                   "end": row.end_on}
        values = check_fields(s, current | {k: v for k, v in changes.items() if k not in ("review", "summary")})
        extra = {}
        if "review" in changes:
            extra["review"] = validate.text(changes["review"], "述职评议结果")
        if "summary" in changes:
            extra["summary"] = validate.text(changes["summary"], "成效总结", max_len=2000)
        reason = validate.text(reason, "调整理由")
        regraded = [f for f in ("type", "level") if values[f] != getattr(row, f)]
        if row.status == rules.DECLARED:
            regraded = []  # before 立项 the type is still being settled: an ordinary change
        if regraded and not reason:
            labels = "、".join(EDITABLE[f] for f in regraded)
            raise ValidationError(f"项目已立项，调整{labels}需要说明理由（分层动态管理）")
        for m in engine.milestone_rows(s, project_id=row.id):
            if not values["start_on"] <= m.due_on <= values["end_on"]:
                raise ValidationError(f"节点“{m.title}”的时限 {m.due_on} 不在新的起止日期 "
                                      f"{values['start_on']}—{values['end_on']} 之内")
        before = {k: getattr(row, k) for k in (*values, *extra)}
        for k, v in (values | extra).items():
            setattr(row, k, v)
        diff = audit.diff(before, {k: getattr(row, k) for k in before})
        if diff:
            summary = f"{row.title}" + (f"（{'、'.join(EDITABLE[f] for f in regraded)}调整：{reason}）" if regraded else "")
            audit.record(s, ledger, "调整书记项目" if regraded else "修改书记项目", "secretary_project",
                         entity_uuid=row.uuid, org_code=lead.code, summary=summary, changes=diff)
        return _info(s, row, today, days)


def add_milestone(ledger: Ledger, project_id: object, title: object, due: object) -> engine.MilestoneInfo:
    permissions.require(ledger, "tracking")
    today, days = ledger.today(), engine.soon_days(ledger)
    with ledger.db.write() as s:
        row = get_row(s, project_id)
        permissions.require_org(s, ledger, row.lead_org_id)
        _still_open(row)
        t, due_on = engine.check_milestone(title, due, row.start_on, row.end_on, f"项目“{row.title}”")
        m = engine.add_milestone_row(s, t, due_on, project_id=row.id)
        audit.record(s, ledger, "书记项目节点", "tracking_milestone", entity_uuid=m.uuid,
                     summary=f"{row.title}：{t}（{due_on}）")
        return engine.milestone_info(m, today, days)


def milestone_done(ledger: Ledger, milestone_id: object, on: object = None, evidence: object = "") -> engine.MilestoneInfo:
    permissions.require(ledger, "tracking")
    today, days = ledger.today(), engine.soon_days(ledger)
    with ledger.db.write() as s:
        m = engine.get_milestone(s, milestone_id)
        done = engine.check_done_on(on, today)
        if m.project_id is not None:
            row = get_row(s, m.project_id)
            permissions.require_org(s, ledger, row.lead_org_id)
            _still_open(row)
            if done < row.start_on:
                raise ValidationError(f"完成日期 {done} 早于项目开始日期 {row.start_on}")
        if m.done_on is not None:
            raise ValidationError(f"节点“{m.title}”已于 {m.done_on} 完成")
        engine.ensure_day_open(s, done, "节点完成日期")
        m.done_on = done
        m.evidence = validate.text(evidence, "佐证材料", max_len=400)
        audit.record(s, ledger, "节点完成", "tracking_milestone", entity_uuid=m.uuid,
                     summary=f"{m.title}：{done}" + (f"，佐证：{m.evidence}" if m.evidence else ""))
        return engine.milestone_info(m, today, days)


def add_log(ledger: Ledger, project_id: object, progress: object, note: object, *, on: object = None,
            problems: object = "", next_steps: object = "", reason: object = "", by: object = "") -> engine.LogInfo:
    """A 调度 entry; the first one after 立项 puts the project 推进中."""
    permissions.require(ledger, "tracking")
    with ledger.db.write() as s:
        row = get_row(s, project_id)
        permissions.require_org(s, ledger, row.lead_org_id)
        _still_open(row)
        if row.status == rules.DECLARED:
            raise ValidationError(f"项目“{row.title}”尚未立项，不能登记调度进展")
        log = engine.add_log_row(s, ledger, progress, note, on=on, problems=problems, next_steps=next_steps,
                                 reason=reason, by=by, project_id=row.id, not_before=row.start_on)
        if row.status == rules.APPROVED:
            row.status = rules.RUNNING
        audit.record(s, ledger, "书记项目调度", "tracking_log", entity_uuid=log.uuid,
                     summary=f"{row.title}：{log.progress}%，{log.note}")
        return engine.log_info(log)


def _still_open(row: SecretaryProject) -> None:
    if row.status in (rules.COMPLETED, rules.TERMINATED):
        raise ValidationError(f"项目“{row.title}”已{row.status[-2:]}，不能再修改节点或调度")


def plan_problem(s: Session, row: SecretaryProject) -> str | None:
    """一项目一方案: 立项 needs the goal, the measures and at least one milestone."""
    missing = [label for label, v in (("目标任务", row.goal), ("工作举措", row.measures)) if not v.strip()]
    if not engine.milestone_rows(s, project_id=row.id):
        missing.append("至少一个节点")
    if missing:
        return f"项目“{row.title}”的方案不完整（缺{'、'.join(missing)}），不能立项"
    return None


def approve(ledger: Ledger, project_id: object, decided_on: object, filed_on: object = None) -> ProjectInfo:
    """立项: 会议定 then 审核备案, each dated, never before the 申报 or in the future; the 方案 must be complete."""
    permissions.require(ledger, "tracking_approve")
    today, days = ledger.today(), engine.soon_days(ledger)
    with ledger.db.write() as s:
        row = get_row(s, project_id)
        permissions.require_org(s, ledger, row.lead_org_id)
        problem = rules.transition_problem(row.status, rules.APPROVED)
        if problem:
            raise ValidationError(problem)
        problem = plan_problem(s, row)
        if problem:
            raise ValidationError(problem)
        decided = engine.check_done_on(decided_on, today, "会议研究日期")
        filed = engine.check_done_on(filed_on if filed_on not in (None, "") else decided, today, "审核备案日期")
        if row.declared_on and decided < row.declared_on:
            raise ValidationError(f"会议研究日期 {decided} 早于申报日期 {row.declared_on}")
        if filed < decided:
            raise ValidationError(f"审核备案日期 {filed} 早于会议研究日期 {decided}")
        row.decided_on, row.filed_on, row.status = decided, filed, rules.APPROVED
        lead = s.get(Organization, row.lead_org_id)
        audit.record(s, ledger, "书记项目立项", "secretary_project", entity_uuid=row.uuid, org_code=lead.code,
                     summary=f"{row.title}：会议定 {decided}，审核备案 {filed}")
        return _info(s, row, today, days)


def complete(ledger: Ledger, project_id: object, summary: object, *, on: object = None,
             with_bonus: bool = False) -> ProjectInfo:
    """已完成: every milestone done and a result summary. ``with_bonus`` adds the 书记项目 bonus to the lead
    organisation once (see bonus.award); if the bonus is refused, nothing is written."""
    permissions.require(ledger, "tracking_approve")
    today, days = ledger.today(), engine.soon_days(ledger)
    with ledger.db.write() as s:
        row = get_row(s, project_id)
        permissions.require_org(s, ledger, row.lead_org_id)
        problem = rules.transition_problem(row.status, rules.COMPLETED)
        if problem:
            raise ValidationError(problem)
        open_ms = [m.title for m in engine.milestone_rows(s, project_id=row.id) if m.done_on is None]
        if open_ms:
            raise ValidationError(f"项目“{row.title}”还有 {len(open_ms)} 个节点未完成（{'、'.join(open_ms[:3])}），不能结项")
        text = validate.text(summary, "成效总结", max_len=2000)
        if not text:
            raise ValidationError("结项需要填写成效总结（--summary）")
        done = engine.check_done_on(on, today, "结项日期")
        if done < row.start_on:
            raise ValidationError(f"结项日期 {done} 早于项目开始日期 {row.start_on}")
        engine.ensure_day_open(s, done, "结项日期")
        row.status, row.summary, row.finished_on = rules.COMPLETED, text, done
        lead = s.get(Organization, row.lead_org_id)
        audit.record(s, ledger, "书记项目结项", "secretary_project", entity_uuid=row.uuid, org_code=lead.code,
                     summary=f"{row.title}：{done} 完成")
        if with_bonus:
            bonus.award(s, ledger, row, lead)
        return _info(s, row, today, days)


def terminate(ledger: Ledger, project_id: object, reason: object, *, on: object = None) -> ProjectInfo:
    permissions.require(ledger, "tracking_approve")
    today, days = ledger.today(), engine.soon_days(ledger)
    with ledger.db.write() as s:
        row = get_row(s, project_id)
        permissions.require_org(s, ledger, row.lead_org_id)
        problem = rules.transition_problem(row.status, rules.TERMINATED)
        if problem:
            raise ValidationError(problem)
        row.end_reason = validate.text(reason, "终止理由", required=True)
        row.finished_on = engine.check_done_on(on, today, "终止日期")
        engine.ensure_day_open(s, row.finished_on, "终止日期")
        row.status = rules.TERMINATED
        lead = s.get(Organization, row.lead_org_id)
        audit.record(s, ledger, "书记项目终止", "secretary_project", entity_uuid=row.uuid, org_code=lead.code,
                     summary=f"{row.title}：{row.end_reason}")
        return _info(s, row, today, days)


def get_project(ledger: Ledger, project_id: object) -> ProjectInfo:
    days = engine.soon_days(ledger)
    with ledger.db.read() as s:
        return _info(s, get_row(s, project_id), ledger.today(), days, full=True)


def listing(ledger: Ledger, year: object = None, *, org_code: str | None = None, full: bool = False,
            as_of: date | None = None) -> list[ProjectInfo]:
    """The projects as they stand today, or at the end of ``as_of`` (those not yet declared then left out)."""
    days = engine.soon_days(ledger)
    today = ledger.today()
    with ledger.db.read() as s:
        q = select(SecretaryProject).order_by(SecretaryProject.year, SecretaryProject.id)
        if year not in (None, ""):
            q = q.where(SecretaryProject.year == validate.year(year))
        if org_code:
            q = q.where(SecretaryProject.lead_org_id == _org(s, org_code, "组织").id)
        rows = list(s.scalars(q))
        pre = Prefetch.read(s) if len(rows) > 3 else None
        infos = [_info(s, r, today, days, full=full, pre=pre, as_of=as_of) for r in rows]
        return scope.keep(ledger, [i for i in infos if i is not None], lambda p: p.lead_code, s)
