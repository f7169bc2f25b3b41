"""The register of Party organisations: tree, sector, kind, class per year (pairings: app/services/pairing)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import ORG_KINDS, PARENT_KINDS, SECTORS, Category
from app.errors import ConflictError, NotFoundError, ValidationError
from app.services.kernel import audit, locks, permissions, scope, validate
from app.services.kernel.context import Ledger
from db.models import AnnualGrade, Organization, OrgClass

# Organisations that are scored, warned and graded; 工委/党委 manage the ones below them.
SCORED_KINDS: tuple[str, ...] = ("党总支", "党支部", "联合党支部")


@dataclass(frozen=True)
class OrgInfo:
    id: int
    uuid: str
    code: str
    name: str
    kind: str
    sector: str
    parent_code: str | None
    parent_name: str | None
    secretary: str
    contact: str
    member_count: int
    address: str
    established_on: date | None
    status: str
    category: Category | None  # class for the year asked for
    scored: bool
    closed_on: date | None = None  # 撤销/停用 date of a stopped organisation
    has_groups: bool = False  # 有党小组: 党小组会 is required of it

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class ClassHistoryLine:
    year: int
    category: Category
    source: str
    note: str
    score: str | None


EDITABLE = ("name", "kind", "sector", "secretary", "contact", "member_count", "address", "established_on",
            "has_groups")


def get_org_row(session: Session, code: str) -> Organization:
    org = session.scalar(select(Organization).where(Organization.code == code))
    if org is None:
        raise NotFoundError(f"找不到组织编码为“{code}”的党组织")
    return org


def class_map(session: Session, year: int) -> dict[int, Category]:
    """Each organisation's class for ``year``: that year's row, else the latest earlier one."""
    latest = (
        select(OrgClass.org_id, func.max(OrgClass.year).label("y"))
        .where(OrgClass.year <= year)
        .group_by(OrgClass.org_id)
        .subquery()
    )
    rows = session.execute(
        select(OrgClass.org_id, OrgClass.category).join(
            latest, (latest.c.org_id == OrgClass.org_id) & (latest.c.y == OrgClass.year)
        )
    )
    return {org_id: Category(cat) for org_id, cat in rows}


def list_orgs(ledger: Ledger, year: int | None = None, *, include_inactive: bool = True) -> list[OrgInfo]:
    year = year or ledger.today().year
    with ledger.db.read() as s:
        classes = class_map(s, year)
        parent = Organization.__table__.alias("p")
        o = Organization.__table__
        q = (
            select(o, parent.c.code.label("pcode"), parent.c.name.label("pname"))
            .select_from(o.outerjoin(parent, parent.c.id == o.c.parent_id))
            .order_by(o.c.sort_order, o.c.code)
        )
        if not include_inactive:
            q = q.where(o.c.status == "active")
        return [
            OrgInfo(
                id=r.id, uuid=r.uuid, code=r.code, name=r.name, kind=r.kind, sector=r.sector,
                parent_code=r.pcode, parent_name=r.pname, secretary=r.secretary, contact=r.contact,
                member_count=r.member_count, address=r.address, established_on=r.established_on,
                status=r.status, category=classes.get(r.id), scored=r.kind in SCORED_KINDS, closed_on=r.closed_on,
                has_groups=bool(r.has_groups),
            )
            for r in scope.keep(ledger, s.execute(q), lambda r: r.code, s)  # a scoped user: their subtree only
        ]


def get_org(ledger: Ledger, code: str, year: int | None = None) -> OrgInfo:
    for org in list_orgs(ledger, year):
        if org.code == code:
            return org
    if ledger.scope:  # there, but outside the user's subtree: say so rather than "not found"
        with ledger.db.read() as s:
            scope.ensure_covers(s, ledger, code, "查看")
    raise NotFoundError(f"找不到组织编码为“{code}”的党组织")


def _check_parent(session: Session, parent_code: str | None, moving: Organization | None = None) -> Organization | None:
    if not parent_code:
        return None
    parent = get_org_row(session, parent_code)
    if parent.status != "active":
        raise ValidationError(f"上级组织“{parent.name}”已停用，不能在其下设组织")
    if parent.kind not in PARENT_KINDS:
        raise ValidationError(f"上级组织“{parent.name}”是{parent.kind}，不能再下设组织（只有工委、党委、党总支可以）")
    node: Organization | None = parent
    while node is not None and moving is not None:
        if node.id == moving.id:
            raise ValidationError(f"不能把“{moving.name}”移到它自己或它的下级组织之下")
        node = node.parent
    return parent


def clean_values(values: dict, today: date, c: validate.Collector | None = None) -> dict:
    """Checked field values of an organisation (every entry path: dialog, CLI, import, package); every
    problem is named at once, each with its field (FieldErrors). With ``c`` the problems are added to
    the caller's collector instead (which raises when it is done)."""
    own = c is None
    c = c or validate.Collector()
    out = dict(values)
    if "name" in out:
        out["name"] = c.take("name", validate.text, out["name"], "组织名称", required=True, max_len=120)
    if "kind" in out:
        out["kind"] = c.take("kind", validate.one_of, out["kind"], ORG_KINDS, "组织类型")
    if "sector" in out:
        out["sector"] = c.take("sector", validate.one_of, out["sector"], SECTORS, "所属领域")
    for key, label, n in (("secretary", "书记", 40), ("contact", "联系方式", 80), ("address", "地址", 200)):
        if key in out:
            out[key] = c.take(key, validate.text, out[key], label, max_len=n)
    if "member_count" in out:
        out["member_count"] = c.take("member_count", validate.count, out["member_count"] or 0, "党员人数")
    if "has_groups" in out:
        out["has_groups"] = c.take("has_groups", _yes_no, out["has_groups"], "有党小组")
    if "established_on" in out:
        out["established_on"] = c.take("established_on", _founded, out["established_on"], today)
    if own:
        c.done()
    return out


