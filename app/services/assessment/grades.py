"""年度定级: annual scores by SQL, computed and final class, override with a reason, confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from app.domain.enums import Category
from app.domain.points import ZERO, fmt
from app.domain.rules import change_label, grade_for
from app.errors import NotFoundError, ValidationError
from app.services.kernel import audit, permissions, validate
from app.services.kernel.context import Ledger
from app.services.register.orgs import SCORED_KINDS, class_map, get_org_row
from app.services.scoring import aggregate
from app.services.scoring.schemes import ensure_scheme, get_scheme, to_domain
from db.models import AnnualGrade, Organization, OrgClass


@dataclass(frozen=True)
class OrgGrade:
    org_code: str
    org_name: str
    parent_name: str | None
    sector: str
    year: int
    score: Decimal
    categories: dict[str, Decimal]
    computed: Category
    final: Category
    veto: bool
    override_reason: str
    confirmed: bool
    rank: int
    previous: Category | None  # the class the organisation held this year (set by last year's grade)

    @property
    def change(self) -> str:
        return change_label(self.previous, self.final)


def compute(s, ledger: Ledger, year: int) -> list[OrgGrade]:
    # Only a select when the year's scheme exists (read paths create it first via get_scheme).
    scheme = to_domain(ensure_scheme(s, ledger, year))
    totals = aggregate.annual_totals(s, year)
    veto = aggregate.vetoes(s, year)
    stored = {g.org_id: g for g in s.scalars(select(AnnualGrade).where(AnnualGrade.year == year))}
    held = class_map(s, year)
    o = Organization.__table__
    p = o.alias("p")
    orgs = s.execute(
        select(o.c.id, o.c.code, o.c.name, p.c.name, o.c.sector)
        .select_from(o.outerjoin(p, p.c.id == o.c.parent_id))
        .where(o.c.status == "active", o.c.kind.in_(SCORED_KINDS))
    ).all()
    rows = []
    for oid, code, name, parent, sector in orgs:
        t = totals.get(oid)
        score = t.score if t else ZERO
        computed = grade_for(score, oid in veto, scheme.grade)
        g = stored.get(oid)
        final = Category(g.final_class) if g and g.override_reason else computed
        rows.append((oid, code, name, parent, sector, score, t.categories if t else {}, computed, final, g))
    rows.sort(key=lambda r: (-r[5], r[1]))
    out = []
    rank = 0
    last_score = None
    for i, (oid, code, name, parent, sector, score, cats, computed, final, g) in enumerate(rows, start=1):
        if score != last_score:
            rank, last_score = i, score  # equal scores share a rank
        out.append(
            OrgGrade(
                code, name, parent, sector, year, score, cats, computed, final, oid in veto,
                g.override_reason if g else "", bool(g and g.confirmed_at), rank, held.get(oid),
            )
        )
    return out


def year_grades(ledger: Ledger, year: int) -> list[OrgGrade]:
    year = validate.year(year)
    get_scheme(ledger, year)  # creates the year's scheme on first use; a read otherwise
    with ledger.db.read() as s:
        return compute(s, ledger, year)


def override(ledger: Ledger, org_code: str, year: int, final: str, reason: str) -> OrgGrade:
    """Set the final class by hand; a reason is required and the change is audited."""
    permissions.require(ledger, "grades")
    year = validate.year(year)
    cat = Category(validate.one_of(final, ("A", "B", "C"), "最终定级"))
    reason = validate.text(reason, "调整理由", max_len=500)
    if not reason:
        raise ValidationError("调整定级必须填写理由")
    with ledger.db.write() as s:
        org = get_org_row(s, org_code)
        current = next((g for g in compute(s, ledger, year) if g.org_code == org_code), None)
        if current is None:
            raise NotFoundError(f"“{org.name}”不参与 {year} 年定级")
        g = s.scalar(select(AnnualGrade).where(AnnualGrade.org_id == org.id, AnnualGrade.year == year))
        old = (g.final_class, g.override_reason) if g else (current.computed.value, "")
        if g is None:
            g = AnnualGrade(org_id=org.id, year=year, score=current.score, computed_class=current.computed.value,
                            final_class=cat.value, veto=current.veto)
            s.add(g)
        g.final_class, g.override_reason = cat.value, reason
        if g.confirmed_at is not None:
            _set_next_class(s, org.id, year, cat)
        s.flush()
        audit.record(s, ledger, "调整定级", "annual_grade", entity_uuid=g.uuid, org_code=org.code,
                     summary=f"{year} 年定级调整为 {cat.value}：{reason}",
                     changes={"final_class": (old[0], cat.value), "override_reason": (old[1], reason)})
        return next(x for x in compute(s, ledger, year) if x.org_code == org_code)


def clear_override(ledger: Ledger, org_code: str, year: int) -> None:
    permissions.require(ledger, "grades")
    with ledger.db.write() as s:
        org = get_org_row(s, org_code)
        g = s.scalar(select(AnnualGrade).where(AnnualGrade.org_id == org.id, AnnualGrade.year == year))
        if g is None or not g.override_reason:
            return
        old = (g.final_class, g.override_reason)
        g.final_class, g.override_reason = g.computed_class, ""
        if g.confirmed_at is not None:
            _set_next_class(s, org.id, year, Category(g.computed_class))
        audit.record(s, ledger, "撤销定级调整", "annual_grade", entity_uuid=g.uuid, org_code=org.code,
                     summary=f"{year} 年定级恢复为计算结果", changes={"final_class": (old[0], g.computed_class)})


def _set_next_class(s, org_id: int, year: int, cat: Category) -> None:
    row = s.scalar(select(OrgClass).where(OrgClass.org_id == org_id, OrgClass.year == year + 1))
    if row is None:
        s.add(OrgClass(org_id=org_id, year=year + 1, category=cat.value, source="grade", note=f"{year} 年度定级"))
    else:
        row.category, row.source, row.note = cat.value, "grade", f"{year} 年度定级"


def confirm(ledger: Ledger, year: int) -> list[OrgGrade]:
    """Freeze the year's grades and set every organisation's class for the next year."""
    permissions.require(ledger, "grades")
    year = validate.year(year)
    with ledger.db.write() as s:
        return confirm_in(s, ledger, year)


def confirm_in(s, ledger: Ledger, year: int) -> list[OrgGrade]:
    grades = compute(s, ledger, year)
    ids = dict(s.execute(select(Organization.code, Organization.id)).all())
    stored = {g.org_id: g for g in s.scalars(select(AnnualGrade).where(AnnualGrade.year == year))}
    now = datetime.now()
    for g in grades:
        oid = ids[g.org_code]
        row = stored.get(oid)
        if row is None:
            row = AnnualGrade(org_id=oid, year=year, override_reason="")
            s.add(row)
        row.score, row.computed_class, row.veto = g.score, g.computed.value, g.veto
        row.final_class = g.final.value
        row.confirmed_at, row.confirmed_by = now, ledger.user
        _set_next_class(s, oid, year, g.final)
    s.flush()
    counts = {c: sum(1 for g in grades if g.final == c) for c in Category}
    audit.record(s, ledger, "确认年度定级", "annual_grade",
                 summary=f"{year} 年度定级确认：A类 {counts[Category.A]}，B类 {counts[Category.B]}，"
                         f"C类 {counts[Category.C]}；据此设定 {year + 1} 年分类")
    return compute(s, ledger, year)


def as_dict(g: OrgGrade) -> dict:
    return {
        "org": g.org_code,
        "name": g.org_name,
        "score": fmt(g.score),
        "computed": g.computed.value,
        "final": g.final.value,
        "veto": g.veto,
        "rank": g.rank,
        "override_reason": g.override_reason,
        "confirmed": g.confirmed,
        "previous": g.previous.value if g.previous else None,
        "change": g.change,
    }
