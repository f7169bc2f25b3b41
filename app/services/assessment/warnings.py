"""Quarterly 三级预警: computed for all organisations with SQL sums, issued as notices, rectified."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import WarningLevel
from app.domain.periods import quarter_end, quarter_ended
from app.domain.points import fmt
from app.errors import NotFoundError, ValidationError
from app.services.kernel import audit, permissions, scope, validate
from app.services.kernel.context import Ledger
from app.services.register.orgs import get_org_row
from app.services.scoring.schemes import ensure_scheme, get_scheme, scheme_of_year, to_domain
from db.models import Organization, WarningRow

from .quarters import scored_orgs, year_quarters

# Days allowed for rectification after a notice, by level (黄 30, 橙 20, 红 15).
DEADLINE_DAYS = {1: 30, 2: 20, 3: 15}


@dataclass(frozen=True)
class Rectification:
    measures: str
    deadline: date | None
    verified_by: str
    closed_on: date | None


@dataclass(frozen=True)
class Issued:
    """What the notice said when it was issued; later edits never change it."""

    level: WarningLevel
    score: Decimal
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class OrgWarning:
    org_code: str
    org_name: str
    parent_name: str | None
    sector: str
    year: int
    quarter: int
    quarter_score: Decimal  # as the ledger stands now
    level: WarningLevel
    reasons: tuple[str, ...]
    issued: bool  # a notice row exists for this quarter
    notice_no: str
    issued_on: date | None
    rectification: Rectification | None
    provisional: bool = False  # the quarter has not ended: shown apart, never issued
    as_issued: Issued | None = None

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)

    @property
    def changed_since_issue(self) -> bool:
        """发布后有变化: the ledger now gives another score or level than the notice said."""
        i = self.as_issued
        return i is not None and (i.level != self.level or i.score != self.quarter_score)

    @property
    def shown_level(self) -> WarningLevel:
        """The level that stands: the issued one once a notice was issued."""
        return self.as_issued.level if self.as_issued is not None else self.level

    @property
    def shown_score(self) -> Decimal:
        """The quarter score that stands: as issued once a notice was issued."""
        return self.as_issued.score if self.as_issued is not None else self.quarter_score

    @property
    def shown_reason_text(self) -> str:
        return "；".join(self.as_issued.reasons) if self.as_issued is not None else self.reason_text

    def status(self, today: date) -> str:
        """整改 status in words: 无需整改 / 待整改 / 已逾期 / 已整改."""
        if self.shown_level == WarningLevel.NONE:
            return "无需整改"
        r = self.rectification
        if r and r.closed_on:
            return "已整改"
        if r and r.deadline and r.deadline < today:
            return "已逾期"
        return "待整改"


def _issued(w: WarningRow) -> Issued:
    return Issued(WarningLevel(w.level), w.quarter_score, tuple(w.reasons.split("；")) if w.reasons else ())


def compute(session: Session, ledger: Ledger, year: int, quarter: int) -> list[OrgWarning]:
    """Warnings of every scored organisation that existed for the whole quarter (SQL sums)."""
    # Only a select when the year's scheme exists (read paths create it first via get_scheme).
    scheme = to_domain(ensure_scheme(session, ledger, year))
    previous = scheme_of_year(session, year - 1)
    orgs = [o for o in scope.keep(ledger, scored_orgs(session), lambda o: o.code, session)
            if o.whole_quarter(year, quarter)]
    results = year_quarters(session, year, orgs, scheme.warning, previous.warning if previous else None, (quarter,))
    issued = {
        w.org_id: w
        for w in session.scalars(select(WarningRow).where(WarningRow.year == year, WarningRow.quarter == quarter))
    }
    provisional = not quarter_ended(year, quarter, ledger.today())
    out = []
    for org in orgs:
        r = results[org.id][quarter]
        w = issued.get(org.id)
        out.append(
            OrgWarning(
                org.code, org.name, org.parent_name, org.sector, year, quarter, r.score, r.result.level,
                r.result.reasons, w is not None, w.notice_no if w else "", w.issued_on if w else None,
                Rectification(w.rect_measures, w.rect_deadline, w.rect_verified_by, w.rect_closed_on) if w else None,
                provisional, _issued(w) if w is not None else None,
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
    """Record this quarter's warnings as issued (预警通报); rectification starts for each warned organisation.

    What is issued is kept as it was: a later notice for the same quarter adds only organisations
    not yet in a notice, and no later edit of the ledger changes an issued level, score or reason.
    """
    permissions.require(ledger, "notices")
    year, quarter = validate.year(year), validate.quarter(quarter)
    when = validate.parse_date(issued_on, "通报日期", required=False) or ledger.today()
    notice_no = validate.text(notice_no, "文号", max_len=60)
    if not notice_no:
        raise ValidationError("发布预警通报必须填写文号")
    if not quarter_ended(year, quarter, ledger.today()):
        raise ValidationError(f"{year} 年第 {quarter} 季度还没有结束（{quarter_end(year, quarter):%Y-%m-%d} 结束），"
                              "只能预览通报草稿，不能发布")
    if when > ledger.today():
        raise ValidationError("通报日期不能晚于今天")
    if when <= quarter_end(year, quarter):
        raise ValidationError(f"通报日期应在季度结束（{quarter_end(year, quarter):%Y-%m-%d}）之后")
    with ledger.db.write() as s:
        return issue_in(s, ledger, year, quarter, notice_no, when, deadline_days)


def issue_in(
    s: Session, ledger: Ledger, year: int, quarter: int, notice_no: str, when: date,
    deadline_days: dict[int, int] | None = None,
) -> list[OrgWarning]:
    days = deadline_days or DEADLINE_DAYS
    results = compute(s, ledger, year, quarter)
    codes = {r.code: r.id for r in s.execute(select(Organization.code, Organization.id))}
    count = 0
    for r in results:
        if r.issued or r.level == WarningLevel.NONE:
            continue  # an issued row stays as issued
        s.add(WarningRow(org_id=codes[r.org_code], year=year, quarter=quarter, level=int(r.level),
                         quarter_score=r.quarter_score, reasons=r.reason_text, issued_on=when, notice_no=notice_no,
                         rect_deadline=when + timedelta(days=days[int(r.level)])))
        count += 1
    if count == 0:
        raise ValidationError(f"{year} 年第 {quarter} 季度没有需要通报的新预警（已通报的保持原样）")
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
        permissions.require_org(s, ledger, org)
        w = s.scalar(
            select(WarningRow).where(WarningRow.org_id == org.id, WarningRow.year == year, WarningRow.quarter == quarter)
        )
        if w is None:
            raise NotFoundError(f"{org.name} 在 {year} 年第 {quarter} 季度没有已发布的预警，请先发布预警通报")
        if w.issued_on and clean["rect_deadline"] and clean["rect_deadline"] < w.issued_on:
            raise ValidationError(f"整改期限 {clean['rect_deadline']:%Y-%m-%d} 早于通报日期 {w.issued_on:%Y-%m-%d}")
        if w.issued_on and clean["rect_closed_on"] and clean["rect_closed_on"] < w.issued_on:
            raise ValidationError(f"销号日期 {clean['rect_closed_on']:%Y-%m-%d} 早于通报日期 {w.issued_on:%Y-%m-%d}")
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
                False, _issued(w),
            )
            for w, o in scope.keep(ledger, rows, lambda r: r[1].code, s)
        ]


def as_dict(w: OrgWarning) -> dict:
    d = {
        "org": w.org_code,
        "name": w.org_name,
        "quarter_score": fmt(w.quarter_score),
        "level": int(w.level),
        "reasons": list(w.reasons),
        "issued": w.issued,
        "provisional": w.provisional,
    }
    if w.as_issued is not None:
        d["issued_level"] = int(w.as_issued.level)
        d["issued_score"] = fmt(w.as_issued.score)
        d["issued_reasons"] = list(w.as_issued.reasons)
        d["changed_since_issue"] = w.changed_since_issue
    return d