def _founded(value: object, today: date) -> date | None:
    on = validate.parse_date(value, "成立日期", required=False)
    if on and on > today:
        raise ValidationError(f"成立日期 {on:%Y-%m-%d} 晚于今天，不能登记尚未成立的组织")
    return on


def _yes_no(value: object, field: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip()
    if text in ("是", "有", "1", "true", "True", "yes"):
        return True
    if text in ("否", "无", "0", "false", "False", "no", ""):
        return False
    raise ValidationError(f"{field}只能填“是”或“否”，收到“{text}”")


def check_date_change(s: Session, org: Organization, established: date | None,
                                 closed: date | None) -> None:
    """Founding and closing dates decide which periods an organisation is warned and graded for;
    moving them may not change a year whose grades are confirmed."""
    for old, new in ((org.established_on, established), (org.closed_on, closed)):
        if old == new:
            continue
        known = [d.year for d in (old, new) if d is not None]
        years = set(range(min(known), max(known) + 1))
        if old is None or new is None:  # to or from "no date": every year it was graded in may change
            years |= set(s.scalars(select(AnnualGrade.year).where(AnnualGrade.org_id == org.id)))
        for y in sorted(years):
            locks.ensure_year_open(s, y)


def _snapshot(org: Organization) -> dict:
    return {k: getattr(org, k) for k in (*EDITABLE, "status", "parent_id")}


def add_org(
    ledger: Ledger,
    *,
    code: str,
    name: str,
    sector: str,
    kind: str = "党支部",
    parent: str | None = None,
    category: str | None = None,
    year: int | None = None,
    **extra: object,
) -> OrgInfo:
    permissions.require(ledger, "orgs")
    unknown = set(extra) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}")
    c = validate.Collector()
    code = c.take("code", validate.code, code)
    values = clean_values({"name": name, "sector": sector, "kind": kind, **extra}, ledger.today(), c)
    cat = c.take("category", validate.one_of, category, ("A", "B", "C"), "分类") if category else None
    c.done()
    cat = Category(cat) if cat else None
    with ledger.db.write() as s:
        if s.scalar(select(Organization.id).where(Organization.code == code)):
            raise ConflictError(f"组织编码“{code}”已存在")
        p = _check_parent(s, parent)
        permissions.require_org(s, ledger, p if p is not None else "", "在其下新增组织：")
        sort = (s.scalar(select(func.max(Organization.sort_order))) or 0) + 1
        org = Organization(code=code, parent_id=p.id if p else None, sort_order=sort, **values)
        s.add(org)
        s.flush()
        if cat is not None:
            s.add(OrgClass(org_id=org.id, year=year or ledger.today().year, category=cat.value, source="initial"))
        audit.record(s, ledger, "新增组织", "organization", entity_uuid=org.uuid, org_code=code,
                     summary=f"新增 {values['name']}", changes={k: (None, v) for k, v in values.items()})
    return get_org(ledger, code)


def update_org(ledger: Ledger, code: str, **changes: object) -> OrgInfo:
    permissions.require(ledger, "orgs")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"不能修改字段：{', '.join(sorted(unknown))}")
    values = clean_values(changes, ledger.today())
    with ledger.db.write() as s:
        org = get_org_row(s, code)
        permissions.require_org(s, ledger, org)
        before = _snapshot(org)
        if "established_on" in values:
            if values["established_on"] and org.closed_on and values["established_on"] >= org.closed_on:
                raise ValidationError("成立日期不能晚于撤销日期")
            check_date_change(s, org, values["established_on"], org.closed_on)
        if "kind" in values and values["kind"] not in PARENT_KINDS:
            has_children = s.scalar(select(func.count()).where(Organization.parent_id == org.id))
            if has_children:
                raise ValidationError(f"“{org.name}”下设有组织，类型不能改为{values['kind']}")
        for k, v in values.items():
            setattr(org, k, v)
        s.flush()
        changed = audit.diff(before, _snapshot(org))
        if changed:
            audit.record(s, ledger, "修改组织", "organization", entity_uuid=org.uuid, org_code=code,
                         summary=f"修改 {org.name}", changes=changed)
    return get_org(ledger, code)


