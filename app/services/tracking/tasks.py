"""重点任务台账: a task for one owner organisation (source, person, issued and due dates, evidence, who
verified it), its status (待办 / 办理中 / 已完成 / 销号; 逾期 read from the dates), and the option that turns
an overdue 上级交办 task into the scheme's 未按时完成上级交办任务 deduction, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.domain import tracking as rules
from app.errors import NotFoundError, ValidationError
from app.services.kernel import audit, permissions, scope, validate
from app.services.kernel.context import Ledger
from db.models import Organization
from db.models_tracking import KeyTask
from db.types import new_uuid

from . import engine, links

DEDUCTION_WORD = "上级交办"


@dataclass(frozen=True)
class TaskInfo:
    id: int
    uuid: str
    title: str
    source: str
    owner_code: str
    owner_name: str
    owner_person: str
    issued: date
    due: date
    stored_status: str
    status: str  # as shown: 逾期 when late and not finished
    due_soon: bool
    done_on: date | None
    evidence: str
    verified_by: str
    closed_on: date | None
    list_month: str
    meeting_id: int | None
    deducted: bool
    progress: int

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "source": self.source, "owner": self.owner_code,
                "owner_name": self.owner_name, "owner_person": self.owner_person, "issued": self.issued.isoformat(),
                "due": self.due.isoformat(), "status": self.status, "due_soon": self.due_soon,
                "done_on": self.done_on.isoformat() if self.done_on else None, "evidence": self.evidence,
                "verified_by": self.verified_by, "closed_on": self.closed_on.isoformat() if self.closed_on else None,
                "list_month": self.list_month or None, "meeting_id": self.meeting_id, "deducted": self.deducted,
                "progress": self.progress}


def info(s: Session, row: KeyTask, today: date, days: int, owner: Organization | None = None,
         progress: dict[int, int] | None = None) -> TaskInfo:
    owner = owner or s.get(Organization, row.owner_org_id)
    last = progress.get(row.id) if progress is not None else engine.last_progress(s, task_id=row.id)
    return TaskInfo(row.id, row.uuid, row.title, row.source, owner.code, owner.name, row.owner_person, row.issued_on,
                    row.due_on, row.status, rules.task_status(row.status, row.due_on, today),
                    rules.task_due_soon(row.status, row.due_on, today, days), row.done_on, row.evidence,
                    row.verified_by, row.closed_on, row.list_month, row.meeting_id, row.deducted_month is not None,
                    last or (100 if row.done_on else 0))


def get_row(s: Session, task_id: object) -> KeyTask:
    try:
        tid = int(str(task_id))
    except ValueError:
        raise ValidationError(f"任务编号应为整数，收到“{task_id}”") from None
    row = s.get(KeyTask, tid)
    if row is None:
        raise NotFoundError(f"找不到编号为 {tid} 的重点任务")
    return row


def owner_row(s: Session, code: object) -> Organization:
    code = validate.code(code, "责任单位")
    org = s.scalar(select(Organization).where(Organization.code == code))
    if org is None:
        raise NotFoundError(f"责任单位：找不到组织编码为“{code}”的党组织")
    return org


def check_task(title: object, source: object, issued: object, due: object) -> tuple[str, str, date, date]:
    """The rules of a task, for every path that writes one (by hand, a list, an Excel sheet, a meeting, a package)."""
    t = validate.text(title, "任务名称", required=True)
    src = validate.one_of(source, rules.SOURCES, "任务来源")
    issued_on = validate.parse_date(issued, "交办日期")
    due_on = validate.parse_date(due, "完成时限")
    if due_on < issued_on:
        raise ValidationError(f"任务“{t}”的完成时限 {due_on} 早于交办日期 {issued_on}")
    return t, src, issued_on, due_on


def new_row(s: Session, ledger: Ledger, org: Organization, title: str, source: str, issued_on: date, due_on: date,
            *, person: object = "", list_month: str = "", meeting_id: int | None = None,
            station_id: int | None = None, instructor_id: int | None = None,
            open_days: set[date] | None = None) -> KeyTask:
    """``station_id``/``instructor_id``: the owner kind of a 指导站's list task (``org`` is then the station's 党委).
    A task issued on a day of a closed month is refused, like every other dated tracking row; ``open_days``
    carries the days already found open within one transaction (a list to 3,000 branches checks its day once)."""
    if open_days is None or issued_on not in open_days:
        engine.ensure_day_open(s, issued_on, "交办日期")
        if open_days is not None:
            open_days.add(issued_on)
    row = KeyTask(title=title, source=source, owner_org_id=org.id,
                  owner_person=validate.text(person, "责任人", max_len=40), issued_on=issued_on, due_on=due_on,
                  status=rules.TODO, list_month=list_month, meeting_id=meeting_id, station_id=station_id,
                  instructor_id=instructor_id, uuid=new_uuid())
    s.add(row)
    if open_days is None:  # a single task: its id now; a list flushes once at its end
        s.flush()
    audit.record(s, ledger, "交办重点任务", "key_task", entity_uuid=row.uuid, org_code=org.code,
                 summary=f"{source}：{title}（{issued_on}—{due_on}）")
    return row


def add_task(ledger: Ledger, *, title: object, owner: object, issued: object, due: object,
             source: object = rules.SUPERIOR, person: object = "") -> TaskInfo:
    permissions.require(ledger, "tracking")
    today, days = ledger.today(), engine.soon_days(ledger)
    t, src, issued_on, due_on = check_task(title, source, issued, due)
    with ledger.db.write() as s:
        org = owner_row(s, owner)
        permissions.require_org(s, ledger, org)
        return info(s, new_row(s, ledger, org, t, src, issued_on, due_on, person=person), today, days, org)


def add_log(ledger: Ledger, task_id: object, progress: object, note: object, *, on: object = None,
            problems: object = "", next_steps: object = "", reason: object = "") -> engine.LogInfo:
    """A 跟踪 entry on a task (the same engine as projects); the first one makes it 办理中."""
    permissions.require(ledger, "tracking")
    with ledger.db.write() as s:
        row = get_row(s, task_id)
        permissions.require_org(s, ledger, row.owner_org_id)
        if row.status in (rules.DONE, rules.CLOSED):
            raise ValidationError(f"任务“{row.title}”已{row.status}，不能再登记进展")
        log = engine.add_log_row(s, ledger, progress, note, on=on, problems=problems, next_steps=next_steps,
                                 reason=reason, task_id=row.id, not_before=row.issued_on)
        if row.status == rules.TODO:
            row.status = rules.DOING
        audit.record(s, ledger, "重点任务跟踪", "tracking_log", entity_uuid=log.uuid,
                     summary=f"{row.title}：{log.progress}%，{log.note}")
        return engine.log_info(log)


def logs(ledger: Ledger, task_id: object) -> list[engine.LogInfo]:
    """A task's 跟踪 entries, oldest first."""
    with ledger.db.read() as s:
        return [engine.log_info(r) for r in engine.log_rows(s, task_id=get_row(s, task_id).id)]


