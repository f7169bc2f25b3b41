"""A ledger with a 非公党委, two 非公 branches, a station with three instructors and two guidance targets."""

from __future__ import annotations

import pytest

from app.services.instructors import register
from app.services.register import orgs

STATION = "开发区党建工作指导站"


@pytest.fixture
def station(ledger):
    orgs.add_org(ledger, code="P2", name="开发区非公党委", sector="非公企业", kind="党委", parent="00")
    orgs.add_org(ledger, code="N1", name="甲机械公司党支部", sector="非公企业", parent="P2", category="B", year=2026)
    orgs.add_org(ledger, code="N2", name="乙物流公司党支部", sector="非公企业", parent="P2", category="B", year=2026)
    register.add_station(ledger, STATION, "P2")
    register.add_instructor(ledger, STATION, name="张明", source="市派", mode="专职", group="第一组", post="站长")
    register.add_instructor(ledger, STATION, name="李华", source="县(区)派", mode="兼职", group="第一组")
    register.add_instructor(ledger, STATION, name="王芳", source="省派", mode="专职", group="第二组")
    register.add_target(ledger, name="丙科技有限公司", committee="P2", tags="规上、互联网", industry="软件")
    register.add_target(ledger, name="丁新能源公司", committee="P2", tags="产业链", industry="新能源")
    return ledger


def table_counts(ledger) -> dict[str, int]:
    """Rows per instructor table and in the audit log: 'nothing written' is these unchanged."""
    from sqlalchemy import text

    tables = ("instructor_stations", "instructors", "guidance_targets", "instructor_assignments",
              "instructor_weekly_logs", "instructor_visits", "instructor_tickets", "instructor_schemes",
              "instructor_grades", "instructor_grade_signoffs", "audit_log")
    with ledger.db.read() as s:
        return {t: s.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in tables}