def move_org(ledger: Ledger, code: str, new_parent: str | None) -> OrgInfo:
    permissions.require(ledger, "orgs")
    with ledger.db.write() as s:
        org = get_org_row(s, code)
        permissions.require_org(s, ledger, org)
        p = _check_parent(s, new_parent, moving=org)
        permissions.require_org(s, ledger, p if p is not None else "", "把组织调整到")
        old = org.parent.code if org.parent else None
        org.parent_id = p.id if p else None
        audit.record(s, ledger, "调整隶属", "organization", entity_uuid=org.uuid, org_code=code,
                     summary=f"{org.name} 隶属调整", changes={"parent": (old, new_parent)})
    return get_org(ledger, code)


def set_status(ledger: Ledger, code: str, active: bool, on: object = None) -> OrgInfo:
    """停用 (with its 撤销/停用 date, default today: it is warned and graded no longer after it) or 启用."""
    permissions.require(ledger, "orgs")
    status = "active" if active else "inactive"
    closed = None if active else (validate.parse_date(on, "撤销日期", required=False) or ledger.today())
    if closed and closed > ledger.today():
        raise ValidationError(f"撤销日期 {closed:%Y-%m-%d} 晚于今天，请到当天再停用")
    with ledger.db.write() as s:
        org = get_org_row(s, code)
        permissions.require_org(s, ledger, org)
        if org.status == status:
            return get_org(ledger, code)
        if closed and org.established_on and closed <= org.established_on:
            raise ValidationError(f"撤销日期 {closed:%Y-%m-%d} 不晚于成立日期 {org.established_on:%Y-%m-%d}")
        check_date_change(s, org, org.established_on, closed)
        if not active:
            live = s.scalar(
                select(func.count()).where(Organization.parent_id == org.id, Organization.status == "active")
            )
            if live:
                raise ValidationError(f"“{org.name}”下还有 {live} 个在用组织，请先停用或移走下级组织")
        old, org.status = org.status, status
        old_closed, org.closed_on = org.closed_on, closed
        audit.record(s, ledger, "停用组织" if not active else "启用组织", "organization", entity_uuid=org.uuid,
                     org_code=code, summary=org.name + (f"，撤销日期 {closed:%Y-%m-%d}" if closed else ""),
                     changes={"status": (old, status), "closed_on": (old_closed, closed)})
    return get_org(ledger, code)


def set_class(ledger: Ledger, code: str, year: int, category: str, note: str = "", source: str = "manual") -> None:
    permissions.require(ledger, "orgs")
    year = validate.year(year)
    cat = validate.one_of(category, ("A", "B", "C"), "分类")
    with ledger.db.write() as s:
        locks.ensure_year_open(s, year)
        org = get_org_row(s, code)
        permissions.require_org(s, ledger, org)
        row = s.scalar(select(OrgClass).where(OrgClass.org_id == org.id, OrgClass.year == year))
        old = row.category if row else None
        if row is None:
            s.add(OrgClass(org_id=org.id, year=year, category=cat, source=source, note=note))
        else:
            row.category, row.source, row.note = cat, source, note
        audit.record(s, ledger, "设定分类", "org_class", entity_uuid=org.uuid, org_code=code,
                     summary=f"{org.name} {year} 年分类", changes={"category": (old, cat)})


def class_history(ledger: Ledger, code: str) -> list[ClassHistoryLine]:
    with ledger.db.read() as s:
        org = get_org_row(s, code)
        scope.ensure_covers(s, ledger, org, "查看")
        grades = {g.year: g for g in s.scalars(select(AnnualGrade).where(AnnualGrade.org_id == org.id))}
        rows = s.scalars(select(OrgClass).where(OrgClass.org_id == org.id).order_by(OrgClass.year)).all()
        out = []
        for r in rows:
            g = grades.get(r.year - 1) if r.source == "grade" else None
            out.append(
                ClassHistoryLine(r.year, Category(r.category), r.source, r.note, str(g.score) if g else None)
            )
        return out


def scored_org_ids(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(Organization.id).where(Organization.status == "active", Organization.kind.in_(SCORED_KINDS))
        )
    )


def as_dict(org: OrgInfo) -> dict:
    d = {f.name: getattr(org, f.name) for f in fields(org)}
    d["category"] = org.category.value if org.category else None
    d["established_on"] = org.established_on.isoformat() if org.established_on else None
    return d
