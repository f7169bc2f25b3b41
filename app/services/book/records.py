"""党务工作记录 "一本通": 7 大项 / 18 小项 (17 plus 7.4 结对共建活动); records linked to a scoring item earn its points."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.points import ZERO
from app.errors import NotFoundError, ValidationError
from app.forms import FormTemplate, form_template
from app.services.book import fields
from app.services.kernel import audit, locks, permissions, scope, tombstones, validate
from app.services.kernel.context import Ledger
from app.services.pairing import activities
from app.services.register.orgs import get_org_row
from app.services.scoring import aggregate
from app.services.scoring.schemes import ensure_scheme, item_ids
from db.models import MonthlyScore, Organization, RecordSection, RecordType, SchemeItemRow, WorkRecord


@dataclass(frozen=True)
class RecordTypeInfo:
    code: str
    name: str
    section_code: str
    section_name: str
    form: str
    source: str  # record | register
    frequency: str


@dataclass(frozen=True)
class RecordInfo:
    id: int
    uuid: str
    org_code: str
    type_code: str
    type_name: str
    date: date
    topic: str
    content: str
    place: str
    host: str
    recorder: str
    attendance_expected: int | None
    attendance_actual: int | None
    absentees: str
    extra: dict
    item_code: str | None  # the scoring item this record earns, if linked
    points: Decimal | None  # what it earned after the item's caps

    @property
    def roster(self) -> dict | None:
        """Named attendance {"present": [...], "absent": [{"name", "reason"}]}; None for counts only."""
        r = self.extra.get("roster")
        return r if isinstance(r, dict) else None

    @property
    def attendance(self) -> str:
        if self.attendance_expected is None and self.attendance_actual is None:
            return ""
        return f"{self.attendance_expected or 0}/{self.attendance_actual or 0}"

    def value(self, key: str) -> object:
        """A form field's value, whichever column or extra key holds it."""
        if key == "attendance":
            return self.attendance
        if hasattr(self, key) and key != "extra":
            return getattr(self, key)
        return self.extra.get(key, "")


def record_types(ledger: Ledger) -> list[RecordTypeInfo]:
    with ledger.db.read() as s:
        rows = s.execute(
            select(RecordType, RecordSection)
            .join(RecordSection, RecordSection.code == RecordType.section_code)
            .order_by(RecordSection.sort_order, RecordType.sort_order)
        )
        return [
            RecordTypeInfo(t.code, t.name, sec.code, sec.name, t.form, t.source, t.frequency) for t, sec in rows
        ]


def _type_row(session: Session, type_ref: str) -> RecordType:
    ref = str(type_ref).strip()
    row = session.get(RecordType, ref) or session.scalar(select(RecordType).where(RecordType.name == ref))
    if row is None:
        names = "、".join(f"{t.code} {t.name}" for t in session.scalars(select(RecordType).order_by(RecordType.code)))
        raise NotFoundError(f"没有“{ref}”这个工作记录类型。可选：{names}")
    return row


def _label(tpl: FormTemplate, key: str, default: str) -> str:
    f = tpl.field(key)
    return f.label if f else default


def _clean(session: Session, ledger: Ledger, type_row: RecordType, values: dict) -> dict:
    """The record's columns and form fields, checked; every problem is named at once (FieldErrors),
    each with its field, so a form can show them all beside their fields."""
    if type_row.source != "record":
        raise ValidationError(f"“{type_row.name}”由组织台账自动生成，无需录入工作记录")
    tpl = form_template(type_row.form)
    c = validate.Collector()
    on = c.take("date", _record_date, ledger, values.get("date"))

    def text(key: str, default: str, max_len: int, required: bool = False) -> str:
        return c.take(key, validate.text, values.get(key), _label(tpl, key, default), required=required,
                      max_len=max_len) or ""

    clean = {
        "date": on,
        "topic": text("topic", "主题", 200, required=True),
        "content": text("content", "内容", 20000),
        "place": text("place", "地点", 100),
        "host": text("host", "主持人", 40),
        "recorder": text("recorder", "记录人", 40),
    }
    for f in tpl.fields:
        if f.required and f.is_column and f.key not in ("attendance", "date", "topic") and not clean.get(f.key) \
                and not any(k == f.key for k, _m in c.problems):
            c.add(f.key, f"{f.label}不能为空")
    form = c.take("", fields.clean_form, tpl, values, today=ledger.today())
    c.done()
    assert on is not None and form is not None
    clean.update(absentees=form.absentees, attendance_expected=form.attendance_expected,
                 attendance_actual=form.attendance_actual,
                 extra=extra_json(form.extra))
    return clean


