"""Quarterly 三级预警: computed for all organisations with SQL sums, issued as notices, rectified."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import WarningLevel, previous_quarter, quarter_months
from app.domain.points import ZERO, fmt
from app.domain.rules import consecutive_below, warning_level
from app.errors import NotFoundError, ValidationError
from app.services.kernel import audit, permissions, validate
from app.services.kernel.context import Ledger
from app.services.register.orgs import SCORED_KINDS, get_org_row
from app.services.scoring import aggregate
from app.services.scoring.schemes import ensure_scheme, get_scheme, scheme_of_year, to_domain
from db.models import Organization, WarningRow

# Days allowed for rectification after a notice, by level (黄 30, 橙 20, 红 15).
DEADLINE_DAYS = {1: 30, 2: 20, 3: 15}


@dataclass(frozen=True)
class Rectification:
    measures: str
    deadline: date | None
    verified_by: str
    closed_on: date | None


@dataclass(frozen=True)
class OrgWarning:
    org_code: str
    org_name: str
    parent_name: str | None
    sector: str
    year: int
    quarter: int
    quarter_score: Decimal
    level: WarningLevel
    reasons: tuple[str, ...]
    issued: bool  # a notice row exists for this quarter
    notice_no: str
    issued_on: date | None
    rectification: Rectification | None

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)

    def status(self, today: date) -> str:
        """整改 status in words: 无需整改 / 待整改 / 已逾期 / 已整改."""
        if self.level == WarningLevel.NONE:
            return "无需整改"
        r = self.rectification
        if r and r.closed_on:
            return "已整改"
        if r and r.deadline and r.deadline < today:
            return "已逾期"
        return "待整改"


def compute(session: Session, ledger: Ledger, year: int, quarter: int) -> list[OrgWarning]:
    """Warnings of every scored organisation for a quarter (SQL sums; a light pass per organisation)."""
    # Only a select when the year's scheme exists (read paths create it first via get_scheme).
    scheme = to_domain(ensure_scheme(session, ledger, year))
    rules = scheme.warning
    m1, _m2, m3 = quarter_months(quarter)
    current = aggregate.period_scores(session, year, m1, m3)
    veto = aggregate.vetoes(session, year, m3)
    o = Organization.__table__
    p = o.alias("p")
    orgs = session.execute(
        select(o.c.id, o.c.code, o.c.name, p.c.name, o.c.sector)
        .select_from(o.outerjoin(p, p.c.id == o.c.parent_id))
        .where(o.c.status == "active", o.c.kind.in_(SCORED_KINDS))
        .order_by(o.c.sort_order, o.c.code)
    ).all()
    ids = [r[0] for r in orgs]
    # Earlier quarters for the consecutive rule; a quarter counts only if the organisation had a
    # ledger that year (a year before it was recorded is not "below 25").
    earlier: list[dict[int, bool | None]] = []
    if rules.consecutive:
        y, q = year, quarter
        for _ in range(2):
            y, q = previous_quarter(y, q)
            if y < 2000:
                break
            pm1, _, pm3 = quarter_months(q)
            scores = aggregate.period_scores(session, y, pm1, pm3)
            ledgered = set(ids) if y == year else aggregate.orgs_with_data(session, y, ids)
            past = rules if y == year else (scheme_of_year(session, y) or scheme).warning
            earlier.append({oid: past.below_yellow(scores.get(oid, ZERO)) if oid in ledgered else None for oid in ids})
    issued = {
        w.org_id: w
        for w in session.scalars(select(WarningRow).where(WarningRow.year == year, WarningRow.quarter == quarter))
    }
    out = []
    for oid, code, name, parent, sector in orgs:
        score = current.get(oid, ZERO)
        prior = consecutive_below([e[oid] for e in earlier])
        result = warning_level(score, prior, oid in veto, rules)
        w = issued.get(oid)
        out.append(
            OrgWarning(
                code, name, parent, sector, year, quarter, score, result.level, result.reasons,
                w is not None, w.notice_no if w else "", w.issued_on if w else None,
                Rectification(w.rect_measures, w.rect_deadline, w.rect_verified_by, w.rect_closed_on) if w else None,
            )
        )
    return out


def quarter_warnings(ledger: Ledger, year: int, quarter: int) -> list[OrgWarning]:
    year, quarter = validate.year(year), validate.quarter(quarter)
    get_scheme(ledger, year)  # creates the year's scheme on first use; a read otherwise
    with ledger.db.read() as s:
        return compute(s, ledger, year, quarter)


def issue_notice(
    ledger: Ledger, year: int, quarter: int, *, notice_no: str = "", issued_on: object = None,
    deadline_days: dict[int, int] | None = None,
) -> list[OrgWarning]:
    """Record this quarter's warnings as issued (预警通报); rectification starts for each warned organisation."""
    permissions.require(ledger, "notices")
    year, quarter = validate.year(year), validate.quarter(quarter)
    when = validate.parse_date(issued_on, "通报日期", required=False) or ledger.today()
    notice_no = validate.text(notice_no, "文号", max_len=60)
    with ledger.db.write() as s:
        return issue_in(s, ledger, year, quarter, notice_no, when, deadline_days)


