"""组织生活 compliance (issue 16): requirements per year, exemptions, the status of each period on its
boundaries, reminders, the demo's counts two ways, and every bad input on the command line."""

from __future__ import annotations

import contextlib
import io
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import text

from app.cli import main as cli_main
from app.domain import compliance as rules
from app.errors import ConflictError, NotFoundError, ValidationError
from app.services.book import records
from app.services.compliance import exemptions, requirements, status
from app.services.register import orgs
from tests.conftest import db_arg


def _status(ledger, year=2026, **kw):
    return {(r.type_code, r.period): r for r in status.year_status(ledger, year, org_code="B1", **kw)}


def _rec(ledger, code, on):
    records.add_record(ledger, "B1", code, {"date": on, "topic": "测试"})


REQ = rules.Requirement("2.1", "支部党员大会", "quarter")


def test_a_period_is_due_soon_until_its_last_day_and_missing_the_day_after():
    q3 = rules.windows(REQ, 2026)[2]
    assert (q3.first, q3.last) == (date(2026, 7, 1), date(2026, 9, 30))
    on = lambda d: rules.status(REQ, q3, 0, d, exempt=False, soon_days=7)  # noqa: E731
    assert [on(date(2026, 9, 22)), on(date(2026, 9, 23)), on(date(2026, 9, 30)), on(date(2026, 10, 1))] == [
        rules.NOT_DUE, rules.DUE_SOON, rules.DUE_SOON, rules.MISSING]
    assert rules.status(REQ, q3, 1, date(2026, 10, 1), exempt=False, soon_days=7) == rules.DONE
    assert rules.status(REQ, q3, 0, date(2026, 10, 1), exempt=True, soon_days=7) == rules.EXEMPT


def test_a_yearly_meeting_due_next_march_counts_once_for_the_year_before():
    req = rules.Requirement("5.1", "组织生活会", "year", due_month=3, due_day=31)
    (w26,) = rules.windows(req, 2026)
    assert (w26.count_from, w26.count_to, w26.due) == (date(2026, 4, 1), date(2027, 3, 31), date(2027, 3, 31))


def test_statuses_through_the_service(ledger):
    _rec(ledger, "2.2", "2026-10-12")
    _rec(ledger, "2.1", "2026-08-03")
    _rec(ledger, "5.1", "2026-01-20")  # for 2025
    st = _status(ledger)
    assert st[("2.2", "2026-10")].status == rules.DONE and st[("2.2", "2026-10")].held == 1
    assert st[("2.2", "2026-09")].status == rules.MISSING
    assert st[("2.2", "2026-11")].status == rules.NOT_DUE  # today is 21 November: 9 days left
    assert st[("2.2", "2026-12")].status == rules.NOT_DUE
    assert st[("2.1", "2026-Q3")].status == rules.DONE and st[("2.1", "2026-Q4")].status == rules.NOT_DUE
    assert ("2.3", "2026-10") not in st  # no 党小组: no 党小组会 required
    assert _status(ledger, 2025)[("5.1", "2025")].status == rules.DONE
    assert st[("5.1", "2026")].held == 0
    orgs.update_org(ledger, "B1", has_groups="是")
    assert _status(ledger)[("2.3", "2026-10")].status == rules.MISSING


def test_a_branch_founded_mid_quarter_is_judged_from_the_next_full_period(ledger):
    orgs.update_org(ledger, "B1", established_on=date(2026, 5, 10))
    st = _status(ledger)
    assert ("2.1", "2026-Q2") not in st and ("2.1", "2026-Q3") in st
    assert ("2.2", "2026-05") not in st and ("2.2", "2026-06") in st
    assert ("5.1", "2026") not in st