def _record_date(ledger: Ledger, value: object) -> date:
    on = validate.parse_date(value, "日期")
    assert on is not None
    if on > ledger.today():
        raise ValidationError(f"日期 {on} 晚于今天，工作记录只能登记已开展的工作")
    validate.year(on.year)
    return on


def check_values(ledger: Ledger, type_ref: str, values: dict) -> None:
    """Check a record's values as saving would, writing nothing: raises FieldErrors naming every problem
    (the entry form calls it to show them all beside their fields before saving)."""
    with ledger.db.read() as s:
        _clean(s, ledger, _type_row(s, type_ref), values)


def extra_json(extra: dict) -> str:
    return json.dumps(extra, ensure_ascii=False, sort_keys=True)


def clean_travelling(session: Session, row: dict, today: date) -> fields.CleanFields:
    """A package's record row: its form fields (counts, names, votes, 党费 rows, extra) pass the same
    ``fields.clean_form`` as hand entry; what is written is the cleaned result."""
    forms = session.info.setdefault("record_forms", {})  # a package holds thousands of records of 14 types
    if row["type_code"] not in forms:
        forms[row["type_code"]] = form_template(_type_row(session, row["type_code"]).form)
    extra = row.get("extra")
    if isinstance(extra, str):
        try:
            extra = json.loads(extra or "{}")
        except json.JSONDecodeError:
            raise ValidationError("附加字段（extra）不是有效的 JSON") from None
    for key in ("attendance_expected", "attendance_actual"):
        v = row.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
            raise ValidationError(f"出席人数不是整数：{v!r}")
    absentees = row.get("absentees")
    if absentees is not None and not isinstance(absentees, str):
        raise ValidationError("缺席人员应为文字")
    return fields.clean_stored(forms[row["type_code"]], row.get("attendance_expected"), row.get("attendance_actual"),
                               absentees, extra if extra is not None else {}, today=today)


def check_org_on(org: Organization, on: date) -> None:
    """A work record belongs to a day the organisation existed (every path that writes records calls this)."""
    if org.established_on is not None and on < org.established_on:
        raise ValidationError(f"“{org.name}”成立于 {org.established_on:%Y-%m-%d}，不能登记此前（{on:%Y-%m-%d}）的工作记录")
    if org.closed_on is not None and on >= org.closed_on:
        raise ValidationError(f"“{org.name}”已于 {org.closed_on:%Y-%m-%d} 撤销，不能登记此后（{on:%Y-%m-%d}）的工作记录")
    if org.status != "active" and org.closed_on is None:
        raise ValidationError(f"“{org.name}”已停用，不能登记工作记录")