def issue_in(
    s: Session, ledger: Ledger, year: int, quarter: int, notice_no: str, when: date,
    deadline_days: dict[int, int] | None = None,
) -> list[OrgWarning]:
    days = deadline_days or DEADLINE_DAYS
    results = compute(s, ledger, year, quarter)
    codes = {r.code: r.id for r in s.execute(select(Organization.code, Organization.id))}
    existing = {
        w.org_id: w
        for w in s.scalars(select(WarningRow).where(WarningRow.year == year, WarningRow.quarter == quarter))
    }
    count = 0
    for r in results:
        oid = codes[r.org_code]
        w = existing.get(oid)
        if r.level == WarningLevel.NONE:
            if w is not None and not (w.rect_measures or w.rect_closed_on):
                s.delete(w)
            continue
        if w is None:
            w = WarningRow(org_id=oid, year=year, quarter=quarter, rect_deadline=when + timedelta(days=days[int(r.level)]))
            s.add(w)
        w.level, w.quarter_score, w.reasons = int(r.level), r.quarter_score, r.reason_text
        w.issued_on, w.notice_no = when, notice_no
        count += 1
    s.flush()
    audit.record(s, ledger, "发布预警通报", "warning", summary=f"{year} 年第 {quarter} 季度预警通报，{count} 个组织",
                 changes={"notice_no": (None, notice_no)})
    return compute(s, ledger, year, quarter)


def save_rectification(
    ledger: Ledger, org_code: str, year: int, quarter: int, *, measures: str = "", deadline: object = None,
    verified_by: str = "", closed_on: object = None,
) -> OrgWarning:
    permissions.require(ledger, "rectify")
    year, quarter = validate.year(year), validate.quarter(quarter)
    clean = {
        "rect_measures": validate.text(measures, "整改措施", max_len=4000),
        "rect_deadline": validate.parse_date(deadline, "整改期限", required=False),
        "rect_verified_by": validate.text(verified_by, "验收人", max_len=40),
        "rect_closed_on": validate.parse_date(closed_on, "销号日期", required=False),
    }
    if clean["rect_closed_on"] and not clean["rect_verified_by"]:
        raise ValidationError("整改销号需要填写验收人")
    if clean["rect_closed_on"] and not clean["rect_measures"]:
        raise ValidationError("整改销号前请填写整改措施")
    if clean["rect_closed_on"] and clean["rect_closed_on"] > ledger.today():
        raise ValidationError("销号日期不能晚于今天")
    with ledger.db.write() as s:
        org = get_org_row(s, org_code)
        w = s.scalar(
            select(WarningRow).where(WarningRow.org_id == org.id, WarningRow.year == year, WarningRow.quarter == quarter)
        )
        if w is None:
            raise NotFoundError(f"{org.name} 在 {year} 年第 {quarter} 季度没有已发布的预警，请先发布预警通报")
        before = {k: getattr(w, k) for k in clean}
        for k, v in clean.items():
            setattr(w, k, v)
        audit.record(s, ledger, "登记整改", "warning", entity_uuid=w.uuid, org_code=org.code,
                     summary=f"{year} 年第 {quarter} 季度整改", changes=audit.diff(before, clean))
        for r in compute(s, ledger, year, quarter):
            if r.org_code == org_code:
                return r
    raise NotFoundError(org_code)  # pragma: no cover - an org with a warning is always computed


def overdue(ledger: Ledger) -> list[OrgWarning]:
    """Issued warnings whose rectification deadline has passed without being closed."""
    today = ledger.today()
    with ledger.db.read() as s:
        rows = s.execute(
            select(WarningRow, Organization)
            .join(Organization, Organization.id == WarningRow.org_id)
            .where(WarningRow.rect_closed_on.is_(None), WarningRow.rect_deadline < today)
            .order_by(WarningRow.rect_deadline)
        ).all()
        return [
            OrgWarning(
                o.code, o.name, o.parent.name if o.parent else None, o.sector, w.year, w.quarter, w.quarter_score,
                WarningLevel(w.level), tuple(w.reasons.split("；")) if w.reasons else (), True, w.notice_no,
                w.issued_on, Rectification(w.rect_measures, w.rect_deadline, w.rect_verified_by, w.rect_closed_on),
            )
            for w, o in rows
        ]


def as_dict(w: OrgWarning) -> dict:
    return {
        "org": w.org_code,
        "name": w.org_name,
        "quarter_score": fmt(w.quarter_score),
        "level": int(w.level),
        "reasons": list(w.reasons),
        "issued": w.issued,
    }