def mark_done(ledger: Ledger, task_id: object, *, on: object = None, evidence: object = "") -> TaskInfo:
    """已完成: on a day not in the future nor before it was issued, with its evidence."""
    permissions.require(ledger, "tracking")
    today, days = ledger.today(), engine.soon_days(ledger)
    with ledger.db.write() as s:
        row = get_row(s, task_id)
        permissions.require_org(s, ledger, row.owner_org_id)
        if row.status in (rules.DONE, rules.CLOSED):
            raise ValidationError(f"任务“{row.title}”已{row.status}")
        done = engine.check_done_on(on, today)
        if done < row.issued_on:
            raise ValidationError(f"完成日期 {done} 早于交办日期 {row.issued_on}")
        engine.ensure_day_open(s, done, "完成日期")
        ev = validate.text(evidence, "完成佐证", max_len=400)
        if not ev:
            raise ValidationError("登记完成需要填写完成佐证（--evidence）")
        row.status, row.done_on, row.evidence = rules.DONE, done, ev
        org = s.get(Organization, row.owner_org_id)
        audit.record(s, ledger, "重点任务完成", "key_task", entity_uuid=row.uuid, org_code=org.code,
                     summary=f"{row.title}：{done} 完成，佐证：{ev}")
        return info(s, row, today, days, org)


def close(ledger: Ledger, task_id: object, verified_by: object, *, on: object = None) -> TaskInfo:
    """销号: a completed task checked by someone, who is named."""
    permissions.require(ledger, "tracking_approve")
    today, days = ledger.today(), engine.soon_days(ledger)
    with ledger.db.write() as s:
        row = get_row(s, task_id)
        permissions.require_org(s, ledger, row.owner_org_id)
        if row.status != rules.DONE:
            raise ValidationError(f"任务“{row.title}”状态为“{rules.task_status(row.status, row.due_on, today)}”，"
                                  "完成后才能验收销号")
        who = validate.text(verified_by, "验收人", required=True, max_len=40)
        closed = engine.check_done_on(on, today, "销号日期")
        if closed < row.done_on:
            raise ValidationError(f"销号日期 {closed} 早于完成日期 {row.done_on}")
        engine.ensure_day_open(s, closed, "销号日期")
        row.status, row.verified_by, row.closed_on = rules.CLOSED, who, closed
        org = s.get(Organization, row.owner_org_id)
        audit.record(s, ledger, "重点任务销号", "key_task", entity_uuid=row.uuid, org_code=org.code,
                     summary=f"{row.title}：{who} 验收，{closed} 销号")
        return info(s, row, today, days, org)