def _check_pair(s: Session, org: Organization, t: RecordType, clean: dict) -> None:
    """A 结对共建活动 names a partner paired with the organisation on its date (pairing.activities)."""
    extra = activities.check_activity(s, org, t.code, clean["date"], json.loads(clean["extra"]))
    clean["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True)


def add_record(ledger: Ledger, org_code: str, type_ref: str, values: dict) -> RecordInfo:
    permissions.require(ledger, "records")
    with ledger.db.write() as s:
        org = get_org_row(s, org_code)
        permissions.require_org(s, ledger, org)
        t = _type_row(s, type_ref)
        clean = _clean(s, ledger, t, values)
        on: date = clean["date"]
        check_org_on(org, on)
        _check_pair(s, org, t, clean)
        locks.ensure_open(s, on.year, on.month, org.id)
        ensure_scheme(s, ledger, on.year)
        row = WorkRecord(org_id=org.id, type_code=t.code, year=on.year, month=on.month, **clean)
        s.add(row)
        s.flush()
        aggregate.refresh(s, on.year, [org.id])
        audit.record(s, ledger, "新增工作记录", "work_record", entity_uuid=row.uuid, org_code=org.code,
                     summary=f"{on} {t.name}：{clean['topic']}")
        rid = row.id
    return get_record(ledger, rid)


def update_record(ledger: Ledger, record_id: int, values: dict) -> RecordInfo:
    permissions.require(ledger, "records")
    with ledger.db.write() as s:
        row = s.get(WorkRecord, record_id)
        if row is None:
            raise NotFoundError("该工作记录不存在或已删除")
        permissions.require_org(s, ledger, row.org_id)
        t = _type_row(s, values.get("type") or row.type_code)
        clean = _clean(s, ledger, t, values)
        before = {k: getattr(row, k) for k in clean}
        old_year = row.year
        on: date = clean["date"]
        check_org_on(s.get(Organization, row.org_id), on)
        _check_pair(s, s.get(Organization, row.org_id), t, clean)
        locks.ensure_open(s, row.year, row.month, row.org_id)
        locks.ensure_open(s, on.year, on.month, row.org_id)
        ensure_scheme(s, ledger, on.year)
        for k, v in clean.items():
            setattr(row, k, v)
        row.type_code, row.year, row.month = t.code, on.year, on.month
        s.flush()
        for y in {old_year, on.year}:
            aggregate.refresh(s, y, [row.org_id])
        audit.record(s, ledger, "修改工作记录", "work_record", entity_uuid=row.uuid,
                     org_code=s.get(Organization, row.org_id).code, summary=f"{on} {t.name}",
                     changes=audit.diff(before, clean))
    return get_record(ledger, record_id)


def delete_record(ledger: Ledger, record_id: int) -> None:
    permissions.require(ledger, "records")
    with ledger.db.write() as s:
        row = s.get(WorkRecord, record_id)
        if row is None:
            raise NotFoundError("该工作记录不存在或已删除")
        org = s.get(Organization, row.org_id)
        permissions.require_org(s, ledger, org)
        locks.ensure_open(s, row.year, row.month, org.id)
        tombstones.record_deleted(s, ledger.user, row)
        s.delete(row)
        s.flush()
        aggregate.refresh(s, row.year, [row.org_id])
        audit.record(s, ledger, "删除工作记录", "work_record", entity_uuid=row.uuid, org_code=org.code,
                     summary=f"{row.date} {row.topic}")


def _earned(session: Session, rows: list[WorkRecord], year: int) -> dict[int, tuple[str, Decimal]]:
    """Points each linked record earned: records fill the cell's capped points in date order."""
    items = {i.record_type: i for i in item_ids(session, year).values() if i.record_type}
    cells: dict[tuple[int, int, int], MonthlyScore] = {}
    ids = {i.id for i in items.values()}
    if ids and rows:
        org_ids = {r.org_id for r in rows}
        for c in session.scalars(
            select(MonthlyScore).where(MonthlyScore.item_id.in_(ids), MonthlyScore.org_id.in_(org_ids))
        ):
            cells[(c.org_id, c.item_id, c.month)] = c
    out: dict[int, tuple[str, Decimal]] = {}
    used: dict[tuple[int, int, int], Decimal] = {}
    for r in sorted(rows, key=lambda r: (r.date, r.id)):
        item: SchemeItemRow | None = items.get(r.type_code)
        if item is None:
            continue
        key = (r.org_id, item.id, r.month)
        cell = cells.get(key)
        available = (cell.effective if cell else ZERO) - used.get(key, ZERO)
        got = max(ZERO, min(item.points, available))
        used[key] = used.get(key, ZERO) + got
        out[r.id] = (item.code, got)
    return out


def _info(row: WorkRecord, org_code: str, type_name: str, earned: tuple[str, Decimal] | None) -> RecordInfo:
    return RecordInfo(
        row.id, row.uuid, org_code, row.type_code, type_name, row.date, row.topic, row.content, row.place,
        row.host, row.recorder, row.attendance_expected, row.attendance_actual, row.absentees,
        json.loads(row.extra or "{}"), earned[0] if earned else None, earned[1] if earned else None,
    )


def list_records(
    ledger: Ledger, org_code: str, year: int, type_code: str | None = None
) -> list[RecordInfo]:
    year = validate.year(year)
    with ledger.db.read() as s:
        org = get_org_row(s, org_code)
        scope.ensure_covers(s, ledger, org, "查看")
        names = dict(s.execute(select(RecordType.code, RecordType.name)).all())
        q = select(WorkRecord).where(WorkRecord.org_id == org.id, WorkRecord.year == year)
        if type_code:
            q = q.where(WorkRecord.type_code == _type_row(s, type_code).code)
        rows = list(s.scalars(q.order_by(WorkRecord.date, WorkRecord.id)))
        earned = _earned(s, rows, year)
        return [_info(r, org.code, names[r.type_code], earned.get(r.id)) for r in rows]


def get_record(ledger: Ledger, record_id: int) -> RecordInfo:
    with ledger.db.read() as s:
        row = s.get(WorkRecord, record_id)
        if row is None:
            raise NotFoundError("该工作记录不存在或已删除")
        org = s.get(Organization, row.org_id)
        same_cell = list(
            s.scalars(
                select(WorkRecord).where(
                    WorkRecord.org_id == row.org_id, WorkRecord.year == row.year, WorkRecord.month == row.month,
                    WorkRecord.type_code == row.type_code,
                )
            )
        )
        earned = _earned(s, same_cell, row.year)
        return _info(row, org.code, s.get(RecordType, row.type_code).name, earned.get(row.id))
