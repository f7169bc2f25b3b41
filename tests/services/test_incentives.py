"""结果运用: rules, results from confirmed grades, confirmation, 待重新确认 after an override, registers."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.incentives import REWARD, VETO, Rule, RuleSet, check_rule, parse_money, validate_rules
from app.errors import LockedError, NotFoundError, ValidationError
from app.services.assessment import grades
from app.services.incentives import awards, grants, results, rules
from app.services.kernel import locks
from app.services.scoring import scores


def test_default_rules_are_valid_and_cover_every_sector_and_class():
    rs = rules.default_rules(2025)
    assert validate_rules(rs) == []
    assert rs.kind_of("非公企业") == REWARD and rs.kind_of("村(社区)") == "绩效"
    assert rs.get("非公企业", VETO).amount == Decimal("0.00")


@pytest.mark.parametrize(("rule", "words"), [
    (Rule("非公企业", "A", REWARD, Decimal("-1.00"), ""), "不能为负数"),
    (Rule("非公企业", "A", REWARD, None, ""), "须填写金额"),
    (Rule("非公企业", VETO, REWARD, Decimal("100.00"), ""), "金额必须为 0"),
    (Rule("村(社区)", "B", "绩效", None, " "), "须填写评定结果"),
    (Rule("村(社区)", "B", "绩效", Decimal("1.00"), "较好"), "不填金额"),
    (Rule("外星领域", "B", "绩效", None, "好"), "领域"),
    (Rule("村(社区)", "D", "绩效", None, "好"), "定级"),
])
def test_each_rule_refusal_names_the_problem(rule, words):
    assert words in check_rule(rule)


def test_a_better_class_never_gets_less_money_and_a_sector_has_one_kind():
    rs = rules.default_rules(2025)
    bad = rs.replace(Rule("非公企业", "B", REWARD, Decimal("99999.00"), ""))
    assert any("A类 ≥ B类 ≥ C类" in p for p in validate_rules(bad))
    mixed = rs.replace(Rule("非公企业", "C", "绩效", None, "一般"))
    assert any("兑现方式必须一致" in p for p in validate_rules(mixed))
    missing = RuleSet(2025, tuple(r for r in rs.rules if r.grade != "C"))
    assert any("缺少 C" in p for p in validate_rules(missing))


@given(st.decimals(min_value=0, max_value=99_999_999, places=2, allow_nan=False, allow_infinity=False))
def test_money_round_trips_exactly(value):
    assert parse_money(str(value)) == value.quantize(Decimal("0.01"))


@pytest.mark.parametrize("text", ["-0.01", "1.005", "abc", "", "1e9", "NaN"])
def test_bad_money_is_refused(text):
    with pytest.raises(ValueError):
        parse_money(text)


def test_listing_before_grades_are_confirmed_is_refused(demo_ledger):
    with pytest.raises(ValidationError, match="2026 年度定级尚未确认"):
        results.year_incentives(demo_ledger, 2026)
    with pytest.raises(ValidationError, match="尚未确认"):
        results.confirm(demo_ledger, 2026)


def test_results_follow_sector_and_class_and_totals_are_the_sum_of_rows(demo_ledger):
    sheet = results.year_incentives(demo_ledger, 2025)
    rs, _src = rules.rules(demo_ledger, 2025)
    graded = [g for g in grades.year_grades(demo_ledger, 2025) if g.final is not None]
    assert len(sheet.rows) == len(graded)
    for r in sheet.rows:
        rule = rs.get(r.sector, VETO if r.veto else r.final)
        assert (r.kind, r.amount, r.result) == (rule.kind, rule.amount, rule.result)
        assert (r.amount is None) == (r.kind != REWARD)
    assert sheet.total() == sum(r.amount for r in sheet.rows if r.kind == REWARD)
    for sector in ("非公企业", "社会组织"):
        assert sheet.total(sector) == sum(r.amount for r in sheet.rows if r.sector == sector)
    assert sheet.total() == sheet.total("非公企业") + sheet.total("社会组织")


def test_a_veto_gives_zero_money_and_the_lowest_result(demo_ledger):
    rs = rules.default_rules(2025)
    row = results._current([_graded("非公企业", veto=True)], rs)["X"]
    assert row.amount == Decimal("0.00") and "一票否决" in row.result
    row = results._current([_graded("村(社区)", veto=True)], rs)["X"]
    assert row.amount is None and row.result == rs.get("村(社区)", VETO).result


def _graded(sector, veto):
    from app.domain.enums import Category
    from app.services.assessment.grades import OrgGrade

    return OrgGrade("X", "某支部", None, sector, 2025, Decimal("50.0"), {}, Category.C, Category.C, veto, "", True,
                    1, None)


def test_confirm_freezes_and_an_override_after_it_marks_the_row_stale_until_confirmed_again(demo_ledger):
    first = results.confirm(demo_ledger, 2025)
    assert first.state == results.CONFIRMED and first.stale_count == 0
    target = next(r for r in first.rows if r.sector == "非公企业" and r.final != "A" and not r.veto)
    grades.reopen(demo_ledger, 2025, "复核材料")
    reopened = results.year_incentives(demo_ledger, 2025)
    assert reopened.stale_count == len(reopened.rows)  # grades no longer confirmed: all wait
    grades.override(demo_ledger, target.org_code, 2025, "A", "经党工委会议研究")
    grades.confirm(demo_ledger, 2025)
    sheet = results.year_incentives(demo_ledger, 2025)
    stale = [r for r in sheet.rows if r.stale]
    assert [r.org_code for r in stale] == [target.org_code]
    assert stale[0].status == "待重新确认" and "定级" in stale[0].why_stale
    assert stale[0].amount == target.amount  # still the frozen amount until confirmed again
    assert sheet.total() == first.total()
    again = results.confirm(demo_ledger, 2025)
    assert again.stale_count == 0
    row = next(r for r in again.rows if r.org_code == target.org_code)
    assert row.final == "A" and row.amount == rules.rules(demo_ledger, 2025)[0].get("非公企业", "A").amount
    assert again.total() == first.total() - target.amount + row.amount


def test_changing_a_rule_after_confirmation_marks_the_affected_rows_stale(demo_ledger):
    results.confirm(demo_ledger, 2025)
    rules.set_rule(demo_ledger, 2025, "社会组织", "B", amount="3500")
    sheet = results.year_incentives(demo_ledger, 2025)
    stale = {r.org_code for r in sheet.rows if r.stale}
    expected = {r.org_code for r in sheet.rows if r.sector == "社会组织" and r.final == "B" and not r.veto}
    assert stale == expected


def test_rule_set_refuses_the_wrong_kind_and_writes_nothing_and_a_wording_change_keeps_the_amount(demo_ledger):
    before = rules.rules(demo_ledger, 2025)[0]
    with pytest.raises(ValidationError, match="绩效评定不填金额"):
        rules.set_rule(demo_ledger, 2025, "村(社区)", "A", amount="100")
    with pytest.raises(ValidationError, match="不能为负数"):
        rules.set_rule(demo_ledger, 2025, "非公企业", "A", amount="-100")
    assert rules.rules(demo_ledger, 2025)[0] == before
    worded = rules.set_rule(demo_ledger, 2025, "非公企业", "A", result="示范奖补")  # wording only: the amount stays
    assert worded.get("非公企业", "A") == before.get("非公企业", "A").__class__(
        "非公企业", "A", "奖补", before.get("非公企业", "A").amount, "示范奖补")


# ---- registers ----

def test_grants_add_edit_remove_and_refuse_bad_input(demo_ledger):
    g = grants.add(demo_ledger, org="QS0301", purpose="培育党支部工作经费", amount="5,000", on="2026-03-02")
    assert g.amount == Decimal("5000.00")
    g = grants.edit(demo_ledger, g.id, amount="5200.50")
    assert next(x for x in grants.listing(demo_ledger, 2026) if x.id == g.id).amount == Decimal("5200.50")
    n = len(grants.listing(demo_ledger))
    with pytest.raises(ValidationError, match="不能为负数"):
        grants.add(demo_ledger, org="QS0301", purpose="x", amount="-1", on="2026-03-02")
    with pytest.raises(NotFoundError, match="找不到组织编码"):
        grants.add(demo_ledger, org="NOPE", purpose="x", amount="1", on="2026-03-02")
    with pytest.raises(ValidationError, match="晚于今天"):
        grants.add(demo_ledger, org="QS0301", purpose="x", amount="1", on="2027-01-02")
    with pytest.raises(LockedError, match="2025 年度定级已于"):
        grants.add(demo_ledger, org="QS0301", purpose="x", amount="1", on="2025-06-02")
    assert len(grants.listing(demo_ledger)) == n
    grants.remove(demo_ledger, g.id)
    assert g.id not in [x.id for x in grants.listing(demo_ledger)]


def test_a_locked_month_closes_awards_and_grants(demo_ledger):
    locks.lock_month(demo_ledger, 2026, 4)
    with pytest.raises(LockedError, match="审核锁定"):
        awards.add(demo_ledger, org="QS0301", level="县", on="2026-04-10", title="县级先进")
    with pytest.raises(LockedError, match="审核锁定"):
        grants.add(demo_ledger, org="QS0301", purpose="x", amount="1", on="2026-04-10")


def _bonus(ledger, org, month):
    cell = scores.cell(ledger, org, 2026, month, "JF01")
    return cell.manual_count or 0


def test_a_collective_county_award_counts_its_bonus_once_and_gives_it_back_when_removed(demo_ledger):
    before = _bonus(demo_ledger, "QS0302", 7)
    a = awards.add(demo_ledger, org="QS0302", level="县", on="2026-07-01", title="县级先进基层党组织", bonus=True)
    assert a.bonus_item == "JF01" and _bonus(demo_ledger, "QS0302", 7) == before + 1
    with pytest.raises(ValidationError, match="已计入加分"):
        awards.accept_bonus(demo_ledger, a.id)
    moved = awards.edit(demo_ledger, a.id, on="2026-08-03")
    assert moved.bonus_item == "JF01"
    assert _bonus(demo_ledger, "QS0302", 7) == before and _bonus(demo_ledger, "QS0302", 8) == 1
    awards.remove(demo_ledger, a.id)
    assert _bonus(demo_ledger, "QS0302", 8) == 0


def test_award_bonus_stays_within_the_item_cap_and_persons_or_township_awards_propose_nothing(demo_ledger):
    from app.services.register import orgs as org_service
    from app.services.scoring import scores

    given = {c.org_code for c in scores.cells(demo_ledger, 2026) if c.item_code == "JF01"}
    code = next(o.code for o in org_service.list_orgs(demo_ledger, 2026) if o.scored and o.code not in given)
    person = awards.add(demo_ledger, org=code, level="省", on="2026-05-01", title="优秀共产党员", person="张三")
    with pytest.raises(ValidationError, match="个人表彰"):
        awards.accept_bonus(demo_ledger, person.id)
    town = awards.add(demo_ledger, org=code, level="乡镇", on="2026-05-01", title="先进支部")
    with pytest.raises(ValidationError, match="县级以上"):
        awards.accept_bonus(demo_ledger, town.id)
    ids = [awards.add(demo_ledger, org=code, level="市", on=f"2026-0{m}-01", title=f"表彰{m}").id for m in (2, 3, 4)]
    awards.accept_bonus(demo_ledger, ids[0])
    awards.accept_bonus(demo_ledger, ids[1])
    with pytest.raises(ValidationError, match="上限"):
        awards.accept_bonus(demo_ledger, ids[2])  # JF01: 3 points each, 6 a year
    assert awards.listing(demo_ledger, org=code)[-1].bonus_item is None


def test_award_refuses_bad_level_and_unknown_org(demo_ledger):
    with pytest.raises(ValidationError, match="表彰级别"):
        awards.add(demo_ledger, org="QS0301", level="村", on="2026-03-01", title="x")
    with pytest.raises(NotFoundError):
        awards.add(demo_ledger, org="NOPE", level="县", on="2026-03-01", title="x")
    with pytest.raises(ValidationError, match="表彰名称不能为空"):
        awards.add(demo_ledger, org="QS0301", level="县", on="2026-03-01", title=" ")
