"""年度定级: annual scores by SQL, computed and final class, override with a reason, confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from app.domain.enums import Category, WarningLevel
from app.domain.periods import year_ended
from app.domain.points import ZERO, fmt
from app.domain.rules import change_label, grade_for
from app.errors import NotFoundError, ValidationError
from app.services.kernel import audit, locks, permissions, scope, validate
from app.services.kernel.context import Ledger
from app.services.register.orgs import class_map, get_org_row
from app.services.scoring import aggregate
from app.services.scoring.schemes import ensure_scheme, get_scheme, scheme_of_year, to_domain
from db.models import AnnualGrade, Organization, OrgClass

from .quarters import scored_orgs, year_quarters


@dataclass(frozen=True)
class OrgGrade:
    org_code: str
    org_name: str
    parent_name: str | None
    sector: str
    year: int
    score: Decimal
    categories: dict[str, Decimal]
    computed: Category | None  # None: not graded this year (see ``note``)
    final: Category | None
    veto: bool
    override_reason: str
    confirmed: bool
    rank: int | None
    previous: Category | None  # the class the organisation held this year (set by last year's grade)
    note: str = ""  # 本年新建 / 年内撤销: did not exist for the whole year, so not graded
    red_quarter: bool = False  # a 三级·红色 quarter this year: computed at most B
    provisional: bool = False  # the year has not ended: nothing is final

    @property
    def graded(self) -> bool:
        return self.computed is not None

    @property
    def change(self) -> str:
        return change_label(self.previous, self.final) if self.final is not None else "—"


def compute(s, ledger: Ledger, year: int) -> list[OrgGrade]:
    """Every organisation that lived in the year: graded if it existed for all of it, else listed apart."""
    # Only a select when the year's scheme exists (read paths create it first via get_scheme).
    scheme = to_domain(ensure_scheme(s, ledger, year))
    previous = scheme_of_year(s, year - 1)
    totals = aggregate.annual_totals(s, year)
    veto = aggregate.vetoes(s, year)
    stored = {g.org_id: g for g in s.scalars(select(AnnualGrade).where(AnnualGrade.year == year))}
    held = class_map(s, year)
    orgs = [o for o in scope.keep(ledger, scored_orgs(s), lambda o: o.code, s) if o.lived_in(year)]  # ranked in scope
    whole = [o for o in orgs if o.whole_year(year)]
    quarters = year_quarters(s, year, whole, scheme.warning, previous.warning if previous else None)
    provisional = not year_ended(year, ledger.today())
    graded, apart = [], []
    for org in orgs:
        t = totals.get(org.id)
        score = t.score if t else ZERO
        cats = t.categories if t else {}
        g = stored.get(org.id)
        if not org.whole_year(year):
            note = "本年新建" if org.established_on and org.established_on.year == year else "年内撤销"
            apart.append(OrgGrade(org.code, org.name, org.parent_name, org.sector, year, score, cats, None, None,
                                  org.id in veto, "", False, None, held.get(org.id), note, False, provisional))
            continue
        red = any(r.result.level == WarningLevel.RED for r in quarters.get(org.id, {}).values())
        computed = grade_for(score, org.id in veto, scheme.grade, red_quarter=red)
        final = Category(g.final_class) if g and g.override_reason else computed
        graded.append((org, score, cats, computed, final, g, red))
    graded.sort(key=lambda r: (-r[1], r[0].code))
    out = []
    rank = 0
    last_score = None
    for i, (org, score, cats, computed, final, g, red) in enumerate(graded, start=1):
        if score != last_score:
            rank, last_score = i, score  # equal scores share a rank
        out.append(
            OrgGrade(
                org.code, org.name, org.parent_name, org.sector, year, score, cats, computed, final, org.id in veto,
                g.override_reason if g else "", bool(g and g.confirmed_at), rank, held.get(org.id), "", red,
                provisional,
            )
        )
    return out + sorted(apart, key=lambda g: g.org_code)


def year_confirmation(ledger: Ledger, year: int) -> locks.YearConfirmation | None:
    """Who confirmed the year's grades and when (the year is then closed), or None."""
    with ledger.db.read() as s:
        return locks.confirmation(s, validate.year(year))


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
        locks.ensure_year_open(s, year)
        org = get_org_row(s, org_code)
        permissions.require_org(s, ledger, org)
        current = next((g for g in compute(s, ledger, year) if g.org_code == org_code), None)
        if current is None:
            raise NotFoundError(f"“{org.name}”不参与 {year} 年定级")
        if not current.graded:
            raise ValidationError(f"“{org.name}”{year} 年{current.note}，不参加当年定级；下一年的分类请在组织台账中设定")
        g = s.scalar(select(AnnualGrade).where(AnnualGrade.org_id == org.id, AnnualGrade.year == year))
        old = (g.final_class, g.override_reason) if g else (current.computed.value, "")
        if g is None:
            g = AnnualGrade(org_id=org.id, year=year, score=current.score, computed_class=current.computed.value,
                            final_class=cat.value, veto=current.veto)
            s.add(g)
        g.final_class, g.override_reason = cat.value, reason
        s.flush()
        audit.record(s, ledger, "调整定级", "annual_grade", entity_uuid=g.uuid, org_code=org.code,
                     summary=f"{year} 年定级调整为 {cat.value}：{reason}",
                     changes={"final_class": (old[0], cat.value), "override_reason": (old[1], reason)})
        return next(x for x in compute(s, ledger, year) if x.org_code == org_code)