def deduct(ledger: Ledger, task_id: object) -> TaskInfo:
    """Turn an 上级交办 task not finished on time into one 未按时完成上级交办任务 deduction for its owner,
    in the month it first was late, once, with the task as the evidence (the cell's note names it)."""
    permissions.require(ledger, "scores")
    today, days = ledger.today(), engine.soon_days(ledger)
    with ledger.db.write() as s:
        row = get_row(s, task_id)
        permissions.require_org(s, ledger, row.owner_org_id)
        if row.source != rules.SUPERIOR:
            raise ValidationError(f"任务“{row.title}”来源为“{row.source}”，只有上级交办任务逾期才扣分")
        if row.deducted_month is not None:
            raise ValidationError(f"任务“{row.title}”已于 {row.deducted_year} 年 {row.deducted_month} 月扣分，不能重复扣分")
        if not rules.finished_late(row.due_on, row.done_on, today):
            raise ValidationError(f"任务“{row.title}”没有逾期（完成时限 {row.due_on}），不扣分")
        year, month = rules.deduction_month(row.due_on)
        org = s.get(Organization, row.owner_org_id)
        item = links.find_item(s, ledger, year, DEDUCTION_WORD, "deduction")
        links.add_occurrence(s, ledger, org, year, month, item, f"重点任务：{row.title}（时限 {row.due_on}）",
                             "逾期任务扣分")
        row.deducted_year, row.deducted_month = year, month
        return info(s, row, today, days, org)


def listing(ledger: Ledger, *, year: object = None, month: object = None, owner: object = None,
            status: object = None, meeting_id: int | None = None, pending_by: date | None = None) -> list[TaskInfo]:
    """Tasks due in the year (or the list month), by due day; ``status`` filters on the shown status;
    ``pending_by``: only unfinished tasks due by that day (what is 逾期 or 临期), chosen in SQL."""
    today, days = ledger.today(), engine.soon_days(ledger)
    with ledger.db.read() as s:
        q = (select(KeyTask, Organization).join(Organization, Organization.id == KeyTask.owner_org_id)
             .where(KeyTask.station_id.is_(None)))  # a 指导站's tasks are listed by station_lists
        if year not in (None, ""):
            y = validate.year(year)
            q = q.where(KeyTask.due_on >= date(y, 1, 1), KeyTask.due_on <= date(y, 12, 31))
        if month not in (None, ""):
            q = q.where(KeyTask.list_month == parse_list_month(month))
        if owner not in (None, ""):
            q = q.where(KeyTask.owner_org_id == owner_row(s, owner).id)
        if meeting_id is not None:
            q = q.where(KeyTask.meeting_id == meeting_id)
        if pending_by is not None:
            q = q.where(KeyTask.status.in_((rules.TODO, rules.DOING)), KeyTask.due_on <= pending_by)
        progress = engine.progress_by_task(s)
        out = [info(s, row, today, days, org, progress)
               for row, org in scope.keep(ledger, s.execute(q.order_by(KeyTask.due_on, KeyTask.id)),
                                          lambda r: r[1].code, s)]
    if status not in (None, ""):
        wanted = validate.one_of(status, rules.TASK_STATUSES, "任务状态")
        out = [t for t in out if t.status == wanted]
    return out


def parse_list_month(value: object) -> str:
    raw = str(value or "").strip()
    try:
        y, m = raw.split("-")
        return f"{validate.year(y)}-{validate.month(m):02d}"
    except (ValueError, ValidationError):
        raise ValidationError(f"月份应为“年-月”，如 2026-11，收到“{raw}”") from None


@dataclass(frozen=True)
class OwnerCount:
    owner_code: str
    owner_name: str
    total: int
    done: int  # 已完成 or 销号
    overdue: int  # unfinished and past due


def owner_counts(ledger: Ledger, year: object) -> list[OwnerCount]:
    """Each owner's tasks due in the year, counted in SQL (a county's year holds a hundred thousand tasks)."""
    y = validate.year(year)
    today = ledger.today()
    t = KeyTask.__table__
    finished = t.c.status.in_((rules.DONE, rules.CLOSED))
    late = t.c.status.in_((rules.TODO, rules.DOING)) & (t.c.due_on < today)
    q = (select(Organization.code, Organization.name, func.count(), func.sum(case((finished, 1), else_=0)),
                func.sum(case((late, 1), else_=0)))
         .select_from(t.join(Organization.__table__, Organization.id == t.c.owner_org_id))
         .where(t.c.due_on >= date(y, 1, 1), t.c.due_on <= date(y, 12, 31), t.c.station_id.is_(None))
         .group_by(Organization.code, Organization.name)
         .order_by(Organization.code))  # one order on every backend: the board's ties come out the same
    with ledger.db.read() as s:
        return [OwnerCount(code, name, n, done or 0, late_n or 0) for code, name, n, done, late_n in s.execute(q)]
