"""Writing merged package rows: each entity's add/update, under the same rules as hand entry.

Values are checked as they are turned back into columns; a malformed one raises ValidationError
and the caller's transaction rolls everything back.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.domain.compliance import Requirement
from app.domain.enums import ORG_KINDS, SECTORS
from app.domain.pairing import RATINGS
from app.domain.pairing import parse_goals as pairing_goals
from app.domain.points import ZERO, parse_points
from app.domain.scheme import scheme_from_dict, validate_scheme
from app.errors import LedgerError, PermissionDeniedError, ValidationError
from app.services.book import records
from app.services.compliance import exemptions, requirements
from app.services.kernel import locks, permissions, scope, tombstones, validate
from app.services.kernel.context import Ledger
from app.services.pairing import activities, pairings
from app.services.pairing import rules as pairing_rules
from app.services.register import members
from app.services.scoring import aggregate
from app.services.scoring.cell_rules import CellInput, CellRules, refuse
from app.services.scoring.schemes import ensure_scheme, item_ids, write_rows
from db.models import (
    AnnualGrade,
    CommitteeMember,
    MonthlyScore,
    Organization,
    OrgClass,
    Pairing,
    PartyMember,
    RecordType,
    SchemeRow,
    WarningRow,
    WorkRecord,
)
from db.models_compliance import ComplianceExemption, MeetingRequirement
from db.types import new_uuid

from .instructor_rows import INSTRUCTOR_ENTITIES
from .instructor_write import InstructorWriter
from .rows import ENTITY_LABELS, subtree_ids
from .rows_results import AFTER_GRADES as RESULT_AFTER_GRADES
from .rows_results import BEFORE_GRADES as RESULT_BEFORE_GRADES
from .tracking_rows import ENTITIES as TRACKING_ENTITIES
from .tracking_write import TrackingWriter
from .write_results import PERMISSIONS as RESULT_PERMISSIONS
from .write_results import ResultRows


def _date(v: object) -> date | None:
    return None if v is None else date.fromisoformat(str(v))


def _dt(v: object) -> datetime | None:
    return None if v is None else datetime.fromisoformat(str(v))


def _pts(v: object) -> Decimal | None:
    return None if v is None else parse_points(v, allow_negative=False)


def _int(v: object) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise ValueError(f"不是整数：{v!r}")
    return v


def _str(v: object, max_len: int = 10000) -> str:
    if v is None:
        return ""
    if not isinstance(v, str) or len(v) > max_len:
        raise ValueError(f"不是有效文字：{str(v)[:20]!r}")
    return v


class Writer(TrackingWriter, InstructorWriter, ResultRows):
    def __init__(self, s: Session, ledger: Ledger, year: int, scope_uuid: str) -> None:
        self.s, self.ledger, self.year, self.scope_uuid = s, ledger, year, scope_uuid
        self.touched: dict[int, set[int]] = defaultdict(set)  # year → organisation ids to refresh
        self.rescheme: set[int] = set()
        self.ids: dict[str, int] = {}
        self._open: set[tuple[int, int]] = set()
        self._types = set(s.scalars(select(RecordType.code)))
        self._records_here: dict[str, WorkRecord] = {}
        self._score_updates: list[dict] = []
        self._score_inserts: list[dict] = []
        self._score_rows: dict[int, list] = defaultdict(list)  # year → (row number, org id, row, CellInput)
        self._score_seen = 0

    def apply(self, actions: dict[str, list[tuple[str, dict, dict | None]]]) -> None:
        self._reload_ids()  # then a package of a subtree outside the user's scope is refused at once, naming it
        permissions.require_org(self.s, self.ledger, self.ids.get(self.scope_uuid), "导入")
        require_row_permissions(self.ledger, actions)
        # Pairings before scores: 结对共建 points are judged against the year's pairings. Dated registers and
        # the tracking rows (whose dates closed months hold) before the grades, which may confirm (close)
        # their year in the same package.
        for entity in ("organizations", "org_classes", "schemes", "pairings", "scores", "records",
                       *RESULT_BEFORE_GRADES, *TRACKING_ENTITIES, "warnings", "grades", "committee", "members",
                       "requirements", "exemptions", *INSTRUCTOR_ENTITIES, *RESULT_AFTER_GRADES):
            fn = getattr(self, f"_{entity}")
            rows = actions.get(entity, [])
            if entity == "organizations":
                rows = _parents_first(rows)
            if entity == "records":
                uuids = [r["uuid"] for a, r, _h in rows if a == "update"]
                self._records_here = {r.uuid: r for r in self.s.scalars(
                    select(WorkRecord).where(WorkRecord.uuid.in_(uuids)))} if uuids else {}
            with self.s.no_autoflush:  # one flush per entity, not one per row
                for n, (action, row, _here) in enumerate(rows, start=1):
                    try:
                        fn(action, row)
                    except (KeyError, TypeError, ValueError, ArithmeticError) as e:
                        raise ValidationError(f"数据包内容有误：“{ENTITY_LABELS[entity]}”第 {n} 行：{e}") from None
                    except LedgerError as e:  # a rule of hand entry (a lock, a range…): keeps its kind
                        raise type(e)(f"数据包内容有误：“{ENTITY_LABELS[entity]}”第 {n} 行：{e}") from None
            if entity == "scores":
                self._flush_scores()
            if (after := getattr(self, f"_after_{entity}", None)) is not None:
                after()
            self.s.flush()
            if entity == "organizations":
                self._reload_ids()
                self._refuse_loops()
        self._deletions(actions.get("deletions", []))
        for y in sorted(self.rescheme):
            aggregate.refresh_year(self.s, y)
        for y, ids in sorted(self.touched.items()):
            if y in self.rescheme:
                continue
            if len(ids) > 300:  # the year-wide SQL beats a long IN (...) list
                aggregate.refresh_year(self.s, y)
            else:
                aggregate.refresh(self.s, y, sorted(ids))

    def ensure_open(self, year: int, month: int, org_id: int | None = None) -> None:  # once per package
        if (year, month) not in self._open:
            locks.ensure_open(self.s, year, month)
            self._open.add((year, month))
        if org_id is not None and (year, month, org_id) not in self._open:
            locks.ensure_subtree_open(self.s, year, month, org_id)
            self._open.add((year, month, org_id))

    def _reload_ids(self) -> None:
        self.ids = dict(self.s.execute(select(Organization.uuid, Organization.id)).all())
        scope.forget(self.s)  # organisations the package added count in the user's subtree from now on

    def org(self, uuid: str) -> int:  # every row naming an organisation: refused outside the user's scope
        if uuid not in self.ids:
            raise ValueError(f"引用了数据包和本机都没有的党组织（{uuid[:8]}）")
        permissions.require_org(self.s, self.ledger, self.ids[uuid])
        return self.ids[uuid]

    # ---- deletions the sender made (tombstones) ----
    def _deletions(self, rows: list[tuple[str, dict, dict]]) -> None:
        for n, (entity, ident, _here) in enumerate(rows, start=1):
            try:
                getattr(self, f"_delete_{entity}")(ident)
            except (KeyError, TypeError, ValueError) as e:
                raise ValidationError(f"数据包内容有误：删除记录第 {n} 条（{ENTITY_LABELS[entity]}）：{e}") from None
            except LedgerError as e:
                raise type(e)(f"数据包中的删除不能执行：第 {n} 条（{ENTITY_LABELS[entity]}）：{e}") from None
        self.s.flush()

    def _delete_records(self, ident: dict) -> None:
        row = self.s.scalar(select(WorkRecord).where(WorkRecord.uuid == ident["uuid"]))
        if row is None:
            return
        permissions.require_org(self.s, self.ledger, row.org_id)
        locks.ensure_open(self.s, row.year, row.month, row.org_id)  # as deleting by hand
        tombstones.record_deleted(self.s, self.ledger.user, row)
        self.touched[row.year].add(row.org_id)
        self.s.delete(row)

    def _delete_scores(self, ident: dict) -> None:
        y, oid = _year(ident["year"]), self.org(ident["org_uuid"])
        ensure_scheme(self.s, self.ledger, y)
        writes, problems = CellRules(self.s, y, self.ledger).check(
            [CellInput("", self._code(oid), str(ident["item_code"]), ident["month"])])
        if problems:
            raise refuse(problems)
        w = writes[0]
        cell = self.s.scalar(select(MonthlyScore).where(MonthlyScore.org_id == w.org_id,
                                                        MonthlyScore.item_id == w.item_id, MonthlyScore.month == w.month))
        if cell is None or (cell.manual_points, cell.manual_count) == (None, None):
            return
        cell.manual_points, cell.manual_count = None, None
        tombstones.score_cleared(self.s, self.ledger.user, w.org_id, w.item_id, y, w.month)
        self.touched[y].add(w.org_id)

    def _delete_pairings(self, ident: dict) -> None:
        a, b, y = self.org(ident["strong_uuid"]), self.org(ident["weak_uuid"]), _year(ident["year"])
        row = self.s.scalar(select(Pairing).where(Pairing.strong_org_id == a, Pairing.weak_org_id == b,
                                                  Pairing.year == y))
        if row is not None:
            pairings.remove_in(self.s, self.ledger, row)  # as removing it by hand (locks, dependent rows)

    def _delete_exemptions(self, ident: dict) -> None:
        row = self.s.scalar(select(ComplianceExemption).where(ComplianceExemption.uuid == ident["uuid"]))
        if row is not None:
            permissions.require_org(self.s, self.ledger, row.org_id)
            tombstones.exemption_removed(self.s, self.ledger.user, row)
            self.s.delete(row)

    def _delete_committee(self, ident: dict) -> None:
        row = self.s.scalar(select(CommitteeMember).where(CommitteeMember.uuid == ident["uuid"]))
        if row is not None:
            permissions.require_org(self.s, self.ledger, row.org_id)
            tombstones.committee_removed(self.s, self.ledger.user, row)
            self.s.delete(row)

    # ---- 组织生活 requirements and exemptions ----
    def _requirements(self, action: str, row: dict) -> None:
        y = _year(row["year"])
        locks.ensure_year_open(self.s, y)
        due_m, due_d = _int(row.get("due_month")), _int(row.get("due_day"))
        req = Requirement(_str(row["type_code"], 10), _str(row["type_code"], 10), _str(row["period"], 10),
                          _int(row["minimum"]) or 0, _str(row.get("applies"), 10) or "all",
                          tuple(x for x in _str(row.get("sectors"), 200).split("、") if x), due_m, due_d)
        requirements.check(self.s, [req])  # the same checks as setting it by hand
        cur = self.s.scalar(select(MeetingRequirement).where(MeetingRequirement.year == y,
                                                             MeetingRequirement.type_code == req.type_code))
        if cur is None:
            cur = MeetingRequirement(uuid=self._uuid(MeetingRequirement, row), year=y, type_code=req.type_code)
            self.s.add(cur)
        cur.period, cur.minimum, cur.applies = req.period, req.minimum, req.applies
        cur.sectors, cur.due_month, cur.due_day = "、".join(req.sectors), due_m, due_d
        cur.sort_order = _int(row.get("sort_order")) or 0

    def _exemptions(self, action: str, row: dict) -> None:
        oid = self.org(row["org_uuid"])
        first, last = _date(row["first_month"]), _date(row["last_month"])
        if first is None or last is None:
            raise ValueError("豁免的起止月份无效")
        type_code = _str(row["type_code"], 10)
        # The same rules as registering it by hand (reason, whole months, order, type, no overlap).
        reason, _name = exemptions.check(self.s, self.org_row(oid), type_code, first, last,
                                  _str(row.get("reason"), 200), keep_uuid=row["uuid"])
        cur = self.s.scalar(select(ComplianceExemption).where(ComplianceExemption.uuid == row["uuid"]))
        if cur is None:
            cur = ComplianceExemption(uuid=row["uuid"], org_id=oid, type_code=type_code, created_by=self.ledger.user)
            self.s.add(cur)
        cur.org_id, cur.type_code, cur.first_month, cur.last_month, cur.reason = oid, type_code, first, last, reason

    # ---- organisations ----
    def _organizations(self, action: str, row: dict) -> None:
        fields = {
            "code": _str(row["code"], 40), "name": _str(row["name"], 120),
            "kind": row["kind"] if row["kind"] in ORG_KINDS else _bad("组织类型", row["kind"]),
            "sector": row["sector"] if row["sector"] in SECTORS else _bad("领域", row["sector"]),
            "secretary": _str(row.get("secretary"), 40), "contact": _str(row.get("contact"), 80),
            "member_count": _int(row.get("member_count")) or 0, "address": _str(row.get("address"), 200),
            "established_on": _date(row.get("established_on")), "status": _str(row.get("status"), 10) or "active",
            "sort_order": _int(row.get("sort_order")) or 0,
        }
        dupe = self.s.scalar(select(Organization).where(Organization.code == fields["code"]))
        if action == "add":
            if dupe is not None:
                raise ValueError(f"组织编码“{fields['code']}”在本机已被“{dupe.name}”使用")
            permissions.require_org(self.s, self.ledger, "" if (pid := self._parent_for(row)) is None else pid, "在其下新增组织：")
            org = Organization(uuid=row["uuid"], parent_id=pid, **fields)
            self.s.add(org)
            self.s.flush()
            self.ids[org.uuid] = org.id
            return
        org = self.s.scalar(select(Organization).where(Organization.uuid == row["uuid"]))
        permissions.require_org(self.s, self.ledger, org)
        if dupe is not None and dupe.id != org.id:
            raise ValueError(f"组织编码“{fields['code']}”在本机已被“{dupe.name}”使用")
        for k, v in fields.items():
            setattr(org, k, v)
        if row["uuid"] != self.scope_uuid:
            org.parent_id = self._parent_for(row)

    def _refuse_loops(self) -> None:
        """The organisation tree must stay a tree: no organisation may end up its own ancestor."""
        rows = self.s.execute(select(Organization.id, Organization.parent_id, Organization.name)).all()
        parent = {r.id: r.parent_id for r in rows}
        name = {r.id: r.name for r in rows}
        for start in parent:
            seen: list[int] = []
            node: int | None = start
            while node is not None and node not in seen:
                seen.append(node)
                node = parent.get(node)
            if node is not None:  # came back to a node already on the path: a loop
                loop = [*seen[seen.index(node):], node]
                raise ValidationError("数据包内容有误：组织上下级关系成环（" + " → ".join(name[i] for i in loop)
                                      + "），未写入任何数据")

    def _parent_for(self, row: dict) -> int | None:
        if row.get("parent_uuid"):
            return self.org(row["parent_uuid"])
        # The scope's top goes under this installation's own top organisation, if it has exactly one.
        roots = list(self.s.scalars(select(Organization.id).where(Organization.parent_id.is_(None))))
        return roots[0] if len(roots) == 1 else None

    def _org_classes(self, action: str, row: dict) -> None:
        oid, y = self.org(row["org_uuid"]), _year(row["year"])
        locks.ensure_year_open(self.s, y)  # as 设定分类 by hand: a confirmed year's classes stand
        cur = self.s.scalar(select(OrgClass).where(OrgClass.org_id == oid, OrgClass.year == y))
        if row["category"] not in ("A", "B", "C"):
            _bad("分类", row["category"])
        if cur is None:
            cur = OrgClass(uuid=self._uuid(OrgClass, row), org_id=oid, year=y)
            self.s.add(cur)
        cur.category, cur.source, cur.note = row["category"], _str(row.get("source"), 10), _str(row.get("note"), 200)

    def _uuid(self, model, row: dict) -> str:
        u = row.get("uuid")
        if u and self.s.scalar(select(model.id).where(model.uuid == u)) is None:
            return u
        return new_uuid()

    def _schemes(self, action: str, row: dict) -> None:
        y = _year(row["year"])
        locks.ensure_year_open(self.s, y)  # a confirmed year's rules decided its grades
        scheme = scheme_from_dict({**row["rules"], "name": _str(row["name"], 120)}, year=y)
        problems = validate_scheme(scheme)
        if problems:
            raise ValueError("；".join(problems[:3]))
        if scheme.fingerprint() != row["fingerprint"]:
            raise ValueError("积分细则与其指纹不符")
        cur = self.s.scalar(select(SchemeRow).where(SchemeRow.year == y))
        if cur is None:
            cur = SchemeRow(uuid=self._uuid(SchemeRow, row), year=y, name=scheme.name,
                            yellow_below=scheme.warning.yellow_below, orange_below=scheme.warning.orange_below,
                            red_below=scheme.warning.red_below, grade_a_min=scheme.grade.a_min,
                            grade_b_min=scheme.grade.b_min)
            self.s.add(cur)
            self.s.flush()
        write_rows(self.s, cur, scheme)
        self.rescheme.add(y)

    def _scores(self, action: str, row: dict) -> None:
        # Judged together at the end of the entity by CellRules, the one judge of every entry path.
        oid, y = self.org(row["org_uuid"]), _year(row["year"])
        count = _int(row.get("manual_count"))
        row = {**row, "note": _str(row.get("note"), 200)}  # checked here, where a bad value names its row
        # A counted cell travels with its points too (checked for form here); the count is what was entered.
        points = _pts(row.get("manual_points"))
        if count is not None:
            points = None
        self._score_seen += 1
        n = self._score_seen
        self._score_rows[y].append((n, oid, row, CellInput(
            f"“{ENTITY_LABELS['scores']}”第 {n} 行", self._code(oid), str(row["item_code"]), row["month"],
            None if points is None else str(points), count)))

    def _code(self, org_id: int) -> str:
        codes = self.__dict__.setdefault("_code_cache", {})
        if org_id not in codes:
            codes[org_id] = self.s.scalar(select(Organization.code).where(Organization.id == org_id))
        return codes[org_id]

    def _cells(self, year: int) -> dict[tuple[int, int, int], int]:
        cache = self.__dict__.setdefault("_cell_cache", {})
        if year not in cache:
            t = MonthlyScore.__table__
            cache[year] = {(r.org_id, r.item_id, r.month): r.id for r in self.s.execute(
                select(t.c.id, t.c.org_id, t.c.item_id, t.c.month).where(t.c.year == year))}
        return cache[year]

    def _judge_scores(self) -> None:
        """Check the entity's cells under the entry rules; refused as a whole, naming every bad row."""
        problems: list[str] = []
        for y, rows in sorted(self._score_rows.items()):
            if y is None:
                raise ValidationError("数据包内容有误：“积分”缺少年份")
            ensure_scheme(self.s, self.ledger, y)  # as hand entry does: the year's scheme is stored on first use
            writes, found = CellRules(self.s, y, self.ledger).check([c for _n, _o, _r, c in rows])
            problems += found
            by_where = {w.where: w for w in writes}
            for _n, _oid, row, c in rows:
                w = by_where.get(c.where)
                if w is None:
                    continue
                values = {"manual_points": w.points, "manual_count": w.count, "note": _str(row.get("note"), 200)}
                cur = self._cells(y).get((w.org_id, w.item_id, w.month))
                if cur is None:
                    self._score_inserts.append(dict(uuid=new_uuid(), org_id=w.org_id, item_id=w.item_id, year=y,
                                                    month=w.month, record_count=0, effective=ZERO, **values))
                else:
                    self._score_updates.append({"_id": cur, "mp": values["manual_points"], "mc": values["manual_count"],
                                                "nt": values["note"]})
                self.touched[y].add(w.org_id)
        self._score_rows.clear()
        if problems:
            error = refuse(problems)  # keeps its kind: a locked month or confirmed year stays a LockedError
            raise type(error)(f"数据包内容有误：{error}")

    def _flush_scores(self) -> None:
        self._judge_scores()
        t = MonthlyScore.__table__
        if self._score_updates:
            self.s.execute(t.update().where(t.c.id == bindparam("_id")).values(
                manual_points=bindparam("mp"), manual_count=bindparam("mc"), note=bindparam("nt")), self._score_updates)
        if self._score_inserts:
            self.s.execute(t.insert(), self._score_inserts)
        self._score_updates, self._score_inserts = [], []

    def _items(self, year: int) -> dict:
        cache = self.__dict__.setdefault("_item_cache", {})
        if year not in cache:
            cache[year] = item_ids(self.s, year)
        return cache[year]

    def _records(self, action: str, row: dict) -> None:
        oid = self.org(row["org_uuid"])
        on = _date(row["date"])
        if on is None:
            raise ValueError("工作记录缺少日期")
        if row["type_code"] not in self._types:
            raise ValueError(f"本机没有工作记录类型“{row['type_code']}”")
        self.ensure_open(on.year, on.month, oid)
        extra = _str(row.get("extra")) or "{}"
        try:
            org = self.org_row(oid)
            records.check_org_on(org, on)
            if row["type_code"] == activities.ACTIVITY_TYPE and self._judges_pair(json.loads(extra)):
                checked = activities.check_activity(self.s, org, row["type_code"], on, json.loads(extra))
                row = {**row, "extra": json.dumps(checked, ensure_ascii=False, sort_keys=True)}
            form = records.clean_travelling(self.s, row, self.ledger.today())  # the form's rules, as typed by hand
        except ValidationError as e:
            raise ValueError(str(e)) from None  # named with its row like every other bad value
        cur = self._records_here.get(row["uuid"]) if action == "update" else None
        if cur is None:
            cur = WorkRecord(uuid=row["uuid"], org_id=oid)
            self.s.add(cur)
        else:
            self.ensure_open(cur.year, cur.month, cur.org_id)  # moving a record out of a month changes it too
            self.touched[cur.year].add(cur.org_id)
        cur.org_id, cur.type_code, cur.date, cur.year, cur.month = oid, row["type_code"], on, on.year, on.month
        cur.topic, cur.content = _str(row["topic"], 200), _str(row.get("content"))
        cur.place, cur.host, cur.recorder = _str(row.get("place"), 100), _str(row.get("host"), 40), _str(row.get("recorder"), 40)
        cur.attendance_expected, cur.attendance_actual = form.attendance_expected, form.attendance_actual
        cur.absentees, cur.extra = form.absentees, records.extra_json(form.extra)
        self.touched[on.year].add(oid)

    def _judges_pair(self, extra: dict) -> bool:
        """A 结对共建活动 is held to its pairing where the package's scope holds both sides (the pairing
        travels with them); a partner outside the scope is the sender's to judge, under the same rule."""
        if "_scope_codes" not in self.__dict__:
            root = self.ids.get(self.scope_uuid)
            ids = set(subtree_ids(self.s, root)) if root is not None else set()
            self._scope_codes = set(self.s.scalars(select(Organization.code).where(Organization.id.in_(ids))))
        return activities.partner_code(extra.get(activities.PARTNER)) in self._scope_codes or not extra.get(
            activities.PARTNER)

    def _warnings(self, action: str, row: dict) -> None:
        oid, y, q = self.org(row["org_uuid"]), _year(row["year"]), validate.quarter(_int(row["quarter"]))
        cur = self.s.scalar(select(WarningRow).where(WarningRow.org_id == oid, WarningRow.year == y,
                                                     WarningRow.quarter == q))
        if cur is None:
            cur = WarningRow(uuid=self._uuid(WarningRow, row), org_id=oid, year=y, quarter=q)
            self.s.add(cur)
        level = _int(row["level"])
        if level not in (1, 2, 3):
            _bad("预警等级", level)
        cur.level, cur.quarter_score, cur.reasons = level, _pts(row["quarter_score"]) or ZERO, _str(row.get("reasons"))
        cur.issued_on, cur.notice_no = _date(row.get("issued_on")), _str(row.get("notice_no"), 60)
        cur.rect_measures, cur.rect_deadline = _str(row.get("rect_measures")), _date(row.get("rect_deadline"))
        cur.rect_verified_by, cur.rect_closed_on = _str(row.get("rect_verified_by"), 40), _date(row.get("rect_closed_on"))

    def _grades(self, action: str, row: dict) -> None:
        oid, y = self.org(row["org_uuid"]), _year(row["year"])
        locks.ensure_year_open(self.s, y)  # a confirmed year's grades change only after a 管理员 reopens it
        cur = self.s.scalar(select(AnnualGrade).where(AnnualGrade.org_id == oid, AnnualGrade.year == y))
        if cur is None:
            cur = AnnualGrade(uuid=self._uuid(AnnualGrade, row), org_id=oid, year=y)
            self.s.add(cur)
        for k in ("computed_class", "final_class"):
            if row[k] not in ("A", "B", "C"):
                _bad("定级", row[k])
        cur.score, cur.computed_class, cur.final_class = _pts(row["score"]) or ZERO, row["computed_class"], row["final_class"]
        cur.veto, cur.override_reason = bool(row.get("veto")), _str(row.get("override_reason"))
        cur.confirmed_at, cur.confirmed_by = _dt(row.get("confirmed_at")), _str(row.get("confirmed_by"), 40)

    def _pairings(self, action: str, row: dict) -> None:
        a, b, y = self.org(row["strong_uuid"]), self.org(row["weak_uuid"]), _year(row["year"])
        cur = self.s.scalar(select(Pairing).where(Pairing.strong_org_id == a, Pairing.weak_org_id == b, Pairing.year == y))
        start, end = _date(row.get("start_on")), _date(row.get("end_on"))
        goals = pairing_goals(_str(row.get("goals"), 200))
        reason = _str(row.get("reason"), 200)
        rating = _str(row.get("rating"), 10)
        if rating and rating not in RATINGS:
            _bad("评价等次", rating)
        same = cur is not None and (cur.start_on, cur.end_on, cur.goals, cur.reason) == (start, end, "、".join(goals),
                                                                                         reason)
        if not same:  # a new pairing, or one whose span, goals or reason changed: the rules of hand entry
            pairing_rules.ensure_allowed(self.s, self.ledger.today(), y, a, b, start, end, goals, reason)
            locks.ensure_year_open(self.s, y)
        if cur is None:
            cur = Pairing(uuid=self._uuid(Pairing, row), strong_org_id=a, weak_org_id=b, year=y)
            self.s.add(cur)
        cur.note = _str(row.get("note"), 200)
        cur.start_on, cur.end_on, cur.goals, cur.reason = start, end, "、".join(goals), reason
        cur.evaluation, cur.rating = _str(row.get("evaluation")), rating
        self.s.flush()  # the next row's one-leader rule sees this one

    def _committee(self, action: str, row: dict) -> None:
        cur = self.s.scalar(select(CommitteeMember).where(CommitteeMember.uuid == row["uuid"]))
        if cur is None:
            cur = CommitteeMember(uuid=row["uuid"])
            self.s.add(cur)
        try:  # the same rules as the dialog
            values = members.clean_committee(row["name"], row["role"], row.get("phone"), row.get("term_start"),
                                             row.get("term_end"), today=self.ledger.today())
        except ValidationError as e:
            raise ValueError(str(e)) from None
        cur.org_id, cur.sort_order = self.org(row["org_uuid"]), _int(row.get("sort_order")) or 0
        for k, v in values.items():
            setattr(cur, k, v)

    def _members(self, action: str, row: dict) -> None:
        cur = self.s.scalar(select(PartyMember).where(PartyMember.uuid == row["uuid"]))
        if cur is None:
            cur = PartyMember(uuid=row["uuid"])
            self.s.add(cur)
        cur.org_id, cur.name, cur.gender = self.org(row["org_uuid"]), _str(row["name"], 40), _str(row.get("gender"), 2)
        cur.birth_date, cur.ethnicity = _date(row.get("birth_date")), _str(row.get("ethnicity"), 20)
        cur.education, cur.joined_on = _str(row.get("education"), 20), _date(row.get("joined_on"))
        cur.status, cur.post, cur.phone = _str(row.get("status"), 10) or "正式党员", _str(row.get("post"), 60), _str(row.get("phone"), 30)
        cur.transferred_out_on, cur.transfer_note = _date(row.get("transferred_out_on")), _str(row.get("transfer_note"), 200)


