"""Importing the member roster and the organisation register: preview, apply after a backup, undo.

Only the columns the sheet has are compared and written, so a sheet without phone numbers never
wipes the phone numbers already kept. Members are matched by organisation and name; organisations
by code. Each apply is one transaction and one import batch with every row's previous values.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import PARENT_KINDS
from app.errors import ConflictError, LedgerError, PermissionDeniedError, ValidationError
from app.services.kernel import audit, permissions, validate
from app.services.kernel.context import Ledger
from app.services.register.members import MEMBER_FIELDS, clean_member
from app.services.register.orgs import check_date_change
from app.services.register.orgs import clean_values as clean_org
from app.services.safety import backups
from db.models import MonthlyScore, Organization, PartyMember, WorkRecord
from db.models_io import ImportBatch, ImportBatchRow

from .batches import CHANGED, INVALID, NEW, UNCHANGED, Change, ImportPreview, ImportResult, PreviewRow, refuse
from .sheets import ParsedRegister

ORG_FIELDS = ("name", "kind", "sector", "secretary", "contact", "member_count", "address", "established_on",
              "has_groups")
KIND_LABELS = {"roster": "党员花名册", "orgs": "组织台账"}


def _j(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return "（空）" if value in (None, "") else str(_j(value))


def _from_j(key: str, value: object) -> object:
    if value is not None and key in ("birth_date", "joined_on", "established_on"):
        return date.fromisoformat(value)
    return value


# ---- scope -----------------------------------------------------------------------------------------

def parent_of(row: dict) -> str | None:
    return str(row.get("parent") or "") or None


def _outside(s: Session, ledger: Ledger, org) -> str | None:
    """Why this organisation may not be changed by the current user (outside their scope), or None."""
    try:
        permissions.require_org(s, ledger, org)
    except PermissionDeniedError as e:
        return str(e)
    return None


def _outside_parent(s: Session, ledger: Ledger, parent_code: str | None, mine: set[str]) -> str | None:
    """A new organisation of a scoped user goes under one in their scope (or a new one of the file placed there)."""
    if parent_code is not None and parent_code in mine:
        return None
    return _outside(s, ledger, parent_code if parent_code is not None else "")


# ---- roster ---------------------------------------------------------------------------------------

def _plan_roster(s: Session, ledger: Ledger, parsed: ParsedRegister, labels: dict[str, str]):
    preview = ImportPreview("roster", parsed.file_name, problems=list(parsed.problems))
    orgs = {o.code: o for o in s.scalars(select(Organization))}
    existing: dict[tuple[int, str], PartyMember] = {}
    for m in s.scalars(select(PartyMember).where(PartyMember.transferred_out_on.is_(None)).order_by(PartyMember.id)):
        existing.setdefault((m.org_id, m.name), m)
    seen: dict[tuple[str, str], str] = {}
    writes = []
    for where, row in parsed.rows:
        problems: list[str] = []
        code = str(row.get("org_code") or "")
        name = str(row.get("name") or "")
        org = orgs.get(code)
        label = f"{code} {org.name if org else ''} {name}"
        if not code:
            problems.append(f"{where}: 缺少组织编码")
        elif org is None:
            problems.append(f"{where}: 找不到组织编码“{code}”")
        elif (outside := _outside(s, ledger, org)) is not None:
            preview.problems.append(f"{where}: {outside}")  # outside the user's scope: the whole file is refused
        if (code, name) in seen:
            problems.append(f"{where}: “{name}”在同一组织中与 {seen[(code, name)]} 重复")
        seen[(code, name)] = where
        given = {k: row[k] for k in MEMBER_FIELDS if k in row}
        cur = existing.get((org.id, name)) if org else None
        base = {k: getattr(cur, k) for k in MEMBER_FIELDS} if cur else {}
        clean = None
        if not problems:
            try:
                clean = clean_member({**base, **{k: v for k, v in given.items() if v not in ("", None)}}, ledger.today())
            except LedgerError as e:
                problems.append(f"{where}: {e}")
        changes: list[Change] = []
        if clean is not None:
            for k in given:
                if base.get(k) != clean[k] and not (cur is None and clean[k] in ("", None)):
                    changes.append(Change(labels.get(k, k), _show(base.get(k)), _show(clean[k])))
        status = INVALID if problems else (UNCHANGED if not changes else (CHANGED if cur else NEW))
        if status in (NEW, CHANGED):
            writes.append((org, cur, clean))
        preview.rows.append(PreviewRow(where, label, status, tuple(changes), tuple(problems)))
    return preview, writes


def _apply_roster(s: Session, writes, batch_id: int) -> None:
    for org, cur, clean in writes:
        before = None if cur is None else {k: _j(getattr(cur, k)) for k in MEMBER_FIELDS}
        if cur is None:
            cur = PartyMember(org_id=org.id, **clean)
            s.add(cur)
            org.member_count = (org.member_count or 0) + 1
        else:
            for k, v in clean.items():
                setattr(cur, k, v)
        s.flush()
        s.add(ImportBatchRow(batch_id=batch_id, entity="party_members",
                             row_key=json.dumps({"uuid": cur.uuid, "org": org.code, "name": cur.name}, ensure_ascii=False),
                             before=None if before is None else json.dumps(before, ensure_ascii=False),
                             after=json.dumps({k: _j(getattr(cur, k)) for k in MEMBER_FIELDS}, ensure_ascii=False)))


def undo_roster(s: Session, rows: list[ImportBatchRow], who: str = "") -> None:
    plan = []
    for r in rows:
        key = json.loads(r.row_key)
        cur = s.scalar(select(PartyMember).where(PartyMember.uuid == key["uuid"]))
        after = json.loads(r.after)
        if cur is None or any(_j(getattr(cur, k)) != v for k, v in after.items()):
            raise ConflictError(f"导入之后 {key['org']} 的党员“{key['name']}”又被修改或转出，不能撤销")
        plan.append((cur, json.loads(r.before) if r.before else None))
    for cur, before in plan:
        if before is None:
            org = s.get(Organization, cur.org_id)
            org.member_count = max(0, (org.member_count or 0) - 1)
            s.delete(cur)
        else:
            for k, v in before.items():
                setattr(cur, k, _from_j(k, v))


# ---- organisations --------------------------------------------------------------------------------

def _plan_orgs(s: Session, ledger: Ledger, parsed: ParsedRegister, labels: dict[str, str]):
    preview = ImportPreview("orgs", parsed.file_name, problems=list(parsed.problems))
    orgs = {o.code: o for o in s.scalars(select(Organization))}
    kinds = {code: o.kind for code, o in orgs.items()}
    mine: set[str] = set()  # new organisations of this file placed inside the user's scope
    seen: dict[str, str] = {}
    writes = []
    for where, row in parsed.rows:
        problems: list[str] = []
        code = str(row.get("code") or "")
        try:
            code = validate.code(code)
        except LedgerError as e:
            problems.append(f"{where}: {e}")
        if code in seen:
            problems.append(f"{where}: 组织编码“{code}”与 {seen[code]} 重复")
        seen[code] = where
        cur = orgs.get(code)
        outside = _outside(s, ledger, cur) if cur is not None else None
        if outside is None and (cur is None or parent_of(row) is not None):  # placed (or moved) under a parent
            outside = _outside_parent(s, ledger, parent_of(row), mine)
        if outside is not None:
            preview.problems.append(f"{where}: {outside}")  # outside the user's scope: the whole file is refused
        elif cur is None:
            mine.add(code)  # a new organisation under one in scope: rows below it in the file may use it as parent
        given = {k: row[k] for k in ORG_FIELDS if k in row and row[k] not in ("", None)}
        base = {k: getattr(cur, k) for k in ORG_FIELDS} if cur else {"kind": "党支部"}
        clean = None
        parent_code = str(row.get("parent") or "") or None
        if not problems:
            try:
                if cur is None and "sector" not in given:
                    raise ValidationError("新组织必须填写所属领域")
                clean = clean_org({**base, **given}, ledger.today())
                if cur is not None and "established_on" in given:
                    check_date_change(s, cur, clean["established_on"], cur.closed_on)
                if parent_code is not None:
                    if parent_code not in kinds:
                        raise ValidationError(f"上级组织编码“{parent_code}”不存在（上级须已在系统中，或在表中排在前面）")
                    if kinds[parent_code] not in PARENT_KINDS:
                        raise ValidationError(f"上级组织“{parent_code}”是{kinds[parent_code]}，不能下设组织")
                    if parent_code == code:
                        raise ValidationError("上级组织不能是它自己")
            except LedgerError as e:
                problems.append(f"{where}: {e}")
        changes: list[Change] = []
        if clean is not None:
            for k in given:
                if base.get(k) != clean[k]:
                    changes.append(Change(labels.get(k, k), _show(base.get(k)), _show(clean[k])))
            cur_parent = cur.parent.code if cur and cur.parent else None
            if parent_code is not None and parent_code != cur_parent:
                changes.append(Change("上级组织编码", _show(cur_parent), parent_code))
            kinds[code] = clean["kind"]
        status = INVALID if problems else (UNCHANGED if not changes else (CHANGED if cur else NEW))
        if status in (NEW, CHANGED):
            writes.append((code, cur, clean, parent_code))
        label = f"{code} {(clean or {}).get('name') or row.get('name') or ''}"
        preview.rows.append(PreviewRow(where, label, status, tuple(changes), tuple(problems)))
    return preview, writes


def _org_state(o: Organization) -> dict:
    return {**{k: _j(getattr(o, k)) for k in ORG_FIELDS}, "parent_id": o.parent_id}


def _apply_orgs(s: Session, writes, batch_id: int) -> None:
    sort = s.scalar(select(func.max(Organization.sort_order))) or 0
    for code, cur, clean, parent_code in writes:
        parent_id = s.scalar(select(Organization.id).where(Organization.code == parent_code)) if parent_code else None
        before = None if cur is None else _org_state(cur)
        if cur is None:
            sort += 1
            cur = Organization(code=code, parent_id=parent_id, sort_order=sort, **clean)
            s.add(cur)
        else:
            for k, v in clean.items():
                setattr(cur, k, v)
            if parent_code is not None:
                cur.parent_id = parent_id
        s.flush()
        s.add(ImportBatchRow(batch_id=batch_id, entity="organizations",
                             row_key=json.dumps({"uuid": cur.uuid, "code": code}, ensure_ascii=False),
                             before=None if before is None else json.dumps(before, ensure_ascii=False),
                             after=json.dumps(_org_state(cur), ensure_ascii=False)))


def undo_orgs(s: Session, rows: list[ImportBatchRow], who: str = "") -> None:
    plan = []
    for r in reversed(rows):  # children created after their parents are removed first
        key = json.loads(r.row_key)
        cur = s.scalar(select(Organization).where(Organization.uuid == key["uuid"]))
        if cur is None or _org_state(cur) != json.loads(r.after):
            raise ConflictError(f"导入之后组织“{key['code']}”又被修改，不能撤销")
        plan.append((cur, json.loads(r.before) if r.before else None))
    for cur, before in plan:
        if before is None:
            used = sum(s.scalar(select(func.count()).where(col == cur.id)) or 0 for col in (
                Organization.parent_id, MonthlyScore.org_id, WorkRecord.org_id, PartyMember.org_id))
            if used:
                raise ConflictError(f"导入新增的组织“{cur.name}”之后已有下级组织、积分、工作记录或党员，不能撤销")
            s.delete(cur)
            s.flush()
        else:
            for k, v in before.items():
                setattr(cur, k, _from_j(k, v))


# ---- entry points ---------------------------------------------------------------------------------

_PLAN = {"roster": (_plan_roster, _apply_roster, "members"), "orgs": (_plan_orgs, _apply_orgs, "orgs")}


def preview_register(ledger: Ledger, parsed: ParsedRegister) -> ImportPreview:
    with ledger.db.read() as s:
        return _PLAN[parsed.kind][0](s, ledger, parsed, parsed.labels)[0]


def apply_register(ledger: Ledger, parsed: ParsedRegister, *, skip_invalid: bool = False,
                   preview: ImportPreview | None = None) -> ImportResult:
    plan, apply, permission = _PLAN[parsed.kind]
    permissions.require(ledger, "import")
    permissions.require(ledger, permission)
    preview = preview or preview_register(ledger, parsed)
    if preview.problems or (not skip_invalid and not preview.ok):
        raise refuse(preview)
    if not preview.has_changes:
        return ImportResult(None, 0, 0, 0, "")
    with backups.write_after_backup(ledger, "导入前") as (s, backup):
        preview, writes = plan(s, ledger, parsed, parsed.labels)
        if preview.problems or (not skip_invalid and not preview.ok):
            raise refuse(preview)
        batch = ImportBatch(kind=parsed.kind, file_name=parsed.file_name, user=ledger.user,
                            summary=preview.summary(), backup_path=str(backup))
        s.add(batch)
        s.flush()
        apply(s, writes, batch.id)
        action = "导入党员花名册" if parsed.kind == "roster" else "导入组织台账"
        audit.record(s, ledger, action, "import_batch", summary=f"{parsed.file_name}：{preview.summary()}",
                     changes={"batch": (None, batch.id)})
        return ImportResult(batch.id, preview.count(NEW), preview.count(CHANGED), len(writes), str(backup))
