"""结果运用 rows are sealed: money changed with a database tool is found and named."""

from __future__ import annotations

import sqlite3

import pytest

from app.services.safety import integrity


def _sql(path, statement: str) -> None:
    con = sqlite3.connect(path)
    con.execute(statement)
    con.commit()
    con.close()


@pytest.mark.parametrize(("statement", "words"), [
    ("UPDATE grants SET amount = amount * 10 WHERE id = (SELECT min(id) FROM grants)", "补助经费"),
    ("UPDATE incentive_results SET amount = 9999900 WHERE kind = '奖补' AND id = "
     "(SELECT min(id) FROM incentive_results WHERE kind = '奖补')", "奖补与绩效结果"),
    ("UPDATE incentive_rules SET amount = 0 WHERE grade = 'A' AND sector = '非公企业' AND year = 2025", "结果运用规则"),
])
def test_money_changed_outside_the_software_is_found(demo_ledger, statement, words):
    assert integrity.verify(demo_ledger).ok
    _sql(demo_ledger.path, statement)
    problem = integrity.verify(demo_ledger).first_problem()
    assert words in problem and "被软件之外的程序修改" in problem