def test_exemptions_cover_whole_periods_and_are_checked(ledger):
    exemptions.add(ledger, "B1", "2.2", "2026-07", "2026-08", "支部换届，经批准延期")
    st = _status(ledger)
    assert st[("2.2", "2026-07")].status == st[("2.2", "2026-08")].status == rules.EXEMPT
    assert st[("2.2", "2026-09")].status == rules.MISSING
    exemptions.add(ledger, "B1", "2.1", "2026-07", "2026-08", "合并")  # two of Q3's three months
    assert _status(ledger)[("2.1", "2026-Q3")].status == rules.MISSING
    with pytest.raises(ConflictError, match="已有 2026-07—2026-08 的豁免"):
        exemptions.add(ledger, "B1", "2.2", "2026-08", "2026-10", "再次")
    with pytest.raises(ValidationError, match="豁免理由不能为空"):
        exemptions.add(ledger, "B1", "2.2", "2026-11", "2026-11", "  ")
    with pytest.raises(ValidationError, match="早于起始月份"):
        exemptions.add(ledger, "B1", "2.2", "2026-11", "2026-10", "x")
    with pytest.raises(NotFoundError, match="9.9"):
        exemptions.add(ledger, "B1", "9.9", "2026-11", "2026-11", "x")
    assert len(exemptions.listing(ledger)) == 2


def test_reminders_list_what_falls_due_within_the_window(ledger):
    on = date(2026, 12, 26)
    due = {(r.type_code, r.period) for r in status.reminders(ledger, on, 7)}
    assert ("2.2", "2026-12") in due and ("2.1", "2026-Q4") in due and ("2.2", "2026-11") not in due
    assert not status.reminders(ledger, date(2026, 12, 10), 7)
    assert {(r.type_code, r.period) for r in status.reminders(ledger, date(2027, 3, 28), 7)} >= {("5.1", "2026")}


def test_requirements_are_copied_forward_and_checked(ledger):
    reqs, source = requirements.requirements(ledger, 2026)
    assert source is None and {r.type_code for r in reqs} == {"2.1", "2.2", "2.3", "2.4", "3.1", "4.1", "5.1", "5.2", "6.2"}
    changed = [r if r.type_code != "2.2" else rules.Requirement("2.2", r.type_name, "month", 2) for r in reqs]
    requirements.save(ledger, 2025, changed)
    later, source = requirements.requirements(ledger, 2027)
    assert source == 2025 and next(r for r in later if r.type_code == "2.2").minimum == 2
    with pytest.raises(ValidationError, match="重复设定"):
        requirements.save(ledger, 2026, [*changed, changed[0]])
    with pytest.raises(ValidationError, match="工作记录类型“9.9”不存在"):
        requirements.save(ledger, 2026, [rules.Requirement("9.9", "?", "month")])
    with pytest.raises(ValidationError, match="只有按年的要求"):
        requirements.save(ledger, 2026, [rules.Requirement("2.2", "支委会", "month", 1, due_month=3, due_day=31)])


def test_the_demos_counts_equal_a_plain_count_of_its_records(demo_ledger):
    rows = status.year_status(demo_ledger, 2025)
    with demo_ledger.db.read() as s:  # a plain count, on the file or the server alike
        plain = Counter({(code, t, f"{y}-{m:02d}"): n for code, t, y, m, n in s.execute(text(
            "SELECT o.code, r.type_code, r.year, r.month, count(*) FROM work_records r "
            "JOIN organizations o ON o.id = r.org_id WHERE r.year = 2025 GROUP BY 1, 2, 3, 4"))})
    monthly = [r for r in rows if len(r.period) == 7 and "Q" not in r.period]
    assert monthly and all(r.held == plain[(r.org_code, r.type_code, r.period)] for r in monthly)
    seen = Counter(r.status for r in rows)
    assert seen[rules.DONE] and seen[rules.MISSING]
    # The figures: branch-quarters without a 支部党员大会 and branch-months without a 支委会.
    assert sum(1 for r in rows if r.type_code == "2.1" and r.status == rules.MISSING) > 0


