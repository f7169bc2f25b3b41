"""The instructors area under the township scope: two townships (a 党委 each, with a station, instructors, targets,
logs, tickets and a month task list) and a county station with no 党委. A user scoped to 城东 sees and changes only
城东's rows (stations by their 党委; targets by their 党委, founded organisation or assigned instructor), sums
included; every write on 城西 or the county station is refused naming it and the scope, nothing written; the county
user sees both. On both backends (the ``backend`` parameter)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pypdf
import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from app.errors import PermissionDeniedError, ValidationError
from app.io.instructor_export import export_subsidies
from app.reports import instructor_sheets as sheets
from app.services.instructors import assessment, assignments, register, subsidies, tickets, weekly
from app.services.kernel.permissions import ADMIN, REVIEWER
from app.services.register import orgs
from app.services.safety import users
from app.services.tracking import station_lists
from app.services.tracking.task_lists import ListLine

PW = "secret123"
EAST, WEST, COUNTY = "城东指导站", "城西指导站", "县直指导站"
EAST_PEOPLE, WEST_PEOPLE = {"东一", "东二"}, {"西一", "西二"}
STEPS = ("小组统计", "站内核实", "党支部认定")
SCOPE = r"城东管理 的范围是“城东镇党委”（T1）及其下属组织"


def _as(lg, name: str):
    users.authenticate(lg, name, PW)
    return lg


@pytest.fixture
def county(ledger):
    """Two townships under the unit, each with a station, two instructors, targets, logs and tickets; as the
    county 管理员. 城东's 党委 is T1, 城西's is T2; the county station has no 党委."""
    lg = ledger
    users.add_user(lg, "县管理员", ADMIN, PW)
    _as(lg, "县管理员")
    for code, name, branches in (("T1", "城东镇党委", ("E1", "E2")), ("T2", "城西镇党委", ("W1",))):
        orgs.add_org(lg, code=code, name=name, sector="非公企业", kind="党委", parent="00")
        for b in branches:
            orgs.add_org(lg, code=b, name=f"{name[:2]}{b}公司党支部", sector="非公企业", parent=code, category="B",
                         year=2025)
    users.add_user(lg, "城东管理", ADMIN, PW, scope="T1")
    users.add_user(lg, "城东审核", REVIEWER, PW, scope="T1")
    register.add_station(lg, EAST, "T1")
    register.add_station(lg, WEST, "T2")
    register.add_station(lg, COUNTY)
    for st, people in ((EAST, ("东一", "东二")), (WEST, ("西一", "西二")), (COUNTY, ("县一",))):
        register.add_instructor(lg, st, name=people[0], source="市派", mode="专职")
        if len(people) > 1:
            register.add_instructor(lg, st, name=people[1], source="县(区)派", mode="兼职")
    register.add_target(lg, name="东企业", committee="T1", tags="规上")
    register.add_target(lg, name="东待指导企业", committee="T1")
    register.add_target(lg, name="西企业", committee="T2")
    register.add_target(lg, name="跨区企业")  # no 党委, guided by 城东's instructor: 城东 sees it
    register.add_target(lg, name="无主企业")  # no 党委, never assigned: the county's only
    assignments.assign(lg, "东一", target="东企业", start="2025-01-01", in_town=True)
    assignments.assign(lg, "东一", target="跨区企业", start="2025-01-01")
    assignments.assign(lg, "东二", org="E1", start="2025-03-01")
    assignments.assign(lg, "西一", target="西企业", start="2025-01-01")
    assignments.assign(lg, "西二", org="W1", start="2025-01-01")
    for n, name in enumerate(("东一", "东二", "西一", "西二", "县一"), start=1):
        weekly.save_log(lg, name, "2025-W20", {"b_days": 3, "visits": n, "solved": n})
        weekly.save_log(lg, name, "2025-W21", {"a_days": 2, "visits": 60, "orgs_founded": 4, "solved": 10})  # 合格
    closed = tickets.add(lg, "东一", "东企业", "融资难", raised_on="2025-05-14")
    tickets.update(lg, closed.id, status="办结", closed_on="2025-05-20")
    tickets.add(lg, "东二", "E1", "用工难", raised_on="2025-05-15")
    tickets.add(lg, "西一", "西企业", "用地难", raised_on="2025-05-14")
    tickets.add(lg, "西二", "W1", "招工难", raised_on="2025-05-16")
    tickets.add(lg, "西二", "W1", "物流贵", raised_on="2025-05-17")
    for st in (EAST, WEST):
        station_lists.issue(lg, "2026-11", st, [ListLine("第 1 条", "走访新招商企业", "2026-11-20")],
                            to=[station_lists.EVERYONE])
    return lg


def _counts(lg) -> dict[str, int]:
    """Rows of every table a write of this area touches, and the audit log: 'nothing written' is these unchanged."""
    tables = ("instructor_stations", "instructors", "guidance_targets", "instructor_assignments",
              "instructor_weekly_logs", "instructor_visits", "instructor_tickets", "instructor_grades",
              "instructor_grade_signoffs", "instructor_station_signoffs", "key_tasks", "audit_log")
    with lg.db.read() as s:
        return {t: s.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in tables}


def _tickets_state(lg) -> list[tuple]:
    with lg.db.read() as s:
        return list(s.execute(text("SELECT id, status, closed_on, note FROM instructor_tickets ORDER BY id")))


def _sign_all(lg, station: str) -> None:
    for step in STEPS:
        assessment.sign(lg, 2025, step, "吴组长", station=station)


def test_lists_and_roll_ups_show_only_the_own_township(county):
    all_rates = tickets.rates(county, 2025)
    all_grades = {g.instructor: (g.points, g.grade) for g in assessment.assess(county, 2025).lines}
    _as(county, "城东管理")

    assert [st.name for st in register.stations(county)] == [EAST]
    assert {i.name for i in register.list_instructors(county)} == EAST_PEOPLE
    assert {t.name for t in register.list_targets(county)} == {"东企业", "东待指导企业", "跨区企业"}
    assert {a.instructor for a in assignments.list_assignments(county)} == {"东一", "东二"}

    cov = assignments.coverage(county, on=date(2025, 6, 1))
    # E1 (covered by 东二), E2, 东企业, 东待指导企业, 跨区企业 — 城西's and the county's left out
    assert (cov.covered, cov.total) == (3, 5)
    assert {u.name for u in cov.uncovered} == {"城东E2公司党支部", "东待指导企业"}
    assert dict((c, (n, t)) for c, n, t in cov.by_committee) == {"城东镇党委": (2, 4), "未指定党委": (1, 1)}
    suggested = assignments.suggest(county, on=date(2025, 6, 1))
    assert [x.target for x in suggested] == ["东待指导企业"]
    assert set(suggested[0].instructors) == EAST_PEOPLE

    assert {x.instructor for x in weekly.list_logs(county, year=2025)} == EAST_PEOPLE
    assert {name for _i, name, *_rest in weekly.week_grid(county, "2025-W20")} == EAST_PEOPLE
    roll = weekly.month_rollup(county, 2025, 5)
    assert {x.station for x in roll.lines} == {EAST}
    total = next(x for x in roll.lines if not x.instructor)
    assert (total.counts["visits"], total.counts["solved"], total.weeks) == (1 + 2 + 60 + 60, 1 + 2 + 10 + 10, 4)
    assert (total.tickets_raised, total.tickets_closed) == (2, 1)

    assert {t.instructor for t in tickets.listing(county, year=2025)} == EAST_PEOPLE
    rates = {(r.level, r.label): (r.total, r.closed) for r in tickets.rates(county, 2025)}
    assert rates == {("指导员", "东一"): (1, 1), ("指导员", "东二"): (1, 0), ("指导站", EAST): (2, 1),
                     ("全部", "合计"): (2, 1)}
    assert all_rates[-1].total == 5  # the county's 合计 counts both townships

    lines = assessment.assess(county, 2025).lines
    assert {g.instructor for g in lines} == EAST_PEOPLE
    # the same points and grades the county sees (graded over the whole unit), only fewer lines
    assert {g.instructor: (g.points, g.grade) for g in lines} == {n: all_grades[n] for n in EAST_PEOPLE}

    fb = station_lists.feedback(county, "2026-11")
    assert [st.station for st in fb.stations] == [EAST] and fb.total.total == 2
    assert {x.station for x in station_lists.listing(county, "2026-11")} == {EAST}

    with pytest.raises(PermissionDeniedError, match=f"{SCOPE}，不能查看范围之外的指导站“{WEST}”（所属党委“城西镇党委”（T2））"):
        register.list_instructors(county, WEST)
    with pytest.raises(PermissionDeniedError, match="不能查看范围之外的指导员“西一”"):
        tickets.listing(county, instructor="西一")
    with pytest.raises(PermissionDeniedError, match="不能查看范围之外的指导站"):
        station_lists.feedback(county, "2026-11", WEST)


def test_grades_and_subsidies_of_the_township_are_its_own_stations(county):
    _as(county, "城东审核")
    with pytest.raises(PermissionDeniedError, match="全单位"):
        assessment.sign(county, 2025, "小组统计", "吴组长")  # all stations at once is the county's
    before = _counts(county)
    with pytest.raises(PermissionDeniedError, match=f"城东审核 的范围是.*不能签认范围之外的指导站“{WEST}”"):
        assessment.sign(county, 2025, "小组统计", "吴组长", station=WEST)
    with pytest.raises(PermissionDeniedError, match=f"不能签认范围之外的指导站“{COUNTY}”（未指定所属党委"):
        assessment.sign(county, 2025, "小组统计", "吴组长", station=COUNTY)
    assert _counts(county) == before
    _sign_all(county, EAST)
    result = assessment.assess(county, 2025)
    assert result.final and list(result.stations) == [EAST]

    rows = subsidies.subsidies(county, 2025)  # 城东 is final though 城西 and the county station are not
    assert {r.instructor for r in rows} == EAST_PEOPLE and {r.station for r in rows} == {EAST}
    base, transport, total = subsidies.totals(rows)
    assert total == sum((r.total for r in rows), Decimal("0.00")) and transport > 0  # 东一 placed in 镇域

    _as(county, "县管理员")
    with pytest.raises(ValidationError, match=f"尚未最终认定：{WEST}"):
        subsidies.subsidies(county, 2025)  # the county waits for every station
    _sign_all(county, WEST)
    _sign_all(county, COUNTY)
    every = subsidies.subsidies(county, 2025)
    assert {r.instructor for r in every} >= EAST_PEOPLE | WEST_PEOPLE  # those graded to be paid
    assert {r.station for r in every} >= {EAST, WEST}
    assert subsidies.totals([r for r in every if r.station == EAST]) == (base, transport, total)


def test_prints_and_exports_of_a_scoped_user_cover_the_subtree_and_say_so(county, tmp_path):
    _sign_all(county, EAST)
    _as(county, "城东管理")
    out = export_subsidies(tmp_path / "补贴.xlsx", 2025, subsidies.subsidies(county, 2025),
                           subsidies.scope_note(county))
    rows = list(load_workbook(out, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert "发放范围：城东镇党委及其下属组织" in str(rows[1][0])
    assert {r[2] for r in rows[3:] if len(r) > 2 and isinstance(r[0], int)} == EAST_PEOPLE

    def pdf(make, *args) -> str:
        path = tmp_path / f"{make.__name__}.pdf"
        make(county, *args, path)
        return "".join("".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(str(path)).pages)

    paper = pdf(sheets.tickets_sheet, 2025)
    assert "融资难" in paper and "用工难" in paper and "用地难" not in paper and "招工难" not in paper
    assert "统计范围：城东镇党委及其下属组织" in paper
    paper = pdf(sheets.month_sheet, 2025, 5)
    assert EAST in paper and WEST not in paper and "西一" not in paper
    paper = pdf(sheets.grades_sheet, 2025)
    assert "东一" in paper and "西一" not in paper and "县一" not in paper
    paper = pdf(sheets.subsidy_pdf, 2025)
    assert "东一" in paper and "西一" not in paper and "发放范围" in paper
    path = tmp_path / "weekly.pdf"
    assert sheets.weekly_sheets(county, "2025-W20", path) == 2  # one page per 城东 instructor


def test_every_write_on_the_other_township_is_refused_and_writes_nothing(county):
    west_assignment = next(a.id for a in assignments.list_assignments(county, "西二"))
    west_ticket = next(t.id for t in tickets.listing(county, instructor="西一"))
    west_task = next(x.task.id for x in station_lists.listing(county, "2026-11", WEST))
    west_id = next(i.id for i in register.list_instructors(county, WEST) if i.name == "西一")
    _as(county, "城东管理")
    before, tickets_before = _counts(county), _tickets_state(county)
    outside_station = f"{SCOPE}，不能修改范围之外的指导站“{WEST}”（所属党委“城西镇党委”（T2））"
    west_one = f"{SCOPE}，不能修改范围之外的指导员“西一”（指导站“{WEST}”"
    cases = [
        (lambda: register.add_station(county, "新站", "T2"), "不能把指导站登记到范围之外的“城西镇党委”（T2）"),
        (lambda: register.add_station(county, "新站"), "登记指导站须指定范围内的所属党委"),
        (lambda: register.add_instructor(county, WEST, name="新人", source="市派", mode="专职"), outside_station),
        (lambda: register.add_instructor(county, COUNTY, name="新人", source="市派", mode="专职"),
         f"不能修改范围之外的指导站“{COUNTY}”（未指定所属党委，由全单位账户管理）"),
        (lambda: register.update_instructor(county, "西一", phone="123"), west_one),
        (lambda: register.add_target(county, name="新企业", committee="T2"), "不能把指导对象登记到范围之外的“城西镇党委”"),
        (lambda: register.add_target(county, name="新企业"), "登记指导对象须指定范围内的所属党委"),
        (lambda: register.link_target(county, "西企业", "E2"), "不能修改范围之外的指导对象“西企业”"),
        (lambda: assignments.assign(county, "西一", org="E2", start="2026-01-01"), west_one),
        (lambda: assignments.assign(county, "东一", org="W1", start="2027-01-01"), "不能修改范围之外的“城西W1公司党支部”"),
        (lambda: assignments.assign(county, "东一", target="无主企业", start="2026-01-01"), "不能修改范围之外的指导对象“无主企业”"),
        (lambda: assignments.unassign(county, west_assignment), "不能修改范围之外的指导员“西二”"),
        (lambda: assignments.unassign(county, west_assignment, delete=True), "不能修改范围之外的指导员“西二”"),
        (lambda: weekly.save_log(county, "西一", "2026-W40", {"visits": 9}), west_one),
        (lambda: weekly.save_week(county, "2026-W40", {str(west_id): {"visits": 9}}), west_one),
        (lambda: tickets.add(county, "西一", "西企业", "新问题", raised_on="2026-10-05"), west_one),
        (lambda: tickets.update(county, west_ticket, status="交办", handled_by="县工信局"), west_one),
        (lambda: assessment.sign(county, 2025, "小组统计", "吴组长", station=WEST), "不能签认范围之外的指导站"),
        (lambda: station_lists.issue(county, "2026-12", WEST, [ListLine("第 1 条", "报送简报")]),
         f"不能下达任务清单给范围之外的指导站“{WEST}”"),
        (lambda: station_lists.mark_done(county, west_task, on="2026-11-10", evidence="记录"), outside_station),
        (lambda: station_lists.remove(county, west_task), outside_station),
    ]
    for case, message in cases:
        with pytest.raises(PermissionDeniedError, match=message):
            case()
    assert _counts(county) == before and _tickets_state(county) == tickets_before

    # inside the township the same user works as before
    register.add_instructor(county, EAST, name="东三", source="县(区)派", mode="兼职")
    register.add_station(county, "城东二站", "T1")
    register.add_target(county, name="东新企业", committee="T1")
    assignments.assign(county, "东三", target="东新企业", start="2026-01-01")
    weekly.save_log(county, "东一", "2026-W40", {"visits": 9})
    tickets.add(county, "东二", "东企业", "新问题", raised_on="2026-10-05")
    after = _counts(county)
    assert after["instructors"] == before["instructors"] + 1
    assert after["instructor_stations"] == before["instructor_stations"] + 1
    assert after["instructor_tickets"] == before["instructor_tickets"] + 1


def test_the_county_user_sees_both_townships(county):
    assert {st.name for st in register.stations(county)} == {EAST, WEST, COUNTY}
    assert {i.name for i in register.list_instructors(county)} == EAST_PEOPLE | WEST_PEOPLE | {"县一"}
    assert {t.name for t in register.list_targets(county)} == {"东企业", "东待指导企业", "西企业", "跨区企业", "无主企业"}
    cov = assignments.coverage(county, on=date(2025, 6, 1))
    assert (cov.covered, cov.total) == (5, 8)  # E1 W1 东企业 西企业 跨区企业 of those and E2 东待指导企业 无主企业
    roll = weekly.month_rollup(county, 2025, 5)
    assert [x.station for x in roll.lines if not x.instructor] == [EAST, WEST, COUNTY]
    assert tickets.rates(county, 2025)[-1].total == 5
    assert {x.station for x in station_lists.listing(county, "2026-11")} == {EAST, WEST}
    assert {g.instructor for g in assessment.assess(county, 2025).lines} == EAST_PEOPLE | WEST_PEOPLE | {"县一"}
    # and may still write anywhere, a station without a 党委 included
    register.add_instructor(county, COUNTY, name="县二", source="市派", mode="兼职")
    weekly.save_log(county, "西一", "2026-W40", {"visits": 9})
    assert {i.name for i in register.list_instructors(county, COUNTY)} == {"县一", "县二"}


def test_a_name_shared_with_another_township_means_the_own_instructor(county):
    register.add_instructor(county, WEST, name="东一", source="市派", mode="兼职")  # the county's namesake in 城西
    with pytest.raises(ValidationError, match="有 2 位名叫“东一”的指导员"):
        weekly.save_log(county, "东一", "2026-W40", {"visits": 3})  # the county must say which
    _as(county, "城东管理")
    log = weekly.save_log(county, "东一", "2026-W40", {"visits": 3})
    assert log.station == EAST
    with pytest.raises(PermissionDeniedError, match=f"不能修改范围之外的指导员“东一”（指导站“{WEST}”"):
        weekly.save_log(county, "东一", "2026-W40", {"visits": 3}, station=WEST)
