"""Everything a handbook needs, read through app.services only (no SQL here).

A ``YearData`` holds what is the same for every organisation of a year (scheme, grades, warnings,
settings), so a batch of handbooks reads it once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.domain.enums import quarter_months
from app.domain.points import ZERO
from app.domain.scheme import Scheme
from app.errors import NotFoundError
from app.services.assessment import grades, warnings
from app.services.assessment.grades import OrgGrade
from app.services.assessment.warnings import OrgWarning
from app.services.book import records
from app.services.book.records import RecordInfo, RecordTypeInfo
from app.services.compliance import status
from app.services.kernel import scope, settings, validate
from app.services.kernel.context import Ledger
from app.services.pairing import pairings
from app.services.register import members, orgs
from app.services.register.members import MemberInfo
from app.services.register.orgs import OrgInfo
from app.services.scoring import schemes, scores
from app.services.tracking import board as tracking_board

from .year_facts import CommitteeTerm, committee_in_year, roster_in_year, secretary_in_year

DEFAULT_INSTRUCTIONS = (
    "一、本手册是党支部开展组织生活、落实党建工作任务的原始记录，是年度考核定级的重要依据，请妥善保管，按年度归档。",
    "二、“三会一课”、主题党日、集中学习等活动应在开展后及时记录，写明时间、地点、主持人、出席情况和主要内容。",
    "三、记录应当真实、完整、字迹工整，不得事后补记、涂改；确需更正的，由记录人签字确认。",
    "四、每个小项后附有空白记录页，供手工补充填写；不够时可另附页。",
    "五、积分制管理记录表按月登记积分，季度积分作为预警依据，年度积分作为分类定级依据。",
)


@dataclass
class YearData:
    year: int
    unit_name: str
    scheme: Scheme
    types: list[RecordTypeInfo]
    grades: dict[str, OrgGrade]
    warnings: dict[int, dict[str, OrgWarning]]  # quarter → org code → warning (ended quarters only)
    blank_pages: int
    instructions: tuple[str, ...]
    today: date = date.min
    org_count: int = 0  # organisations graded this year
    register: dict[str, OrgInfo] = field(default_factory=dict)  # every organisation, by code
    mirror: bool = False  # mirrored margins for double-sided printing (setting mirror_margins)
    rank_label: str = "全区排名"  # "范围内排名" for a user limited to a subtree: ranked within it

    @property
    def quarters(self) -> list[int]:
        return sorted(self.warnings)


@dataclass
class HandbookData:
    year: YearData
    org: OrgInfo
    committee: list[CommitteeTerm]  # as it stood during the year, with the dates of changes
    roster: list[MemberInfo]
    records: dict[str, list[RecordInfo]]  # type code → records in date order
    month_points: dict[tuple[int, str], Decimal] = field(default_factory=dict)  # (month, category) → signed
    compliance: list = field(default_factory=list)  # the branch's 组织生活 periods of the year (PeriodStatus)
    tracking: tuple = ((), ())  # the branch's 书记项目 (lead or partner) and 重点任务 of the year
    pairings: list = field(default_factory=list)  # the branch's 结对共建 pairings of the year (PairingInfo)

    @property
    def secretary(self) -> str:
        """The 书记 at the end of the year (the committee's dated rows), not today's."""
        return secretary_in_year(self.committee, self.year.year, self.org.secretary)

    def grade(self) -> OrgGrade | None:
        return self.year.grades.get(self.org.code)

    def warning(self, quarter: int) -> OrgWarning | None:
        return self.year.warnings.get(quarter, {}).get(self.org.code)


def ended_quarters(year: int, today: date) -> list[int]:
    """Quarters whose last month has begun: later ones have no warning yet."""
    if year < today.year:
        return [1, 2, 3, 4]
    if year > today.year:
        return []
    return [q for q in (1, 2, 3, 4) if quarter_months(q)[2] <= today.month]


def year_data(ledger: Ledger, year: int) -> YearData:
    year = validate.year(year)
    scheme = schemes.get_scheme(ledger, year)
    graded = grades.year_grades(ledger, year)
    warned = {q: {w.org_code: w for w in warnings.quarter_warnings(ledger, year, q)}
              for q in ended_quarters(year, ledger.today())}
    text = str(settings.get(ledger, "handbook_instructions") or "").strip()
    lines = tuple(line.strip() for line in text.splitlines() if line.strip()) if text else DEFAULT_INSTRUCTIONS
    return YearData(
        year=year, unit_name=str(settings.get(ledger, "unit_name") or ""), scheme=scheme,
        types=records.record_types(ledger), grades={g.org_code: g for g in graded}, warnings=warned,
        blank_pages=int(settings.get(ledger, "blank_pages_per_form") or 0), instructions=lines,
        org_count=len(graded), today=ledger.today(), register={o.code: o for o in orgs.list_orgs(ledger, year)},
        mirror=bool(settings.get(ledger, "mirror_margins")),
        rank_label="全区排名" if scope.current(ledger).whole else "范围内排名",
    )


def handbook_data(ledger: Ledger, org_code: str, year: int, shared: YearData | None = None) -> HandbookData:
    year = validate.year(year)
    yd = shared or year_data(ledger, year)
    # The shared register saves a read of every organisation per handbook (3,000 in a county).
    org = yd.register.get(org_code) if yd.year == year else None
    org = org or orgs.get_org(ledger, org_code, year)
    by_type: dict[str, list[RecordInfo]] = {}
    for r in records.list_records(ledger, org_code, year):
        by_type.setdefault(r.type_code, []).append(r)
    category_of = {item.code: cat.code for cat, item in yd.scheme.items()}
    points: dict[tuple[int, str], Decimal] = {}
    for c in scores.cells(ledger, year, org_code=org_code):
        cat = category_of.get(c.item_code)
        if cat is not None:
            points[(c.month, cat)] = points.get((c.month, cat), ZERO) + c.signed
    try:
        periods = status.year_status(ledger, year, org_code=org_code)
    except NotFoundError:
        periods = []  # a 党委 or a stopped organisation keeps no 组织生活 requirements of its own
    return HandbookData(
        year=yd, org=org, committee=committee_in_year(members.committee(ledger, org_code), year),
        roster=roster_in_year(members.roster(ledger, org_code, include_transferred=True), year),
        records=by_type, month_points=points, compliance=periods,
        pairings=pairings.listing(ledger, year, org_code),
        tracking=tracking_board.branch_year(ledger, org_code, year),
    )