def _cli(db, *args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli_main(["--db", str(db), *args])
        except SystemExit as e:
            code = int(e.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("args,fragment", [
    (["compliance", "--year", "2026", "--quarter", "5"], "季度必须是 1–4"),
    (["compliance", "--year", "2026", "--month", "13"], "月份"),
    (["compliance", "--year", "2026", "--type", "9.9"], "没有工作记录类型“9.9”"),
    (["compliance", "--year", "2026", "--org", "ZZ"], "找不到参评的党组织“ZZ”"),
    (["compliance", "exempt", "--org", "B1", "--type", "2.2", "--from", "2026-03", "--to", "2026-04", "--reason", ""],
     "豁免理由不能为空"),
    (["compliance", "exempt", "--org", "B1", "--type", "2.2", "--from", "2026-04", "--to", "2026-03", "--reason", "x"],
     "早于起始月份"),
    (["compliance", "exempt", "--org", "B1", "--type", "2.2", "--from", "2026-13", "--to", "2026-14", "--reason", "x"],
     "起始月份应为“年-月”"),
    (["compliance", "remind", "--on", "2026-02-30"], "日期应为 YYYY-MM-DD"),
])
def test_bad_input_is_one_chinese_line_and_writes_nothing(ledger, args, fragment):
    exemptions.add(ledger, "B1", "2.2", "2026-01", "2026-01", "新建")
    before = exemptions.listing(ledger)
    code, _out, err = _cli(db_arg(ledger), *args)
    assert code == 2 and fragment in err and err.count("\n") == 1, err
    assert exemptions.listing(ledger) == before


def test_the_cli_json_contract(ledger):
    _rec(ledger, "2.2", "2026-10-12")
    code, out, _err = _cli(db_arg(ledger), "compliance", "--year", "2026", "--month", "10", "--json")
    import json

    rows = json.loads(out)
    assert code == 0 and {r["type"] for r in rows} == {"2.2", "3.1", "4.1", "6.2"}
    row = next(r for r in rows if r["type"] == "2.2")
    assert {k: row[k] for k in ("org", "type", "period", "required", "held", "status")} == {
        "org": "B1", "type": "2.2", "period": "2026-10", "required": 1, "held": 1, "status": "done"}
    code, out, _err = _cli(db_arg(ledger), "compliance", "exempt", "--org", "B1", "--type", "3.1", "--from", "2026-10",
                           "--to", "2026-10", "--reason", "经批准延期")
    assert code == 0 and "已登记豁免" in out
    code, out, _err = _cli(db_arg(ledger), "requirements", "show", "--year", "2026")
    assert code == 0 and "默认要求" in out and "组织生活会：每年至少 1 次" in out


def test_the_scheme_calibration_reads_the_years_requirements(ledger):
    from app.services.scoring import schemes

    scheme = schemes.get_scheme(ledger, 2026)
    assert schemes.calibration(ledger, scheme) == []
    reqs, _ = requirements.requirements(ledger, 2026)
    # Drop the monthly 主题党日 from the year's requirements: the routine branch now gets 27 − 9 = 18.
    requirements.save(ledger, 2026, [r for r in reqs if r.type_code != "3.1"])
    problems = schemes.calibration(ledger, scheme)
    assert any("每季度只得 18.0 分" in p for p in problems), problems


def test_one_requirement_is_set_or_removed_and_an_exemption_withdrawn(ledger):
    code, _out, _err = _cli(db_arg(ledger), "requirements", "set", "--year", "2026", "--type", "2.2", "--period", "month",
                           "--minimum", "2")
    assert code == 0 and next(r for r in requirements.requirements(ledger, 2026)[0] if r.type_code == "2.2").minimum == 2
    code, _out, err = _cli(db_arg(ledger), "requirements", "set", "--year", "2026", "--type", "2.2", "--period", "month",
                           "--due", "03-31")
    assert code == 2 and "只有按年的要求可以设次年的截止日期" in err
    assert _cli(db_arg(ledger), "requirements", "remove", "--year", "2026", "--type", "4.1")[0] == 0
    assert "4.1" not in {r.type_code for r in requirements.requirements(ledger, 2026)[0]}
    e = exemptions.add(ledger, "B1", "2.2", "2026-07", "2026-08", "换届")
    assert _cli(db_arg(ledger), "compliance", "unexempt", "--id", str(e.id))[0] == 0
    assert exemptions.listing(ledger) == []
    code, _out, err = _cli(db_arg(ledger), "compliance", "unexempt", "--id", "99")
    assert code == 2 and "找不到编号为 99 的豁免" in err
