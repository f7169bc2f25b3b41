"""The SQL aggregation must agree with the pure rule functions, for any entries."""

from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.rules import year_points
from app.services.assessment import grades, warnings
from app.services.scoring import schemes, scores

ITEMS = ["RC02", "RC03", "ZT01", "ZY01", "XX02", "JF01", "KF01"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(ITEMS), st.integers(1, 12), st.integers(0, 2)), max_size=25))
def test_quarters_and_year_match_the_reference(ledger, entries):
    scheme = schemes.get_scheme(ledger, 2026)
    counts = {(item, month): n for item, month, n in entries}
    manual: dict = {}
    accepted = []
    for (item, month), n in counts.items():
        try:
            scores.set_score(ledger, "B1", 2026, month, item, count=n)
        except Exception:
            continue  # above a cap: refused, and so not part of the reference either
        accepted.append((item, month))
        manual[(item, month)] = scheme.item(item).points * n
    ref = year_points(scheme, manual, {})
    for q in (1, 2, 3, 4):
        w = next(w for w in warnings.quarter_warnings(ledger, 2026, q) if w.org_code == "B1")
        assert w.quarter_score == ref.quarter(q)
    g = next(g for g in grades.year_grades(ledger, 2026) if g.org_code == "B1")
    assert g.score == ref.annual()
    # reset for the next example
    scores.write_scores(ledger, 2026, [scores.ScoreEntry("B1", i, m) for i, m in accepted])
    assert all(c.effective == D("0.0") for c in scores.cells(ledger, 2026, org_code="B1"))
