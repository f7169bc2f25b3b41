"""Rows changed behind the software's back (with a SQLite tool) are found; our own writes never are."""

import sqlite3
from decimal import Decimal

from app.services.assessment import grades
from app.services.book import records
from app.services.register import orgs
from app.services.scoring import scores
from db import keys, seals


def _verify(path):
    con = sqlite3.connect(path)
    try:
        return seals.verify(con, keys.seal_key(path)[0])
    finally:
        con.close()


def test_writes_through_the_services_stay_sealed(ledger):
    scores.set_score(ledger, "B1", 2026, 3, "KF01", count=1)
    scores.set_score(ledger, "B1", 2026, 3, "KF01", count=2)
    records.add_record(ledger, "B1", "2.2", {"date": "2026-03-05", "topic": "支委会", "attendance": "5/5"})
    orgs.set_class(ledger, "B1", 2027, "A", note="测试")
    scores.clear_score(ledger, "B1", 2026, 3, "KF01")
    checked, problems, total = _verify(ledger.path)
    assert checked > 0 and problems == [] and total == 0


def test_demo_bulk_inserts_are_sealed(demo_ledger):
    checked, problems, _ = _verify(demo_ledger.path)
    assert checked > 20000 and problems == []


def test_a_score_edited_with_sqlite_is_found(demo_ledger):
    con = sqlite3.connect(demo_ledger.path)
    rid = con.execute("SELECT min(id) FROM monthly_scores WHERE manual_points IS NOT NULL").fetchone()[0]
    con.execute("UPDATE monthly_scores SET manual_points = manual_points + 50 WHERE id = ?", (rid,))
    con.commit()
    con.close()
    _, problems, total = _verify(demo_ledger.path)
    assert total == 1 and problems[0] == seals.SealProblem("monthly_scores", rid, "changed")


def test_deleted_and_added_rows_are_found(demo_ledger):
    con = sqlite3.connect(demo_ledger.path)
    con.execute("DELETE FROM annual_grades WHERE id = (SELECT min(id) FROM annual_grades)")
    con.execute("INSERT INTO org_classes (org_id, year, category, source, note, uuid, created_at, updated_at) "
                "SELECT org_id, 2030, 'A', 'manual', '', 'x-1', '2026-01-01', '2026-01-01' FROM org_classes LIMIT 1")
    con.commit()
    con.close()
    _, problems, total = _verify(demo_ledger.path)
    assert total == 2
    assert {p.kind for p in problems} == {"deleted", "unsealed"}


def test_a_later_write_does_not_launder_an_outside_edit(demo_ledger):
    con = sqlite3.connect(demo_ledger.path)
    rid = con.execute("SELECT id FROM annual_grades ORDER BY id LIMIT 1").fetchone()[0]
    con.execute("UPDATE annual_grades SET final_class = CASE final_class WHEN 'A' THEN 'C' ELSE 'A' END WHERE id = ?", (rid,))
    con.commit()
    con.close()
    # The software writes something else afterwards; the outside edit must still show.
    scores.set_score(demo_ledger, "QS0101", 2026, 11, "KF01", count=1)
    grades.year_grades(demo_ledger, 2026)
    _, problems, _ = _verify(demo_ledger.path)
    assert seals.SealProblem("annual_grades", rid, "changed") in problems


def test_a_rolled_back_write_leaves_no_seal_behind(ledger):
    import pytest

    from app.errors import ValidationError
    from app.services.scoring.scores import ScoreEntry

    with pytest.raises(ValidationError):
        scores.write_scores(ledger, 2026, [ScoreEntry("B1", "RC02", 4, count=1),
                                           ScoreEntry("B1", "XX02", 5, points=Decimal("-3"))])
    con = sqlite3.connect(ledger.path)
    assert con.execute("SELECT count(*) FROM monthly_scores").fetchone()[0] == 0
    con.close()
    assert _verify(ledger.path)[2] == 0
