"""例会: date, 观摩 sites, speakers (经验交流 or 表态发言 — 正反发言), the leader who 领办, and the problems
assigned, each of which becomes a task with a deadline. The counts of 发言人次 and 整改 come from the records."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.domain import tracking as rules
from app.errors import LedgerError, NotFoundError, ValidationError
from app.services.kernel import audit, permissions, validate
from app.services.kernel.context import Ledger
from db.models_tracking import KeyTask, Meeting

from . import engine, tasks


@dataclass(frozen=True)
class Problem:
    """A problem assigned at the meeting: to whom, what, by when."""

    owner: str
    title: str
    due: object
    person: str = ""


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    uuid: str
    on: date
    title: str
    sites: tuple[str, ...]
    speakers: tuple[tuple[str, str], ...]  # (name, 经验交流|表态发言)
    leader: str
    notes: str
    rectifications: int  # problems assigned (tasks from this meeting)
    rectified: int  # of which done or 销号

    @property
    def exchanges(self) -> int:
        return sum(1 for _n, k in self.speakers if k == rules.SPEAKER_KINDS[0])

    @property
    def pledges(self) -> int:
        return sum(1 for _n, k in self.speakers if k == rules.SPEAKER_KINDS[1])

    def as_dict(self) -> dict:
        return {"id": self.id, "date": self.on.isoformat(), "title": self.title, "sites": list(self.sites),
                "speakers": [{"name": n, "kind": k} for n, k in self.speakers], "leader": self.leader,
                "notes": self.notes, "speeches": len(self.speakers), "exchanges": self.exchanges,
                "pledges": self.pledges, "rectifications": self.rectifications, "rectified": self.rectified}


def parse_speaker(text: object) -> tuple[str, str]:
    """'张三:经验交流' → ('张三', '经验交流')."""
    raw = str(text or "").strip().replace("：", ":")
    name, _, kind = raw.rpartition(":")
    if not name.strip():
        raise ValidationError(f"发言人应写作“姓名:经验交流”或“姓名:表态发言”，收到“{raw}”")
    return validate.text(name, "发言人", required=True, max_len=40), validate.one_of(kind.strip(), rules.SPEAKER_KINDS,
                                                                                    "发言类型")


def parse_problem(text: object) -> Problem:
    """'B1:问题:2026-12-15[:责任人]' → Problem."""
    parts = str(text or "").strip().replace("：", ":").split(":")
    if len(parts) not in (3, 4):
        raise ValidationError(f"整改问题应写作“组织编码:问题:整改时限”，收到“{text}”")
    return Problem(parts[0].strip(), parts[1].strip(), parts[2].strip(), parts[3].strip() if len(parts) == 4 else "")


def check_meeting(on: object, title: object, sites: Sequence[str], speakers: Sequence[tuple[str, str]],
                  leader: object, today: date) -> tuple[date, str, str, str, str]:
    day = engine.check_done_on(on, today, "例会日期")
    t = validate.text(title, "例会名称", required=True)
    site_text = "、".join(validate.text(x, "观摩点", required=True, max_len=100) for x in sites)
    if len(site_text) > 400:
        raise ValidationError("观摩点合计不能超过 400 个字")
    for name, kind in speakers:
        validate.text(name, "发言人", required=True, max_len=40)
        validate.one_of(kind, rules.SPEAKER_KINDS, "发言类型")
    return day, t, site_text, json.dumps([list(x) for x in speakers], ensure_ascii=False), \
        validate.text(leader, "领办领导", max_len=40)


def add_meeting(ledger: Ledger, *, on: object, title: object, sites: Sequence[str] = (),
                speakers: Sequence[tuple[str, str]] = (), leader: object = "", notes: object = "",
                problems: Sequence[Problem] = ()) -> MeetingInfo:
    permissions.require(ledger, "tracking")
    today = ledger.today()
    day, t, site_text, speaker_json, lead = check_meeting(on, title, sites, speakers, leader, today)
    with ledger.db.write() as s:
        engine.ensure_day_open(s, day, "例会日期")
        row = Meeting(on=day, title=t, sites=site_text, speakers=speaker_json, leader=lead,
                      notes=validate.text(notes, "会议纪要", max_len=4000))
        s.add(row)
        s.flush()
        audit.record(s, ledger, "登记例会", "meeting", entity_uuid=row.uuid,
                     summary=f"{day} {t}：发言 {len(speakers)} 人次，交办问题 {len(problems)} 个")
        for n, p in enumerate(problems, 1):
            try:
                ti, src, iss, due_on = tasks.check_task(p.title, rules.MEETING_SOURCE, day, p.due)
                org = tasks.owner_row(s, p.owner)
                permissions.require_org(s, ledger, org)
            except LedgerError as e:
                raise type(e)(f"第 {n} 个整改问题：{e}") from None
            tasks.new_row(s, ledger, org, ti, src, iss, due_on, person=p.person, meeting_id=row.id)
        return _info(s, row)


def _info(s, row: Meeting) -> MeetingInfo:
    total = s.scalar(select(func.count()).select_from(KeyTask).where(KeyTask.meeting_id == row.id)) or 0
    done = s.scalar(select(func.count()).select_from(KeyTask).where(
        KeyTask.meeting_id == row.id, KeyTask.status.in_((rules.DONE, rules.CLOSED)))) or 0
    return MeetingInfo(row.id, row.uuid, row.on, row.title, tuple(x for x in row.sites.split("、") if x),
                       tuple((n, k) for n, k in json.loads(row.speakers or "[]")), row.leader, row.notes, total, done)


def get_meeting(ledger: Ledger, meeting_id: object) -> MeetingInfo:
    try:
        mid = int(str(meeting_id))
    except ValueError:
        raise ValidationError(f"例会编号应为整数，收到“{meeting_id}”") from None
    with ledger.db.read() as s:
        row = s.get(Meeting, mid)
        if row is None:
            raise NotFoundError(f"找不到编号为 {mid} 的例会")
        return _info(s, row)


def listing(ledger: Ledger, year: object = None) -> list[MeetingInfo]:
    with ledger.db.read() as s:
        q = select(Meeting).order_by(Meeting.on, Meeting.id)
        if year not in (None, ""):
            y = validate.year(year)
            q = q.where(Meeting.on >= date(y, 1, 1), Meeting.on <= date(y, 12, 31))
        return [_info(s, r) for r in s.scalars(q)]
