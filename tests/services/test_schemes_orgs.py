from dataclasses import replace
from decimal import Decimal as D

import pytest

from app.errors import ConflictError, ValidationError
from app.services.register import orgs
from app.services.scoring import schemes, scores


def test_a_new_year_copies_the_nearest_earlier_scheme(ledger):
    s25 = schemes.get_scheme(ledger, 2025)
    cat = s25.categories[0]
    changed = replace(s25, categories=(replace(cat, items=(replace(cat.items[0], points=D("4.0"), monthly_cap=D("4.0")),
                                                          *cat.items[1:])), *s25.categories[1:]))
    schemes.save_scheme(ledger, changed)
    assert schemes.get_scheme(ledger, 2027).categories[0].items[0].points == D("4.0")
    assert schemes.get_scheme(ledger, 2024).categories[0].items[0].points == D("3.0"), "earlier years use defaults"


def test_changing_a_year_rule_recaps_that_year_only(ledger):
    scores.set_score(ledger, "B1", 2026, 1, "RC02", points="2.0")
    scores.set_score(ledger, "B1", 2025, 1, "RC02", points="2.0")
    s = schemes.get_scheme(ledger, 2026)
    cat = s.categories[0]
    item = next(i for i in cat.items if i.code == "RC02")
    new_items = tuple(replace(i, monthly_cap=D("1.0")) if i is item else i for i in cat.items)
    tighter = replace(s, categories=(replace(cat, items=new_items), *s.categories[1:]))
    # A routine branch would now get 24.0 a quarter: saved only once the user accepts the calibration warning.
    with pytest.raises(schemes.CalibrationWarning, match="每季度只得 24.0 分，不高于预警线 25.0 分") as e:
        schemes.save_scheme(ledger, tighter)
    assert len(e.value.problems) == 1 and schemes.get_scheme(ledger, 2026) == s
    assert scores.cell(ledger, "B1", 2026, 1, "RC02").effective == D("2.0")
    schemes.save_scheme(ledger, tighter, accept_calibration=True)
    assert scores.cell(ledger, "B1", 2026, 1, "RC02").effective == D("1.0")
    assert scores.cell(ledger, "B1", 2025, 1, "RC02").effective == D("2.0")


def test_an_item_with_points_cannot_be_removed(ledger):
    scores.set_score(ledger, "B1", 2026, 1, "XX02", count=1)
    s = schemes.get_scheme(ledger, 2026)
    xx = next(c for c in s.categories if c.code == "XX")
    cut = replace(xx, items=tuple(i for i in xx.items if i.code != "XX02"))
    with pytest.raises(ValidationError, match="XX02"):
        schemes.save_scheme(ledger, replace(s, categories=tuple(cut if c is xx else c for c in s.categories)))


def test_invalid_scheme_is_refused_with_reasons(ledger):
    s = schemes.get_scheme(ledger, 2026)
    with pytest.raises(ValidationError, match="预警线"):
        schemes.save_scheme(ledger, replace(s, warning=replace(s.warning, red_below=D("30.0"))))


def test_copy_refuses_a_year_with_points(ledger):
    schemes.get_scheme(ledger, 2025)
    scores.set_score(ledger, "B1", 2026, 1, "RC02", count=1)
    with pytest.raises(ConflictError, match="已有"):
        schemes.copy_scheme(ledger, 2025, 2026)
    assert schemes.copy_scheme(ledger, 2025, 2028).year == 2028


def test_org_validation_and_tree_rules(ledger):
    with pytest.raises(ValidationError, match="组织名称不能为空"):
        orgs.add_org(ledger, code="B2", name=" ", sector="非公企业", parent="P1")
    with pytest.raises(ValidationError, match="所属领域"):
        orgs.add_org(ledger, code="B2", name="某支部", sector="企业", parent="P1")
    with pytest.raises(ConflictError):
        orgs.add_org(ledger, code="B1", name="重复", sector="非公企业", parent="P1")
    with pytest.raises(ValidationError, match="不能再下设"):
        orgs.add_org(ledger, code="B2", name="某支部", sector="非公企业", parent="B1")
    with pytest.raises(ValidationError, match="自己或它的下级"):
        orgs.move_org(ledger, "P1", "P1")
    with pytest.raises(ValidationError, match="在用组织"):
        orgs.set_status(ledger, "P1", active=False)
    assert orgs.set_status(ledger, "B1", active=False).status == "inactive"