def _parents_first(rows: list) -> list:
    parent = {r["uuid"]: r.get("parent_uuid") for _a, r, _h in rows}

    def depth(uuid: str) -> int:
        n, seen = 0, set()
        while parent.get(uuid) in parent and uuid not in seen:
            seen.add(uuid)
            uuid, n = parent[uuid], n + 1
        return n

    return sorted(rows, key=lambda x: depth(x[1]["uuid"]))


def _year(v: object) -> int:
    return validate.year(_int(v))


# The permission each kind of row needs, as when the same change is made by hand.
ROW_PERMISSIONS = {
    "organizations": "orgs", "org_classes": "orgs", "schemes": "scheme", "scores": "scores",
    "records": "records", "warnings": "notices", "grades": "grades", "pairings": "orgs",
    "committee": "members", "members": "members", "requirements": "scheme", "exemptions": "records",
    "meetings": "tracking", "projects": "tracking", "tasks": "tracking", "milestones": "tracking",
    "tracking_logs": "tracking",
    "ins_stations": "orgs", "instructors": "orgs", "ins_targets": "orgs", "ins_assignments": "orgs",
    "ins_logs": "records", "ins_visits": "records", "ins_tickets": "records", "ins_schemes": "scheme",
    "ins_grades": "grades", "ins_signoffs": "grades", "ins_station_signoffs": "grades",
    **RESULT_PERMISSIONS,
}
RECTIFICATION_FIELDS = ("rect_measures", "rect_deadline", "rect_verified_by", "rect_closed_on")