def clear_override(ledger: Ledger, org_code: str, year: int) -> None:
    permissions.require(ledger, "grades")
    year = validate.year(year)
    with ledger.db.write() as s:
        locks.ensure_year_open(s, year)
        org = get_org_row(s, org_code)
        permissions.require_org(s, ledger, org)
        g = s.scalar(select(AnnualGrade).where(AnnualGrade.org_id == org.id, AnnualGrade.year == year))
        if g is None or not g.override_reason:
            return
        old = (g.final_class, g.override_reason)
        g.final_class, g.override_reason = g.computed_class, ""
        audit.record(s, ledger, "撤销定级调整", "annual_grade", entity_uuid=g.uuid, org_code=org.code,
                     summary=f"{year} 年定级恢复为计算结果", changes={"final_class": (old[0], g.computed_class)})


def _set_next_class(s, org_id: int, year: int, cat: Category) -> None:
    row = s.scalar(select(OrgClass).where(OrgClass.org_id == org_id, OrgClass.year == year + 1))
    if row is None:
        s.add(OrgClass(org_id=org_id, year=year + 1, category=cat.value, source="grade", note=f"{year} 年度定级"))
    else:
        row.category, row.source, row.note = cat.value, "grade", f"{year} 年度定级"


def confirm(ledger: Ledger, year: int) -> list[OrgGrade]:
    """Freeze the year's grades and set every organisation's class for the next year; the year closes."""
    permissions.require(ledger, "grades")
    scope.ensure_whole_unit(ledger, "确认全单位的年度定级")
    year = validate.year(year)
    if not year_ended(year, ledger.today()):
        raise ValidationError(f"{year} 年还没有结束，不能确认定级（全年积分要到 {year} 年 12 月 31 日之后才完整）")
    with ledger.db.write() as s:
        locks.ensure_year_open(s, year)  # confirmed already: say who and when
        return confirm_in(s, ledger, year)


def reopen(ledger: Ledger, year: int, reason: str) -> None:
    """A 管理员 reopens a confirmed year, with a reason; it must then be confirmed again, and next
    year's classes follow that new confirmation."""
    permissions.require(ledger, "reopen")
    year = validate.year(year)
    reason = validate.text(reason, "重新打开的理由", required=True, max_len=500)
    with ledger.db.write() as s:
        done = locks.confirmation(s, year)
        if done is None:
            raise ValidationError(f"{year} 年度定级尚未确认，无需重新打开")
        rows = list(s.scalars(select(AnnualGrade).where(AnnualGrade.year == year,
                                                        AnnualGrade.confirmed_at.is_not(None))))
        for g in rows:
            g.confirmed_at, g.confirmed_by = None, ""
        audit.record(s, ledger, "重新打开年度", "annual_grade",
                     summary=f"重新打开 {year} 年度（原由 {done.confirmed_by} 于 {done.confirmed_at:%Y-%m-%d %H:%M} 确认）：{reason}",
                     changes={"confirmed_at": (f"{done.confirmed_at:%Y-%m-%d %H:%M}", None)})


def confirm_in(s, ledger: Ledger, year: int) -> list[OrgGrade]:
    grades = compute(s, ledger, year)
    ids = dict(s.execute(select(Organization.code, Organization.id)).all())
    stored = {g.org_id: g for g in s.scalars(select(AnnualGrade).where(AnnualGrade.year == year))}
    now = datetime.now()
    for g in grades:
        if not g.graded:
            continue  # 本年新建 / 年内撤销: its next-year class is set by hand
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
    apart = sum(1 for g in grades if not g.graded)
    audit.record(s, ledger, "确认年度定级", "annual_grade",
                 summary=f"{year} 年度定级确认：A类 {counts[Category.A]}，B类 {counts[Category.B]}，"
                         f"C类 {counts[Category.C]}" + (f"，{apart} 个组织未满一年不定级" if apart else "") +
                         f"；据此设定 {year + 1} 年分类")
    return compute(s, ledger, year)


def as_dict(g: OrgGrade) -> dict:
    return {
        "org": g.org_code,
        "name": g.org_name,
        "score": fmt(g.score),
        "computed": g.computed.value if g.computed else None,
        "final": g.final.value if g.final else None,
        "veto": g.veto,
        "rank": g.rank,
        "override_reason": g.override_reason,
        "confirmed": g.confirmed,
        "previous": g.previous.value if g.previous else None,
        "change": g.change,
        "note": g.note,
        "red_quarter": g.red_quarter,
        "provisional": g.provisional,
    }