def _permission_for(entity: str, action: str, row: dict, here: dict | None) -> str:
    # Registering a rectification is a 录入员's work; issuing or changing a warning is not.
    if entity == "warnings" and action == "update" and here is not None and all(
            row.get(k) == here.get(k) for k in row if k not in RECTIFICATION_FIELDS):
        return "rectify"
    return ROW_PERMISSIONS[entity]


def require_row_permissions(ledger: Ledger, actions: dict[str, list[tuple[str, dict, dict | None]]]) -> None:
    """Refuse the whole package, naming every kind of row the importing user may not write."""
    denied: dict[str, str] = {}
    for entity, rows in actions.items():
        if entity == "deletions":  # (entity, ident, here): deleting needs what changing needs
            rows = [(e, "delete", ident, here) for e, ident, here in rows]
        else:
            rows = [(entity, action, row, here) for action, row, here in rows]
        for entity, action, row, here in rows:
            perm = _permission_for(entity, action, row, here)
            if not permissions.allowed(ledger, perm):
                needed, _label = permissions.PERMISSIONS[perm]
                denied.setdefault(ENTITY_LABELS[entity], needed)
    if denied:
        listed = "、".join(f"{label}（需要{needed}权限）" for label, needed in denied.items())
        raise PermissionDeniedError(f"当前用户 {ledger.user}（{permissions.role_of(ledger)}）无权导入数据包中的："
                                    f"{listed}；未写入任何数据，请由有权限的账户导入")


def _bad(field: str, value: object):
    raise ValueError(f"{field}“{value}”无效")
